# Shared set-up for serve.sh, test.sh and build.sh, sourced from the
# repository root. Each function skips work that is already done, so the
# scripts are quick after the first run on a machine.

MINIMUM_PYTHON="3.11"

# Silence the notice about MkDocs 2 that Material for MkDocs prints on every
# build, because it concerns the tools' future, not this site.
export NO_MKDOCS_2_WARNING=1

fail_setup() {
  echo "error: $*" >&2
  exit 1
}

# Create .venv with the packages pinned in requirements.txt. PYTHON selects
# the interpreter (default python3), which must be Python 3.11 or newer.
ensure_python_packages() {
  local python="${PYTHON:-python3}"
  command -v "$python" >/dev/null ||
    fail_setup "$python not found; install Python $MINIMUM_PYTHON or newer, or set PYTHON to its path."
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    fail_setup "$("$python" --version 2>&1) is too old; Python $MINIMUM_PYTHON or newer is required (set PYTHON to its path)."

  if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment .venv with $("$python" --version 2>&1)"
    "$python" -m venv .venv
  fi

  # The stamp records which requirements.txt was installed last.
  local stamp=.venv/requirements.sha256
  local wanted
  wanted="$(sha256sum requirements.txt | cut -d ' ' -f 1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing the Python packages from requirements.txt into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$wanted" >"$stamp"
  fi
}

# Install node_modules exactly as package-lock.json pins it.
ensure_npm_packages() {
  command -v npm >/dev/null ||
    fail_setup "npm not found; install Node.js 20 or newer with npm."

  local stamp=node_modules/.package-lock.sha256
  local wanted
  wanted="$(sha256sum package-lock.json | cut -d ' ' -f 1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing the npm packages from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund
    echo "$wanted" >"$stamp"
  fi
}

# Install Debian's Chromium, which the browser tests drive, when it is missing.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    fail_setup "Chromium is missing at /usr/bin/chromium; install it with: sudo apt-get update && sudo apt-get install -y chromium"
  fi
  echo "Installing Chromium with apt-get"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
}
