"""Small statistics the reports need, on plain numbers."""
import math
from typing import Optional, Sequence


def percentile(values: Sequence[float], p: float) -> Optional[float]:
    """Nearest-rank percentile (p in 0..100); None for no values.

    Nearest rank reports a wait somebody really had, which is easier to explain at a
    staff meeting than an interpolated one.
    """
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def histogram_percentile(counts: dict, p: float) -> Optional[float]:
    """`percentile` on values given as {value: how often}: the same nearest rank, without
    spelling out a year's waits one by one."""
    total = sum(counts.values())
    if not total:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")
