from django.urls import path

from relais.matching.views import communes, fiche, pro, resident

app_name = "matching"
urlpatterns = [
    path("orientation/", pro.search, name="search"),
    path("orientation/fiche/", fiche.fiche, name="fiche"),
    path("orientation/fiche.pdf", fiche.fiche_download, name="fiche_pdf"),
    path("trouver-de-l-aide/", resident.find_help, name="resident"),
    path("orientation/communes.json", communes.communes, name="communes"),
]
