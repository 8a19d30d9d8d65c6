"""Typo tolerance: bounded edit distance and a deletion index to find close words fast."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from relais.territories.text import normalize

__all__ = ["normalize", "edit_distance", "DeletionIndex", "closest"]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), capped at limit + 1."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    for k in range(1, depth + 1):
        if len(word) - k < 1:
            break
        for positions in combinations(range(len(word)), k):
            out.add("".join(c for i, c in enumerate(word) if i not in positions))
    return out


def allowed_distance(word: str) -> int:
    """How many typos a word of this length may carry: none under 5 letters, one up to 8, two beyond."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


class DeletionIndex:
    """Symmetric-delete index (as in SymSpell): candidates within distance d share a deletion variant."""

    def __init__(self, words, depth: int = 2):
        self.depth = depth
        self.words = set(words)
        self._variants: dict[str, set[str]] = defaultdict(set)
        for word in self.words:
            for variant in _deletes(word, min(depth, allowed_distance(word))):
                self._variants[variant].add(word)

    def lookup(self, word: str, max_distance: int | None = None) -> list[tuple[int, str]]:
        """Known words within the allowed distance of `word`, closest first (ties: same first letter, a-z)."""
        if word in self.words:
            return [(0, word)]
        limit = allowed_distance(word) if max_distance is None else max_distance
        limit = min(limit, self.depth)
        if limit == 0:
            return []
        candidates: set[str] = set()
        for variant in _deletes(word, limit):
            candidates |= self._variants.get(variant, set())
        found = []
        for candidate in candidates:
            distance = edit_distance(word, candidate, limit)
            if distance <= min(limit, allowed_distance(candidate)):
                found.append((distance, candidate[:1] != word[:1], candidate))
        found.sort()
        return [(d, c) for d, _, c in found]


def closest(query: str, choices, limit: int = 5, cutoff: float = 0.6) -> list[str]:
    """The choices closest to a free-text query (normalised), for suggestions in error messages."""
    from difflib import SequenceMatcher

    key = normalize(query)
    if not key:
        return []
    scored = []
    for choice in choices:
        other = normalize(choice)
        if not other:
            continue
        ratio = SequenceMatcher(None, key, other).ratio()
        if key in other or other in key:
            ratio = max(ratio, 0.8)
        if ratio >= cutoff:
            scored.append((-ratio, choice))
    scored.sort()
    return [choice for _, choice in scored[:limit]]
