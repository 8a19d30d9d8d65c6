from django.urls import path

from relais.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.home, name="home"),
    path("indicateur/<slug:indicator_id>/", views.indicator, name="indicator"),
    path("indicateur/<slug:indicator_id>/donnees.csv", views.indicator_csv, name="indicator_csv"),
    path("indicateur/<slug:indicator_id>/<slug:chart>.svg", views.indicator_svg, name="indicator_svg"),
    path("portrait/<slug:kind>/<str:code>/", views.portrait, name="portrait"),
    path("portrait/<slug:kind>/<str:code>/portrait.pdf", views.portrait_pdf, name="portrait_pdf"),
    path("portrait/<slug:kind>/<str:code>/donnees.csv", views.portrait_csv, name="portrait_csv"),
    path("signaux/", views.signals_page, name="signals"),
    path("signaux/<slug:table>.csv", views.signals_csv, name="signals_csv"),
    path("import/", views.import_page, name="import"),
]
