"""Cache-friendly files: content-hashed names, the versioned Pyodide folder and the test server's cache headers."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import asset_hashing
from static_server import IMMUTABLE_CACHE_CONTROL, REVALIDATE_CACHE_CONTROL, StaticSiteServer

HASHED_FILE = re.compile(r"\.[0-9a-f]{10}\.(?:js|css)$")


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def request(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def page_urls(html: str, tag: str, attribute: str) -> list[str]:
    return re.findall(rf'<{tag}\b[^>]*\b{attribute}="([^"]+)"', html)


def test_hashing_rewrites_imports_bottom_up(tmp_path):
    write(tmp_path, "javascripts/main.js", "import { a } from './widgets/a.js';\n")
    write(tmp_path, "javascripts/widgets/a.js", "import { b } from '../common/b.js';\nexport const a = b;\n")
    write(tmp_path, "javascripts/common/b.js", "export const b = 1;\n")
    first = asset_hashing.hash_assets(tmp_path)

    main_text = (tmp_path / first.names["javascripts/main.js"]).read_text()
    assert Path(first.names["javascripts/widgets/a.js"]).name in main_text
    assert "'../common/" + Path(first.names["javascripts/common/b.js"]).name + "'" in (
        tmp_path / first.names["javascripts/widgets/a.js"]
    ).read_text()
    assert all(HASHED_FILE.search(name) for name in first.names.values())
    assert (tmp_path / "javascripts/main.js").is_file()

    write(tmp_path, "javascripts/common/b.js", "export const b = 2;\n")
    second = asset_hashing.hash_assets(tmp_path)
    assert second.names["javascripts/main.js"] != first.names["javascripts/main.js"]


def test_hashing_rewrites_style_sheet_fonts(tmp_path):
    write(tmp_path, "assets/vendor/katex/katex.min.css", "@font-face{src:url(fonts/A.woff2) format('woff2')}")
    write(tmp_path, "assets/vendor/katex/fonts/A.woff2", "font")
    hashed = asset_hashing.hash_assets(tmp_path)

    font_name = Path(hashed.names["assets/vendor/katex/fonts/A.woff2"]).name
    css = (tmp_path / hashed.names["assets/vendor/katex/katex.min.css"]).read_text()
    assert f"url(fonts/{font_name})" in css


def test_hashing_rejects_missing_import(tmp_path):
    write(tmp_path, "javascripts/main.js", "import './missing.js';\n")
    with pytest.raises(asset_hashing.AssetReferenceError) as raised:
        asset_hashing.hash_assets(tmp_path)

    assert "javascripts/missing.js" in str(raised.value)


def test_hashing_rejects_import_loop(tmp_path):
    write(tmp_path, "javascripts/a.js", "import './b.js';\n")
    write(tmp_path, "javascripts/b.js", "import './a.js';\n")
    with pytest.raises(asset_hashing.AssetReferenceError) as raised:
        asset_hashing.hash_assets(tmp_path)

    assert "loop" in str(raised.value)


def test_page_rewrite_adds_module_preloads(tmp_path):
    write(tmp_path, "javascripts/main.js", "import './widgets/a.js';\n")
    write(tmp_path, "javascripts/widgets/a.js", "export const a = 1;\n")
    write(tmp_path, "stylesheets/site.css", "p{}")
    hashed = asset_hashing.hash_assets(tmp_path)
    page = (
        '<html><head><link rel="stylesheet" href="../stylesheets/site.css"></head>'
        '<body><script src="../javascripts/main.js" type="module"></script></body></html>'
    )

    rewritten = asset_hashing.rewrite_page(page, "chapter/index.html", hashed)
    root_relative = asset_hashing.rewrite_page(page.replace("../", "/course/"), "404.html", hashed, "/course/")

    assert f'href="../{hashed.names["stylesheets/site.css"]}"' in rewritten
    assert f'src="../{hashed.names["javascripts/main.js"]}"' in rewritten
    assert f'<link rel="modulepreload" href="../{hashed.names["javascripts/widgets/a.js"]}"></head>' in rewritten
    assert f'href="/course/{hashed.names["javascripts/widgets/a.js"]}"' in root_relative


def test_built_pages_name_hashed_assets(built_site):
    html = (built_site.path / "gradient-descent/index.html").read_text(encoding="utf-8")
    own_scripts = [url for url in page_urls(html, "script", "src") if "/javascripts/" in url or "/vendor/" in url]
    own_styles = [url for url in page_urls(html, "link", "href") if url.endswith(".css")]
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)

    assert len(own_scripts) >= 5
    assert [url for url in own_scripts + own_styles if not re.search(r"\.[0-9a-f]{8,}\.", url)] == []
    assert any("/widgets/descent/index." in url for url in preloads)
    for url in own_scripts + preloads:
        assert (built_site.path / "gradient-descent" / url).resolve().is_file(), url


def test_built_worker_address_is_hashed(built_site):
    [runtime] = [path for path in (built_site.path / "javascripts").glob("runtime.*.js")]
    [worker_name] = re.findall(r'new URL\("\./(python-worker\.[0-9a-f]{10}\.js)"', runtime.read_text(encoding="utf-8"))

    assert (built_site.path / "javascripts" / worker_name).is_file()


def test_pyodide_folder_is_versioned(built_site):
    manifest = json.loads((built_site.path / "assets/runtime-manifest.json").read_text(encoding="utf-8"))

    assert manifest["pyodide"]["index"] == f"assets/vendor/pyodide/{manifest['pyodide']['version']}/"
    assert (built_site.path / manifest["pyodide"]["index"] / "pyodide.asm.wasm").is_file()


def test_server_sends_cache_headers(tmp_path):
    write(tmp_path, "index.html", "<p>home</p>")
    write(tmp_path, "javascripts/main.0123456789.js", "")
    write(tmp_path, "assets/vendor/pyodide/314.0.8/pyodide.mjs", "")
    write(tmp_path, "assets/runtime-manifest.json", "{}")
    with StaticSiteServer(tmp_path) as server:
        _, page = request(server.url)
        _, hashed = request(server.url + "javascripts/main.0123456789.js")
        _, versioned = request(server.url + "assets/vendor/pyodide/314.0.8/pyodide.mjs")
        _, manifest = request(server.url + "assets/runtime-manifest.json")
        missing_status, missing = request(server.url + "missing.js")

    assert page["Cache-Control"] == REVALIDATE_CACHE_CONTROL
    assert hashed["Cache-Control"] == IMMUTABLE_CACHE_CONTROL
    assert versioned["Cache-Control"] == IMMUTABLE_CACHE_CONTROL
    assert manifest["Cache-Control"] == REVALIDATE_CACHE_CONTROL
    assert page["ETag"].startswith('"')
    assert missing_status == 404
    assert "ETag" not in missing
    assert "Cache-Control" not in missing


def test_server_answers_matching_etag_with_304(tmp_path):
    write(tmp_path, "index.html", "<p>home</p>")
    with StaticSiteServer(tmp_path) as server:
        _, first = request(server.url)
        status, headers = request(server.url, {"If-None-Match": first["ETag"]})
        other_status, _ = request(server.url, {"If-None-Match": '"other"'})

    assert status == 304
    assert headers["ETag"] == first["ETag"]
    assert other_status == 200
