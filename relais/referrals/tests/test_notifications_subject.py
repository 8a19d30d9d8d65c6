"""A referral e-mail leaves even when a name holds a line break (data stored before control characters were
refused): its subject is built as one safe line. Django would refuse the header (BadHeaderError) otherwise."""

from django.core import mail

from relais.offer.models import Service
from relais.referrals import actions, consent
from relais.referrals.models import Status
from relais.referrals.tests.conftest import make_referral


def test_a_line_break_in_the_service_name_does_not_stop_the_referral_e_mails(
    world, django_capture_on_commit_callbacks, settings
):
    settings.RELAIS_PLATFORM_NAME = "Relais\r\n(démo)"
    Service.objects.filter(pk=world.service.pk).update(nom="Accompagnement\r\nBcc: victime@example.org\nbudget")
    world.service.refresh_from_db()
    referral = make_referral(world, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    message = next(m for m in mail.outbox if m.to == ["accueil@recoit.example.org"])
    assert message.subject == (
        "Relais (démo) : nouvelle orientation vers « Accompagnement Bcc: victime@example.org budget »"
    )
    rendered = message.message()  # raised BadHeaderError before: the message never left
    assert rendered["Bcc"] is None and rendered["Subject"]
