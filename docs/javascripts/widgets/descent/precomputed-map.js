// The loss map computed at build time with NumPy (build_scripts/loss_maps.py describes the
// file and the script that carries it), which the descent widget draws before Python has
// started. The grid agrees with
// the package's own to within the file's 16-bit quantisation of log10 L.

import { nextTask } from '../common/next-task.js';

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

/** Returns the bytes of the loss map registered by the script at `url`, or null. */
function registeredMap(url) {
  const encoded = window.ndLossMaps?.[new URL(url, document.baseURI).href];
  if (!encoded) {
    return null;
  }
  const text = atob(encoded);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) {
    bytes[index] = text.charCodeAt(index);
  }
  return bytes.buffer;
}

/**
 * Resolves once the loss-map script at `url` has run. A full page load has run it before
 * the widgets' module; after Material's instant navigation it may not have, so it is added.
 */
function loadMapScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.addEventListener('load', resolve, { once: true });
    script.addEventListener('error', () => reject(new Error('the script failed to load')), { once: true });
    document.head.append(script);
  });
}

/**
 * Draws the precomputed map from the script at `url` on `map` (see map.js) if
 * `shouldDraw(description)` returns true, two tasks after the caller's. The widget returns
 * false once the live map from Python is drawn or when the file is for another data set.
 * When `picture`, the page's <img> of the same map, has been decoded, the map shows it
 * instead of computing its own raster and contours. At the start of the frame that shows
 * the map, adds the performance mark "nd:loss-map-visible" with detail "precomputed",
 * which build_scripts/bench.py reads. Resolves to whether it drew the
 * map. A file that cannot be loaded or read only logs a warning, because the live map from
 * Python follows anyway.
 */
export async function drawPrecomputedMap(map, url, shouldDraw, picture = null) {
  if (!url) {
    return false;
  }
  try {
    // Reading and decoding the file, and drawing it, take a task each, apart from the
    // widget's mounting, so that none of them makes a long task of the page's start-up.
    await nextTask();
    let buffer = registeredMap(url);
    if (!buffer) {
      await loadMapScript(url);
      buffer = registeredMap(url);
      if (!buffer) {
        throw new Error('the script ran but registered no map for its address');
      }
    }
    const description = decodeLossMap(buffer);
    await nextTask();
    if (shouldDraw(description)) {
      map.setDescription(description, shownPicture(picture));
      markMapVisible('precomputed');
      return true;
    }
  } catch (error) {
    console.warn(`The precomputed loss map ${url} could not be drawn: ${error.message}`);
  }
  return false;
}

/** Returns `picture` (an <img>) if it has been loaded and decoded without error, else null. */
function shownPicture(picture) {
  return picture?.complete && picture.naturalWidth > 0 ? picture : null;
}

/**
 * Adds the performance mark "nd:loss-map-visible" with `source` as its detail at the start
 * of the next frame, whose rendering steps then paint the map. (A timeout set from there
 * would measure the tasks queued behind that frame instead.)
 */
export function markMapVisible(source) {
  requestAnimationFrame(() => performance.mark('nd:loss-map-visible', { detail: source }));
}
