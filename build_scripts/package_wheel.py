"""Build the neuron_descent wheel from py_src/, cached by a digest of its sources.

The wheel is built with the standard PEP 517 front end (`python -m build`).
The package is pure Python, so Pyodide installs the ordinary py3-none-any
wheel. pyodide-build is not used because `pyodide build` downloads a
cross-build environment, which an offline machine cannot fetch.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger("mkdocs.hooks.package_wheel")

# Folders and files under py_src/ that are build output, not source.
IGNORED_NAMES = ("build", "dist", "__pycache__", ".pytest_cache")
IGNORED_SUFFIXES = (".egg-info", ".pyc")

# How many cached builds to keep, so switching between two branches does not rebuild.
CACHED_BUILDS_KEPT = 3


class WheelBuildError(RuntimeError):
    """The PEP 517 build of py_src/ failed or produced no wheel."""


class BuiltWheel(NamedTuple):
    """A wheel file and the digest of the sources it was built from."""

    path: Path
    source_digest: str


def _is_ignored(relative: Path) -> bool:
    return any(part in IGNORED_NAMES or part.endswith(IGNORED_SUFFIXES) for part in relative.parts)


def source_files(py_src: Path) -> list[Path]:
    """Return the source files under py_src, sorted, without build output or bytecode."""
    return sorted(
        path
        for path in py_src.rglob("*")
        if path.is_file() and not _is_ignored(path.relative_to(py_src))
    )


def source_digest(py_src: Path) -> str:
    """Return a SHA-256 hex digest over the relative paths and contents of py_src's sources."""
    digest = hashlib.sha256()
    for path in source_files(py_src):
        digest.update(path.relative_to(py_src).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def build_wheel_cached(py_src: Path, cache_dir: Path) -> BuiltWheel:
    """Return a wheel built from py_src, building it only when the sources changed.

    Each build lives in cache_dir/<source digest>/. The build runs on a copy
    of the sources, so py_src/ gets no build/ or .egg-info folder and a file
    deleted from py_src/ cannot linger in the wheel from an earlier build/.
    """
    digest = source_digest(py_src)
    build_dir = cache_dir / digest
    cached = sorted(build_dir.glob("*.whl"))
    if len(cached) == 1:
        return BuiltWheel(cached[0], digest)

    log.info("Building the package wheel from %s", py_src)
    with tempfile.TemporaryDirectory(prefix="neuron-descent-wheel-") as scratch:
        scratch_dir = Path(scratch)
        source_copy = scratch_dir / "src"
        for path in source_files(py_src):
            target = source_copy / path.relative_to(py_src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

        output_dir = scratch_dir / "dist"
        _run_pep517_build(source_copy, output_dir)
        wheels = sorted(output_dir.glob("*.whl"))
        if len(wheels) != 1:
            raise WheelBuildError(f"Building {py_src} produced {len(wheels)} wheels, expected exactly one.")

        if build_dir.exists():
            shutil.rmtree(build_dir)
        build_dir.mkdir(parents=True)
        wheel = build_dir / wheels[0].name
        shutil.copy2(wheels[0], wheel)

    _prune_cache(cache_dir, keep=build_dir)
    return BuiltWheel(wheel, digest)


def _run_pep517_build(source_dir: Path, output_dir: Path) -> None:
    # --no-isolation uses the setuptools pinned in requirements.txt instead of
    # downloading a fresh build environment for every build.
    command = [
        sys.executable, "-m", "build", "--wheel", "--no-isolation",
        "--outdir", str(output_dir), str(source_dir),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise WheelBuildError(
            f"Building the package wheel failed (exit code {result.returncode}) with "
            f"`{' '.join(command)}`; its output follows.\n{result.stdout}\n{result.stderr}"
        )


def _prune_cache(cache_dir: Path, keep: Path) -> None:
    builds = sorted(
        (path for path in cache_dir.iterdir() if path.is_dir() and path != keep),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old_build in builds[CACHED_BUILDS_KEPT - 1:]:
        shutil.rmtree(old_build, ignore_errors=True)
