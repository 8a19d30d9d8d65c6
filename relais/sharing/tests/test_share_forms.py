"""The sharing forms take one recipient, checked, and nothing else; every error names its field."""

import pytest

from relais import sms
from relais.sharing.forms import EmailShareForm, SmsShareForm


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 7 12 34 56 78", "+33712345678"),
        ("+49 151 2345 6789", None),  # a foreign mobile: referrals may text it, a public form may not
        ("04 72 00 00 00", None),  # a fixed line
        ("06 12 34", None),
        ("", None),
    ],
)
def test_only_french_mobile_numbers_can_be_shared_to(typed, e164):
    assert sms.french_mobile_number(typed) == e164


def test_a_french_mobile_is_taken_in_e164_form():
    form = SmsShareForm({"telephone": " 06 12 34 56 78 "})
    assert form.is_valid() and form.cleaned_data["telephone"] == "+33612345678"


@pytest.mark.parametrize("typed", ["04 72 00 00 00", "+44 7700 900123", "0612", "bonjour"])
def test_another_number_is_refused_with_a_message_naming_the_field(typed):
    form = SmsShareForm({"telephone": typed})
    assert not form.is_valid()
    [message] = form.errors["telephone"]
    assert message.startswith("Numéro de portable du destinataire :") and "06 12 34 56 78" in message


def test_an_empty_number_is_asked_for_by_name():
    form = SmsShareForm({"telephone": ""})
    assert not form.is_valid()
    assert form.errors["telephone"] == ["Numéro de portable du destinataire : écrivez-le pour envoyer."]


@pytest.mark.parametrize(
    "typed", ["pas-une-adresse", "a@b", "a@example.org, b@example.org", "a@example.org\nBcc: x@y.z"]
)
def test_a_bad_address_is_refused_with_a_message_naming_the_field(typed):
    form = EmailShareForm({"courriel": typed})
    assert not form.is_valid()
    [message] = form.errors["courriel"]
    assert message.startswith("Adresse e-mail du destinataire :")


def test_an_address_is_taken_trimmed_and_nothing_else_is_read():
    form = EmailShareForm({"courriel": " ami@example.org ", "message": "Gagnez un iPhone", "objet": "Promo"})
    assert form.is_valid()
    assert form.cleaned_data == {"courriel": "ami@example.org", "site_web": ""}


def test_the_honeypot_tells_a_robot():
    robot = EmailShareForm({"courriel": "ami@example.org", "site_web": "http://spam.example"})
    person = EmailShareForm({"courriel": "ami@example.org"})
    assert robot.is_valid() and robot.is_robot
    assert person.is_valid() and not person.is_robot
