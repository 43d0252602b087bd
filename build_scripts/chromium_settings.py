"""Debian's Chromium: its path and the switches that the tests and the benchmark start it with."""

from __future__ import annotations

from pathlib import Path

CHROMIUM_PATH = Path("/usr/bin/chromium")
LOCAL_HOST = "127.0.0.1"

# Chromium switches that stop its own calls home, so a test or benchmark run
# sends nothing beyond the loopback server. The host resolver rule makes every
# other host unresolvable, which backs up the request routing of the tests'
# watch_page() in tests/conftest.py.
CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-sandbox",
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {LOCAL_HOST}",
)

# Switches that let Chromium render a frame as soon as the page has something to draw
# instead of at the display's next refresh (every 16.7 ms at 60 Hz). The benchmark's
# latency measurements use them so that a figure is the page's own time to redraw.
FRAME_RATE_UNLIMITED_ARGS = ("--disable-gpu-vsync", "--disable-frame-rate-limit")
