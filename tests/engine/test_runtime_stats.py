"""web_api.runtime_stats, which the long-session browser test reads to check memory stays bounded."""

from __future__ import annotations

import json

from neuron_descent import web_api


def call(name: str, request: dict) -> dict:
    result = json.loads(getattr(web_api, name)(json.dumps(request)))
    assert result["ok"], result.get("error")
    return result


def start_run() -> int:
    return call("start_run", {"dataset": "two-point", "learning_rate": 0.1, "start": [0.5, 0.5]})["run_id"]


def test_runtime_stats_counts_live_runs_and_trail():
    before = call("runtime_stats", {})
    run_id = start_run()
    call("step_run", {"run_id": run_id, "steps": 9})
    during = call("runtime_stats", {})
    call("release_run", {"run_id": run_id})
    after = call("runtime_stats", {})

    assert during["live_runs"] == before["live_runs"] + 1
    assert during["trail_points"] == before["trail_points"] + 10
    assert after["live_runs"] == before["live_runs"]
    assert after["trail_points"] == before["trail_points"]
    assert after["max_live_runs"] == web_api.MAX_LIVE_RUNS
    assert after["gc_objects"] > 0


def test_live_runs_never_exceed_limit():
    run_ids = [start_run() for _ in range(web_api.MAX_LIVE_RUNS + 5)]
    stats = call("runtime_stats", {})

    assert stats["live_runs"] == web_api.MAX_LIVE_RUNS
    for run_id in run_ids:
        call("release_run", {"run_id": run_id})
    assert call("runtime_stats", {})["live_runs"] == 0
