"""The loss maps precomputed at build time: NumPy grid against the package, file format, picture, placeholders."""

from __future__ import annotations

import base64

import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

import loss_maps
import loss_picture
import widget_placeholders
from neuron_descent.activations import ACTIVATIONS
from neuron_descent.datasets import DATASETS, DEFAULT_DATASET
from neuron_descent.grid import loss_grid

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = REPOSITORY_ROOT / "node_modules"
SESSION_JS = REPOSITORY_ROOT / "docs/javascripts/widgets/descent/session.js"

# Relative difference allowed between the NumPy grid and the package's: both
# evaluate the same float64 formula, so only rounding in tanh and in the sum differs.
GRID_TOLERANCE = 1e-12
# The file stores log10 L in 16 bits over the map's range, so one step is about
# 6e-5 in log10 L for the data sets' ranges of about four decades.
QUANTIZATION_TOLERANCE = 1e-4


def package_grid(dataset_name: str, activation: str, n: int) -> np.ndarray:
    dataset = DATASETS[dataset_name]
    return np.array(loss_grid(dataset.problem(activation), dataset.view_box, n).loss)


def read_png(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB PNG written with the Up filter, as encode_png writes it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset = 8
    chunks = {}
    while offset < len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        kind = data[offset + 4:offset + 8]
        chunks.setdefault(kind, b"")
        chunks[kind] += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)

    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(height, 1 + 3 * width)
    assert set(rows[:, 0]) <= {0, 2}
    pixels = np.cumsum(rows[:, 1:], axis=0, dtype=np.uint8)
    return pixels.reshape(height, width, 3)


@pytest.mark.parametrize("dataset_name", sorted(DATASETS))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_numpy_grid_matches_package(dataset_name, activation):
    expected = package_grid(dataset_name, activation, loss_maps.GRID_SIZE)
    computed = loss_maps.compute_loss_map(DATASETS[dataset_name], activation).loss

    assert computed.shape == expected.shape
    np.testing.assert_allclose(computed, expected, rtol=GRID_TOLERANCE, atol=0)


def test_numpy_grid_axes_match_package():
    dataset = DATASETS[DEFAULT_DATASET]
    package = loss_grid(dataset.problem(), dataset.view_box, 7)
    computed = loss_maps.compute_loss_map(dataset, "tanh", n=7)

    assert computed.w.tolist() == package.ws
    assert computed.b.tolist() == package.bs


def test_grid_size_matches_widget():
    match = re.search(r"export const GRID_SIZE = (\d+);", SESSION_JS.read_text(encoding="utf-8"))

    assert match is not None, f"{SESSION_JS} no longer defines GRID_SIZE"
    assert int(match.group(1)) == loss_maps.GRID_SIZE


@pytest.mark.parametrize("dataset_name", sorted(DATASETS))
def test_loss_map_file_round_trip(dataset_name):
    loss_map = loss_maps.compute_loss_map(DATASETS[dataset_name], "tanh")
    header, decoded = loss_maps.decode_loss_map(loss_maps.encode_loss_map(loss_map))

    assert header["dataset"] == dataset_name
    assert header["activation"] == "tanh"
    assert header["n"] == loss_maps.GRID_SIZE
    assert header["view_box"] == DATASETS[dataset_name].view_box._asdict()
    np.testing.assert_allclose(np.log10(decoded), np.log10(loss_map.loss), rtol=0, atol=QUANTIZATION_TOLERANCE)


def test_loss_map_file_marks_non_finite_loss():
    loss_map = loss_maps.compute_loss_map(DATASETS[DEFAULT_DATASET], "tanh", n=5)
    loss = loss_map.loss.copy()
    loss[1, 2] = np.inf
    loss[3, 0] = np.nan
    with_gaps = loss_maps.LossMap(**{**loss_map.__dict__, "loss": loss})

    _, decoded = loss_maps.decode_loss_map(loss_maps.encode_loss_map(with_gaps))

    assert np.isnan(decoded[1, 2])
    assert np.isnan(decoded[3, 0])
    assert np.isfinite(decoded).sum() == 23


def test_loss_map_script_is_compact():
    data = loss_maps.encode_loss_map(loss_maps.compute_loss_map(DATASETS[DEFAULT_DATASET], "tanh"))
    script = loss_maps.loss_map_script(data, DEFAULT_DATASET)

    assert loss_maps.read_loss_map_script(script) == data
    assert script.count("\n") == 2
    assert len(zlib.compress(script.encode(), 6)) < 40_000


def test_hashed_name_follows_content():
    first = loss_maps.hashed_name("two-point", b"one", "bin")
    second = loss_maps.hashed_name("two-point", b"two", "bin")

    assert re.fullmatch(r"two-point\.[0-9a-f]{10}\.bin", first)
    assert first != second


def test_viridis_read_from_d3():
    viridis = loss_picture.read_viridis(NODE_MODULES)

    assert viridis.shape == (256, 3)
    assert viridis[0].tolist() == [0x44, 0x01, 0x54]
    assert viridis[255].tolist() == [0xFD, 0xE7, 0x25]


def test_viridis_missing_names_npm_ci(tmp_path):
    with pytest.raises(loss_picture.MissingColourRampError) as raised:
        loss_picture.read_viridis(tmp_path)

    assert "npm ci" in str(raised.value)


@pytest.mark.parametrize("dataset_name", sorted(DATASETS))
def test_picture_colours_follow_loss(dataset_name):
    dataset = DATASETS[dataset_name]
    loss_map = loss_maps.compute_loss_map(dataset, "tanh")
    viridis = loss_picture.read_viridis(NODE_MODULES)
    pixels = read_png(loss_picture.render_picture(dataset, loss_map, viridis))

    assert (pixels.shape[1], pixels.shape[0]) == loss_picture.picture_size(loss_map.view_box)
    samples = loss_picture.sample_loss(dataset, "tanh", pixels.shape[1], pixels.shape[0])
    positions = loss_picture.colour_positions(samples, loss_map.log10_range())
    expected = viridis[np.minimum((positions * 256).astype(int), 255)]
    matches = np.all(pixels == expected, axis=2)
    # Pixels off the contour lines carry the viridis colour of their loss, and those on
    # a line are lightened towards white.
    assert matches.mean() > 0.9
    assert np.all(pixels[~matches].astype(int).sum(axis=1) > expected[~matches].astype(int).sum(axis=1))


def test_png_encoder_round_trip():
    pixels = np.random.default_rng(4).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)

    assert np.array_equal(read_png(loss_picture.encode_png(pixels)), pixels)


PICTURE_BYTES = b"\x89PNG not a real picture"


def _assets(title: str) -> widget_placeholders.LossMapAssets:
    return widget_placeholders.LossMapAssets(
        title=title,
        data_path="assets/loss-maps/a.0123456789.js",
        picture_path="assets/loss-maps/a.9876543210.png",
        picture_size=(360, 300),
        picture=PICTURE_BYTES,
        view_box={"w_min": -1.5, "w_max": 2.0, "b_min": -2.5, "b_max": 1.0},
        loss_range=(1.2e-5, 1.9),
    )


def test_placeholders_get_fallback_and_map():
    page = (
        '<p>Text</p><div class="nd-widget" data-widget="descent" id="d"></div>'
        '<div data-widget="sweep" data-dataset="b" class="nd-widget"></div>'
    )
    filled = widget_placeholders.fill_placeholders(
        page, {"a": _assets("Set A"), "b": _assets("Set B")}, "a", lambda path: "../" + path
    )

    assert filled.count("<noscript>") == 2
    assert 'data-loss-map="../assets/loss-maps/a.0123456789.js"' in filled
    assert filled.count("data-loss-map=") == 1
    assert '<script src="../assets/loss-maps/a.0123456789.js" defer></script><div class="nd-widget"' in filled
    assert "runtime.js" not in filled
    # The descent widget shows its picture at once, written into the page, and only its
    # note needs <noscript>; the sweep shows the picture file only without JavaScript.
    data_url = "data:image/png;base64," + base64.b64encode(PICTURE_BYTES).decode("ascii")
    descent, sweep = filled.split('data-widget="sweep"')
    assert f'<figure class="nd-widget__fallback nd-widget__preview"><img src="{data_url}"' in descent
    assert 'elementtiming="nd-loss-map-preview"' in descent
    assert descent.index("</figure>") < descent.index("<noscript>")
    assert '<noscript><figure class="nd-widget__fallback"><img src="../assets/loss-maps/a.9876543210.png"' in sweep
    assert "elementtiming" not in sweep
    assert "“Set A”" in filled
    assert "“Set B”" in filled
    assert "needs JavaScript" in filled
    assert "w from −1.5 to 2" in filled
    assert "L ≈ 1.2e−5" in filled


def test_placeholder_with_unknown_dataset_fails():
    page = '<div data-widget="descent" data-dataset="missing"></div>'
    with pytest.raises(widget_placeholders.UnknownDatasetError) as raised:
        widget_placeholders.fill_placeholders(page, {"a": _assets("Set A")}, "a", lambda path: path)

    assert "missing" in str(raised.value)
    assert "a" in str(raised.value)


def test_runtime_start_goes_first_in_head():
    page = '<html><head><meta charset="utf-8"><title>T</title></head><body><div data-widget="descent"></div></body></html>'
    started = widget_placeholders.add_runtime_start(page, "../javascripts/runtime.js")

    assert started.startswith('<html><head><script src="../javascripts/runtime.js" async data-start-python></script><meta')
    assert started.count("runtime.js") == 1


def test_runtime_start_skips_page_without_widget():
    page = "<html><head><title>T</title></head><body><p>Text</p></body></html>"

    assert widget_placeholders.add_runtime_start(page, "runtime.js") == page
