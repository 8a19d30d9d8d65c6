"""Account forms: sign-up with Django's password validators, and e-mail login that ignores case."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm as DjangoAdminUserCreationForm
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import User

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
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Un compte existe déjà avec cette adresse électronique : connectez-vous."), code="unique"
            )
        return email

    def _post_clean(self):
        forms.ModelForm._post_clean(self)
        # The password's own field carries the validators' messages (Django's default is the confirmation).
        self.validate_password_for_user(self.instance, password_field_name="password1")


class LoginForm(AuthenticationForm):
    """Log in with the e-mail address in any case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
    }

    def clean_username(self):
        return _stored_email(self.cleaned_data.get("username"))


class AdminUserCreationForm(DjangoAdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes = {}
