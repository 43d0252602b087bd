"""The chapter's experiments behave as its text describes: too small, too large, long valley, momentum."""

import pytest

from neuron_descent.datasets import DATASETS
from neuron_descent.experiments import (
    LONG_VALLEY, MOMENTUM_FIX, TOO_LARGE, TOO_SMALL, default_sweep_bounds, eigen_directions, overshoot_measures,
    question_two, run_experiment, steps_to_converge, valley_measures,
)
from neuron_descent.sweep import sweep


def test_too_small_rate_leaves_loss_above_half():
    run = run_experiment(TOO_SMALL)
    assert run.k == 50
    assert run.losses[-1] > 0.5 * run.losses[0]


def test_too_large_rate_overshoots_back_and_forth():
    run = run_experiment(TOO_LARGE)
    measures = overshoot_measures(run, "two-point")
    assert measures["sign_changes"] >= 3
    # The chapter: the loss rises on more than half of the steps, and the run neither
    # settles nor leaves the map.
    assert measures["loss_rises"] > run.k / 2
    assert not measures["left_view_box"]
    assert run.status.code == "running"


def test_too_large_first_step_nears_top_edge():
    run = run_experiment(TOO_LARGE, steps=1)
    view_box = DATASETS["two-point"].view_box
    minimum, _, _ = eigen_directions("two-point")
    first = run.trail[1]
    assert first[1] > minimum[1]
    assert view_box.b_max - first[1] < 0.1 * (view_box.b_max - view_box.b_min)


@pytest.mark.parametrize(("learning_rate", "diverges"), [(1.5, False), (5.0, False), (6.0, True), (8.0, True)])
def test_larger_rate_diverges_from_six(learning_rate, diverges):
    run = run_experiment({**TOO_LARGE, "learning_rate": learning_rate}, steps=200)
    assert (run.status.code == "diverged") is diverges


def test_long_valley_zig_zags_and_crawls():
    measures = valley_measures(run_experiment(LONG_VALLEY), "sloped-line")
    assert measures["reversal_fraction"] >= 0.9
    assert measures["along_fraction"] < 0.4


def test_momentum_removes_sawtooth_and_speeds_up():
    plain = valley_measures(run_experiment(LONG_VALLEY), "sloped-line")
    fixed = valley_measures(run_experiment(MOMENTUM_FIX), "sloped-line")
    assert fixed["reversal_fraction"] <= 0.6
    assert fixed["along_fraction"] >= 2 * plain["along_fraction"]
    plain_steps, fixed_steps = steps_to_converge(LONG_VALLEY), steps_to_converge(MOMENTUM_FIX)
    assert plain_steps is not None and fixed_steps is not None
    assert fixed_steps < plain_steps / 2


def test_momentum_fix_distances_match_chapter():
    # The chapter: with momentum the point nearly reaches the minimum within fifty steps,
    # plain descent covers less than a quarter of the way, and the momentum run settles
    # after one or two more presses of Step (50).
    plain = valley_measures(run_experiment(LONG_VALLEY), "sloped-line")
    fixed_run = run_experiment(MOMENTUM_FIX)
    fixed = valley_measures(fixed_run, "sloped-line")
    fixed_steps = steps_to_converge(MOMENTUM_FIX)
    assert plain["along_fraction"] < 0.25
    assert fixed["along_fraction"] > 0.9
    assert fixed_run.status.code == "running"
    assert fixed_steps is not None
    assert 50 < fixed_steps <= 150


def test_question_two_momentum_halves_the_steps():
    answer = question_two()
    baseline = steps_to_converge(LONG_VALLEY)
    measured = steps_to_converge({**LONG_VALLEY, "momentum": answer["momentum"]})
    assert answer["steps_without_momentum"] == baseline
    assert answer["steps"] == measured
    assert abs(measured - baseline / 2) <= 0.15 * baseline / 2
    assert 0.3 <= answer["momentum"] <= 0.7


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_default_sweep_shows_slow_good_and_diverged_runs(dataset):
    data = DATASETS[dataset]
    low, high = default_sweep_bounds(dataset)
    result = sweep(data.problem(), data.starts[data.default_start], low, high,
                   bounds=data.view_box.divergence_bounds())
    codes = [run.status.code for run in result.runs]
    assert codes[-1] == "diverged"
    assert result.pick is not None and 0 < result.pick < len(codes) - 1
    slowest = result.runs[0]
    assert slowest.losses[-1] > result.runs[result.pick].losses[-1]
