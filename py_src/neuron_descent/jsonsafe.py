"""Plain-dict forms of results that JSON can carry: NaN and ±inf become null."""

import json
import math

from .optimiser import Run


def clean(value):
    """Return ``value`` with every non-finite float replaced by None, tuples as lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    return value


def to_json(value) -> str:
    """Return strict JSON text: it never contains NaN or Infinity."""
    return json.dumps(clean(value), allow_nan=False)


def status_dict(run: Run) -> dict:
    """Return a run's status with its sentence for the reader."""
    status = run.status
    return {"code": status.code, "step": status.step, "reason": status.reason, "cause": status.cause,
            "message": status.message}


def _fit_curve(run: Run, samples: int) -> dict:
    xs = run.problem.xs
    low, high = min(xs), max(xs)
    margin = 0.25 * (high - low) or 1.0
    low, high = low - margin, high + margin
    w, b = run.trail[-1]
    sigma = run.problem.activation.value
    grid = [low + (high - low) * i / (samples - 1) for i in range(samples)]
    return {"x": grid, "y_hat": [sigma(w * x + b) for x in grid]}


def run_state(run: Run, since: int, fit_samples: int, terms: list[dict]) -> dict:
    """Return the state the descent widget draws, with trail points from index ``since`` on."""
    w, b = run.trail[-1]
    gw, gb = run.gradients[-1]
    return {
        "k": run.k,
        "theta": [w, b],
        "loss": run.losses[-1],
        "gradient": [gw, gb],
        "gradient_norm": math.hypot(gw, gb),
        "velocity": list(run.velocity),
        "learning_rate": run.learning_rate,
        "momentum": run.momentum,
        "trail_from": since,
        "trail": run.trail[since:],
        "losses": run.losses[since:],
        "fit": _fit_curve(run, fit_samples),
        "terms": terms,
        "status": status_dict(run),
    }


def sweep_result(result, rule: str, stability_limit: float) -> dict:
    """Return a sweep's rates, per-run losses and status, the pick, the rule and 2/λ_max."""
    return {
        "learning_rates": result.learning_rates,
        "runs": [
            {"learning_rate": rate, "losses": run.losses, "status": status_dict(run)}
            for rate, run in zip(result.learning_rates, result.runs)
        ],
        "pick": result.pick,
        "rule": rule,
        "stability_limit": stability_limit,
    }
