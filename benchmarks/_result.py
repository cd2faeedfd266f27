"""The last line a benchmark prints: one JSON object with its figures, its ratio against the
baseline it ran beside and whether that ratio is within its target, named the same way in
every benchmark so that one reader takes them all."""

from __future__ import annotations

import json


def print_result(benchmark: str, ratio: float, target_ratio: float, **figures: object) -> bool:
    """Print the JSON line (figures first) and return whether `ratio` is within the target."""
    within = ratio <= target_ratio
    print(
        json.dumps(
            {
                "benchmark": benchmark,
                **figures,
                "ratio": round(ratio, 3),
                "target_ratio": target_ratio,
                "within_target": within,
            }
        )
    )
    return within
