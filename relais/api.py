"""The JSON API under /api/v1/: one NinjaAPI, one router per domain.

Invalid input answers 422 with `{"detail": [...]}`, each error described by relais/apierrors.py
(a module below every app, which the routers import too).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from relais.api_guard import JsonParser, problem_for_exception, problem_response, too_big
from relais.apierrors import describe
from relais.matching.api import router as search_router
from relais.observatory.api import router as observatory_router
from relais.offer.api import router as offer_router
from relais.referrals.api import router as referrals_router
from relais.rights.api import router as rights_router

logger = logging.getLogger(__name__)


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
    parser=JsonParser(),  # reads the body relais.api_guard has parsed (bounded depth)
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


def request_too_big(request, exc):
    return too_big()


def server_error(request, exc):
    """Every error the views do not handle answers JSON: 503 if the database is unreachable, else 500 (logged)."""
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_for_exception(exc)


def permission_denied(request, exc):
    return problem_response(403, "permission_denied", _("Accès refusé."), param="auth")


api.add_exception_handler(RequestDataTooBig, request_too_big)
api.add_exception_handler(PermissionDenied, permission_denied)
api.add_exception_handler(DatabaseError, server_error)
api.add_exception_handler(Exception, server_error)

api.add_router("", offer_router)
api.add_router("/rights", rights_router)
api.add_router("/referrals", referrals_router)
api.add_router("/search", search_router)
api.add_router("/observatory", observatory_router)
