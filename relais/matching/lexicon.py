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

Fixed expressions (« en finir », « à la rue », « ce soir ») are read as one word first, so that their
function words count. Urgent entries carry a signal ("shelter", "violence", "suicide") and words of
time ("ce soir", "aujourd'hui", "maintenant") give one ("tonight", "today", "now"): the engine reads
them (`Interpretation.signals`).

Two languages: French (`lexicon_terms.py`) and English (`lexicon_terms_en.py`, everyday English
words). `lexicon_for(language)` gives the page's language first and the other as a fallback for the
words the first does not know (a French word typed on the English page, "CAF" or "RSA"); a word the
other language knows is never typo-corrected into the first language's vocabulary ("manger" is not
"danger").
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


def stem_en(word: str) -> str:
    """A light English stemmer, the same on both sides: plurals, then -ing and -ed."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    return word


@dataclass(frozen=True)
class Language:
    """What a lexicon needs to read one language's words."""

    code: str
    terms: list
    stopwords: frozenset[str]
    common: frozenset[str]
    fixed: tuple[tuple[str, ...], ...]
    time_hints: dict[str, str]
    stem: object
    labels: bool = False  # data·inclusion labels (French) are entries too

    @classmethod
    def of(cls, code: str, module, stemmer, labels: bool = False) -> Language:
        common = {normalize(w) for w in module.COMMON_WORDS}
        fixed = tuple(tuple(normalize(e).split()) for e in module.FIXED_EXPRESSIONS)
        joined = {"".join(words) for words in fixed}
        return cls(
            code=code,
            terms=module.TERMS,
            stopwords=frozenset(normalize(w) for w in module.STOPWORDS),
            common=frozenset(common | {stemmer(w) for w in common} | joined | set(module.TIME_HINTS)),
            fixed=tuple(sorted(fixed, key=len, reverse=True)),
            time_hints=dict(module.TIME_HINTS),
            stem=stemmer,
            labels=labels,
        )


@functools.cache
def french() -> Language:
    return Language.of("fr", lexicon_terms, stem, labels=True)


@functools.cache
def english() -> Language:
    # Imported on first use, not at start-up: the English lexicon is large and most requests are in French.
    from relais.matching import lexicon_terms_en

    return Language.of("en", lexicon_terms_en, stem_en)


def _joined(pairs: list[tuple[str, str]], fixed) -> list[tuple[str, str]]:
    """Fixed expressions as one word: [("à", "a"), ("la", "la"), ("rue", "rue")] -> [("à la rue", "alarue")]."""
    if not fixed:
        return pairs
    out = []
    i = 0
    while i < len(pairs):
        for words in fixed:
            n = len(words)
            if tuple(p[1] for p in pairs[i : i + n]) == words:
                out.append((" ".join(p[0] for p in pairs[i : i + n]), "".join(words)))
                i += n
                break
        else:
            out.append(pairs[i])
            i += 1
    return out


def significant_stems(text: str, language: Language | None = None) -> list[tuple[str, str]]:
    """(original word, stem) for each significant word of a text, in order."""
    language = language or french()
    stemmer, stop = language.stem, language.stopwords
    return [(raw, stemmer(word)) for raw, word in _joined(_norm_words(text), language.fixed) if word not in stop]


def time_hint(text: str, language: Language | None = None) -> str | None:
    """ "tonight", "today" or "now" when the words say when the need is; the most pressing one wins."""
    language = language or french()
    found = {language.time_hints.get(word) for _, word in _joined(_norm_words(text), language.fixed)}
    for hint in ("now", "tonight", "today"):
        if hint in found:
            return hint
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    phrase: str
    tokens: frozenset[str]
    targets: tuple[tuple[str, float], ...]
    urgent: bool = False
    signal: str = ""  # what the emergency is about ("shelter", "violence", "suicide"), for urgent entries


@dataclass(frozen=True, slots=True)
class Interpretation:
    matches: tuple[NeedMatch, ...]
    unknown_words: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]  # (word typed, word understood)
    signals: frozenset[str] = frozenset()  # "shelter", "violence", "suicide", and "tonight", "today" or "now"
    language: str = "fr"  # the lexicon that understood the words

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
    def __init__(self, terms=None, aliases=None, language: Language | None = None):
        self.language = language or french()
        terms = self.language.terms if terms is None else terms
        aliases = lexicon_terms.ALIASES if aliases is None else aliases
        self.entries: list[Entry] = []
        for row in terms:
            phrases, targets, weight = row[:3]
            flag = row[3] if len(row) > 3 else False
            signal = flag if isinstance(flag, str) else ""
            resolved = self._targets(targets, weight, aliases)
            for phrase in phrases.split("|"):
                self._add(phrase, resolved, bool(flag), signal)
        if self.language.labels:
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
            for raw, token in significant_stems(entry.phrase, self.language):
                self.display.setdefault(token, normalize(raw))
        self.vocabulary = frozenset(self._by_token)
        self._fuzzy = DeletionIndex(w for w in self.vocabulary if not w.isdigit())

    def knows(self, raw: str) -> bool:
        """The word is in this lexicon's vocabulary or its everyday words (not a typo of another language)."""
        word = normalize(raw)
        return word in self.language.common or self.language.stem(word) in self.vocabulary

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

    def _add(self, phrase: str, targets, urgent: bool, signal: str = "") -> None:
        tokens = frozenset(s for _, s in significant_stems(phrase, self.language))
        if tokens:
            self.entries.append(Entry(phrase.strip(), tokens, targets, urgent, signal))

    def interpret(self, text: str, protected=None) -> Interpretation:
        """The thématiques the words point to. `protected(raw) -> bool`: words never typo-corrected (the
        words of the other language, which the fallback reads)."""
        present: dict[str, list[str]] = {}
        unknown: list[str] = []
        corrections: list[tuple[str, str]] = []
        common = self.language.common
        for raw, token in significant_stems(text, self.language):
            if token in self.vocabulary:
                present.setdefault(token, []).append(raw)
                continue
            if token in common or normalize(raw) in common or token.isdigit():
                continue
            close = None if protected is not None and protected(raw) else self._fuzzy.lookup(token)
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
        signals = {entry.signal for entry in accepted if entry.signal}
        hint = time_hint(text, self.language)
        if hint:
            signals.add(hint)
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
        return Interpretation(matches, tuple(unknown), tuple(corrections), frozenset(signals), self.language.code)

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Thématiques that the words typed come closest to, for a 'did you mean' message."""
        found = self.interpret(text).matches
        if found:
            return [m.thematique for m in found[:limit]]
        codes: list[str] = []
        readable = sorted(set(self.display.values()))
        for raw, _ in significant_stems(text, self.language):
            for word in closest(raw, readable, limit=3, cutoff=0.7):
                for match in self.interpret(word).matches:
                    if match.thematique not in codes:
                        codes.append(match.thematique)
        if not codes:
            by_label = {label: code for code, label in THEMATIQUES.items()}
            codes = [by_label[label] for label in closest(text, by_label, limit=limit, cutoff=0.5)]
        return codes[:limit]


class Lexicons:
    """The page's language first, the other for the words it does not know (same interface as Lexicon).

    A text the other language understands whole (every word known) is read in that language alone: the
    French words of the resident's buttons mean the same on the English page.
    """

    def __init__(self, primary: Lexicon, secondary: Lexicon | None = None):
        self.primary, self.secondary = primary, secondary
        self.language = primary.language

    def interpret(self, text: str) -> Interpretation:
        other = self.secondary
        first = self.primary.interpret(text, protected=other.knows if other else None)
        if other is None or not first.unknown_words:
            return first
        whole = other.interpret(text, protected=self.primary.knows)
        if whole.matches and not whole.unknown_words:  # the text is in the other language, all of it
            return whole
        second = other.interpret(" ".join(first.unknown_words), protected=self.primary.knows)
        found = {m.thematique: m for m in first.matches}
        for m in second.matches:
            if m.thematique not in found or found[m.thematique].weight < m.weight:
                found[m.thematique] = m
        matches = tuple(sorted(found.values(), key=lambda m: (-m.weight, m.thematique)))
        return Interpretation(
            matches,
            second.unknown_words,
            first.corrections + second.corrections,
            first.signals | second.signals | ({time_hint(text, other.language)} - {None}),
            second.language if second.matches and not first.matches else first.language,
        )

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        found = self.primary.suggest(text, limit)
        if not found and self.secondary is not None:
            found = self.secondary.suggest(text, limit)
        return found


@functools.cache
def french_lexicon() -> Lexicon:
    return Lexicon(language=french())


@functools.cache
def english_lexicon() -> Lexicon:
    return Lexicon(language=english())


@functools.cache
def lexicon_for(language: str | None) -> Lexicons:
    """French first (English for the words it does not know), or English first on an English page."""
    if (language or "fr").split("-")[0].lower() == "en":
        return Lexicons(english_lexicon(), french_lexicon())
    return Lexicons(french_lexicon(), english_lexicon())


def default_lexicon() -> Lexicon:
    """The French lexicon alone."""
    return french_lexicon()


def interpret(text: str) -> Interpretation:
    return default_lexicon().interpret(text)


def label(code: str) -> str:
    return THEMATIQUES.get(code) or CATEGORIES.get(code) or code
