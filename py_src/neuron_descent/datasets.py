"""The chapter's data sets, each with the view box of its loss map and named start points.

The values were chosen, for σ = tanh, so that the chapter's experiments behave as the
text says; ``experiments.py`` measures each claim and the tests check it.

- ``two-point``: two points, so the neuron can fit both exactly; L has one clean
  minimum with λ_max ≈ 2.1, so η = 1.5 lies past the stability limit 2/λ_max ≈ 0.94,
  and the far start sits where tanh begins to saturate, so η = 0.01 crawls.
- ``sloped-line``: eight points on a line, all with x between 1.52 and 2.22. Because x
  barely varies, w and b can trade off against each other: L has a long, narrow valley
  with a condition number near 380, and λ_max ≈ 6.57 puts η = 0.3 just inside
  2/λ_max ≈ 0.305, so the zig-zag across the valley dies out slowly. The view box
  leaves a margin around the upper-left start, because the first steps climb above it.
"""

import functools
from typing import NamedTuple

from .activations import ACTIVATIONS, DEFAULT_ACTIVATION
from .checks import check_name
from .curvature import Curvature, curvature_at
from .model import Problem, gradient, hessian, loss


class ViewBox(NamedTuple):
    """The ranges of w and b drawn on the loss map."""

    w_min: float
    w_max: float
    b_min: float
    b_max: float

    def divergence_bounds(self) -> tuple[float, float, float, float]:
        """Return the box widened by its own width and height on every side.

        A run whose point leaves this larger box counts as diverged.
        """
        width, height = self.w_max - self.w_min, self.b_max - self.b_min
        return (self.w_min - width, self.w_max + width, self.b_min - height, self.b_max + height)


class Dataset(NamedTuple):
    """Data points (x_i, y_i) with the view box and start points for the widgets."""

    name: str
    title: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    view_box: ViewBox
    starts: dict
    default_start: str

    def problem(self, activation: str = DEFAULT_ACTIVATION) -> Problem:
        """Return the fitting problem for this data set and the named activation."""
        check_name(activation, ACTIVATIONS, "activation")
        return Problem(self.xs, self.ys, ACTIVATIONS[activation])


_SLOPED_XS = tuple(round(1.52 + 0.1 * i, 2) for i in range(8))

DATASETS = {
    "two-point": Dataset(
        name="two-point",
        title="Two points: one clean minimum",
        xs=(-1.2, 1.2),
        ys=(-0.3, 0.5),
        view_box=ViewBox(-1.6, 2.4, -1.9, 2.1),
        starts={"far": (-1.2, 0.9), "near": (1.0, 0.6)},
        default_start="far",
    ),
    "sloped-line": Dataset(
        name="sloped-line",
        title="Sloped line: a long, narrow valley",
        xs=_SLOPED_XS,
        ys=tuple(round(0.33 * x - 0.25, 3) for x in _SLOPED_XS),
        view_box=ViewBox(-0.6, 1.6, -2.5, 1.2),
        starts={"upper-left": (-0.4, 0.8), "lower-right": (1.6, -2.5)},
        default_start="upper-left",
    ),
}

DEFAULT_DATASET = "two-point"


def get_dataset(name: str) -> Dataset:
    """Return the named data set; an unknown name raises ``ValueError`` listing the names."""
    return DATASETS[check_name(name, DATASETS, "data set")]


@functools.lru_cache(maxsize=None)
def find_minimum(name: str, activation: str = DEFAULT_ACTIVATION) -> tuple[float, float, float]:
    """Return (w*, b*, L*), the lowest point of L found inside the data set's view box.

    The search starts from the lowest point of a coarse grid and refines it with Newton
    steps, falling back to a short gradient step where the Hessian is not positive
    definite. If the refinement leaves the view box (L has no minimum inside it, as for
    σ = sigmoid on targets below 0), the grid's lowest point is returned instead.
    """
    dataset = get_dataset(name)
    problem = dataset.problem(activation)
    box = dataset.view_box
    size = 41
    candidates = (
        (box.w_min + (box.w_max - box.w_min) * i / (size - 1), box.b_min + (box.b_max - box.b_min) * j / (size - 1))
        for i in range(size) for j in range(size)
    )
    grid_w, grid_b = w, b = min(candidates, key=lambda point: loss(problem, *point))

    for _ in range(100):
        gw, gb = gradient(problem, w, b)
        (a, c), (_, d) = hessian(problem, w, b)
        determinant = a * d - c * c
        if a > 0.0 and determinant > 0.0:
            step_w = (d * gw - c * gb) / determinant
            step_b = (a * gb - c * gw) / determinant
        else:
            step_w, step_b = 0.1 * gw, 0.1 * gb
        w, b = w - step_w, b - step_b
        if abs(step_w) + abs(step_b) < 1e-15:
            break
    if not (box.w_min <= w <= box.w_max and box.b_min <= b <= box.b_max):
        w, b = grid_w, grid_b
    return (w, b, loss(problem, w, b))


def curvature_at_minimum(name: str, activation: str = DEFAULT_ACTIVATION) -> Curvature:
    """Return the curvature of L at the data set's minimum."""
    w, b, _ = find_minimum(name, activation)
    return curvature_at(get_dataset(name).problem(activation), w, b)
