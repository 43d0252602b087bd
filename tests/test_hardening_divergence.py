"""Diverged runs keep every plot of both widgets readable, and Reset or a new start recovers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from widget_helpers import (
    DESCENT,
    SWEEP,
    descent_state,
    open_chapter,
    press,
    save_widget,
    sweep_result,
    text_field,
    wait_until_idle,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

STEP_PRESSES = 50

# Every attribute of every SVG element in a widget, as [tag, attribute, value], for the
# attributes whose value contains NaN or Infinity, which no drawn mark may have.
NON_FINITE_SVG_ATTRIBUTES = """(widget) => [...widget.querySelectorAll('svg, svg *')].flatMap(
    (element) => [...element.attributes]
        .filter((attribute) => /NaN|Infinity/.test(attribute.value))
        .map((attribute) => [element.tagName, attribute.name, attribute.value]))"""

# The fraction of the map canvas's pixels that are opaque and the number of distinct
# colours among every 97th pixel: a blank canvas has neither.
CANVAS_COVERAGE = """(canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0;
    const colours = new Set();
    for (let offset = 0; offset < pixels.length; offset += 4) {
        if (pixels[offset + 3] === 255) {
            opaque += 1;
        }
        if ((offset / 4) % 97 === 0) {
            colours.add(pixels[offset] * 65536 + pixels[offset + 1] * 256 + pixels[offset + 2]);
        }
    }
    return { opaqueFraction: opaque / (pixels.length / 4), colours: colours.size };
}"""


# The tick labels of each axis group in a widget, one list per axis.
AXIS_LABELS = """(widget) => [...widget.querySelectorAll('.nd-axis')]
    .map((axis) => [...axis.querySelectorAll('.tick text')].map((text) => text.textContent))"""


def assert_axes_readable(page: Page, selector: str) -> None:
    """Assert that every axis of a widget has labels and none is repeated, NaN or infinite."""
    axes = page.locator(selector).evaluate(AXIS_LABELS)
    assert axes
    for labels in axes:
        # A log axis leaves its minor ticks without a label.
        texts = [label for label in labels if label.strip()]
        assert texts, axes
        assert len(set(texts)) == len(texts), texts
        assert [text for text in texts if "NaN" in text or "Infinity" in text] == []


def readout_texts(page: Page) -> dict:
    return page.evaluate(
        f"""() => Object.fromEntries([...document.querySelectorAll('{DESCENT} [data-readout]')]
            .map((element) => [element.dataset.readout, element.textContent]))"""
    )


def assert_descent_readable(page: Page) -> None:
    """Assert that the descent widget's plots and readouts show no NaN or infinite value."""
    widget = page.locator(DESCENT)
    assert widget.evaluate(NON_FINITE_SVG_ATTRIBUTES) == []
    assert_axes_readable(page, DESCENT)
    for name, text in readout_texts(page).items():
        assert "NaN" not in text, (name, text)
        assert "Infinity" not in text, (name, text)

    coverage = page.locator(f"{DESCENT} .nd-map__canvas").evaluate(CANVAS_COVERAGE)
    assert coverage["opaqueFraction"] > 0.8, coverage
    assert coverage["colours"] > 20, coverage
    assert page.locator(f"{DESCENT} .nd-fit__point").count() > 0
    assert page.locator(f"{DESCENT} .nd-loss__line").get_attribute("d")


def set_field(page: Page, label: str, text: str) -> None:
    field = text_field(page, DESCENT, label)
    field.fill(text)
    field.press("Enter")
    wait_until_idle(page, DESCENT)


@pytest.fixture
def diverged_page(watched_page: Page, site_url: str) -> Page:
    """The chapter after typing a huge η and a high μ and pressing Step (50) again and again."""
    open_chapter(watched_page, site_url)
    wait_until_ready(watched_page)
    set_field(watched_page, "Learning rate η", "90")
    set_field(watched_page, "Momentum μ", "0.98")
    for _ in range(STEP_PRESSES):
        press(watched_page, DESCENT, "Step (50)")
    return watched_page


def test_repeated_steps_after_divergence_stay_readable(diverged_page, artifacts_dir):
    page = diverged_page
    state = descent_state(page)
    status = state["run"]["status"]

    assert status["code"] == "diverged"
    assert readout_texts(page)["status"].startswith("Diverged at step")
    assert state["run"]["k"] == status["step"]
    assert page.locator(f"{DESCENT} .nd-loss__diverged").count() == 1
    assert_descent_readable(page)
    save_widget(page, DESCENT, artifacts_dir / "hardening-diverged.png")
    assert page.console_errors == []


def test_reset_and_new_start_recover_from_divergence(diverged_page):
    page = diverged_page
    set_field(page, "Learning rate η", "0.1")
    set_field(page, "Momentum μ", "0")
    press(page, DESCENT, "Reset")
    reset = descent_state(page)

    assert reset["run"]["status"]["code"] == "running"
    assert reset["run"]["k"] == 0
    assert len(reset["trail"]) == 1
    assert page.locator(f"{DESCENT} .nd-loss__diverged").count() == 0

    press(page, DESCENT, "Step (50)")
    stepped = descent_state(page)
    assert stepped["run"]["status"]["code"] != "diverged"
    assert stepped["run"]["loss"] < reset["run"]["loss"]
    assert_descent_readable(page)

    # Diverge again, then pick a new start point on the map.
    set_field(page, "Learning rate η", "90")
    press(page, DESCENT, "Step (50)")
    assert descent_state(page)["run"]["status"]["code"] == "diverged"
    canvas = page.locator(f"{DESCENT} .nd-map__canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    wait_until_idle(page, DESCENT)
    state = descent_state(page)

    assert state["run"]["status"]["code"] == "running"
    assert state["run"]["k"] == 0
    assert state["trail"] == [state["start"]]
    assert_descent_readable(page)


def test_sweep_where_every_run_diverges_stays_readable(watched_page, site_url, artifacts_dir):
    page = open_chapter(watched_page, site_url)
    wait_until_ready(page)
    text_field(page, SWEEP, "Lowest η").fill("20")
    text_field(page, SWEEP, "Highest η").fill("100")
    text_field(page, SWEEP, "Steps per run").fill("1000")
    press(page, SWEEP, "Run sweep")
    result = sweep_result(page)["result"]

    assert [run["status"]["code"] for run in result["runs"]] == ["diverged"] * len(result["runs"])
    assert result["pick"] is None
    assert "Every run diverged" in page.locator(f"{SWEEP} .nd-sweep__rule").text_content()
    assert page.locator(f"{SWEEP} .nd-sweep__diverged").count() == len(result["runs"])
    assert page.locator(SWEEP).evaluate(NON_FINITE_SVG_ATTRIBUTES) == []
    assert_axes_readable(page, SWEEP)
    save_widget(page, SWEEP, artifacts_dir / "hardening-sweep-all-diverged.png")
    assert page.console_errors == []


def test_off_map_run_marked_at_loss(watched_page, site_url):
    """A run that leaves the map with a small loss is marked at that loss and named as off the map."""
    page = open_chapter(watched_page, site_url)
    wait_until_ready(page)
    set_field(page, "Learning rate η", "50")
    press(page, DESCENT, "Step (1)")
    status = descent_state(page)["run"]["status"]
    current = page.locator(f"{DESCENT} .nd-loss__current")
    # The cross's translate(x,y) and the current point's centre, in the same plot coordinates.
    cross = page.locator(f"{DESCENT} .nd-loss__diverged").evaluate(
        "(path) => path.transform.baseVal.consolidate().matrix.f"
    )

    assert status["code"] == "diverged"
    assert status["cause"] == "left-region"
    assert cross == pytest.approx(float(current.get_attribute("cy")), abs=0.5)
    assert cross > 20

    text_field(page, SWEEP, "Lowest η").fill("50")
    text_field(page, SWEEP, "Highest η").fill("100")
    press(page, SWEEP, "Run sweep")
    runs = sweep_result(page)["result"]["runs"]
    entries = page.locator(f"{SWEEP} .nd-legend__entry").all_text_contents()

    assert [run["status"]["cause"] for run in runs] == ["left-region"] * len(runs)
    assert all("far off the map" in entry for entry in entries)
    # Every run ends at the last step, on the chart's right edge, where a clip would cut its cross in half.
    for selector in (f"{SWEEP} .nd-sweep__diverged", f"{DESCENT} .nd-loss__diverged"):
        unclipped = page.locator(selector).evaluate_all("(marks) => marks.map((mark) => !mark.closest('[clip-path]'))")
        assert unclipped and all(unclipped), selector
    assert page.console_errors == []


# Opaque pixels of the trail's canvas inside the plot area and in the padding around it.
# The canvas reaches a few CSS px past the plot on every side, where the plot canvas ends.
TRAIL_PIXELS = """(widget) => {
    const trail = widget.querySelector('.nd-map__trail-layer');
    const trailBox = trail.getBoundingClientRect();
    const plotBox = widget.querySelector('.nd-map__canvas').getBoundingClientRect();
    const scale = trail.width / trailBox.width;
    const left = Math.round((plotBox.left - trailBox.left) * scale);
    const top = Math.round((plotBox.top - trailBox.top) * scale);
    const right = Math.round((plotBox.right - trailBox.left) * scale);
    const bottom = Math.round((plotBox.bottom - trailBox.top) * scale);
    const pixels = trail.getContext('2d').getImageData(0, 0, trail.width, trail.height).data;
    const counts = { inside: 0, padding: 0, paddingWidth: left };
    for (let y = 0; y < trail.height; y += 1) {
        for (let x = 0; x < trail.width; x += 1) {
            if (pixels[(y * trail.width + x) * 4 + 3] > 0) {
                const inPlot = x >= left && x < right && y >= top && y < bottom;
                counts[inPlot ? 'inside' : 'padding'] += 1;
            }
        }
    }
    return counts;
}"""


def test_trail_stops_at_plot_edge(watched_page, site_url):
    """A run that leaves the map draws its trail up to the plot's edge and not over the axes."""
    page = open_chapter(watched_page, site_url)
    wait_until_ready(page)
    set_field(page, "Learning rate η", "50")
    press(page, DESCENT, "Step (1)")
    assert descent_state(page)["run"]["status"]["cause"] == "left-region"

    counts = page.locator(DESCENT).evaluate(TRAIL_PIXELS)

    assert counts["paddingWidth"] > 0
    assert counts["inside"] > 0
    assert counts["padding"] == 0, counts


def test_strip_ticks_use_exponents(watched_page, site_url):
    page = open_chapter(watched_page, site_url)
    wait_until_ready(page)
    text_field(page, SWEEP, "Lowest η").fill("0.000001")
    text_field(page, SWEEP, "Highest η").fill("0.001")
    press(page, SWEEP, "Run sweep")
    ticks = [tick for tick in page.locator(f"{SWEEP} .nd-sweep__strip-svg .nd-axis text").all_text_contents() if tick]

    assert "1e-6" in ticks
    assert not [tick for tick in ticks if tick.startswith("0.0000")]


def test_loss_panel_reaches_smallest_loss(watched_page, site_url):
    """A run that fits the two points to rounding error keeps its current point inside the loss panel."""
    page = open_chapter(watched_page, site_url)
    wait_until_ready(page)
    set_field(page, "Learning rate η", "0.5")
    press(page, DESCENT, "Step (50)")
    press(page, DESCENT, "Step (50)")
    losses = descent_state(page)["losses"]
    current_y = float(page.locator(f"{DESCENT} .nd-loss__current").get_attribute("cy"))
    plot_height = page.locator(f"{DESCENT} .nd-descent__loss svg clipPath rect").evaluate(
        "(rect) => rect.height.baseVal.value"
    )

    assert losses[-1] < 1e-12 * losses[0]
    assert 0 <= current_y <= plot_height + 0.5
