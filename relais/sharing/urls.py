from django.urls import path

from relais.sharing import views

app_name = "sharing"
urlpatterns = [
    path("recherche/", views.share, {"kind": "recherche"}, name="recherche"),
    path("trouver-de-l-aide/", views.share, {"kind": "trouver"}, name="trouver"),
    path("fiche/", views.share, {"kind": "fiche"}, name="fiche"),
    path("service/<offer_id:service_id>/", views.share, {"kind": "service"}, name="service"),
]
