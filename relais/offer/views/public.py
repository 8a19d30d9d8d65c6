from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe


@require_safe
def browse(request):
    return render(request, "offer/browse.html")


urlpatterns = [
    path("", browse, name="browse"),
]
