from relais.offer.views import imports, partner, public, reports

app_name = "offer"
urlpatterns = public.urlpatterns + reports.urlpatterns + partner.urlpatterns + imports.urlpatterns
