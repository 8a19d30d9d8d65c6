from relais.offer.views import partner, public

app_name = "offer"
urlpatterns = public.urlpatterns + partner.urlpatterns
