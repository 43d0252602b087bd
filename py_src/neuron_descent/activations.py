"""Activation functions σ with their first and second derivatives.

Every function accepts any float, including ±inf, and never raises: ``math.exp``
overflows are avoided by branching on the sign of z, so a run whose parameters blow
up reports a diverged status instead of an ``OverflowError``.
"""

import math
from typing import Callable, NamedTuple


class Activation(NamedTuple):
    """σ, σ′ and σ″ as plain functions of z."""

    name: str
    value: Callable[[float], float]
    first: Callable[[float], float]
    second: Callable[[float], float]


def _tanh_first(z: float) -> float:
    t = math.tanh(z)
    return 1.0 - t * t


def _tanh_second(z: float) -> float:
    t = math.tanh(z)
    return -2.0 * t * (1.0 - t * t)


def _sigmoid(z: float) -> float:
    if z != z:
        return z
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_first(z: float) -> float:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _sigmoid_second(z: float) -> float:
    s = _sigmoid(z)
    return s * (1.0 - s) * (1.0 - 2.0 * s)


ACTIVATIONS = {
    "tanh": Activation("tanh", math.tanh, _tanh_first, _tanh_second),
    "sigmoid": Activation("sigmoid", _sigmoid, _sigmoid_first, _sigmoid_second),
    "identity": Activation("identity", lambda z: z, lambda z: 1.0, lambda z: 0.0),
}

DEFAULT_ACTIVATION = "tanh"
