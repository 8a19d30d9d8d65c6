"""Importing data·inclusion v1 files: every format, idempotent upsert, dry run, all or nothing."""

import json
import zipfile

import pytest

from relais.offer.actions import apply_change
from relais.offer.importer import import_offer
from relais.offer.models import Change, Moderation, Service, Structure
from relais.offer.offerfiles import sources_from_paths
from relais.offer.tests.datainclusion_samples import (
    FULL_SERVICE,
    FULL_STRUCTURE,
    make_communes,
    sample,
    write_csv,
    write_json,
    write_xlsx,
)
from tests.factories import make_service, make_structure, make_user

pytestmark = pytest.mark.django_db

WRITERS = {
    "json": lambda tmp_path, data: write_json(tmp_path / "offre.json", data),
    "csv": lambda tmp_path, data: write_csv(tmp_path / "csv", data),
    "xlsx": lambda tmp_path, data: write_xlsx(tmp_path / "offre.xlsx", data),
}


def snapshot():
    """Everything an import may touch, to prove that nothing changed."""
    return (
        list(Structure.objects.order_by("id").values()),
        list(Service.objects.order_by("id").values()),
        list(Change.objects.order_by("id").values()),
    )


def run(path, **options):
    return import_offer(sources_from_paths([path]), **options)


@pytest.fixture(autouse=True)
def communes():
    make_communes()


@pytest.mark.parametrize("fmt", WRITERS)
def test_each_format_creates_the_structures_and_services_of_the_file(tmp_path, fmt):
    report = run(WRITERS[fmt](tmp_path, sample()))

    assert report.ok, [str(e) for e in report.errors]
    assert report.table() == [
        {"kind": "structures", "created": 2, "updated": 0, "unchanged": 0},
        {"kind": "services", "created": 3, "updated": 0, "unchanged": 0},
    ]
    service = Service.objects.get(id=FULL_SERVICE["id"])
    assert service.structure_id == FULL_STRUCTURE["id"]
    assert service.thematiques == sorted(FULL_SERVICE["thematiques"])
    assert service.zone_eligibilite == ["69383", "200046977"]
    assert service.volume_horaire_hebdomadaire == 2.5
    assert service.nombre_semaines == 12
    assert str(service.date_maj) == "2025-06-02"
    assert service.moderation == Moderation.PUBLISHED
    structure = Structure.objects.get(id=FULL_STRUCTURE["id"])
    assert structure.site_web == "https://centre-social.example.org"  # as written, no slash added
    assert structure.reseaux_porteurs == ["caf", "france-travail"]
    assert structure.latitude == 45.759701


def test_the_three_formats_give_the_same_listings(tmp_path):
    run(WRITERS["json"](tmp_path, sample()))
    for fmt in ("csv", "xlsx"):
        report = run(WRITERS[fmt](tmp_path, sample()))
        assert report.ok
        assert [row["unchanged"] for row in report.table()] == [2, 3], fmt


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_json(tmp_path / "offre.json", sample())
    run(path)
    before = snapshot()

    report = run(path)

    assert report.table() == [
        {"kind": "structures", "created": 0, "updated": 0, "unchanged": 2},
        {"kind": "services", "created": 0, "updated": 0, "unchanged": 3},
    ]
    assert snapshot() == before


def test_a_changed_row_updates_the_listing_and_records_what_changed(tmp_path):
    user = make_user()
    run(write_json(tmp_path / "v1.json", sample()))
    data = sample()
    data["services"][0]["courriel"] = "nouveau@centre-social.example.org"
    data["services"][0]["thematiques"] = list(reversed(data["services"][0]["thematiques"]))  # same set

    report = run(write_json(tmp_path / "v2.json", data), actor=user)

    assert report.table()[1] == {"kind": "services", "created": 0, "updated": 1, "unchanged": 2}
    assert Service.objects.get(id=FULL_SERVICE["id"]).courriel == "nouveau@centre-social.example.org"
    change = Change.objects.filter(object_id=FULL_SERVICE["id"]).latest("id")
    assert change.kind == Change.Kind.IMPORT
    assert change.review == Change.Review.NOT_NEEDED
    assert change.actor == user
    assert change.structure_id == FULL_STRUCTURE["id"]
    assert change.diff == {"courriel": ["droits@centre-social.example.org", "nouveau@centre-social.example.org"]}


def test_every_created_listing_gets_one_import_change(tmp_path):
    run(write_json(tmp_path / "offre.json", sample()))

    changes = Change.objects.filter(kind=Change.Kind.IMPORT)
    assert changes.count() == 5
    assert set(changes.values_list("object_id", flat=True)) == {
        *(s["id"] for s in sample()["structures"]),
        *(s["id"] for s in sample()["services"]),
    }
    assert set(changes.values_list("review", flat=True)) == {Change.Review.NOT_NEEDED}


def test_an_existing_listing_is_updated_in_place_and_keeps_its_moderation(tmp_path):
    structure = make_structure(id=FULL_STRUCTURE["id"], nom="Ancien nom", moderation=Moderation.PENDING)
    service = make_service(structure=structure, id="partenaire--ancien-service")

    report = run(write_json(tmp_path / "offre.json", sample()))

    assert report.table()[0]["updated"] == 1
    structure.refresh_from_db()
    assert structure.nom == FULL_STRUCTURE["nom"]
    assert structure.moderation == Moderation.PENDING  # still waiting for its territory's moderators
    assert Service.objects.filter(id=service.id).exists()  # listings absent from the file stay


def test_a_listing_a_moderator_rejected_stays_rejected_when_its_source_sends_it_again(tmp_path):
    run(write_json(tmp_path / "v1.json", sample()))
    moderator = make_user(is_staff=True)
    structure = Structure.objects.get(id=FULL_STRUCTURE["id"])
    apply_change(moderator, structure, {"moderation": Moderation.REJECTED}, review=Change.Review.NOT_NEEDED)
    data = sample()
    data["structures"][0]["nom"] = "Nouveau nom envoyé par la source"

    report = run(write_json(tmp_path / "v2.json", data))

    structure.refresh_from_db()
    assert (structure.nom, structure.moderation) == ("Nouveau nom envoyé par la source", Moderation.REJECTED)
    assert report.table()[0] == {"kind": "structures", "created": 0, "updated": 1, "unchanged": 1}
    change = Change.objects.filter(object_id=structure.id, kind=Change.Kind.IMPORT).latest("id")
    assert "moderation" not in change.diff
    assert any("restent non publiées" in str(w) or "reste non publiée" in str(w) for w in report.warnings), (
        report.warnings
    )
    assert FULL_STRUCTURE["id"] in " ".join(str(w) for w in report.warnings)
    assert not Structure.objects.published().filter(id=structure.id).exists()


def test_re_importing_an_unchanged_rejected_listing_changes_nothing(tmp_path):
    path = write_json(tmp_path / "offre.json", sample())
    run(path)
    Structure.objects.filter(id=FULL_STRUCTURE["id"]).update(moderation=Moderation.REJECTED)
    before = snapshot()

    report = run(path)

    assert report.table()[0] == {"kind": "structures", "created": 0, "updated": 0, "unchanged": 2}
    assert snapshot() == before


def test_a_created_listing_records_every_value_it_was_given(tmp_path):
    user = make_user()

    run(write_json(tmp_path / "offre.json", sample()), actor=user)

    change = Change.objects.get(object_id=FULL_SERVICE["id"])
    assert (change.kind, change.target, change.actor, change.note) == (
        Change.Kind.IMPORT,
        Change.Target.SERVICE,
        user,
        "import de offre.json",
    )
    assert change.diff["nom"] == [None, FULL_SERVICE["nom"]]
    assert change.diff["zone_eligibilite"] == [None, sorted(FULL_SERVICE["zone_eligibilite"])]  # diffs sort codes
    assert change.diff["thematiques"] == [None, sorted(FULL_SERVICE["thematiques"])]
    assert change.diff["date_maj"] == [None, FULL_SERVICE["date_maj"]]
    assert change.diff["moderation"] == [None, Moderation.PUBLISHED]
    assert all(old is None and new not in (None, "", []) for old, new in change.diff.values())
    structure_change = Change.objects.get(object_id=FULL_STRUCTURE["id"])
    assert structure_change.target == Change.Target.STRUCTURE
    assert structure_change.diff["reseaux_porteurs"] == [None, ["caf", "france-travail"]]


def test_a_service_may_belong_to_a_structure_already_in_relais(tmp_path):
    structure = make_structure(id="partenaire--deja-la")
    data = {"services": [{**FULL_SERVICE, "structure_id": structure.id}]}

    report = run(write_json(tmp_path / "services.json", data))

    assert report.ok
    assert Service.objects.get(id=FULL_SERVICE["id"]).structure == structure


def test_a_dry_run_counts_what_would_change_and_writes_nothing(tmp_path):
    path = write_json(tmp_path / "offre.json", sample())
    before = snapshot()

    report = run(path, dry_run=True)

    assert report.ok and not report.written
    assert report.table()[0]["created"] == 2 and report.table()[1]["created"] == 3
    assert snapshot() == before


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_file_with_one_bad_row_changes_nothing(tmp_path, fmt):
    run(write_json(tmp_path / "first.json", sample()))
    before = snapshot()
    data = sample()
    data["structures"][1]["nom"] = "Un nouveau nom"  # would be an update…
    data["services"][2]["courriel"] = "pas-une-adresse"  # …but this row is wrong

    report = run(WRITERS[fmt](tmp_path, data))

    assert not report.ok and not report.written
    assert snapshot() == before


def test_a_database_refusal_rolls_everything_back_and_is_reported(tmp_path, monkeypatch):
    from django.db import DatabaseError

    from relais.offer import importer

    real_write = importer._BulkWriter.write
    calls = []

    def refuse_the_services(self, records):
        calls.append(len(records))
        if len(calls) == 3:  # structures, their changes, then the services: refused
            raise DatabaseError("disque plein")
        return real_write(self, records)

    monkeypatch.setattr(importer._BulkWriter, "write", refuse_the_services)
    before = snapshot()

    report = run(write_json(tmp_path / "offre.json", sample()))

    assert len(calls) == 3
    assert not report.ok and not report.written
    assert "disque plein" in str(report.errors[0])
    assert snapshot() == before


def test_a_zip_of_the_two_csv_files_is_imported(tmp_path):
    directory = write_csv(tmp_path / "csv", sample())
    archive = tmp_path / "offre.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("structures.csv", "services.csv"):
            zf.write(directory / name, f"export/{name}")

    report = run(archive)

    assert report.ok
    assert Service.objects.count() == 3


def test_a_pair_of_json_files_in_a_directory_is_imported(tmp_path):
    data = sample()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "structures.json").write_text(json.dumps(data["structures"]))
    (tmp_path / "d" / "services.json").write_text(json.dumps(data["services"]))

    report = run(tmp_path / "d")

    assert report.ok, [str(e) for e in report.errors]
    assert (Structure.objects.count(), Service.objects.count()) == (2, 3)


def test_a_single_json_list_mixing_structures_and_services_is_imported(tmp_path):
    data = sample()
    path = tmp_path / "offre.json"
    path.write_text(json.dumps(data["structures"] + data["services"]))

    assert run(path).ok
    assert (Structure.objects.count(), Service.objects.count()) == (2, 3)


def test_unknown_columns_are_ignored_with_a_warning(tmp_path):
    data = sample()
    data["structures"][0]["couleur_preferee"] = "bleu"
    data["services"][0]["relais_languages"] = ["fr"]

    report = run(write_csv(tmp_path / "csv", data))

    assert report.ok
    warnings = " ".join(str(w) for w in report.warnings)
    assert "couleur_preferee" in warnings
    assert "relais_languages" in warnings and "extensions" in warnings
    assert Service.objects.get(id=FULL_SERVICE["id"]).languages == []


def test_relais_fields_are_imported_with_the_extensions_option(tmp_path):
    data = sample()
    data["services"][0].update(
        relais_languages=["fr", "ar"],
        relais_capacity="full",
        relais_full_until="2026-03-01",
        relais_accepts_referrals="non",
        relais_age_min=16,
        relais_age_max=25,
        relais_step_free_access="oui",
    )

    report = run(write_csv(tmp_path / "csv", data), extensions=True)

    assert report.ok, [str(e) for e in report.errors]
    service = Service.objects.get(id=FULL_SERVICE["id"])
    assert service.languages == ["fr", "ar"]
    assert (service.capacity, str(service.full_until)) == ("full", "2026-03-01")
    assert (service.accepts_referrals, service.step_free_access, service.age_min, service.age_max) == (
        False,
        True,
        16,
        25,
    )
    other = Service.objects.get(id="partenaire--service-2")
    assert (other.capacity, other.accepts_referrals, other.languages) == ("accepting", True, [])


def test_without_the_extensions_option_relais_fields_are_left_alone(tmp_path):
    structure = make_structure(id=FULL_STRUCTURE["id"])
    service = make_service(structure=structure, id=FULL_SERVICE["id"], languages=["en"], capacity="full")

    assert run(write_json(tmp_path / "offre.json", sample())).ok

    service.refresh_from_db()
    assert (service.languages, service.capacity) == (["en"], "full")


def test_without_a_commune_referential_codes_are_not_checked(tmp_path):
    from relais.territories.models import Commune

    Commune.objects.all().delete()
    data = sample()
    data["structures"][1]["code_insee"] = "99999"

    assert run(write_json(tmp_path / "offre.json", data)).ok
