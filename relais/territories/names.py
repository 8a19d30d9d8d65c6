"""Commune names close to what was typed, in bounded time: a trigram index over the referential's names.

    index = NameIndex([(code, "villeurbanne", 150_000), ...])   # pure: built from plain tuples
    index.closest("Villeurbane", n=5)                           # -> ["69266", ...] (keys, best first)
    commune_names().closest("Villeurbane")                      # the referential's index, per process

The cost of one look-up does not depend on the length of what was typed nor on luck: the text is cut to
MAX_TEXT_CHARS after normalisation, so it has at most MAX_TEXT_CHARS + 1 distinct trigrams; candidates
are counted from their posting lists (C-level counting) and only the MAX_CANDIDATES that share the most
trigrams are compared character by character (difflib on names of at most MAX_TEXT_CHARS characters).
A name being typed ('villef') or carrying a typo ('Villeurbane', 'Billeurbanne', 'illeurbanne') shares
most of its trigrams with the commune it means.

`commune_names()` keeps one index per process, built from the database and rebuilt when the
referential changes (a cheap signature query): the database stays the only source of the names.
"""

from __future__ import annotations

import difflib
import heapq
import threading
from collections import Counter
from collections.abc import Iterable

from relais.territories.text import normalize

MAX_TEXT_CHARS = 60  # the longest commune name of France has 45 characters once normalised
MAX_CANDIDATES = 64  # names compared in full per look-up
CUTOFF = 0.6


def trigrams(key: str) -> set[str]:
    """The trigrams of a normalised text, padded so that its first letters count double ('  v', ' vi')."""
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """Normalised names and their keys, indexed by trigram; ties go to the most populous place."""

    def __init__(self, names: Iterable[tuple[object, str, int | None]]):
        self._entries: list[tuple[object, str, int]] = []
        self._postings: dict[str, list[int]] = {}
        self._exact: dict[str, list[int]] = {}
        for key, name, population in names:
            position = len(self._entries)
            self._entries.append((key, name, population or 0))
            self._exact.setdefault(name, []).append(position)
            for trigram in trigrams(name[:MAX_TEXT_CHARS]):
                self._postings.setdefault(trigram, []).append(position)

    def __len__(self) -> int:
        return len(self._entries)

    def candidates(self, key: str) -> list[int]:
        """Positions of the names sharing the most trigrams with `key` (at most MAX_CANDIDATES)."""
        counts: Counter[int] = Counter()
        for trigram in trigrams(key):
            counts.update(self._postings.get(trigram, ()))
        entries = self._entries
        return heapq.nlargest(MAX_CANDIDATES, counts, key=lambda p: (counts[p], entries[p][2], -p))

    def closest(self, text: str, n: int = 5, cutoff: float = CUTOFF) -> list:
        """Keys of the `n` names closest to `text`, best first.

        Compared with difflib on the whole name and on a prefix of the same length (so that a name being
        typed matches), with a small bonus when the first letter agrees; ties go to the most populous place.
        """
        key = normalize(text[: MAX_TEXT_CHARS * 4])[:MAX_TEXT_CHARS].strip()
        if not key or n <= 0:
            return []
        positions = dict.fromkeys(self._exact.get(key, ()))
        positions.update(dict.fromkeys(self.candidates(key)))
        whole = difflib.SequenceMatcher(autojunk=False)
        whole.set_seq2(key)
        prefix = difflib.SequenceMatcher(autojunk=False)
        prefix.set_seq2(key)
        scored = []
        k0, k1 = key[:1], key[1:2]
        for position in positions:
            item_key, name, population = self._entries[position]
            if name == key:
                score = 2.0
            elif not (name[:1] == k0 or name[1:2] == k1 or name[1:2] == k0 or name[:1] == k1):
                # the name must agree with the text on its first letters, allowing one substituted,
                # missing or extra first letter
                continue
            else:
                score = 0.0
                whole.set_seq1(name)
                if whole.real_quick_ratio() >= cutoff and whole.quick_ratio() >= cutoff:
                    score = whole.ratio()
                if len(key) >= 3 and len(name) > len(key):
                    prefix.set_seq1(name[: len(key)])
                    if prefix.quick_ratio() >= cutoff:
                        # a name starting with what was typed ranks just below an exact match
                        score = max(score, 0.98 * prefix.ratio() + (0.5 if name.startswith(key) else 0.0))
                if score < cutoff:
                    continue
                if name[:1] == key[:1]:
                    score += 0.05  # typos are rarer in the first letter (as in Jaro-Winkler)
            scored.append((-score, -population, name, position, item_key))
        scored.sort(key=lambda item: item[:4])
        return [item[4] for item in scored[:n]]


class _Cache:
    def __init__(self):
        self.signature: tuple | None = None
        self.index: NameIndex | None = None


_cache = _Cache()
_lock = threading.Lock()


def reset() -> None:
    """Forget this process's index of names (the next `commune_names()` builds it again)."""
    global _cache
    with _lock:
        _cache = _Cache()


def _signature() -> tuple:
    from django.db.models import Count, Max, Min

    from relais.territories.models import Commune

    row = Commune.objects.aggregate(
        n=Count("code"), low=Min("code"), high=Max("code"), first=Min("search_name"), last=Max("search_name")
    )
    return tuple(row.values())


def commune_names() -> NameIndex:
    """The index of the names of the referential's communes and arrondissements (keys: codes Insee)."""
    from relais.territories.models import Commune

    signature = _signature()
    cache = _cache
    if cache.index is None or cache.signature != signature:
        index = NameIndex(Commune.objects.order_by("code").values_list("code", "search_name", "population"))
        with _lock:
            cache.index, cache.signature = index, signature
    return cache.index
