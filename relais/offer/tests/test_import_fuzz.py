"""Fuzzing the import with hypothesis: junk in every field never crashes it.

Rows mix valid values, vocabulary values and junk (None, numbers, NaN, huge integers, text with
NUL and control characters, lists, objects) in every field. Each row is either imported or named
in an error by its row number; a file with any error writes nothing. Examples are derandomized so
that the tests are deterministic.
"""

import csv
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from relais.offer.datainclusion import ENUMS, FIELDS, SERVICES, STRUCTURES, row_validator
from relais.offer.importer import import_offer
from relais.offer.models import Change, Service, Structure
from relais.offer.offerfiles import sources_from_paths
from relais.offer.tests.datainclusion_samples import FULL_SERVICE, FULL_STRUCTURE, make_communes
from tests.factories import make_structure

FUZZ = settings(
    max_examples=150, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
FUZZ_FILES = settings(FUZZ, max_examples=60)

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", " ", "\x00", "a\x07b", "2025-13-45", "Mo-Fr 25:99-26:00", "x" * 600, "69383", "france"]),
    st.lists(st.one_of(st.text(max_size=12), st.integers(), st.none()), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def vocabulary(kind, name):
    enum = ENUMS[kind].get(name)
    if enum is None:
        return st.nothing()
    values = st.sampled_from([m.value for m in enum])
    return st.one_of(values, st.lists(values, max_size=3))


def field_values(kind, name, valid):
    choices = [junk, vocabulary(kind, name)]
    if name in valid:
        choices.append(st.just(valid[name]))
    if name in ("id", "structure_id"):
        choices.append(st.sampled_from(["fuzz--1", "fuzz--2", FULL_STRUCTURE["id"]]))
    return st.one_of(*choices)


def rows(kind, valid):
    return st.fixed_dictionaries(
        {}, optional={name: field_values(kind, name, valid) for name in FIELDS[kind]} | {"inconnu": junk}
    )


def mutated(kind, valid):
    """A valid row with one field replaced by junk, or removed: mostly valid rows, some not."""
    names = st.sampled_from(sorted(FIELDS[kind]))

    def replace(name, value, remove):
        row = {key: value for key, value in valid.items() if not (remove and key == name)}
        if not remove:
            row[name] = value
        return row

    return names.flatmap(lambda name: st.builds(replace, st.just(name), field_values(kind, name, valid), st.booleans()))


structure_rows = st.one_of(
    st.builds(dict, st.just(FULL_STRUCTURE)), mutated(STRUCTURES, FULL_STRUCTURE), rows(STRUCTURES, FULL_STRUCTURE)
)
service_rows = st.one_of(
    st.builds(dict, st.just(FULL_SERVICE)), mutated(SERVICES, FULL_SERVICE), rows(SERVICES, FULL_SERVICE)
)


@FUZZ
@given(
    kind_and_row=st.one_of(st.tuples(st.just(STRUCTURES), structure_rows), st.tuples(st.just(SERVICES), service_rows))
)
def test_any_row_is_either_valid_or_gets_messages_naming_its_fields(kind_and_row):
    kind, raw = kind_and_row
    for extensions in (False, True):
        values, errors = row_validator(kind, extensions)(raw)
        event(f"{kind} {'invalid' if values is None else 'valid'}")
        if values is None:
            assert errors
            for error in errors:
                assert error.field in FIELDS[kind] or error.field is None or error.field.startswith("relais_")
                assert error.message and "Input should" not in error.message  # French, not pydantic's English
        else:
            assert errors == []


def snapshot():
    return (
        list(Structure.objects.order_by("id").values_list("id", "nom", "date_maj")),
        list(Service.objects.order_by("id").values_list("id", "nom", "date_maj")),
        Change.objects.count(),
    )


def check_outcome(report, expected_rows: dict, before):
    """Imported entirely, or nothing written and every row error names a row."""
    if report.ok:
        for kind, ids in expected_rows.items():
            model = Structure if kind == STRUCTURES else Service
            assert model.objects.filter(id__in=ids).count() == len(set(ids))
    else:
        assert snapshot() == before
        for issue in report.errors:
            assert str(issue)
            if issue.kind is not None:
                assert issue.row is not None and issue.row >= 1


@pytest.mark.django_db
@FUZZ_FILES
@given(structures=st.lists(structure_rows, max_size=4), services=st.lists(service_rows, max_size=4))
def test_a_json_file_of_junk_rows_is_imported_whole_or_not_at_all(tmp_path_factory, structures, services):
    make_communes()
    for kind_rows, valid in ((structures, FULL_STRUCTURE), (services, FULL_SERVICE)):
        for number, row in enumerate(kind_rows):  # distinct ids, so that valid rows can all go in
            if row.get("id") == valid["id"]:
                row["id"] = f"{valid['id']}-{number}"
    path = tmp_path_factory.mktemp("fuzz") / "offre.json"
    path.write_text(json.dumps({"structures": structures, "services": services}), encoding="utf-8")
    with transaction.atomic():
        if not Structure.objects.filter(id=FULL_STRUCTURE["id"]).exists():
            make_structure(id=FULL_STRUCTURE["id"])  # services may belong to a structure already in Relais
        before = snapshot()
        report = import_offer(sources_from_paths([path]))
        event("imported" if report.ok else "refused")
        check_outcome(
            report,
            {STRUCTURES: [r.get("id") for r in structures], SERVICES: [r.get("id") for r in services]},
            before,
        )
        transaction.set_rollback(True)


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "['caf', 'cmp']", "{a,b}", '"', "a;b", "1,5", "31/12/2024", "2025-01-01", "oui"]),
)


@pytest.mark.django_db
@FUZZ_FILES
@given(
    header=st.lists(st.one_of(st.sampled_from(list(FIELDS[STRUCTURES])), st.text(max_size=8)), max_size=8),
    body=st.lists(st.lists(cells, max_size=9), max_size=4),
)
def test_a_csv_of_junk_cells_never_crashes(tmp_path_factory, header, body):
    make_communes()
    path = tmp_path_factory.mktemp("fuzz") / "structures.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(body)
    with transaction.atomic():
        before = snapshot()
        report = import_offer(sources_from_paths([path]))
        check_outcome(report, {}, before)
        transaction.set_rollback(True)


@pytest.mark.django_db
@FUZZ_FILES
@given(content=st.binary(max_size=200), suffix=st.sampled_from([".json", ".csv", ".xlsx", ".zip"]))
def test_random_bytes_never_crash_any_reader(tmp_path_factory, content, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"offre{suffix}"
    path.write_bytes(content)
    with transaction.atomic():
        before = snapshot()
        report = import_offer(sources_from_paths([path]))
        check_outcome(report, {}, before)
        transaction.set_rollback(True)
