#!/usr/bin/env bash
# Set up the Python and npm packages, then build the static site into site/.
#
# Set SITE_URL to the address the site will be served from, for example
#   SITE_URL=https://example.org/course/ bash build_scripts/build.sh
# so Material's instant navigation works there. Extra arguments go to
# `mkdocs build`, for example --no-directory-urls for hosts that do not serve
# a folder's index.html.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build_scripts/setup.sh

ensure_python_packages
ensure_npm_packages
exec .venv/bin/mkdocs build --strict --site-dir site "$@"
