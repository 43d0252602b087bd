"""Input checks for the package's public functions.

Each check raises ``ValueError`` with a message that names the value received and
the accepted range, so the browser can show it to the reader as it is.
"""

import math
from numbers import Real

MAX_STEPS_PER_CALL = 10_000
MAX_GRID_SIZE = 401
MAX_SWEEP_RATES = 12


def _real(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return number


def check_learning_rate(value: object, name: str = "learning rate η") -> float:
    """Return the learning rate as a float: finite and greater than 0."""
    number = _real(value, name)
    if number <= 0.0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}.")
    return number


def check_momentum(value: object) -> float:
    """Return the momentum μ as a float in [0, 1)."""
    number = _real(value, "momentum μ")
    if not 0.0 <= number < 1.0:
        raise ValueError(f"momentum μ must be at least 0 and below 1, got {value!r}.")
    return number


def check_count(value: object, name: str, minimum: int, maximum: int) -> int:
    """Return a whole number in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    count = int(value)
    if not minimum <= count <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {value!r}.")
    return count


def check_steps(value: object) -> int:
    """Return a step count between 1 and ``MAX_STEPS_PER_CALL``."""
    return check_count(value, "number of steps", 1, MAX_STEPS_PER_CALL)


def check_point(value: object, name: str = "start point") -> tuple[float, float]:
    """Return a finite (w, b) pair."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"{name} must be a pair [w, b], got {value!r}.")
    w = _real(value[0], f"{name} w")
    b = _real(value[1], f"{name} b")
    return (w, b)


def check_name(value: object, accepted: dict, kind: str) -> str:
    """Return ``value`` if it is a key of ``accepted``, naming the accepted keys if not."""
    if not isinstance(value, str) or value not in accepted:
        names = ", ".join(sorted(accepted))
        raise ValueError(f"unknown {kind} {value!r}; accepted: {names}.")
    return value
