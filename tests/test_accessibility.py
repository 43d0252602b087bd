"""Keyboard use, screen-reader announcements, colour contrast in both palettes, and axe-core scans.

Contrast follows WCAG 2.2: text needs 4.5:1 against what lies behind it (success
criterion 1.4.3) and axis lines 3:1 (1.4.11). Colours with an alpha channel, such as
Material's text colours, are composited over the page's background first.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Page

from conftest import AXE_SCRIPT
from widget_helpers import (
    DESCENT,
    SWEEP,
    descent_state,
    open_chapter,
    press,
    save_widget,
    sweep_result,
    wait_until_idle,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

TEXT_CONTRAST = 4.5
GRAPHICS_CONTRAST = 3.0
# Material's toggle that switches to each palette: the label for that palette's radio input.
PALETTE_TOGGLES = {"default": "label[for='__palette_0']", "slate": "label[for='__palette_1']"}

# For every SVG text, axis line and sweep curve in the widget at `selector`, the drawn colour, the
# colour behind it and their contrast ratio (WCAG 2.2 relative luminance), with the
# drawn colour composited over the background when it is translucent.
SVG_CONTRASTS = """(selector) => {
    const parse = (text) => {
        const numbers = text.match(/[\\d.]+/g).map(Number);
        return [numbers[0], numbers[1], numbers[2], numbers.length > 3 ? numbers[3] : 1];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const backgroundOf = (element) => {
        const layers = [];
        for (let node = element.closest('div, p, section, article, body'); node; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour[3] > 0) {
                layers.push(colour);
            }
        }
        return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const luminance = (rgb) => {
        const linear = rgb.slice(0, 3).map((value) => {
            const c = value / 255;
            return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    };
    const ratio = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
    const marks = [];
    const widget = document.querySelector(selector);
    for (const element of widget.querySelectorAll('svg text, svg .domain, svg .tick line, svg .nd-sweep__curve')) {
        const isText = element.tagName === 'text';
        if (isText && !element.textContent.trim()) {
            continue;
        }
        const style = getComputedStyle(element);
        const background = backgroundOf(element);
        const colour = over(parse(isText ? style.fill : style.stroke), background);
        marks.push({
            kind: isText ? 'text' : 'line',
            label: isText ? element.textContent : element.getAttribute('class'),
            colour: isText ? style.fill : style.stroke,
            background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
            ratio: ratio(colour, background),
        });
    }
    return marks;
}"""

# For each focusable element in the widget, in document order, a short description.
FOCUSABLE_CONTROLS = """(selector) => [...document.querySelector(selector).querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]')]
    .filter((element) => element.tabIndex >= 0 && !element.disabled && element.getClientRects().length > 0)
    .map((element, index) => {
        element.dataset.focusProbe = String(index);
        return `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent.trim()}`;
    })"""

# The element before the widget's first control in the document's Tab order.
FOCUS_BEFORE = """(selector) => {
    const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
        .filter((element) => element.tabIndex >= 0 && !element.disabled && element.getClientRects().length > 0);
    const first = focusable.findIndex((element) => document.querySelector(selector).contains(element));
    focusable[first - 1].focus();
}"""


def switch_palette(page: Page, scheme: str) -> None:
    """Click Material's palette toggle until the page shows scheme ("default" or "slate").

    Waits for the page's ready widgets, if any, to finish redrawing.
    """
    if page.evaluate("() => document.body.dataset.mdColorScheme") != scheme:
        page.locator(PALETTE_TOGGLES[scheme]).first.click()
        page.wait_for_function("(scheme) => document.body.dataset.mdColorScheme === scheme", arg=scheme)
    for selector in (DESCENT, SWEEP):
        if page.locator(f"{selector}[data-ready='true']").count():
            wait_until_idle(page, selector)


@pytest.fixture
def ready_chapter(chapter_page: Page) -> Page:
    """The chapter with both widgets ready, one step taken and one sweep drawn."""
    wait_until_ready(chapter_page)
    press(chapter_page, DESCENT, "Step (1)")
    press(chapter_page, SWEEP, "Run sweep")
    return chapter_page


def test_palette_switch_redraws_widgets_readably(ready_chapter, artifacts_dir):
    page = ready_chapter
    colours = {}
    for scheme in ("default", "slate", "default"):
        switch_palette(page, scheme)
        for selector in (DESCENT, SWEEP):
            marks = page.evaluate(SVG_CONTRASTS, selector)
            texts = [mark for mark in marks if mark["kind"] == "text"]
            lines = [mark for mark in marks if mark["kind"] == "line"]
            assert len(texts) > 10, selector
            assert lines, selector
            assert [mark for mark in texts if mark["ratio"] < TEXT_CONTRAST] == [], (scheme, selector)
            assert [mark for mark in lines if mark["ratio"] < GRAPHICS_CONTRAST] == [], (scheme, selector)
            colours.setdefault(scheme, {})[selector] = {mark["colour"] for mark in texts}
        if scheme == "slate":
            save_widget(page, DESCENT, artifacts_dir / "accessibility-dark-descent.png")
            save_widget(page, SWEEP, artifacts_dir / "accessibility-dark-sweep.png")

    for selector in (DESCENT, SWEEP):
        assert colours["default"][selector].isdisjoint(colours["slate"][selector]), selector
    assert page.console_errors == []


def test_tab_reaches_every_control(ready_chapter):
    page = ready_chapter
    for selector in (DESCENT, SWEEP):
        controls = page.evaluate(FOCUSABLE_CONTROLS, selector)
        assert len(controls) >= 8, controls
        page.evaluate(FOCUS_BEFORE, selector)

        reached = []
        for _ in range(len(controls) + 5):
            page.keyboard.press("Tab")
            probe = page.evaluate("() => document.activeElement.dataset.focusProbe ?? null")
            if probe is None and reached:
                break
            if probe is not None:
                reached.append(int(probe))
        assert reached == list(range(len(controls))), [controls[index] for index in reached]


def test_focused_map_moves_start_with_arrows(ready_chapter):
    page = ready_chapter
    page.locator(f"{DESCENT} .nd-map").focus()
    before = descent_state(page)
    view, n = before["viewBox"], before["gridSize"]
    cell_w = (view["w_max"] - view["w_min"]) / (n - 1)
    cell_b = (view["b_max"] - view["b_min"]) / (n - 1)

    page.keyboard.press("ArrowLeft")
    wait_until_idle(page, DESCENT)
    page.keyboard.press("Shift+ArrowUp")
    wait_until_idle(page, DESCENT)
    moved = descent_state(page)
    assert moved["start"][0] == pytest.approx(before["start"][0] - cell_w, abs=1e-12)
    assert moved["start"][1] == pytest.approx(min(before["start"][1] + 10 * cell_b, view["b_max"]), abs=1e-12)
    assert moved["run"]["k"] == 0

    for _ in range(30):
        page.keyboard.press("Shift+ArrowRight")
    wait_until_idle(page, DESCENT)
    assert descent_state(page)["start"][0] == pytest.approx(view["w_max"], abs=1e-12)


def test_buttons_work_with_enter_and_space(ready_chapter):
    page = ready_chapter
    descent = page.locator(DESCENT)
    press(page, DESCENT, "Reset")

    for button, key, steps in [("Step (1)", "Enter", 1), ("Step (1)", " ", 2), ("Step (50)", "Enter", 52),
                               ("Reset", " ", 0)]:
        descent.get_by_role("button", name=button, exact=True).press(key)
        wait_until_idle(page, DESCENT)
        assert descent_state(page)["run"]["k"] == steps, (button, key)

    contours = descent.get_by_role("checkbox", name="Contour lines")
    contours.press(" ")
    assert not contours.is_checked()
    assert page.locator(f"{DESCENT} .nd-map__contour").count() == 0

    sweep = page.locator(SWEEP)
    sweep.get_by_role("textbox", name="Number of rates", exact=True).fill("4")
    sweep.get_by_role("button", name="Run sweep").press("Enter")
    wait_until_idle(page, SWEEP)
    result = sweep_result(page)["result"]
    assert len(result["runs"]) == 4
    page.locator(f'{SWEEP} .nd-legend__entry[data-index="2"]').press(" ")
    wait_until_idle(page, DESCENT)
    assert descent_state(page)["learningRate"] == result["learning_rates"][2]


def test_step_loss_and_status_are_announced(ready_chapter):
    page = ready_chapter
    for readout in ("step", "loss", "status"):
        region = page.locator(f"{DESCENT} [data-readout='{readout}']").evaluate(
            "(element) => { const region = element.closest('[aria-live]');"
            " return region && [region.getAttribute('aria-live'), region.closest('[aria-hidden=\"true\"]') === null]; }"
        )
        assert region == ["polite", True], readout

    live_text = page.locator(f"{DESCENT} [aria-live]").filter(has=page.locator("[data-readout='step']"))
    press(page, DESCENT, "Step (1)")
    state = descent_state(page)
    text = live_text.text_content()
    assert str(state["run"]["k"]) in text
    assert state["run"]["status"]["message"] in text

    rule = page.locator(f"{SWEEP} .nd-sweep__rule")
    assert rule.evaluate("(element) => element.closest('[aria-live]')?.getAttribute('aria-live')") == "polite"


def page_urls(base_url: str) -> list[str]:
    with urllib.request.urlopen(base_url + "sitemap.xml") as response:
        sitemap = response.read().decode()
    return [*re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap), base_url + "404.html"]


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on page and return its serious and critical violations, one line each."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_serious_violations(watched_page, site_url, scheme):
    page = watched_page
    for url in page_urls(site_url):
        page.goto(url)
        if page.locator("[data-widget]").count():
            wait_until_ready(page)
            press(page, DESCENT, "Step (1)")
            press(page, SWEEP, "Run sweep")
            # An invalid entry shows the field's error message, which is scanned too.
            momentum = page.locator(DESCENT).get_by_role("textbox", name="Momentum μ", exact=True)
            momentum.fill("2")
            momentum.press("Enter")
        switch_palette(page, scheme)

        assert serious_violations(page) == [], url


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_passes_runtime_failure_panel(watched_page, site_server, site_url, scheme):
    page = watched_page
    site_server.block("assets/vendor/pyodide/")
    try:
        open_chapter(page, site_url)
        page.locator(f"{SWEEP} .nd-loading--failed").wait_for(timeout=60_000)
    finally:
        site_server.unblock_all()
    switch_palette(page, scheme)

    assert serious_violations(page) == []


def test_chapter_opens_in_dark_palette_readably(watched_page, site_url, artifacts_dir):
    page = open_chapter(watched_page, site_url)
    switch_palette(page, "slate")
    wait_until_ready(page)
    press(page, SWEEP, "Run sweep")
    for selector in (DESCENT, SWEEP):
        texts = [mark for mark in page.evaluate(SVG_CONTRASTS, selector) if mark["kind"] == "text"]
        assert [mark for mark in texts if mark["ratio"] < TEXT_CONTRAST] == [], selector
