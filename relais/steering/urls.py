from django.urls import path

from relais.offer.views.public import OfferIdConverter  # noqa: F401  (registers the offer_id converter)
from relais.steering.views import internal, public, work

app_name = "steering"
urlpatterns = [
    path("", public.plans, name="public_plans"),
    path("mes-actions/", internal.my_actions, name="my_actions"),
    path("service/<offer_id:service_id>/", public.service_actions, name="service_actions"),
    path("<slug:slug>/", public.public_plan, name="public_plan"),
    path("<slug:slug>/a/<str:code>/", public.public_action, name="public_action"),
    path("<slug:slug>/donnees.<str:fmt>", work.export, name="export"),
    path("<slug:slug>/tableau-de-bord/", internal.dashboard, name="dashboard"),
    path("<slug:slug>/indicateurs/", internal.indicators, name="indicators"),
    path("<slug:slug>/historique/", internal.history, name="history"),
    path("<slug:slug>/territoires/<slug:territory>/", internal.territory_page, name="territory"),
    path("<slug:slug>/actions/<str:code>/", internal.action_page, name="action"),
    path("<slug:slug>/actions/<str:code>/mise-a-jour/", internal.action_update, name="action_update"),
    path("<slug:slug>/actions/<str:code>/historique/", internal.history, name="action_history"),
    path("<slug:slug>/actions/<str:code>/etapes/<int:step_id>/", internal.step_toggle, name="step_toggle"),
    path("<slug:slug>/actions/<str:code>/notes/<int:note_id>/publier/", internal.note_publish, name="note_publish"),
    path("<slug:slug>/actions/<str:code>/territoires/<slug:territory>/", internal.declination, name="declination"),
    path("<slug:slug>/campagnes/", work.campaigns, name="campaigns"),
    path("<slug:slug>/campagnes/<int:pk>/", work.campaign, name="campaign"),
    path("<slug:slug>/fichiers/", work.files, name="files"),
    path("<slug:slug>/fichiers/import/", work.import_upload, name="import"),
    path("<slug:slug>/point-d-etape.pdf", work.point_d_etape, name="point_d_etape"),
]
