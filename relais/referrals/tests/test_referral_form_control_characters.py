"""The referral form refuses control characters in the person's details, naming the field; line breaks stay
allowed in the reason (a text area)."""

import pytest

from relais.referrals.models import Referral
from relais.referrals.tests.conftest import log_in
from relais.referrals.tests.test_referral_form import post


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Ama\nndine"),
        ("last_name", "Zéphyrin\r\nBcc: x@example.org"),
        ("contact_phone", "06 12\t34 56 78"),
        ("availability", "le matin\x1b[2J"),
        ("reason", "Un motif\rcaché"),
    ],
)
def test_a_control_character_in_the_person_details_is_refused_naming_the_field(client, world, field, value):
    log_in(client, world.professional)
    response = post(client, world, **{field: value})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert "Caractère de contrôle interdit" in response.context["form"].errors[field][0]
    assert not Referral.objects.exists()


def test_line_breaks_stay_allowed_in_the_reason(client, world):
    log_in(client, world.professional)
    post(client, world, reason="Première ligne.\r\nDeuxième ligne.")
    assert Referral.objects.get().reason == "Première ligne.\r\nDeuxième ligne."
