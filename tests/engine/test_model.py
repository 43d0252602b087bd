"""Model, gradient and curvature against independent references."""

import math
import random

import numpy as np
import pytest

from neuron_descent.activations import ACTIVATIONS
from neuron_descent.curvature import curvature_at
from neuron_descent.datasets import DATASETS, find_minimum
from neuron_descent.grid import loss_grid
from neuron_descent.model import Problem, gradient, gradient_terms, hessian, loss


def central_difference(function, w, b, h=1e-6):
    return ((function(w + h, b) - function(w - h, b)) / (2 * h),
            (function(w, b + h) - function(w, b - h)) / (2 * h))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_gradient_matches_finite_differences(activation, dataset):
    problem = DATASETS[dataset].problem(activation)
    rng = random.Random(7)
    for _ in range(25):
        w, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
        expected = central_difference(lambda u, v: loss(problem, u, v), w, b)
        actual = gradient(problem, w, b)
        scale = max(math.hypot(*expected), 1e-3)
        assert math.hypot(actual[0] - expected[0], actual[1] - expected[1]) / scale < 1e-6


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_hessian_matches_finite_differences_of_gradient(activation):
    problem = DATASETS["sloped-line"].problem(activation)
    rng = random.Random(3)
    for _ in range(10):
        w, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
        column_w = central_difference(lambda u, v: gradient(problem, u, v)[0], w, b)
        column_b = central_difference(lambda u, v: gradient(problem, u, v)[1], w, b)
        actual = hessian(problem, w, b)
        np.testing.assert_allclose(actual, [column_w, column_b], rtol=1e-5, atol=1e-7)


def test_gradient_terms_sum_to_gradient():
    problem = DATASETS["two-point"].problem("tanh")
    terms = gradient_terms(problem, 0.3, -0.7)
    for term in terms:
        assert term["dw"] == pytest.approx(term["loss_factor"] * term["activation_factor"] * term["x"])
        assert term["activation_factor"] == pytest.approx(1 - math.tanh(term["z"]) ** 2)
    expected = central_difference(lambda u, v: loss(problem, u, v), 0.3, -0.7)
    assert sum(t["dw"] for t in terms) == pytest.approx(expected[0], rel=1e-7)
    assert sum(t["db"] for t in terms) == pytest.approx(expected[1], rel=1e-7)


def test_identity_minimum_matches_least_squares():
    dataset = DATASETS["sloped-line"]
    design = np.column_stack([dataset.xs, np.ones(len(dataset.xs))])
    solution, *_ = np.linalg.lstsq(design, np.array(dataset.ys), rcond=None)
    w, b, _ = find_minimum("sloped-line", "identity")
    assert w == pytest.approx(solution[0], abs=1e-9)
    assert b == pytest.approx(solution[1], abs=1e-9)


def test_identity_hessian_and_eigenvalues_are_exact():
    dataset = DATASETS["sloped-line"]
    problem = dataset.problem("identity")
    design = np.column_stack([dataset.xs, np.ones(len(dataset.xs))])
    exact = 2.0 / len(dataset.xs) * design.T @ design
    np.testing.assert_allclose(hessian(problem, 0.4, -2.0), exact, rtol=1e-12)
    curvature = curvature_at(problem, 0.4, -2.0)
    np.testing.assert_allclose(sorted(curvature.eigenvalues), np.linalg.eigvalsh(exact), rtol=1e-10)
    assert curvature.stability_limit == pytest.approx(2.0 / np.linalg.eigvalsh(exact)[-1], rel=1e-10)
    assert curvature.condition_number == pytest.approx(np.linalg.cond(exact), rel=1e-8)


def test_identity_descent_contracts_by_one_minus_eta_lambda():
    from neuron_descent.optimiser import Run
    dataset = DATASETS["sloped-line"]
    problem = dataset.problem("identity")
    w_star, b_star, _ = find_minimum("sloped-line", "identity")
    curvature = curvature_at(problem, w_star, b_star)
    eta = 0.2
    for eigenvalue, vector in zip(curvature.eigenvalues, curvature.eigenvectors):
        start = (w_star + 0.5 * vector[0], b_star + 0.5 * vector[1])
        run = Run(problem, start, eta)
        run.step(5)
        components = [(w - w_star) * vector[0] + (b - b_star) * vector[1] for w, b in run.trail]
        for before, after in zip(components, components[1:]):
            assert after == pytest.approx((1 - eta * eigenvalue) * before, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_loss_grid_matches_numpy(activation, dataset):
    data = DATASETS[dataset]
    grid = loss_grid(data.problem(activation), data.view_box, 61)
    box = data.view_box
    ws = np.linspace(box.w_min, box.w_max, 61)
    bs = np.linspace(box.b_min, box.b_max, 61)
    z = ws[None, :, None] * np.array(data.xs)[None, None, :] + bs[:, None, None]
    functions = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "identity": lambda v: v}
    expected = ((functions[activation](z) - np.array(data.ys)) ** 2).mean(axis=2)
    np.testing.assert_allclose(grid.loss, expected, rtol=1e-12, atol=1e-12)
    assert grid.minimum == pytest.approx(expected.min(), abs=1e-12)
    assert grid.maximum == pytest.approx(expected.max(), abs=1e-12)
