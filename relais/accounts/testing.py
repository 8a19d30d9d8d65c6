"""Test helpers for the second factor (used by tests only).

`log_in_verified(client, user)` is `client.force_login(user)` plus a second factor verified for the
session, as after entering a TOTP code: what every test of a personal-data page needs.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def log_in_verified(client, user):
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="application", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def verified_client(user):
    """A new test client logged in as `user` with a verified second factor."""
    from django.test import Client

    client = Client()
    log_in_verified(client, user)
    return client
