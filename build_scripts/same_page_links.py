"""Keep links within a page from reloading it under Material's instant navigation.

same_page_links.js, beside this module, explains why. It must run before Material's
script, which the page loads at the end of its body, so the build writes it into
the end of every page's <head> as an inline script. Content-Security-Policy hashes
cover it like the other inline scripts (content_security_policy.py).
"""

from __future__ import annotations

import functools
from pathlib import Path

from theme_start import append_to_head

SOURCE = Path(__file__).with_name("same_page_links.js")


# Read once per build process, not once per page.
@functools.cache
def script_element() -> str:
    """Return the <script> element that carries same_page_links.js, without its comment lines."""
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    code = [line for line in lines if line and not line.startswith("//")]
    return "<script>" + "\n".join(code) + "</script>"


def add_script(page_html: str) -> str:
    """Return page_html with the script as the last element of its <head>."""
    return append_to_head(page_html, script_element())
