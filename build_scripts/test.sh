#!/usr/bin/env bash
# Set up the Python and npm packages and Chromium, then run every test: the
# package's unit tests, the build checks and the browser tests. Screenshots
# go to test-artifacts/. Extra arguments go to pytest, for example
# `-m "not browser"` to skip the browser tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build_scripts/setup.sh

ensure_python_packages
ensure_npm_packages
ensure_chromium
mkdir -p test-artifacts
exec .venv/bin/python -m pytest --output test-artifacts/playwright --screenshot on "$@"
