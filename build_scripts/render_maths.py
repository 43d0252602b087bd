r"""Typeset a page's formulas with KaTeX at build time, so the browser runs no maths script.

pymdownx.arithmatex with `generic: true` writes inline maths as
`<span class="arithmatex">\(...\)</span>` and display maths as
`<div class="arithmatex">\[...\]</div>`, with the TeX HTML-escaped inside.
render_page replaces each such element's content with KaTeX's HTML and MathML
and keeps the element itself, class and all. One Node.js process running
render_maths.mjs renders all of a page's formulas, with the katex package
that `npm ci` installs into node_modules.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.render_maths")

RENDER_SCRIPT = Path(__file__).with_name("render_maths.mjs")
KATEX_MODULE = "katex/dist/katex.mjs"

# An element whose class list contains "arithmatex". Its content is escaped
# TeX, which cannot contain "<", so the first matching end tag closes it.
ARITHMATEX_ELEMENT = re.compile(
    r"""(?P<start_tag><(?P<tag>span|div)\s[^>]*?\bclass="(?:[^"]*\s)?arithmatex(?:\s[^"]*)?"[^>]*>)"""
    r"""(?P<content>.*?)"""
    r"""(?P<end_tag></(?P=tag)>)""",
    re.DOTALL,
)

# arithmatex's default delimiters (its tex_inline_wrap and tex_block_wrap options).
INLINE_DELIMITERS = ("\\(", "\\)")
DISPLAY_DELIMITERS = ("\\[", "\\]")

# One process rendered 116 formulas in about 0.5 s on a 2-core AMD EPYC, so this
# limit only stops a Node.js that hangs.
RENDER_TIMEOUT_SECONDS = 60

# Exit status of render_maths.mjs when KaTeX rejected a formula.
REJECTED_STATUS = 2


class MathsRenderingError(RuntimeError):
    """A page's formulas could not be rendered: KaTeX rejected one, or Node.js or KaTeX is missing."""


@dataclass(frozen=True)
class Formula:
    """One arithmatex element's TeX, unescaped and without its delimiters."""

    tex: str
    display: bool


def find_formulas(page_html: str, page_name: str) -> list[Formula]:
    """Return the formula of every arithmatex element in page_html, in page order.

    Raises MathsRenderingError for an element without the \\(...\\) or \\[...\\] delimiters.
    """
    formulas = []
    for match in ARITHMATEX_ELEMENT.finditer(page_html):
        wrapped = html.unescape(match.group("content")).strip()
        formula = _unwrap(wrapped)
        if formula is None:
            raise MathsRenderingError(
                f"{page_name}: the arithmatex element {match.group(0)} has no \\(...\\) or \\[...\\] "
                "delimiters. Keep pymdownx.arithmatex's default tex_inline_wrap and tex_block_wrap."
            )
        formulas.append(formula)
    return formulas


def _unwrap(wrapped: str) -> Formula | None:
    for (start, end), display in ((INLINE_DELIMITERS, False), (DISPLAY_DELIMITERS, True)):
        if wrapped.startswith(start) and wrapped.endswith(end):
            return Formula(tex=wrapped[len(start) : -len(end)].strip(), display=display)
    return None


def render_page(page_html: str, page_name: str, node_modules: Path) -> str:
    """Return page_html with every arithmatex element's content replaced by KaTeX's rendering.

    page_name names the page in error messages. Raises MathsRenderingError
    when KaTeX rejects a formula or when Node.js or KaTeX is missing.
    """
    formulas = find_formulas(page_html, page_name)
    if not formulas:
        return page_html

    rendered = iter(render_formulas(formulas, page_name, node_modules))
    return ARITHMATEX_ELEMENT.sub(
        lambda match: match.group("start_tag") + next(rendered) + match.group("end_tag"),
        page_html,
    )


def render_formulas(formulas: list[Formula], page_name: str, node_modules: Path) -> list[str]:
    """Render formulas with KaTeX in one Node.js process and return their HTML in the same order."""
    command = [_node_executable(node_modules), str(RENDER_SCRIPT), str(node_modules)]
    if not (node_modules / KATEX_MODULE).is_file():
        raise MathsRenderingError(
            f"KaTeX not found at {node_modules / KATEX_MODULE}: run `npm ci` in {node_modules.parent} "
            "to install the front-end packages that package-lock.json pins."
        )

    request = json.dumps([{"tex": formula.tex, "display": formula.display} for formula in formulas])
    try:
        result = subprocess.run(
            command, input=request, capture_output=True, text=True, encoding="utf-8", timeout=RENDER_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise MathsRenderingError(
            f"{page_name}: rendering {len(formulas)} formulas with {RENDER_SCRIPT.name} "
            f"timed out after {RENDER_TIMEOUT_SECONDS} s."
        ) from None

    if result.returncode == REJECTED_STATUS:
        raise MathsRenderingError(_rejection_message(json.loads(result.stdout), formulas, page_name))
    if result.returncode != 0:
        raise MathsRenderingError(
            f"{page_name}: {RENDER_SCRIPT.name} failed with exit status {result.returncode}: {result.stderr.strip()}"
        )

    # KaTeX's strict mode warns about TeX that LaTeX would read differently.
    for line in result.stderr.splitlines():
        if line.strip():
            log.warning("%s: KaTeX: %s", page_name, line.strip())

    rendered = json.loads(result.stdout)
    if len(rendered) != len(formulas):
        raise MathsRenderingError(
            f"{page_name}: {RENDER_SCRIPT.name} returned {len(rendered)} renderings for {len(formulas)} formulas."
        )
    return rendered


def _node_executable(node_modules: Path) -> str:
    node = shutil.which("node")
    if node is None:
        raise MathsRenderingError(
            "Node.js (`node`) not found on PATH, but the build needs it to render the maths. "
            f"Install Node.js 20 or newer, then run `npm ci` in {node_modules.parent} to install KaTeX."
        )
    return node


def _rejection_message(rejections: list[dict], formulas: list[Formula], page_name: str) -> str:
    lines = [f"{page_name}: KaTeX rejected {len(rejections)} of the page's {len(formulas)} formulas:"]
    for rejection in rejections:
        tex = formulas[rejection["index"]].tex
        position = rejection["position"]
        where = "" if position is None else f" (at character {position + 1} of the formula)"
        lines.append(f"  {tex}")
        lines.append(f"    {rejection['reason']}{where}")
    return "\n".join(lines)
