"""The edit that splits the start of Material's script into several tasks (theme_tasks.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

import theme_start
import theme_tasks
from widget_helpers import open_chapter, wait_until_ready

# Parts of Material's script as its minifier writes them, cut down to the statements that
# theme_tasks.py edits and their neighbours.
BUNDLE_JS = (
    '"use strict";(()=>{function an(){let e=new It(1);'
    'return h(document,"DOMContentLoaded",{once:!0}).subscribe(()=>e.next(document)),e}'
    "function wn(){return{x:Math.max(0,scrollX),y:Math.max(0,scrollY)}}"
    'function Tn(){return L(h(window,"scroll",{passive:!0}),h(window,"resize",{passive:!0})).pipe(m(wn),Q(wn()))}'
    "var ct=an(),Kt=bn(),ke=Ln(),fo=new T;di({alert$:fo});var uo=new T,qi=kt(Or.base);"
    'V("navigation.instant")&&gi({sitemap$:qi,location$:Kt,viewport$:ke,progress$:uo}).subscribe(ct);'
    "ji({document$:ct,tablet$:Lr});Wi({viewport$:ke,tablet$:Lr});"
    'var Hs=L(...me("consent").map(e=>An(e,{target$:Ht})),...me("dialog").map(e=>ni(e,{alert$:fo})),'
    '...me("source").map(e=>$i(e))),'
    '$s=H(()=>L(...me("announce").map(e=>_n(e)),...me("toc").map(e=>Ri(e,{viewport$:ke})))),'
    "Ki=ct.pipe(b(()=>$s),Ve(Hs),Z(1));Ki.subscribe();window.document$=ct;window.component$=Ki;})();\n"
    "//# sourceMappingURL=bundle.0123abcd.min.js.map\n"
)

# Each piece that the edit looks for, and a change to Material's code that hides it.
MOVED_CODE = [
    pytest.param("{once:!0}).subscribe(()=>e.next(document))", "{once:!0}).subscribe(e)", "announcement", id="announce"),
    pytest.param('V("navigation.instant")&&', 'V("navigation.instant.v2")&&', "instant navigation", id="instant"),
    pytest.param("di({alert$:fo})", "di({alerts$:fo})", "clipboard", id="clipboard"),
    pytest.param("Wi({viewport$:ke,tablet$:Lr})", "Wi({viewport$:ke,screen$:Lr})", "scroll lock", id="scroll-lock"),
    pytest.param('me("consent")', 'me("cookies")', "header controls", id="controls"),
    pytest.param("Ki.subscribe();window", "Ki.subscribe(console.log);window", "subscription", id="subscribe"),
    pytest.param("Q(wn()))}", "Q({x:0,y:0}))}", "viewport offset", id="viewport"),
]


# Whether Material's document$ has announced a page.
ANNOUNCED = "() => { let seen = false; document$.subscribe(() => { seen = true; }).unsubscribe(); return seen; }"

# Records, at the end of Material's script (its assignment of window.component$) and at the
# end of DOMContentLoaded's task (a listener on window, which the event reaches after those
# on document), how many theme-color <meta> elements its palette has added and whether
# document$ has announced the page.
RECORD_MATERIAL_START = r"""(() => {
    window.materialStart = {};
    const announced = () => {
        let seen = false;
        window.document$?.subscribe(() => { seen = true; }).unsubscribe();
        return seen;
    };
    const themeColors = () => document.querySelectorAll('meta[name="theme-color"]').length;
    Object.defineProperty(window, 'component$', {
        configurable: true,
        set(value) {
            Object.defineProperty(window, 'component$', { value, writable: true, configurable: true });
            window.materialStart.scriptEnd = { themeColors: themeColors(), announced: announced() };
        },
    });
    window.addEventListener('DOMContentLoaded', () => {
        window.materialStart.contentLoaded = { themeColors: themeColors(), announced: announced() };
    });
})();"""


def _site_with_bundle(root: Path, text: str) -> Path:
    script = root / "assets/javascripts/bundle.0123abcd.min.js"
    script.parent.mkdir(parents=True)
    script.write_text(text, encoding="utf-8")
    return root


def test_split_startup_queues_each_part(tmp_path):
    site = _site_with_bundle(tmp_path, BUNDLE_JS)

    text = theme_tasks.split_startup(site).read_text(encoding="utf-8")

    later = "requestAnimationFrame(()=>setTimeout(()=>"
    assert '{once:!0}).subscribe(()=>' + later + "e.next(document))))" in text
    assert (
        'V("navigation.instant")&&' + later
        + "gi({sitemap$:qi,location$:Kt,viewport$:ke,progress$:uo}).subscribe(ct)));"
    ) in text
    assert "fo=new T;" + later + "di({alert$:fo})));" in text
    assert "ji({document$:ct,tablet$:Lr});" + later + "Wi({viewport$:ke,tablet$:Lr})));" in text
    assert 'var Hs=H(()=>L(...me("consent").map(e=>An(e,{target$:Ht}))' in text
    assert '...me("source").map(e=>$i(e)))),$s=H(()=>L(...me("announce")' in text
    assert later + "Ki.subscribe()));window.document$=ct;" in text
    assert (
        'function Tn(){return H(()=>L(h(window,"scroll",{passive:!0}),h(window,"resize",{passive:!0}))'
        ".pipe(m(wn),Q(wn())))}"
    ) in text


def test_split_startup_keeps_source_map_lines(tmp_path):
    site = _site_with_bundle(tmp_path, BUNDLE_JS)

    text = theme_tasks.split_startup(site).read_text(encoding="utf-8")

    lines = text.split("\n")
    assert len(lines) == len(BUNDLE_JS.split("\n"))
    assert lines[0].endswith("})();" + theme_tasks.EDITED_MARK)
    assert lines[1] == "//# sourceMappingURL=bundle.0123abcd.min.js.map"


def test_split_startup_output_parses(tmp_path):
    site = _site_with_bundle(tmp_path, BUNDLE_JS)

    script = theme_tasks.split_startup(site)

    assert subprocess.run(["node", "--check", str(script)], capture_output=True).returncode == 0


def test_split_startup_twice_changes_nothing(tmp_path):
    site = _site_with_bundle(tmp_path, BUNDLE_JS)
    once = theme_tasks.split_startup(site).read_text(encoding="utf-8")

    twice = theme_tasks.split_startup(site).read_text(encoding="utf-8")

    assert twice == once


@pytest.mark.parametrize(("original", "moved", "message"), MOVED_CODE)
def test_split_startup_fails_when_code_moved(tmp_path, original, moved, message):
    assert BUNDLE_JS.count(original) == 1
    site = _site_with_bundle(tmp_path, BUNDLE_JS.replace(original, moved))

    with pytest.raises(theme_start.ThemeChangedError, match=f"0 copies of .*{message}"):
        theme_tasks.split_startup(site)
    script = site / "assets/javascripts/bundle.0123abcd.min.js"
    assert script.read_text(encoding="utf-8") == BUNDLE_JS.replace(original, moved)


def test_split_startup_fails_without_file(tmp_path):
    with pytest.raises(theme_start.ThemeChangedError, match="found 0"):
        theme_tasks.split_startup(tmp_path)


@pytest.mark.browser
def test_material_mounts_after_its_script(watched_page: Page, site_url):
    open_chapter(watched_page, site_url, RECORD_MATERIAL_START)
    wait_until_ready(watched_page, "#descent-widget")

    start = watched_page.evaluate("window.materialStart")
    assert start["scriptEnd"] == {"themeColors": 0, "announced": False}
    assert start["contentLoaded"]["announced"] is False
    watched_page.wait_for_function(
        "() => document.querySelectorAll('meta[name=\"theme-color\"]').length === 1"
    )
    watched_page.wait_for_function(ANNOUNCED)
