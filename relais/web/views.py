import sys

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from relais.api_guard import API_PREFIX, problem_for_exception
from relais.offer.models import Service, Structure
from relais.territories.models import Commune


@require_safe
def home(request):
    served = Service.objects.visible().values("code_insee")
    context = {
        "structure_count": Structure.objects.published().count(),
        "service_count": Service.objects.visible().count(),
        # communes with a published service (the referential holds all of France)
        "commune_count": Commune.objects.communes()
        .filter(Q(code__in=served) | Q(arrondissements__code__in=served))
        .distinct()
        .count(),
    }
    return render(request, "web/home.html", context)


@require_safe
def accessibility(request):
    return render(request, "web/accessibility.html")


@require_safe
def about(request):
    return render(request, "web/about.html")


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        # Called while Django handles the exception: a database that cannot be reached answers 503, in JSON.
        return problem_for_exception(sys.exc_info()[1])
    return render(request, "web/500.html", status=500)
