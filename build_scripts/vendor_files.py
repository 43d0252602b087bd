"""Copy the front-end files that npm installs into the built site's assets/vendor/.

Only the files the pages and the Python worker fetch are copied, so the site
stays small and makes no request to another host.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = "assets/vendor"


class MissingVendorFileError(FileNotFoundError):
    """A file the site needs is absent from node_modules."""


@dataclass(frozen=True)
class VendorFile:
    """One file copied from node_modules into the site.

    `source` is relative to node_modules, `target` relative to assets/vendor/.
    A `source` ending in "/" names a directory copied whole. "{pyodide_version}"
    in `target` stands for the installed Pyodide's version (see target_path).
    """

    source: str
    target: str


# Pyodide's files go into a folder named after its version, so a host can let
# browsers cache them for good, because another version gets other addresses.
PYODIDE_DIR = "pyodide/{pyodide_version}"

VENDOR_FILES = (
    # Pyodide's core. pyodide.mjs is what the worker imports; pyodide.js is its
    # classic-script twin for pages that load Pyodide without a module.
    VendorFile("pyodide/pyodide.mjs", f"{PYODIDE_DIR}/pyodide.mjs"),
    VendorFile("pyodide/pyodide.js", f"{PYODIDE_DIR}/pyodide.js"),
    VendorFile("pyodide/pyodide.asm.mjs", f"{PYODIDE_DIR}/pyodide.asm.mjs"),
    VendorFile("pyodide/pyodide.asm.wasm", f"{PYODIDE_DIR}/pyodide.asm.wasm"),
    VendorFile("pyodide/python_stdlib.zip", f"{PYODIDE_DIR}/python_stdlib.zip"),
    VendorFile("pyodide/pyodide-lock.json", f"{PYODIDE_DIR}/pyodide-lock.json"),
    # KaTeX's style sheet and the fonts it loads from ./fonts/. The build renders
    # the formulas (render_maths.py), so the pages need no KaTeX script.
    VendorFile("katex/dist/katex.min.css", "katex/katex.min.css"),
    VendorFile("katex/dist/fonts/", "katex/fonts/"),
)

# The D3 modules that the widgets use, concatenated into D3_TARGET (relative to
# assets/vendor/) in dependency order. npm installs them as dependencies of the d3
# package. Each module's UMD file adds its exports to the global `d3`. The result is
# 132 KB, against 281 KB for the full d3/dist/d3.min.js of d3 7.9.2.
# d3-scale's UMD file also takes d3-time and d3-time-format, but it reads them only in
# scaleTime and scaleUtc, which the widgets do not use, so they are left out.
D3_MODULES = (
    "d3-array",
    "d3-color",
    "d3-interpolate",
    "d3-format",
    "d3-scale",
    "d3-scale-chromatic",
    "d3-selection",
    "d3-axis",
    "d3-path",
    "d3-shape",
    "d3-contour",
)
D3_TARGET = "d3/d3-modules.min.js"


def d3_module_sources(node_modules: Path) -> list[Path]:
    """Return the minified UMD file of each module in D3_MODULES, in order."""
    return [node_modules / module / "dist" / f"{module}.min.js" for module in D3_MODULES]


# The files that loadPyodide fetches, relative to PYODIDE_DIR.
PYODIDE_RUNTIME_FILES = ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def check_vendor_files(node_modules: Path) -> None:
    """Raise MissingVendorFileError naming the first needed file that npm has not installed."""
    sources = [node_modules / vendor_file.source for vendor_file in VENDOR_FILES]
    for source in [*sources, *d3_module_sources(node_modules)]:
        if not source.exists():
            raise MissingVendorFileError(
                f"{source} is missing: run `npm ci` in {node_modules.parent} "
                "to install the front-end packages that package-lock.json pins."
            )


def pyodide_version(node_modules: Path) -> str:
    """Return the version of the Pyodide that npm installed, from its package.json."""
    package = json.loads((node_modules / "pyodide/package.json").read_text(encoding="utf-8"))
    return package["version"]


def target_path(vendor_file: VendorFile, node_modules: Path) -> str:
    """Return vendor_file's target relative to assets/vendor/, with the Pyodide version filled in."""
    return vendor_file.target.format(pyodide_version=pyodide_version(node_modules))


def copy_vendor_files(node_modules: Path, site_dir: Path) -> Path:
    """Copy every vendor file into site_dir/assets/vendor/ and return that folder.

    A file whose target already has the same size and modification time is
    skipped, so repeated `mkdocs serve` rebuilds into a kept folder stay fast.
    """
    check_vendor_files(node_modules)
    vendor_root = site_dir / VENDOR_DIR

    for vendor_file in VENDOR_FILES:
        source = node_modules / vendor_file.source
        target = vendor_root / target_path(vendor_file, node_modules)
        if vendor_file.source.endswith("/"):
            for source_file in sorted(path for path in source.rglob("*") if path.is_file()):
                _copy_if_changed(source_file, target / source_file.relative_to(source))
        else:
            _copy_if_changed(source, target)

    _write_if_changed(_concatenate(d3_module_sources(node_modules)), vendor_root / D3_TARGET)
    return vendor_root


def _concatenate(sources: list[Path]) -> bytes:
    # Each of D3's minified files ends with a complete statement ("});"), so one file's
    # end cannot run into the next file's start.
    return b"".join(source.read_bytes().rstrip() + b"\n" for source in sources)


def _write_if_changed(content: bytes, target: Path) -> None:
    if target.exists() and target.read_bytes() == content:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.exists():
        source_stat = source.stat()
        target_stat = target.stat()
        if (source_stat.st_size, source_stat.st_mtime_ns) == (target_stat.st_size, target_stat.st_mtime_ns):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
