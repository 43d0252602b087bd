"""MkDocs hooks that turn the markdown site into the chapter with its Python runtime.

- on_config: fail early when npm has not installed the front-end packages.
- on_page_markdown: replace `{{answer.KEY}}` tokens with the package's answers.
- on_page_content: fail on a mistake in a page's widget placeholders or try
  buttons (widget_markup.py), then give each widget placeholder its
  precomputed loss map and a picture shown when JavaScript is off
  (loss_map_assets.py).
- on_post_page: start the Python worker from <head> on pages with a widget, add
  the script that spares Material's start-up whole-page restyles (theme_start.py), and
  typeset the page's formulas with KaTeX (render_maths.py).
- on_post_template: add that script to 404.html too.
- on_post_build: copy Pyodide, KaTeX's style sheet and fonts, and D3 into assets/vendor/, build the
  package wheel into assets/wheels/, write assets/runtime-manifest.json and
  the loss-map files, key the palette style sheet's all-elements rule to an
  attribute set only on a palette switch and make Material's script reuse the
  head script's color-scheme element (theme_start.py), split the start of
  Material's script into short tasks (theme_tasks.py), then give the site's
  own scripts, style sheets and fonts, and Material's edited script,
  content-hashed names (asset_hashing.py).

MkDocs puts this file's folder on sys.path while it imports the hooks, which
is how the sibling modules below are found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import answer_tokens
import asset_hashing
import loss_map_assets
import loss_picture
import package_wheel
import render_maths
import runtime_manifest
import same_page_links
import theme_start
import theme_tasks
import vendor_files
import widget_markup
import widget_placeholders

log = logging.getLogger("mkdocs.hooks.neuron_descent")

# Answers of question_two() with the source digest they were computed from,
# kept across `mkdocs serve` rebuilds until py_src/ changes.
_answers: dict[str, object] = {"digest": None, "values": None}

# The loss-map files with the source digest they were made from, kept the same way.
_loss_maps: dict[str, object] = {"digest": None, "values": None}

# The start points of each data set, by data set name, kept the same way.
_start_points: dict[str, object] = {"digest": None, "values": None}


def _repository_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        vendor_files.check_vendor_files(_repository_root(config) / "node_modules")
    except vendor_files.MissingVendorFileError as error:
        raise PluginError(str(error)) from None
    return config


def _made_from_source(cache: dict[str, object], py_src: Path, make: Callable[[], object]) -> object:
    """Return cache["values"], calling make() again only when py_src's sources have changed."""
    digest = package_wheel.source_digest(py_src)
    if cache["digest"] != digest:
        cache["values"] = make()
        cache["digest"] = digest
    return cache["values"]


def _question_two_answers(py_src: Path) -> Mapping[str, object]:
    def make() -> dict[str, object]:
        question_two = answer_tokens.load_answer_function(py_src)
        values = question_two()
        if not isinstance(values, Mapping):
            raise answer_tokens.AnswerTokenError(
                f"question_two() returned a {type(values).__name__}, expected a dict."
            )
        return dict(values)

    return _made_from_source(_answers, py_src, make)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not answer_tokens.has_tokens(markdown):
        return markdown

    py_src = _repository_root(config) / "py_src"
    page_name = page.file.src_uri
    try:
        values = _question_two_answers(py_src)
        return answer_tokens.replace_tokens(markdown, values, page_name)
    except answer_tokens.AnswerTokenError as error:
        raise PluginError(str(error)) from None
    except ImportError as error:
        raise PluginError(
            f"{page_name} uses {{{{answer.…}}}} tokens, but importing "
            f"neuron_descent.experiments from {py_src} failed: {error}"
        ) from None


def _loss_map_build(config: MkDocsConfig) -> loss_map_assets.LossMapBuild:
    root = _repository_root(config)
    try:
        return _made_from_source(
            _loss_maps, root / "py_src",
            lambda: loss_map_assets.make_loss_map_assets(root / "py_src", root / "node_modules"),
        )
    except loss_picture.MissingColourRampError as error:
        raise PluginError(str(error)) from None


def _dataset_start_points(py_src: Path) -> Mapping[str, tuple[str, ...]]:
    return _made_from_source(_start_points, py_src, lambda: widget_markup.load_start_points(py_src))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Every page is checked, because a try button on a page with no widget is a mistake too.
    start_points = _dataset_start_points(_repository_root(config) / "py_src")
    try:
        widget_markup.check_page(html, page.file.src_uri, start_points)
    except widget_markup.WidgetMarkupError as error:
        raise PluginError(str(error)) from None

    if "data-widget=" not in html:
        return html

    build = _loss_map_build(config)
    try:
        return widget_placeholders.fill_placeholders(
            html,
            build.assets_by_dataset,
            build.default_dataset,
            lambda path: get_relative_url(path, page.url),
        )
    except widget_placeholders.UnknownDatasetError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None


# Material's search plugin builds its index from page.content in on_page_context, which
# runs after on_page_content and before on_post_page. Rendering here keeps each formula's
# TeX in the index instead of KaTeX's glyph-by-glyph text.
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    runtime_url = get_relative_url(widget_placeholders.RUNTIME_SCRIPT, page.url)
    output = widget_placeholders.add_runtime_start(output, runtime_url)
    output = theme_start.add_head_script(output)
    output = same_page_links.add_script(output)
    try:
        return render_maths.render_page(output, page.file.src_uri, _repository_root(config) / "node_modules")
    except render_maths.MathsRenderingError as error:
        raise PluginError(str(error)) from None


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is rendered from a template, not a page, and loads Material's script too.
    if template_name.endswith(".html"):
        return same_page_links.add_script(theme_start.add_head_script(output_content))
    return output_content


def on_post_build(config: MkDocsConfig) -> None:
    root = _repository_root(config)
    node_modules = root / "node_modules"
    py_src = root / "py_src"
    site_dir = Path(config.site_dir)

    try:
        vendor_files.copy_vendor_files(node_modules, site_dir)
    except vendor_files.MissingVendorFileError as error:
        raise PluginError(str(error)) from None

    try:
        wheel = package_wheel.build_wheel_cached(py_src, root / "build" / "wheel-cache")
    except package_wheel.WheelBuildError as error:
        raise PluginError(str(error)) from None

    wheel_path = runtime_manifest.install_wheel(wheel.path, wheel.source_digest, site_dir)
    runtime_manifest.write_runtime_manifest(site_dir, node_modules, wheel_path)
    log.info("Added the Python runtime and %s to the site", wheel_path)

    loss_map_assets.write_files(site_dir, _loss_map_build(config).files)

    try:
        theme_start.replace_switching_rule(site_dir)
        theme_start.patch_palette_script(site_dir)
    except theme_start.ThemeChangedError as error:
        raise PluginError(f"{error}; update build_scripts/theme_start.py for this Material version") from None
    try:
        theme_tasks.split_startup(site_dir)
    except theme_start.ThemeChangedError as error:
        raise PluginError(f"{error}; update build_scripts/theme_tasks.py for this Material version") from None

    # Last, because it hashes the files written above and rewrites every page.
    try:
        hashed = asset_hashing.hash_assets(site_dir)
    except asset_hashing.AssetReferenceError as error:
        raise PluginError(str(error)) from None
    base_path = urlsplit(config.site_url).path if config.site_url else "/"
    asset_hashing.rewrite_pages(site_dir, hashed, base_path or "/")
    log.info("Gave %d scripts, style sheets and fonts content-hashed names", len(hashed.names))
