"""Import modules of the neuron_descent package from py_src/ for the build hooks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

PACKAGE_NAME = "neuron_descent"


def import_fresh(py_src: Path, module_name: str) -> ModuleType:
    """Import neuron_descent.<module_name> from py_src afresh and return it.

    Modules of the package imported earlier in this process are dropped first,
    so a `mkdocs serve` rebuild uses the sources as they are now. No bytecode
    is written, because a new __pycache__ in the watched py_src/ would trigger
    another rebuild.
    """
    source_root = str(py_src)
    if source_root not in sys.path:
        sys.path.insert(0, source_root)
    for name in [name for name in sys.modules if name == PACKAGE_NAME or name.startswith(PACKAGE_NAME + ".")]:
        del sys.modules[name]

    previous_setting = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        return importlib.import_module(f"{PACKAGE_NAME}.{module_name}")
    finally:
        sys.dont_write_bytecode = previous_setting
