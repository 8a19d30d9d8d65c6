from django.urls import path

from relais.accounts import oidc
from relais.accounts.views import account, email, second_factor, session

app_name = "accounts"
urlpatterns = [
    path("connexion/", account.LoginView.as_view(), name="login"),
    path("deconnexion/", account.logout_view, name="logout"),
    path("inscription/", account.signup, name="signup"),
    path("courriel-envoye/", email.email_sent, name="email_sent"),
    path("confirmer/renvoyer/", email.email_resend, name="email_resend"),
    path("confirmer/<uidb64>/<token>/", email.email_confirm, name="email_confirm"),
    path("mot-de-passe-oublie/", email.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", email.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "nouveau-mot-de-passe/<uidb64>/<token>/",
        email.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("nouveau-mot-de-passe/termine/", email.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("double-authentification/", second_factor.setup, name="second_factor_setup"),
    path("double-authentification/verifier/", second_factor.verify, name="second_factor_verify"),
    path("double-authentification/codes-de-secours/", second_factor.backup_codes, name="second_factor_backup_codes"),
    path("double-authentification/reinitialiser/", second_factor.reset, name="second_factor_reset"),
    path("session/etat/", session.status, name="session_status"),
    path("session/prolonger/", session.extend, name="session_extend"),
    path("oidc/connexion/", oidc.LoginView.as_view(), name="oidc_login"),
    path("oidc/retour/", oidc.CallbackView.as_view(), name="oidc_callback"),
]
