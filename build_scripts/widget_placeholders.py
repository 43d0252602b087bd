"""Fill the widget placeholders of a page's HTML with what they show before and without JavaScript.

A placeholder is an element with a `data-widget` attribute, written in the
page's markdown as `<div class="nd-widget" data-widget="descent"></div>`. Each
one gets a picture of its data set's loss surface with a sentence, in
<noscript>, saying that the widget needs JavaScript. A sweep shows the picture
only without JavaScript. A descent widget shows it in any case, written into
the page as a data: address so that it needs no request of its own, and is on
screen at the page's first paint, before any script has run. With JavaScript
on, widgets.css places it where the live map will be drawn and hides its
caption, and the widget removes it once it draws the map itself
(`PREVIEW_TIMING_NAME` names it for the Element Timing API, which
build_scripts/bench.py reads). A descent widget's placeholder also gets
`data-loss-map`, the address of the script carrying the precomputed map it
draws first, and a deferred <script> for it just before the placeholder,
which runs before the widgets' module (see loss_maps.loss_map_script).

A page with a placeholder also gets an async <script> for runtime.js, the
script that starts the Python worker, at the top of its <head> (see
add_runtime_start), so the worker starts while the page is still being
parsed. The page loads runtime.js again at its end, for pages reached by
instant navigation, and the second run changes nothing.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDER_PATTERN = re.compile(r"<(?P<tag>[a-z]+)\b(?P<attributes>[^>]*\bdata-widget=\"(?P<kind>[a-z-]+)\"[^>]*)>")
DATASET_ATTRIBUTE_PATTERN = re.compile(r"\bdata-dataset=\"(?P<name>[^\"]*)\"")

RUNTIME_SCRIPT = "javascripts/runtime.js"
PREVIEW_TIMING_NAME = "nd-loss-map-preview"

NEEDS_JAVASCRIPT = {
    "descent": "The descent widget runs Python in your browser, so it needs JavaScript. "
    "Turn JavaScript on and reload the page to take steps on this surface.",
    "sweep": "The learning-rate sweep runs Python in your browser, so it needs JavaScript. "
    "Turn JavaScript on and reload the page to run it on this surface.",
}
NEEDS_JAVASCRIPT_DEFAULT = (
    "This widget runs Python in your browser, so it needs JavaScript. "
    "Turn JavaScript on and reload the page to use it."
)


class UnknownDatasetError(ValueError):
    """A placeholder's data-dataset names no data set that has a loss map."""


@dataclass(frozen=True)
class LossMapAssets:
    """The files made for one data set, with the facts that the fallback picture's caption gives.

    `data_path` and `picture_path` are relative to the site's root.
    """

    title: str
    data_path: str
    picture_path: str
    picture_size: tuple[int, int]
    picture: bytes
    view_box: Mapping[str, float]
    loss_range: tuple[float, float]


def _format_number(value: float) -> str:
    """Format value with three significant digits, as 9.33e-5 rather than 9.33e-05, with true minus signs."""
    mantissa, _, exponent = f"{value:.3g}".partition("e")
    text = f"{mantissa}e{int(exponent)}" if exponent else mantissa
    return text.replace("-", "\u2212")


def _figure(assets: LossMapAssets, source: str, classes: str, timing_name: str | None = None) -> str:
    """Return a <figure> with the picture at address `source` and a caption that describes it."""
    box = assets.view_box
    low, high = (_format_number(value) for value in assets.loss_range)
    description = (
        f"The loss L of the data set “{assets.title}”, coloured on a log scale from dark purple "
        f"(L ≈ {low}) to yellow (L ≈ {high}), over w from {_format_number(box['w_min'])} to "
        f"{_format_number(box['w_max'])} (left to right) and b from {_format_number(box['b_min'])} to "
        f"{_format_number(box['b_max'])} (bottom to top). White lines are contours of equal loss."
    )
    alt = f"Loss surface of the data set “{assets.title}”"
    width, height = assets.picture_size
    timing = f' elementtiming="{timing_name}"' if timing_name else ""
    return (
        f'<figure class="{classes}">'
        f'<img src="{html.escape(source)}" width="{width}" height="{height}" alt="{html.escape(alt)}"{timing}>'
        f"<figcaption>{html.escape(description)}</figcaption></figure>"
    )


def fallback_html(kind: str, assets: LossMapAssets, picture_url: str) -> str:
    """Return the picture and the <noscript> note for a placeholder of widget `kind`."""
    sentence = NEEDS_JAVASCRIPT.get(kind, NEEDS_JAVASCRIPT_DEFAULT)
    note = f'<p class="nd-widget__fallback-note">{html.escape(sentence)}</p>'
    if kind == "descent":
        data_url = "data:image/png;base64," + base64.b64encode(assets.picture).decode("ascii")
        preview = _figure(assets, data_url, "nd-widget__fallback nd-widget__preview", PREVIEW_TIMING_NAME)
        return f"{preview}<noscript>{note}</noscript>"
    return f"<noscript>{_figure(assets, picture_url, 'nd-widget__fallback')}{note}</noscript>"


def fill_placeholders(
    page_html: str,
    assets_by_dataset: Mapping[str, LossMapAssets],
    default_dataset: str,
    relative_url,
) -> str:
    """Return page_html with every widget placeholder filled, as this module's docstring describes.

    `relative_url(path)` turns a path relative to the site's root into an
    address relative to the page. A placeholder's data set is its
    `data-dataset` attribute, or `default_dataset` when it has none.
    Raises UnknownDatasetError for a data-dataset with no loss map.
    """

    def fill(match: re.Match[str]) -> str:
        attributes = match.group("attributes")
        kind = match.group("kind")
        dataset_match = DATASET_ATTRIBUTE_PATTERN.search(attributes)
        dataset = dataset_match.group("name") if dataset_match else default_dataset
        assets = assets_by_dataset.get(dataset)
        if assets is None:
            known = ", ".join(sorted(assets_by_dataset))
            raise UnknownDatasetError(
                f"A {kind} widget placeholder names data-dataset=\"{dataset}\", which is not a data set "
                f"of the package; the data sets are: {known}."
            )
        data_script = ""
        if kind == "descent":
            data_url = html.escape(relative_url(assets.data_path))
            attributes += f' data-loss-map="{data_url}"'
            data_script = f'<script src="{data_url}" defer></script>'
        opening_tag = f"<{match.group('tag')}{attributes}>"
        return data_script + opening_tag + fallback_html(kind, assets, relative_url(assets.picture_path))

    return PLACEHOLDER_PATTERN.sub(fill, page_html)


def add_runtime_start(page_html: str, runtime_url: str) -> str:
    """Return the finished page_html with an async <script> for runtime.js first in its <head>, if it has a widget.

    With the script's data-start-python attribute, runtime.js starts the
    Python worker at once, before the parser has reached the page's widgets.
    Async, it neither waits for the style sheets nor holds up the parser.
    """
    if PLACEHOLDER_PATTERN.search(page_html) is None:
        return page_html
    script = f'<script src="{html.escape(runtime_url)}" async data-start-python></script>'
    head = re.search(r"<head\b[^>]*>", page_html)
    if head is None:
        return page_html
    return page_html[: head.end()] + script + page_html[head.end() :]
