"""The build's check of widget placeholders and try buttons (build_scripts/widget_markup.py)."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPOSITORY_ROOT
from neuron_descent import DATASETS
from neuron_descent.checks import check_learning_rate, check_momentum
from widget_markup import MAX_LEARNING_RATE, WIDGET_KINDS, WidgetMarkupError, check_page, load_start_points

START_POINTS = {"two-point": ("far", "near"), "sloped-line": ("upper-left", "lower-right")}

DESCENT = '<div class="nd-widget" data-widget="descent" id="descent-widget"></div>'
SWEEP = '<div class="nd-widget" data-widget="sweep" id="sweep-widget"></div>'


def _try_button(**attributes: str) -> str:
    settings = {"dataset": "sloped-line", "learning-rate": "0.3", "momentum": "0.9", "start": "upper-left"}
    settings.update({name.replace("_", "-"): value for name, value in attributes.items()})
    written = " ".join(f'data-{name}="{value}"' for name, value in settings.items() if value is not None)
    return f'<p><button type="button" class="md-button nd-try" {written}>Try this</button></p>'


def _sweep_button(dataset: str = "two-point") -> str:
    return f'<p><button type="button" class="md-button nd-sweep-try" data-dataset="{dataset}">Run a sweep</button></p>'


def _mistakes(page_html: str) -> str:
    with pytest.raises(WidgetMarkupError) as raised:
        check_page(page_html, "chapter.md", START_POINTS)
    return str(raised.value)


def test_check_page_accepts_chapter_markup():
    page = "\n".join([DESCENT, _try_button(), _try_button(start=None), SWEEP, _sweep_button("sloped-line")])
    check_page(page, "chapter.md", START_POINTS)


def test_page_without_widgets_passes():
    check_page("<h1>References</h1><p>No widget here.</p>", "references.md", START_POINTS)


def test_check_page_ignores_code_blocks():
    escaped = '<pre><code>&lt;button class="nd-try" data-dataset="twopoint"&gt;</code></pre>'
    check_page(escaped, "chapter.md", START_POINTS)


@pytest.mark.parametrize(
    ("page", "bad_value", "valid_values"),
    [
        ('<div class="nd-widget" data-widget="descnet"></div>', 'data-widget="descnet"', "descent, sweep"),
        ('<div class="nd-widget"></div>', "missing the data-widget attribute", "descent, sweep"),
        ('<div class="nd-widget" data-widget="Descent"/>', 'data-widget="Descent"', "descent, sweep"),
        ('<div data-widget="slider"></div>', 'data-widget="slider"', "descent, sweep"),
        (DESCENT + _try_button(dataset="twopoint"), 'data-dataset="twopoint"', "sloped-line, two-point"),
        (DESCENT + _try_button(dataset=None), "missing the data-dataset attribute", "sloped-line, two-point"),
        (DESCENT + _try_button(start="upper-lefft"), 'data-start="upper-lefft"', "lower-right, upper-left"),
        (DESCENT + _try_button(dataset="two-point", start="upper-left"), 'data-start="upper-left"', "far, near"),
        (SWEEP + _sweep_button("twopoint"), 'data-dataset="twopoint"', "sloped-line, two-point"),
    ],
)
def test_bad_value_lists_valid_values(page, bad_value, valid_values):
    message = _mistakes(page)
    assert message.startswith("chapter.md: ")
    assert bad_value in message
    assert valid_values in message


@pytest.mark.parametrize(
    ("attribute", "text", "problem"),
    [
        ("learning_rate", None, "missing the data-learning-rate attribute"),
        ("learning_rate", "fast", 'data-learning-rate="fast", which is not a number'),
        ("learning_rate", "", 'data-learning-rate="", which is not a number'),
        ("learning_rate", "0x10", 'data-learning-rate="0x10", which is not a number'),
        ("learning_rate", "1_000", 'data-learning-rate="1_000", which is not a number'),
        ("learning_rate", "nan", 'data-learning-rate="nan", which is not a number'),
        ("learning_rate", "Infinity", 'data-learning-rate="Infinity", which is not a number'),
        ("learning_rate", "0", 'data-learning-rate="0", which is out of range'),
        ("learning_rate", "-0.3", 'data-learning-rate="-0.3", which is out of range'),
        ("learning_rate", "100.5", 'data-learning-rate="100.5", which is out of range'),
        ("momentum", None, "missing the data-momentum attribute"),
        ("momentum", "0,9", 'data-momentum="0,9", which is not a number'),
        ("momentum", "1", 'data-momentum="1", which is out of range'),
        ("momentum", "-0.1", 'data-momentum="-0.1", which is out of range'),
    ],
)
def test_check_page_rejects_bad_setting(attribute, text, problem):
    message = _mistakes(DESCENT + _try_button(**{attribute: text}))
    accepted_range = "greater than 0 and at most 100" if attribute == "learning_rate" else "at least 0 and below 1"
    assert problem in message
    assert accepted_range in message


@pytest.mark.parametrize(
    ("learning_rate", "momentum"),
    [("100", "0"), ("1e-3", "0.99"), (".5", "0.0"), (" 0.3 ", "+0.5")],
)
def test_settings_in_range_pass(learning_rate, momentum):
    check_page(DESCENT + _try_button(learning_rate=learning_rate, momentum=momentum), "chapter.md", START_POINTS)


def test_try_button_without_descent_widget_fails():
    message = _mistakes(SWEEP + _try_button())
    assert "needs a descent widget" in message
    assert 'data-dataset="sloped-line"' in message


def test_sweep_button_without_sweep_widget_fails():
    message = _mistakes(DESCENT + _sweep_button())
    assert "needs a sweep widget" in message
    assert 'data-dataset="two-point"' in message


@pytest.mark.parametrize("widget", [DESCENT, SWEEP])
def test_second_widget_of_a_kind_fails(widget):
    message = _mistakes(widget + widget)
    assert "is a second" in message
    assert "at most one" in message


def test_check_page_lists_every_mistake():
    page = DESCENT + _try_button(dataset="twopoint") + _try_button(momentum="2") + _sweep_button()
    message = _mistakes(page)
    assert message.startswith("chapter.md has 3 mistakes")
    assert 'data-dataset="twopoint"' in message
    assert 'data-momentum="2"' in message
    assert "needs a sweep widget" in message


@pytest.fixture
def restored_package_modules():
    """Put back the neuron_descent modules that import_fresh drops, so later tests keep the same classes."""
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "neuron_descent"}
    yield
    for name in [name for name in sys.modules if name.split(".")[0] == "neuron_descent"]:
        del sys.modules[name]
    sys.modules.update(saved)


def test_load_start_points_reads_package(restored_package_modules):
    start_points = load_start_points(REPOSITORY_ROOT / "py_src")
    assert start_points == {name: tuple(dataset.starts) for name, dataset in DATASETS.items()}


def _package_accepts(check, value: float) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


def _build_accepts(page_html: str) -> bool:
    try:
        check_page(page_html, "chapter.md", START_POINTS)
    except WidgetMarkupError:
        return False
    return True


@pytest.mark.parametrize("momentum", [-0.01, 0.0, 0.5, 0.999, 1.0, 1.5])
def test_momentum_range_matches_package(momentum):
    page = DESCENT + _try_button(momentum=repr(momentum))
    assert _build_accepts(page) == _package_accepts(check_momentum, momentum)


# The package accepts rates above 100 too, but the widgets, and so the build, do not.
@pytest.mark.parametrize("learning_rate", [-1.0, 0.0, 1e-6, 0.3, 100.0])
def test_learning_rate_range_matches_package(learning_rate):
    page = DESCENT + _try_button(learning_rate=repr(learning_rate))
    assert _build_accepts(page) == _package_accepts(check_learning_rate, learning_rate)


def test_max_learning_rate_matches_widgets():
    rules = (REPOSITORY_ROOT / "docs/javascripts/widgets/common/parameter-rules.js").read_text(encoding="utf-8")
    match = re.search(r"LEARNING_RATE_RULE = \{[^}]*\bmax: ([0-9.]+)", rules)
    assert match is not None
    assert float(match.group(1)) == MAX_LEARNING_RATE


def test_widget_kinds_match_main_js():
    main = (REPOSITORY_ROOT / "docs/javascripts/main.js").read_text(encoding="utf-8")
    match = re.search(r"const MOUNTERS = \{([^}]*)\}", main)
    assert match is not None
    mounted_kinds = re.findall(r"(\w+):", match.group(1))
    assert tuple(sorted(mounted_kinds)) == tuple(sorted(WIDGET_KINDS))
