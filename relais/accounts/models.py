"""People and their roles: accounts, structure memberships, territory moderation."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user_object(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("email_confirmed_at", timezone.now())  # created by the operator
        return super().create_superuser(email, email, password, **extra_fields)


class User(AbstractUser):
    """An account, identified by its e-mail address."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    # When the owner proved the address is theirs (link sent at sign-up, password reset, OIDC with
    # email_verified, created by the admin or the demo): None until then (relais/accounts/confirmation.py).
    email_confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.username = self.email
        super().save(*args, **kwargs)

    # Roles, derived from memberships (see docs/glossary.md)
    def admin_structure_ids(self) -> set[str]:
        return set(
            self.memberships.filter(role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE).values_list(
                "structure_id", flat=True
            )
        )

    def member_structure_ids(self) -> set[str]:
        return set(self.memberships.filter(status=Membership.Status.ACTIVE).values_list("structure_id", flat=True))

    def is_member_of(self, structure) -> bool:
        return self.memberships.filter(structure=structure, status=Membership.Status.ACTIVE).exists()

    def is_admin_of(self, structure) -> bool:
        return self.memberships.filter(
            structure=structure, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
        ).exists()

    def moderated_commune_codes(self) -> set[str]:
        """Codes of the communes of the territories this person moderates, with their arrondissements."""
        from relais.territories.models import Commune

        listed = Commune.objects.filter(territories__moderators__user=self).values("code")
        return set(
            Commune.objects.filter(models.Q(code__in=listed) | models.Q(parent__in=listed)).values_list(
                "code", flat=True
            )
        )

    @property
    def is_moderator(self) -> bool:
        return self.moderations.exists()


class Membership(models.Model):
    """A person's link to a structure of the offer. Every request waits: the first admin of a structure with no
    member for a territory moderator, later members for an admin (docs/adr/0002-moderation.md, 2026-12-07).
    `decided_at` is when access to referrals begins (relais/referrals/roles.py)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrateur")
        MEMBER = "member", _("membre")

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente d’approbation")
        ACTIVE = "active", _("actif")
        REJECTED = "rejected", _("refusée")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    structure = models.ForeignKey("offer.Structure", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [models.UniqueConstraint(fields=["user", "structure"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} → {self.structure_id} ({self.role}, {self.status})"


class TerritoryModerator(models.Model):
    """A person who validates new structures and changes to the offer of a territory."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderations")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="moderators")

    class Meta:
        verbose_name = _("modérateur de territoire")
        verbose_name_plural = _("modérateurs de territoire")
        constraints = [models.UniqueConstraint(fields=["user", "territory"], name="unique_moderator")]

    def __str__(self):
        return f"{self.user} ⟂ {self.territory}"


class LoginAttempt(models.Model):
    """A login attempt (counted before the password is checked) or an e-mail sent to an address on request
    (sign-up, confirmation, password reset), kept for the lockout window only (relais/accounts/throttling.py).

    Stored in the database so that every app process sees the same count.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("connexion")
        EMAIL = "email", _("envoi de courriel")

    kind = models.CharField(_("type"), max_length=5, choices=Kind.choices, default=Kind.LOGIN)
    email = models.CharField(max_length=254, db_index=True)  # as typed, lower-cased: unknown addresses count too
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("tentative de connexion")
        verbose_name_plural = _("tentatives de connexion")

    def __str__(self):
        return f"{self.kind} {self.email} {self.ip} {self.at:%Y-%m-%d %H:%M}"
