"""A small threaded HTTP server for a built site, for tests and benchmarks.

It serves a folder under a URL prefix such as /course/, so the site is
checked the way a static host serves it from a sub-path. It binds to
127.0.0.1 only and records every request's path and status. Tests can add
response headers (a Content-Security-Policy, for example) and serve extra
files that are not part of the site (axe-core, for example). They can also
make chosen paths respond with an error, to simulate unreachable files.

It sends cache headers like a static host configured for long caching. Files
whose address changes with their content (a hex hash in the file name, or a
folder named after a version or a digest) get an ETag and `Cache-Control:
public, max-age=31536000, immutable`. Every other file gets an ETag and
`Cache-Control: no-cache`, so browsers revalidate pages and manifests with
If-None-Match and get a 304 when nothing changed.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"

# A file name with a dot-separated part of eight or more hex digits (such as
# bundle.a5f9d56c.min.js), or a path under a folder named like 314.0.8 or after
# a 16-digit hex digest.
IMMUTABLE_PATH = re.compile(r"(?:^|/)(?:[^/]*\.[0-9a-f]{8,}\.[^/]+$|\d+\.\d+\.\d+/|[0-9a-f]{16,}/)")
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
REVALIDATE_CACHE_CONTROL = "no-cache"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".bin": "application/octet-stream",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class RequestRecord:
    """One request the server handled: its method, path (with query) and HTTP status."""

    method: str
    path: str
    status: int


class _SiteRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(self, *args, site: StaticSiteServer, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site.root), **kwargs)

    def _site_path(self) -> str | None:
        """Return the request path relative to the prefix, or None outside it."""
        path = urlsplit(self.path).path
        if path == self.site.prefix.rstrip("/"):
            return ""
        if not path.startswith(self.site.prefix):
            return None
        return path[len(self.site.prefix):]

    def send_head(self):
        self._cache_headers = {}
        site_path = self._site_path()
        if site_path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Outside the site's prefix")
            return None

        blocked_status = self.site.blocked_status(unquote(site_path))
        if blocked_status is not None:
            self.send_error(blocked_status, "Blocked by the test server")
            return None

        file_path = self._file_to_serve()
        if file_path is not None:
            stat = os.stat(file_path)
            # The same form of ETag as nginx: modification time and size in hex.
            etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
            immutable = IMMUTABLE_PATH.search(unquote(site_path)) is not None
            self._cache_headers = {
                "ETag": etag,
                "Cache-Control": IMMUTABLE_CACHE_CONTROL if immutable else REVALIDATE_CACHE_CONTROL,
            }
            if etag in [tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")]:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
        return super().send_head()

    def _file_to_serve(self) -> str | None:
        """Return the file that a GET of this path would send, or None for a listing, a redirect or a missing file."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None

    def send_error(self, code, message=None, explain=None) -> None:
        self._cache_headers = {}
        super().send_error(code, message, explain)

    def translate_path(self, path: str) -> str:
        split = urlsplit(path)
        if not split.path.startswith(self.site.prefix):
            return super().translate_path("/")
        quoted_site_path = split.path[len(self.site.prefix):]
        extra_file = self.site.extra_file(unquote(quoted_site_path))
        if extra_file is not None:
            return str(extra_file)
        # The base class unquotes the path itself.
        return super().translate_path("/" + quoted_site_path)

    def end_headers(self) -> None:
        for name, value in getattr(self, "_cache_headers", {}).items():
            self.send_header(name, value)
        for name, value in self.site.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_request(self, code="-", size="-") -> None:
        status = code.value if isinstance(code, HTTPStatus) else int(code)
        self.site.record(RequestRecord(self.command, self.path, status))

    def log_message(self, format, *args) -> None:
        # Requests are recorded by log_request; the console stays quiet.
        pass


class _QuietThreadingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a connection mid-response (for example when a
        # page is closed while Pyodide downloads) is normal in tests.
        pass


class StaticSiteServer:
    """Serve root under prefix at http://127.0.0.1:<port><prefix> from a background thread.

    Use it as a context manager, or call start() and stop(). port 0 picks a
    free port. extra_headers is sent with every response and can be changed
    while the server runs.
    """

    def __init__(self, root: Path, prefix: str = "/course/", port: int = 0):
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"prefix {prefix!r} must start and end with '/'")
        self.root = Path(root)
        self.prefix = prefix
        self.extra_headers: dict[str, str] = {}
        self._requests: list[RequestRecord] = []
        self._blocked: dict[str, int] = {}
        self._extra_files: dict[str, Path] = {}
        self._lock = threading.Lock()
        self._server = _QuietThreadingHTTPServer((HOST, port), partial(_SiteRequestHandler, site=self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The site's base URL, ending in the prefix."""
        return f"http://{HOST}:{self._server.server_address[1]}{self.prefix}"

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of every request handled so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def record(self, request: RequestRecord) -> None:
        with self._lock:
            self._requests.append(request)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def block(self, path_prefix: str, status: int = HTTPStatus.SERVICE_UNAVAILABLE) -> None:
        """Respond with status to every path under path_prefix (relative to the site prefix)."""
        with self._lock:
            self._blocked[path_prefix] = int(status)

    def add_file(self, site_path: str, file: Path) -> str:
        """Serve file at site_path (relative to the prefix) and return its URL."""
        if not Path(file).is_file():
            raise FileNotFoundError(f"{file} is not a file")
        with self._lock:
            self._extra_files[site_path] = Path(file)
        return self.url + site_path

    def extra_file(self, site_path: str) -> Path | None:
        with self._lock:
            return self._extra_files.get(site_path)

    def unblock_all(self) -> None:
        with self._lock:
            self._blocked.clear()

    def blocked_status(self, site_path: str) -> int | None:
        with self._lock:
            for path_prefix, status in self._blocked.items():
                if site_path.startswith(path_prefix):
                    return status
        return None

    def start(self) -> StaticSiteServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="static-site-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> StaticSiteServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
