"""What the person's own words say about them, added to the profile when the profile leaves it unknown.

"Je dors dans la rue" says the person has nowhere to sleep; "mon mari me frappe", that they face
violence; "je suis au RSA", that they receive it; "mon fils", "mon bébé", "mes enfants", that they have children. A service reserved to that
public is then for them (eligible, "pour les personnes comme vous"), not "to check": the ranking no longer
puts open services first only because the person did not fill in a form field the words already answered.
Nothing is assumed beyond the words (never a gender, never an age), and what the person stated wins: a
situation they said they are not in, or a number of children given, is kept as it is.
"""

from __future__ import annotations

import dataclasses
import re

from relais.matching.types import Profile
from relais.territories.text import normalize

# signal of the words (lexicon) -> the situation it states
SITUATION_OF_SIGNAL = {"shelter": "homeless", "violence": "violence_victim"}

# the person speaks of their own child or children (normalized words, FR and EN)
_CHILD = re.compile(
    r"\b(?:mon|ma|mes|nos|notre|my|our) (?:fils|fille|filles|bebe|bebes|enfant|enfants|ado|ados|gamin|gamins"
    r"|petit|petite|petits|son|sons|daughter|daughters|baby|babies|child|children|kid|kids|teenager)\b"
)

# the person says they receive a minimum income (normalized words)
_MINIMA = (
    (re.compile(r"\b(?:au|le|du|touche|percois|recois|beneficiaire|on|receive|get) rsa\b"), "rsa"),
    (re.compile(r"\b(?:a l|l|touche|percois|recois|beneficiaire|on|receive|get) aah\b"), "aah"),
)


def with_implied(profile: Profile, text: str, signals: frozenset[str]) -> Profile:
    """`profile` with the facts the words state and the profile does not know (see the module docstring)."""
    stated = {SITUATION_OF_SIGNAL[s] for s in signals if s in SITUATION_OF_SIGNAL}
    words = normalize(text) if text else ""
    stated |= {code for pattern, code in _MINIMA if pattern.search(words)}
    stated -= profile.not_situations | profile.situations
    children = profile.children
    if children is None and _CHILD.search(words):
        children = 1
    if not stated and children == profile.children:
        return profile
    return dataclasses.replace(profile, situations=profile.situations | stated, children=children)
