"""MkDocs hook that writes the Content-Security-Policy the built site works under.

The policy allows scripts from the site's own files and, of the inline scripts, only
those the build wrote: Material for MkDocs puts a few small ones in every page, and the
hook lists each by its SHA-256 hash. WebAssembly needs 'wasm-unsafe-eval', and inline
styles stay allowed because KaTeX positions its glyphs with style attributes.

on_post_build writes the policy, as one line, to content-security-policy.txt at the
site's root, for the host to send as the Content-Security-Policy header of every file.
The hashes depend on the page layout (a page's depth below the root, and whether
use_directory_urls is on), so the file belongs to the build it was written for.

mkdocs.yml lists this hook after hooks.py, so it reads each page in its final form.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.content_security_policy")

POLICY_FILE = "content-security-policy.txt"

# The type attributes of a <script> that the browser runs. Any other type, such as
# Material's application/json configuration block, is data that no policy governs.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _InlineScriptParser(HTMLParser):
    """Collects the text of every inline <script> that a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "").strip().lower()
        if "src" not in attributes and script_type in SCRIPT_TYPES:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_scripts(page_html: str) -> list[str]:
    """Return the text of every inline script in page_html that a browser would run."""
    parser = _InlineScriptParser()
    parser.feed(page_html)
    parser.close()
    return parser.scripts


def script_hash(script: str) -> str:
    """Return the CSP source expression, such as 'sha256-…', that allows an inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def site_script_hashes(site_dir: Path) -> list[str]:
    """Return the sorted, distinct hashes of the inline scripts of every HTML file in site_dir."""
    hashes = set()
    for page in site_dir.rglob("*.html"):
        for script in inline_scripts(page.read_text(encoding="utf-8")):
            hashes.add(script_hash(script))
    return sorted(hashes)


def build_policy(hashes: list[str]) -> str:
    """Return the policy's header value for a site whose inline scripts have these hashes."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'wasm-unsafe-eval'", *hashes]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("worker-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("img-src", ["'self'", "data:"]),
        ("font-src", ["'self'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
    ]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    hashes = site_script_hashes(site_dir)
    (site_dir / POLICY_FILE).write_text(build_policy(hashes) + "\n", encoding="utf-8")
    log.info("Wrote %s with %d inline-script hashes", POLICY_FILE, len(hashes))
