"""Gradient descent on one neuron, ŷ = σ(w·x + b): the mathematics behind the chapter's widgets."""

from .datasets import DATASETS, get_dataset
from .optimiser import CONVERGENCE_TOLERANCE, Run, Status

__all__ = ["CONVERGENCE_TOLERANCE", "DATASETS", "Run", "Status", "get_dataset"]
