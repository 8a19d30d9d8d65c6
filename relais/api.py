"""The JSON API under /api/v1/: one NinjaAPI, one router per domain."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Relais API",
    version="1",
    description="Offer, orientation and rights of the métropole's solidarity platform. See docs/api.md.",
    urls_namespace="api",
)

from relais.offer.api import router as offer_router  # noqa: E402

api.add_router("", offer_router)
