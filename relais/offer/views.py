from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def browse(request):
    return render(request, "offer/browse.html")


@login_required
def partner_dashboard(request):
    return render(request, "offer/partner_dashboard.html")


@login_required
def moderation(request):
    return render(request, "offer/moderation.html")
