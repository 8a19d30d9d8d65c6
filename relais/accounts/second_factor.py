"""The second factor's devices (django-otp): an authenticator app (TOTP) and single-use backup codes.

Enrolment shows a QR code drawn here as SVG (no network, no image file) and the secret as text for
manual entry; the device counts only once a code from it is confirmed. Confirming also creates ten
backup codes, shown once. django-otp throttles wrong codes per device (1, 2, 4, 8… seconds).
"""

import datetime as dt
import re
from base64 import b32decode, b32encode
from dataclasses import dataclass

import qrcode
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_DEVICE_NAME = "application"
BACKUP_DEVICE_NAME = "codes-de-secours"
BACKUP_CODE_COUNT = 10
_SEPARATORS = re.compile(r"[\s\-]+")


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, by groups of four, as authenticator apps ask for it."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(data: str, title: str) -> str:
    """An accessible inline SVG of `data` (black modules on white), drawn from qrcode's matrix."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return format_html(
        '<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        'aria-labelledby="qr-code-title" shape-rendering="crispEdges"><title id="qr-code-title">{title}</title>'
        '<rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{path}"/></svg>',
        size=size,
        title=title,
        path=mark_safe(path),  # digits and letters only, built above
    )


@dataclass
class Verification:
    device: object | None = None
    retry_at: dt.datetime | None = None  # set when wrong codes made the device wait

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalize(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()


def _try(device, code: str) -> Verification:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return Verification(retry_at=(info or {}).get("locked_until"))
    return Verification(device=device if device.verify_token(code) else None)


def verify(user, code: str) -> Verification:
    """Check a code from the authenticator app (digits) or a backup code (letters and digits)."""
    code = normalize(code)
    if not code:
        return Verification()
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        # Locked rows: two requests cannot both use the same code.
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update().order_by("pk"):
            result = _try(device, code)
            if result.ok or result.retry_at:
                return result
    return Verification()


def confirm(user, device: TOTPDevice, code: str) -> tuple[Verification, list[str]]:
    """Confirm a pending authenticator with a code from it: it replaces any other one; new backup codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        result = _try(device, normalize(code))
        if not result.ok:
            return result, []
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(user)
    return Verification(device=device), codes


def new_backup_codes(user) -> list[str]:
    """Replace the account's backup codes by ten new ones, each usable once; returns them to show once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=BACKUP_DEVICE_NAME).count()


def remove_devices(user) -> None:
    """Forget every device of the account (lost phone): it enrols again at its next personal-data page."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def throttled_message(retry_at: dt.datetime) -> str:
    from django.utils import timezone

    seconds = max(1, int((retry_at - timezone.now()).total_seconds()) + 1)
    return _("Trop de codes erronés : patientez %(seconds)s secondes avant de réessayer.") % {"seconds": seconds}


def install_device(user, secret_base32: str) -> TOTPDevice:
    """Give the account a confirmed authenticator with a known secret (demo accounts: README.md)."""
    key = b32decode(secret_base32.replace(" ", "").upper()).hex()
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
