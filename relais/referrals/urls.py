from django.urls import path
from django.views.generic import RedirectView

from relais.offer.views.public import OfferIdConverter  # noqa: F401  (registers the offer_id converter)
from relais.referrals.views import agents, link, professional, structure

app_name = "referrals"
urlpatterns = [
    path("nouvelle/<offer_id:service_id>/", professional.new_referral, name="new"),
    path("envoyees/", professional.sent_list, name="sent"),
    path("recues/", structure.inbox, name="inbox"),
    # The figures moved to the observatory (relais/observatory, /observatoire/signaux/); the old address redirects.
    path("pilotage/", RedirectView.as_view(pattern_name="observatory:signals", permanent=True), name="statistics"),
    path("droit-d-acces/", agents.right_of_access, name="right_of_access"),
    path("<uuid:pk>/", structure.detail, name="detail"),
    path("<uuid:pk>/confirmer/", professional.confirm, name="confirm"),
    path("<uuid:pk>/repondre/", structure.answer, name="answer"),
    path("<uuid:pk>/issue/", professional.outcome, name="outcome"),
    path("<uuid:pk>/annuler/", professional.cancel, name="cancel"),
    path("<uuid:pk>/piece-jointe/", structure.attachment, name="attachment"),
    path("lien/nouveau-lien-envoye/", link.renewed, name="link_renewed"),
    path("lien/reponse-enregistree/", link.done, name="link_done"),
    path("lien/<str:token>/", link.answer_by_link, name="link"),
    path("lien/<str:token>/renouveler/", link.renew, name="link_renew"),
    path("lien/<str:token>/piece-jointe/", link.attachment_by_link, name="link_attachment"),
    path("suivi/<str:token>/", link.person_status, name="person_status"),
]
