from relais.offer.views import imports, partner, public

app_name = "offer"
urlpatterns = public.urlpatterns + partner.urlpatterns + imports.urlpatterns
