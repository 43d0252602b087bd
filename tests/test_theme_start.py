"""The changes that spare Material's script restyles of the whole page at start-up (theme_start.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

import theme_start
from widget_helpers import wait_until_ready

# A palette style sheet shaped like Material's: its colour rules with the switching rule
# inside a media query.
PALETTE_CSS = (
    "[data-md-color-scheme=slate]{--md-typeset-a-color:#5e8bde}"
    "@media screen{[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}}"
    "[data-md-color-accent=red]{--md-accent-fg-color:#ff1a47}"
)

# Records, from before the page's own scripts, each change to a style sheet link's
# href and each change to the `js`, `no-js` and `js-focus-visible` classes of the <html> element, and
# whether <body> existed at the time. Writes that change neither are left out.
RECORD_HEAD_CHANGES = r"""(() => {
    window.headChanges = [];
    const scriptClasses = (value) => (value ?? '').split(/\s+/).filter((name) => ['js', 'no-js', 'js-focus-visible'].includes(name)).join(' ');
    new MutationObserver((records) => {
        for (const record of records) {
            const target = record.target;
            const now = target.getAttribute(record.attributeName);
            const watched = (target.localName === 'link' && target.rel === 'stylesheet' && record.attributeName === 'href'
                    && record.oldValue !== now)
                || (target === document.documentElement && record.attributeName === 'class'
                    && scriptClasses(record.oldValue) !== scriptClasses(now));
            if (watched) {
                window.headChanges.push({
                    element: target.localName,
                    attribute: record.attributeName,
                    bodyParsed: document.body !== null,
                });
            }
        }
    }).observe(document, { subtree: true, attributeOldValue: true, attributeFilter: ['href', 'class'] });
})();"""

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


def _site_with_palette(root: Path, text: str) -> Path:
    folder = root / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / "palette.0123abcd.min.css").write_text(text, encoding="utf-8")
    return root


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


def test_replace_switching_rule_twice_changes_nothing(tmp_path):
    site = _site_with_palette(tmp_path, PALETTE_CSS)
    once = theme_start.replace_switching_rule(site).read_text(encoding="utf-8")

    twice = theme_start.replace_switching_rule(site).read_text(encoding="utf-8")

    assert twice == once


def test_replace_switching_rule_fails_when_the_rule_moved(tmp_path):
    site = _site_with_palette(tmp_path, PALETTE_CSS.replace("transition-duration:0s", "transition:none"))

    with pytest.raises(theme_start.ThemeChangedError, match="expected 1"):
        theme_start.replace_switching_rule(site)


def test_replace_switching_rule_fails_without_a_palette_sheet(tmp_path):
    with pytest.raises(theme_start.ThemeChangedError, match="found 0"):
        theme_start.replace_switching_rule(tmp_path)


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


@pytest.mark.browser
def test_material_start_changes_nothing_restyled(watched_page: Page, site_url):
    watched_page.add_init_script(RECORD_HEAD_CHANGES)
    watched_page.goto(site_url + "gradient-descent/")
    wait_until_ready(watched_page, "#descent-widget")

    changes = watched_page.evaluate("window.headChanges")
    assert {(change["element"], change["attribute"]) for change in changes} == {("link", "href"), ("html", "class")}
    assert [change for change in changes if change["bodyParsed"]] == []
    classes = watched_page.evaluate("[...document.documentElement.classList]")
    assert "js" in classes
    assert "js-focus-visible" in classes
    assert "no-js" not in classes
    hrefs = watched_page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.getAttribute('href'))")
    assert hrefs and all(href.startswith(site_url) for href in hrefs)
    selectors = watched_page.evaluate(PAGE_SELECTORS)
    assert "data-md-color-scheme" in " ".join(selectors)
    assert [selector for selector in selectors if "data-md-color-switching" in selector] == []


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
