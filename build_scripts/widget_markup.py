"""Check a page's widget placeholders and try buttons, so that a typo fails the build.

The chapter's markdown places widgets and buttons as HTML (README.md, "Writing
chapter pages"). Without this check a mistake in them builds silently. A button
with no widget of its kind on the page does nothing when clicked, and one with
an unknown data set or start point fails only when a reader clicks it.
check_page reads the rendered HTML of one page and raises WidgetMarkupError
that lists every such mistake on it:

- an element with class `nd-widget` or a `data-widget` attribute whose
  `data-widget` is missing or is not a widget kind;
- a second widget of one kind, because the buttons and the sweep act on the
  first one only;
- an `nd-try` button whose `data-dataset` is missing or not a data set of the
  package, or whose `data-start` (optional) is not one of that data set's
  start points;
- an `nd-try` button whose `data-learning-rate` or `data-momentum` is
  missing, not a number, or outside the range the widgets accept;
- an `nd-sweep-try` button whose `data-dataset` is missing or not a data set;
- an `nd-try` button on a page with no descent widget, or an `nd-sweep-try`
  button on a page with no sweep widget.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from package_modules import import_fresh

# The widget kinds that docs/javascripts/main.js mounts (its MOUNTERS).
WIDGET_KINDS = ("descent", "sweep")

# The settings a try button may give, as the descent widget accepts them. The package
# (neuron_descent.checks) accepts any finite η > 0 and 0 ≤ μ < 1, and the widgets also
# stop η at 100 (docs/javascripts/widgets/common/parameter-rules.js).
MAX_LEARNING_RATE = 100.0
LEARNING_RATE_RANGE = f"greater than 0 and at most {MAX_LEARNING_RATE:g}"
MOMENTUM_RANGE = "at least 0 and below 1"

# A decimal number as a button's attribute gives it, such as 0.3, .5 or 1e-3. JavaScript's
# Number() also reads "", "0x10" and "Infinity", and Python's float() reads "1_000" and
# "nan". No author means those, so the check rejects them.
DECIMAL_PATTERN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class WidgetMarkupError(ValueError):
    """A page's widget placeholders or try buttons contain one or more mistakes."""


@dataclass
class _Element:
    """One widget placeholder or try button: its start tag as written and its attributes."""

    start_tag: str
    attributes: dict[str, str | None]

    def describe(self) -> str:
        return " ".join(self.start_tag.split())


@dataclass
class _PageElements:
    """The widget placeholders and try buttons of a page, in page order."""

    widgets: list[_Element] = field(default_factory=list)
    try_buttons: list[_Element] = field(default_factory=list)
    sweep_try_buttons: list[_Element] = field(default_factory=list)


class _ElementCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements = _PageElements()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        element = _Element(self.get_starttag_text() or f"<{tag}>", attributes)
        if "nd-widget" in classes or "data-widget" in attributes:
            self.elements.widgets.append(element)
        # try-buttons.js treats an element with both classes as an nd-try button.
        if "nd-try" in classes:
            self.elements.try_buttons.append(element)
        elif "nd-sweep-try" in classes:
            self.elements.sweep_try_buttons.append(element)


def load_start_points(py_src: Path) -> dict[str, tuple[str, ...]]:
    """Return the names of the start points of each data set in neuron_descent.datasets, by data set name."""
    datasets = import_fresh(py_src, "datasets")
    return {name: tuple(dataset.starts) for name, dataset in datasets.DATASETS.items()}


def collect_elements(page_html: str) -> _PageElements:
    """Return the widget placeholders and try buttons of page_html."""
    collector = _ElementCollector()
    collector.feed(page_html)
    collector.close()
    return collector.elements


def _listing(names) -> str:
    return ", ".join(sorted(names))


def _widget_errors(widgets: list[_Element]) -> tuple[list[str], set[str]]:
    """Return the mistakes among the widget placeholders, and the kinds the page has."""
    errors: list[str] = []
    kinds: set[str] = set()
    for widget in widgets:
        if "data-widget" not in widget.attributes:
            errors.append(
                f"{widget.describe()} is missing the data-widget attribute. Set it to one of: "
                f"{_listing(WIDGET_KINDS)}."
            )
            continue
        kind = widget.attributes["data-widget"] or ""
        if kind not in WIDGET_KINDS:
            errors.append(
                f'{widget.describe()} has data-widget="{kind}", which is not a widget kind. '
                f"Use one of: {_listing(WIDGET_KINDS)}."
            )
        elif kind in kinds:
            errors.append(
                f"{widget.describe()} is a second {kind} widget on the page. A page may have at most "
                f"one {kind} widget, because the try buttons and the sweep act on the first one only."
            )
        kinds.add(kind)
    return errors, kinds


def _dataset_error(button: _Element, start_points: Mapping[str, tuple[str, ...]]) -> str | None:
    dataset = button.attributes.get("data-dataset")
    if dataset is None:
        return f"{button.describe()} is missing the data-dataset attribute. Use one of: {_listing(start_points)}."
    if dataset not in start_points:
        return (
            f'{button.describe()} has data-dataset="{dataset}", which is not a data set of the package. '
            f"Use one of: {_listing(start_points)}."
        )
    return None


def _number_error(
    button: _Element, attribute: str, accepted_range: str, accepts: Callable[[float], bool]
) -> str | None:
    text = button.attributes.get(attribute)
    if text is None:
        return f"{button.describe()} is missing the {attribute} attribute. Give a number that is {accepted_range}."
    if DECIMAL_PATTERN.fullmatch(text.strip()) is None or not math.isfinite(float(text)):
        return f'{button.describe()} has {attribute}="{text}", which is not a number. Give a number that is {accepted_range}.'
    if not accepts(float(text)):
        return f'{button.describe()} has {attribute}="{text}", which is out of range. It must be {accepted_range}.'
    return None


def _try_button_errors(button: _Element, start_points: Mapping[str, tuple[str, ...]]) -> list[str]:
    errors: list[str] = []
    dataset_error = _dataset_error(button, start_points)
    if dataset_error:
        errors.append(dataset_error)

    # Without data-start the widget takes the data set's default start point.
    start = button.attributes.get("data-start")
    dataset = button.attributes.get("data-dataset")
    if start is not None and dataset in start_points and start not in start_points[dataset]:
        errors.append(
            f'{button.describe()} has data-start="{start}", which is not a start point of the data set '
            f"{dataset}. Use one of: {_listing(start_points[dataset])}."
        )

    learning_rate_error = _number_error(
        button, "data-learning-rate", LEARNING_RATE_RANGE, lambda rate: 0.0 < rate <= MAX_LEARNING_RATE
    )
    momentum_error = _number_error(button, "data-momentum", MOMENTUM_RANGE, lambda momentum: 0.0 <= momentum < 1.0)
    errors.extend(error for error in (learning_rate_error, momentum_error) if error)
    return errors


def check_page(page_html: str, page_name: str, start_points: Mapping[str, tuple[str, ...]]) -> None:
    """Raise WidgetMarkupError naming page_name and listing every mistake this module's docstring lists.

    `start_points` maps each data set's name to its start points' names, as
    load_start_points returns them.
    """
    elements = collect_elements(page_html)
    errors, kinds = _widget_errors(elements.widgets)

    for button in elements.try_buttons:
        errors.extend(_try_button_errors(button, start_points))
        if "descent" not in kinds:
            errors.append(
                f"{button.describe()} needs a descent widget on the page, but the page has none. Add "
                '<div class="nd-widget" data-widget="descent"></div> or remove the button.'
            )

    for button in elements.sweep_try_buttons:
        dataset_error = _dataset_error(button, start_points)
        if dataset_error:
            errors.append(dataset_error)
        if "sweep" not in kinds:
            errors.append(
                f"{button.describe()} needs a sweep widget on the page, but the page has none. Add "
                '<div class="nd-widget" data-widget="sweep"></div> or remove the button.'
            )

    if len(errors) == 1:
        raise WidgetMarkupError(f"{page_name}: {errors[0]}")
    if errors:
        listed = "\n".join(f"- {error}" for error in errors)
        raise WidgetMarkupError(f"{page_name} has {len(errors)} mistakes in its widgets and try buttons:\n{listed}")
