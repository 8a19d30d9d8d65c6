"""The API's errors, shared by every router and by relais/api.py: invalid input answers 422 with
`{"detail": [{"type", "loc", "msg", "param", "input"}]}`, the shape of the data·inclusion (FastAPI) errors,
plus `param` (the parameter's name) and a message in French that names it.

A module of its own, below every app (docs/adr/0009-house-rules.md): the routers import it, and relais/api.py
imports the routers; neither imports the other back.
"""

import difflib
import re

from django.utils.translation import gettext as _
from ninja.errors import ValidationError

MAX_INPUT_SHOWN = 60

# The expected format of a parameter with a pattern, in words; routers add theirs (lazy translations).
PARAMETER_FORMATS: dict[str, str] = {}


def _shown(value) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if len(text) <= MAX_INPUT_SHOWN else text[: MAX_INPUT_SHOWN - 1] + "…"


def _problem(error: dict, param: str, shown: str | None) -> str:
    """The French description of one pydantic error."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and param in PARAMETER_FORMATS:
        return _("« %(input)s » n’a pas le format attendu : %(format)s.") % {
            "input": shown,
            "format": PARAMETER_FORMATS[param],
        }
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(error.get("input", "")), allowed, n=3, cutoff=0.5)
        problem = _("« %(input)s » n’est pas une valeur admise.") % {"input": shown}
        if close:
            problem += " " + _("Valeurs proches : %(values)s.") % {"values": ", ".join(close)}
        return problem
    messages = {
        "missing": _("paramètre obligatoire manquant."),
        "int_parsing": _("« %(input)s » n’est pas un nombre entier."),
        "int_type": _("« %(input)s » n’est pas un nombre entier."),
        "float_parsing": _("« %(input)s » n’est pas un nombre."),
        "bool_parsing": _("« %(input)s » n’est pas un booléen (true ou false)."),
        "date_from_datetime_parsing": _("« %(input)s » n’est pas une date AAAA-MM-JJ."),
        "date_parsing": _("« %(input)s » n’est pas une date AAAA-MM-JJ."),
        "greater_than_equal": _("doit être supérieur ou égal à %(ge)s (reçu « %(input)s »)."),
        "less_than_equal": _("doit être inférieur ou égal à %(le)s (reçu « %(input)s »)."),
        "greater_than": _("doit être strictement supérieur à %(gt)s (reçu « %(input)s »)."),
        "less_than": _("doit être strictement inférieur à %(lt)s (reçu « %(input)s »)."),
        "string_too_short": _("doit contenir au moins %(min_length)s caractères."),
        "string_too_long": _("doit contenir au plus %(max_length)s caractères."),
        "string_pattern_mismatch": _("« %(input)s » n’a pas le format attendu."),
        "too_long": _("au plus %(max_length)s valeurs."),
        "too_short": _("au moins %(min_length)s valeurs."),
    }
    if kind in messages:
        return messages[kind] % {**ctx, "input": shown}
    # Our own validators raise PydanticCustomError with a French message; others keep pydantic's.
    return error["msg"]


def describe(error: dict, source: str) -> dict:
    """One error as returned by the API; `error` is a pydantic error dict with `loc` prefixed by source."""
    loc = list(error["loc"])
    path = [part for part in loc[1:] if not isinstance(part, int)]
    if source == "body" and len(path) > 1:
        path = path[1:]  # drop the view argument's name
    param = ".".join(str(part) for part in path) or source
    shown = _shown(error.get("input")) if source != "body" else None
    described = {
        "type": error["type"],
        "loc": loc,
        "msg": _("Paramètre « %(param)s » : %(problem)s") % {"param": param, "problem": _problem(error, param, shown)},
        "param": param,
    }
    if shown is not None:
        described["input"] = shown
    return described


def parameter_error(source: str, param: str, kind: str, message: str, value=None) -> ValidationError:
    """A 422 for a check made in a view (e.g. a commune code absent from the referential)."""
    error = {"type": kind, "loc": [source, param], "msg": message, "input": value}
    described = describe(error, source)
    return ValidationError([described])
