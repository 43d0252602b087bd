"""What the chapter shows before Python is ready and without JavaScript, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from conftest import CHAPTER_PATH, watch_page
from widget_helpers import HIDE_HEADER, MAP_DRAWN_TIMEOUT_MS, python_download_held, wait_until_map_drawn

pytestmark = pytest.mark.browser

WIDGET = "#descent-widget"

# Share of the map canvas's pixels that must be painted (opaque) for the map to count as drawn.
PAINTED_SHARE = 0.95


def painted_share(page: Page) -> float:
    """Return the share of the descent widget's map canvas pixels that are opaque."""
    return page.locator(f"{WIDGET} .nd-map__canvas").evaluate(
        """(canvas) => {
            if (canvas.width === 0 || canvas.height === 0) {
                return 0;
            }
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let opaque = 0;
            for (let index = 3; index < data.length; index += 4) {
                opaque += data[index] === 255 ? 1 : 0;
            }
            return opaque / (data.length / 4);
        }"""
    )


def test_precomputed_map_drawn_before_runtime(watched_page, site_server, site_url, artifacts_dir):
    site_server.block("assets/vendor/pyodide/")
    try:
        watched_page.goto(site_url + CHAPTER_PATH)
        wait_until_map_drawn(watched_page)
        sources = watched_page.evaluate(
            "() => performance.getEntriesByName('nd:loss-map-visible').map((entry) => entry.detail)"
        )
        share = painted_share(watched_page)
        stage = watched_page.evaluate("() => NeuronDescent.status.stage")
        ready = watched_page.locator(WIDGET).get_attribute("data-ready")
        watched_page.locator(WIDGET).screenshot(path=str(artifacts_dir / "descent-before-runtime.png"), style=HIDE_HEADER)
    finally:
        site_server.unblock_all()

    assert sources == ["precomputed"]
    assert share > PAINTED_SHARE
    assert stage != "ready"
    assert ready == "false"
    assert watched_page.locator(f"{WIDGET} .nd-map .nd-axis .tick").count() > 4


def test_precomputed_map_replaced_by_live_map(chapter_page):
    # The widget becomes interactive on the precomputed map and then requests the live
    # one from the package.
    chapter_page.wait_for_function(
        f"() => document.querySelector('{WIDGET}')?.dataset.ready === 'true'", timeout=60_000
    )
    chapter_page.wait_for_function(
        "() => performance.getEntriesByName('nd:loss-map-visible').some((entry) => entry.detail === 'live')",
        timeout=MAP_DRAWN_TIMEOUT_MS,
    )
    sources = chapter_page.evaluate(
        "() => performance.getEntriesByName('nd:loss-map-visible').map((entry) => entry.detail)"
    )

    assert sources == ["precomputed", "live"]
    assert painted_share(chapter_page) > PAINTED_SHARE
    assert chapter_page.console_errors == []


def test_page_without_javascript_shows_pictures(browser: Browser, site_url, artifacts_dir):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = watch_page(context.new_page())
        page.goto(site_url + CHAPTER_PATH)
        placeholders = page.locator("[data-widget]")
        count = placeholders.count()

        assert count >= 2
        assert page.locator("article h1").is_visible()
        for index in range(count):
            placeholder = placeholders.nth(index)
            picture = placeholder.locator("img")
            picture.scroll_into_view_if_needed()
            assert picture.is_visible()
            assert picture.evaluate("(image) => image.complete && image.naturalWidth") > 0
            assert "needs JavaScript" in placeholder.inner_text()
        placeholders.first.screenshot(path=str(artifacts_dir / "descent-without-javascript.png"), style=HIDE_HEADER)
        # With JavaScript off, Chromium cancels the pages' module preloads before
        # sending them and reports the reason "csp". Nothing else may fail.
        unexpected = [failure for failure in page.failed_requests if not failure.endswith(".js: csp")]
        assert unexpected == []
    finally:
        context.close()


def _box(page: Page, selector: str) -> dict[str, float]:
    """Return the element's box relative to the descent widget's border box."""
    return page.locator(selector).evaluate(
        """(element) => {
            const widget = element.closest('[data-widget]').getBoundingClientRect();
            const box = element.getBoundingClientRect();
            return {left: box.left - widget.left, top: box.top - widget.top, width: box.width, height: box.height};
        }"""
    )


@pytest.mark.parametrize("width", [1280, 700, 390])
def test_picture_matches_map_position(watched_page, site_server, site_url, artifacts_dir, width):
    """The map's picture, shown before any script runs, the drawn map and the map at ready share one place."""
    watched_page.set_viewport_size({"width": width, "height": 800})
    preview = f"{WIDGET} .nd-widget__preview img"
    site_server.block("javascripts/main.")
    try:
        watched_page.goto(site_url + CHAPTER_PATH)
        watched_page.locator(preview).scroll_into_view_if_needed()
        watched_page.wait_for_function(
            "(selector) => document.querySelector(selector)?.complete", arg=preview, timeout=MAP_DRAWN_TIMEOUT_MS
        )
        picture_box = _box(watched_page, preview)
        caption_visible = watched_page.locator(f"{WIDGET} .nd-widget__preview figcaption").is_visible()
        watched_page.locator(WIDGET).screenshot(path=str(artifacts_dir / f"descent-picture-{width}.png"), style=HIDE_HEADER)
    finally:
        site_server.unblock_all()

    # The same page with its scripts, while Python is still downloading (its requests are
    # held back): the map canvas at the moment the widget has drawn it.
    with python_download_held(watched_page):
        watched_page.goto(site_url + CHAPTER_PATH)
        wait_until_map_drawn(watched_page)
        canvas_box = _box(watched_page, f"{WIDGET} .nd-map__canvas")
        previews_left = watched_page.locator(".nd-widget__preview").count()
        stage = watched_page.evaluate("() => NeuronDescent.status.stage")
    # Once Python is ready, the controls take the loading panel's place and height.
    watched_page.wait_for_function(
        f"() => document.querySelector('{WIDGET}')?.dataset.ready === 'true'", timeout=60_000
    )
    ready_box = _box(watched_page, f"{WIDGET} .nd-map__canvas")

    assert stage == "downloading"

    assert not caption_visible
    assert previews_left == 0
    for side in ("left", "top", "width", "height"):
        assert picture_box[side] == pytest.approx(canvas_box[side], abs=1.5), side
        assert ready_box[side] == pytest.approx(canvas_box[side], abs=1.5), side


# Mean difference, per colour channel on the 0-255 scale, between the map canvas and the
# page's picture drawn at the canvas's size: the scaling of one image, not another map.
PICTURE_DIFFERENCE = 2.0

# The mean absolute difference per colour channel between the map canvas and the picture
# at `src` drawn into a canvas of the same size.
CANVAS_DIFFERENCE_FROM_PICTURE = """async ([selector, src]) => {
    const canvas = document.querySelector(selector);
    const picture = new Image();
    picture.src = src;
    await picture.decode();
    const reference = document.createElement('canvas');
    reference.width = canvas.width;
    reference.height = canvas.height;
    const context = reference.getContext('2d');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(picture, 0, 0, reference.width, reference.height);
    const canvasPixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const picturePixels = context.getImageData(0, 0, reference.width, reference.height).data;
    let total = 0;
    for (let index = 0; index < canvasPixels.length; index += 4) {
        for (let channel = 0; channel < 3; channel += 1) {
            total += Math.abs(canvasPixels[index + channel] - picturePixels[index + channel]);
        }
    }
    return total / ((canvasPixels.length / 4) * 3);
}"""


def _picture_src(built_site) -> str:
    """Return the src of the descent widget's picture in the built chapter page."""
    page = (built_site.path / CHAPTER_PATH / "index.html").read_text(encoding="utf-8")
    widget = page[page.index('id="descent-widget"'):]
    match = re.search(r'<img [^>]*src="([^"]+)"', widget)
    assert match is not None
    return match.group(1)


def test_map_shows_picture_until_live_contours(watched_page, site_url, built_site):
    # Before Python is ready the map shows the page's build-time picture and computes no
    # contours of its own; the live map brings them.
    picture_src = _picture_src(built_site)
    with python_download_held(watched_page):
        watched_page.goto(site_url + CHAPTER_PATH)
        wait_until_map_drawn(watched_page)
        watched_page.wait_for_timeout(500)
        contours_before = watched_page.locator(f"{WIDGET} .nd-map__contour").count()
        difference = watched_page.evaluate(CANVAS_DIFFERENCE_FROM_PICTURE, [f"{WIDGET} .nd-map__canvas", picture_src])
    watched_page.wait_for_function(
        "() => performance.getEntriesByName('nd:loss-map-visible').some((entry) => entry.detail === 'live')",
        timeout=60_000,
    )
    watched_page.wait_for_function(
        f"() => document.querySelectorAll('{WIDGET} .nd-map__contour').length > 0", timeout=MAP_DRAWN_TIMEOUT_MS
    )
    live_difference = watched_page.evaluate(CANVAS_DIFFERENCE_FROM_PICTURE, [f"{WIDGET} .nd-map__canvas", picture_src])

    assert picture_src.startswith("data:image/png;base64,")
    assert contours_before == 0
    assert difference < PICTURE_DIFFERENCE
    assert live_difference > difference
    assert watched_page.console_errors == []


# Records, when each "nd:loss-map-visible" mark is added, the contour lines on the map.
RECORD_CONTOURS_AT_MARKS = """(() => {
    window.contoursAtMarks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (entry.name === 'nd:loss-map-visible') {
                const lines = document.querySelectorAll('#descent-widget .nd-map__contour').length;
                window.contoursAtMarks.push([entry.detail, lines]);
            }
        }
    }).observe({ type: 'mark' });
})();"""


def test_live_mark_waits_for_live_contours(watched_page, site_url):
    watched_page.add_init_script(RECORD_CONTOURS_AT_MARKS)
    watched_page.goto(site_url + CHAPTER_PATH)
    watched_page.wait_for_function(
        "() => window.contoursAtMarks.some(([source]) => source === 'live')", timeout=60_000
    )

    marks = dict(watched_page.evaluate("window.contoursAtMarks"))

    assert marks["precomputed"] == 0
    assert marks["live"] > 0


def test_map_follows_width_before_ready(watched_page, site_url, artifacts_dir):
    watched_page.set_viewport_size({"width": 1280, "height": 800})
    with python_download_held(watched_page):
        watched_page.goto(site_url + CHAPTER_PATH)
        wait_until_map_drawn(watched_page)
        wide = _box(watched_page, f"{WIDGET} .nd-map__canvas")
        watched_page.set_viewport_size({"width": 390, "height": 800})
        watched_page.wait_for_timeout(500)
        narrow = _box(watched_page, f"{WIDGET} .nd-map__canvas")
        widget_width = watched_page.locator(WIDGET).evaluate("(element) => element.clientWidth")
        watched_page.locator(WIDGET).screenshot(path=str(artifacts_dir / "descent-resized-before-ready.png"), style=HIDE_HEADER)

    assert narrow["width"] < wide["width"]
    assert narrow["left"] + narrow["width"] <= widget_width
