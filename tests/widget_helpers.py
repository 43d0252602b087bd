"""Page helpers shared by the hardening, accessibility, CSP and long-session browser tests.

They drive both widgets the way a reader does and read back what the widgets expose:
`element.ndDescent.state()`, `element.ndSweep.result()`, and the `data-ready` and
`data-busy` attributes, which mark a widget that accepts input and one that is idle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page

from conftest import CHAPTER_PATH

READY_TIMEOUT_MS = 60_000
DESCENT = "#descent-widget"
SWEEP = "#sweep-widget"
# Material's fixed header would cover the top of a widget in its screenshots.
HIDE_HEADER = ".md-header { visibility: hidden; }"
PYODIDE_FILES = "**/assets/vendor/pyodide/**"
MAP_DRAWN_TIMEOUT_MS = 20_000


def wrap_runtime_call(call_body: str, setup: str = "") -> str:
    """Return an init script that runs setup and replaces window.NeuronDescent.call.

    call_body is the body of the new call(name, request), which may use `original`, the
    runtime that runtime.js assigns. runtime.js freezes that object, so the script
    intercepts the assignment and stores a frozen copy with the new call(). Add the
    script before the page loads runtime.js.
    """
    return f"""(() => {{
    {setup}
    let runtime;
    Object.defineProperty(window, 'NeuronDescent', {{
        configurable: true,
        get: () => runtime,
        set(original) {{
            runtime = Object.freeze({{
                call(name, request) {{
                    {call_body}
                }},
                onStatus: original.onStatus,
                retry: original.retry,
                memory: original.memory,
                get ready() {{ return original.ready; }},
                get status() {{ return original.status; }},
            }});
        }},
    }});
}})();"""


# An init script that records every request sent through window.NeuronDescent.call in
# window.recordedCalls as {name, request}.
RECORD_CALLS = wrap_runtime_call(
    """window.recordedCalls.push({ name, request: JSON.parse(JSON.stringify(request ?? {})) });
                    return original.call(name, request);""",
    setup="window.recordedCalls = [];",
)

# An init script that counts the Python workers the page creates in window.pythonWorkerCount.
# The worker's file name may carry a content hash, as in python-worker.1a2b3c4d.js.
COUNT_PYTHON_WORKERS = r"""(() => {
    window.pythonWorkerCount = 0;
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
        constructor(url, options) {
            super(url, options);
            if (/\/python-worker(\.[0-9a-f]+)?\.js$/.test(new URL(url, location.href).pathname)) {
                window.pythonWorkerCount += 1;
            }
        }
    };
})();"""


# Marks the first visible link whose address, without its fragment, is the argument,
# and returns whether there is one.
MARK_LINK_TO = """(target) => {
    for (const marked of document.querySelectorAll('[data-follow-probe]')) {
        delete marked.dataset.followProbe;
    }
    const link = [...document.querySelectorAll('a[href]')].find((anchor) =>
        anchor.href.split('#')[0] === target && anchor.getClientRects().length > 0);
    if (link) {
        link.dataset.followProbe = 'true';
    }
    return Boolean(link);
}"""


def follow_link(page: Page, target_url: str) -> None:
    """Click a visible link on the page to target_url, as a reader would, and wait until it opens.

    Material's instant navigation handles the click: it changes the address first and
    swaps in the new page's content and canonical link afterwards, so the wait is for
    the canonical link.
    """
    assert page.evaluate(MARK_LINK_TO, target_url), f"no visible link to {target_url} on {page.url}"
    page.locator("[data-follow-probe]").click()
    wait_for_content_of(page, target_url)


def wait_for_content_of(page: Page, url: str) -> None:
    """Wait until the page shows the content of url, judged by the canonical link that comes with it."""
    page.wait_for_function("(target) => document.querySelector('link[rel=canonical]')?.href === target", arg=url)


def open_chapter(page: Page, base_url: str, *init_scripts: str) -> Page:
    """Add init_scripts to page, open the chapter under base_url and return the page."""
    for script in init_scripts:
        page.add_init_script(script)
    page.goto(base_url + CHAPTER_PATH)
    return page


def wait_until_ready(page: Page, *selectors: str) -> None:
    """Wait until every widget in selectors (both by default) accepts input and is idle."""
    for selector in selectors or (DESCENT, SWEEP):
        page.wait_for_function(
            f"() => document.querySelector('{selector}')?.dataset.ready === 'true'", timeout=READY_TIMEOUT_MS
        )
        wait_until_idle(page, selector)


def wait_until_idle(page: Page, selector: str = DESCENT) -> None:
    page.wait_for_function(f"() => document.querySelector('{selector}').dataset.busy === 'false'")


def descent_state(page: Page) -> dict:
    return page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.state()")


def sweep_result(page: Page) -> dict | None:
    return page.evaluate(f"() => document.querySelector('{SWEEP}').ndSweep.result()")


def press(page: Page, selector: str, label: str) -> None:
    """Click the button named label in the widget at selector and wait until it is idle."""
    page.locator(selector).get_by_role("button", name=label, exact=True).click()
    wait_until_idle(page, selector)


def text_field(page: Page, selector: str, label: str):
    return page.locator(selector).get_by_role("textbox", name=label, exact=True)


def field_message(page: Page, selector: str, label: str) -> str:
    """Return the inline message that the field named label shows."""
    field = text_field(page, selector, label)
    return page.locator("#" + field.get_attribute("aria-describedby")).text_content()


def recorded_calls(page: Page) -> list[dict]:
    """Return the requests that RECORD_CALLS has recorded so far."""
    return page.evaluate("() => window.recordedCalls")


def save_widget(page: Page, selector: str, path) -> None:
    page.locator(selector).screenshot(path=str(path), style=HIDE_HEADER)


@contextmanager
def python_download_held(page: Page) -> Iterator[None]:
    """Hold back the page's requests for Pyodide's files until the block ends.

    The widget then draws its map from the precomputed file but never becomes ready.
    Leaving the block removes the route handler, which lets the held requests go on.
    """
    held_routes = []

    def hold(route) -> None:
        held_routes.append(route)

    page.route(PYODIDE_FILES, hold)
    try:
        yield
    finally:
        page.unroute(PYODIDE_FILES, hold)


def wait_until_map_drawn(page: Page, timeout_ms: float = MAP_DRAWN_TIMEOUT_MS) -> None:
    """Wait until the descent widget has drawn its loss map, precomputed or live."""
    page.wait_for_function(
        "() => performance.getEntriesByName('nd:loss-map-visible').length > 0", timeout=timeout_ms
    )


def widget_position(locator) -> list[float]:
    """Return the element's left and top edges relative to its widget's.

    Neither scrolling nor the text above the widget changes them. (The text above
    can change height as the reader scrolls, because the browser lays out each
    block of text only when it comes near the viewport.)
    """
    return locator.evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            const widget = element.closest('[data-widget]').getBoundingClientRect();
            return [box.left - widget.left, box.top - widget.top];
        }"""
    )
