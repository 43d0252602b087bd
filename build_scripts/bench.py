"""Measure the built chapter in Debian's Chromium and compare it with a bare Pyodide boot.

Usage (this script builds nothing, so build the site first):

    bash build_scripts/build.sh
    .venv/bin/python build_scripts/bench.py site [--runs 5] [--output build/bench-results.json]

It serves the site on 127.0.0.1 with build_scripts/static_server.py (which
sends cache headers like a static host) and drives Chromium with Playwright.
Each run starts Chromium with a new, empty profile folder, so the first visit
finds every cache empty and the repeat visit uses the HTTP cache on disk as a
reader's browser would. (Playwright's default incognito contexts keep their
cache in memory, which does not keep the 9.6 MB Pyodide WebAssembly file.)
Each run measures:

- the baseline: a blank page that only boots Pyodide in a worker and runs 1 + 1;
- the chapter's first contentful paint, when the loss map is first on screen
  (the picture in the page, from the Element Timing API, or the widget's own
  drawing if that came first), time to interactive (navigation until the
  descent widget has data-ready="true"), and the longest main-thread task
  from first paint until a second after that;
- time to interactive on a repeat visit, with the snapshot of the Python
  runtime that the first visit stored in IndexedDB, and again with only the
  HTTP cache (IndexedDB cleared);
- bytes sent by the server on the first and on a repeat visit, split into
  Pyodide's files and the site's own, with the site's own also as gzip would
  compress them;
- in a second Chromium with its frame rate unlimited, so that no figure
  includes the wait for a 60 Hz display's next refresh: Step (1) and Step (50)
  latency from the click until the frame after the widget is idle again has
  been rendered, Run sweep likewise, and the longest main-thread task while
  stepping, dragging the η and μ sliders and sweeping;
- memory after 1,000 steps: the page's JavaScript heap after garbage
  collection, and the size of Pyodide's WebAssembly memory.

It prints a table of medians with the spread (minimum to maximum) over the
runs and writes every measurement to a JSON file.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

import bench_pages
from bench_report import TARGETS, print_table, summarise
from chromium_settings import CHROMIUM_ARGS, CHROMIUM_PATH, FRAME_RATE_UNLIMITED_ARGS
from static_server import StaticSiteServer
from widget_placeholders import PREVIEW_TIMING_NAME

CHAPTER_PATH = "gradient-descent/"
DESCENT = "#descent-widget"
SWEEP = "#sweep-widget"
READY_TIMEOUT_MS = 120_000
SNAPSHOT_TIMEOUT_S = 60
CLICK_TIMEOUT_MS = 30_000
STEPS_BEFORE_MEMORY = 1_000
SLIDER_MOVES = 40
# How long a page is left after it becomes interactive before it is measured further.
SETTLE_MS = 1_000
# Part of the address of Material for MkDocs' own script, for telling its long tasks from the site's.
THEME_SCRIPT = "/assets/javascripts/bundle."


def pyodide_index(site_dir: Path) -> str:
    manifest = json.loads((site_dir / "assets/runtime-manifest.json").read_text(encoding="utf-8"))
    return manifest["pyodide"]["index"]


def add_baseline_page(server: StaticSiteServer, site_dir: Path, scratch: Path) -> str:
    """Serve the baseline page and its worker under __bench__/ and return the page's URL."""
    page = scratch / "baseline.html"
    page.write_text(bench_pages.BASELINE_PAGE.replace("PYODIDE_INDEX", "../" + pyodide_index(site_dir)))
    worker = scratch / "baseline-worker.js"
    worker.write_text(bench_pages.BASELINE_WORKER)
    server.add_file("__bench__/baseline-worker.js", worker)
    return server.add_file("__bench__/baseline.html", page)


class ByteCounter:
    """Sums the bytes the server sent, from its request log and the files on disk."""

    def __init__(self, server: StaticSiteServer, site_dir: Path):
        self.server = server
        self.site_dir = site_dir
        self.pyodide_prefix = server.prefix + pyodide_index(site_dir)
        self._gzip_sizes: dict[Path, int] = {}

    def _file(self, path: str) -> Path | None:
        relative = path.split("?")[0][len(self.server.prefix):]
        candidate = self.site_dir / relative
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _gzip_size(self, file: Path) -> int:
        if file not in self._gzip_sizes:
            # A host compresses only when that makes the file smaller.
            self._gzip_sizes[file] = min(file.stat().st_size, len(gzip.compress(file.read_bytes(), 6)))
        return self._gzip_sizes[file]

    def count(self) -> dict[str, int]:
        """Return the bytes of the bodies sent since the log was last cleared, by kind.

        A 304 response has no body and counts as a request only.
        """
        totals = {"pyodide_bytes": 0, "site_bytes": 0, "site_gzip_bytes": 0, "requests": 0, "not_modified": 0}
        for record in self.server.requests:
            totals["requests"] += 1
            if record.status == 304:
                totals["not_modified"] += 1
                continue
            file = self._file(record.path)
            if record.status != 200 or file is None:
                continue
            if record.path.startswith(self.pyodide_prefix):
                totals["pyodide_bytes"] += file.stat().st_size
            else:
                totals["site_bytes"] += file.stat().st_size
                totals["site_gzip_bytes"] += self._gzip_size(file)
        return totals


def launch_profile(playwright: Playwright, scratch: Path, extra_args: tuple[str, ...] = ()) -> BrowserContext:
    """Start Chromium with a new empty profile folder under scratch and return its context."""
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=scratch))
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM_PATH),
        args=[*CHROMIUM_ARGS, *extra_args],
        viewport={"width": 1280, "height": 900},
    )


def measure_baseline(playwright: Playwright, scratch: Path, url: str) -> float:
    context = launch_profile(playwright, scratch)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.__baseline", timeout=READY_TIMEOUT_MS)
        return page.evaluate("() => window.__baseline.bootMs")
    finally:
        context.close()


def open_chapter(page: Page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function(f"() => document.querySelector('{DESCENT}')?.dataset.ready === 'true'", timeout=READY_TIMEOUT_MS)
    wait_until_idle(page, DESCENT)
    return page.evaluate(bench_pages.PAGE_TIMINGS)


def wait_until_idle(page: Page, selector: str) -> None:
    page.wait_for_function(bench_pages.WAIT_UNTIL_IDLE, arg=[selector], timeout=CLICK_TIMEOUT_MS)


def time_clicks(page: Page, widget: str, button: str, count: int) -> list[float]:
    return page.evaluate(bench_pages.TIME_CLICKS, [widget, button, count, CLICK_TIMEOUT_MS])


def drag_slider(page: Page, label: str) -> None:
    """Drag the named slider of the descent widget right and back, as a reader would."""
    slider = page.locator(DESCENT).get_by_label(f"{label} slider", exact=True)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    start = box["x"] + box["width"] * 0.3
    page.mouse.move(start, y)
    page.mouse.down()
    for index in range(SLIDER_MOVES):
        page.mouse.move(start + box["width"] * 0.3 * (index + 1) / SLIDER_MOVES, y)
        page.wait_for_timeout(16)
    for index in range(SLIDER_MOVES):
        page.mouse.move(start + box["width"] * 0.3 * (1 - (index + 1) / SLIDER_MOVES), y)
        page.wait_for_timeout(16)
    page.mouse.up()
    wait_until_idle(page, DESCENT)


def wait_for_snapshot(page: Page) -> bool:
    """Wait until the Python worker has stored its runtime snapshot; return False if it never does."""
    for _ in range(SNAPSHOT_TIMEOUT_S * 2):
        if page.evaluate(bench_pages.READ_SNAPSHOT_RECORD):
            return True
        page.wait_for_timeout(500)
    return False


def clear_indexed_db(page: Page) -> None:
    origin = page.evaluate("() => location.origin")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "indexeddb"})
    finally:
        cdp.detach()


def measure_memory(page: Page) -> dict[str, float]:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")
    finally:
        cdp.detach()
    wasm = page.evaluate("() => NeuronDescent.memory()")
    return {"js_heap_mb": heap["usedSize"] / 1e6, "wasm_memory_mb": wasm["wasmBytes"] / 1e6}


def longest_scripts(scripts: list[list], start: float) -> dict[str, float]:
    """Return the longest script run at or after `start` by Material for MkDocs' bundle and by the site's own files."""
    theme = [duration for begin, duration, source in scripts if begin >= start and THEME_SCRIPT in source]
    own = [duration for begin, duration, source in scripts if begin >= start and THEME_SCRIPT not in source]
    return {"theme": max(theme, default=0.0), "own": max(own, default=0.0)}


def longest_task(tasks: list[list[float]], start: float, end: float | None = None) -> float:
    """Return the longest task duration that began at or after `start` (and before `end`), or 0."""
    durations = [duration for begin, duration in tasks if begin >= start and (end is None or begin < end)]
    return max(durations, default=0.0)


def map_visible(timings: dict) -> tuple[float | None, str | None]:
    """Return when the loss map was first on screen and as what: the page's picture or the widget's drawing."""
    seen = [(time, "picture") for name, time in timings["elementPaints"] if name == PREVIEW_TIMING_NAME]
    seen += [(time, source) for source, time in timings["mapVisible"]]
    return min(seen, default=(None, None))


def measure_visits(playwright: Playwright, scratch: Path, url: str, bytes_counter: ByteCounter) -> dict:
    """Measure a first visit, a repeat visit with the same profile, and one with the HTTP cache only."""
    context = launch_profile(playwright, scratch)
    context.add_init_script(bench_pages.INSTRUMENTATION)
    try:
        page = context.new_page()
        bytes_counter.server.clear_requests()
        first = open_chapter(page, url)
        first_bytes = bytes_counter.count()
        # Tasks that the page queues once interactive, such as the contours drawn one
        # level per task, count as loading too.
        page.wait_for_timeout(SETTLE_MS)
        loading = page.evaluate(bench_pages.PAGE_TIMINGS)
        snapshot_stored = wait_for_snapshot(page)

        bytes_counter.server.clear_requests()
        second_page = context.new_page()
        page.close()
        repeat = open_chapter(second_page, url)
        repeat_bytes = bytes_counter.count()
        restored = second_page.evaluate("() => NeuronDescent.status.restored")

        clear_indexed_db(second_page)
        third_page = context.new_page()
        second_page.close()
        without_snapshot = open_chapter(third_page, url)
    finally:
        context.close()

    paint = first["firstContentfulPaint"]
    map_time, map_source = map_visible(first)
    return {
        "first_contentful_paint_ms": paint,
        "map_visible_ms": map_time,
        "map_visible_source": map_source,
        "map_drawn_ms": first["mapVisible"][0][1] if first["mapVisible"] else None,
        "time_to_interactive_ms": first["readyAt"],
        "worker_stages_ms": first["workerStages"],
        "repeat_worker_stages_ms": repeat["workerStages"],
        "repeat_time_to_interactive_ms": repeat["readyAt"],
        "repeat_restored_from_snapshot": restored,
        "snapshot_stored": snapshot_stored,
        "repeat_without_snapshot_time_to_interactive_ms": without_snapshot["readyAt"],
        "longest_task_loading_ms": longest_task(loading["longTasks"], paint),
        "longest_script_loading_ms": longest_scripts(loading["frameScripts"], paint),
        "frame_scripts_after_paint": [script for script in loading["frameScripts"] if script[0] >= paint],
        "long_tasks_after_paint": [task for task in loading["longTasks"] if task[0] >= paint],
        "first_visit_bytes": first_bytes,
        "repeat_visit_bytes": repeat_bytes,
    }


def measure_interactions(playwright: Playwright, scratch: Path, url: str, steps: int) -> dict:
    """Time the Step buttons, slider drags and sweeps, and measure memory after 1,000 steps.

    Chromium runs with its frame rate unlimited (FRAME_RATE_UNLIMITED_ARGS), so a
    click's time to the redrawn frame does not include the wait for the display's
    next refresh.
    """
    context = launch_profile(playwright, scratch, FRAME_RATE_UNLIMITED_ARGS)
    context.add_init_script(bench_pages.INSTRUMENTATION)
    try:
        page = context.new_page()
        open_chapter(page, url)
        page.wait_for_timeout(SETTLE_MS)
        # The text that scrolling brings into view is laid out and painted in the next
        # frames, which the first clicks would otherwise pay for.
        page.locator(DESCENT).scroll_into_view_if_needed()
        page.wait_for_timeout(SETTLE_MS)
        # Time windows of each kind of interaction, for the long tasks in them. The memory
        # measurement between them forces a garbage collection, a long task of its own.
        windows: dict[str, list[tuple[float, float]]] = {"stepping": [], "sliders": [], "sweep": []}

        def timed(kind: str, action):
            start = page.evaluate("() => performance.now()")
            result = action()
            windows[kind].append((start, page.evaluate("() => performance.now()")))
            return result

        step_one = timed("stepping", lambda: time_clicks(page, DESCENT, '[data-action="step-1"]', steps))
        clicks_to_memory = max(0, (STEPS_BEFORE_MEMORY - steps) // 50)
        step_fifty = timed("stepping", lambda: time_clicks(page, DESCENT, '[data-action="step-50"]', clicks_to_memory))
        steps_taken = page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.state().run.k")
        memory = measure_memory(page)
        step_fifty += timed("stepping", lambda: time_clicks(page, DESCENT, '[data-action="step-50"]', steps))
        timed("sliders", lambda: (drag_slider(page, "Learning rate η"), drag_slider(page, "Momentum μ")))
        page.locator(SWEEP).scroll_into_view_if_needed()
        sweep = timed("sweep", lambda: time_clicks(page, SWEEP, ".nd-sweep__run", 5))
        after = page.evaluate(bench_pages.PAGE_TIMINGS)
        final_state = page.evaluate(f"() => document.querySelector('{DESCENT}').ndDescent.state().run")
    finally:
        context.close()

    return {
        "step_1_ms": step_one,
        "step_50_ms": step_fifty,
        "sweep_ms": sweep,
        **{
            f"longest_task_{kind}_ms": max(longest_task(after["longTasks"], start, end) for start, end in spans)
            for kind, spans in windows.items()
        },
        "interaction_windows_ms": windows,
        "memory_after_steps": steps_taken,
        **memory,
        "final_run": {"k": final_state["k"], "status": final_state["status"]["code"]},
    }


def chromium_version(playwright: Playwright, scratch: Path) -> str:
    context = launch_profile(playwright, scratch)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        return cdp.send("Browser.getVersion")["product"]
    finally:
        context.close()


def environment(playwright: Playwright, scratch: Path) -> dict:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "chromium": chromium_version(playwright, scratch),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="the built site, such as site/ from build_scripts/build.sh")
    parser.add_argument("--runs", type=int, default=5, help="runs of every measurement (default 5, at least 1)")
    parser.add_argument("--steps", type=int, default=100, help="timed clicks of Step (1) per run (default 100); Step (50) gets as many plus those that bring the run to 1,000 steps")
    parser.add_argument("--output", type=Path, default=Path("build/bench-results.json"), help="JSON file to write (default build/bench-results.json)")
    arguments = parser.parse_args()
    if arguments.runs < 1 or arguments.steps < 1:
        parser.error("--runs and --steps must be at least 1")
    if not (arguments.site_dir / "assets/runtime-manifest.json").is_file():
        parser.error(f"{arguments.site_dir} is not a built site; run `bash build_scripts/build.sh` first")
    if not CHROMIUM_PATH.exists():
        parser.error(f"Chromium is not installed at {CHROMIUM_PATH}; install it with `apt-get install -y chromium`")

    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="neuron-descent-bench-") as scratch, \
            StaticSiteServer(arguments.site_dir) as server, sync_playwright() as playwright:
        scratch_dir = Path(scratch)
        baseline_url = add_baseline_page(server, arguments.site_dir, scratch_dir)
        bytes_counter = ByteCounter(server, arguments.site_dir)
        info = environment(playwright, scratch_dir)
        for run in range(arguments.runs):
            baseline = measure_baseline(playwright, scratch_dir, baseline_url)
            chapter = measure_visits(playwright, scratch_dir, server.url + CHAPTER_PATH, bytes_counter)
            interactions = measure_interactions(playwright, scratch_dir, server.url + CHAPTER_PATH, arguments.steps)
            runs.append({"baseline_boot_ms": baseline, **chapter, **interactions})
            print(f"run {run + 1}/{arguments.runs}: baseline {baseline:.0f} ms, "
                  f"interactive {chapter['time_to_interactive_ms']:.0f} ms, "
                  f"repeat {chapter['repeat_time_to_interactive_ms']:.0f} ms", file=sys.stderr)
    info["load_average_after"] = os.getloadavg()

    summary = summarise(runs)
    print_table(summary, info)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps({"environment": info, "targets": TARGETS, "summary": summary, "runs": runs}, indent=1))
    print(f"\nWrote {arguments.output}")


if __name__ == "__main__":
    main()
