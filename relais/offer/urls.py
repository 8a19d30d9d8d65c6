from django.urls import path

from relais.offer import views

app_name = "offer"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("partenaire/", views.partner_dashboard, name="partner_dashboard"),
    path("moderation/", views.moderation, name="moderation"),
]
