"""Every invalid input raises ValueError naming the value and the accepted range."""

import json
import math

import pytest

from neuron_descent import web_api
from neuron_descent.datasets import DATASETS, get_dataset
from neuron_descent.grid import loss_grid
from neuron_descent.optimiser import Run
from neuron_descent.sweep import log_spaced, sweep

PROBLEM = DATASETS["two-point"].problem("tanh")


@pytest.mark.parametrize("eta", [0, -0.1, math.inf, math.nan, "0.1", None, True])
def test_run_rejects_invalid_learning_rate(eta):
    with pytest.raises(ValueError, match="learning rate"):
        Run(PROBLEM, (0.0, 0.0), eta)


@pytest.mark.parametrize("mu", [1, 1.5, -0.01, math.nan, math.inf, "0.5"])
def test_run_rejects_invalid_momentum(mu):
    with pytest.raises(ValueError, match=r"momentum μ must be|momentum μ must be a"):
        Run(PROBLEM, (0.0, 0.0), 0.1, mu)


@pytest.mark.parametrize("start", [(math.nan, 0.0), (0.0, math.inf), (1.0,), "ab", None, (1.0, "2")])
def test_run_rejects_invalid_start(start):
    with pytest.raises(ValueError, match="start point"):
        Run(PROBLEM, start, 0.1)


@pytest.mark.parametrize("steps", [0, -1, 10_001, 2.5, "5", None, math.inf])
def test_step_rejects_invalid_step_count(steps):
    with pytest.raises(ValueError, match="number of steps must be"):
        Run(PROBLEM, (0.0, 0.0), 0.1).step(steps)


def test_unknown_names_list_accepted_names():
    with pytest.raises(ValueError, match="accepted: sloped-line, two-point"):
        get_dataset("three-point")
    with pytest.raises(ValueError, match="accepted: identity, sigmoid, tanh"):
        DATASETS["two-point"].problem("relu")


@pytest.mark.parametrize("n", [1, 402, 3.5])
def test_loss_grid_rejects_invalid_size(n):
    data = DATASETS["two-point"]
    with pytest.raises(ValueError, match="grid size must be"):
        loss_grid(data.problem(), data.view_box, n)


@pytest.mark.parametrize("low, high, count", [
    (0.1, 0.1, 6), (1.0, 0.1, 6), (0.0, 1.0, 6), (0.1, 1.0, 1), (0.1, 1.0, 13), (5.0, 5.0000000001, 6),
])
def test_sweep_rejects_invalid_bounds_and_counts(low, high, count):
    with pytest.raises(ValueError, match="learning rate|number of learning rates"):
        log_spaced(low, high, count)


def test_log_spaced_rejects_bounds_too_close():
    with pytest.raises(ValueError, match="too close together for 6 distinct rates"):
        log_spaced(5.0, 5.01, 6)


def test_sweep_rejects_invalid_steps_and_momentum():
    with pytest.raises(ValueError, match="number of steps"):
        sweep(PROBLEM, (0.0, 0.0), 0.01, 1.0, steps=0)
    with pytest.raises(ValueError, match="momentum"):
        sweep(PROBLEM, (0.0, 0.0), 0.01, 1.0, momentum=1.0)


@pytest.mark.parametrize("name, request_body", [
    ("describe", {"dataset": "nope"}),
    ("describe", {"dataset": "two-point", "grid_size": 0}),
    ("describe", {"dataset": "two-point", "grid": "no"}),
    ("start_run", {"dataset": "two-point", "start": [0, 0], "learning_rate": "x"}),
    ("step_run", {"run_id": 12345, "steps": 1}),
    ("sweep", {"dataset": "two-point", "start": [0, 0], "lr_min": 1, "lr_max": 0.1}),
])
def test_web_api_returns_error_sentence_instead_of_raising(name, request_body):
    result = json.loads(getattr(web_api, name)(json.dumps(request_body)))
    assert result["ok"] is False
    assert result["error"][0].isupper()
    assert result["error"].endswith(".")


def test_web_api_rejects_malformed_json():
    result = json.loads(web_api.describe("{not json"))
    assert result["ok"] is False


def test_list_datasets_names_every_data_set():
    result = json.loads(web_api.list_datasets("{}"))
    assert result["ok"] is True
    assert [entry["name"] for entry in result["datasets"]] == list(DATASETS)
    assert result["default"] in DATASETS
    for entry in result["datasets"]:
        assert entry["starts"] == list(DATASETS[entry["name"]].starts)


def test_describe_grid_matches_hand_computed_loss():
    result = json.loads(web_api.describe(json.dumps({"dataset": "two-point", "activation": "tanh", "grid_size": 5})))
    grid = result["grid"]
    xs, ys = result["dataset"]["x"], result["dataset"]["y"]

    assert grid["n"] == 5
    for row, b in enumerate(grid["b"]):
        for column, w in enumerate(grid["w"]):
            expected = sum((math.tanh(w * x + b) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
            assert grid["loss"][row * 5 + column] == pytest.approx(expected, rel=1e-12)


def test_describe_without_grid_keeps_the_rest():
    request = {"dataset": "sloped-line", "grid_size": 5}
    full = json.loads(web_api.describe(json.dumps(request)))
    short = json.loads(web_api.describe(json.dumps({**request, "grid": False})))

    assert short["grid"] is None
    assert {key: value for key, value in short.items() if key != "grid"} == {
        key: value for key, value in full.items() if key != "grid"
    }
