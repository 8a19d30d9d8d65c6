"""Fuzzing the public « Signaler une erreur » form with hypothesis: whatever is posted, the answer is the
confirmation (302), the form with messages naming its fields (400) or the throttle (429), never a 500; a stored
report always holds a known kind, at most 1,000 characters of text without control characters, and a valid or
empty address. Derandomized: the same cases at every run."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.offer.models import ErrorReport
from relais.textinput import control_character
from tests.factories import make_service

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

junk = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(["", " ", "\x00", "a\x07b", "\r", "x" * 1001, "x" * 1000, "closed", "other", "lea@example.org"]),
)
field = st.one_of(junk, st.lists(junk, min_size=2, max_size=3))  # a field sent twice, or once
posts = st.dictionaries(st.sampled_from(["kind", "message", "email", "site", "csrfmiddlewaretoken", "x"]), field)


@given(data=posts)
@FUZZ
def test_the_report_form_answers_anything_without_a_server_error(data):
    cache.clear()
    service = make_service()
    response = Client().post(reverse("offer:report", args=["services", service.pk]), data)
    assert response.status_code in (302, 400, 429), response.status_code
    for report in ErrorReport.objects.filter(service=service):
        assert report.kind in ErrorReport.Kind.values
        assert len(report.message) <= 1000 and control_character(report.message, multiline=True) is None
        assert report.reporter_email == "" or "@" in report.reporter_email
    if response.status_code == 400:
        assert "corrigez les champs signalés" in response.content.decode()
