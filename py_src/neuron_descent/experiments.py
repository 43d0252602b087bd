"""The chapter's claims about its experiments, measured rather than asserted.

Each function runs the experiment the text describes and returns plain numbers, so
the tests can check the claims and the build can write the measured answers into the
page. All runs use σ = tanh and stop after ``EXPERIMENT_STEPS`` steps unless they
measure steps to convergence.
"""

import math

from .datasets import curvature_at_minimum, find_minimum, get_dataset
from .optimiser import CONVERGENCE_TOLERANCE, MAX_RUN_STEPS, Run

EXPERIMENT_STEPS = 50
TOO_SMALL = {"dataset": "two-point", "start": "far", "learning_rate": 0.01, "momentum": 0.0}
TOO_LARGE = {"dataset": "two-point", "start": "far", "learning_rate": 1.5, "momentum": 0.0}
LONG_VALLEY = {"dataset": "sloped-line", "start": "upper-left", "learning_rate": 0.3, "momentum": 0.0}
MOMENTUM_FIX = {**LONG_VALLEY, "momentum": 0.9}
QUESTION_TWO_MOMENTA = [round(0.05 * i, 2) for i in range(20)]


def run_experiment(setting: dict, steps: int = EXPERIMENT_STEPS) -> Run:
    """Return a run of ``steps`` steps with a setting such as ``TOO_SMALL``."""
    dataset = get_dataset(setting["dataset"])
    run = Run(dataset.problem(), dataset.starts[setting["start"]], setting["learning_rate"],
              setting["momentum"], bounds=dataset.view_box.divergence_bounds())
    run.step(steps)
    return run


def _components(points, origin, direction) -> list[float]:
    return [(w - origin[0]) * direction[0] + (b - origin[1]) * direction[1] for w, b in points]


def _sign_changes(values) -> int:
    return sum(1 for a, b in zip(values, values[1:]) if a * b < 0.0)


def eigen_directions(dataset_name: str):
    """Return the minimum (w*, b*) and the across- and along-valley unit vectors there."""
    w, b, _ = find_minimum(dataset_name)
    across, along = curvature_at_minimum(dataset_name).eigenvectors
    return (w, b), across, along


def overshoot_measures(run: Run, dataset_name: str) -> dict:
    """Measure overshoot: sign changes of θ − θ* along the steepest eigenvector, loss rises, leaving the map."""
    minimum, across, _ = eigen_directions(dataset_name)
    box = get_dataset(dataset_name).view_box
    losses = run.losses
    return {
        "sign_changes": _sign_changes(_components(run.trail, minimum, across)),
        "loss_rises": sum(1 for a, b in zip(losses, losses[1:]) if b > a),
        "left_view_box": any(not (box.w_min <= w <= box.w_max and box.b_min <= b <= box.b_max) for w, b in run.trail),
    }


def valley_measures(run: Run, dataset_name: str) -> dict:
    """Measure a valley run: how often the across-valley step reverses, and how far along it got.

    ``reversal_fraction`` is the share of consecutive step pairs whose across-valley
    components have opposite signs. ``along_fraction`` is the share of the start's
    along-valley distance to the minimum that the last point has covered.
    """
    minimum, across, along = eigen_directions(dataset_name)
    steps = [(w1 - w0, b1 - b0) for (w0, b0), (w1, b1) in zip(run.trail, run.trail[1:])]
    across_steps = _components(steps, (0.0, 0.0), across)
    along_start, along_end = _components([run.trail[0], run.trail[-1]], minimum, along)
    return {
        "reversal_fraction": _sign_changes(across_steps) / max(len(across_steps) - 1, 1),
        "along_fraction": 1.0 - along_end / along_start,
    }


def steps_to_converge(setting: dict, max_steps: int = MAX_RUN_STEPS) -> int | None:
    """Return the step at which a run with ``setting`` converges, or None if it does not within ``max_steps``."""
    run = run_experiment(setting, 1)
    while run.status.code == "running" and run.k < max_steps:
        # The run stops at its first convergence, as with the widget's Run button, because a
        # run stepped on past that point can move away and converge again at a later step.
        run.step(min(500, max_steps - run.k), until_settled=True)
    return run.status.step if run.status.code == "converged" else None


def question_two() -> dict:
    """Measure which momentum halves the steps to convergence on the sloped-line data.

    Every μ in ``QUESTION_TWO_MOMENTA`` (0 to 0.95 in steps of 0.05, values a reader
    can type) is run from the long-valley experiment's start and η; the answer is the μ
    whose step count is closest to half the count for μ = 0.
    """
    baseline = steps_to_converge(LONG_VALLEY)
    counts = {mu: steps_to_converge({**LONG_VALLEY, "momentum": mu}) for mu in QUESTION_TWO_MOMENTA[1:]}
    target = baseline / 2.0
    momentum = min((mu for mu, count in counts.items() if count is not None),
                   key=lambda mu: abs(counts[mu] - target))
    start = get_dataset(LONG_VALLEY["dataset"]).starts[LONG_VALLEY["start"]]
    return {
        "momentum": momentum,
        "steps": counts[momentum],
        "steps_without_momentum": baseline,
        "learning_rate": LONG_VALLEY["learning_rate"],
        "tolerance": CONVERGENCE_TOLERANCE,
        "start_w": start[0],
        "start_b": start[1],
        "theory_momentum": 0.5,
        "counts": {str(mu): count for mu, count in counts.items()},
    }


def default_sweep_bounds(dataset_name: str) -> tuple[float, float]:
    """Return sweep bounds that run from far too slow to past the stability limit.

    From 2/λ_max ÷ 30 to 2/λ_max × 20, rounded to two significant figures, so six
    log-spaced rates from the data set's default start include crawling, good,
    oscillating and diverging runs.
    """
    limit = curvature_at_minimum(dataset_name).stability_limit
    return (_round_figures(limit / 30.0), _round_figures(limit * 20.0))


def _round_figures(value: float, figures: int = 2) -> float:
    digits = figures - 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)
