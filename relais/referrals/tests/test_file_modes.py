"""A referral attachment holds personal data: stored readable by the app's user only (0600, in 0700 directories)."""

import stat

from django.core.files.uploadedfile import SimpleUploadedFile

from relais.referrals.models import Referral
from relais.referrals.tests.conftest import log_in
from relais.referrals.tests.test_referral_form import PDF, post


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_referral_attachment_is_stored_0600_in_0700_directories(client, world, settings):
    log_in(client, world.professional)
    post(client, world, attachment=SimpleUploadedFile("courrier.pdf", PDF, content_type="application/pdf"))
    path = settings.MEDIA_ROOT / Referral.objects.get().attachment.name
    assert mode(path) == 0o600
    directory = path.parent
    while directory != settings.MEDIA_ROOT:
        assert mode(directory) == 0o700, directory
        directory = directory.parent
