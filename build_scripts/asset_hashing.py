"""Give the site's own scripts, style sheets and fonts content-hashed file names.

A changed file then gets a new address, so a static host can let browsers
cache these files for a year without revalidating them. Each file under
HASHED_ROOTS gets a copy named <stem>.<hash>.<extension> beside it. The hash
covers the file after its own references were rewritten to hashed names, so a
change to one module renames every module that imports it. The originals stay
in place for anything outside the pages that names them.

References are found in two forms only: in scripts, a quoted path starting
with ./ or ../ (static imports and `new URL("./file.js", ...)`), and in style
sheets, url(...). Each page's <script src> and <link href> naming a hashed
file is rewritten to the copy, and the page's <head> gets a
<link rel="modulepreload"> for every module its module scripts import, so the
browser fetches the whole module graph at once instead of level by level.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

# assets/stylesheets contains Material's style sheets, one of which theme_start.py edits.
HASHED_ROOTS = ("javascripts", "stylesheets", "assets/stylesheets", "assets/vendor/katex", "assets/vendor/d3")
# Files outside HASHED_ROOTS that get a hashed copy as they are, without their references
# being read: Material's script, which theme_start.py edits. It names ../versions.json,
# which a site without version selection does not have.
OPAQUE_FILES = ("assets/javascripts/bundle.*.min.js",)
HASHED_SUFFIXES = (".js", ".mjs", ".css", ".woff2", ".woff", ".ttf")
MODULE_SUFFIXES = (".js", ".mjs")
HASH_LENGTH = 10

SCRIPT_REFERENCE = re.compile(r"""(?P<quote>['"])(?P<path>\.{1,2}/[^'"\s]+?\.(?:m?js|css|json))(?P=quote)""")
STYLE_REFERENCE = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<path>[^'")\s]+)(?P=quote)\s*\)""")
TAG_PATTERN = re.compile(r"<(?P<name>script|link)\b[^>]*>")
URL_ATTRIBUTE = re.compile(r"""\b(?P<name>src|href)="(?P<url>[^"]*)\"""")
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.[^./]+$")


class AssetReferenceError(ValueError):
    """A script or style sheet refers to a file that is not in the site, or files refer to each other in a loop."""


@dataclass
class HashedAssets:
    """Hashed names by original path, and the modules each script imports, all relative to the site root."""

    names: dict[str, str] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)


def _is_local(reference: str) -> bool:
    return not (reference.startswith(("/", "#", "data:")) or "://" in reference)


def _references(relative_path: str, text: str) -> list[tuple[re.Match[str], str]]:
    """Return each reference in a script or style sheet with the site path it resolves to."""
    pattern = STYLE_REFERENCE if relative_path.endswith(".css") else SCRIPT_REFERENCE
    folder = posixpath.dirname(relative_path)
    found = []
    for match in pattern.finditer(text):
        reference = match.group("path")
        if _is_local(reference):
            target = posixpath.normpath(posixpath.join(folder, reference.split("?")[0].split("#")[0]))
            found.append((match, target))
    return found


def _hashed_name(relative_path: str, content: bytes) -> str:
    stem, extension = posixpath.splitext(relative_path)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}{extension}"


def _collect_files(site_dir: Path) -> list[str]:
    files = []
    for root in HASHED_ROOTS:
        for path in sorted((site_dir / root).rglob("*")):
            relative = path.relative_to(site_dir).as_posix()
            if path.is_file() and path.suffix in HASHED_SUFFIXES and not HASHED_NAME.search(relative):
                files.append(relative)
    return files


def _opaque_files(site_dir: Path) -> list[str]:
    return [path.relative_to(site_dir).as_posix() for pattern in OPAQUE_FILES for path in sorted(site_dir.glob(pattern))]


def hash_assets(site_dir: Path) -> HashedAssets:
    """Write a content-hashed copy of every file under HASHED_ROOTS and in OPAQUE_FILES and return the names.

    Raises AssetReferenceError when a script or style sheet refers to a file
    missing from the site, or when files refer to each other in a loop.
    """
    opaque = set(_opaque_files(site_dir))
    files = set(_collect_files(site_dir)) | opaque
    hashed = HashedAssets()
    in_progress: set[str] = set()

    def visit(relative_path: str, referrer: str) -> str:
        if relative_path in hashed.names:
            return hashed.names[relative_path]
        if relative_path not in files:
            raise AssetReferenceError(f"{referrer} refers to {relative_path}, which is not in the built site.")
        if relative_path in in_progress:
            raise AssetReferenceError(f"{relative_path} is part of a loop of files that refer to each other.")
        in_progress.add(relative_path)

        content = (site_dir / relative_path).read_bytes()
        if relative_path.endswith((".css", *MODULE_SUFFIXES)) and relative_path not in opaque:
            text = content.decode("utf-8")
            references = _references(relative_path, text)
            hashed.imports[relative_path] = [target for _, target in references if target.endswith(MODULE_SUFFIXES)]
            # Replace from the end, so the earlier matches' positions stay valid.
            for match, target in reversed(references):
                new_name = posixpath.basename(visit(target, relative_path))
                reference = match.group("path")
                replacement = reference[: reference.rindex(posixpath.basename(target))] + new_name
                start, end = match.span("path")
                text = text[:start] + replacement + text[end:]
            content = text.encode("utf-8")

        name = _hashed_name(relative_path, content)
        (site_dir / name).write_bytes(content)
        in_progress.discard(relative_path)
        hashed.names[relative_path] = name
        return name

    for relative_path in sorted(files):
        visit(relative_path, relative_path)
    return hashed


def _module_graph(entry: str, imports: dict[str, list[str]]) -> list[str]:
    """Return every module that `entry` imports, directly or not, in a stable order."""
    seen: list[str] = []
    pending = list(imports.get(entry, []))
    while pending:
        module = pending.pop(0)
        if module not in seen:
            seen.append(module)
            pending.extend(imports.get(module, []))
    return seen


def rewrite_page(page_html: str, page_path: str, hashed: HashedAssets, base_path: str = "/") -> str:
    """Return a page with its script and style addresses pointing at the hashed copies.

    `page_path` is the page's path relative to the site root. Root-relative
    addresses are read relative to `base_path`, the path the site is served under.
    """
    folder = posixpath.dirname(page_path)
    preloads: list[str] = []

    def site_path(url: str) -> str | None:
        path = url.split("?")[0].split("#")[0]
        if path.startswith(base_path):
            return path[len(base_path):]
        if not _is_local(path) or not path:
            return None
        return posixpath.normpath(posixpath.join(folder, path))

    def rewrite_tag(tag: re.Match[str]) -> str:
        text = tag.group(0)
        attribute = URL_ATTRIBUTE.search(text)
        target = site_path(attribute.group("url")) if attribute else None
        if target not in hashed.names:
            return text
        url = attribute.group("url")
        name_start = url.rindex(posixpath.basename(target))
        new_url = url[:name_start] + posixpath.basename(hashed.names[target]) + url[name_start + len(posixpath.basename(target)):]
        if tag.group("name") == "script" and 'type="module"' in text:
            # Each import's address is built like the entry's, relative or root-relative.
            entry_folder = posixpath.dirname(target)
            for module in _module_graph(target, hashed.imports):
                module_url = url[:name_start] + posixpath.relpath(hashed.names[module], entry_folder or ".")
                preloads.append(f'<link rel="modulepreload" href="{module_url}">')
        start, end = attribute.span("url")
        return text[:start] + new_url + text[end:]

    rewritten = TAG_PATTERN.sub(rewrite_tag, page_html)
    if preloads:
        rewritten = rewritten.replace("</head>", "".join(dict.fromkeys(preloads)) + "</head>", 1)
    return rewritten


def rewrite_pages(site_dir: Path, hashed: HashedAssets, base_path: str = "/") -> int:
    """Rewrite every HTML page under site_dir with rewrite_page and return how many changed."""
    changed = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        rewritten = rewrite_page(text, page.relative_to(site_dir).as_posix(), hashed, base_path)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
            changed += 1
    return changed
