"""Spare Material for MkDocs' script most of the whole-page restyles it causes when it starts.

Material's bundle.js starts in one task after the page's first paint, and on a
long page each restyle it causes costs tens of milliseconds. These causes have
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
- The palette component adds a `<meta name="color-scheme">` to <head> and
  then sets its content to the palette's colour scheme. Chromium restyles
  the whole page each time a color-scheme meta element is added or its
  content set, even to the same value (about 25 ms each on the chapter,
  timed in Chromium 156). The head script adds that element before the body
  is parsed, with the scheme of the palette the reader last chose. The
  build edits Material's script (patch_palette_script) to use that element
  and to set its content only when the scheme changes.
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
    # Material's style sheets give its "slate" scheme `color-scheme: dark` and its default one
    # `light`. __md_get, which reads the palette Material stored, is defined earlier in <head>.
    '{const meta=document.createElement("meta");meta.name="color-scheme";'
    'let scheme;try{scheme=__md_get("__palette")?.color?.scheme}catch{}'
    'meta.content=scheme==="slate"?"dark":"light";'
    "document.head.append(meta)}"
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


# Material's script makes its color-scheme element and sets its content in these two places.
# The names are the minifier's, so they are matched, not spelled out.
NEW_SCHEME_META = re.compile(
    r'let (?P<meta>\w+)=(?P<make>\w+)\("meta",\{name:"color-scheme"\}\);document\.head\.appendChild\((?P=meta)\);'
)
SET_SCHEME = re.compile(r"(?P<meta>\w+)\.content=(?P<style>\w+)\.colorScheme(?=,)")
# Material's own file name, which leaves out the hashed copy that asset_hashing.py adds.
THEME_SCRIPTS = "assets/javascripts/bundle.*.min.js"
# Part of the first edit. Finding it distinguishes a file that `mkdocs build --dirty` kept,
# already edited, from one whose code has moved.
FIND_SCHEME_META = """document.querySelector('meta[name="color-scheme"]')"""


class ThemeChangedError(Exception):
    """Material's files no longer have the shape this module edits."""


def single_file(site_dir: Path, pattern: str) -> Path:
    """Return the one file under site_dir that matches the glob pattern, or raise ThemeChangedError."""
    files = sorted(site_dir.glob(pattern))
    if len(files) != 1:
        raise ThemeChangedError(f"expected one {pattern} in {site_dir}, found {len(files)}")
    return files[0]


def append_to_head(page_html: str, markup: str) -> str:
    """Return page_html with markup as the last element of its <head>, or unchanged without a <head>."""
    end = page_html.find("</head>")
    if end < 0:
        return page_html
    return page_html[:end] + markup + page_html[end:]


def add_head_script(page_html: str) -> str:
    """Return page_html with HEAD_SCRIPT as the last element of its <head>."""
    return append_to_head(page_html, HEAD_SCRIPT)


def replace_switching_rule(site_dir: Path) -> Path:
    """Key the built palette style sheet's all-elements rule to SWITCHING_ATTRIBUTE instead of Material's attribute.

    Returns the file changed. Raises ThemeChangedError when there is no
    palette style sheet or its rule is not found, so that a Material upgrade
    that moves the rule is noticed.
    """
    sheet = single_file(site_dir, PALETTE_STYLESHEETS)
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


def patch_palette_script(site_dir: Path) -> Path:
    """Make the built bundle.js use the color-scheme element that HEAD_SCRIPT adds, and set it only on a change.

    Returns the file changed. The script still makes its own element when
    there is none. Raises ThemeChangedError when there is no bundle.js or
    either piece of code is not found exactly once, so that a Material
    upgrade that changes them is noticed.
    """
    script = single_file(site_dir, THEME_SCRIPTS)
    text = script.read_text(encoding="utf-8")
    if FIND_SCHEME_META in text:
        return script
    text, added = NEW_SCHEME_META.subn(
        lambda match: (
            f"let {match['meta']}={FIND_SCHEME_META}"
            f'||document.head.appendChild({match["make"]}("meta",{{name:"color-scheme"}}));'
        ),
        text,
    )
    text, set_count = SET_SCHEME.subn(
        lambda match: (
            f"({match['meta']}.content==={match['style']}.colorScheme"
            f"||({match['meta']}.content={match['style']}.colorScheme))"
        ),
        text,
    )
    if added != 1 or set_count != 1:
        raise ThemeChangedError(
            f"{script.relative_to(site_dir)} adds its color-scheme element in {added} places and sets it in "
            f"{set_count}, expected 1 and 1"
        )
    script.write_text(text, encoding="utf-8")
    return script
