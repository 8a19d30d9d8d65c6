"""The load_territories command and the committed referential files."""

import csv
import gzip
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from relais.territories import loaders
from relais.territories.models import Commune, Departement, Epci, Territory
from tests.factories import LYON_EPCI, METZ_EPCI, make_territory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    """The command on the Lyon and Metz communes alone (fast); `run_france` loads the default, all of France."""
    return run_france("--lyon-metz-only", *args)


def run_france(*args) -> str:
    out = io.StringIO()
    call_command("load_territories", *args, stdout=out)
    return out.getvalue()


def snapshot():
    communes = list(Commune.objects.order_by("code").values())
    territories = [
        (t.slug, t.name, t.to_check, t.source, sorted(t.communes.values_list("code", flat=True)))
        for t in Territory.objects.order_by("slug")
    ]
    return communes, territories, list(Epci.objects.values()), list(Departement.objects.values())


def write_csv(tmp_path, body: str, name="territoires.csv"):
    path = tmp_path / name
    path.write_text("slug,name,kind,epci,communes,to_check,source\n" + body, encoding="utf-8")
    return path


def test_default_load_gives_lyon_communes_arrondissements_and_metz_communes():
    run()
    lyon = Commune.objects.filter(epci_id=LYON_EPCI)
    assert lyon.filter(kind=Commune.Kind.COMMUNE).count() == 58
    assert lyon.filter(kind=Commune.Kind.ARRONDISSEMENT).count() == 9
    assert Commune.objects.filter(epci_id=METZ_EPCI).communes().count() == 46
    assert Commune.objects.filter(epci_id=METZ_EPCI, kind=Commune.Kind.ARRONDISSEMENT).count() == 0
    assert Epci.objects.get(code=LYON_EPCI).name == "Métropole de Lyon"
    assert Departement.objects.get(code="57").name == "Moselle"


def test_lyon_3e_has_lyon_as_parent_and_its_own_postal_code():
    run()
    lyon_3 = Commune.objects.get(code="69383")
    assert lyon_3.name == "Lyon 3e Arrondissement"
    assert lyon_3.parent_id == "69123"
    assert lyon_3.postal_codes == ["69003"]
    assert lyon_3.zone_codes() >= {"69383", "69123", LYON_EPCI, "69"}
    assert set(Commune.objects.get(code="69123").arrondissements.values_list("code", flat=True)) == {
        f"6938{n}" for n in range(1, 10)
    }


def test_every_loaded_population_has_its_vintage_and_lyon_is_the_sum_of_its_arrondissements():
    run()
    source = json.loads(loaders.LYON_METZ_FILE.read_text())["source"]
    assert Commune.objects.filter(population__isnull=False).count() == 113
    assert set(Commune.objects.values_list("population_year", flat=True)) == {source["population_year"]}
    lyon = Commune.objects.get(code="69123")
    assert lyon.population == sum(a.population for a in lyon.arrondissements.all())


def test_loaded_communes_have_contours_bounding_boxes_and_centroids_inside():
    from relais.territories.geo import point_in_geometry

    run()
    for commune in Commune.objects.all():
        assert commune.contour["type"] == "MultiPolygon", commune.code
        west, south, east, north = commune.bbox
        assert west <= commune.longitude <= east and south <= commune.latitude <= north, commune.code
        assert point_in_geometry(commune.latitude, commune.longitude, commune.contour), commune.code
        assert commune.search_name, commune.code


def test_loading_twice_changes_nothing():
    first_output = run()
    before = snapshot()
    second_output = run()
    assert snapshot() == before
    assert "113 créés" in first_output
    assert "COG 2026 ; populations municipales 2023" in first_output
    assert "0 créés, 0 mis à jour, 113 inchangés" in second_output
    assert "0 créés, 0 mis à jour, 10 inchangés" in second_output


def test_a_changed_commune_is_put_back_and_counted_as_updated():
    run()
    Commune.objects.filter(code="69266").update(name="Villeurbanne modifiée", population=1)
    output = run()
    villeurbanne = Commune.objects.get(code="69266")
    assert (villeurbanne.name, villeurbanne.search_name) == ("Villeurbanne", "villeurbanne")
    assert villeurbanne.population > 100_000
    assert "0 créés, 1 mis à jour, 112 inchangés" in output


def test_by_default_every_commune_of_france_is_loaded_and_lyon_and_metz_keep_their_contours(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(80):  # bulk writes: a few queries per thousands of rows
        output = run_france("--no-territories")

    assert Commune.objects.count() > 34_900
    paris = Commune.objects.get(code="75056")
    assert (paris.name, paris.departement_id, paris.contour) == ("Paris", "75", None)
    assert Commune.objects.filter(parent_id="75056").count() == 20
    assert Commune.objects.get(code="13055").epci_id  # Marseille, in its métropole
    lyon_metz = Commune.objects.filter(Q(epci_id__in=[LYON_EPCI, METZ_EPCI]) | Q(parent_id="69123"))
    assert lyon_metz.count() == 113
    assert not lyon_metz.filter(contour__isnull=True).exists()
    assert Commune.objects.filter(contour__isnull=False).count() == 113
    assert Commune.objects.get(code="57463").bbox is not None
    assert Departement.objects.count() >= 101 and Epci.objects.count() > 1200
    assert "france-communes.csv.gz + communes-lyon-metz.json" in output


def test_loading_all_of_france_twice_changes_nothing():
    run_france("--no-territories")
    before = snapshot()

    output = run_france("--no-territories")

    assert snapshot() == before
    assert re.search(r"communes 0 créés, 0 mis à jour, \d{5} inchangés", output), output


def test_loading_france_after_lyon_and_metz_keeps_their_contours():
    run("--no-territories")
    contour = Commune.objects.get(code="69266").contour

    run_france("--no-territories")

    assert Commune.objects.get(code="69266").contour == contour


def test_dry_run_writes_nothing():
    output = run("--dry-run")
    assert "Essai à blanc" in output
    assert Commune.objects.count() == 0
    assert Territory.objects.count() == 0


def test_lyon_ctm_cover_every_commune_of_the_metropole_exactly_once():
    run()
    ctm = Territory.objects.filter(kind="Conférence territoriale des maires", epci_id=LYON_EPCI)
    assert ctm.count() == 10
    codes = [code for t in ctm for code in t.communes.values_list("code", flat=True)]
    assert len(codes) == len(set(codes)) == 58
    assert set(codes) == set(Commune.objects.communes().filter(epci_id=LYON_EPCI).values_list("code", flat=True))
    assert all(t.source for t in ctm)
    assert ctm.filter(to_check=True).exists(), "uncertain compositions must be flagged"
    assert set(ctm.get(slug="ctm-rhone-amont").communes.values_list("name", flat=True)) == {
        "Décines-Charpieu",
        "Jonage",
        "Meyzieu",
        "Vaulx-en-Velin",
    }
    assert not ctm.filter(is_demo=True).exists()


def test_territories_edited_in_the_admin_are_kept_unless_overwrite_is_asked():
    run()
    territory = Territory.objects.get(slug="ctm-rhone-amont")
    territory.communes.remove("69282")
    territory.to_check = True
    territory.save()

    output = run()
    territory.refresh_from_db()
    assert territory.communes.count() == 3 and territory.to_check
    assert "1 conservés" in output

    run("--overwrite-territories")
    territory.refresh_from_db()
    assert territory.communes.count() == 4 and not territory.to_check


def test_unknown_commune_code_names_the_row_and_nothing_is_written(tmp_path):
    path = write_csv(
        tmp_path,
        f"bon,Bon territoire,CTM,{LYON_EPCI},69266,false,test\n"
        f"mauvais,Mauvais territoire,CTM,{LYON_EPCI},69266;69999,false,test\n",
    )
    with pytest.raises(CommandError) as error:
        run("--territories", str(path))
    message = str(error.value)
    assert "territoires.csv, ligne 3, champ communes" in message
    assert "69999" in message
    assert Commune.objects.count() == 0
    assert Territory.objects.count() == 0


def test_commune_outside_the_territory_epci_is_refused(tmp_path):
    path = write_csv(tmp_path, f"mixte,Mixte,CTM,{LYON_EPCI},69266;57463,false,test\n")
    with pytest.raises(CommandError, match=r"ligne 2, champ communes : la commune 57463"):
        run("--territories", str(path))


@pytest.mark.parametrize(
    "row, expected",
    [
        ("Pas un slug,Nom,CTM,,69266,false,s\n", "ligne 2, champ slug"),
        ("ok,,CTM,,69266,false,s\n", "ligne 2, champ name"),
        ("ok,Nom,CTM,,69266,peut-être,s\n", "ligne 2, champ to_check"),
        ("ok,Nom,CTM,12,69266,false,s\n", "ligne 2, champ epci"),
        ("ok,Nom,CTM,,,false,s\n", "ligne 2, champ communes"),
        ("ok,Nom,CTM,,6926;69266,false,s\n", "ligne 2, champ communes"),
        ("ok,Nom,CTM,,69266;69266,false,s\n", "ligne 2, champ communes"),
        ("ok,Nom,CTM,,69266,false\n", "ligne 2 : nombre de colonnes"),
        ("ok,Nom,CTM,,69266,false,s\nok,Autre,CTM,,69266,false,s\n", "ligne 3, champ slug"),
    ],
)
def test_malformed_territory_rows_are_reported_with_their_line_and_field(tmp_path, row, expected):
    path = write_csv(tmp_path, row)
    with pytest.raises(loaders.LoadError) as error:
        loaders.read_territories_csv(path)
    assert expected in str(error.value)


def test_comment_lines_count_in_reported_line_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "# source : test\n# deuxième commentaire\nslug,name,kind,epci,communes,to_check,source\n"
        "ok,Nom,CTM,,69266,oui,s\nko,Nom,CTM,,69266,bof,s\n",
        encoding="utf-8",
    )
    with pytest.raises(loaders.LoadError, match=r"t\.csv, ligne 5, champ to_check"):
        loaders.read_territories_csv(path)


def test_missing_columns_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("slug,name\nok,Nom\n", encoding="utf-8")
    with pytest.raises(loaders.LoadError, match="colonnes manquantes : kind, epci, communes, to_check, source"):
        loaders.read_territories_csv(path)
    with pytest.raises(CommandError, match="introuvable"):
        run("--territories", str(tmp_path / "absent.csv"))


def test_malformed_commune_file_names_the_row_and_field(tmp_path):
    data = json.loads(loaders.LYON_METZ_FILE.read_text())
    data["communes"][3]["postal_codes"] = ["6900"]
    data["communes"][5]["kind"] = "XYZ"
    path = tmp_path / "communes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(loaders.LoadError) as error:
        loaders.read_lyon_metz(path)
    code_4, code_6 = data["communes"][3]["code"], data["communes"][5]["code"]
    assert f"communes.json, commune n° 4 ({code_4}), champ postal_codes" in str(error.value)
    assert f"communes.json, commune n° 6 ({code_6}), champ kind" in str(error.value)


def test_territory_made_without_the_file_is_left_alone():
    run()
    own = make_territory(name="Quartier test", communes=[Commune.objects.get(code="69266")], slug="quartier-test")
    run("--overwrite-territories")
    assert list(own.communes.values_list("code", flat=True)) == ["69266"]


def test_france_file_holds_every_commune_and_arrondissement_with_vintages():
    with gzip.open(loaders.FRANCE_FILE, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 34_000
    assert list(rows[0]) == loaders.FRANCE_COLUMNS
    by_code = {r["code"]: r for r in rows}
    assert len(by_code) == len(rows)
    assert sum(r["kind"] == "ARM" for r in rows) == 45  # Paris 20, Marseille 16, Lyon 9
    assert by_code["69383"]["parent"] == "69123"
    assert by_code["57463"]["epci"] == METZ_EPCI
    assert all(r["population_year"] for r in rows if r["population"])
    assert by_code["13055"]["postal_codes"].startswith("13001;")


def test_france_file_passes_the_loader_validation():
    ref = loaders.read_france()
    assert len(ref.communes) > 34_000
    assert len(ref.departements) >= 101
    assert ref.epcis[LYON_EPCI]["name"] == "Métropole de Lyon"
    assert not ref.with_contours


def test_sources_note_states_the_versions_and_vintages_of_the_committed_files():
    source = json.loads(loaders.LYON_METZ_FILE.read_text())["source"]
    note = (loaders.DATA_DIR / "SOURCES.md").read_text()
    for package, version in source["packages"].items():
        assert f"`{package}` | " in note and f"| {version} |" in note
    assert f"au 1er janvier {source['cog_year']}" in note
    assert f"`population_year` = {source['population_year']}" in note
    assert "Licence Ouverte" in note
    assert "python3 scripts/build_territories.py" in note
