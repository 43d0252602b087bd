"""Both widgets when the Python runtime cannot load: one sentence, a Retry that works, readable text.

The runtime's own statuses are tested in test_runtime.py. These tests check what the
reader sees in the widgets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import CHAPTER_PATH
from widget_helpers import (
    DESCENT,
    READY_TIMEOUT_MS,
    SWEEP,
    descent_state,
    open_chapter,
    press,
    save_widget,
    sweep_result,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

# Path prefixes under the site root whose absence stops the runtime from loading, one
# per stage. The worker's prefix also covers its content-hashed copy.
UNREACHABLE_FILES = [
    "assets/runtime-manifest.json",
    "javascripts/python-worker",
    "assets/vendor/pyodide/",
    "assets/wheels/",
]


def sentence_count(text: str) -> int:
    """Count the sentences in text: a full stop, question or exclamation mark followed by a capital starts one."""
    return len(re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip()))


def assert_chapter_readable(page: Page) -> None:
    """Assert that the chapter's heading, prose and typeset maths are visible."""
    assert page.locator("article h1").is_visible()
    assert page.locator("article > p").first.is_visible()
    assert page.locator(".arithmatex .katex").count() > 0
    assert page.locator(".katex-error").count() == 0


@pytest.mark.parametrize("unreachable", UNREACHABLE_FILES)
def test_widgets_retry_after_files_return(watched_page, site_server, site_url, artifacts_dir, unreachable):
    page = watched_page
    site_server.block(unreachable)
    try:
        open_chapter(page, site_url)
        for selector in (DESCENT, SWEEP):
            failure = page.locator(f"{selector} .nd-loading--failed")
            failure.wait_for(timeout=READY_TIMEOUT_MS)
            message = failure.locator(".nd-loading__message").text_content()
            assert message == page.evaluate("() => NeuronDescent.status.message")
            assert sentence_count(message) == 1, message
            assert message.endswith("retry.") or message.endswith("again."), message
            assert failure.get_by_role("button", name="Retry").is_visible()
        assert_chapter_readable(page)
        if unreachable == "assets/vendor/pyodide/":
            save_widget(page, DESCENT, artifacts_dir / "hardening-runtime-failed-descent.png")
            save_widget(page, SWEEP, artifacts_dir / "hardening-runtime-failed-sweep.png")
    finally:
        site_server.unblock_all()

    page.locator(SWEEP).get_by_role("button", name="Retry").click()
    wait_until_ready(page)

    assert page.locator(".nd-loading").count() == 0
    press(page, DESCENT, "Step (1)")
    assert descent_state(page)["run"]["k"] == 1
    press(page, SWEEP, "Run sweep")
    assert len(sweep_result(page)["result"]["runs"]) == 6


def test_retry_while_still_unreachable_fails_again(watched_page, site_server, site_url):
    page = watched_page
    site_server.block("assets/vendor/pyodide/")
    try:
        open_chapter(page, site_url)
        retry = page.locator(DESCENT).get_by_role("button", name="Retry")
        retry.wait_for(timeout=READY_TIMEOUT_MS)
        retry.click()
        page.locator(f"{DESCENT} .nd-loading__message", has_text="Trying again").wait_for(state="detached")
        retry.wait_for(timeout=READY_TIMEOUT_MS)

        assert page.locator(f"{DESCENT} .nd-loading--failed").count() == 1
        assert page.locator(f"{SWEEP} .nd-loading--failed").count() == 1
        assert page.locator(SWEEP).get_by_role("button", name="Retry").is_visible()
    finally:
        site_server.unblock_all()

    retry.click()
    wait_until_ready(page)


def test_file_url_widgets_explain_serving(watched_page, built_site, artifacts_dir):
    page = watched_page
    chapter_file = Path(built_site.path) / CHAPTER_PATH / "index.html"
    page.goto(chapter_file.as_uri())
    runtime_message = page.evaluate("() => NeuronDescent.ready && NeuronDescent.status.message")

    for selector in (DESCENT, SWEEP):
        notice = page.locator(f"{selector} .nd-file-notice")
        notice.wait_for(timeout=10_000)
        text = notice.text_content()
        assert text == runtime_message
        assert "bash build_scripts/serve.sh" in text
        assert "python3 -m http.server --bind 127.0.0.1" in text
        assert "http://127.0.0.1:8000/" in text
        assert sentence_count(text) == 1, text
        assert page.locator(selector).get_by_role("button", name="Retry").count() == 0
    assert_chapter_readable(page)
    save_widget(page, DESCENT, artifacts_dir / "hardening-file-url.png")
