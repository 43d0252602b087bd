"""MkDocs hooks that turn the markdown site into the chapter with its Python runtime.

- on_config: fail early when npm has not installed the front-end packages.
- on_page_markdown: replace `{{answer.KEY}}` tokens with the package's answers.
- on_post_build: copy Pyodide, KaTeX and D3 into assets/vendor/, build the
  package wheel into assets/wheels/ and write assets/runtime-manifest.json.

MkDocs puts this file's folder on sys.path while it imports the hooks, which
is how the sibling modules below are found.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import answer_tokens
import package_wheel
import runtime_manifest
import vendor_files

log = logging.getLogger("mkdocs.hooks.neuron_descent")

# Answers of question_two() with the source digest they were computed from,
# kept across `mkdocs serve` rebuilds until py_src/ changes.
_answers: dict[str, object] = {"digest": None, "values": None}


def _repository_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        vendor_files.check_vendor_files(_repository_root(config) / "node_modules")
    except vendor_files.MissingVendorFileError as error:
        raise PluginError(str(error)) from None
    return config


def _question_two_answers(py_src: Path) -> Mapping[str, object]:
    digest = package_wheel.source_digest(py_src)
    if _answers["digest"] != digest:
        question_two = answer_tokens.load_answer_function(py_src)
        values = question_two()
        if not isinstance(values, Mapping):
            raise answer_tokens.AnswerTokenError(
                f"question_two() returned a {type(values).__name__}, expected a dict."
            )
        _answers["values"] = dict(values)
        _answers["digest"] = digest
    return _answers["values"]


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
