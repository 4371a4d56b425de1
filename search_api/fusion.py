"""Rank fusion: pure functions over ranked (id, score) lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

# Record ordinals (or ids): hashable, and ordered, so equal scores fall in one order every time.
K = TypeVar("K", int, str)


def normalised_score_fusion(
    runs: Sequence[Sequence[tuple[K, float]]],
    weights: Sequence[float] | None = None,
) -> list[tuple[K, float]]:
    """Fuse by a weighted sum of min-max normalised scores (an id missing from a run scores 0 there).

    A run whose scores are all equal (a set of ids, such as "records by the person named")
    gives each of its ids the run's full weight.
    """
    weights = weights or [1.0] * len(runs)
    fused: dict[K, float] = {}
    for run, weight in zip(runs, weights, strict=True):
        if not run:
            continue
        scores = [s for _, s in run]
        low, high = min(scores), max(scores)
        for item, score in run:
            normalised = (score - low) / (high - low) if high > low else 1.0
            fused[item] = fused.get(item, 0.0) + weight * normalised
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
