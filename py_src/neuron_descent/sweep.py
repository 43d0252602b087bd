"""The learning-rate sweep: short runs at log-spaced rates from one start point."""

import math
from typing import NamedTuple

from .checks import MAX_SWEEP_RATES, check_count, check_learning_rate, check_momentum, check_point, check_steps
from .model import Problem
from .optimiser import DEFAULT_BOUNDS, Run

PICK_RULE = (
    "The pick is the run with the lowest loss after the last step among the runs that "
    "did not diverge and ended below their starting loss; with the same number of steps "
    "for every run, that is the run whose loss fell fastest."
)


class SweepResult(NamedTuple):
    """The swept rates, one finished ``Run`` per rate, and the index of the pick (None if no run qualified)."""

    learning_rates: list[float]
    runs: list[Run]
    pick: int | None


RATE_FIGURES = 3
"""Swept rates are rounded to this many significant figures, so a reader can type them."""


def _round_figures(value: float, figures: int) -> float:
    return float(f"{value:.{figures}g}")


def log_spaced(low: float, high: float, count: int) -> list[float]:
    """Return ``count`` rates from ``low`` to ``high``, evenly spaced on a log scale.

    Each rate is rounded to ``RATE_FIGURES`` significant figures, so neighbouring
    ratios agree to within about 1 %.
    """
    low = check_learning_rate(low, "lowest learning rate")
    high = check_learning_rate(high, "highest learning rate")
    count = check_count(count, "number of learning rates", 2, MAX_SWEEP_RATES)
    if not low < high:
        raise ValueError(f"lowest learning rate must be below the highest, got {low:g} and {high:g}.")
    # Logarithms throughout, because high / low overflows for a subnormal low.
    log_low, log_high = math.log(low), math.log(high)
    rates = [_round_figures(math.exp(log_low + (log_high - log_low) * i / (count - 1)), RATE_FIGURES)
             for i in range(count)]
    if len(set(rates)) < count:
        raise ValueError(f"learning rates from {low:g} to {high:g} are too close together for {count} "
                         f"distinct rates at {RATE_FIGURES} significant figures; widen the bounds.")
    return rates


def pick_run(runs: list[Run]) -> int | None:
    """Return the index of the pick by ``PICK_RULE``, or None if no run qualifies.

    No run qualifies when each one diverged or ended at or above its starting loss.
    Ties go to the smaller learning rate, which comes first.
    """
    best = None
    for index, run in enumerate(runs):
        if run.status.code == "diverged" or not run.losses[-1] < run.losses[0]:
            continue
        if best is None or run.losses[-1] < runs[best].losses[-1]:
            best = index
    return best


def sweep(problem: Problem, start, low: float, high: float, count: int = 6, steps: int = 50,
          momentum: float = 0.0, bounds=DEFAULT_BOUNDS) -> SweepResult:
    """Run ``steps`` steps from ``start`` at each of ``count`` log-spaced rates in [low, high]."""
    start = check_point(start)
    steps = check_steps(steps)
    momentum = check_momentum(momentum)
    rates = log_spaced(low, high, count)

    runs = []
    for rate in rates:
        run = Run(problem, start, rate, momentum, bounds=bounds)
        run.step(steps)
        runs.append(run)
    return SweepResult(rates, runs, pick_run(runs))
