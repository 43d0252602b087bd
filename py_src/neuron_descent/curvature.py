"""Curvature of the loss: eigen-decomposition of the 2 × 2 Hessian.

The eigenvector of the largest eigenvalue λ_max is the steepest direction, "across the
valley"; the one of λ_min is the shallowest, "along the valley". Plain gradient descent
on a quadratic multiplies the distance along each eigenvector by (1 − ηλ) per step, so
it is stable only for η < 2/λ_max.
"""

import math
from typing import NamedTuple

from .model import Problem, hessian


class Curvature(NamedTuple):
    """Eigenvalues (largest first), unit eigenvectors, condition number, stability limit."""

    eigenvalues: tuple[float, float]
    eigenvectors: tuple[tuple[float, float], tuple[float, float]]
    condition_number: float
    stability_limit: float


def eigen_symmetric(matrix) -> tuple[tuple[float, float], tuple[tuple[float, float], tuple[float, float]]]:
    """Return the eigenvalues (largest first) and unit eigenvectors of a symmetric 2 × 2 matrix."""
    (a, c), (_, d) = matrix
    mean = 0.5 * (a + d)
    radius = math.hypot(0.5 * (a - d), c)
    large, small = mean + radius, mean - radius
    if c == 0.0:
        first = (1.0, 0.0) if a >= d else (0.0, 1.0)
    else:
        length = math.hypot(large - d, c)
        first = ((large - d) / length, c / length)
    second = (-first[1], first[0])
    return (large, small), (first, second)


def curvature_at(problem: Problem, w: float, b: float) -> Curvature:
    """Return the curvature of L at (w, b).

    The condition number λ_max/λ_min is inf when λ_min ≤ 0 (not a strict minimum), and
    the stability limit 2/λ_max is inf when λ_max ≤ 0.
    """
    eigenvalues, eigenvectors = eigen_symmetric(hessian(problem, w, b))
    large, small = eigenvalues
    condition = large / small if small > 0.0 else math.inf
    limit = 2.0 / large if large > 0.0 else math.inf
    return Curvature(eigenvalues, eigenvectors, condition, limit)
