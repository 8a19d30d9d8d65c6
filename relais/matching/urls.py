from django.urls import path
from django.views.generic import RedirectView

from relais.matching.views import communes, fiche, pro, resident

app_name = "matching"
urlpatterns = [
    path("recherche/", pro.search, name="search"),
    path("recherche/fiche/", fiche.fiche, name="fiche"),
    path("recherche/fiche.pdf", fiche.fiche_download, name="fiche_pdf"),
    path("recherche/communes.json", communes.communes, name="communes"),
    path("trouver-de-l-aide/", resident.find_help, name="resident"),
    # The search was at /orientation/ until 2026-12-07 (docs/adr/0017-names.md): bookmarks and printed links
    # keep working, with their query string.
    path(
        "orientation/",
        RedirectView.as_view(pattern_name="matching:search", permanent=True, query_string=True),
        name="search_old",
    ),
]
