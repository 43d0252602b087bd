"""Spare Material for MkDocs' script three restyles of the whole page when it starts.

Material's bundle.js starts in one task after the page's first paint, and on a
long page each restyle it causes costs tens of milliseconds. Three of them have
no visible effect:

- With instant navigation on, the script sets every relative `href` to the
  absolute address it already resolves to. On a style sheet's <link> that
  counts as a new style sheet, and Chromium restyles the whole page. An
  inline script at the end of <head>, which runs before the body is parsed
  and so before anything is styled, makes those addresses absolute first,
  and the script then leaves them alone. It also swaps the <html> element's
  `no-js` class for `js`, as the script would.
- The focus-visible polyfill in the script adds the class `js-focus-visible`
  to <html>. Any change to the classes of <html> restyles the whole page,
  because Material's style sheet has selectors such as
  `table:not([class]) td > :first-child`, so the head script adds that class
  first. The polyfill then finds it there and changes nothing.
- To switch palettes without transitions, the script sets
  `data-md-color-switching` on <body> for one frame, and the palette style
  sheet's rule for it matches every element, so setting it and removing it
  each restyle the whole page. The script does this at start-up too, where
  no colour changes. The build puts the same rule for another attribute,
  `data-nd-palette-switching`, in its place, and the head script sets that
  attribute on <html> only when the reader switches palettes, for two
  frames. (Without any such rule, links and buttons fade from the old
  colours for up to a quarter of a second, nearly unreadable meanwhile.)
"""

from __future__ import annotations

import re
from pathlib import Path

SWITCHING_ATTRIBUTE = "data-nd-palette-switching"

HEAD_SCRIPT = (
    "<script>"
    'document.documentElement.classList.replace("no-js","js");'
    'document.documentElement.classList.add("js-focus-visible");'
    'for(const link of document.head.querySelectorAll("link[href]"))link.href=link.href;'
    'document.addEventListener("change",event=>{'
    'if(event.target.name!=="__palette")return;'
    "const root=document.documentElement;"
    f'root.setAttribute("{SWITCHING_ATTRIBUTE}","");'
    f'requestAnimationFrame(()=>requestAnimationFrame(()=>root.removeAttribute("{SWITCHING_ATTRIBUTE}")))'
    "},true)"
    "</script>"
)

# The palette style sheet's rule, as Material's minified CSS writes it.
SWITCHING_RULE = re.compile(
    r"\[data-md-color-switching\] \*,"
    r"\[data-md-color-switching\] :after,"
    r"\[data-md-color-switching\] :before"
    r"\{transition-duration:0s!important\}"
)
# Material's own file name, which leaves out the hashed copy that asset_hashing.py adds.
PALETTE_STYLESHEETS = "assets/stylesheets/palette.*.min.css"
# Put in place of the rule. A `mkdocs build --dirty` keeps the edited file, and finding this
# rule there distinguishes that file from one whose rule has moved.
REPLACEMENT_RULE = (
    f"[{SWITCHING_ATTRIBUTE}] *,[{SWITCHING_ATTRIBUTE}] :after,[{SWITCHING_ATTRIBUTE}] :before"
    "{transition-duration:0s!important}"
)


class ThemeChangedError(Exception):
    """Material's files no longer have the shape this module edits."""


def add_head_script(page_html: str) -> str:
    """Return page_html with HEAD_SCRIPT as the last element of its <head>."""
    end = page_html.find("</head>")
    if end < 0:
        return page_html
    return page_html[:end] + HEAD_SCRIPT + page_html[end:]


def replace_switching_rule(site_dir: Path) -> Path:
    """Key the built palette style sheet's all-elements rule to SWITCHING_ATTRIBUTE instead of Material's attribute.

    Returns the file changed. Raises ThemeChangedError when there is no
    palette style sheet or its rule is not found, so that a Material upgrade
    that moves the rule is noticed.
    """
    sheets = sorted(site_dir.glob(PALETTE_STYLESHEETS))
    if len(sheets) != 1:
        raise ThemeChangedError(f"expected one {PALETTE_STYLESHEETS} in {site_dir}, found {len(sheets)}")
    sheet = sheets[0]
    text = sheet.read_text(encoding="utf-8")
    if REPLACEMENT_RULE in text:
        return sheet
    edited, count = SWITCHING_RULE.subn(REPLACEMENT_RULE, text)
    if count != 1:
        raise ThemeChangedError(
            f"{sheet.relative_to(site_dir)} has {count} copies of Material's data-md-color-switching rule, expected 1"
        )
    sheet.write_text(edited, encoding="utf-8")
    return sheet
