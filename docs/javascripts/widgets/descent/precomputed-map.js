// The loss map computed at build time with NumPy (build_scripts/loss_maps.py describes the
// file), which the descent widget draws before Python has started. The grid agrees with
// the package's own to within the file's 16-bit quantisation of log10 L.

const MAGIC = 'NDLM';
const FORMAT_VERSION = 1;
const QUANTIZED_MAX = 65534;
const NOT_FINITE = 65535;

/**
 * Decodes a loss-map file into the parts of the package's `describe` result that the map
 * draws: `{dataset: {name, view_box}, activation, grid: {n, w, b, loss, min, max}}`, with
 * null for a loss that is not finite. Throws an Error for a file in another format.
 */
export function decodeLossMap(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
  if (magic !== MAGIC) {
    throw new Error(`The loss-map file starts with “${magic}”, not ${MAGIC}.`);
  }
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  if (header.format !== FORMAT_VERSION) {
    throw new Error(`The loss-map file has format ${header.format}, but this page reads only format ${FORMAT_VERSION}.`);
  }

  const { n, view_box: box } = header;
  const [low, high] = header.log10_range;
  const loss = new Array(n * n);
  let offset = 8 + headerLength;
  for (let row = 0; row < n; row += 1) {
    // Each row stores differences from the value before, modulo 65536.
    let quantized = 0;
    for (let column = 0; column < n; column += 1) {
      quantized = (quantized + view.getUint16(offset, true)) & 0xffff;
      offset += 2;
      loss[row * n + column] = quantized === NOT_FINITE ? null : 10 ** (low + ((high - low) * quantized) / QUANTIZED_MAX);
    }
  }

  const axis = (from, to) => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
  const finite = loss.filter((value) => value !== null);
  return {
    dataset: { name: header.dataset, view_box: box },
    activation: header.activation,
    grid: {
      n,
      w: axis(box.w_min, box.w_max),
      b: axis(box.b_min, box.b_max),
      loss,
      min: Math.min(...finite),
      max: Math.max(...finite),
    },
  };
}

/**
 * Fetches and decodes the loss-map file at `url`. Resolves to null when `url` is empty or
 * the file cannot be fetched or read, because the live map from Python follows anyway.
 */
export async function loadPrecomputedMap(url) {
  if (!url) {
    return null;
  }
  try {
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`HTTP status ${response.status}`);
    }
    return decodeLossMap(await response.arrayBuffer());
  } catch (error) {
    console.warn(`The precomputed loss map ${url} could not be drawn: ${error.message}`);
    return null;
  }
}

/**
 * Draws the precomputed map at `url` on `map` (see map.js) if `shouldDraw(description)`
 * still returns true when the file has arrived. The widget returns false once the live
 * map from Python is drawn or when the file is for another data set. After the frame
 * that shows it, adds the performance mark "nd:loss-map-visible" with detail
 * "precomputed", which build_scripts/bench.py reads.
 */
export async function drawPrecomputedMap(map, url, shouldDraw) {
  const description = await loadPrecomputedMap(url);
  if (description && shouldDraw(description)) {
    map.setDescription(description);
    markMapVisible('precomputed');
  }
}

/**
 * Adds the performance mark "nd:loss-map-visible" with `source` as its detail once the
 * next frame has been drawn: a timeout set inside requestAnimationFrame runs after it.
 */
export function markMapVisible(source) {
  requestAnimationFrame(() => {
    setTimeout(() => performance.mark('nd:loss-map-visible', { detail: source }), 0);
  });
}
