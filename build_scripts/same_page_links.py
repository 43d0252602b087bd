"""Keep links within a page from reloading it under Material's instant navigation.

same_page_links.js, beside this module, explains why. It must run before Material's
script, which the page loads at the end of its body, so the build writes it into
the end of every page's <head> as an inline script. Content-Security-Policy hashes
cover it like the other inline scripts (content_security_policy.py).
"""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).with_name("same_page_links.js")


def script_element() -> str:
    """Return the <script> element that carries same_page_links.js, without its comment lines."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    code = [line.strip() for line in lines if line.strip() and not line.strip().startswith("//")]
    return "<script>" + "\n".join(code) + "</script>"


def add_script(page_html: str) -> str:
    """Return page_html with the script as the last element of its <head>."""
    end = page_html.find("</head>")
    if end < 0:
        return page_html
    return page_html[:end] + script_element() + page_html[end:]
