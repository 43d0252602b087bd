"""JSON-string in, JSON-string out functions for the browser's Python worker.

Each function takes one JSON object as a string and returns one as a string:
``{"ok": true, ...}`` or ``{"ok": false, "error": "<one sentence>"}``. Invalid input
never raises out of here, and no Python object crosses into JavaScript, so the worker
has nothing to release. Runs live in ``_RUNS`` until ``release_run``; at most
``MAX_LIVE_RUNS`` are kept, the oldest dropped first.
"""

import functools
import gc
import itertools
import json

from .activations import DEFAULT_ACTIVATION
from .checks import MAX_GRID_SIZE, check_count
from .datasets import DATASETS, DEFAULT_DATASET, curvature_at_minimum, find_minimum, get_dataset
from .experiments import default_sweep_bounds, question_two
from .grid import loss_grid
from .jsonsafe import run_state, sweep_result, to_json
from .model import gradient_terms
from .optimiser import Run
from .sweep import PICK_RULE, sweep as run_sweep

MAX_LIVE_RUNS = 8
FIT_SAMPLES = 81

_RUNS: dict[int, Run] = {}
_RUN_IDS = itertools.count(1)


def _endpoint(function):
    @functools.wraps(function)
    def wrapper(request_json: str) -> str:
        try:
            request = json.loads(request_json) if request_json else {}
            if not isinstance(request, dict):
                raise ValueError("the request must be a JSON object.")
            return to_json({"ok": True, **function(request)})
        except (ValueError, KeyError, TypeError) as error:
            message = str(error) if isinstance(error, ValueError) else f"invalid request: {error!r}."
            return json.dumps({"ok": False, "error": message[:1].upper() + message[1:]})
    return wrapper


def _activation(request: dict) -> str:
    return request.get("activation", DEFAULT_ACTIVATION)


def _run(request: dict) -> Run:
    run = _RUNS.get(request.get("run_id"))
    if run is None:
        raise ValueError(f"no run with id {request.get('run_id')!r}; start a new run.")
    return run


def _state(run: Run, since: int = 0) -> dict:
    terms = gradient_terms(run.problem, *run.trail[-1])
    return run_state(run, since, FIT_SAMPLES, terms)


@_endpoint
def list_datasets(request: dict) -> dict:
    """Return every data set's name, title and start point names, in the package's order, and the default name."""
    return {
        "datasets": [{"name": dataset.name, "title": dataset.title, "starts": list(dataset.starts)}
                     for dataset in DATASETS.values()],
        "default": DEFAULT_DATASET,
    }


def _grid(grid) -> dict:
    """Return a LossGrid as describe's "grid" field, with the losses row-major."""
    return {"n": len(grid.ws), "w": grid.ws, "b": grid.bs, "loss": [v for row in grid.loss for v in row],
            "min": grid.minimum, "max": grid.maximum}


@_endpoint
def describe(request: dict) -> dict:
    """Return a data set, its loss grid (unless the request has "grid": false), its minimum and the curvature there."""
    dataset = get_dataset(request.get("dataset"))
    activation = _activation(request)
    problem = dataset.problem(activation)
    with_grid = request.get("grid", True)
    if not isinstance(with_grid, bool):
        raise ValueError(f"grid must be true or false, got {with_grid!r}.")
    n = check_count(request.get("grid_size", 101), "grid size", 2, MAX_GRID_SIZE)
    grid = _grid(loss_grid(problem, dataset.view_box, n)) if with_grid else None
    w, b, value = find_minimum(dataset.name, activation)
    curvature = curvature_at_minimum(dataset.name, activation)
    return {
        "dataset": {
            "name": dataset.name,
            "title": dataset.title,
            "x": dataset.xs,
            "y": dataset.ys,
            "view_box": dataset.view_box._asdict(),
            "starts": dataset.starts,
            "default_start": dataset.default_start,
        },
        "activation": activation,
        "grid": grid,
        "minimum": {"w": w, "b": b, "loss": value},
        "curvature": curvature._asdict(),
    }


@_endpoint
def start_run(request: dict) -> dict:
    """Create a run from a start point and return its id and state."""
    dataset = get_dataset(request.get("dataset"))
    run = Run(dataset.problem(_activation(request)), request.get("start"), request.get("learning_rate"),
              request.get("momentum", 0.0), bool(request.get("nesterov", False)),
              bounds=dataset.view_box.divergence_bounds())
    run_id = next(_RUN_IDS)
    _RUNS[run_id] = run
    while len(_RUNS) > MAX_LIVE_RUNS:
        del _RUNS[next(iter(_RUNS))]
    return {"run_id": run_id, "state": _state(run)}


@_endpoint
def step_run(request: dict) -> dict:
    """Advance a run and return its state from trail index ``since`` on.

    With ``until_settled`` true, the run ends its steps where it converges or stalls.
    """
    run = _run(request)
    since = check_count(request.get("since", 0), "since", 0, run.k + 1)
    run.step(request.get("steps", 1), bool(request.get("until_settled", False)))
    return {"run_id": request["run_id"], "state": _state(run, since)}


@_endpoint
def set_hyperparameters(request: dict) -> dict:
    """Change a run's η and μ for its next step and return its latest state."""
    run = _run(request)
    run.set_hyperparameters(request.get("learning_rate"), request.get("momentum"))
    return {"run_id": request["run_id"], "state": _state(run, run.k)}


@_endpoint
def release_run(request: dict) -> dict:
    """Forget a run; releasing an unknown id is not an error."""
    _RUNS.pop(request.get("run_id"), None)
    return {}


@_endpoint
def runtime_stats(request: dict) -> dict:
    """Return counts that show whether the interpreter's memory stays bounded over a visit.

    A full garbage collection runs first, so ``gc_objects`` counts only live objects.
    """
    gc.collect()
    return {
        "live_runs": len(_RUNS),
        "max_live_runs": MAX_LIVE_RUNS,
        "trail_points": sum(len(run.trail) for run in _RUNS.values()),
        "gc_objects": len(gc.get_objects()),
    }


@_endpoint
def sweep_defaults(request: dict) -> dict:
    """Return the default sweep settings for a data set."""
    dataset = get_dataset(request.get("dataset"))
    low, high = default_sweep_bounds(dataset.name)
    return {"lr_min": low, "lr_max": high, "count": 6, "steps": 50,
            "start": dataset.starts[dataset.default_start]}


@_endpoint
def sweep(request: dict) -> dict:
    """Run a learning-rate sweep and return every run's losses, the pick and the rule."""
    dataset = get_dataset(request.get("dataset"))
    activation = _activation(request)
    result = run_sweep(dataset.problem(activation), request.get("start"), request.get("lr_min"),
                       request.get("lr_max"), request.get("count", 6), request.get("steps", 50),
                       request.get("momentum", 0.0), bounds=dataset.view_box.divergence_bounds())
    limit = curvature_at_minimum(dataset.name, activation).stability_limit
    return sweep_result(result, PICK_RULE, limit)


@functools.lru_cache(maxsize=1)
def _question_two() -> dict:
    return question_two()


@_endpoint
def answers(request: dict) -> dict:
    """Return the measured answer to the chapter's question on momentum."""
    return {"question_two": _question_two()}
