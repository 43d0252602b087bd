"""Gradient descent with optional heavy-ball or Nesterov momentum, as a resumable run.

Heavy-ball momentum (Polyak, 1964), in the convention of PyTorch's ``torch.optim.SGD``:

    v_{k+1} = μ v_k + ∇L(θ_k),    θ_{k+1} = θ_k − η v_{k+1},    v_0 = 0.

With μ = 0 this is plain gradient descent. The Nesterov option follows the same
library's reformulation (Sutskever et al., 2013): the step is η (∇L(θ_k) + μ v_{k+1}).

A run never raises from arithmetic. It reports how it ended as a ``Status``: still
running, converged at a minimum, stalled on a flat plateau, diverged at step k with the
reason, or stopped at the step limit.
"""

import math
from typing import NamedTuple

from .checks import check_learning_rate, check_momentum, check_point, check_steps
from .curvature import curvature_at
from .model import Problem, gradient, loss

CONVERGENCE_TOLERANCE = 1e-3
"""A run has converged once ‖∇L(θ_k)‖ and the last step length ‖θ_k − θ_{k−1}‖ are both below this."""

RESUME_GRADIENT = 100 * CONVERGENCE_TOLERANCE
"""A converged run is running again once ‖∇L‖ reaches this.

After a run converges, momentum carries it back and forth across the minimum. In a narrow
valley ‖∇L‖ then rises above the tolerance on alternate steps, by up to 1.4e-2 over both
data sets' starts with η from 0.03 to 1 and μ up to 0.99 (measured in CPython). Against
the tolerance itself the status would flip between converged and running on every other
step.
"""

MINIMUM_CURVATURE = 1e-4
"""Where the gradient vanishes, λ_min of the Hessian above this marks a minimum; below it, a plateau."""

LOSS_BOUND = 1e6
"""A run whose loss exceeds this has diverged. Only an unbounded σ (identity) can reach it."""

PARAMETER_BOUND = 1e3
"""Without a data set's own bounds, a run with |w| or |b| above this has diverged."""

MAX_RUN_STEPS = 20_000
"""A run stops here, which bounds its memory: at most this many trail points are kept."""


DIVERGENCE_CAUSES = ("not-finite", "loss-bound", "left-region")
"""Why a run diverged: an infinite or NaN number, a loss above LOSS_BOUND, or (w, b) outside the bounds."""


class Status(NamedTuple):
    """How a run stands: ``code`` is running, converged, stalled, diverged or stopped.

    ``step`` is the step k at which the code was reached (None while running).
    ``reason`` says why a run diverged, and ``cause`` names that reason with one of
    DIVERGENCE_CAUSES, for a chart that labels the run in a word or two.
    """

    code: str
    step: int | None = None
    reason: str | None = None
    cause: str | None = None

    @property
    def message(self) -> str:
        """The status as one sentence for the reader."""
        if self.code == "converged":
            return f"Converged at step {self.step}, where ‖∇L‖ and the step length fell below {CONVERGENCE_TOLERANCE:g}."
        if self.code == "stalled":
            return (f"Stalled at step {self.step}, where ‖∇L‖ and the step length fell below {CONVERGENCE_TOLERANCE:g}, "
                    "but the surface is flat there, so this is a plateau, not a minimum.")
        if self.code == "diverged":
            return f"Diverged at step {self.step}: {self.reason}. Reset or pick a new start point."
        if self.code == "stopped":
            return f"Stopped at the limit of {MAX_RUN_STEPS} steps. Reset to start again."
        return "Running: take a step."


RUNNING = Status("running")


DEFAULT_BOUNDS = (-PARAMETER_BOUND, PARAMETER_BOUND, -PARAMETER_BOUND, PARAMETER_BOUND)


def _divergence(step: int, w: float, b: float, value: float, dw: float, db: float, bounds) -> Status | None:
    """Return the diverged status at ``step`` if the point, its loss or its gradient has diverged, else None."""
    if not all(math.isfinite(number) for number in (w, b, value, dw, db)):
        return Status("diverged", step, "a parameter, the loss or the gradient became infinite or NaN", "not-finite")
    if value > LOSS_BOUND:
        return Status("diverged", step, f"the loss rose above {LOSS_BOUND:g}", "loss-bound")
    w_min, w_max, b_min, b_max = bounds
    if not (w_min <= w <= w_max and b_min <= b <= b_max):
        reason = f"(w, b) left the region w in [{w_min:g}, {w_max:g}], b in [{b_min:g}, {b_max:g}]"
        return Status("diverged", step, reason, "left-region")
    return None


class Run:
    """One descent from a start point: its trail, losses, gradients, velocity and status.

    ``trail[k]`` is θ_k, so ``trail[0]`` is the start and a run after k steps holds
    k + 1 points. Stepping 1 and then 50 gives the same trail as stepping 51 at once.
    ``bounds`` is (w_min, w_max, b_min, b_max): a point outside it counts as diverged,
    because with a saturating σ the loss stays bounded while the point runs away.
    """

    def __init__(self, problem: Problem, start, learning_rate: float, momentum: float = 0.0,
                 nesterov: bool = False, bounds=DEFAULT_BOUNDS):
        w, b = check_point(start)
        self.bounds = tuple(bounds)
        self.problem = problem
        self.learning_rate = check_learning_rate(learning_rate)
        self.momentum = check_momentum(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = (0.0, 0.0)
        self.trail = [(w, b)]
        self.losses = [loss(problem, w, b)]
        self.gradients = [gradient(problem, w, b)]
        self.status = _divergence(0, w, b, self.losses[0], *self.gradients[0], self.bounds) or RUNNING

    @property
    def k(self) -> int:
        """The number of steps taken."""
        return len(self.trail) - 1

    def set_hyperparameters(self, learning_rate: float, momentum: float) -> None:
        """Change η and μ for the next step, keeping the trail and the velocity."""
        self.learning_rate = check_learning_rate(learning_rate)
        self.momentum = check_momentum(momentum)
        if self.status.code in ("converged", "stalled"):
            self.status = RUNNING

    def step(self, steps: int = 1, until_settled: bool = False) -> Status:
        """Take up to ``steps`` steps; a diverged or stopped run takes none.

        With ``until_settled``, the run also ends its steps at the one where it converges
        or stalls, and a run that has already converged or stalled takes none.
        """
        steps = check_steps(steps)
        if until_settled and self.status.code != "running":
            return self.status
        problem, eta, mu = self.problem, self.learning_rate, self.momentum
        w, b = self.trail[-1]
        gw, gb = self.gradients[-1]
        vw, vb = self.velocity

        for _ in range(steps):
            if self.status.code in ("diverged", "stopped"):
                break
            if self.k >= MAX_RUN_STEPS:
                self.status = Status("stopped", self.k)
                break

            vw, vb = mu * vw + gw, mu * vb + gb
            if self.nesterov:
                dw, db = gw + mu * vw, gb + mu * vb
            else:
                dw, db = vw, vb
            previous_w, previous_b = w, b
            w, b = w - eta * dw, b - eta * db

            value = loss(problem, w, b)
            gw, gb = gradient(problem, w, b)
            self.trail.append((w, b))
            self.losses.append(value)
            self.gradients.append((gw, gb))
            self.velocity = (vw, vb)

            diverged = _divergence(self.k, w, b, value, gw, gb, self.bounds)
            if diverged:
                self.status = diverged
            elif self.status.code != "running" and math.hypot(gw, gb) >= _resume_gradient(self.status):
                # A run stepped on past the point where it settled can reach ground that is
                # no longer flat, and then it is running once more. Its steps alone do not
                # count: on a plateau a large η takes steps longer than the tolerance while
                # the gradient stays below it.
                self.status = RUNNING
            elif self.status.code == "running" and _is_converged(gw, gb, w - previous_w, b - previous_b):
                smallest = curvature_at(problem, w, b).eigenvalues[1]
                self.status = Status("converged" if smallest > MINIMUM_CURVATURE else "stalled", self.k)
                if until_settled:
                    break
        # A run that reaches the limit reports it at once, not only on the next call to step.
        if self.status.code == "running" and self.k >= MAX_RUN_STEPS:
            self.status = Status("stopped", self.k)
        return self.status


def _resume_gradient(status: Status) -> float:
    """Return the ‖∇L‖ at which a run with this settled status is running again."""
    return RESUME_GRADIENT if status.code == "converged" else CONVERGENCE_TOLERANCE


def _is_converged(gw: float, gb: float, step_w: float, step_b: float) -> bool:
    return math.hypot(gw, gb) < CONVERGENCE_TOLERANCE and math.hypot(step_w, step_b) < CONVERGENCE_TOLERANCE
