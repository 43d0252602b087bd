"""Compute each data set's loss map with NumPy at build time, for the widget's first view.

The descent widget draws the map from these files before Python has started in
the browser, and replaces it with the package's own grid once Python returns it.
The grid is computed here independently of the package, vectorised over the
whole grid, and tests/test_loss_maps.py checks it against neuron_descent.grid.loss_grid.

The site serves each map as a classic script (see loss_map_script) that
registers the base64 of a loss-map file, which holds:

- bytes 0–3: the ASCII magic "NDLM";
- bytes 4–7: the header's length H as a little-endian uint32;
- bytes 8 to 8 + H: a UTF-8 JSON header, padded with spaces so that H is even:
  `format`, `dataset`, `activation`, `n`, `view_box` (w_min, w_max, b_min,
  b_max) and `log10_range` [low, high];
- then n × n little-endian uint16 values, row-major like web_api's grid (rows
  along b from b_min, columns along w from w_min). Each value q stands for
  log10 L = low + (high − low) · q / 65534, and 65535 for a loss that is not
  finite. Within a row each value is stored as its difference from the one
  before (modulo 65536), which gzip compresses to about half the size.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass
from types import ModuleType

import numpy as np

MAGIC = b"NDLM"
FORMAT_VERSION = 1

# Grid points per side. It must equal GRID_SIZE in
# docs/javascripts/widgets/descent/session.js, so the live map that replaces
# this one has the same resolution. tests/test_loss_maps.py checks that.
GRID_SIZE = 161

# The colour scale's lowest loss is at least this fraction of the highest, the
# same floor as createColourScale in docs/javascripts/widgets/descent/heatmap.js.
LOG_FLOOR_RATIO = 1e-12

QUANTIZED_MAX = 65534
NOT_FINITE = 65535

HASH_LENGTH = 10


@dataclass(frozen=True)
class LossMap:
    """The loss over a data set's view box: `loss[j, i]` is L(w[i], b[j])."""

    dataset: str
    title: str
    activation: str
    view_box: dict[str, float]
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray

    def log10_range(self) -> tuple[float, float]:
        """Return log10 of the colour scale's bounds: the smallest and largest finite positive loss.

        The lower bound is raised to LOG_FLOOR_RATIO times the upper one, so an
        exact zero loss does not stretch the scale without end.
        """
        finite = self.loss[np.isfinite(self.loss) & (self.loss > 0)]
        if finite.size == 0:
            return (0.0, 1.0)
        high = float(finite.max())
        low = max(float(finite.min()), high * LOG_FLOOR_RATIO)
        if high == low:
            high = low * 10
        return (float(np.log10(low)), float(np.log10(high)))


def activation_values(name: str, z: np.ndarray) -> np.ndarray:
    """Return σ(z) for the package's activation called `name`."""
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        # exp of a non-positive number only, so no overflow warning for large |z|.
        exp_negative_abs = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + exp_negative_abs), exp_negative_abs / (1.0 + exp_negative_abs))
    if name == "identity":
        return z.astype(float, copy=True)
    raise ValueError(f"Unknown activation {name!r}; expected tanh, sigmoid or identity.")


def grid_axis(low: float, high: float, n: int) -> np.ndarray:
    """Return n points from low to high, corners included, computed as the package computes them."""
    return low + (high - low) * np.arange(n) / (n - 1)


def compute_loss_map(dataset, activation: str, n: int = GRID_SIZE) -> LossMap:
    """Return the mean squared error of σ(w·x + b) over `dataset`'s points on an n × n grid.

    `dataset` is a neuron_descent.datasets.Dataset, of which only the data
    (name, title, xs, ys, view_box) is used.
    """
    box = dataset.view_box
    w = grid_axis(box.w_min, box.w_max, n)
    b = grid_axis(box.b_min, box.b_max, n)
    xs = np.asarray(dataset.xs, dtype=float)[:, None, None]
    ys = np.asarray(dataset.ys, dtype=float)[:, None, None]

    # z has shape (points, b, w), so reducing over axis 0 leaves rows along b.
    z = w[None, None, :] * xs + b[None, :, None]
    residuals = activation_values(activation, z) - ys
    loss = (residuals * residuals).sum(axis=0) * (1.0 / len(dataset.xs))
    return LossMap(dataset.name, dataset.title, activation, box._asdict(), w, b, loss)


def compute_loss_maps(datasets_module: ModuleType, activations_module: ModuleType) -> list[LossMap]:
    """Return the loss map of every data set in the package, for its default activation."""
    activation = activations_module.DEFAULT_ACTIVATION
    return [compute_loss_map(dataset, activation) for dataset in datasets_module.DATASETS.values()]


def quantize_log_loss(loss: np.ndarray, log10_range: tuple[float, float]) -> np.ndarray:
    """Return log10 of each loss as a uint16 in 0…QUANTIZED_MAX, or NOT_FINITE for inf and NaN."""
    low, high = log10_range
    finite = np.isfinite(loss)
    floor = 10.0 ** low
    logs = np.log10(np.maximum(np.where(finite, loss, floor), floor))
    scaled = np.rint((logs - low) / (high - low) * QUANTIZED_MAX)
    quantized = np.clip(scaled, 0, QUANTIZED_MAX).astype(np.uint16)
    quantized[~finite] = NOT_FINITE
    return quantized


def encode_loss_map(loss_map: LossMap) -> bytes:
    """Return the loss-map file described in this module's docstring."""
    log10_range = loss_map.log10_range()
    header = {
        "format": FORMAT_VERSION,
        "dataset": loss_map.dataset,
        "activation": loss_map.activation,
        "n": int(loss_map.loss.shape[0]),
        "view_box": loss_map.view_box,
        "log10_range": list(log10_range),
    }
    header_bytes = json.dumps(header, separators=(",", ":")).encode()
    if len(header_bytes) % 2:
        header_bytes += b" "

    quantized = quantize_log_loss(loss_map.loss, log10_range)
    # Differences along each row wrap around modulo 65536 in uint16 arithmetic.
    differences = np.diff(quantized, axis=1, prepend=np.zeros((quantized.shape[0], 1), dtype=np.uint16))
    body = differences.astype("<u2").tobytes()
    return MAGIC + struct.pack("<I", len(header_bytes)) + header_bytes + body


def decode_loss_map(data: bytes) -> tuple[dict, np.ndarray]:
    """Return the header and the losses (NaN where not finite) of a loss-map file, as the widget reads it."""
    if data[:4] != MAGIC:
        raise ValueError("The data does not start with the loss-map magic NDLM.")
    (header_length,) = struct.unpack_from("<I", data, 4)
    header = json.loads(data[8:8 + header_length])
    n = header["n"]
    differences = np.frombuffer(data, dtype="<u2", offset=8 + header_length, count=n * n).reshape(n, n)
    quantized = np.cumsum(differences, axis=1, dtype=np.uint16)

    low, high = header["log10_range"]
    loss = 10.0 ** (low + (high - low) * quantized.astype(float) / QUANTIZED_MAX)
    loss[quantized == NOT_FINITE] = np.nan
    return header, loss


def loss_map_script(data: bytes, dataset: str) -> str:
    """Return a classic script that stores the base64 of the loss-map file `data` in
    window.ndLossMaps under the script's own absolute URL.

    Pages load it with `defer` ahead of the widgets' module, so the descent
    widget finds the map when it mounts, without a request of its own. A
    fetch() would resolve only after the page's other start-up tasks, which
    on a busy machine takes hundreds of milliseconds longer.
    """
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"// The precomputed loss map of the data set {json.dumps(dataset)}, written by build_scripts/loss_maps.py.\n"
        f'(window.ndLossMaps ??= {{}})[document.currentScript.src] = "{encoded}";\n'
    )


def read_loss_map_script(script: str) -> bytes:
    """Return the loss-map file that a script from loss_map_script registers."""
    start = script.index(' = "') + len(' = "')
    return base64.b64decode(script[start:script.index('"', start)])


def hashed_name(stem: str, content: bytes, suffix: str) -> str:
    """Return "<stem>.<first HASH_LENGTH hex digits of SHA-256>.<suffix>"."""
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}.{suffix}"
