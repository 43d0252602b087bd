#!/usr/bin/env bash
# Set up the Python and npm packages, then serve the site at
# http://127.0.0.1:8000/ with live reload of docs/ and py_src/.
# Extra arguments go to `mkdocs serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build_scripts/setup.sh

ensure_python_packages
ensure_npm_packages
exec .venv/bin/mkdocs serve -a 127.0.0.1:8000 "$@"
