"""Partner forms read the postal code and the commune name through the territories' one resolver."""

from relais.offer.forms import resolve_commune
from tests.factories import make_commune


def test_a_lyon_postal_code_gives_the_arrondissement_and_an_insee_code_with_its_name_gives_that_commune(db):
    make_commune("69388", "Lyon 8e Arrondissement", postal_codes=["69008"])
    make_commune("69008", "Ancy", postal_codes=["69490"])
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    make_commune("69100", "Irigny", postal_codes=["69540"])
    assert resolve_commune("69008", "Lyon").code == "69388"
    assert resolve_commune("69008", "Ancy").code == "69008"
    assert resolve_commune("69100", "Irigny").code == "69100"
    assert resolve_commune("69100", "Villeurbanne").code == "69266"
    assert resolve_commune("69100", "Atlantide") is None
