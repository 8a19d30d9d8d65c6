"""Map classes, by hand (docs/adr/0010-observatory.md): quantiles and Jenks natural breaks, pure functions.

    breaks = quantiles(values, 5)   # upper bounds of each class, last = max
    breaks = jenks(values, 5)
    index = class_of(value, breaks)

Jenks is Fisher's exact dynamic programme on the sorted values, O(k·n²): on 35,000 communes it runs on
the distinct values sampled to at most SAMPLE points (the classes of a map do not need more).
"""

from __future__ import annotations

import bisect

SAMPLE = 250


def _clean(values) -> list[float]:
    return sorted(float(v) for v in values if v is not None)


def quantiles(values, k: int = 5) -> list[float]:
    data = _clean(values)
    if not data:
        return []
    k = max(1, min(k, len(set(data))))
    breaks = []
    for i in range(1, k + 1):
        position = min(len(data) - 1, max(0, int(round(i * len(data) / k)) - 1))
        breaks.append(data[position])
    return _unique(breaks, data[-1])


def _unique(breaks: list[float], top: float) -> list[float]:
    found: list[float] = []
    for b in breaks:
        if not found or b > found[-1]:
            found.append(b)
    if found[-1] < top:
        found.append(top)
    return found


def _sample(data: list[float]) -> list[float]:
    if len(data) <= SAMPLE:
        return data
    step = (len(data) - 1) / (SAMPLE - 1)
    return [data[int(round(i * step))] for i in range(SAMPLE)]


def jenks(values, k: int = 5) -> list[float]:
    """Upper bounds of k classes minimising the within-class sum of squared deviations."""
    data = _sample(_clean(values))
    n = len(data)
    if n == 0:
        return []
    k = max(1, min(k, len(set(data))))
    prefix = [0.0]
    prefix_sq = [0.0]
    for v in data:
        prefix.append(prefix[-1] + v)
        prefix_sq.append(prefix_sq[-1] + v * v)

    def cost(i: int, j: int) -> float:  # values data[i:j]
        s = prefix[j] - prefix[i]
        return (prefix_sq[j] - prefix_sq[i]) - s * s / (j - i)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            row = best[c - 1]
            top, arg = inf, c - 1
            for i in range(c - 1, j):
                if row[i] < inf:
                    total = row[i] + cost(i, j)
                    if total < top:
                        top, arg = total, i
            best[c][j], back[c][j] = top, arg
    bounds, j = [], n
    for c in range(k, 0, -1):
        bounds.append(data[j - 1])
        j = back[c][j]
    return _unique(sorted(bounds), data[-1])


def class_of(value: float, breaks: list[float]) -> int:
    """The class index (0-based) of a value: the first upper bound it does not exceed."""
    return min(bisect.bisect_left(breaks, value), len(breaks) - 1)
