from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def partner_dashboard(request):
    return render(request, "offer/partner_dashboard.html")


@login_required
def moderation(request):
    return render(request, "offer/moderation.html")


urlpatterns = [
    path("partenaire/", partner_dashboard, name="partner_dashboard"),
    path("moderation/", moderation, name="moderation"),
]
