"""The built site: vendor files, the package wheel, the manifest and no links to other hosts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPOSITORY_ROOT
from vendor_files import VENDOR_DIR, VENDOR_FILES, target_path

URL_ATTRIBUTES = ("src", "href", "srcset", "action", "poster", "data")
CSS_URL_PATTERN = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name not in URL_ATTRIBUTES or not value:
                continue
            if name == "srcset":
                self.urls.extend(candidate.split()[0] for candidate in value.split(",") if candidate.strip())
            else:
                self.urls.append(value)


class _ScriptCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        source = dict(attrs).get("src")
        if tag == "script" and source:
            self.sources.append(source)


@dataclass
class _Formula:
    """One arithmatex element of a built page: its tag, whether KaTeX's output is inside, and its text."""

    tag: str
    has_katex: bool = False
    is_display: bool = False
    text: list[str] = field(default_factory=list)


class _FormulaCollector(HTMLParser):
    """Collects every arithmatex element, with its text outside KaTeX's TeX annotation."""

    def __init__(self) -> None:
        super().__init__()
        self.formulas: list[_Formula] = []
        self._current: _Formula | None = None
        self._depth = 0
        self._in_annotation = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._current is None:
            if "arithmatex" in classes:
                self._current = _Formula(tag)
                self.formulas.append(self._current)
                self._depth = 1
            return

        # Only tags named like the wrapper count, because KaTeX's SVG uses self-closing elements.
        if tag == self._current.tag:
            self._depth += 1
        self._current.has_katex |= "katex" in classes
        self._current.is_display |= "katex-display" in classes
        self._in_annotation |= tag == "annotation"

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "annotation":
            self._in_annotation = False
        if tag == self._current.tag:
            self._depth -= 1
            if self._depth == 0:
                self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._in_annotation:
            self._current.text.append(data)


def _points_to_other_host(url: str, site_url: str) -> bool:
    """Return whether url is absolute and outside the site's own origin.

    The pages name their own origin in links such as rel="canonical",
    because the site is built for the address it is served from.
    """
    parts = urlsplit(url.strip())
    site = urlsplit(site_url)
    if not parts.netloc and parts.scheme not in ("http", "https", "ws", "wss", "ftp"):
        return False
    return (parts.scheme, parts.netloc) != (site.scheme, site.netloc)


def _manifest(site: Path) -> dict:
    return json.loads((site / "assets/runtime-manifest.json").read_text(encoding="utf-8"))


def _wheel_metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        [wheel_file] = [name for name in archive.namelist() if name.endswith(".dist-info/WHEEL")]
        return archive.read(wheel_file).decode()


@pytest.mark.parametrize("vendor_file", VENDOR_FILES, ids=lambda vendor_file: vendor_file.target)
def test_build_copies_vendor_file(built_site, vendor_file):
    target = built_site.path / VENDOR_DIR / target_path(vendor_file, REPOSITORY_ROOT / "node_modules")
    assert target.exists(), f"{target} was not copied from node_modules/{vendor_file.source}"


def test_build_copies_katex_woff2_fonts(built_site):
    fonts = list((built_site.path / VENDOR_DIR / "katex/fonts").glob("*.woff2"))
    assert len(fonts) >= 10


def test_build_copies_no_katex_script(built_site):
    assert list((built_site.path / VENDOR_DIR / "katex").rglob("*.js")) == []


def test_chapter_maths_is_typeset_at_build(built_site):
    collector = _FormulaCollector()
    collector.feed((built_site.path / "gradient-descent/index.html").read_text(encoding="utf-8"))
    formulas = collector.formulas

    assert len(formulas) > 100
    assert [formula for formula in formulas if not formula.has_katex] == []
    with_delimiters = [
        "".join(formula.text)
        for formula in formulas
        if any(delimiter in "".join(formula.text) for delimiter in ("\\(", "\\)", "\\[", "\\]"))
    ]
    assert with_delimiters == []
    display_tags = {formula.tag for formula in formulas if formula.is_display}
    assert display_tags == {"div"}
    inline_tags = {formula.tag for formula in formulas if not formula.is_display}
    assert inline_tags == {"span"}


def test_pages_load_no_maths_script(built_site):
    maths_scripts = []
    for page in sorted(built_site.path.rglob("*.html")):
        collector = _ScriptCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        maths_scripts.extend(
            f"{page.relative_to(built_site.path)}: {source}"
            for source in collector.sources
            if re.search(r"katex|auto-render|maths", source)
        )
    assert maths_scripts == []


def test_manifest_names_existing_wheel(built_site):
    wheel_path = _manifest(built_site.path)["wheel"]
    assert wheel_path.startswith("assets/wheels/")
    assert (built_site.path / wheel_path).is_file()


def test_manifest_sizes_match_files(built_site):
    for path, size in _manifest(built_site.path)["download_bytes"].items():
        assert (built_site.path / path).stat().st_size == size, path


def test_manifest_names_python_314_runtime(built_site):
    pyodide = _manifest(built_site.path)["pyodide"]
    assert pyodide["version"] == "314.0.8"
    assert pyodide["python"].startswith("3.14.")


def test_wheel_is_pure_python(built_site):
    wheel = built_site.path / _manifest(built_site.path)["wheel"]
    assert wheel.name.endswith("-py3-none-any.whl")
    metadata = _wheel_metadata(wheel)
    assert "Root-Is-Purelib: true" in metadata
    assert "Tag: py3-none-any" in metadata


def test_wheel_contains_web_api(built_site):
    wheel = built_site.path / _manifest(built_site.path)["wheel"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "neuron_descent/__init__.py" in names
    assert "neuron_descent/web_api.py" in names


def test_html_links_only_to_own_site(built_site, site_url):
    foreign = []
    for page in sorted(built_site.path.rglob("*.html")):
        collector = _UrlCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        foreign.extend(
            f"{page.relative_to(built_site.path)}: {url}" for url in collector.urls if _points_to_other_host(url, site_url)
        )
    assert foreign == []


def test_css_loads_only_own_files(built_site, site_url):
    foreign = []
    for stylesheet in sorted(built_site.path.rglob("*.css")):
        for url in CSS_URL_PATTERN.findall(stylesheet.read_text(encoding="utf-8")):
            if _points_to_other_host(url, site_url):
                foreign.append(f"{stylesheet.relative_to(built_site.path)}: {url}")
    assert foreign == []


def test_pages_have_no_answer_tokens_left(built_site):
    pages_with_tokens = [
        str(page.relative_to(built_site.path))
        for page in built_site.path.rglob("*.html")
        if "{{answer." in page.read_text(encoding="utf-8")
    ]
    assert pages_with_tokens == []


def test_build_logs_no_warning(built_site):
    warnings = [line for line in built_site.log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert warnings == []


def test_build_fails_on_try_button_typo(tmp_path):
    # A site of one page that shares the repository's hooks, package and npm packages.
    (tmp_path / "node_modules").symlink_to(REPOSITORY_ROOT / "node_modules")
    (tmp_path / "py_src").symlink_to(REPOSITORY_ROOT / "py_src")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        '# Typo\n\n<div class="nd-widget" data-widget="descent"></div>\n\n'
        '<button type="button" class="md-button nd-try" data-dataset="sloped-line" '
        'data-learning-rate="0.3" data-momentum="0.9" data-start="upper-lefft">Try this</button>\n',
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Typo\ntheme:\n  name: material\nmarkdown_extensions:\n  - md_in_html\n"
        f"hooks:\n  - {REPOSITORY_ROOT / 'build_scripts/hooks.py'}\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True)
    log = result.stdout + result.stderr

    assert result.returncode != 0
    assert "index.md: " in log
    assert 'data-start="upper-lefft"' in log
    assert "lower-right, upper-left" in log
