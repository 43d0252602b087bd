"""Write assets/runtime-manifest.json, the list of files the Python worker loads.

Every path in the manifest is relative to the site's root, so the site works
under any sub-path. The worker resolves them against the root it is given.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from vendor_files import PYODIDE_DIR, PYODIDE_RUNTIME_FILES, VENDOR_DIR

MANIFEST_PATH = "assets/runtime-manifest.json"
WHEELS_DIR = "assets/wheels"
PACKAGE_MODULE = "neuron_descent.web_api"

# Characters of the source digest used in the wheel's folder name. A new
# folder per source change keeps a browser from using a cached older wheel,
# whose file name (name and version only) would otherwise stay the same.
WHEEL_FOLDER_DIGEST_LENGTH = 16


def install_wheel(wheel: Path, source_digest: str, site_dir: Path) -> str:
    """Copy the wheel into the site and return its path relative to the site root."""
    relative = f"{WHEELS_DIR}/{source_digest[:WHEEL_FOLDER_DIGEST_LENGTH]}/{wheel.name}"
    target = site_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, target)
    return relative


def write_runtime_manifest(site_dir: Path, node_modules: Path, wheel_path: str) -> Path:
    """Write the manifest naming the wheel and Pyodide's files, and return its path.

    `download_bytes` lists the size of each file the worker fetches, so the
    worker can report download progress as a fraction of the total.
    """
    pyodide_package = json.loads((node_modules / "pyodide/package.json").read_text(encoding="utf-8"))
    pyodide_lock = json.loads((node_modules / "pyodide/pyodide-lock.json").read_text(encoding="utf-8"))
    pyodide_index = f"{VENDOR_DIR}/{PYODIDE_DIR.format(pyodide_version=pyodide_package['version'])}/"

    download_bytes = {
        f"{pyodide_index}{name}": (site_dir / pyodide_index / name).stat().st_size
        for name in PYODIDE_RUNTIME_FILES
    }
    download_bytes[wheel_path] = (site_dir / wheel_path).stat().st_size

    manifest = {
        "pyodide": {
            "index": pyodide_index,
            "version": pyodide_package["version"],
            "python": pyodide_lock["info"]["python"],
        },
        "wheel": wheel_path,
        "module": PACKAGE_MODULE,
        "download_bytes": download_bytes,
    }
    target = site_dir / MANIFEST_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target
