"""The build helpers: answer tokens, the missing-npm-package check, the wheel cache key, the test server."""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

import hooks

from answer_tokens import AnswerTokenError, format_value, has_tokens, replace_tokens
from package_wheel import source_digest
from static_server import StaticSiteServer
from vendor_files import MissingVendorFileError, check_vendor_files


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.9, "0.9"),
        (321, "321"),
        (1e-06, "1e-6"),
        (2.5e20, "2.5e20"),
        ([-1.2, 0.9], "(-1.2, 0.9)"),
        ("upper-left", "upper-left"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), None, {"w": 1.0}, True])
def test_format_value_rejects(value):
    with pytest.raises(AnswerTokenError):
        format_value(value)


def test_replace_tokens_writes_values():
    markdown = "About $\\mu =$ {{answer.momentum}} after {{ answer.steps }} steps."
    replaced = replace_tokens(markdown, {"momentum": 0.9, "steps": 42}, "page.md")
    assert replaced == "About $\\mu =$ 0.9 after 42 steps."


def test_replace_tokens_names_unknown_key():
    with pytest.raises(AnswerTokenError) as raised:
        replace_tokens("{{answer.speed}}", {"momentum": 0.9}, "chapter.md")
    message = str(raised.value)
    assert "chapter.md" in message
    assert "{{answer.speed}}" in message
    assert "momentum" in message


def test_has_tokens_ignores_other_braces():
    assert not has_tokens("{{ page.title }} and {answer.momentum}")


def test_build_without_node_modules_fails(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PluginError) as raised:
        hooks.on_config(config)
    assert "npm ci" in str(raised.value)


def test_missing_node_modules_names_file_and_npm_ci(tmp_path):
    with pytest.raises(MissingVendorFileError) as raised:
        check_vendor_files(tmp_path / "node_modules")
    message = str(raised.value)
    assert "node_modules" in message
    assert "npm ci" in message


def test_source_digest_follows_content(tmp_path):
    module = tmp_path / "package" / "module.py"
    module.parent.mkdir()
    module.write_text("VALUE = 1\n")
    before = source_digest(tmp_path)

    module.write_text("VALUE = 2\n")
    assert source_digest(tmp_path) != before


def test_source_digest_ignores_bytecode_and_build_output(tmp_path):
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "module.py").write_text("VALUE = 1\n")
    before = source_digest(tmp_path)

    (tmp_path / "package" / "__pycache__").mkdir()
    (tmp_path / "package" / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "build" / "lib").mkdir(parents=True)
    (tmp_path / "build" / "lib" / "module.py").write_text("VALUE = 0\n")
    assert source_digest(tmp_path) == before


def _get(url: str) -> tuple[int, Message, bytes]:
    """Return the status, the headers (case-insensitive) and the body of a GET request."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_static_server_serves_under_prefix(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "runtime.wasm").write_bytes(b"\0asm")
    with StaticSiteServer(tmp_path, prefix="/course/") as server:
        status, _, body = _get(server.url)
        wasm_status, wasm_headers, _ = _get(server.url + "runtime.wasm")
        outside_status, _, _ = _get(server.url.replace("/course/", "/index.html"))

    assert status == 200
    assert body == b"<p>home</p>"
    assert wasm_status == 200
    assert wasm_headers["Content-Type"] == "application/wasm"
    assert outside_status == 404


def test_static_server_records_requests_and_adds_headers(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    with StaticSiteServer(tmp_path) as server:
        server.extra_headers["Content-Security-Policy"] = "default-src 'self'"
        _, headers, _ = _get(server.url)
        _get(server.url + "missing.js")
        records = [(record.path, record.status) for record in server.requests]

    assert headers["Content-Security-Policy"] == "default-src 'self'"
    assert records == [("/course/", 200), ("/course/missing.js", 404)]


def test_static_server_serves_added_file(tmp_path):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    extra = tmp_path / "axe.min.js"
    extra.write_text("window.axe = {};")
    with StaticSiteServer(site_dir) as server:
        url = server.add_file("__tests__/axe.min.js", extra)
        status, headers, body = _get(url)

    assert url.endswith("/course/__tests__/axe.min.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert body == b"window.axe = {};"


def test_static_server_blocks_paths(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "file.js").write_text("")
    with StaticSiteServer(tmp_path) as server:
        server.block("assets/")
        blocked_status, _, _ = _get(server.url + "assets/file.js")
        server.unblock_all()
        unblocked_status, _, _ = _get(server.url + "assets/file.js")

    assert blocked_status == 503
    assert unblocked_status == 200
