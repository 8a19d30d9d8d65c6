"""The receiving structure's side: its inbox, a referral's page (shared with the sender), the answer."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from relais.accounts.decorators import personal_data_access
from relais.referrals import actions, audit, machine, notifications, roles
from relais.referrals.forms import AnswerForm, OutcomeForm
from relais.referrals.models import Party, Referral, Status
from relais.referrals.privacy import CONTENT_TYPES
from relais.referrals.views.common import UnsafeNext, paginate, safe_next, unsafe_next_response, visible_referral


class InboxFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("tous"))] + [(s.value, s.label) for s in Status if s != Status.DRAFT],
    )


@never_cache
@require_safe
@personal_data_access
def inbox(request):
    """Referrals sent to the user's structures, newest first, 50 a page."""
    ids = roles.access(request.user)
    queryset = (
        Referral.objects.received_by(ids).select_related("service", "sender_structure").order_by("-sent_at", "pk")
    )
    form = InboxFilter(request.GET or None)
    if form.is_valid() and form.cleaned_data["status"]:
        queryset = queryset.filter(status=form.cleaned_data["status"])
    page = paginate(request, queryset)
    audit.record(page.object_list, audit.Action.LIST, audit.Channel.WEB, user=request.user, detail="inbox")
    context = {"page": page, "form": form, "has_structures": bool(ids), "is_steering": False, "can_export": False}
    if not ids:  # steering staff and right-of-access agents land here from the menu: show them their pages
        context.update(is_steering=roles.is_steering(request.user), can_export=roles.can_export(request.user))
    return render(request, "referrals/inbox.html", context)


@never_cache
@require_safe
@personal_data_access
def detail(request, pk):
    referral = visible_referral(request, pk, "sender")
    sides = roles.parties(request.user, referral)
    audit.record([referral], audit.Action.VIEW, audit.Channel.WEB, user=request.user)
    targets = set()
    for side in sides:
        targets |= machine.allowed_targets(referral.status, side)
    context = {
        "referral": referral,
        "transitions": list(referral.transitions.select_related("actor")),
        "is_sender": Party.SENDER in sides,
        "person_is_told": notifications.person_is_told(referral),
        "is_receiver": Party.RECEIVER in sides,
        "can_answer": Party.RECEIVER in sides and Status.ACCEPTED in targets,
        "can_close": Status.CLOSED in targets,
        "can_cancel": Party.SENDER in sides and Status.CANCELLED in targets,
        "can_confirm": referral.status == Status.DRAFT and referral.sender_id == request.user.pk,
        "answer_form": AnswerForm(),
        "outcome_form": OutcomeForm(),
    }
    return render(request, "referrals/detail.html", context)


@require_POST
@personal_data_access
def answer(request, pk):
    referral = visible_referral(request, pk)
    if Party.RECEIVER not in roles.parties(request.user, referral):
        raise PermissionDenied
    try:
        target = safe_next(request)
    except UnsafeNext as error:
        return unsafe_next_response(request, str(error))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Réponse non enregistrée : %(errors)s") % {"errors": errors})
        return redirect("referrals:detail", referral.pk)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            actions.accept(referral, actor=request.user, channel=audit.Channel.WEB)
        else:
            actions.refuse(
                referral,
                reason=data["refusal_reason"],
                share=data["share_reason"],
                actor=request.user,
                channel=audit.Channel.WEB,
            )
    except actions.ReferralError as error:
        messages.error(request, str(error) + " " + _("Rien n’a été modifié."))
    else:
        messages.success(request, _("Votre réponse est enregistrée ; le professionnel est prévenu."))
    return redirect(target) if target else redirect("referrals:detail", referral.pk)


def attachment_response(referral: Referral):
    if not referral.attachment or referral.attachment_kind not in CONTENT_TYPES:
        raise Http404
    try:
        handle = referral.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = referral.attachment_kind
    return FileResponse(handle, as_attachment=True, filename=f"piece-jointe.{kind}", content_type=CONTENT_TYPES[kind])


@never_cache
@require_safe
@personal_data_access
def attachment(request, pk):
    referral = visible_referral(request, pk)
    response = attachment_response(referral)
    audit.record([referral], audit.Action.DOWNLOAD, audit.Channel.WEB, user=request.user)
    return response
