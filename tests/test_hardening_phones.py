"""Both widgets on a phone: a 375 × 700 touch screen at device scale factor 2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from conftest import watch_page
from widget_helpers import (
    DESCENT,
    SWEEP,
    descent_state,
    open_chapter,
    save_widget,
    sweep_result,
    wait_until_idle,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 700}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SCROLL_DISTANCE_PX = 300

# Elements inside the widgets that reach past the left or right edge of the viewport.
OVERFLOWING_ELEMENTS = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('[data-widget] *')]
        .filter((element) => element.getClientRects().length > 0)
        .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5);
        })
        .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute('class')}`);
}"""


@pytest.fixture
def phone_page(browser: Browser, site_url: str) -> Iterator[Page]:
    """The chapter on a phone-sized touch screen, with both widgets ready."""
    context = browser.new_context(**PHONE)
    try:
        page = watch_page(context.new_page())
        open_chapter(page, site_url)
        wait_until_ready(page)
        yield page
    finally:
        context.close()


def box_of(page: Page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def swipe_up(page: Page, x: float, y: float) -> None:
    """Drag one finger up by SCROLL_DISTANCE_PX from (x, y), in CSS px of the viewport.

    The touch events go through Chromium's input pipeline, so the page scrolls as it
    would under a finger unless the element under it sets touch-action to stop that.
    """
    session = page.context.new_cdp_session(page)
    moves = 15
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for move in range(1, moves + 1):
        point = {"x": x, "y": y - SCROLL_DISTANCE_PX * move / moves}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()
    page.wait_for_timeout(500)


def test_phone_panels_stack_and_fit(phone_page, artifacts_dir):
    page = phone_page
    page.locator(SWEEP).get_by_role("button", name="Run sweep").tap()
    wait_until_idle(page, SWEEP)
    map_box = box_of(page, f"{DESCENT} .nd-map")
    fit_box = box_of(page, f"{DESCENT} .nd-descent__fit")
    loss_box = box_of(page, f"{DESCENT} .nd-descent__loss")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert page.evaluate(OVERFLOWING_ELEMENTS) == []
    assert fit_box["y"] >= map_box["y"] + map_box["height"]
    assert loss_box["y"] >= fit_box["y"] + fit_box["height"]
    assert sweep_result(page) is not None
    save_widget(page, DESCENT, artifacts_dir / "phone-descent.png")
    save_widget(page, SWEEP, artifacts_dir / "phone-sweep.png")
    assert page.console_errors == []


def test_phone_map_takes_most_of_width(phone_page):
    """On a phone the colour bar lies under the map instead of taking width beside it."""
    page = phone_page
    # The colour bar is drawn again whenever the map is (as when the live map replaces the
    # precomputed one after ready), so both boxes are read in one call, once a bar exists.
    canvas_box, bar_box = page.wait_for_function(
        """(widget) => {
            const bar = document.querySelector(`${widget} .nd-map__svg rect[fill^='url(']`);
            const canvas = document.querySelector(`${widget} .nd-map__canvas`);
            if (!bar || !canvas) {
                return null;
            }
            const box = (element) => {
                const rect = element.getBoundingClientRect();
                return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
            };
            return [box(canvas), box(bar)];
        }""",
        arg=DESCENT,
    ).json_value()
    buttons = page.locator(f"{DESCENT} .nd-descent__buttons .md-button")
    tops = {round(buttons.nth(index).bounding_box()["y"]) for index in range(buttons.count())}

    # With the colour bar beside it, the map was about 190 px wide here.
    assert canvas_box["width"] >= 240
    assert bar_box["y"] > canvas_box["y"] + canvas_box["height"]
    assert bar_box["width"] == pytest.approx(canvas_box["width"], abs=1)
    assert len(tops) == 1


def test_canvas_has_two_pixels_per_css_pixel(phone_page):
    sizes = phone_page.locator(f"{DESCENT} .nd-map__canvas").evaluate(
        "(canvas) => [canvas.width, canvas.height, canvas.getBoundingClientRect().width,"
        " canvas.getBoundingClientRect().height]"
    )
    assert sizes[0] == round(2 * sizes[2])
    assert sizes[1] == round(2 * sizes[3])


@pytest.mark.parametrize(("fraction_x", "fraction_y"), [(0.3, 0.7), (0.85, 0.15)])
def test_tap_sets_start_point(phone_page, fraction_x, fraction_y):
    page = phone_page
    canvas = page.locator(f"{DESCENT} .nd-map__canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.touchscreen.tap(box["x"] + fraction_x * box["width"], box["y"] + fraction_y * box["height"])
    wait_until_idle(page, DESCENT)
    state = descent_state(page)
    view, n = state["viewBox"], state["gridSize"]
    tapped_w = view["w_min"] + fraction_x * (view["w_max"] - view["w_min"])
    tapped_b = view["b_max"] - fraction_y * (view["b_max"] - view["b_min"])

    # The tap lands within one grid cell of the point under the finger.
    assert abs(state["start"][0] - tapped_w) <= (view["w_max"] - view["w_min"]) / (n - 1)
    assert abs(state["start"][1] - tapped_b) <= (view["b_max"] - view["b_min"]) / (n - 1)
    assert state["run"]["k"] == 0


def test_swipe_scrolls_page_inside_and_outside_map(phone_page):
    page = phone_page
    page.evaluate("() => window.scrollTo(0, 0)")
    heading = box_of(page, "article h1")
    swipe_up(page, 187, heading["y"] + heading["height"] + 40)
    outside = page.evaluate("() => window.scrollY")
    assert outside >= SCROLL_DISTANCE_PX / 2

    canvas = page.locator(f"{DESCENT} .nd-map__canvas")
    canvas.scroll_into_view_if_needed()
    before = page.evaluate("() => window.scrollY")
    box = canvas.bounding_box()
    swipe_up(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.evaluate("() => window.scrollY") >= before + SCROLL_DISTANCE_PX / 2

    touch_actions = page.evaluate(
        f"""() => [document.documentElement, document.body, document.querySelector('article'),
            document.querySelector('{DESCENT}')].map((element) => getComputedStyle(element).touchAction)"""
    )
    assert touch_actions == ["auto", "auto", "auto", "auto"]
    assert page.locator(f"{DESCENT} .nd-map").evaluate("(map) => getComputedStyle(map).touchAction") == "manipulation"
