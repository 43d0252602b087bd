"""The changes that spare Material's script restyles of the whole page at start-up (theme_start.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

import theme_start
import theme_tasks
from widget_helpers import open_chapter, wait_until_ready

# A palette style sheet shaped like Material's: its colour rules with the switching rule
# inside a media query.
PALETTE_CSS = (
    "[data-md-color-scheme=slate]{--md-typeset-a-color:#5e8bde}"
    "@media screen{[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}}"
    "[data-md-color-accent=red]{--md-accent-fg-color:#ff1a47}"
)

# Records, from before the page's own scripts, each change to a style sheet link's
# href, each change to the `js`, `no-js` and `js-focus-visible` classes of the <html>
# element, and each color-scheme <meta> added or given new content, with whether <body>
# existed at the time. Writes that change none of these are left out.
RECORD_HEAD_CHANGES = r"""(() => {
    window.headChanges = [];
    const scriptClasses = (value) => (value ?? '').split(/\s+/).filter((name) => ['js', 'no-js', 'js-focus-visible'].includes(name)).join(' ');
    const isSchemeMeta = (node) => node.localName === 'meta' && node.getAttribute('name') === 'color-scheme';
    const note = (element, attribute, value) => window.headChanges.push({
        element, attribute, value, bodyParsed: document.body !== null,
    });
    new MutationObserver((records) => {
        for (const record of records) {
            const target = record.target;
            if (record.type === 'childList') {
                for (const node of record.addedNodes) {
                    if (isSchemeMeta(node)) note('meta', 'added', node.content);
                }
                continue;
            }
            const now = target.getAttribute(record.attributeName);
            const watched = (target.localName === 'link' && target.rel === 'stylesheet' && record.attributeName === 'href'
                    && record.oldValue !== now)
                || (target === document.documentElement && record.attributeName === 'class'
                    && scriptClasses(record.oldValue) !== scriptClasses(now))
                || (isSchemeMeta(target) && record.attributeName === 'content');
            if (watched) note(target.localName, record.attributeName, now);
        }
    }).observe(document, {
        subtree: true, childList: true, attributeOldValue: true, attributeFilter: ['href', 'class', 'content'],
    });
})();"""

# The color-scheme elements in <head>, and the color scheme of Material's header.
READ_COLOR_SCHEMES = """() => ({
    metas: [...document.querySelectorAll('meta[name="color-scheme"]')].map((meta) => meta.content),
    header: getComputedStyle(document.querySelector('.md-header')).colorScheme,
})"""

# Selectors of every style rule the page's style sheets hold, media queries included.
PAGE_SELECTORS = """() => {
    const selectors = [];
    const walk = (rules) => {
        for (const rule of rules) {
            if (rule.selectorText) selectors.push(rule.selectorText);
            if (rule.cssRules) walk(rule.cssRules);
        }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    return selectors;
}"""


def _site_with_file(root: Path, relative_path: str, text: str) -> Path:
    """Write text to relative_path under root, a built site's folder, and return root."""
    file = root / relative_path
    file.parent.mkdir(parents=True)
    file.write_text(text, encoding="utf-8")
    return root


def _site_with_palette(root: Path, text: str) -> Path:
    return _site_with_file(root, "assets/stylesheets/palette.0123abcd.min.css", text)


def test_replace_switching_rule_keeps_the_other_rules(tmp_path):
    site = _site_with_palette(tmp_path, PALETTE_CSS)

    sheet = theme_start.replace_switching_rule(site)

    text = sheet.read_text(encoding="utf-8")
    assert "data-md-color-switching" not in text
    assert (
        "@media screen{[data-nd-palette-switching] *,[data-nd-palette-switching] :after,"
        "[data-nd-palette-switching] :before{transition-duration:0s!important}}"
    ) in text
    assert "[data-md-color-scheme=slate]{--md-typeset-a-color:#5e8bde}" in text
    assert "[data-md-color-accent=red]{--md-accent-fg-color:#ff1a47}" in text
    assert "@media screen{" in text


# Material's palette component as its minified script writes it: the color-scheme element is
# made and added, then set from the header's computed style.
BUNDLE_JS = (
    'function li(e){let t=M("input",e),r=x("meta",{name:"theme-color"});document.head.appendChild(r);'
    'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);let n=Wt("(prefers-color-scheme: light)");'
    'return i.pipe(m(()=>{let s=Ce("header"),a=window.getComputedStyle(s);'
    'return o.content=a.colorScheme,a.backgroundColor.match(/\\d+/g)}))}'
)


def _site_with_bundle(root: Path, text: str) -> Path:
    return _site_with_file(root, "assets/javascripts/bundle.0123abcd.min.js", text)


def test_patch_palette_script_reuses_head_element(tmp_path):
    site = _site_with_bundle(tmp_path, BUNDLE_JS)

    text = theme_start.patch_palette_script(site).read_text(encoding="utf-8")

    assert (
        """let o=document.querySelector('meta[name="color-scheme"]')"""
        """||document.head.appendChild(x("meta",{name:"color-scheme"}));"""
    ) in text
    assert "return (o.content===a.colorScheme||(o.content=a.colorScheme)),a.backgroundColor" in text
    assert 'r=x("meta",{name:"theme-color"});document.head.appendChild(r);' in text


# Each build-time edit of Material's files, with a site folder holding the file it edits.
EDITS = [
    pytest.param(theme_start.replace_switching_rule, lambda root: _site_with_palette(root, PALETTE_CSS), id="palette"),
    pytest.param(theme_start.patch_palette_script, lambda root: _site_with_bundle(root, BUNDLE_JS), id="bundle"),
]


@pytest.mark.parametrize(("edit", "make_site", "message"), [
    pytest.param(
        theme_start.replace_switching_rule,
        lambda root: _site_with_palette(root, PALETTE_CSS.replace("transition-duration:0s", "transition:none")),
        "expected 1",
        id="palette",
    ),
    pytest.param(
        theme_start.patch_palette_script,
        lambda root: _site_with_bundle(
            root, BUNDLE_JS.replace("o.content=a.colorScheme", "o.setAttribute('content',a.colorScheme)")
        ),
        "expected 1 and 1",
        id="bundle",
    ),
])
def test_edit_fails_when_code_moved(tmp_path, edit, make_site, message):
    site = make_site(tmp_path)

    with pytest.raises(theme_start.ThemeChangedError, match=message):
        edit(site)


@pytest.mark.parametrize(("edit", "make_site"), EDITS)
def test_edit_twice_changes_nothing(tmp_path, edit, make_site):
    site = make_site(tmp_path)
    once = edit(site).read_text(encoding="utf-8")

    twice = edit(site).read_text(encoding="utf-8")

    assert twice == once


@pytest.mark.parametrize(("edit", "make_site"), EDITS)
def test_edit_fails_without_its_file(tmp_path, edit, make_site):
    with pytest.raises(theme_start.ThemeChangedError, match="found 0"):
        edit(tmp_path)


def test_head_script_follows_style_sheets(built_site):
    pages = sorted(built_site.path.rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        script = head.find(theme_start.HEAD_SCRIPT)
        assert script > head.rfind('rel="stylesheet"') > 0, page.relative_to(built_site.path)


def test_linked_palette_sheet_has_only_our_switching_rule(built_site):
    chapter = (built_site.path / "gradient-descent" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="\.\./(assets/stylesheets/palette\.[^"]+)"', chapter)
    assert len(links) == 1
    palette = (built_site.path / links[0]).read_text(encoding="utf-8")
    assert "[data-md-color-scheme=slate]" in palette
    assert "data-md-color-switching" not in palette
    assert "[data-nd-palette-switching] *" in palette


def test_linked_theme_script_is_edited_and_parses(built_site):
    chapter = (built_site.path / "gradient-descent" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<script src="\.\./(assets/javascripts/bundle\.[^"]+)"', chapter)
    assert len(sources) == 1
    script = built_site.path / sources[0]

    assert re.search(r"bundle\.[0-9a-f]{8}\.min\.[0-9a-f]{10}\.js$", sources[0])
    assert theme_start.FIND_SCHEME_META in script.read_text(encoding="utf-8")
    assert theme_tasks.EDITED_MARK in script.read_text(encoding="utf-8")
    assert subprocess.run(["node", "--check", str(script)], capture_output=True).returncode == 0


@pytest.mark.browser
def test_material_start_changes_nothing_restyled(watched_page: Page, site_url):
    open_chapter(watched_page, site_url, RECORD_HEAD_CHANGES)
    wait_until_ready(watched_page, "#descent-widget")

    changes = watched_page.evaluate("window.headChanges")
    schemes = watched_page.evaluate(READ_COLOR_SCHEMES)
    assert {(change["element"], change["attribute"]) for change in changes} == {
        ("link", "href"), ("html", "class"), ("meta", "added"),
    }
    assert [change for change in changes if change["bodyParsed"]] == []
    assert schemes == {"metas": ["light"], "header": "light"}
    classes = watched_page.evaluate("[...document.documentElement.classList]")
    assert "js" in classes
    assert "js-focus-visible" in classes
    assert "no-js" not in classes
    hrefs = watched_page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.getAttribute('href'))")
    assert hrefs and all(href.startswith(site_url) for href in hrefs)
    selectors = watched_page.evaluate(PAGE_SELECTORS)
    assert "data-md-color-scheme" in " ".join(selectors)
    assert [selector for selector in selectors if "data-md-color-switching" in selector] == []


@pytest.mark.browser
def test_stored_dark_palette_starts_dark(watched_page: Page, site_url):
    """A reader who chose the dark palette gets a dark color-scheme element before the body, and no other."""
    watched_page.goto(site_url + "gradient-descent/")
    wait_until_ready(watched_page, "#descent-widget")
    watched_page.locator("label[for='__palette_1']").first.click()
    watched_page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    switched = watched_page.evaluate(READ_COLOR_SCHEMES)
    watched_page.add_init_script(RECORD_HEAD_CHANGES)
    watched_page.reload()
    wait_until_ready(watched_page, "#descent-widget")

    changes = watched_page.evaluate("window.headChanges")
    added = [change for change in changes if change["element"] == "meta"]
    assert switched == {"metas": ["dark"], "header": "dark"}
    assert added == [{"element": "meta", "attribute": "added", "value": "dark", "bodyParsed": False}]
    assert watched_page.evaluate(READ_COLOR_SCHEMES) == {"metas": ["dark"], "header": "dark"}


# Clicks Material's palette toggle and returns the transition duration of a navigation link
# in the same task, before any frame, and again three frames later.
SWITCH_AND_READ_TRANSITIONS = """async () => {
    const link = document.querySelector('.md-nav__link');
    const toggle = [...document.querySelectorAll('form[data-md-component=palette] label')]
        .find((label) => label.offsetParent !== null);
    toggle.click();
    const during = getComputedStyle(link).transitionDuration;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    await frame();
    await frame();
    await frame();
    return {
        during,
        after: getComputedStyle(link).transitionDuration,
        attributeLeft: document.documentElement.hasAttribute('data-nd-palette-switching'),
        scheme: document.body.dataset.mdColorScheme,
    };
}"""


@pytest.mark.browser
def test_palette_switch_changes_colours_at_once(watched_page: Page, site_url):
    watched_page.emulate_media(reduced_motion="no-preference")
    watched_page.goto(site_url)
    watched_page.wait_for_function("() => typeof window.document$?.subscribe === 'function'")
    before = watched_page.evaluate("() => getComputedStyle(document.querySelector('.md-nav__link')).transitionDuration")

    switch = watched_page.evaluate(SWITCH_AND_READ_TRANSITIONS)

    assert before != "0s"
    assert switch["during"] == "0s"
    assert switch["after"] == before
    assert switch["attributeLeft"] is False
    assert switch["scheme"] == "slate"
    assert watched_page.console_errors == []
