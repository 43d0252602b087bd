"""The one-neuron model ŷ = σ(w·x + b) and its mean-squared-error loss.

L(w, b) = (1/N) Σ (ŷ_i − y_i)². The gradient comes from the chain rule, and each data
point's contribution is the product of three factors: the loss derivative 2(ŷ_i − y_i)/N,
the activation derivative σ′(z_i) and the sensitivity of z_i to the parameter (x_i for w,
1 for b). Products use ``r * r`` rather than ``r ** 2`` because float multiplication
overflows to inf, while ``**`` raises ``OverflowError``.
"""

from typing import NamedTuple

from .activations import Activation


class Problem(NamedTuple):
    """A data set's points together with the activation σ of the neuron fitting them."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    activation: Activation


def predict(problem: Problem, w: float, b: float, x: float) -> float:
    """Return ŷ = σ(w·x + b)."""
    return problem.activation.value(w * x + b)


def loss(problem: Problem, w: float, b: float) -> float:
    """Return L(w, b), the mean squared error over the data points."""
    sigma = problem.activation.value
    total = 0.0
    for x, y in zip(problem.xs, problem.ys):
        r = sigma(w * x + b) - y
        total += r * r
    return total / len(problem.xs)


def gradient(problem: Problem, w: float, b: float) -> tuple[float, float]:
    """Return (∂L/∂w, ∂L/∂b) by the chain rule."""
    sigma, sigma_first = problem.activation.value, problem.activation.first
    n = len(problem.xs)
    dw = db = 0.0
    for x, y in zip(problem.xs, problem.ys):
        z = w * x + b
        common = 2.0 * (sigma(z) - y) / n * sigma_first(z)
        dw += common * x
        db += common
    return (dw, db)


def gradient_terms(problem: Problem, w: float, b: float) -> list[dict]:
    """Return, per data point, the three chain-rule factors and their products.

    ``loss_factor`` is 2(ŷ_i − y_i)/N, ``activation_factor`` is σ′(z_i), and the
    sensitivities are ∂z_i/∂w = x_i and ∂z_i/∂b = 1. Summing ``dw`` and ``db`` over the
    points gives the gradient.
    """
    activation = problem.activation
    n = len(problem.xs)
    terms = []
    for x, y in zip(problem.xs, problem.ys):
        z = w * x + b
        y_hat = activation.value(z)
        loss_factor = 2.0 * (y_hat - y) / n
        activation_factor = activation.first(z)
        terms.append({
            "x": x,
            "y": y,
            "z": z,
            "y_hat": y_hat,
            "loss_factor": loss_factor,
            "activation_factor": activation_factor,
            "sensitivity_w": x,
            "sensitivity_b": 1.0,
            "dw": loss_factor * activation_factor * x,
            "db": loss_factor * activation_factor,
        })
    return terms


def hessian(problem: Problem, w: float, b: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the 2 × 2 Hessian of L at (w, b).

    ∂²L/∂θ∂θᵀ = (2/N) Σ (σ′(z_i)² + (ŷ_i − y_i) σ″(z_i)) s_i s_iᵀ with s_i = (x_i, 1).
    """
    activation = problem.activation
    n = len(problem.xs)
    hww = hwb = hbb = 0.0
    for x, y in zip(problem.xs, problem.ys):
        z = w * x + b
        first = activation.first(z)
        weight = 2.0 / n * (first * first + (activation.value(z) - y) * activation.second(z))
        hww += weight * x * x
        hwb += weight * x
        hbb += weight
    return ((hww, hwb), (hwb, hbb))
