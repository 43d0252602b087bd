"""Draw a data set's loss surface as a PNG picture, for pages read with JavaScript off.

The picture uses the widget's colours: viridis on a log scale of the loss,
with the 256 colours read from d3-scale-chromatic (which d3.interpolateViridis
picks from the same way), and light contour lines of log10 L. The PNG is
written with zlib and struct from the standard library.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import numpy as np

from loss_maps import LossMap, activation_values

# The d3-scale-chromatic bundle that npm installs with d3, and its viridis ramp:
# 256 colours as one string of six hex digits each.
COLOUR_SOURCE = "d3-scale-chromatic/dist/d3-scale-chromatic.js"
VIRIDIS_PATTERN = re.compile(r'var viridis = ramp\(colors\("([0-9a-f]+)"\)\)')

PICTURE_WIDTH = 360
# Height over width stays within these bounds, as on the widget's map.
ASPECT_RANGE = (0.7, 1.1)

# Contour lines between the colour scale's ends, as many as the widget draws.
CONTOUR_LEVELS = 14
CONTOUR_OPACITY = 0.45


class MissingColourRampError(FileNotFoundError):
    """The viridis colours cannot be read from node_modules."""


def read_viridis(node_modules: Path) -> np.ndarray:
    """Return viridis as a 256 × 3 uint8 array of RGB colours, read from d3-scale-chromatic."""
    source = node_modules / COLOUR_SOURCE
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingColourRampError(
            f"{source} is missing: run `npm ci` to install the front-end packages."
        ) from None
    match = VIRIDIS_PATTERN.search(text)
    if match is None or len(match.group(1)) != 256 * 6:
        raise MissingColourRampError(f"{source} has no 256-colour viridis ramp in the expected form.")
    return np.frombuffer(bytes.fromhex(match.group(1)), dtype=np.uint8).reshape(256, 3)


def picture_size(view_box: dict[str, float]) -> tuple[int, int]:
    """Return (width, height) in pixels for a view box."""
    aspect = (view_box["b_max"] - view_box["b_min"]) / (view_box["w_max"] - view_box["w_min"])
    aspect = min(max(aspect, ASPECT_RANGE[0]), ASPECT_RANGE[1])
    return PICTURE_WIDTH, round(PICTURE_WIDTH * aspect)


def sample_loss(dataset, activation: str, width: int, height: int) -> np.ndarray:
    """Return L at the centre of each pixel, row 0 at the top (largest b)."""
    box = dataset.view_box
    w = box.w_min + (np.arange(width) + 0.5) * (box.w_max - box.w_min) / width
    b = box.b_max - (np.arange(height) + 0.5) * (box.b_max - box.b_min) / height
    xs = np.asarray(dataset.xs, dtype=float)[:, None, None]
    ys = np.asarray(dataset.ys, dtype=float)[:, None, None]
    residuals = activation_values(activation, w[None, None, :] * xs + b[None, :, None]) - ys
    return (residuals * residuals).mean(axis=0)


def colour_positions(loss: np.ndarray, log10_range: tuple[float, float]) -> np.ndarray:
    """Return each loss's position t in [0, 1] on the log colour scale, with 1 for a loss that is not finite."""
    low, high = log10_range
    finite = np.isfinite(loss) & (loss > 0)
    logs = np.log10(np.where(finite, loss, 10.0 ** low))
    positions = np.clip((logs - low) / (high - low), 0.0, 1.0)
    return np.where(np.isfinite(loss), positions, 1.0)


def render_picture(dataset, loss_map: LossMap, viridis: np.ndarray) -> bytes:
    """Return a PNG of L over the data set's view box, coloured like the widget's map.

    The colour scale's bounds come from `loss_map`, the grid the widget draws
    first, so picture and widget agree on which colour means which loss.
    """
    width, height = picture_size(loss_map.view_box)
    positions = colour_positions(sample_loss(dataset, loss_map.activation, width, height), loss_map.log10_range())
    # d3's ramp takes colour floor(t · 256), clamped to the last one.
    rgb = viridis[np.minimum((positions * 256).astype(int), 255)].astype(float)

    # A pixel lies on a contour line where the contour band changes from its
    # right or lower neighbour.
    band = np.floor(positions * CONTOUR_LEVELS)
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, :-1] |= band[:, :-1] != band[:, 1:]
    edge[:-1, :] |= band[:-1, :] != band[1:, :]
    rgb[edge] = rgb[edge] * (1 - CONTOUR_OPACITY) + 255 * CONTOUR_OPACITY
    return encode_png(np.rint(rgb).astype(np.uint8))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _filter_rows(pixels: np.ndarray) -> bytes:
    """Return the image's scan lines, each with the PNG "Up" filter (type 2) or none for the first.

    Up stores each byte minus the byte above it, which turns the smooth
    vertical gradients of a loss surface into runs that zlib compresses well.
    """
    rows = pixels.reshape(pixels.shape[0], -1)
    filtered = np.empty_like(rows)
    filtered[0] = rows[0]
    filtered[1:] = rows[1:] - rows[:-1]  # uint8 arithmetic wraps modulo 256, as PNG requires
    filter_types = np.full((rows.shape[0], 1), 2, dtype=np.uint8)
    filter_types[0] = 0
    return np.hstack([filter_types, filtered]).tobytes()


def encode_png(pixels: np.ndarray) -> bytes:
    """Return an 8-bit RGB PNG of a height × width × 3 uint8 array."""
    height, width, channels = pixels.shape
    if channels != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"Expected a height × width × 3 uint8 array, got shape {pixels.shape} of {pixels.dtype}.")
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(_filter_rows(pixels), 9))
        + _png_chunk(b"IEND", b"")
    )
