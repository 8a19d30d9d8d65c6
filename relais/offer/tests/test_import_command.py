"""./manage.py import_offer and export_offer."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from relais.offer.models import Change, Service, Structure
from relais.offer.tests.datainclusion_samples import make_communes, sample, write_json
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def communes():
    make_communes()


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_offer_imports_a_file_and_prints_the_counts(tmp_path):
    out, _err = command("import_offer", str(write_json(tmp_path / "offre.json", sample())))

    assert "structures : 2 créées, 0 mises à jour, 0 inchangées" in out
    assert "services : 3 créées" in out
    assert (Structure.objects.count(), Service.objects.count()) == (2, 3)


def test_import_offer_dry_run_writes_nothing(tmp_path):
    out, _err = command("import_offer", "--dry-run", str(write_json(tmp_path / "offre.json", sample())))

    assert out.startswith("Simulation, rien n’a été enregistré.")
    assert "structures : 2 créées" in out
    assert Structure.objects.count() == 0


def test_import_offer_fails_listing_every_error_and_writes_nothing(tmp_path):
    data = sample()
    data["services"][0]["courriel"] = "faux"
    data["structures"][1]["code_insee"] = "00000"
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 erreur"):
        call_command("import_offer", str(write_json(tmp_path / "offre.json", data)), stderr=err)

    assert "offre.json, services, élément 1, courriel : n’est pas une adresse électronique" in err.getvalue()
    assert "offre.json, structures, élément 2, code_insee" in err.getvalue()
    assert Structure.objects.count() == 0


def test_import_offer_records_the_actor_of_the_import(tmp_path):
    user = make_user(email="import@example.org")

    command("import_offer", "--actor", "IMPORT@example.org", str(write_json(tmp_path / "offre.json", sample())))

    assert set(Change.objects.values_list("actor", flat=True)) == {user.pk}


def test_import_offer_refuses_an_unknown_actor(tmp_path):
    with pytest.raises(CommandError, match="--actor"):
        call_command("import_offer", "--actor", "personne@example.org", str(tmp_path / "x.json"))


def test_import_offer_prints_warnings_about_ignored_columns(tmp_path):
    data = sample()
    data["structures"][0]["relais_is_demo"] = True

    _out, err = command("import_offer", str(write_json(tmp_path / "offre.json", data)))

    assert "attention : offre.json, structures : champs Relais ignorés" in err


def test_export_offer_writes_each_format(tmp_path):
    command("import_offer", str(write_json(tmp_path / "offre.json", sample())))

    out, _err = command("export_offer", str(tmp_path / "export.json"))
    command("export_offer", str(tmp_path / "csv"))
    command("export_offer", str(tmp_path / "export.zip"))
    command("export_offer", str(tmp_path / "export.xlsx"))

    assert "2 structures et 3 services exportés" in out
    assert len(json.loads((tmp_path / "export.json").read_text())["services"]) == 3
    assert (tmp_path / "csv" / "services.csv").exists() and (tmp_path / "csv" / "structures.csv").exists()
    assert (tmp_path / "export.zip").stat().st_size > 0 and (tmp_path / "export.xlsx").stat().st_size > 0


def test_export_then_import_is_idempotent_through_the_commands(tmp_path):
    command("import_offer", str(write_json(tmp_path / "offre.json", sample())))
    command("export_offer", str(tmp_path / "export.xlsx"))

    out, _err = command("import_offer", str(tmp_path / "export.xlsx"))

    assert "structures : 0 créées, 0 mises à jour, 2 inchangées" in out
    assert "services : 0 créées, 0 mises à jour, 3 inchangées" in out


def test_export_offer_template_writes_an_empty_workbook(tmp_path):
    import openpyxl

    out, _err = command("export_offer", "--template", str(tmp_path / "modele.xlsx"))

    assert "Modèle écrit" in out
    assert openpyxl.load_workbook(tmp_path / "modele.xlsx").sheetnames == ["structures", "services", "notice", "listes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "modele.json"], "--template"),
        (["export.txt"], "format inconnu"),
        (["--format", "csv", "export.csv"], "dossier ou un fichier .zip"),
    ],
)
def test_export_offer_explains_bad_arguments(tmp_path, args, message):
    args = [str(tmp_path / a) if "." in a else a for a in args]

    with pytest.raises(CommandError, match=message):
        call_command("export_offer", *args)


def national_sample():
    """The sample moved to Paris and Marseille: data·inclusion files are national."""
    data = sample()
    for record in data["structures"] + data["services"]:
        record.update(code_insee="75056", code_postal="75001", commune="Paris")
    data["services"][0]["zone_eligibilite"] = ["75056", "13055", "200054807", "75", "2A", "971"]
    data["services"][1]["zone_eligibilite"] = ["75112"]  # Paris 12e Arrondissement
    return data


def test_after_the_default_referential_a_file_anywhere_in_france_imports(tmp_path):
    command("load_territories", "--no-territories")

    out, _err = command("import_offer", str(write_json(tmp_path / "offre.json", national_sample())))

    assert "services : 3 créées" in out
    assert Service.objects.filter(code_insee="75056").count() == 3


def test_with_all_of_france_loaded_an_unknown_code_is_said_to_be_outside_the_cog(tmp_path):
    command("load_territories", "--no-territories")
    data = national_sample()
    data["services"][2]["zone_eligibilite"] = ["75999"]
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_offer", str(write_json(tmp_path / "offre.json", data)), stderr=err)

    message = err.getvalue()
    assert "services, élément 3, zone_eligibilite : code commune « 75999 » inconnu du référentiel" in message
    assert "Code officiel géographique 2026" in message
    assert "ne compte que" not in message
    assert Service.objects.count() == 0


def test_with_only_lyon_and_metz_loaded_the_error_says_to_load_all_of_france(tmp_path):
    command("load_territories", "--lyon-metz-only", "--no-territories")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_offer", str(write_json(tmp_path / "offre.json", national_sample())), stderr=err)

    assert "code commune « 75056 » inconnu" in err.getvalue()
    assert "chargez toutes les communes de France avec ./manage.py load_territories" in err.getvalue()
