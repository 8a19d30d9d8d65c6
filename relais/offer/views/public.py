"""Public pages of the offer: browse by commune and thématique, structure page, service fiche, aids.

Only published listings are shown; anything else is a 404.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import path, register_converter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from relais.offer import hours
from relais.offer import vocabularies as voc
from relais.offer.fiche_map import fiche_map
from relais.offer.models import Aid, Closure, Service, Structure
from relais.territories.cog import is_commune_code
from relais.territories.models import Commune, Departement, Epci, Territory

PAGE_SIZE = 20


class OfferIdConverter:
    """data·inclusion identifiers, e.g. 'dora--4f2e' or 'soliguide:123': anything but a slash."""

    regex = "[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OfferIdConverter, "offer_id")


# --- shared helpers -------------------------------------------------------------------------


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _closures_for(services=(), structures=(), since: dt.date | None = None) -> tuple[dict, dict]:
    """Current and future closures in one query: (by service id, by structure id for the whole structure)."""
    service_ids = [s.pk for s in services]
    structure_ids = {s.pk for s in structures} | {s.structure_id for s in services}
    by_service, by_structure = defaultdict(list), defaultdict(list)
    if not service_ids and not structure_ids:
        return by_service, by_structure
    rows = Closure.objects.filter(ends_on__gte=since or timezone.localdate()).filter(
        Q(service_id__in=service_ids) | Q(service__isnull=True, structure_id__in=structure_ids)
    )
    for closure in rows:
        if closure.service_id:
            by_service[closure.service_id].append(closure)
        else:
            by_structure[closure.structure_id].append(closure)
    return by_service, by_structure


def _annotate_services(services, now: dt.datetime, by_service: dict, by_structure: dict) -> None:
    """Attach each service's closures and opening status (hours fall back to the structure's)."""
    for service in services:
        service.current_closures = by_service.get(service.pk, []) + by_structure.get(service.structure_id, [])
        service.opening = hours.status(
            service.effective_hours(), service.current_closures, now, tz=_tz(), code_insee=service.code_insee
        )


def _visible_closures(closures, today: dt.date) -> list:
    """Closures and messages worth showing: in force now or starting within 60 days."""
    horizon = today + dt.timedelta(days=60)
    return sorted((c for c in closures if c.starts_on <= horizon), key=lambda c: c.starts_on)


# --- browse ---------------------------------------------------------------------------------


def _commune_choices(selected: str) -> list:
    """Communes grouped by EPCI, arrondissements right after their commune.

    Listed: the EPCIs where the offer has a service, or for which a territory is defined, plus the
    commune asked for in the query string if it exists elsewhere in the referential.
    """
    served = (
        Commune.objects.filter(code__in=Service.objects.visible().values("code_insee"))
        .annotate(group=Coalesce("epci_id", "parent__epci_id"))
        .values("group")
    )
    communes = (
        Commune.objects.annotate(group=Coalesce("epci_id", "parent__epci_id"))
        .annotate(group_name=Coalesce("epci__name", "parent__epci__name"), parent_name=Coalesce("parent__name", "name"))
        .filter(
            Q(group__in=served)
            | Q(group__in=Territory.objects.filter(epci__isnull=False).values("epci_id"))
            | Q(code=selected)
        )
        .annotate(is_arrondissement=Case(When(parent__isnull=False, then=Value(1)), default=Value(0)))
        .order_by("group_name", "parent_name", "is_arrondissement", "name")
        .values_list("code", "name", "group_name")
    )
    groups: dict[str, list] = {}
    for code, name, group_name in communes:
        groups.setdefault(group_name or _("Autres communes"), []).append((code, name))
    return [("", _("Toutes les communes"))] + list(groups.items())


def _thematique_choices() -> list:
    choices = [("", _("Toutes les thématiques"))]
    for categorie in voc.Categorie:
        options = [(categorie.value, _("Toute la catégorie « %(name)s »") % {"name": categorie.label})]
        options += [(t.value, t.label) for t in voc.thematiques_of(categorie.value)]
        choices.append((categorie.label, options))
    return choices


class BrowseForm(forms.Form):
    commune = forms.ChoiceField(
        label=gettext_lazy("Commune"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Commune inconnue : « %(value)s ». Choisissez-la dans la liste.")
        },
    )
    thematique = forms.ChoiceField(
        label=gettext_lazy("Thématique"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Thématique inconnue : « %(value)s ». Choisissez-la dans la liste.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = str(self.data.get("commune", ""))
        self.fields["commune"].choices = _commune_choices(selected if is_commune_code(selected) else "")
        self.fields["thematique"].choices = _thematique_choices()


@require_safe
def browse(request):
    form = BrowseForm(request.GET)
    form.is_valid()  # every field is optional: keep the valid ones, show a message for the others
    data = form.cleaned_data
    services = Service.objects.visible()
    services = services.select_related("structure")
    commune = None
    if data.get("commune"):
        commune = Commune.objects.select_related("parent").get(code=data["commune"])
        local = Q(code_insee=commune.code) | Q(code_insee__in=commune.arrondissements.values("code"))
        services = services.serving(commune).annotate(
            is_local=Case(When(local, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        services = services.order_by("is_local", "nom", "id")
    else:
        services = services.order_by("nom", "id")
    thematique = data.get("thematique")
    if thematique:
        services = services.with_thematique(thematique)

    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    by_service, by_structure = _closures_for(services=page.object_list)
    _annotate_services(page.object_list, now, by_service, by_structure)
    context = {
        "form": form,
        "page": page,
        "commune": commune,
        "thematique_label": _thematique_label(thematique) if thematique else "",
        "filtered": bool(commune or thematique),
    }
    return render(request, "offer/browse.html", context)


def _thematique_label(value: str) -> str:
    if "--" in value:
        return voc.label(voc.Thematique, value)
    return voc.label(voc.Categorie, value)


# --- structure page -------------------------------------------------------------------------


@require_safe
def structure_detail(request, structure_id):
    structure = get_object_or_404(Structure.objects.published().select_related("last_verified_by"), pk=structure_id)
    services = list(structure.services.visible().order_by("nom", "id"))
    today = timezone.localdate()
    now = timezone.now()
    monday = today - dt.timedelta(days=today.weekday())
    by_service, by_structure = _closures_for(services=services, structures=[structure], since=monday)
    _annotate_services(services, now, by_service, by_structure)
    closures = by_structure.get(structure.pk, [])
    context = {
        "structure": structure,
        "services": services,
        "opening": hours.status(structure.horaires_accueil, closures, now, tz=_tz(), code_insee=structure.code_insee),
        "week": hours.week_table(
            structure.horaires_accueil, today, closures, tz=_tz(), code_insee=structure.code_insee
        ),
        "closures": _visible_closures([c for c in closures if c.ends_on >= today], today),
        "is_stale": structure.is_stale(today),
    }
    return render(request, "offer/structure.html", context)


# --- service fiche --------------------------------------------------------------------------


def _zone_labels(codes) -> list[str]:
    """Names for the codes of a data·inclusion eligibility zone (communes, EPCI, départements)."""
    codes = [str(code) for code in codes or ()]
    names = {}
    communes = [c for c in codes if len(c) == 5 and c != "99100"]
    epcis = [c for c in codes if len(c) == 9]
    departements = [c for c in codes if len(c) in (2, 3)]
    if communes:
        names.update(Commune.objects.filter(code__in=communes).values_list("code", "name"))
    if epcis:
        names.update(Epci.objects.filter(code__in=epcis).values_list("code", "name"))
    if departements:
        names.update((d.code, str(d)) for d in Departement.objects.filter(code__in=departements))
    labels = []
    for code in codes:
        if code in ("france", "99100"):
            labels.append(_("toute la France"))
        else:
            labels.append(names.get(code, code))
    return labels


@require_safe
def service_detail(request, service_id):
    service = get_object_or_404(
        Service.objects.visible().select_related("structure", "last_verified_by"), pk=service_id
    )
    today = timezone.localdate()
    now = timezone.now()
    monday = today - dt.timedelta(days=today.weekday())
    by_service, by_structure = _closures_for(services=[service], since=monday)
    closures = by_service.get(service.pk, []) + by_structure.get(service.structure_id, [])
    service.current_closures = [c for c in closures if c.ends_on >= today]
    code_insee = service.code_insee or service.structure.code_insee
    context = {
        "service": service,
        "structure": service.structure,
        "opening": hours.status(service.effective_hours(), closures, now, tz=_tz(), code_insee=code_insee),
        "week": hours.week_table(service.effective_hours(), today, closures, tz=_tz(), code_insee=code_insee),
        "closures": _visible_closures(service.current_closures, today),
        "aids": list(service.aids.published().order_by("name")),
        "zone": _zone_labels(service.zone_eligibilite),
        "is_stale": service.is_stale(today),
        "telephone": service.telephone or service.structure.telephone,
        "courriel": service.courriel or service.structure.courriel,
        "hours_from_structure": not service.horaires_accueil and bool(service.structure.horaires_accueil),
        "place_map": fiche_map(
            service,
            tile_url=settings.RELAIS_TILE_URL,
            tile_attribution=settings.RELAIS_TILE_ATTRIBUTION,
            route_template=settings.RELAIS_ROUTE_URL,
        ),
        "tile_attribution": settings.RELAIS_TILE_ATTRIBUTION if settings.RELAIS_TILE_URL else "",
    }
    return render(request, "offer/service.html", context)


# --- aids -----------------------------------------------------------------------------------


@require_safe
def aid_list(request):
    aids = Aid.objects.published().order_by("name")
    return render(request, "offer/aids.html", {"aids": aids})


@require_safe
def aid_detail(request, slug):
    aid = get_object_or_404(Aid.objects.published().select_related("last_verified_by"), slug=slug)
    services = list(aid.claim_services.visible().select_related("structure").order_by("nom", "id"))
    by_service, by_structure = _closures_for(services=services)
    _annotate_services(services, timezone.now(), by_service, by_structure)
    context = {
        "aid": aid,
        "services": services,
        "zone": _zone_labels(aid.zone_eligibilite),
        "is_stale": aid.is_stale(),
    }
    return render(request, "offer/aid.html", context)


urlpatterns = [
    path("", browse, name="browse"),
    path("structures/<offer_id:structure_id>/", structure_detail, name="structure"),
    path("services/<offer_id:service_id>/", service_detail, name="service"),
    path("aides/", aid_list, name="aids"),
    path("aides/<slug:slug>/", aid_detail, name="aid"),
]
