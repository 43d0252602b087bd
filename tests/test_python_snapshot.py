"""The Python runtime's memory snapshot: stored on a first visit, restored on the next, discarded when broken."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, BrowserType, Page

from bench_pages import READ_SNAPSHOT_RECORD
from conftest import CHAPTER_PATH, watch_page
from neuron_descent import web_api

pytestmark = pytest.mark.browser

WIDGET = "#descent-widget"
READY_TIMEOUT_MS = 90_000
# The worker stores the snapshot 3 s after Python is ready and then compresses it.
STORE_TIMEOUT_MS = 60_000

# Replaces the stored snapshot with gzip data that is not a Pyodide snapshot, keeping its version.
BREAK_RECORD = """
async () => {
  const junk = new Uint8Array(4096).fill(7);
  const stream = new Blob([junk]).stream().pipeThrough(new CompressionStream('gzip'));
  const data = new Uint8Array(await new Response(stream).arrayBuffer());
  const database = await new Promise((resolve, reject) => {
    const opening = indexedDB.open('neuron-descent');
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const store = database.transaction('python-snapshots', 'readwrite').objectStore('python-snapshots');
  const version = await new Promise((resolve) => {
    const reading = store.get('runtime');
    reading.onsuccess = () => resolve(reading.result.version);
  });
  await new Promise((resolve) => {
    const writing = store.put({ version, data }, 'runtime');
    writing.onsuccess = resolve;
  });
  database.close();
}
"""


def open_ready_chapter(page: Page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function(
        f"() => document.querySelector('{WIDGET}')?.dataset.ready === 'true'", timeout=READY_TIMEOUT_MS
    )
    return page.evaluate("() => NeuronDescent.status")


def wait_for_stored_snapshot(page: Page) -> dict:
    for _ in range(STORE_TIMEOUT_MS // 500):
        record = page.evaluate(READ_SNAPSHOT_RECORD)
        if record:
            return record
        page.wait_for_timeout(500)
    raise AssertionError(f"No snapshot was stored within {STORE_TIMEOUT_MS} ms")


def describe_in_page(page: Page) -> dict:
    return page.evaluate("() => NeuronDescent.call('describe', {dataset: 'two-point', grid_size: 5})")


def test_snapshot_restores_python_on_next_visit(browser: Browser, site_url):
    context = browser.new_context()
    try:
        first = watch_page(context.new_page())
        first_status = open_ready_chapter(first, site_url + CHAPTER_PATH)
        record = wait_for_stored_snapshot(first)
        first.close()

        second = watch_page(context.new_page())
        second_status = open_ready_chapter(second, site_url + CHAPTER_PATH)
        expected = json.loads(web_api.describe(json.dumps({"dataset": "two-point", "grid_size": 5})))

        assert first_status["restored"] is False
        assert record["version"].startswith("314.0.8 assets/wheels/")
        assert record["bytes"] > 1_000_000
        assert second_status["restored"] is True
        # Pyodide's libm may differ from CPython's in the last bit of tanh.
        assert describe_in_page(second)["grid"]["loss"] == pytest.approx(expected["grid"]["loss"], rel=1e-12)
        second.locator(WIDGET).get_by_role("button", name="Step (1)", exact=True).click()
        second.wait_for_function(f"() => document.querySelector('{WIDGET}').ndDescent.state().run?.k === 1")
        assert second.console_errors == []
    finally:
        context.close()


def test_broken_snapshot_falls_back_to_fresh_start(browser: Browser, site_url):
    context = browser.new_context()
    try:
        first = watch_page(context.new_page())
        open_ready_chapter(first, site_url + CHAPTER_PATH)
        wait_for_stored_snapshot(first)
        first.evaluate(BREAK_RECORD)
        first.close()

        second = watch_page(context.new_page())
        status = open_ready_chapter(second, site_url + CHAPTER_PATH)

        assert status["restored"] is False
        assert describe_in_page(second)["ok"] is True
        assert second.console_errors == []
        # The broken snapshot was deleted, and the fresh start stores a new one.
        assert wait_for_stored_snapshot(second)["bytes"] > 1_000_000
    finally:
        context.close()


def test_snapshot_outlives_browser_restart(browser_type: BrowserType, browser_type_launch_args, site_url, tmp_path):
    # A profile on disk, as a reader's browser keeps it: the snapshot must be committed to
    # it, not only written to an in-memory store, before the worker that wrote it ends.
    def open_profile():
        return browser_type.launch_persistent_context(tmp_path / "profile", **browser_type_launch_args)

    context = open_profile()
    try:
        first = watch_page(context.new_page())
        open_ready_chapter(first, site_url + CHAPTER_PATH)
        record = wait_for_stored_snapshot(first)
    finally:
        context.close()
    context = open_profile()
    try:
        second = watch_page(context.new_page())
        second_status = open_ready_chapter(second, site_url + CHAPTER_PATH)
    finally:
        context.close()

    assert record["bytes"] > 1_000_000
    assert second_status["restored"] is True
