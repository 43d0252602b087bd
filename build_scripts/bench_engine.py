"""Time the engine under CPython: the 161 × 161 loss grid, steps and a sweep.

Usage: python3 build_scripts/bench_engine.py [--repeat N]
Prints the median and the spread of N repeats (default 15) for each measurement.
The loss-grid target is a median under 150 ms.
"""

import argparse
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "py_src"))

from neuron_descent.datasets import DATASETS  # noqa: E402
from neuron_descent.experiments import default_sweep_bounds  # noqa: E402
from neuron_descent.grid import loss_grid  # noqa: E402
from neuron_descent.optimiser import Run  # noqa: E402
from neuron_descent.sweep import sweep  # noqa: E402


def time_call(function, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000.0)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="repeats per measurement (default 15)")
    repeat = parser.parse_args().repeat

    print(f"Python {sys.version.split()[0]}, {repeat} repeats, times in ms")
    print(f"{'measurement':44} {'median':>8} {'min':>8} {'max':>8}")
    for name, data in DATASETS.items():
        problem = data.problem()
        start = data.starts[data.default_start]
        low, high = default_sweep_bounds(name)
        cases = {
            f"loss grid 161 x 161, {name}": lambda: loss_grid(problem, data.view_box, 161),
            f"50 steps, {name}": lambda: Run(problem, start, 0.1, 0.5).step(50),
            f"sweep 6 rates x 50 steps, {name}": lambda: sweep(problem, start, low, high),
        }
        for label, function in cases.items():
            timings = time_call(function, repeat)
            print(f"{label:44} {statistics.median(timings):8.2f} {min(timings):8.2f} {max(timings):8.2f}")


if __name__ == "__main__":
    main()
