"""Instant page switches and sub-path hosting, with and without directory URLs.

Both builds are served under /course/ and built for that address, so Material's instant
navigation is on in both. Every page listed in the sitemap must load with no 404 and no
request to another host, and switching pages must never leave a second widget, a
second Python worker or untypeset maths behind.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Page

from widget_helpers import (
    COUNT_PYTHON_WORKERS,
    DESCENT,
    SWEEP,
    descent_state,
    follow_link,
    press,
    sweep_result,
    wait_for_content_of,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

SWITCH_ROUNDS = 3

# The number of .arithmatex formulas on the page and how many of them contain KaTeX's output,
# which the build writes into the page and instant navigation swaps in with the rest.
MATHS_COUNTS = """() => {
    const formulas = [...document.querySelectorAll('.arithmatex')];
    return [formulas.length, formulas.filter((formula) => formula.querySelector('.katex')).length];
}"""


@pytest.fixture(params=["directory-urls", "flat-urls"])
def hosted_site(request) -> tuple:
    """(server, chapter path) for the build with directory URLs and for the one without."""
    if request.param == "directory-urls":
        return request.getfixturevalue("site_server"), "gradient-descent/"
    return request.getfixturevalue("flat_site_server"), "gradient-descent.html"


def sitemap_pages(server) -> list[str]:
    """Return the URL of every page in the site's sitemap, plus its 404 page."""
    with urllib.request.urlopen(server.url + "sitemap.xml") as response:
        sitemap = response.read().decode()
    pages = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap)
    assert pages, sitemap
    return [*pages, server.url + "404.html"]


def assert_maths_typeset(page: Page) -> None:
    total, typeset = page.evaluate(MATHS_COUNTS)
    assert typeset == total, f"{typeset} of {total} formulas typeset on {page.url}"
    assert page.locator(".katex-error").count() == 0


def assert_one_working_widget_each(page: Page) -> None:
    """Assert one live widget per placeholder, and that Step and Run sweep work in them."""
    wait_until_ready(page)
    assert page.locator("[data-widget]").count() == 2
    assert page.locator(f"{DESCENT} .nd-descent").count() == 1
    assert page.locator(f"{SWEEP} .nd-sweep").count() == 1
    assert page.locator(".nd-map").count() == 1
    assert page.locator(".nd-loading").count() == 0

    steps_before = descent_state(page)["run"]["k"]
    press(page, DESCENT, "Step (1)")
    assert descent_state(page)["run"]["k"] == steps_before + 1
    press(page, SWEEP, "Run sweep")
    assert len(sweep_result(page)["result"]["runs"]) == 6
    assert page.locator(f"{SWEEP} .nd-sweep__curve").count() == 6


def go_to(page: Page, url: str) -> None:
    """Follow a visible link to url, wait until its page is shown and check its maths."""
    follow_link(page, url)
    page.wait_for_function("() => document.readyState === 'complete'")
    assert_maths_typeset(page)


def test_every_page_loads_without_errors(watched_page, hosted_site):
    server, chapter_path = hosted_site
    pages = sitemap_pages(server)
    assert server.url + chapter_path in pages
    server.clear_requests()

    for url in pages:
        watched_page.goto(url)
        watched_page.wait_for_load_state("load")
        if url.endswith(chapter_path):
            assert_one_working_widget_each(watched_page)
        assert_maths_typeset(watched_page)
        # The favicon can still be loading after the load event, and the next navigation
        # would cancel it and record it as failed.
        watched_page.wait_for_load_state("networkidle")

    assert watched_page.failed_requests == []
    assert watched_page.foreign_requests == []
    assert [record for record in server.requests if record.status >= 400] == []
    assert watched_page.console_errors == []


def test_page_switches_keep_one_widget_each(watched_page, hosted_site):
    server, chapter_path = hosted_site
    page = watched_page
    page.add_init_script(COUNT_PYTHON_WORKERS)
    page.goto(server.url + chapter_path)
    assert_one_working_widget_each(page)
    # A full page load would clear this marker, so it shows that every switch was instant.
    page.evaluate("() => { window.visitMarker = 'first load'; }")

    directory_urls = chapter_path.endswith("/")
    chapter_url = server.url + chapter_path
    overview_url = server.url + ("" if directory_urls else "index.html")
    references_url = server.url + ("references/" if directory_urls else "references.html")
    for _ in range(SWITCH_ROUNDS):
        go_to(page, overview_url)
        go_to(page, references_url)
        go_to(page, chapter_url)
        assert_one_working_widget_each(page)

        # History navigation changes the address before the content, so the waits are for both.
        page.go_back()
        page.wait_for_url(references_url)
        wait_for_content_of(page, references_url)
        assert_maths_typeset(page)
        page.go_forward()
        page.wait_for_url(chapter_url)
        wait_for_content_of(page, chapter_url)
        assert_maths_typeset(page)
        assert_one_working_widget_each(page)

    assert page.evaluate("() => window.visitMarker") == "first load"
    assert page.evaluate("() => window.pythonWorkerCount") == 1
    assert page.failed_requests == []
    assert page.foreign_requests == []
    assert page.console_errors == []


# True while the heading with this id has its top inside the window, below the fixed header.
HEADING_IN_VIEW = """(id) => {
    const top = document.getElementById(id).getBoundingClientRect().top;
    const headerBottom = document.querySelector('.md-header').getBoundingClientRect().bottom;
    return top >= headerBottom - 1 && top < window.innerHeight;
}"""


def test_links_within_page_keep_widgets(watched_page, hosted_site):
    """The table of contents, a heading's ¶ link and Back scroll the page without loading it again."""
    server, chapter_path = hosted_site
    page = watched_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + chapter_path)
    wait_until_ready(page)
    press(page, SWEEP, "Run sweep")
    result = sweep_result(page)
    assert result is not None
    page.evaluate(f"() => {{ document.querySelector('{SWEEP}').pageMarker = 'mounted once'; }}")
    server.clear_requests()

    contents_link = page.locator(".md-sidebar--secondary a.md-nav__link[href*='#']").nth(3)
    first_id = contents_link.get_attribute("href").split("#")[1]
    contents_link.click()
    page.wait_for_url(f"**#{first_id}")
    page.wait_for_function(HEADING_IN_VIEW, arg=first_id)
    second_link = page.locator("a.headerlink").nth(6)
    second_id = second_link.get_attribute("href").split("#")[1]
    assert second_id != first_id
    second_link.click()
    page.wait_for_url(f"**#{second_id}")
    page.go_back()
    page.wait_for_url(f"**#{first_id}")
    page.wait_for_function(HEADING_IN_VIEW, arg=first_id)

    assert page.evaluate(f"() => document.querySelector('{SWEEP}').pageMarker") == "mounted once"
    assert sweep_result(page) == result
    assert [record.path for record in server.requests if record.path.endswith(chapter_path)] == []
    assert page.console_errors == []


def test_back_after_page_switch_restores_scroll(watched_page, site_server):
    """After an instant switch to the chapter, Back between its headings scrolls as a reload would."""
    page = watched_page
    page.set_viewport_size({"width": 1280, "height": 900})
    chapter_url = site_server.url + "gradient-descent/"
    page.goto(site_server.url)
    page.evaluate("() => { window.visitMarker = 'first load'; }")
    follow_link(page, chapter_url)
    contents_links = page.locator(".md-sidebar--secondary a.md-nav__link[href*='#']")
    first_id, second_id = (contents_links.nth(index).get_attribute("href").split("#")[1] for index in (0, 4))
    contents_links.nth(0).click()
    page.wait_for_url(f"**#{first_id}")
    page.wait_for_function(HEADING_IN_VIEW, arg=first_id)
    contents_links.nth(4).click()
    page.wait_for_url(f"**#{second_id}")

    page.go_back()
    page.wait_for_url(f"**#{first_id}")
    page.wait_for_function(HEADING_IN_VIEW, arg=first_id)
    page.go_back()
    page.wait_for_url(chapter_url)
    page.wait_for_function("() => window.scrollY === 0")

    assert page.evaluate("() => window.visitMarker") == "first load"
    assert page.console_errors == []
