"""The loss over an n × n grid of a view box, for the heatmap."""

from typing import NamedTuple

from .checks import MAX_GRID_SIZE, check_count
from .datasets import ViewBox
from .model import Problem


class LossGrid(NamedTuple):
    """L at every grid node: ``loss[j][i]`` is L(ws[i], bs[j]), with bs rising from b_min."""

    ws: list[float]
    bs: list[float]
    loss: list[list[float]]
    minimum: float
    maximum: float


def _axis(low: float, high: float, n: int) -> list[float]:
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def loss_grid(problem: Problem, box: ViewBox, n: int) -> LossGrid:
    """Return L over an n × n grid spanning ``box``, corners included (2 ≤ n ≤ 401).

    Each row is built one data point at a time with σ applied by ``map``, which keeps
    the per-node work in C; build_scripts/bench_engine.py times it.
    """
    n = check_count(n, "grid size", 2, MAX_GRID_SIZE)
    ws, bs = _axis(box.w_min, box.w_max, n), _axis(box.b_min, box.b_max, n)
    sigma = problem.activation.value
    scale = 1.0 / len(problem.xs)

    rows = []
    for b in bs:
        totals = [0.0] * n
        for x, y in zip(problem.xs, problem.ys):
            residuals = [value - y for value in map(sigma, [w * x + b for w in ws])]
            totals = [total + r * r for total, r in zip(totals, residuals)]
        rows.append([total * scale for total in totals])

    values = [value for row in rows for value in row]
    return LossGrid(ws, bs, rows, min(values), max(values))
