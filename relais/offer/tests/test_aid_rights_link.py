"""An aid of the offer names the same aid of the rights catalogue, so that results say where to claim it."""

import pytest
from django.core.exceptions import ValidationError

from relais.offer.models import Aid

pytestmark = pytest.mark.django_db


def make_aid(**values) -> Aid:
    return Aid(slug="aide-test", name="Aide de test", institution="CCAS", summary="Pour le test.", **values)


def test_an_aid_may_name_a_local_aid_of_the_rights_catalogue():
    make_aid(rights_aid="lyon-revenu-solidarite-jeunes").full_clean()


def test_an_unknown_rights_aid_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as error:
        make_aid(rights_aid="lyon-aide-inventee").full_clean()
    assert "rights_aid" in error.value.message_dict
    assert "lyon-aide-inventee" in error.value.message_dict["rights_aid"][0]
