"""The JSON API under /api/v1/: one NinjaAPI, one router per domain.

Invalid input answers 422 with `{"detail": [{"type", "loc", "msg", "param", "input"}]}`: the
shape of the data·inclusion (FastAPI) errors, plus `param` (the parameter's name) and a message
in French that names it.
"""

import difflib
import re

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
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


class RelaisAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            source = model.__ninja_param_source__
            for error in context.pydantic_validation_error.errors(include_url=False):
                error["loc"] = (source,) + model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                errors.append(describe(error, source))
        return ValidationError(errors)


api = RelaisAPI(
    title="Relais API",
    version="1",
    description=(
        "Offre, orientation et droits de la plateforme des solidarités de la métropole. "
        "Les structures, services et référentiels reprennent les noms et le sens de l’API data·inclusion v1. "
        "Contrat et historique des changements : docs/api.md."
    ),
    urls_namespace="api",
    # Swagger UI is served from django-ninja's own static files ("ninja" is in INSTALLED_APPS): no CDN.
    docs=Swagger(settings={"defaultModelsExpandDepth": 0, "validatorUrl": None}),
)


def too_many_parameters(request, exc):
    """Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters: say so in JSON, not an HTML 400."""
    message = _("Trop de paramètres dans l’adresse : %(max)s valeurs au plus.") % {
        "max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    }
    error = {"type": "too_many_parameters", "loc": ["query"], "msg": message, "param": "query"}
    return api.create_response(request, {"detail": [error]}, status=422)


api.add_exception_handler(TooManyFieldsSent, too_many_parameters)

from relais.offer.api import router as offer_router  # noqa: E402

api.add_router("", offer_router)

from relais.rights.api import router as rights_router  # noqa: E402

api.add_router("/rights", rights_router)

from relais.referrals.api import router as referrals_router  # noqa: E402

api.add_router("/referrals", referrals_router)

from relais.matching.api import router as search_router  # noqa: E402

api.add_router("/search", search_router)

from relais.observatory.api import router as observatory_router  # noqa: E402

api.add_router("/observatory", observatory_router)
