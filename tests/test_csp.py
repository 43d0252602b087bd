"""The built site under the strict Content-Security-Policy that the build writes for its host.

The test server sends content-security-policy.txt from the build as the
Content-Security-Policy header of every file, the worker scripts included, and the
tests use the site as a reader would: both widgets, the palette toggle and instant
navigation to every page. Violations are caught twice: as securitypolicyviolation events
in the page, and as console messages, which also carry the Python worker's.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from content_security_policy import POLICY_FILE
from widget_helpers import DESCENT, SWEEP, descent_state, follow_link, press, sweep_result, wait_until_ready

pytestmark = pytest.mark.browser

# An init script that records the page's CSP violations in window.cspViolations.
RECORD_VIOLATIONS = """(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'}`
            + ` at ${event.sourceFile}:${event.lineNumber}`);
    });
})();"""

# Inline <script> elements without src and with no type or a JavaScript type, as a
# regular expression independent of the build's own HTML parser.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"(?!module|text/javascript)[^\"]*\")[^>]*>(.*?)</script>", re.S
)


def read_policy(site_root: Path) -> dict[str, list[str]]:
    """Return the build's policy as {directive: [source, ...]}."""
    text = (site_root / POLICY_FILE).read_text(encoding="utf-8").strip()
    directives = {}
    for directive in text.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def policy_header(site_root: Path) -> str:
    return (site_root / POLICY_FILE).read_text(encoding="utf-8").strip()


@pytest.fixture(params=["directory-urls", "flat-urls"])
def strict_site(request) -> Iterator[tuple]:
    """(server, chapter path) of a build whose server sends that build's policy with every file."""
    if request.param == "directory-urls":
        server, chapter_path = request.getfixturevalue("site_server"), "gradient-descent/"
    else:
        server, chapter_path = request.getfixturevalue("flat_site_server"), "gradient-descent.html"
    server.extra_headers["Content-Security-Policy"] = policy_header(server.root)
    try:
        yield server, chapter_path
    finally:
        del server.extra_headers["Content-Security-Policy"]


def csp_console_messages(page: Page) -> list[str]:
    return [text for text in page.csp_messages if "content security policy" in text.lower().replace("-", " ")]


def watch_for_violations(page: Page) -> None:
    page.csp_messages = []
    page.on("console", lambda message: page.csp_messages.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)


def test_policy_allows_only_hashed_inline_scripts(built_site):
    policy = read_policy(Path(built_site.path))
    scripts = policy["script-src"]

    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "'wasm-unsafe-eval'" in scripts
    for name in ("connect-src", "worker-src", "font-src"):
        assert policy[name] == ["'self'"], name
    assert policy["img-src"] == ["'self'", "data:"]
    for source in scripts:
        assert source in ("'self'", "'wasm-unsafe-eval'") or source.startswith("'sha256-"), source


def test_policy_hashes_every_inline_script(built_site):
    site_root = Path(built_site.path)
    scripts = set(read_policy(site_root)["script-src"])
    pages = list(site_root.rglob("*.html"))
    assert pages

    inline_count = 0
    for page in pages:
        for body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            inline_count += 1
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            assert f"'sha256-{digest}'" in scripts, f"{page.relative_to(site_root)}: {body[:80]}"
    assert inline_count >= len(pages)


def test_site_works_under_strict_policy(watched_page, strict_site):
    server, chapter_path = strict_site
    page = watched_page
    watch_for_violations(page)
    response = page.goto(server.url + chapter_path)
    assert "wasm-unsafe-eval" in response.headers["content-security-policy"]

    wait_until_ready(page)
    press(page, DESCENT, "Step (50)")
    assert descent_state(page)["run"]["k"] == 50
    press(page, SWEEP, "Run sweep")
    assert len(sweep_result(page)["result"]["runs"]) == 6
    page.locator("label[for='__palette_1']").first.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")

    # Instant navigation swaps each page in and runs its inline scripts again.
    directory_urls = chapter_path.endswith("/")
    for path in ("" if directory_urls else "index.html",
                 "references/" if directory_urls else "references.html",
                 chapter_path):
        follow_link(page, server.url + path)
    wait_until_ready(page)
    press(page, DESCENT, "Step (1)")
    # The widget rebuilt the run of 50 steps that it had before the page switches.
    assert descent_state(page)["run"]["k"] == 51

    assert page.evaluate("() => window.cspViolations") == []
    assert csp_console_messages(page) == []
    assert page.console_errors == []
    assert page.failed_requests == []


def test_every_page_loads_under_strict_policy(watched_page, strict_site):
    server, _ = strict_site
    page = watched_page
    watch_for_violations(page)
    for path in sorted(Path(server.root).rglob("*.html")):
        url = server.url + path.relative_to(server.root).as_posix()
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.cspViolations") == [], url

    assert csp_console_messages(page) == []
    assert page.console_errors == []


def test_policy_without_wasm_fails_at_once(watched_page, site_server, site_url):
    page = watched_page
    policy = policy_header(Path(site_server.root)).replace(" 'wasm-unsafe-eval'", "")
    site_server.extra_headers["Content-Security-Policy"] = policy
    try:
        page.goto(site_url + "gradient-descent/")
        # Well before the download's 30-second stall timeout.
        failure = page.locator(f"{DESCENT} .nd-loading--failed")
        failure.wait_for(timeout=15_000)
    finally:
        del site_server.extra_headers["Content-Security-Policy"]

    message = failure.locator(".nd-loading__message").text_content()
    assert "Content-Security-Policy blocks WebAssembly" in message
    assert "'wasm-unsafe-eval'" in message
