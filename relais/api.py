"""The JSON API under /api/v1/: one NinjaAPI, one router per domain.

Invalid input answers 422 with `{"detail": [...]}`, each error described by relais/apierrors.py
(a module below every app, which the routers import too).
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from relais.apierrors import describe
from relais.matching.api import router as search_router
from relais.offer.api import router as offer_router
from relais.referrals.api import router as referrals_router
from relais.rights.api import router as rights_router


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

api.add_router("", offer_router)
api.add_router("/rights", rights_router)
api.add_router("/referrals", referrals_router)
api.add_router("/search", search_router)
