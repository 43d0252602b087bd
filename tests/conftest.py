"""Fixtures that build the site once, serve it on 127.0.0.1 under /course/ and open it in Chromium.

Browser tests use pytest-playwright with Debian's Chromium at /usr/bin/chromium.
Every page a fixture opens records its console errors and failed requests, and
aborts any request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Response

from chromium_settings import CHROMIUM_ARGS, CHROMIUM_PATH, LOCAL_HOST
from static_server import StaticSiteServer

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SITE_PREFIX = "/course/"
CHAPTER_PATH = "gradient-descent/"

ARTIFACTS_DIR = REPOSITORY_ROOT / "test-artifacts"

# axe-core's browser bundle, which accessibility tests serve with StaticSiteServer.add_file.
AXE_SCRIPT = REPOSITORY_ROOT / "node_modules/axe-core/axe.min.js"


@dataclass(frozen=True)
class BuiltSite:
    """A site built by `mkdocs build`, with the log that the build wrote."""

    path: Path
    log: str


def build_site(site_dir: Path, site_url: str, *extra_args: str) -> BuiltSite:
    """Run `mkdocs build` into site_dir for the address site_url, failing the test run when the build fails.

    site_url must be the address the site is served from, because Material's
    instant navigation follows only links whose address is in the sitemap.
    """
    command = [
        sys.executable, "-m", "mkdocs", "build",
        "--config-file", str(REPOSITORY_ROOT / "mkdocs.yml"),
        "--site-dir", str(site_dir),
        *extra_args,
    ]
    environment = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=REPOSITORY_ROOT, env=environment, capture_output=True, text=True)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(command)}` failed with exit code {result.returncode}:\n{log}", pytrace=False)
    return BuiltSite(site_dir, log)


@contextmanager
def serve_new_build(site_dir: Path, *extra_args: str) -> Iterator[tuple[StaticSiteServer, BuiltSite]]:
    """Start a server on a free port, build the site for its address into site_dir, and yield both."""
    with StaticSiteServer(site_dir, prefix=SITE_PREFIX) as server:
        yield server, build_site(site_dir, server.url, *extra_args)


@pytest.fixture(scope="session")
def served_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StaticSiteServer, BuiltSite]]:
    with serve_new_build(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture(scope="session")
def built_site(served_build: tuple[StaticSiteServer, BuiltSite]) -> BuiltSite:
    """The site built once per test session with the default directory URLs."""
    return served_build[1]


@pytest.fixture(scope="session")
def site_server(served_build: tuple[StaticSiteServer, BuiltSite]) -> StaticSiteServer:
    """The server of built_site on 127.0.0.1 at a free port under /course/."""
    return served_build[0]


@pytest.fixture(scope="session")
def site_url(site_server: StaticSiteServer) -> str:
    """The served site's base URL, ending in /course/."""
    return site_server.url


@pytest.fixture(scope="session")
def flat_site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSiteServer]:
    """The server of a second build with use_directory_urls off (pages as name.html)."""
    with serve_new_build(tmp_path_factory.mktemp("flat-site"), "--no-directory-urls") as (server, _):
        yield server


@pytest.fixture(scope="session")
def flat_site_url(flat_site_server: StaticSiteServer) -> str:
    """Base URL of the build with use_directory_urls off, ending in /course/."""
    return flat_site_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Extend pytest-playwright's launch options to use Debian's Chromium."""
    if not CHROMIUM_PATH.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM_PATH}; install it with "
            "`apt-get install -y chromium` (as root) or run `bash build_scripts/test.sh`.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM_PATH),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == LOCAL_HOST


def watch_page(page: Page) -> Page:
    """Attach error records to page and abort its requests to other hosts.

    Adds three lists to the page:
    - console_errors: console messages of type "error" and uncaught exceptions;
    - failed_requests: requests that failed or got an HTTP status of 400 or more;
    - foreign_requests: URLs of requests to other hosts, which were aborted.
    """
    page.console_errors = []
    page.failed_requests = []
    page.foreign_requests = []

    def record_console(message) -> None:
        if message.type == "error":
            location = message.location
            page.console_errors.append(f"{message.text} ({location.get('url')}:{location.get('lineNumber')})")

    def record_failure(request: Request) -> None:
        page.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def record_error_status(response: Response) -> None:
        if response.status >= 400:
            page.failed_requests.append(f"{response.request.method} {response.url}: HTTP {response.status}")

    def abort_foreign(route) -> None:
        page.foreign_requests.append(route.request.url)
        route.abort("blockedbyclient")

    page.on("console", record_console)
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", record_failure)
    page.on("response", record_error_status)
    page.context.route(lambda url: not _is_local(url), abort_foreign)
    return page


@pytest.fixture
def watched_page(page: Page) -> Page:
    """A blank Playwright page that records errors and blocks other hosts (see watch_page)."""
    return watch_page(page)


@pytest.fixture
def chapter_page(watched_page: Page, site_server: StaticSiteServer) -> Page:
    """A watched Playwright page opened at the chapter on the served site.

    The server's request log is cleared first, so site_server.requests holds
    only this page's requests.
    """
    site_server.clear_requests()
    watched_page.goto(site_server.url + CHAPTER_PATH)
    return watched_page


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/ in the repository, where tests save screenshots."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def save_screenshot(artifacts_dir: Path, request: pytest.FixtureRequest):
    """A function (page, label) that saves a full-page PNG as test-artifacts/<test name>-<label>.png."""

    def save(page: Page, label: str) -> Path:
        path = artifacts_dir / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save

