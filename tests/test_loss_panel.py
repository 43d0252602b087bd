"""The descent widget's loss panel in Chromium: its y-axis title never touches the tick labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from widget_helpers import DESCENT, press, wait_until_ready

pytestmark = pytest.mark.browser

# For the loss panel inside the element at `selector`, the boxes of the y-axis title and of
# every y tick label, relative to the panel's SVG.
Y_AXIS_BOXES = """(selector) => {
    const svg = document.querySelector(selector).querySelector('svg.nd-chart');
    const origin = svg.getBoundingClientRect();
    const box = (element) => {
        const rect = element.getBoundingClientRect();
        return { left: rect.left - origin.left, right: rect.right - origin.left,
                 top: rect.top - origin.top, bottom: rect.bottom - origin.top };
    };
    return {
        title: box([...svg.querySelectorAll('.nd-axis-title')].find((title) => title.textContent.startsWith('loss'))),
        labels: [...svg.querySelectorAll('.nd-axis--y .tick text')].map((text) => ({ text: text.textContent, ...box(text) })),
    };
}"""

# Draws a loss panel, imported from the site, for each list of losses in a 340 px wide
# container of its own, and returns the selectors of the containers.
DRAW_LOSS_PANELS = """async (runs) => {
    const { createLossPanel } = await import(new URL('../javascripts/widgets/descent/loss-panel.js', location.href));
    return runs.map((losses, index) => {
        const widget = document.createElement('div');
        widget.className = 'nd-widget';
        const container = document.createElement('div');
        container.id = `loss-panel-probe-${index}`;
        container.style.width = '340px';
        widget.append(container);
        document.querySelector('article').append(widget);
        createLossPanel(container).draw(losses, { code: 'running' });
        return `#${container.id}`;
    });
}"""

# Runs whose loss axes have the widest tick labels the panel can show: powers of ten down
# to below the smallest normal double, up to 1e300, and decimals under two decades wide.
LOSS_RUNS = [
    [1, 0.1, 1e-4, 1e-7],
    [1, 1e-10],
    [10, 1e-12],
    [1, 1e-100],
    [1, 1e-320],
    [1e300, 1e301],
    [0.003, 0.002],
    [2e4, 3e4],
    [5e-7, 2e-7],
]


# Space in px that must stay between the title's box and a label's. The boxes are the
# text's line boxes, so the glyphs are further apart, but a font with wider digits than
# the one Chromium picked here would close a smaller gap.
MIN_GAP = 3


def assert_title_clear_of_labels(boxes: dict, context: object) -> None:
    title = boxes["title"]
    assert title["left"] >= 0, (context, title)
    assert boxes["labels"], (context, "the y axis has no tick labels")
    for label in boxes["labels"]:
        assert label["left"] - title["right"] >= MIN_GAP, (context, label["text"], title, label)


def test_converged_run_ticks_clear_title(chapter_page: Page, artifacts_dir):
    """A run to convergence on the two points labels 0.001, a wide label beside the title."""
    wait_until_ready(chapter_page, DESCENT)
    chapter_page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.configure({{dataset: 'two-point'}})")
    press(chapter_page, DESCENT, "Run")
    chapter_page.wait_for_function(
        f"() => document.querySelector('{DESCENT}').ndDescent.state().run.status.code === 'converged'", timeout=60_000
    )
    boxes = chapter_page.evaluate(Y_AXIS_BOXES, f"{DESCENT} .nd-descent__loss")

    assert "0.001" in [label["text"] for label in boxes["labels"]]
    assert_title_clear_of_labels(boxes, "converged run")
    chapter_page.locator(f"{DESCENT} .nd-descent__loss").screenshot(path=str(artifacts_dir / "loss-panel-converged.png"))


def test_widest_tick_labels_clear_title(chapter_page: Page):
    wait_until_ready(chapter_page, DESCENT)
    selectors = chapter_page.evaluate(DRAW_LOSS_PANELS, LOSS_RUNS)

    for losses, selector in zip(LOSS_RUNS, selectors):
        assert_title_clear_of_labels(chapter_page.evaluate(Y_AXIS_BOXES, selector), losses)


def test_subnormal_power_of_ten_reads_as_power(chapter_page: Page):
    """1e-321 is stored as 9.98e-322, and its tick label still reads 1e-321."""
    wait_until_ready(chapter_page, DESCENT)
    [selector] = chapter_page.evaluate(DRAW_LOSS_PANELS, [[1, 1e-320]])
    labels = [label["text"] for label in chapter_page.evaluate(Y_AXIS_BOXES, selector)["labels"]]

    assert labels[0] == "1e-321", labels
    assert all(label.startswith("1e") for label in labels[1:]), labels
