"""What every request of the JSON API gets before and after its view: bounded JSON bodies, JSON errors.

Before the view (`ApiGuardMiddleware`, for paths under /api/): no query parameter may hold a NUL character
(422: PostgreSQL cannot compare text holding one and would answer a DataError); a request with a body must say it is
JSON (`Content-Type: application/json`, else 415), stay under DATA_UPLOAD_MAX_MEMORY_SIZE (else 413),
and nest at most MAX_JSON_DEPTH levels of objects and lists (else 400: Python's parser and pydantic
recurse, a deeper body would end in a RecursionError). The body is parsed once here; django-ninja's
parser (`JsonParser`) and the views (`request_json`) reuse it.

After the view: every error answer under /api/ is JSON (`{"detail": [{"type", "loc", "msg", "param"}]}`,
the shape of the validation errors), including Django's own 404, django-ninja's 405, the CSRF 403
and the 500 page; an unreachable database answers 503 (see `problem_for_exception`).
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
MAX_JSON_DEPTH = 32  # the deepest body of the API (a household's incomes) nests 5 levels
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_PARSED = "_relais_json_body"


class BodyProblem(Exception):
    def __init__(self, status: int, kind: str, message: str):
        self.status, self.kind, self.message = status, kind, message
        super().__init__(message)


def problem_response(status: int, kind: str, message: str, param: str = "body") -> JsonResponse:
    """An API error in the shape of the validation errors, whatever its status."""
    loc = ["body"] if param == "body" else [param]
    detail = [{"type": kind, "loc": loc, "msg": message, "param": param}]
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _depth(data) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _too_deep() -> BodyProblem:
    message = _("Le corps de la requête imbrique trop de niveaux d’objets ou de listes JSON (%(max)s au plus).") % {
        "max": MAX_JSON_DEPTH
    }
    return BodyProblem(400, "json_too_deep", message)


def _not_json() -> BodyProblem:
    return BodyProblem(422, "json_invalid", _("Le corps de la requête n’est pas du JSON valide."))


def parse_json(body: bytes):
    """The parsed body; BodyProblem if it is not JSON (NaN and Infinity are not) or nests too deep."""
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError):
        raise _not_json() from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise _too_deep()
    return data


def request_json(request):
    """The request's JSON body (None if empty), parsed once; BodyProblem if it cannot be."""
    if not hasattr(request, _PARSED):
        setattr(request, _PARSED, parse_json(request.body) if request.body else None)
    return getattr(request, _PARSED)


class JsonParser(Parser):
    """django-ninja's parser, reading the body the guard has already parsed."""

    def parse_body(self, request):
        return request_json(request)


def _check_body(request) -> None:
    if request.method not in BODY_METHODS:
        return
    body = request.body  # RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE
    if not body:
        return
    if not is_json(request.content_type or ""):
        message = _("Le corps de la requête doit être du JSON (Content-Type: application/json), reçu « %(type)s ».") % {
            "type": (request.content_type or "")[:60]
        }
        raise BodyProblem(415, "unsupported_media_type", message)
    try:
        setattr(request, _PARSED, parse_json(body))
    except BodyProblem as problem:
        if problem.kind == "json_too_deep":
            raise
        # Invalid JSON: each endpoint says so in its own words (django-ninja's 400, the rights' 422).


def too_big() -> JsonResponse:
    message = _("Le corps de la requête dépasse la taille admise (%(max)s Mo au plus).") % {
        "max": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    }
    return problem_response(413, "request_too_large", message)


def problem_for_exception(exc: BaseException | None) -> JsonResponse:
    """The JSON answer to an exception no view handled: 503 if the database cannot be reached, else 500."""
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connect" in str(exc).lower()
    ):
        message = _("Service momentanément indisponible (base de données injoignable) : réessayez dans un instant.")
        response = problem_response(503, "service_unavailable", message, param="server")
        response["Retry-After"] = "30"
        return response
    message = _("Erreur interne du serveur : elle est enregistrée et sera corrigée.")
    return problem_response(500, "server_error", message, param="server")


def _generic_message(status: int, request) -> str:
    texts = {
        400: _("Requête invalide."),
        403: _("Accès refusé."),
        404: _("Adresse inconnue de l’API."),
        405: _("Méthode %(method)s non admise sur cette adresse."),
    }
    if status >= 500:
        return _("Erreur interne du serveur : elle est enregistrée et sera corrigée.")
    return texts.get(status, _("Requête refusée.")) % {"method": request.method}


def _nul_parameter(request) -> str | None:
    """The first query parameter holding a NUL character (PostgreSQL text cannot hold one: a DataError)."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "") or "query"
    return None


class ApiGuardMiddleware:
    """Bounded JSON bodies in, JSON errors out, for every path under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            _check_body(request)
        except RequestDataTooBig:
            return too_big()
        except BodyProblem as problem:
            return problem_response(problem.status, problem.kind, problem.message)
        param = _nul_parameter(request)
        if param:
            message = _("Paramètre « %(param)s » : le caractère nul (U+0000) n’est pas admis.") % {"param": param}
            return problem_response(422, "nul_character", message, param=param)
        response = self.get_response(request)
        if response.status_code >= 400 and not is_json(response.get("Content-Type", "")):
            json_response = problem_response(
                response.status_code, f"http_{response.status_code}", _generic_message(response.status_code, request)
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
