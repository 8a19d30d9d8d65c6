import pytest

from relais.observatory import importers
from tests.factories import LYON_EPCI, make_commune, make_epci, make_territory


@pytest.fixture
def lyon_world(db):
    """Lyon (with two arrondissements), Vénissieux, Saint-Fons, a local territory, the Métropole, dép. 69."""
    epci = make_epci()
    contour = {"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.7]]]}
    lyon = make_commune("69123", "Lyon", epci=epci, contour=contour)
    make_commune("69381", "Lyon 1er Arrondissement", contour=contour)
    make_commune("69383", "Lyon 3e Arrondissement", contour=contour)
    venissieux = make_commune("69259", "Vénissieux", epci=epci, contour=contour)
    saint_fons = make_commune("69199", "Saint-Fons", epci=epci, contour=contour)
    make_territory("Portes du Sud", communes=[venissieux, saint_fons], slug="ctm-portes-du-sud", epci=epci)
    return {"lyon": lyon, "venissieux": venissieux, "saint_fons": saint_fons, "epci": LYON_EPCI}


def load(name: str, text: str, **kwargs):
    plan = importers.parse_file(name, text.encode("utf-8"), **kwargs)
    assert not plan.faults, [str(f) for f in plan.faults]
    return importers.apply(plan)
