from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from relais.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("comptes/", include("relais.accounts.urls")),
    path("offre/", include("relais.offer.urls")),
    path("orientations/", include("relais.referrals.urls")),
    path("droits/", include("relais.rights.urls")),
    path("observatoire/", include("relais.observatory.urls")),
    path("plan/", include("relais.steering.urls")),
    path("partager/", include("relais.sharing.urls")),
    path("", include("relais.matching.urls")),
    path("", include("relais.web.urls")),
    prefix_default_language=False,
)

handler404 = "relais.web.views.not_found"
handler500 = "relais.web.views.server_error"
