"""What every referral page shares: finding a referral the user may see (else 404), safe returns, problems."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from relais.referrals import roles
from relais.referrals.models import Referral

PAGE_SIZE = 50


def visible_referral(request, pk, *related) -> Referral:
    """The referral if the user needs to know it (sent by them or their organisation, or received); else 404."""
    queryset = Referral.objects.visible_to(request.user, roles.access(request.user))
    return get_object_or_404(queryset.select_related("service", "structure", "sender_structure", *related), pk=pk)


def problem(request, title: str, message: str, status: int, **context):
    """A page that says clearly why nothing was done."""
    return render(request, "referrals/problem.html", {"title": title, "message": message, **context}, status=status)


class UnsafeNext(Exception):
    pass


def safe_next(request) -> str:
    """The `next` address of a POST if it stays on this site; '' when absent; UnsafeNext when it leaves."""
    target = (request.POST.get("next") or "").strip()
    if not target:
        return ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    raise UnsafeNext(target)


def unsafe_next_response(request, target: str):
    return problem(
        request,
        _("Adresse de retour refusée"),
        _("L’adresse de retour « %(next)s » mène hors de la plateforme : la demande est refusée, rien n’a été modifié.")
        % {"next": target[:80]},
        status=400,
    )


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
