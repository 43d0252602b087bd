"""Summarise build_scripts/bench.py's runs: medians, spread over runs and the targets they are held to."""

from __future__ import annotations

import math
import statistics

# Each target: the summary row it applies to and the largest value that meets it.
TARGETS = {
    "map_visible_ms": 500.0,
    "tti_over_baseline": 1.25,
    "step_1_p95_ms": 16.0,
    "step_50_median_ms": 50.0,
    "step_50_p95_ms": 50.0,
    "sweep_ms": 200.0,
    "longest_task_after_paint_ms": 50.0,
    "site_gzip_kb_first_visit": 500.0,
    "repeat_over_first_tti": 0.6,
}

# The phases of a run whose longest main-thread task is reported: loading, from the
# first paint until a second after the page is interactive, then each kind of
# interaction. The memory measurement, which forces a garbage collection, is left out.
PHASES = ("loading", "stepping", "sliders", "sweep")

# Summary rows in the order printed: key, label, unit.
ROWS = (
    ("baseline_boot_ms", "Baseline: Pyodide boot, blank page", "ms"),
    ("first_contentful_paint_ms", "Chapter first contentful paint", "ms"),
    ("map_visible_ms", "Loss map first visible", "ms"),
    ("map_drawn_ms", "  drawn by the widget", "ms"),
    ("time_to_interactive_ms", "Time to interactive, first visit", "ms"),
    ("tti_over_baseline", "  as a multiple of the baseline", "×"),
    ("repeat_time_to_interactive_ms", "Time to interactive, repeat visit", "ms"),
    ("repeat_over_first_tti", "  as a multiple of the first visit", "×"),
    ("repeat_without_snapshot_tti_ms", "Time to interactive, repeat, HTTP cache only", "ms"),
    ("repeat_without_snapshot_over_first_tti", "  as a multiple of the first visit", "×"),
    ("step_1_median_ms", "Step (1) to redrawn frame, median", "ms"),
    ("step_1_p95_ms", "Step (1) to redrawn frame, 95th percentile", "ms"),
    ("step_1_idle_p95_ms", "  click to widget idle, 95th percentile", "ms"),
    ("step_50_median_ms", "Step (50) to redrawn frame, median", "ms"),
    ("step_50_p95_ms", "Step (50) to redrawn frame, 95th percentile", "ms"),
    ("step_50_idle_p95_ms", "  click to widget idle, 95th percentile", "ms"),
    ("sweep_ms", "Run sweep to redrawn frame, median of 5", "ms"),
    ("longest_task_after_paint_ms", "Longest main-thread task after first paint", "ms"),
    ("longest_task_loading_ms", "  while loading, until 1 s after interactive", "ms"),
    ("longest_theme_script_loading_ms", "    longest run of Material's script in it", "ms"),
    ("longest_own_script_loading_ms", "    longest run of the site's own scripts in it", "ms"),
    ("longest_task_stepping_ms", "  while clicking Step (1) and Step (50)", "ms"),
    ("longest_task_sliders_ms", "  while dragging the η and μ sliders", "ms"),
    ("longest_task_sweep_ms", "  while running sweeps", "ms"),
    ("site_kb_first_visit", "Site's own files, first visit, as sent", "KB"),
    ("site_gzip_kb_first_visit", "Site's own files, first visit, gzip", "KB"),
    ("pyodide_kb_first_visit", "Pyodide's files, first visit", "KB"),
    ("site_kb_repeat_visit", "Site's own files, repeat visit", "KB"),
    ("pyodide_kb_repeat_visit", "Pyodide's files, repeat visit", "KB"),
    ("requests_repeat_visit", "Requests on a repeat visit (all 304)", ""),
    ("js_heap_mb", "JS heap after 1,000 steps (after GC)", "MB"),
    ("wasm_memory_mb", "Pyodide WebAssembly memory after 1,000 steps", "MB"),
)


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile: the smallest value with at least `fraction` of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def per_run_values(run: dict) -> dict[str, float]:
    """Return the summary rows' values for one run."""
    first_bytes = run["first_visit_bytes"]
    repeat_bytes = run["repeat_visit_bytes"]
    return {
        "baseline_boot_ms": run["baseline_boot_ms"],
        "first_contentful_paint_ms": run["first_contentful_paint_ms"],
        "map_visible_ms": run["map_visible_ms"],
        "map_drawn_ms": run["map_drawn_ms"],
        "time_to_interactive_ms": run["time_to_interactive_ms"],
        "tti_over_baseline": run["time_to_interactive_ms"] / run["baseline_boot_ms"],
        "repeat_time_to_interactive_ms": run["repeat_time_to_interactive_ms"],
        "repeat_over_first_tti": run["repeat_time_to_interactive_ms"] / run["time_to_interactive_ms"],
        "repeat_without_snapshot_tti_ms": run["repeat_without_snapshot_time_to_interactive_ms"],
        "repeat_without_snapshot_over_first_tti":
            run["repeat_without_snapshot_time_to_interactive_ms"] / run["time_to_interactive_ms"],
        "step_1_median_ms": statistics.median(frame for _, frame in run["step_1_ms"]),
        "step_1_p95_ms": percentile([frame for _, frame in run["step_1_ms"]], 0.95),
        "step_1_idle_p95_ms": percentile([idle for idle, _ in run["step_1_ms"]], 0.95),
        "step_50_median_ms": statistics.median(frame for _, frame in run["step_50_ms"]),
        "step_50_p95_ms": percentile([frame for _, frame in run["step_50_ms"]], 0.95),
        "step_50_idle_p95_ms": percentile([idle for idle, _ in run["step_50_ms"]], 0.95),
        "sweep_ms": statistics.median(frame for _, frame in run["sweep_ms"]),
        "longest_task_after_paint_ms": max(run[f"longest_task_{phase}_ms"] for phase in PHASES),
        **{f"longest_task_{phase}_ms": run[f"longest_task_{phase}_ms"] for phase in PHASES},
        "longest_theme_script_loading_ms": run["longest_script_loading_ms"]["theme"],
        "longest_own_script_loading_ms": run["longest_script_loading_ms"]["own"],
        "site_kb_first_visit": first_bytes["site_bytes"] / 1000,
        "site_gzip_kb_first_visit": first_bytes["site_gzip_bytes"] / 1000,
        "pyodide_kb_first_visit": first_bytes["pyodide_bytes"] / 1000,
        "site_kb_repeat_visit": repeat_bytes["site_bytes"] / 1000,
        "pyodide_kb_repeat_visit": repeat_bytes["pyodide_bytes"] / 1000,
        "requests_repeat_visit": repeat_bytes["requests"],
        "js_heap_mb": run["js_heap_mb"],
        "wasm_memory_mb": run["wasm_memory_mb"],
    }


def summarise(runs: list[dict]) -> dict[str, dict[str, float | bool | None]]:
    """Return, for every summary row, the median, minimum and maximum over runs and whether the median meets its target."""
    values = [per_run_values(run) for run in runs]
    summary = {}
    for key, _, _ in ROWS:
        column = [value[key] for value in values if value[key] is not None]
        median = statistics.median(column) if column else None
        target = TARGETS.get(key)
        summary[key] = {
            "median": median,
            "min": min(column, default=None),
            "max": max(column, default=None),
            "target": target,
            "met": None if target is None or median is None else median <= target,
        }
    return summary


def _format(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"


def print_table(summary: dict, environment: dict) -> None:
    print(f"Chromium {environment['chromium']}, {environment['cpu_count']} CPUs, {environment['date']}, "
          f"load average {environment['load_average'][0]:.1f} at the start")
    print(f"{'measurement':50} {'median':>9} {'min – max':>17} {'target':>8}  met")
    for key, label, unit in ROWS:
        row = summary[key]
        spread = f"{_format(row['min'])} – {_format(row['max'])}"
        target = "" if row["target"] is None else f"≤ {_format(row['target'])}"
        met = ""
        if row["met"] is not None:
            met = "yes" if row["met"] else "NO"
        print(f"{label + (f' ({unit})' if unit else ''):50} {_format(row['median']):>9} {spread:>17} {target:>8}  {met}")
