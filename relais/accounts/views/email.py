"""Links sent by e-mail: confirming an address, sending a confirmation link again, choosing a new
password (Django's reset views, with our throttled form and e-mail). No answer tells whether an
address has an account (docs/adr/0006-accounts-and-security.md)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from relais.accounts import confirmation, throttling
from relais.accounts.forms import EmailRequestForm, PasswordResetRequestForm
from relais.accounts.models import User


@require_safe
def email_sent(request):
    """The one answer to a sign-up or a request of a link, whether the address has an account or not."""
    return render(request, "accounts/email_sent.html")


def _user_from_uid(uidb64: str):
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
def email_confirm(request, uidb64, token):
    """GET shows a button, POST confirms: a mail scanner that opens the link does not use it up."""
    user = _user_from_uid(uidb64)
    valid = user is not None and user.is_active and confirmation.confirmation_tokens.check_token(user, token)
    if request.method == "POST" and valid:
        confirmation.confirm(user)
        messages.success(request, _("Adresse électronique confirmée. Vous pouvez rejoindre votre structure."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("offer:partner_dashboard")
        return redirect("accounts:login")
    status = 200 if valid or request.method == "GET" else 400
    return render(request, "accounts/email_confirm.html", {"valid": valid}, status=status)


@require_http_methods(["GET", "POST"])
def email_resend(request):
    """A new confirmation link, for an account whose address is not confirmed yet (same answer otherwise)."""
    if request.user.is_authenticated and confirmation.is_confirmed(request.user):
        return render(request, "accounts/email_resend.html", {"confirmed": True})
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = EmailRequestForm(request.POST or None, request=request, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if user is not None and not confirmation.is_confirmed(user):
            confirmation.send_confirmation(user)
        return redirect("accounts:email_sent")
    return render(request, "accounts/email_resend.html", {"form": form, "confirmed": False})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: the link is single-use (the token signs the password hash) and expires after
    PASSWORD_RESET_TIMEOUT. A new password also ends the account's other sessions (their session
    hash no longer matches), forgets the login lock, and confirms the address (the link reached it)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        confirmation.confirm(self.user)
        throttling.forget_lock(self.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
