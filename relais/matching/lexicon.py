"""From a person's own words to data·inclusion thématiques.

"je dois quitter mon logement" -> se maintenir dans le logement, hébergement temporaire, changer de
logement, each with the words that triggered it. How it works:

1. the text is split into words, normalised (case, accents, œ), function words are dropped and each word
   is lightly stemmed ("expulsée", "expulsé", "expulser" -> "expuls");
2. a word the lexicon does not know is corrected to the closest known word when the distance is small
   for its length (one typo from 4 letters, two from 9), unless it is an ordinary French word;
3. an entry matches when all its significant words are present, in any order; a matching entry hides
   the entries whose words are a strict subset of its own (the longest, most precise phrase wins);
4. each thématique keeps the highest weight among the entries that point to it.

The labels of the data·inclusion thématiques and catégories are entries too, so "santé mentale" or
"garde d'enfants" work even when no everyday phrase was written for them.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from relais.matching import lexicon_terms
from relais.matching.fuzzy import DeletionIndex, closest
from relais.matching.types import NeedMatch
from relais.offer import vocabularies as voc
from relais.territories.text import normalize

_WORD = re.compile(r"\w+", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'"})

CATEGORIES = {c.value: c.label for c in voc.Categorie}
THEMATIQUES = {t.value: t.label for t in voc.Thematique}


def stem(word: str) -> str:
    """A light French stemmer, the same on both sides: plural, then feminine or infinitive endings."""
    if len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4:
        if word.endswith("ee") or word.endswith("er") or word.endswith("ez"):
            word = word[:-2]
        elif word.endswith("e"):
            word = word[:-1]
    return word


def _norm_words(text: str) -> list[tuple[str, str]]:
    """(original word, normalised word) pairs; a word may normalise to several ("aujourd'hui")."""
    out = []
    for raw in _WORD.findall((text or "").translate(_LIGATURES)):
        for part in normalize(raw).split():
            out.append((raw, part))
    return out


_STOP = frozenset(normalize(w) for w in lexicon_terms.STOPWORDS)
_COMMON = frozenset(stem(normalize(w)) for w in lexicon_terms.COMMON_WORDS) | frozenset(
    normalize(w) for w in lexicon_terms.COMMON_WORDS
)


def significant_stems(text: str) -> list[tuple[str, str]]:
    """(original word, stem) for each significant word of a text, in order."""
    return [(raw, stem(word)) for raw, word in _norm_words(text) if word not in _STOP]


@dataclass(frozen=True, slots=True)
class Entry:
    phrase: str
    tokens: frozenset[str]
    targets: tuple[tuple[str, float], ...]
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Interpretation:
    matches: tuple[NeedMatch, ...]
    unknown_words: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]  # (word typed, word understood)

    @property
    def urgent(self) -> bool:
        return any(m.urgent for m in self.matches)


def expand(code: str) -> list[str]:
    """A thématique stays itself; a catégorie becomes all its thématiques."""
    if code in THEMATIQUES:
        return [code]
    if code in CATEGORIES:
        return [t for t in THEMATIQUES if t.startswith(code + "--")]
    raise ValueError(code)


class Lexicon:
    def __init__(self, terms=None, aliases=None):
        terms = lexicon_terms.TERMS if terms is None else terms
        aliases = lexicon_terms.ALIASES if aliases is None else aliases
        self.entries: list[Entry] = []
        for row in terms:
            phrases, targets, weight = row[:3]
            urgent = bool(row[3]) if len(row) > 3 else False
            resolved = self._targets(targets, weight, aliases)
            for phrase in phrases.split("|"):
                self._add(phrase, resolved, urgent)
        for code, label in THEMATIQUES.items():
            self._add(label, ((code, 1.0),), False)
        for code, label in CATEGORIES.items():
            self._add(label, tuple((t, 0.7) for t in expand(code)), False)
        self._by_token: dict[str, list[Entry]] = defaultdict(list)
        self.display: dict[str, str] = {}  # stem -> a readable word that produces it
        for entry in self.entries:
            for token in entry.tokens:
                self._by_token[token].append(entry)
        for entry in self.entries:
            for raw, token in significant_stems(entry.phrase):
                self.display.setdefault(token, normalize(raw))
        self.vocabulary = frozenset(self._by_token)
        self._fuzzy = DeletionIndex(w for w in self.vocabulary if not w.isdigit())

    @staticmethod
    def _targets(spec: str, weight: float, aliases) -> tuple[tuple[str, float], ...]:
        out: dict[str, float] = {}
        for item in spec.split():
            name, _, own = item.partition(":")
            w = float(own) if own else weight
            codes = [aliases[name]] if name in aliases else expand(name)
            for code in codes:
                out[code] = max(out.get(code, 0.0), w)
        return tuple(out.items())

    def _add(self, phrase: str, targets, urgent: bool) -> None:
        tokens = frozenset(s for _, s in significant_stems(phrase))
        if tokens:
            self.entries.append(Entry(phrase.strip(), tokens, targets, urgent))

    def interpret(self, text: str) -> Interpretation:
        present: dict[str, list[str]] = {}
        unknown: list[str] = []
        corrections: list[tuple[str, str]] = []
        for raw, token in significant_stems(text):
            if token in self.vocabulary:
                present.setdefault(token, []).append(raw)
                continue
            if token in _COMMON or normalize(raw) in _COMMON or token.isdigit():
                continue
            close = self._fuzzy.lookup(token)
            if close:
                _, known = close[0]
                present.setdefault(known, []).append(raw)
                corrections.append((raw, self.display.get(known, known)))
            elif raw not in unknown:
                unknown.append(raw)

        candidates = {id(e): e for token in present for e in self._by_token[token]}.values()
        matching = [e for e in candidates if e.tokens <= present.keys()]
        matching.sort(key=lambda e: (-len(e.tokens), e.phrase))
        accepted: list[Entry] = []
        for entry in matching:
            if not any(entry.tokens < other.tokens for other in accepted):
                accepted.append(entry)

        weights: dict[str, float] = {}
        words: dict[str, list[str]] = defaultdict(list)
        urgent: dict[str, bool] = defaultdict(bool)
        for entry in accepted:
            entry_words = [w for token in present if token in entry.tokens for w in present[token]]
            for code, weight in entry.targets:
                weights[code] = max(weights.get(code, 0.0), weight)
                for w in entry_words:
                    if w not in words[code]:
                        words[code].append(w)
                urgent[code] = urgent[code] or entry.urgent
        matches = tuple(
            NeedMatch(code, round(weights[code], 3), tuple(words[code]), urgent[code])
            for code in sorted(weights, key=lambda c: (-weights[c], c))
        )
        return Interpretation(matches, tuple(unknown), tuple(corrections))

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Thématiques that the words typed come closest to, for a 'did you mean' message."""
        found = self.interpret(text).matches
        if found:
            return [m.thematique for m in found[:limit]]
        codes: list[str] = []
        readable = sorted(set(self.display.values()))
        for raw, _ in significant_stems(text):
            for word in closest(raw, readable, limit=3, cutoff=0.7):
                for match in self.interpret(word).matches:
                    if match.thematique not in codes:
                        codes.append(match.thematique)
        if not codes:
            by_label = {label: code for code, label in THEMATIQUES.items()}
            codes = [by_label[label] for label in closest(text, by_label, limit=limit, cutoff=0.5)]
        return codes[:limit]


@functools.cache
def default_lexicon() -> Lexicon:
    return Lexicon()


def interpret(text: str) -> Interpretation:
    return default_lexicon().interpret(text)


def label(code: str) -> str:
    return THEMATIQUES.get(code) or CATEGORIES.get(code) or code
