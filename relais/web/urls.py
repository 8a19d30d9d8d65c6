from django.urls import path

from relais.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("a-propos/", views.about, name="about"),
]
