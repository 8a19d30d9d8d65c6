import pytest

from tests.factories import make_commune, make_service


@pytest.mark.django_db
def test_a_lyon_arrondissement_is_covered_by_lyon_the_metropole_and_the_departement():
    commune = make_commune("69383")
    assert commune.zone_codes() >= {"69383", "69123", "200046977", "69", "france"}


@pytest.mark.django_db
def test_the_default_service_is_published_and_about_housing():
    service = make_service()
    assert service.moderation == "published"
    assert service.__class__.objects.with_thematique("logement-hebergement").count() == 1
    assert service.__class__.objects.with_thematique("famille").count() == 0
