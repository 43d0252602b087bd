"""The learning-rate sweep widget in Chromium, checked against the same sweep under CPython."""

from __future__ import annotations

import json
import math

import pytest
from playwright.sync_api import Page

from neuron_descent import web_api
from widget_helpers import RECORD_CALLS, open_chapter, recorded_calls, widget_position, wrap_runtime_call

pytestmark = pytest.mark.browser

READY_TIMEOUT_MS = 60_000
# Material's fixed header would cover the top of a widget in its screenshots.
HIDE_HEADER = ".md-header { visibility: hidden; }"
SWEEP = "#sweep-widget"
DESCENT = "#descent-widget"


def call_package(name: str, request: dict) -> dict:
    """Call a web_api function under CPython, as the page does under Pyodide."""
    result = json.loads(getattr(web_api, name)(json.dumps(request)))
    assert result["ok"], result.get("error")
    return result


def wait_until_idle(page: Page, selector: str) -> None:
    page.wait_for_function(
        f"() => document.querySelector('{selector}')?.dataset.ready === 'true'", timeout=READY_TIMEOUT_MS
    )
    page.wait_for_function(f"() => document.querySelector('{selector}').dataset.busy === 'false'")


def run_sweep(page: Page) -> dict:
    """Press Run sweep and return the widget's last request and result."""
    wait_until_idle(page, SWEEP)
    wait_until_idle(page, DESCENT)
    page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(page, SWEEP)
    return last_sweep(page)


def last_sweep(page: Page) -> dict:
    return page.evaluate(f"() => document.querySelector('{SWEEP}').ndSweep.result()")


def descent_state(page: Page) -> dict:
    return page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.state()")


def cpython_sweep(request: dict) -> dict:
    return call_package("sweep", request)


@pytest.fixture
def save_widget(artifacts_dir, request):
    """A function (page, label) that saves the sweep widget as test-artifacts/<test>-<label>.png."""

    def save(page: Page, label: str) -> None:
        page.locator(SWEEP).screenshot(path=str(artifacts_dir / f"{request.node.name}-{label}.png"), style=HIDE_HEADER)

    return save


def test_sweep_draws_six_curves(chapter_page, save_widget):
    sweep = run_sweep(chapter_page)
    request, result = sweep["request"], sweep["result"]
    expected = cpython_sweep({key: value for key, value in request.items() if key != "startSource"})
    widget = chapter_page.locator(SWEEP)

    assert len(result["runs"]) == 6
    assert widget.locator(".nd-sweep__curve").count() == 6
    assert widget.locator(".nd-legend__entry").count() == 6
    assert result["learning_rates"] == pytest.approx(expected["learning_rates"], rel=1e-12)
    assert result["pick"] == expected["pick"]
    assert [run["status"]["code"] for run in result["runs"]] == [run["status"]["code"] for run in expected["runs"]]
    assert widget.locator(".nd-legend__entry").first.text_content().startswith("η = ")
    assert chapter_page.console_errors == []
    save_widget(chapter_page, "six-curves")


def test_sweep_highlights_pick_and_states_rule(chapter_page):
    result = run_sweep(chapter_page)["result"]
    pick = result["pick"]
    widget = chapter_page.locator(SWEEP)

    assert pick is not None
    assert widget.locator(".nd-sweep__curve-group--pick").count() == 1
    assert widget.locator(".nd-sweep__curve-group--pick").get_attribute("data-index") == str(pick)
    picked_width = widget.locator(f'.nd-sweep__curve-group[data-index="{pick}"] .nd-sweep__curve').evaluate(
        "(path) => parseFloat(getComputedStyle(path).strokeWidth)"
    )
    other_width = widget.locator(f'.nd-sweep__curve-group[data-index="{(pick + 1) % 6}"] .nd-sweep__curve').evaluate(
        "(path) => parseFloat(getComputedStyle(path).strokeWidth)"
    )
    assert picked_width > other_width
    assert widget.locator(".nd-legend__entry--pick .nd-legend__note").text_content().startswith(" (pick")
    assert result["rule"] in widget.locator(".nd-sweep__rule").text_content()


def test_sweep_marks_diverged_runs(chapter_page):
    result = run_sweep(chapter_page)["result"]
    diverged = [(index, run["status"]["step"]) for index, run in enumerate(result["runs"])
                if run["status"]["code"] == "diverged"]
    markers = chapter_page.locator(f"{SWEEP} .nd-sweep__diverged")

    assert diverged, "the default sweep should include a diverged run"
    assert markers.count() == len(diverged)
    for index, step in diverged:
        marker = chapter_page.locator(f'{SWEEP} .nd-sweep__diverged[data-index="{index}"]')
        assert marker.get_attribute("data-step") == str(step)
        assert f"diverged at step {step}" in chapter_page.locator(
            f'{SWEEP} .nd-legend__entry[data-index="{index}"]').text_content()
    ticks = chapter_page.locator(f"{SWEEP} .nd-axis text").all_text_contents()
    assert not [tick for tick in ticks if "NaN" in tick or "Infinity" in tick]


def test_sweep_names_stalled_runs(chapter_page):
    """On the sloped line a fast rate stalls on a plateau, and its legend entry names the stall."""
    wait_until_idle(chapter_page, SWEEP)
    chapter_page.locator(SWEEP).locator("select").select_option("sloped-line")
    request = run_sweep(chapter_page)["request"]
    expected = cpython_sweep({key: value for key, value in request.items() if key != "startSource"})
    stalled = [(index, run["status"]["step"]) for index, run in enumerate(expected["runs"])
               if run["status"]["code"] == "stalled"]

    assert stalled, "the sloped line's default sweep should include a stalled run"
    for index, step in stalled:
        entry = chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="{index}"]').text_content()
        assert f"stalled at step {step} on a flat plateau" in entry


def test_sweep_marks_runs_below_chart(chapter_page):
    """A run whose loss falls below the chart's floor gets a marker and a note at the first such step."""
    sweep = run_sweep(chapter_page)
    expected = cpython_sweep({key: value for key, value in sweep["request"].items() if key != "startSource"})
    bottom_tick = chapter_page.locator(f"{SWEEP} .nd-axis--y .tick text").first.text_content()
    floor = float(bottom_tick.replace("\u2212", "-"))
    below = {}
    for index, run in enumerate(expected["runs"]):
        steps = [step for step, loss in enumerate(run["losses"]) if loss is not None and loss < floor]
        if steps:
            below[index] = steps[0]
    markers = chapter_page.locator(f"{SWEEP} .nd-sweep__below")

    assert below, "the default sweep should include a run that falls below the chart"
    assert markers.count() == len(below)
    for index, step in below.items():
        assert chapter_page.locator(f'{SWEEP} .nd-sweep__below[data-index="{index}"]').get_attribute("data-step") == str(step)
        entry = chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="{index}"]').text_content()
        assert f"below {bottom_tick} from step {step}" in entry


def test_sweep_places_stability_limit(chapter_page):
    result = run_sweep(chapter_page)["result"]
    limit = result["stability_limit"]
    rates = result["learning_rates"]
    text = chapter_page.locator(f"{SWEEP} .nd-sweep__limit").text_content()

    assert text.startswith("2/λmax = ")
    assert rates[0] < limit < rates[-1]
    assert "lies between" in text
    assert chapter_page.locator(f"{SWEEP} .nd-sweep__limit-line").count() == 1


def test_limit_symbol_has_subscript_max(chapter_page):
    """The sentence and the strip write λmax with a subscript, as the chapter typesets it."""
    run_sweep(chapter_page)
    sentence = chapter_page.locator(f"{SWEEP} .nd-sweep__limit")
    label = chapter_page.locator(f"{SWEEP} .nd-sweep__limit-label")

    assert "_" not in sentence.text_content()
    assert sentence.locator("sub").all_text_contents() == ["max"]
    assert "_" not in label.text_content()
    assert label.text_content() == "2/λmax"
    subscript_top = label.locator("tspan").bounding_box()["y"]
    assert subscript_top > label.bounding_box()["y"], "the strip's max is not set below the line"
    assert "_" not in chapter_page.locator(f"{SWEEP} .nd-sweep__strip-svg").get_attribute("aria-label")


def configure_descent(page: Page, request: str) -> None:
    page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.configure({request})")
    wait_until_idle(page, DESCENT)


def stale_sentence(page: Page) -> str:
    return page.locator(f"{SWEEP} .nd-sweep__stale").text_content()


def is_stale(page: Page) -> bool:
    return "nd-sweep__results--stale" in page.locator(f"{SWEEP} .nd-sweep__results").get_attribute("class")


def test_moved_descent_start_marks_sweep_stale(chapter_page):
    sweep = run_sweep(chapter_page)
    start = sweep["request"]["start"]
    assert sweep["request"]["startSource"] == "from the descent widget"
    assert not is_stale(chapter_page)

    configure_descent(chapter_page, "{start: [1.5, -1.0]}")

    assert is_stale(chapter_page)
    sentence = stale_sentence(chapter_page)
    assert f"for the earlier start θ₀ = ({start[0]:g}, {start[1]:g})" in sentence
    assert "not the new start (1.5, -1)" in sentence
    assert "Run the sweep again to use it." in sentence
    assert "Its curves and legend still load the earlier start." in sentence

    # The legend loads the start point that was swept, which the results then match again.
    chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="{sweep["result"]["pick"]}"]').click()
    wait_until_idle(chapter_page, DESCENT)
    assert descent_state(chapter_page)["start"] == start
    assert not is_stale(chapter_page)
    assert stale_sentence(chapter_page) == ""


def test_new_sweep_clears_moved_start(chapter_page):
    run_sweep(chapter_page)
    configure_descent(chapter_page, "{start: [1.5, -1.0]}")
    assert is_stale(chapter_page)

    sweep = run_sweep(chapter_page)

    assert sweep["request"]["start"] == [1.5, -1.0]
    assert not is_stale(chapter_page)
    assert stale_sentence(chapter_page) == ""


def test_descent_dataset_change_marks_sweep_stale(chapter_page):
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["startSource"] == "from the descent widget"

    configure_descent(chapter_page, "{dataset: 'sloped-line', start: null}")

    assert is_stale(chapter_page)
    assert "on a data set it no longer shows" in stale_sentence(chapter_page)
    assert "Run the sweep again" in stale_sentence(chapter_page)


def test_default_start_sweep_goes_stale_on_same_dataset(chapter_page):
    """A sweep from the default start goes stale once the descent widget shows its data set from another start."""
    wait_until_idle(chapter_page, SWEEP)
    chapter_page.locator(SWEEP).get_by_role("combobox", name="Data set").select_option("sloped-line")
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["startSource"] == "the data set's default start"

    configure_descent(chapter_page, "{start: [1.5, -1.0]}")
    assert not is_stale(chapter_page), "a start point on another data set made the sweep stale"

    configure_descent(chapter_page, "{dataset: 'sloped-line', start: null}")
    assert descent_state(chapter_page)["start"] == sweep["request"]["start"]
    assert not is_stale(chapter_page), "the descent widget's default start made the sweep stale"

    moved = [sweep["request"]["start"][0] + 0.5, sweep["request"]["start"][1]]
    configure_descent(chapter_page, f"{{start: [{moved[0]!r}, {moved[1]!r}]}}")
    assert is_stale(chapter_page)
    assert "Run the sweep again to use it." in stale_sentence(chapter_page)


def test_rejected_sweep_keeps_moved_start_sentence(chapter_page):
    run_sweep(chapter_page)
    configure_descent(chapter_page, "{start: [1.5, -1.0]}")
    text_field(chapter_page, "Lowest η").fill("50")
    chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(chapter_page, SWEEP)
    sentence = stale_sentence(chapter_page)

    assert "for the earlier start" in sentence
    assert "from the last sweep that ran" in sentence


def colour_to_lab(text: str) -> tuple[float, float, float]:
    """Convert a CSS rgb() colour to CIE L*a*b* (D65)."""
    red, green, blue = (int(part) for part in text[text.index("(") + 1:text.index(")")].split(",")[:3])
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
              for value in (red / 255, green / 255, blue / 255)]
    x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def relative_luminance(text: str) -> float:
    """WCAG 2.2 relative luminance of a CSS rgb() colour."""
    channels = [int(part) / 255 for part in text[text.index("(") + 1:text.index(")")].split(",")[:3]]
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Curve colours closer than this CIE76 colour difference must differ in their dash pattern.
# The Okabe–Ito pairs blue and sky blue, orange and vermillion, and orange and yellow are
# 14 to 35 apart in the widget's palettes, and the next closest pair is about 53 apart.
SIMILAR_COLOUR_DELTA_E = 40

# The colour and dash pattern of each curve and of its legend swatch, in the order of the
# swept rates. The chart draws the pick last, so document order is not the rates' order.
CURVE_LOOKS = """(selector) => [...document.querySelectorAll(`${selector} .nd-legend__entry`)].map((_, index) => {
    const path = document.querySelector(`${selector} .nd-sweep__curve-group[data-index="${index}"] .nd-sweep__curve`);
    const swatch = document.querySelector(`${selector} .nd-legend__entry[data-index="${index}"] line`);
    return {
        colour: getComputedStyle(path).stroke,
        dash: path.getAttribute('stroke-dasharray'),
        swatchColour: getComputedStyle(swatch).stroke,
        swatchDash: swatch.getAttribute('stroke-dasharray'),
    };
})"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_similar_curve_colours_differ_in_dash(chapter_page, save_widget, scheme):
    """With twelve rates, curves of similar colour differ in dash, and each swatch matches its curve."""
    if scheme == "slate":
        chapter_page.locator("label[for='__palette_1']").first.click()
        chapter_page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    sweep_with(chapter_page, "12", "0.01", "20")
    looks = chapter_page.evaluate(CURVE_LOOKS, SWEEP)
    background = chapter_page.evaluate("() => getComputedStyle(document.body).backgroundColor")

    assert len(looks) == 12
    for index, look in enumerate(looks):
        assert look["swatchColour"] == look["colour"], index
        assert look["swatchDash"] == look["dash"], index
        lighter, darker = sorted((relative_luminance(look["colour"]), relative_luminance(background)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 3, (index, look["colour"], background)
    for first in range(12):
        for second in range(first + 1, 12):
            a, b = looks[first], looks[second]
            distance = math.dist(colour_to_lab(a["colour"]), colour_to_lab(b["colour"]))
            if distance < SIMILAR_COLOUR_DELTA_E:
                assert a["dash"] != b["dash"], (first, second, a, b)
    save_widget(chapter_page, f"twelve-curves-{scheme}")


def test_sweep_uses_descent_start(chapter_page):
    wait_until_idle(chapter_page, DESCENT)
    chapter_page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.configure({{start: [1.5, -1.0]}})")
    request = run_sweep(chapter_page)["request"]

    assert request["start"] == [1.5, -1.0]
    assert request["startSource"] == "from the descent widget"


def test_curve_click_sets_descent_rate(chapter_page):
    result = run_sweep(chapter_page)["result"]
    index = 1
    chapter_page.locator(f"{SWEEP} .nd-sweep__chart").scroll_into_view_if_needed()
    # Find a point on the curve where it is the topmost mark, since curves overlap and
    # a fast run's line leaves the chart at the bottom.
    point = chapter_page.locator(f'{SWEEP} .nd-sweep__curve-group[data-index="{index}"]').evaluate(
        """(group) => {
            const path = group.querySelector('.nd-sweep__curve');
            const matrix = path.getScreenCTM();
            for (let fraction = 0.02; fraction < 1; fraction += 0.02) {
                const local = path.getPointAtLength(path.getTotalLength() * fraction);
                const x = local.x * matrix.a + local.y * matrix.c + matrix.e;
                const y = local.x * matrix.b + local.y * matrix.d + matrix.f;
                if (group.contains(document.elementFromPoint(x, y))) {
                    return [x, y];
                }
            }
            return null;
        }"""
    )
    assert point is not None, "no point of the curve is free to click"
    chapter_page.mouse.click(point[0], point[1])
    wait_until_idle(chapter_page, DESCENT)
    state = descent_state(chapter_page)

    assert state["learningRate"] == result["learning_rates"][index]
    assert state["run"]["learning_rate"] == result["learning_rates"][index]
    assert state["momentum"] == 0
    field = chapter_page.locator(DESCENT).get_by_role("textbox", name="Learning rate η", exact=True)
    assert float(field.input_value()) == result["learning_rates"][index]
    chapter_page.wait_for_function(
        f"""() => {{
            const box = document.querySelector('{DESCENT}').getBoundingClientRect();
            return box.top < window.innerHeight && box.bottom > 0;
        }}"""
    )


def test_legend_click_sets_descent_rate(chapter_page):
    result = run_sweep(chapter_page)["result"]
    chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="{result["pick"]}"]').click()
    wait_until_idle(chapter_page, DESCENT)

    assert descent_state(chapter_page)["learningRate"] == result["learning_rates"][result["pick"]]


# Waits for four animation frames. A ResizeObserver runs after the layout of the first, and
# the redraw it queues for the next frame has run by the end of the last.
FOUR_FRAMES = """() => new Promise((resolve) => {
    const wait = (count) => (count === 0 ? resolve() : requestAnimationFrame(() => wait(count - 1)));
    wait(4);
})"""

MARK_FOCUSED = "(button) => { button.focus(); button.dataset.marked = 'true'; }"


def test_legend_survives_height_change(chapter_page):
    """A change of the sweep's height alone leaves the legend's buttons, and the focus on one, in place."""
    run_sweep(chapter_page)
    chapter_page.evaluate(FOUR_FRAMES)
    chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="2"]').evaluate(MARK_FOCUSED)

    chapter_page.evaluate(f"() => document.querySelector('{SWEEP} .nd-sweep__live').append(document.createElement('br'))")
    chapter_page.evaluate(FOUR_FRAMES)

    assert chapter_page.evaluate("document.activeElement.dataset.marked") == "true"


def test_legend_focus_survives_redraw(chapter_page):
    """A redraw for a new width gives the focus back to the same legend entry."""
    run_sweep(chapter_page)
    chapter_page.evaluate(FOUR_FRAMES)
    chapter_page.locator(f'{SWEEP} .nd-legend__entry[data-index="2"]').evaluate(MARK_FOCUSED)

    chapter_page.set_viewport_size({"width": 900, "height": 900})
    chapter_page.wait_for_function(
        f"() => document.querySelector('{SWEEP} .nd-legend__entry[data-index=\"2\"]')?.dataset.marked === undefined"
    )

    active = chapter_page.evaluate("({index: document.activeElement.dataset.index, marked: document.activeElement.dataset.marked ?? null})")
    assert active == {"index": "2", "marked": None}


def text_field(page: Page, label: str):
    return page.locator(SWEEP).get_by_role("textbox", name=label, exact=True)


def field_message(page: Page, label: str) -> str:
    return page.locator("#" + text_field(page, label).get_attribute("aria-describedby")).text_content()


def form_message(page: Page) -> str:
    return page.locator(f"{SWEEP} .nd-sweep__form-message").text_content()


def start_sentence(page: Page) -> str:
    return page.locator(f"{SWEEP} .nd-sweep__start").text_content()


@pytest.fixture
def recorded_page(watched_page: Page, site_url: str) -> Page:
    """The chapter, recording every call to the Python runtime in window.recordedCalls."""
    return open_chapter(watched_page, site_url, RECORD_CALLS)


def sweep_calls(page: Page) -> list[dict]:
    return [call for call in recorded_calls(page) if call["name"] == "sweep"]


def press_run(page: Page, trigger: str, label: str) -> None:
    """Press Run sweep by clicking the button or by pressing Enter in the field labelled label."""
    if trigger == "Enter":
        text_field(page, label).press("Enter")
    else:
        page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(page, SWEEP)


@pytest.mark.parametrize(("label", "text", "name", "range_text"), [
    ("Lowest η", "abc", "the lowest η", "a number greater than 0 and at most 100"),
    ("Lowest η", "-1", "the lowest η", "a number greater than 0 and at most 100"),
    ("Highest η", "1e999", "the highest η", "a number greater than 0 and at most 100"),
    ("Number of rates", "13", "the number of rates", "a whole number from 2 to 12"),
    ("Number of rates", "2.5", "the number of rates", "a whole number from 2 to 12"),
    ("Steps per run", "0", "the number of steps per run", "a whole number from 1 to 1000"),
])
def test_invalid_input_blocks_sweep(recorded_page, save_widget, label, text, name, range_text):
    chapter_page = recorded_page
    before = run_sweep(chapter_page)
    sent = len(sweep_calls(chapter_page))
    kept = text_field(chapter_page, label).input_value()
    text_field(chapter_page, label).fill(text)
    chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(chapter_page, SWEEP)
    message = field_message(chapter_page, label)

    assert message.endswith(f", so {name} stays {kept} until you enter {range_text}.")
    assert text_field(chapter_page, label).get_attribute("aria-invalid") == "true"
    assert form_message(chapter_page) == f"No sweep runs until you correct {name}."
    assert len(sweep_calls(chapter_page)) == sent, "Run sweep ran a sweep with invalid text in a field"
    assert last_sweep(chapter_page) == before
    assert is_stale(chapter_page)
    assert stale_sentence(chapter_page) == "The chart below is from the last sweep that ran."
    assert chapter_page.locator(f"{SWEEP} .nd-legend__entry").count() == 6
    assert chapter_page.console_errors == []
    if label == "Lowest η" and text == "abc":
        save_widget(chapter_page, "invalid-bound")


@pytest.mark.parametrize("trigger", ["click", "Enter"])
@pytest.mark.parametrize(("label", "valid", "invalid", "name", "key"), [
    ("Steps per run", "200", "2000", "the number of steps per run", "steps"),
    ("Number of rates", "4", "30", "the number of rates", "count"),
])
def test_value_above_maximum_runs_nothing(recorded_page, save_widget, trigger, label, valid, invalid, name, key):
    """A value above the field's maximum runs no sweep, and the next valid value runs and clears the mark."""
    chapter_page = recorded_page
    wait_until_idle(chapter_page, SWEEP)
    wait_until_idle(chapter_page, DESCENT)
    text_field(chapter_page, label).fill(valid)
    before = run_sweep(chapter_page)
    assert before["request"][key] == int(valid)

    sent = len(sweep_calls(chapter_page))
    text_field(chapter_page, label).fill(invalid)
    press_run(chapter_page, trigger, label)

    assert text_field(chapter_page, label).input_value() == invalid
    assert f"stays {valid} until you enter" in field_message(chapter_page, label)
    assert form_message(chapter_page) == f"No sweep runs until you correct {name}."
    assert len(sweep_calls(chapter_page)) == sent, f"{trigger} ran a sweep with {invalid!r} in {label}"
    assert start_sentence(chapter_page).endswith(f", {before['request']['steps']} steps per run.")
    assert last_sweep(chapter_page) == before
    assert is_stale(chapter_page)
    assert stale_sentence(chapter_page) == "The chart below is from the last sweep that ran."
    assert float(chapter_page.locator(f"{SWEEP} .nd-sweep__chart").evaluate("(e) => getComputedStyle(e).opacity")) < 1
    if trigger == "click" and key == "steps":
        save_widget(chapter_page, "blocked")

    corrected = str(int(valid) + 1)
    text_field(chapter_page, label).fill(corrected)
    press_run(chapter_page, trigger, label)

    assert last_sweep(chapter_page)["request"][key] == int(corrected)
    assert field_message(chapter_page, label) == ""
    assert form_message(chapter_page) == ""
    assert not is_stale(chapter_page)
    assert stale_sentence(chapter_page) == ""
    assert chapter_page.console_errors == []


def test_every_invalid_field_is_named(chapter_page):
    before = run_sweep(chapter_page)
    text_field(chapter_page, "Number of rates").fill("30")
    text_field(chapter_page, "Steps per run").fill("2000")
    press_run(chapter_page, "click", "Steps per run")

    assert form_message(chapter_page) == "No sweep runs until you correct the number of rates and the number of steps per run."
    assert last_sweep(chapter_page) == before

    # Correcting one field leaves the other named, before Run sweep is pressed again.
    text_field(chapter_page, "Number of rates").fill("4")
    text_field(chapter_page, "Number of rates").press("Tab")

    assert form_message(chapter_page) == "No sweep runs until you correct the number of steps per run."
    assert is_stale(chapter_page)


def test_invalid_field_and_bound_order_both_shown(chapter_page):
    before = run_sweep(chapter_page)
    text_field(chapter_page, "Steps per run").fill("2000")
    text_field(chapter_page, "Lowest η").fill("50")
    press_run(chapter_page, "click", "Lowest η")
    message = form_message(chapter_page)

    assert message.startswith("No sweep runs until you correct the number of steps per run. ")
    assert "The lowest η (50) must be below the highest η" in message
    assert last_sweep(chapter_page) == before
    assert is_stale(chapter_page)


def test_short_loss_axis_has_round_ticks(chapter_page):
    """Two diverging runs give a loss axis under two decades wide, whose ticks stay round."""
    wait_until_idle(chapter_page, SWEEP)
    for label, text in [("Number of rates", "2"), ("Lowest η", "50"), ("Highest η", "100"), ("Steps per run", "500")]:
        text_field(chapter_page, label).fill(text)
    run_sweep(chapter_page)
    labels = chapter_page.locator(f"{SWEEP} .nd-axis--y .tick text").all_text_contents()
    values = [float(label.replace("\u2212", "-")) for label in labels]
    leading = [round(value / 10 ** math.floor(math.log10(value))) for value in values]

    assert len(values) >= 2
    assert set(leading) <= {1, 2, 5}, labels


def test_enter_in_field_runs_sweep(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    wait_until_idle(chapter_page, DESCENT)
    text_field(chapter_page, "Steps per run").fill("1")
    text_field(chapter_page, "Steps per run").press("Enter")
    wait_until_idle(chapter_page, SWEEP)
    sweep = last_sweep(chapter_page)

    assert sweep is not None, "Enter did not run a sweep"
    assert sweep["request"]["steps"] == 1
    assert start_sentence(chapter_page).endswith(", 1 step per run.")


def test_space_with_bad_field_runs_nothing(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    wait_until_idle(chapter_page, DESCENT)
    text_field(chapter_page, "Number of rates").fill("abc")
    chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep").focus()
    chapter_page.keyboard.press("Space")
    wait_until_idle(chapter_page, SWEEP)

    assert last_sweep(chapter_page) is None, "Space on Run sweep ran a sweep with invalid text in a field"
    assert "is not a number" in field_message(chapter_page, "Number of rates")
    assert form_message(chapter_page) == "No sweep runs until you correct the number of rates."
    assert chapter_page.locator(f"{SWEEP} .nd-sweep__results").is_hidden()


def test_message_keeps_run_button_in_place(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    run = chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep")
    before = widget_position(run)
    text_field(chapter_page, "Lowest η").fill("not a number at all, and rather long too")
    text_field(chapter_page, "Lowest η").press("Tab")

    assert "is not a number" in field_message(chapter_page, "Lowest η")
    assert widget_position(run) == before


def test_lowest_rate_above_highest_is_rejected(chapter_page):
    before = run_sweep(chapter_page)
    text_field(chapter_page, "Lowest η").fill("50")
    chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(chapter_page, SWEEP)

    assert "must be below the highest" in form_message(chapter_page)
    assert last_sweep(chapter_page) == before
    results = chapter_page.locator(f"{SWEEP} .nd-sweep__results")
    assert "nd-sweep__results--stale" in results.get_attribute("class")
    assert "from the last sweep that ran" in chapter_page.locator(f"{SWEEP} .nd-sweep__stale").text_content()
    assert float(chapter_page.locator(f"{SWEEP} .nd-sweep__chart").evaluate("(e) => getComputedStyle(e).opacity")) < 1

    text_field(chapter_page, "Lowest η").fill("0.02")
    run_sweep(chapter_page)
    assert "nd-sweep__results--stale" not in results.get_attribute("class")
    assert chapter_page.locator(f"{SWEEP} .nd-sweep__stale").is_hidden()


def test_bound_order_message_follows_bounds(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    text_field(chapter_page, "Lowest η").fill("19")
    text_field(chapter_page, "Lowest η").press("Tab")
    text_field(chapter_page, "Highest η").fill("0.031")
    text_field(chapter_page, "Highest η").press("Tab")

    assert form_message(chapter_page).startswith("The lowest η (19) must be below the highest η (0.031)")
    assert text_field(chapter_page, "Lowest η").get_attribute("aria-invalid") == "true"
    assert text_field(chapter_page, "Highest η").get_attribute("aria-invalid") == "true"

    text_field(chapter_page, "Lowest η").fill("0.001")
    text_field(chapter_page, "Lowest η").press("Tab")

    assert form_message(chapter_page) == ""
    assert text_field(chapter_page, "Lowest η").get_attribute("aria-invalid") == "false"
    assert text_field(chapter_page, "Highest η").get_attribute("aria-invalid") == "false"


def test_too_close_bounds_are_rejected(chapter_page):
    before = run_sweep(chapter_page)
    text_field(chapter_page, "Lowest η").fill("5")
    text_field(chapter_page, "Highest η").fill("5.0000000001")
    chapter_page.locator(SWEEP).get_by_role("button", name="Run sweep").click()
    wait_until_idle(chapter_page, SWEEP)

    assert "too close together for 6 distinct rates" in form_message(chapter_page)
    assert text_field(chapter_page, "Highest η").get_attribute("aria-invalid") == "true"
    assert last_sweep(chapter_page) == before
    assert chapter_page.locator(f"{SWEEP} .nd-widget__error").text_content() == ""

    # Two rates are distinct at three significant figures when the bounds differ by 1 %.
    text_field(chapter_page, "Number of rates").fill("2")
    text_field(chapter_page, "Highest η").fill("5.05")
    sweep = run_sweep(chapter_page)
    assert form_message(chapter_page) == ""
    assert sweep["result"]["learning_rates"] == [5, 5.05]


def sweep_with(page: Page, count: str, lowest: str, highest: str) -> dict:
    """Type the number of rates and both bounds, then run the sweep."""
    wait_until_idle(page, SWEEP)
    text_field(page, "Number of rates").fill(count)
    text_field(page, "Lowest η").fill(lowest)
    text_field(page, "Highest η").fill(highest)
    return run_sweep(page)


def test_subnormal_lowest_rate_sweeps(chapter_page):
    """A lowest η near the smallest double runs, because the rates are spaced by logarithms."""
    sweep = sweep_with(chapter_page, "2", "5e-324", "1")

    assert form_message(chapter_page) == ""
    assert sweep["result"]["learning_rates"] == [5e-324, 1]


def test_sweep_without_progress_has_no_pick(chapter_page):
    sweep = sweep_with(chapter_page, "3", "1e-300", "1e-290")

    for run in sweep["result"]["runs"]:
        assert run["losses"][-1] == run["losses"][0]
    assert sweep["result"]["pick"] is None
    assert chapter_page.locator(f"{SWEEP} .nd-sweep__rule").text_content().startswith(
        "No run that stayed finite ended below its starting loss")
    assert chapter_page.locator(f"{SWEEP} .nd-legend__entry--pick").count() == 0


# An init script that makes every sweep request return the package's {ok: false} result.
REJECT_SWEEPS = wrap_runtime_call(
    """if (name === 'sweep') {
                        return Promise.resolve({ ok: false, error: 'The package rejected this sweep.' });
                    }
                    return original.call(name, request);"""
)


def test_package_rejection_shows_in_form(watched_page, site_url):
    page = open_chapter(watched_page, site_url, REJECT_SWEEPS)
    run_sweep(page)

    assert form_message(page) == "The package rejected this sweep."
    assert last_sweep(page) is None
    assert page.locator(f"{SWEEP} .nd-widget__error").text_content() == ""
    assert page.console_errors == []


def test_sweep_try_button_runs_sweep(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    button = chapter_page.locator(".nd-sweep-try").first
    # The button sits in a collapsed answer block: open every enclosing <details>.
    button.evaluate(
        "(element) => { for (let node = element.closest('details'); node; node = node.parentElement.closest('details')) node.open = true; }"
    )
    button.click()
    wait_until_idle(chapter_page, SWEEP)
    sweep = last_sweep(chapter_page)

    assert sweep is not None
    assert sweep["request"]["dataset"] == button.get_attribute("data-dataset")
    assert chapter_page.locator(f"{SWEEP} .nd-sweep__curve").count() == 6


def test_dataset_change_loads_its_defaults(chapter_page, save_widget):
    wait_until_idle(chapter_page, SWEEP)
    chapter_page.locator(SWEEP).get_by_role("combobox", name="Data set").select_option("sloped-line")
    wait_until_idle(chapter_page, SWEEP)
    defaults = call_package("sweep_defaults", {"dataset": "sloped-line"})
    lowest = chapter_page.locator(SWEEP).get_by_role("textbox", name="Lowest η", exact=True)
    highest = chapter_page.locator(SWEEP).get_by_role("textbox", name="Highest η", exact=True)

    assert float(lowest.input_value()) == defaults["lr_min"]
    assert float(highest.input_value()) == defaults["lr_max"]
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["dataset"] == "sloped-line"
    title = chapter_page.locator(SWEEP).get_by_role("combobox", name="Data set").locator("option:checked").text_content()
    assert start_sentence(chapter_page).startswith(f"Data set: {title}. Start point θ₀ = ")
    save_widget(chapter_page, "sloped-line")


def dataset_title(name: str) -> str:
    """Return a data set's title as the package lists it."""
    datasets = call_package("list_datasets", {})["datasets"]
    return next(dataset["title"] for dataset in datasets if dataset["name"] == name)


def select_dataset(page: Page, name: str) -> None:
    page.locator(SWEEP).get_by_role("combobox", name="Data set").select_option(name)
    wait_until_idle(page, SWEEP)


def test_dataset_change_keeps_count_and_steps(chapter_page):
    wait_until_idle(chapter_page, SWEEP)
    text_field(chapter_page, "Number of rates").fill("4")
    text_field(chapter_page, "Steps per run").fill("200")
    text_field(chapter_page, "Lowest η").fill("0.05")
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["dataset"] == "two-point"

    select_dataset(chapter_page, "sloped-line")
    defaults = call_package("sweep_defaults", {"dataset": "sloped-line"})

    assert float(text_field(chapter_page, "Lowest η").input_value()) == defaults["lr_min"]
    assert float(text_field(chapter_page, "Highest η").input_value()) == defaults["lr_max"]
    assert text_field(chapter_page, "Number of rates").input_value() == "4"
    assert text_field(chapter_page, "Steps per run").input_value() == "200"

    sweep = run_sweep(chapter_page)
    assert sweep["request"]["dataset"] == "sloped-line"
    assert sweep["request"]["count"] == 4
    assert sweep["request"]["steps"] == 200
    assert sweep["request"]["lr_min"] == defaults["lr_min"]
    assert sweep["request"]["lr_max"] == defaults["lr_max"]


def test_dataset_change_marks_sweep_stale(chapter_page, save_widget):
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["dataset"] == "two-point"
    swept, selected = dataset_title("two-point"), dataset_title("sloped-line")

    select_dataset(chapter_page, "sloped-line")

    assert is_stale(chapter_page)
    sentence = stale_sentence(chapter_page)
    assert f"The chart below is for the data set “{swept}”." in sentence
    assert f"Run the sweep for “{selected}”." in sentence
    assert start_sentence(chapter_page).startswith(f"Data set: {swept}. ")
    assert last_sweep(chapter_page) == sweep
    save_widget(chapter_page, "other-dataset")

    # Switching back to the chart's data set clears the mark.
    select_dataset(chapter_page, "two-point")
    assert not is_stale(chapter_page)
    assert stale_sentence(chapter_page) == ""

    # So does a sweep on the newly selected data set.
    select_dataset(chapter_page, "sloped-line")
    assert is_stale(chapter_page)
    sweep = run_sweep(chapter_page)
    assert sweep["request"]["dataset"] == "sloped-line"
    assert not is_stale(chapter_page)
    assert stale_sentence(chapter_page) == ""
    assert chapter_page.console_errors == []
