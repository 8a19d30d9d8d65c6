"""The professional's side: refer a person from a service fiche, confirm their consent, follow, close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.accounts.decorators import personal_data_access
from relais.offer.models import Service, Structure
from relais.referrals import actions, audit, consent, roles, uploads
from relais.referrals.forms import ConsentForm, OutcomeForm, ReferralForm
from relais.referrals.models import Party, Referral, Status
from relais.referrals.views.common import (
    UnsafeNext,
    paginate,
    problem,
    safe_next,
    unsafe_next_response,
    visible_referral,
)


def referable_services():
    return Service.objects.visible().filter(accepts_referrals=True)


def _organisations(user):
    return Structure.objects.filter(pk__in=roles.structure_ids(user)).order_by("nom")


@csrf_exempt  # Django's pattern for upload handlers set in a view: the CSRF check runs just below, after them
def new_referral(request, service_id):
    refused = uploads.limit(request, problem)
    if refused is not None:
        return refused
    return _new_referral(request, service_id)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@personal_data_access
def _new_referral(request, service_id):
    service = get_object_or_404(referable_services().select_related("structure"), pk=service_id)
    organisations = _organisations(request.user)
    if not organisations.exists():
        return render(request, "referrals/no_organisation.html", {"service": service}, status=403)
    form = ReferralForm(
        request.POST or None, request.FILES or None, organisations=organisations, too_big=uploads.too_big(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.save_draft(
                sender=request.user,
                sender_structure=form.cleaned_data["organisation"],
                service=service,
                person=form.person(),
                attachment=form.cleaned_data.get("attachment") or None,
                attachment_kind=form.attachment_kind,
                key=form.cleaned_data["key"],
                digest=form.digest(),
            )
        except actions.ReferralError as error:
            form.add_error(None, str(error))
        else:
            return redirect("referrals:confirm", referral.pk)
    if len(organisations) == 1:
        form.fields["organisation"].initial = organisations[0].pk
    return render(request, "referrals/new.html", {"form": form, "service": service, "structure": service.structure})


@never_cache
@require_http_methods(["GET", "POST"])
@personal_data_access
def confirm(request, pk):
    """The consent step: the professional confirms the person was informed and agrees, then it is sent."""
    referral = visible_referral(request, pk)
    if referral.status != Status.DRAFT:
        messages.warning(request, _("Cette orientation a déjà été envoyée ou annulée : rien n’a été modifié."))
        return redirect("referrals:detail", referral.pk)
    if referral.sender_id != request.user.pk:
        raise PermissionDenied
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send(referral, actor=request.user, consent_version=form.cleaned_data["wording_version"])
        except actions.ReferralError as error:
            messages.error(request, str(error))
            return redirect("referrals:detail", referral.pk)
        messages.success(request, _("L’orientation est envoyée à « %(name)s ».") % {"name": referral.structure.nom})
        return redirect("referrals:detail", referral.pk)
    audit.record([referral], audit.Action.VIEW, audit.Channel.WEB, user=request.user, detail="confirm")
    context = {"referral": referral, "form": form, "wording": consent.current_wording()}
    return render(request, "referrals/confirm.html", context)


@never_cache
@require_safe
@personal_data_access
def sent_list(request):
    queryset = (
        Referral.objects.sent_by_side(request.user, roles.access(request.user))
        .select_related("service", "structure")
        .order_by("-created_at", "pk")
    )
    page = paginate(request, queryset)
    audit.record(page.object_list, audit.Action.LIST, audit.Channel.WEB, user=request.user, detail="sent")
    return render(request, "referrals/sent_list.html", {"page": page})


@require_POST
@personal_data_access
def cancel(request, pk):
    referral = visible_referral(request, pk)
    if Party.SENDER not in roles.parties(request.user, referral):
        raise PermissionDenied
    try:
        actions.cancel(referral, actor=request.user, channel=audit.Channel.WEB)
    except actions.ReferralError as error:
        messages.error(request, str(error) + " " + _("Rien n’a été modifié."))
    else:
        messages.success(request, _("L’orientation est annulée."))
    return redirect("referrals:detail", referral.pk)


@require_POST
@personal_data_access
def outcome(request, pk):
    """Either side records how it ended once the structure accepted."""
    referral = visible_referral(request, pk)
    sides = roles.parties(request.user, referral)
    if not sides:
        raise PermissionDenied
    try:
        target = safe_next(request)
    except UnsafeNext as error:
        return unsafe_next_response(request, str(error))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une issue dans la liste : rien n’a été modifié."))
        return redirect("referrals:detail", referral.pk)
    party = Party.RECEIVER if Party.RECEIVER in sides else Party.SENDER
    try:
        actions.record_outcome(
            referral, outcome=form.cleaned_data["outcome"], party=party, actor=request.user, channel=audit.Channel.WEB
        )
    except actions.ReferralError as error:
        messages.error(request, str(error) + " " + _("Rien n’a été modifié."))
    else:
        messages.success(request, _("L’issue est enregistrée."))
    return redirect(target or "referrals:detail", *([] if target else [referral.pk]))
