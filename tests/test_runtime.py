"""The chapter in Chromium: typeset maths, and the Python worker that runtime.js starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import CHAPTER_PATH

pytestmark = pytest.mark.browser

READY_TIMEOUT_MS = 60_000
STAGE_ORDER = ["idle", "downloading", "starting", "installing", "ready"]
DESCRIBE_REQUEST = {"dataset": "two-point", "activation": "tanh", "grid_size": 41}

RECORD_STATUSES = """() => {
    window.recordedStatuses = [];
    NeuronDescent.onStatus((status) => window.recordedStatuses.push(status));
}"""


# Resolve with the runtime's status once it is ready or failed, or after
# timeoutMs with whatever status it has then. Unlike page.wait_for_function,
# which evaluates a string, this runs under a Content-Security-Policy without
# 'unsafe-eval'.
WAIT_FOR_RUNTIME = """(timeoutMs) => new Promise((resolve) => {
    let settled = false;
    const settle = () => {
        if (!settled) {
            settled = true;
            resolve(NeuronDescent.status);
        }
    };
    setTimeout(settle, timeoutMs);
    NeuronDescent.onStatus((status) => {
        if (status.stage === "ready" || status.stage === "failed") {
            settle();
        }
    });
})"""


def wait_for_runtime(page: Page, timeout_ms: int = READY_TIMEOUT_MS) -> dict:
    """Start the runtime if needed, wait until it is ready or failed, and return its status."""
    return page.evaluate(WAIT_FOR_RUNTIME, timeout_ms)


def load_with_blocked_files(page: Page, server, url: str, path_prefix: str) -> dict:
    """Open url while the server rejects every file under path_prefix, and return the runtime's status."""
    server.block(path_prefix)
    try:
        page.goto(url)
        return wait_for_runtime(page)
    finally:
        server.unblock_all()


def describe(page: Page) -> dict:
    return page.evaluate("(request) => NeuronDescent.call('describe', request)", DESCRIBE_REQUEST)


# The number of KaTeX font faces the page has loaded, once its fonts have settled.
LOADED_KATEX_FONTS = """() => document.fonts.ready.then((fonts) =>
    [...fonts].filter((font) => font.family.includes("KaTeX") && font.status === "loaded").length
)"""


def test_chapter_arrives_with_typeset_maths(chapter_page, site_server):
    assert chapter_page.locator(".arithmatex .katex").count() > 0
    assert chapter_page.locator(".arithmatex .katex-display").count() > 0
    assert chapter_page.locator(".katex-error").count() == 0
    assert chapter_page.evaluate(LOADED_KATEX_FONTS) > 0

    maths_scripts = [
        record.path for record in site_server.requests if "katex" in record.path and record.path.endswith(".js")
    ]
    assert maths_scripts == []
    assert [record.path for record in site_server.requests if "/javascripts/maths" in record.path] == []


def test_runtime_becomes_ready_and_describes(chapter_page, site_server, save_screenshot):
    chapter_page.evaluate(RECORD_STATUSES)
    status = wait_for_runtime(chapter_page)
    assert status["stage"] == "ready", status["message"]
    assert chapter_page.evaluate("() => NeuronDescent.ready.then(() => true)")

    result = describe(chapter_page)
    assert result["ok"] is True, result.get("error")
    assert result["grid"]["n"] == 41
    assert len(result["grid"]["loss"]) == 41 * 41

    stages = [recorded["stage"] for recorded in chapter_page.evaluate("() => window.recordedStatuses")]
    stage_positions = [STAGE_ORDER.index(stage) for stage in stages]
    assert stage_positions == sorted(stage_positions), stages
    fractions = [recorded["fraction"] for recorded in chapter_page.evaluate("() => window.recordedStatuses")]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1

    save_screenshot(chapter_page, "ready")
    assert chapter_page.console_errors == []
    assert chapter_page.failed_requests == []
    assert chapter_page.foreign_requests == []
    assert [record for record in site_server.requests if record.status >= 400] == []


def test_call_to_unknown_function_rejects(chapter_page):
    assert wait_for_runtime(chapter_page)["stage"] == "ready"
    message = chapter_page.evaluate(
        "() => NeuronDescent.call('no_such_function', {}).then(() => 'resolved', (error) => error.message)"
    )
    assert "no public function named 'no_such_function'" in message


def test_runtime_reports_failure_then_retry_recovers(watched_page, site_server, site_url):
    failed = load_with_blocked_files(watched_page, site_server, site_url + CHAPTER_PATH, "assets/vendor/pyodide/")

    assert failed["stage"] == "failed"
    assert failed["message"] == "The Python runtime could not be downloaded; check your connection and retry."
    call_error = watched_page.evaluate(
        "(request) => NeuronDescent.call('describe', request).then(() => 'resolved', (error) => error.message)",
        DESCRIBE_REQUEST,
    )
    assert call_error == failed["message"]

    watched_page.evaluate("() => { NeuronDescent.retry(); }")
    assert wait_for_runtime(watched_page)["stage"] == "ready"
    assert describe(watched_page)["ok"] is True


def test_missing_wheel_reports_install_failure(watched_page, site_server, site_url):
    failed = load_with_blocked_files(watched_page, site_server, site_url + CHAPTER_PATH, "assets/wheels/")

    assert failed["stage"] == "failed"
    assert failed["message"] == (
        "The chapter's Python package could not be installed; check your connection and retry."
    )


def test_file_url_explains_serving(watched_page, built_site):
    chapter_file = Path(built_site.path) / CHAPTER_PATH / "index.html"
    watched_page.goto(chapter_file.as_uri())
    status = wait_for_runtime(watched_page)
    assert status["stage"] == "failed"
    assert "bash build_scripts/serve.sh" in status["message"]
    assert "http://127.0.0.1:8000/" in status["message"]


def test_runtime_ready_without_directory_urls(watched_page, flat_site_url):
    watched_page.goto(flat_site_url + "gradient-descent.html")
    status = wait_for_runtime(watched_page)
    assert status["stage"] == "ready", status["message"]
    assert describe(watched_page)["ok"] is True
    assert watched_page.failed_requests == []
