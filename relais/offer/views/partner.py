"""Partners edit their own listings; territory moderators review the changes; everyone sees the history.

Every page here shows people (members, requests, who changed what) or grants access: all are behind
`personal_data_access` (login, and a verified second factor for any account with a role).

Pages of another structure are a 404 for non-members, and the moderation of another territory a
404 for its non-moderators. Writes are POST only and go through `relais.offer.actions`.
"""

import datetime as dt
import functools

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.accounts.decorators import confirmed_email_required, personal_data_access
from relais.accounts.models import Membership, User
from relais.offer import actions, error_reports, hours_french
from relais.offer import vocabularies as voc
from relais.offer.claims import evidence as claim_evidence
from relais.offer.forms import (
    ChangeDecisionForm,
    ClosureForm,
    MembershipDecisionForm,
    ServiceForm,
    StructureDecisionForm,
    StructureForm,
    StructureSearchForm,
)
from relais.offer.models import Change, Closure, ErrorReport, Moderation, Service, Structure
from relais.offer.templatetags.offer_display import language_names
from relais.offer.views.public import OfferIdConverter  # noqa: F401  (registers the offer_id converter)

QUEUE_SIZE = 100
HISTORY_SIZE = 200
SEARCH_SIZE = 30


# --- access ---------------------------------------------------------------------------------


def _member_structures(user):
    return Structure.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE
    ).select_related("last_verified_by")


def structure_member(view):
    """Give the view the structure of `structure_id` if the user is an active member of it, else 404."""

    @functools.wraps(view)
    def wrapper(request, structure_id, *args, **kwargs):
        structure = get_object_or_404(_member_structures(request.user), pk=structure_id)
        return view(request, structure, *args, **kwargs)

    return personal_data_access(wrapper)


def service_member(view):
    """Give the view the service of `service_id` if the user is an active member of its structure, else 404."""

    @functools.wraps(view)
    def wrapper(request, service_id, *args, **kwargs):
        service = get_object_or_404(
            Service.objects.select_related("structure").filter(
                structure__memberships__user=request.user,
                structure__memberships__status=Membership.Status.ACTIVE,
            ),
            pk=service_id,
        )
        return view(request, service, *args, **kwargs)

    return personal_data_access(wrapper)


def moderator_required(view):
    """Staff and territory moderators only; anyone else gets a 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or request.user.is_moderator):
            raise Http404
        return view(request, *args, **kwargs)

    return personal_data_access(wrapper)


# --- dashboard, joining and proposing structures --------------------------------------------


@require_safe
@personal_data_access
def partner_dashboard(request):
    memberships = list(request.user.memberships.select_related("structure").order_by("structure__nom"))
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    structures = list(
        _member_structures(request.user)
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("nom", "id")))
        .order_by("nom")
    )
    admin_of = [m.structure_id for m in active if m.role == Membership.Role.ADMIN]
    requests = (
        Membership.objects.filter(
            structure_id__in=admin_of, status=Membership.Status.PENDING, role=Membership.Role.MEMBER
        )
        .select_related("user", "structure")
        .order_by("created_at")
    )
    open_reports = error_reports.open_counts([s.pk for s in structures])
    for structure in structures:
        structure.open_reports = open_reports.get(structure.pk, 0)
    context = {
        "structures": structures,
        "admin_of": set(admin_of),
        "requests": list(requests),
        "my_pending": [m for m in memberships if m.status == Membership.Status.PENDING],
        "my_rejected": [m for m in memberships if m.status == Membership.Status.REJECTED],
        "today": timezone.localdate(),
    }
    return render(request, "offer/partner_dashboard.html", context)


@require_safe
@personal_data_access
def partner_join(request):
    form = StructureSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        digits = q.replace(" ", "")
        query = Q(nom__icontains=q) | Q(commune__icontains=q)
        if digits.isdigit():
            query |= Q(siret__startswith=digits) | Q(code_postal__startswith=digits) | Q(code_insee=digits)
        results = list(Structure.objects.published().filter(query).order_by("nom", "id")[:SEARCH_SIZE])
        statuses = dict(
            request.user.memberships.filter(structure__in=[s.pk for s in results]).values_list("structure_id", "status")
        )
        for structure in results:
            structure.my_status = statuses.get(structure.pk, "")
    return render(request, "offer/partner_join.html", {"form": form, "results": results})


@require_POST
@personal_data_access
@confirmed_email_required
def partner_join_structure(request, structure_id):
    structure = get_object_or_404(Structure.objects.published(), pk=structure_id)
    membership = actions.request_membership(request.user, structure)
    if membership.status == Membership.Status.ACTIVE:
        messages.info(request, _("Vous êtes déjà membre de « %(name)s ».") % {"name": structure.nom})
        return redirect("offer:partner_structure", structure.pk)
    if membership.status == Membership.Status.REJECTED:
        messages.error(request, _("Votre demande pour « %(name)s » a été refusée.") % {"name": structure.nom})
    elif membership.role == Membership.Role.ADMIN:
        messages.success(
            request,
            _(
                "Demande envoyée : « %(name)s » n’a pas encore de membre. L’équipe de modération de son territoire "
                "doit confirmer que vous la représentez avant que vous en deveniez l’administrateur."
            )
            % {"name": structure.nom},
        )
    else:
        messages.success(
            request,
            _("Demande envoyée : un administrateur de « %(name)s » doit l’accepter.") % {"name": structure.nom},
        )
    return redirect("offer:partner_dashboard")


@require_http_methods(["GET", "POST"])
@personal_data_access
@confirmed_email_required
def partner_propose(request):
    form = StructureForm(request.POST or None, instance=Structure())
    if request.method == "POST" and form.is_valid():
        structure = actions.propose_structure(request.user, form.values())
        messages.success(
            request,
            _(
                "Structure proposée : elle sera visible du public quand l’équipe de modération de son territoire "
                "l’aura validée. Vous pouvez déjà ajouter ses services."
            ),
        )
        return redirect("offer:partner_structure", structure.pk)
    context = {"form": form, "title": _("Proposer une nouvelle structure"), "back": "offer:partner_dashboard"}
    return render(request, "offer/partner_edit.html", context)


# --- one structure: overview, facts, services, closures, verification -----------------------


@require_safe
@structure_member
def partner_structure(request, structure):
    today = timezone.localdate()
    is_admin = request.user.is_admin_of(structure)
    members = structure.memberships.select_related("user").order_by("status", "user__email")
    reports = ErrorReport.objects.about_structures([structure.pk]).open()
    shown_reports = list(
        reports.select_related("structure", "service__structure", "aid").order_by("created_at", "id")[:QUEUE_SIZE]
    )
    error_reports.record_views(request.user, shown_reports, "partner_structure")
    context = {
        "reports": shown_reports,
        "report_count": error_reports.count_of(reports, shown_reports, QUEUE_SIZE),
        "limit": QUEUE_SIZE,
        "structure": structure,
        "services": list(structure.services.order_by("nom", "id")),
        "closures": list(
            structure.closures.filter(ends_on__gte=today).select_related("service").order_by("starts_on", "id")
        ),
        "is_admin": is_admin,
        "members": [m for m in members if m.status == Membership.Status.ACTIVE],
        "requests": [m for m in members if m.status == Membership.Status.PENDING and m.role == Membership.Role.MEMBER]
        if is_admin
        else [],
    }
    return render(request, "offer/partner_structure.html", context)


def _saved_message(request, change, structure) -> None:
    if change is None:
        messages.info(request, _("Aucune modification à enregistrer."))
    elif structure.moderation == Moderation.PUBLISHED:
        messages.success(
            request,
            _(
                "Modifications enregistrées et publiées. L’équipe de modération du territoire les relira ; "
                "elles restent dans l’historique."
            ),
        )
    else:
        messages.success(request, _("Modifications enregistrées."))


@require_http_methods(["GET", "POST"])
@structure_member
def partner_structure_edit(request, structure):
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        try:
            change = actions.apply_change(
                request.user, structure, form.values(), expected_version=form.cleaned_data["version"]
            )
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
        else:
            _saved_message(request, change, structure)
            return redirect("offer:partner_structure", structure.pk)
    context = {
        "form": form,
        "structure": structure,
        "title": _("Modifier la structure « %(name)s »") % {"name": structure.nom},
    }
    return render(request, "offer/partner_edit.html", context)


@require_http_methods(["GET", "POST"])
@structure_member
def partner_service_create(request, structure):
    form = ServiceForm(request.POST or None, instance=Service(structure=structure), structure=structure)
    if request.method == "POST" and form.is_valid():
        service = actions.create_service(request.user, structure, form.values())
        messages.success(request, _("Service « %(name)s » ajouté.") % {"name": service.nom})
        return redirect("offer:partner_structure", structure.pk)
    context = {
        "form": form,
        "structure": structure,
        "title": _("Ajouter un service à « %(name)s »") % {"name": structure.nom},
    }
    return render(request, "offer/partner_edit.html", context)


@require_http_methods(["GET", "POST"])
@service_member
def partner_service_edit(request, service):
    structure = service.structure
    form = ServiceForm(request.POST or None, instance=service, structure=structure)
    if request.method == "POST" and form.is_valid():
        try:
            change = actions.apply_change(
                request.user, service, form.values(), expected_version=form.cleaned_data["version"]
            )
        except actions.StaleEdit as error:
            form.add_error(None, str(error))
        else:
            _saved_message(request, change, structure)
            return redirect("offer:partner_structure", structure.pk)
    context = {
        "form": form,
        "structure": structure,
        "service": service,
        "title": _("Modifier le service « %(name)s »") % {"name": service.nom},
    }
    return render(request, "offer/partner_edit.html", context)


def _verified(request, obj, structure):
    change = actions.mark_verified(request.user, obj)
    if change is None:
        messages.info(request, _("Déjà confirmé aujourd’hui : merci."))
    else:
        messages.success(request, _("Merci : « %(name)s » est marqué comme vérifié aujourd’hui.") % {"name": obj.nom})
    return redirect("offer:partner_structure", structure.pk)


@require_POST
@structure_member
def partner_structure_verify(request, structure):
    return _verified(request, structure, structure)


@require_POST
@service_member
def partner_service_verify(request, service):
    return _verified(request, service, service.structure)


@require_http_methods(["GET", "POST"])
@structure_member
def partner_closures(request, structure):
    form = ClosureForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        actions.add_closure(request.user, structure, form.cleaned_data)
        messages.success(request, _("Fermeture ou message enregistré."))
        return redirect("offer:partner_closures", structure.pk)
    closures = structure.closures.filter(ends_on__gte=timezone.localdate()).select_related("service")
    context = {"form": form, "structure": structure, "closures": closures.order_by("starts_on", "id")}
    return render(request, "offer/partner_closures.html", context)


@require_POST
@personal_data_access
def partner_closure_delete(request, closure_id):
    closure = get_object_or_404(
        Closure.objects.select_related("structure", "service").filter(
            structure__in=_member_structures(request.user).values("pk")
        ),
        pk=closure_id,
    )
    structure_id = closure.structure_id
    actions.delete_closure(request.user, closure)
    messages.success(request, _("Fermeture ou message supprimé."))
    return redirect("offer:partner_closures", structure_id)


@require_POST
@personal_data_access
def partner_membership_decide(request, membership_id):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "structure").filter(
            structure_id__in=request.user.admin_structure_ids(), role=Membership.Role.MEMBER
        ),
        pk=membership_id,
    )
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision : choisissez accepter ou refuser."))
    else:
        try:
            actions.decide_membership(request.user, membership, approve=form.cleaned_data["decision"] == "approve")
        except actions.AlreadyDecided as error:
            messages.error(request, str(error))
        else:
            if form.cleaned_data["decision"] == "approve":
                messages.success(request, _("%(person)s est maintenant membre.") % {"person": membership.user})
            else:
                messages.success(request, _("Demande de %(person)s refusée.") % {"person": membership.user})
    if request.POST.get("back") == "structure":
        return redirect("offer:partner_structure", membership.structure_id)
    return redirect("offer:partner_dashboard")


# --- change history -------------------------------------------------------------------------

VOCABULARIES = {
    "thematiques": voc.Thematique,
    "publics": voc.Public,
    "modes_accueil": voc.ModeAccueil,
    "modes_mobilisation": voc.ModeMobilisation,
    "mobilisable_par": voc.PersonneMobilisatrice,
    "reseaux_porteurs": voc.ReseauPorteur,
    "type": voc.TypeService,
    "frais": voc.Frais,
}
USER_FIELDS = {"last_verified_by_id"}
LINK_FIELDS = {"structure_id": Structure, "claim_services": Service}  # shown by name (deleted ones by id)


def _model_of(change: Change):
    return change.target_model


def _label(model, key: str) -> str:
    if key == actions.CLOSURE_KEY:
        return str(Closure._meta.verbose_name)
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def _date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return str(value)


def _closure_text(value: dict) -> str:
    text = _("du %(start)s au %(end)s") % {"start": _date(value.get("starts_on")), "end": _date(value.get("ends_on"))}
    kind = _("fermé") if value.get("is_closed") else _("message")
    message = value.get("message") or ""
    return f"{text} ({kind}){' : ' + message if message else ''}"


def _format(model, key: str, value, names: dict) -> str:
    """A diff value in plain French: vocabulary labels, dates, yes/no, people's names."""
    if value is None or value == "" or value == []:
        return _("(vide)")
    if key == "horaires_accueil" and isinstance(value, str):
        plain = hours_french.describe(value)  # the hours in plain words, the expression after for experts
        return f"{plain} ({value})" if plain else value
    if key == actions.CLOSURE_KEY:
        return _closure_text(value) if isinstance(value, dict) else str(value)
    if key in USER_FIELDS:
        return str(names["users"].get(value, value))
    if key in LINK_FIELDS:
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(names[key].get(item, item)) for item in items)
    if key == "languages" and isinstance(value, list):
        return language_names(value)
    if key in VOCABULARIES:
        items = value if isinstance(value, list) else [value]
        return ", ".join(voc.label(VOCABULARIES[key], str(item)) for item in items)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.get_internal_type() == "DateField":
        return _date(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe_changes(changes) -> list:
    """Attach `rows` [(field label, old, new)] and `model_name` to each change, with one query for people."""
    changes = list(changes)
    user_ids = {
        value
        for change in changes
        for key, pair in change.diff.items()
        if key in USER_FIELDS
        for value in pair
        if value is not None
    }
    names = {"users": {user.pk: user for user in User.objects.filter(pk__in=user_ids)} if user_ids else {}}
    for key, model in LINK_FIELDS.items():
        pks = {
            item
            for change in changes
            for pair in [change.diff.get(key)]
            if pair
            for value in pair
            if value is not None
            for item in (value if isinstance(value, list) else [value])
        }
        names[key] = dict(model.objects.filter(pk__in=pks).values_list("pk", "nom")) if pks else {}
    for change in changes:
        model = _model_of(change)
        change.model_name = model._meta.verbose_name
        change.rows = [
            (_label(model, key), _format(model, key, old, names), _format(model, key, new, names))
            for key, (old, new) in sorted(change.diff.items(), key=lambda item: _label(model, item[0]))
        ]
    return changes


def _history(request, structure: Structure, changes, title: str, obj):
    is_member = request.user.is_member_of(structure)
    if not (is_member or request.user.is_staff or actions.can_moderate(request.user, structure.code_insee)):
        raise Http404
    changes = describe_changes(changes.select_related("actor", "reviewed_by", "service")[:HISTORY_SIZE])
    context = {
        "structure": structure,
        "obj": obj,
        "changes": changes,
        "title": title,
        "limit": HISTORY_SIZE,
        "is_member": is_member,
    }
    return render(request, "offer/history.html", context)


@require_safe
@personal_data_access
def structure_history(request, structure_id):
    structure = get_object_or_404(Structure, pk=structure_id)
    title = _("Historique de « %(name)s »") % {"name": structure.nom}
    return _history(request, structure, structure.changes.all(), title, structure)


@require_safe
@personal_data_access
def service_history(request, service_id):
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_id)
    title = _("Historique du service « %(name)s »") % {"name": service.nom}
    return _history(request, service.structure, service.changes.all(), title, service)


# --- moderation -----------------------------------------------------------------------------


def _in_my_territories(queryset, user):
    return queryset if user.is_staff else queryset.filter(code_insee__in=sorted(user.moderated_commune_codes()))


def _in_claimed_territories(memberships, user):
    if user.is_staff:
        return memberships
    return memberships.filter(structure__code_insee__in=sorted(user.moderated_commune_codes()))


@require_safe
@moderator_required
def moderation(request):
    structures = _in_my_territories(Structure.objects.filter(moderation=Moderation.PENDING), request.user)
    structures = structures.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user"),
            to_attr="admins",
        )
    ).order_by("created_at", "id")
    changes = _in_my_territories(
        Change.objects.filter(review=Change.Review.TO_REVIEW, structure__moderation=Moderation.PUBLISHED),
        request.user,
    ).order_by("at", "id")
    claims = _in_claimed_territories(actions.pending_claims(), request.user).select_related("user", "structure")
    claims = claims.order_by("created_at", "id")
    reports = ErrorReport.objects.open()
    if not request.user.is_staff:
        reports = reports.in_communes(request.user.moderated_commune_codes())
    shown_reports = list(
        reports.select_related("structure", "service__structure", "aid").order_by("created_at", "id")[:QUEUE_SIZE]
    )
    error_reports.record_views(request.user, shown_reports, "moderation")
    context = {
        "reports": shown_reports,
        "report_count": error_reports.count_of(reports, shown_reports, QUEUE_SIZE),
        "claims": [(claim, claim_evidence(claim)) for claim in claims[:QUEUE_SIZE]],
        "claim_count": claims.count(),
        "structures": list(structures[:QUEUE_SIZE]),
        "structure_count": structures.count(),
        "changes": describe_changes(changes.select_related("structure", "service", "actor")[:QUEUE_SIZE]),
        "change_count": changes.count(),
        "limit": QUEUE_SIZE,
    }
    return render(request, "offer/moderation.html", context)


@require_POST
@moderator_required
def moderate_structure(request, structure_id):
    structure = get_object_or_404(Structure, pk=structure_id)
    if not actions.can_moderate(request.user, structure.code_insee):
        raise Http404
    form = StructureDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision : choisissez valider ou refuser."))
        return redirect("offer:moderation")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.decide_structure(request.user, structure, approve=approve)
    except actions.AlreadyDecided as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        if approve:
            messages.success(request, _("« %(name)s » est validée et publiée.") % {"name": structure.nom})
        else:
            messages.success(request, _("« %(name)s » est refusée.") % {"name": structure.nom})
    return redirect("offer:moderation")


@require_POST
@moderator_required
def moderate_claim(request, membership_id):
    """Approve or reject a request to be the first admin of a structure (a moderator of its territory)."""
    membership = get_object_or_404(actions.pending_claims().select_related("user", "structure"), pk=membership_id)
    if not actions.can_moderate(request.user, membership.structure.code_insee):
        raise Http404
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision : choisissez accepter ou refuser."))
        return redirect("offer:moderation")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.decide_claim(request.user, membership, approve=approve)
    except actions.AlreadyDecided as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        values = {"person": membership.user, "name": membership.structure.nom}
        if approve:
            messages.success(request, _("%(person)s est maintenant administrateur de « %(name)s ».") % values)
        else:
            messages.success(request, _("Demande de %(person)s pour « %(name)s » refusée.") % values)
    return redirect("offer:moderation")


@require_POST
@moderator_required
def moderate_change(request, change_id):
    change = get_object_or_404(Change, pk=change_id)
    if not actions.can_moderate(request.user, change.code_insee):
        raise Http404
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision : choisissez valider ou annuler."))
        return redirect("offer:moderation")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        _reverted, skipped = actions.review_change(request.user, change, approve=approve)
    except actions.ActionError as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        if approve:
            messages.success(request, _("Modification validée."))
        elif skipped:
            model = _model_of(change)
            messages.warning(
                request,
                _("Modification annulée, sauf ces champs modifiés depuis : %(fields)s.")
                % {"fields": ", ".join(_label(model, key) for key in skipped)},
            )
        else:
            messages.success(request, _("Modification annulée : les anciennes valeurs sont rétablies."))
    return redirect("offer:moderation")


urlpatterns = [
    path("partenaire/", partner_dashboard, name="partner_dashboard"),
    path("partenaire/rejoindre/", partner_join, name="partner_join"),
    path("partenaire/rejoindre/<offer_id:structure_id>/", partner_join_structure, name="partner_join_structure"),
    path("partenaire/proposer/", partner_propose, name="partner_propose"),
    path("partenaire/structures/<offer_id:structure_id>/", partner_structure, name="partner_structure"),
    path(
        "partenaire/structures/<offer_id:structure_id>/modifier/",
        partner_structure_edit,
        name="partner_structure_edit",
    ),
    path(
        "partenaire/structures/<offer_id:structure_id>/verifier/",
        partner_structure_verify,
        name="partner_structure_verify",
    ),
    path(
        "partenaire/structures/<offer_id:structure_id>/services/nouveau/",
        partner_service_create,
        name="partner_service_create",
    ),
    path("partenaire/structures/<offer_id:structure_id>/fermetures/", partner_closures, name="partner_closures"),
    path("partenaire/fermetures/<int:closure_id>/supprimer/", partner_closure_delete, name="partner_closure_delete"),
    path("partenaire/services/<offer_id:service_id>/modifier/", partner_service_edit, name="partner_service_edit"),
    path("partenaire/services/<offer_id:service_id>/verifier/", partner_service_verify, name="partner_service_verify"),
    path("partenaire/adhesions/<int:membership_id>/", partner_membership_decide, name="partner_membership_decide"),
    path("historique/structures/<offer_id:structure_id>/", structure_history, name="structure_history"),
    path("historique/services/<offer_id:service_id>/", service_history, name="service_history"),
    path("moderation/", moderation, name="moderation"),
    path("moderation/structures/<offer_id:structure_id>/", moderate_structure, name="moderate_structure"),
    path("moderation/modifications/<int:change_id>/", moderate_change, name="moderate_change"),
    path("moderation/premiers-administrateurs/<int:membership_id>/", moderate_claim, name="moderate_claim"),
]
