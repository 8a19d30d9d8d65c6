"""Without an account: a structure answers through its signed link; a person follows their referral.

A forged token is a 400, an expired, used or answered one a 410: each with a clear message, and
nothing changes. An expired link can be renewed: the new one goes to the same address.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.referrals import actions, audit, links
from relais.referrals.forms import AnswerForm
from relais.referrals.models import AnswerLink
from relais.referrals.views.common import problem
from relais.referrals.views.structure import attachment_response

STATUS = {"forged": 400, "expired": 410, "used": 410, "closed": 410}


def _masked(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:2]}…@{domain}"


def link_problem(request, error: links.LinkProblem, token: str = ""):
    renewable = (
        error.kind == "expired"
        and error.link is not None
        and not AnswerLink.objects.filter(renewed_from=error.link).exists()
    )
    return problem(
        request,
        _("Lien inutilisable"),
        error.message,
        status=STATUS[error.kind],
        renew_token=token if renewable else "",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer_by_link(request, token):
    try:
        link = links.usable_link(token)
    except links.LinkProblem as error:
        return link_problem(request, error, token)
    referral = link.referral
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.answer_by_link(
                link, decision=data["decision"], reason=data["refusal_reason"], share=data["share_reason"]
            )
        except links.LinkProblem as error:
            return link_problem(request, error, token)
        except actions.ReferralError as error:
            return problem(request, _("Réponse non enregistrée"), str(error), status=409)
        # Post/redirect/get: reloading the page shows the confirmation again, never a second answer.
        return redirect(f"{reverse('referrals:link_done')}?{urlencode({'reponse': DONE[data['decision']]})}")
    audit.record([referral], audit.Action.VIEW, audit.Channel.LINK, link=link)
    context = {"referral": referral, "form": form, "link": link, "token": token}
    return render(request, "referrals/link_answer.html", context)


@require_POST
def renew(request, token):
    try:
        link = links.link_for_token(token)
        new = actions.renew_link(link)
    except links.LinkProblem as error:
        return link_problem(request, error)
    except actions.ReferralError as error:
        return problem(request, _("Pas de nouveau lien"), str(error), status=409)
    messages.success(
        request,
        _("Un nouveau lien a été envoyé à %(email)s. Il est valable jusqu’au %(date)s.")
        % {"email": _masked(new.email), "date": formats.date_format(timezone.localtime(new.expires_at), "j F Y")},
    )
    return redirect("referrals:link_renewed")


@require_safe
def renewed(request):
    return render(request, "referrals/link_renewed.html")


DONE = {"accept": "acceptee", "refuse": "refusee"}


@require_safe
def done(request):
    """After an answer by link: what was recorded (the link is spent; nothing about the referral is shown)."""
    decision = {value: key for key, value in DONE.items()}.get(request.GET.get("reponse", ""), "")
    return render(request, "referrals/link_done.html", {"decision": decision})


@never_cache
@require_safe
def attachment_by_link(request, token):
    try:
        link = links.usable_link(token)
    except links.LinkProblem as error:
        return link_problem(request, error, token)
    response = attachment_response(link.referral)
    audit.record([link.referral], audit.Action.DOWNLOAD, audit.Channel.LINK, link=link)
    return response


@never_cache
@require_safe
def person_status(request, token):
    referral = links.referral_for_person_token(token)
    if referral is None:
        return problem(
            request,
            _("Lien inutilisable"),
            _("Ce lien n’est pas valide : il a été mal copié ou modifié. Utilisez le lien reçu par courriel."),
            status=400,
        )
    if not links.person_link_alive(referral):
        return problem(
            request,
            _("Suivi terminé"),
            _(
                "Ce suivi n’est plus disponible : les informations de cette orientation ont été effacées à la fin de "
                "leur durée de conservation. Pour toute question, adressez-vous au professionnel qui vous a orienté·e."
            ),
            status=410,
        )
    audit.record([referral], audit.Action.PERSON_VIEW, audit.Channel.LINK, actor="personne")
    return render(request, "referrals/person_status.html", {"referral": referral})
