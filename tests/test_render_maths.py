"""render_maths.py: KaTeX rendering of arithmatex elements at build time, with the real Node.js and katex."""

from __future__ import annotations

import html
import logging
import re

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

import hooks
import render_maths
from conftest import REPOSITORY_ROOT
from render_maths import Formula, MathsRenderingError, find_formulas, render_page

NODE_MODULES = REPOSITORY_ROOT / "node_modules"

# KaTeX's MathML keeps the TeX it was given in this element, escaped as HTML text.
TEX_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)


def inline(escaped_tex: str) -> str:
    """Return the element pymdownx.arithmatex writes for inline maths, from already-escaped TeX."""
    return f'<span class="arithmatex">\\({escaped_tex}\\)</span>'


def display(escaped_tex: str) -> str:
    """Return the element pymdownx.arithmatex writes for display maths, from already-escaped TeX."""
    return f'<div class="arithmatex">\\[\n{escaped_tex}\n\\]</div>'


def annotations(rendered_html: str) -> list[str]:
    return [html.unescape(text) for text in TEX_ANNOTATION.findall(rendered_html)]


def test_find_formulas_unescapes_and_unwraps():
    page = "<p>" + inline("a &lt; b") + "</p>" + display("x &amp; y \\\\ z")
    assert find_formulas(page, "page.md") == [
        Formula(tex="a < b", display=False),
        Formula(tex="x & y \\\\ z", display=True),
    ]


def test_find_formulas_accepts_extra_attributes():
    page = '<div id="loss" class="arithmatex wide" data-note="1">\\[L\\]</div>'
    assert find_formulas(page, "page.md") == [Formula(tex="L", display=True)]


def test_find_formulas_ignores_other_classes():
    page = '<span class="arithmatexish">\\(x\\)</span><span class="notarithmatex">\\(y\\)</span>'
    assert find_formulas(page, "page.md") == []


def test_find_formulas_rejects_missing_delimiters():
    with pytest.raises(MathsRenderingError) as raised:
        find_formulas('<span class="arithmatex">$x$</span>', "chapter.md")
    message = str(raised.value)
    assert "chapter.md" in message
    assert "$x$" in message


def test_render_page_annotation_contains_input_tex():
    tex = "\\theta_{k+1} = \\theta_k - \\eta \\nabla L(\\theta_k)"
    rendered = render_page("<p>Step: " + inline(html.escape(tex)) + ".</p>", "page.md", NODE_MODULES)
    assert annotations(rendered) == [tex]


def test_render_page_round_trips_escaped_characters():
    tex = 'a < b \\text{ and } c > d \\quad x & y \\\\ z \\text{"quoted"}'
    page = display("\\begin{aligned}" + html.escape(tex) + "\\end{aligned}")
    rendered = render_page(page, "page.md", NODE_MODULES)
    assert annotations(rendered) == ["\\begin{aligned}" + tex + "\\end{aligned}"]


def test_render_page_keeps_wrapper_and_surroundings():
    page = "<p>Before " + inline("x") + " between " + inline("y") + " after.</p>"
    rendered = render_page(page, "page.md", NODE_MODULES)
    assert rendered.startswith('<p>Before <span class="arithmatex"><span class="katex">')
    assert rendered.endswith("</span></span> after.</p>")
    assert "</span></span> between <span class=\"arithmatex\">" in rendered
    assert annotations(rendered) == ["x", "y"]


def test_render_page_removes_delimiters():
    rendered = render_page(inline("x") + display("y"), "page.md", NODE_MODULES)
    assert rendered.count('class="arithmatex"><span class="katex') == 2
    assert "\\(" not in rendered
    assert "\\[" not in rendered


def test_render_page_marks_display_formulas():
    rendered = render_page(display("y = x^2") + inline("z"), "page.md", NODE_MODULES)
    assert rendered.startswith('<div class="arithmatex"><span class="katex-display"><span class="katex">')
    assert rendered.count("katex-display") == 1
    assert 'display="block"' in rendered


def test_render_page_includes_mathml_and_html():
    rendered = render_page(inline("x^2"), "page.md", NODE_MODULES)
    assert '<span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML">' in rendered
    assert '<span class="katex-html" aria-hidden="true">' in rendered


def test_render_page_without_maths_is_unchanged():
    page = "<p>No maths, only \\(escaped text\\) outside an arithmatex element.</p>"
    assert render_page(page, "page.md", NODE_MODULES) == page


def test_render_page_logs_katex_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.render_maths"):
        rendered = render_page(display("a \\\\ b"), "chapter.md", NODE_MODULES)
    assert annotations(rendered) == ["a \\\\ b"]
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("chapter.md: KaTeX: ")
    assert "newLineInDisplayMode" in record.getMessage()


def test_render_page_names_rejected_formula():
    page = inline("x") + display("\\frac{1}{") + inline("\\undefinedmacro + 1")
    with pytest.raises(MathsRenderingError) as raised:
        render_page(page, "chapter.md", NODE_MODULES)
    message = str(raised.value)
    assert "chapter.md" in message
    assert "rejected 2 of the page's 3 formulas" in message
    assert "\n  \\frac{1}{\n" in message
    assert "\n  \\undefinedmacro + 1\n" in message
    assert "Undefined control sequence: \\undefinedmacro" in message
    assert "at character 1 of the formula" in message


def test_render_page_without_katex_says_npm_ci(tmp_path):
    with pytest.raises(MathsRenderingError) as raised:
        render_page(inline("x"), "page.md", tmp_path / "node_modules")
    message = str(raised.value)
    assert "katex" in message
    assert "npm ci" in message


def test_render_page_without_node_says_npm_ci(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MathsRenderingError) as raised:
        render_page(inline("x"), "page.md", NODE_MODULES)
    message = str(raised.value)
    assert "Node.js" in message
    assert "npm ci" in message


def test_post_page_hook_raises_plugin_error(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    (tmp_path / "node_modules").symlink_to(NODE_MODULES)
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))

    class FakeFile:
        src_uri = "chapter.md"

    class FakePage:
        file = FakeFile()
        url = "chapter/"

    with pytest.raises(PluginError) as raised:
        hooks.on_post_page(inline("\\nosuchmacro"), FakePage(), config)
    message = str(raised.value)
    assert "chapter.md" in message
    assert "\\nosuchmacro" in message
