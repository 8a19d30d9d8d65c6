"""Missed rights from batch screenings: a finished job leaves aggregates per commune and benefit, nothing else."""

import pytest
from django.core.management import call_command

from relais.observatory.models import MissedRightsMonth
from relais.rights import jobs
from tests.factories import make_commune, make_user

CSV = (
    "menage,commune,role,age,situation,salaire_net\n"
    "A,69383,demandeur,45,salarie,900\n"
    "B,69383,demandeur,38,chomeur,0\n"
    "C,Lyon 3e,demandeur,52,salarie,700\n"
)


@pytest.fixture
def law():
    from relais.rights.system import tax_benefit_system

    return tax_benefit_system()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_finished_screening_job_adds_missed_rights_per_commune_and_benefit_without_any_household(db, law):
    make_commune("69383", "Lyon 3e Arrondissement", postal_codes=["69003"])
    job = jobs.create_job(make_user(), CSV.encode())

    call_command("run_screening_jobs", "--once")

    job.refresh_from_db()
    assert job.simulated == 3, job.error
    rows = list(MissedRightsMonth.objects.all())
    assert rows, "no aggregate recorded"
    assert {row.commune_code for row in rows} == {"69383"}  # « Lyon 3e » read as the same arrondissement
    assert all(row.screened == 3 for row in rows)  # the three households of the commune, for each benefit
    assert all(0 < row.missed <= 3 for row in rows)
    fields = {field.name for field in MissedRightsMonth._meta.get_fields()}
    assert not fields & {"menage", "household", "personne", "person"}


def test_two_jobs_of_the_same_month_add_up(db, law):
    make_commune("69383", "Lyon 3e Arrondissement", postal_codes=["69003"])
    for _ in range(2):
        jobs.create_job(make_user(), CSV.encode())
        call_command("run_screening_jobs", "--once")

    assert all(row.screened == 6 for row in MissedRightsMonth.objects.all())
