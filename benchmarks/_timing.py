"""Interleaved timing: machines here are noisy, so target and baseline alternate in rounds
and the medians are compared, never a single wall-clock figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(
    target: Callable[[], object], baseline: Callable[[], object], rounds: int = 7
) -> tuple[float, float]:
    """Median seconds per call of (target, baseline) over alternating rounds."""
    target(), baseline()  # warm caches and imports outside the measurement
    t_times, b_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        baseline()
        b_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        target()
        t_times.append(time.perf_counter() - start)
    return statistics.median(t_times), statistics.median(b_times)
