"""Sweep spacing, the pick rule and divergence marking."""

import math

import pytest

from neuron_descent.datasets import DATASETS
from neuron_descent.optimiser import Run
from neuron_descent.sweep import log_spaced, pick_run, sweep


def test_log_spaced_rates_have_constant_ratio():
    rates = log_spaced(0.001, 10.0, 6)
    assert rates[0] == pytest.approx(0.001)
    assert rates[-1] == pytest.approx(10.0)
    ratios = [b / a for a, b in zip(rates, rates[1:])]
    for ratio in ratios:
        assert ratio == pytest.approx(10 ** 0.8, rel=0.01)
    for rate in rates:
        assert float(f"{rate:.3g}") == rate


class FakeRun:
    def __init__(self, final_loss, code="running"):
        self.losses = [1.0, final_loss]
        self.status = type("S", (), {"code": code})()


def test_pick_skips_diverged_runs():
    runs = [FakeRun(0.5), FakeRun(0.01, "diverged"), FakeRun(0.1), FakeRun(0.2, "converged")]
    assert pick_run(runs) == 2


def test_pick_is_none_when_every_run_diverges():
    assert pick_run([FakeRun(0.1, "diverged"), FakeRun(0.2, "diverged")]) is None


def test_pick_with_no_diverged_run_takes_lowest_final_loss():
    assert pick_run([FakeRun(0.3), FakeRun(0.1), FakeRun(0.2)]) == 1


def test_pick_tie_goes_to_smaller_rate():
    assert pick_run([FakeRun(0.1), FakeRun(0.1)]) == 0


def test_sweep_marks_divergence_step_and_stops_run():
    data = DATASETS["sloped-line"]
    result = sweep(data.problem("identity"), (0.0, 0.0), 0.01, 5.0, 6, 50,
                   bounds=data.view_box.divergence_bounds())
    diverged = [run for run in result.runs if run.status.code == "diverged"]
    assert diverged
    for run in diverged:
        assert len(run.losses) == run.status.step + 1
        assert run.status.step < 50
    for rate, run in zip(result.learning_rates, result.runs):
        reference = Run(data.problem("identity"), (0.0, 0.0), rate, bounds=data.view_box.divergence_bounds())
        reference.step(50)
        assert run.losses == reference.losses


def test_pick_skips_runs_that_did_not_lower_loss():
    assert pick_run([FakeRun(1.0), FakeRun(1.5), FakeRun(0.5, "diverged")]) is None
    assert pick_run([FakeRun(1.0), FakeRun(0.9)]) == 1


def test_log_spaced_accepts_subnormal_lowest_rate():
    rates = log_spaced(5e-324, 1.0, 2)
    assert rates == [5e-324, 1.0]
    rates = log_spaced(1e-310, 19.0, 6)
    exponents = [math.log10(rate) for rate in rates]
    steps = [b - a for a, b in zip(exponents, exponents[1:])]
    assert steps == pytest.approx([(math.log10(19.0) + 310) / 5] * 5, rel=1e-2)
