"""Every numeric input of both widgets rejects bad text inline, and nothing invalid reaches Python.

Each test records the requests sent through window.NeuronDescent.call and types every
bad text into one field. It checks that the field's one-sentence message names the
value that stays and the accepted range, that the last valid value stays in force and
that no request carries the bad text. The sweep sends no request at all while a field
contains invalid text.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import Page

from widget_helpers import (
    DESCENT,
    RECORD_CALLS,
    SWEEP,
    descent_state,
    field_message,
    open_chapter,
    press,
    recorded_calls,
    sweep_result,
    text_field,
    wait_until_idle,
    wait_until_ready,
    widget_position,
)

pytestmark = pytest.mark.browser

# Text that no numeric field accepts, whatever its range.
NEVER_VALID = [
    "",
    "   ",
    "abc",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "0,5",
    "0x10",
    "1/2",
    "2 3",
    "1e",
    "--1",
]

LEARNING_RATE_RANGE = "a number greater than 0 and at most 100"
MOMENTUM_RANGE = "a number at least 0 and less than 1"
COUNT_RANGE = "a whole number from 2 to 12"
STEPS_RANGE = "a whole number from 1 to 1000"

# (widget, field label, bad texts beyond NEVER_VALID, the value's name and accepted range in messages)
FIELDS = [
    (DESCENT, "Learning rate η", ["-1", "0", "-0", "0.0", "1e-400", "100.5", "500"],
     "the learning rate η", LEARNING_RATE_RANGE),
    (DESCENT, "Momentum μ", ["-0.1", "1", "1.0", "1.5", "0.99999999999999999", "1e-400", "0,9"],
     "the momentum μ", MOMENTUM_RANGE),
    (SWEEP, "Lowest η", ["-1", "0", "1e-400", "101"], "the lowest η", LEARNING_RATE_RANGE),
    (SWEEP, "Highest η", ["-1", "0", "1e-400", "1000"], "the highest η", LEARNING_RATE_RANGE),
    (SWEEP, "Number of rates", ["-3", "0", "1", "13", "2.5", "1e-400", "3,0"], "the number of rates", COUNT_RANGE),
    (SWEEP, "Steps per run", ["-5", "0", "1001", "10.5", "1e-400", "5,0"], "the number of steps per run",
     STEPS_RANGE),
]


def fields_of(widget: str) -> list[tuple]:
    """Return (label, bad texts, name, range in words) for each field of widget in FIELDS."""
    return [(label, bad, name, words) for owner, label, bad, name, words in FIELDS if owner == widget]


def check_message(message: str, name: str, kept: str, range_text: str) -> None:
    """Assert that message is one sentence naming the value that stays and the accepted range."""
    assert f", so {name} stays {kept} until you enter {range_text}" in message, message
    assert message.endswith("."), message
    assert ". " not in message, f"more than one sentence: {message!r}"


def check_request_is_valid(call: dict) -> None:
    """Assert that a recorded request carries only values the package accepts."""
    request = call["request"]
    for key in ("learning_rate", "lr_min", "lr_max"):
        if key in request:
            value = request[key]
            assert isinstance(value, (int, float)), call
            assert math.isfinite(value), call
            assert 0 < value <= 100, call
    if "momentum" in request:
        assert 0 <= request["momentum"] < 1, call
    if "count" in request:
        assert isinstance(request["count"], int), call
        assert 2 <= request["count"] <= 12, call
    if call["name"] != "step_run" and "steps" in request:
        assert isinstance(request["steps"], int), call
        assert 1 <= request["steps"] <= 1000, call


@pytest.fixture
def recorded_page(watched_page: Page, site_url: str) -> Page:
    """The chapter with both widgets ready, recording every call to the Python runtime."""
    open_chapter(watched_page, site_url, RECORD_CALLS)
    wait_until_ready(watched_page)
    return watched_page


def enter_descent_text(page: Page, label: str, text: str) -> None:
    field = text_field(page, DESCENT, label)
    field.fill(text)
    field.press("Enter")
    wait_until_idle(page, DESCENT)


def sweep_form_message(page: Page) -> str:
    return page.locator(f"{SWEEP} .nd-sweep__form-message").text_content()


def enter_sweep_text(page: Page, label: str, text: str) -> None:
    text_field(page, SWEEP, label).fill(text)
    page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(page, SWEEP)


@pytest.mark.parametrize(("label", "extra_bad", "name", "range_text"), fields_of(DESCENT))
def test_descent_field_rejects_bad_numbers(recorded_page, label, extra_bad, name, range_text):
    page = recorded_page
    press(page, DESCENT, "Step (1)")
    before = descent_state(page)
    kept = text_field(page, DESCENT, label).input_value()
    calls_before = len(recorded_calls(page))

    for text in NEVER_VALID + extra_bad:
        enter_descent_text(page, label, text)
        after = descent_state(page)
        check_message(field_message(page, DESCENT, label), name, kept, range_text)
        assert text_field(page, DESCENT, label).get_attribute("aria-invalid") == "true", text
        assert after["learningRate"] == before["learningRate"], text
        assert after["momentum"] == before["momentum"], text
        assert recorded_calls(page)[calls_before:] == [], f"{text!r} sent a request to Python"

    # The value in force before the bad text still drives the next step.
    press(page, DESCENT, "Step (1)")
    stepped = descent_state(page)
    assert stepped["run"]["k"] == 2
    assert stepped["run"]["learning_rate"] == before["learningRate"]
    assert stepped["run"]["momentum"] == before["momentum"]
    for call in recorded_calls(page):
        check_request_is_valid(call)
    assert page.console_errors == []


def test_bad_text_rejected_on_leaving_field(recorded_page):
    page = recorded_page
    calls_before = len(recorded_calls(page))
    field = text_field(page, DESCENT, "Learning rate η")
    field.fill("1e999")
    field.press("Tab")
    wait_until_idle(page, DESCENT)

    check_message(field_message(page, DESCENT, "Learning rate η"), "the learning rate η", "0.1", LEARNING_RATE_RANGE)
    assert recorded_calls(page)[calls_before:] == []


def test_valid_text_clears_message_and_applies(recorded_page):
    page = recorded_page
    enter_descent_text(page, "Momentum μ", "1")
    enter_descent_text(page, "Momentum μ", "0.5")

    assert field_message(page, DESCENT, "Momentum μ") == ""
    assert text_field(page, DESCENT, "Momentum μ").get_attribute("aria-invalid") == "false"
    assert descent_state(page)["run"]["momentum"] == 0.5
    assert recorded_calls(page)[-1]["name"] == "set_hyperparameters"
    assert recorded_calls(page)[-1]["request"]["momentum"] == 0.5


def _top_and_bottom(page: Page, selector: str) -> tuple[float, float]:
    """Return the element's top and bottom relative to its widget's top (see widget_position)."""
    element = page.locator(selector)
    top = widget_position(element)[1]
    return top, top + element.bounding_box()["height"]


@pytest.mark.parametrize("width", [1280, 390])
def test_message_box_keeps_map_usable(recorded_page, width):
    """The descent map sits right under the controls, and a message moves neither it nor a button."""
    page = recorded_page
    page.set_viewport_size({"width": width, "height": 844})
    step_button = f"{DESCENT} [data-action=step-1]"
    run_button = f"{SWEEP} .nd-sweep__run"
    controls_bottom = max(
        _top_and_bottom(page, f"{DESCENT} .nd-controls > :not(.nd-controls__messages) >> nth={index}")[1]
        for index in range(page.locator(f"{DESCENT} .nd-controls > :not(.nd-controls__messages)").count())
    )
    map_top, _ = _top_and_bottom(page, f"{DESCENT} .nd-descent__map")
    step_before = _top_and_bottom(page, step_button)
    run_before = _top_and_bottom(page, run_button)
    font_size = page.locator(f"{DESCENT} .nd-controls").evaluate("(element) => parseFloat(getComputedStyle(element).fontSize)")
    # Only the controls' bottom margin lies between them: no empty area is kept for messages.
    assert map_top - controls_bottom < 1.5 * font_size

    for widget, label in ((DESCENT, "Learning rate η"), (DESCENT, "Momentum μ"), (SWEEP, "Lowest η")):
        field = text_field(page, widget, label)
        field.fill("0,2")
        field.press("Tab")
        wait_until_idle(page, widget)
    descent_messages = page.locator(f"{DESCENT} .nd-controls__messages")
    sweep_messages = page.locator(f"{SWEEP} .nd-controls__messages")

    assert descent_messages.is_visible()
    assert sweep_messages.is_visible()
    assert descent_messages.inner_text().count("0,2") == 2
    assert "0,2" in sweep_messages.inner_text()
    # Each box is as tall as its text, so no message is cut off.
    for messages in (descent_messages, sweep_messages):
        assert messages.evaluate("(element) => element.scrollHeight <= element.clientHeight + 1")
    assert _top_and_bottom(page, step_button) == pytest.approx(step_before, abs=0.5)
    assert _top_and_bottom(page, run_button) == pytest.approx(run_before, abs=0.5)
    assert _top_and_bottom(page, f"{DESCENT} .nd-descent__map")[0] == pytest.approx(map_top, abs=0.5)
    # The descent widget's box lies over the map, above the Step buttons.
    _, box_bottom = _top_and_bottom(page, f"{DESCENT} .nd-controls__messages")
    assert box_bottom < step_before[0]

    # A click on the box reaches the map below it and moves the start point.
    start_before = descent_state(page)["start"]
    descent_messages.scroll_into_view_if_needed()
    box = descent_messages.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] - 4)
    wait_until_idle(page, DESCENT)
    assert descent_state(page)["start"] != start_before

    # It hides while the map has keyboard focus, so the start point stays in view.
    page.locator(f"{DESCENT} .nd-map").focus()
    assert not descent_messages.is_visible()
    page.keyboard.press("Shift+Tab")
    assert descent_messages.is_visible()

    # It hides while a Step button has focus, so the whole map shows while stepping.
    page.locator(step_button).click()
    wait_until_idle(page, DESCENT)
    assert not descent_messages.is_visible()
    text_field(page, DESCENT, "Learning rate η").focus()
    assert descent_messages.is_visible()


@pytest.mark.parametrize(("label", "extra_bad", "name", "range_text"), fields_of(SWEEP))
def test_sweep_field_rejects_bad_numbers(recorded_page, label, extra_bad, name, range_text):
    page = recorded_page
    press(page, SWEEP, "Run sweep")
    before = sweep_result(page)
    valid_text = text_field(page, SWEEP, label).input_value()
    sent_before = {key: value for key, value in before["request"].items() if key != "startSource"}

    for text in NEVER_VALID + extra_bad:
        calls_before = len(recorded_calls(page))
        enter_sweep_text(page, label, text)
        check_message(field_message(page, SWEEP, label), name, valid_text, range_text)
        assert text_field(page, SWEEP, label).get_attribute("aria-invalid") == "true", text
        assert sweep_form_message(page) == f"No sweep runs until you correct {name}.", text
        assert recorded_calls(page)[calls_before:] == [], f"{text!r} sent a request to Python"
        assert sweep_result(page) == before, text

    # Typing the last valid value back runs the same sweep again.
    calls_before = len(recorded_calls(page))
    enter_sweep_text(page, label, valid_text)
    assert field_message(page, SWEEP, label) == ""
    assert sweep_form_message(page) == ""
    new_calls = recorded_calls(page)[calls_before:]
    assert [call["name"] for call in new_calls] == ["sweep"]
    assert new_calls[0]["request"] == sent_before
    assert sweep_result(page)["request"] == before["request"]
    for call in recorded_calls(page):
        check_request_is_valid(call)
    assert page.console_errors == []


# Settings passed to ndDescent.configure, as the try-this buttons and the sweep do.
BAD_CONFIGURE_REQUESTS = [
    "{learningRate: NaN}",
    "{learningRate: Infinity}",
    "{learningRate: -1}",
    "{learningRate: 0}",
    "{learningRate: null}",
    "{learningRate: '0.5'}",
    "{momentum: 1}",
    "{momentum: -0.5}",
    "{momentum: NaN}",
]


def test_configure_rejects_bad_numbers(recorded_page):
    page = recorded_page
    before = descent_state(page)
    calls_before = len(recorded_calls(page))

    for request_json in BAD_CONFIGURE_REQUESTS:
        outcome = page.evaluate(
            f"() => document.querySelector('{DESCENT}').ndDescent.configure({request_json})"
            ".then(() => 'resolved', (error) => error.message)"
        )
        wait_until_idle(page, DESCENT)
        assert outcome != "resolved", request_json
        assert "must be a number" in outcome, request_json
        assert page.locator(f"{DESCENT} .nd-widget__error").text_content() == outcome, request_json
        assert descent_state(page) == before, request_json
        assert recorded_calls(page)[calls_before:] == [], request_json
