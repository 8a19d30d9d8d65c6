"""Account forms: sign-up with Django's password validators, e-mail login that ignores case and is
throttled, requests of an e-mail (confirmation link, password reset), and the second factor's code."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm as DjangoAdminUserCreationForm
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm, SetPasswordMixin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from relais.accounts import confirmation, throttling
from relais.accounts.models import LoginAttempt, User

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


def _stored_email(value: str) -> str:
    """The address as stored for an account whose address matches `value` ignoring case, else `value`."""
    value = (value or "").strip()
    return User.objects.filter(email__iexact=value).values_list("email", flat=True).first() or value


class SignupForm(BaseUserCreationForm):
    """A new account: e-mail, name, and a password checked by AUTH_PASSWORD_VALIDATORS (hashed with Argon2)."""

    required_css_class = "required"
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Mot de passe"), label2=_("Confirmation du mot de passe")
    )

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")
        labels = {"email": _("Adresse électronique"), "first_name": _("Prénom"), "last_name": _("Nom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].widget.attrs.pop("autofocus", None)  # the skip link comes first for keyboard users
        self.fields["first_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].required = True
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["password2"].help_text = _("Saisissez le même mot de passe, pour vérification.")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if len(email) > USERNAME_MAX_LENGTH:  # the address is also the account's username
            raise forms.ValidationError(
                _("Adresse électronique trop longue : %(max)s caractères au plus.") % {"max": USERNAME_MAX_LENGTH},
                code="max_length",
            )
        return email  # an address already used is not an error here: the answer must not tell (views/account.py)

    def validate_unique(self):
        """Nothing: an existing address gets the same answer as a new one, and its owner an e-mail."""

    def _post_clean(self):
        forms.ModelForm._post_clean(self)
        # The password's own field carries the validators' messages (Django's default is the confirmation).
        self.validate_password_for_user(self.instance, password_field_name="password1")


class LoginForm(AuthenticationForm):
    """Log in with the e-mail address in any case; repeated failures lock the address and the IP for a while."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
        "locked": _(
            "Trop de tentatives de connexion échouées : par sécurité, la connexion est bloquée jusqu’à "
            "%(time)s (%(minutes)s minutes). Réessayez ensuite, ou demandez de l’aide à un administrateur."
        ),
        "demo_off": _("Les comptes de démonstration sont désactivés sur cette plateforme."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from relais.accounts import security

        if security.demo_account_refused(user):
            raise forms.ValidationError(self.error_messages["demo_off"], code="demo_off")

    def clean_username(self):
        return _stored_email(self.cleaned_data.get("username"))

    def clean(self):
        """The attempt is counted before the password is checked (throttling.admit): parallel requests
        never get more password checks than the limit, and a locked address refuses even the right one."""
        email = self.cleaned_data.get("username") or ""
        ip = throttling.client_ip(self.request)
        if email and self.cleaned_data.get("password"):
            admission = throttling.admit(email, ip)
            if not admission.allowed:
                raise self._locked_error(admission.locked_until)
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                until = throttling.locked_until(email, ip)
                if until is not None:  # that was the last attempt: say so now
                    raise self._locked_error(until) from error
            raise

    def _locked_error(self, until):
        minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
        return forms.ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"time": formats.time_format(timezone.localtime(until), "H:i"), "minutes": minutes},
        )


def too_many_emails_error(until) -> forms.ValidationError:
    """The same for every address, known or not: unknown ones are counted alike (throttling.py)."""
    return forms.ValidationError(
        _(
            "Trop de demandes pour cette adresse ou depuis votre connexion : réessayez après %(time)s, "
            "ou demandez de l’aide à un administrateur."
        ),
        code="throttled",
        params={"time": formats.time_format(timezone.localtime(until), "H:i")},
    )


class EmailRequestForm(forms.Form):
    """An address to which an e-mail is sent on request (a new confirmation link); throttled per address and IP."""

    required_css_class = "required"
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        admission = throttling.admit(email, throttling.client_ip(self.request), kind=LoginAttempt.Kind.EMAIL)
        if not admission.allowed:
            raise too_many_emails_error(admission.locked_until)
        return email


class PasswordResetRequestForm(EmailRequestForm, PasswordResetForm):
    """Django's password reset (active accounts with a password, address in any case), throttled, and our
    e-mail with a link starting with RELAIS_SITE_URL. Nothing tells whether the address has an account."""

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            confirmation.send_password_reset(user)


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app (6 digits) or, when `backup` is allowed, a backup code."""

    code = forms.CharField(label=_("Code de vérification"), max_length=20, strip=True)

    def __init__(self, *args, backup=True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"})
        if backup:
            field.help_text = _(
                "Les 6 chiffres affichés par votre application d’authentification, ou l’un de vos codes de secours."
            )
        else:
            field.label = _("Code à 6 chiffres affiché par l’application")
            field.widget.attrs["inputmode"] = "numeric"


class AdminUserCreationForm(DjangoAdminUserCreationForm):
    """An account created in the admin: the administrator vouches for its address."""

    def save(self, commit=True):
        self.instance.email_confirmed_at = self.instance.email_confirmed_at or timezone.now()
        return super().save(commit)

    class Meta:
        model = User
        fields = ("email",)
        field_classes = {}
