"""Screening files hold personal data: stored readable by the app's user only (0600 files, 0700 directories),
and the screen_rights command writes its results and report the same way."""

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from relais.accounts.testing import log_in_verified
from relais.rights import jobs
from relais.rights.models import ScreeningJob
from relais.rights.tests.test_screening_page import GOOD_AND_BAD, URL, screener
from tests.factories import make_commune


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_screening_uploads_results_and_reports_are_stored_0600_in_0700_directories(client, settings, tmp_path, law):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_commune("69383")
    log_in_verified(client, screener())
    client.post(URL, {"fichier": SimpleUploadedFile("m.csv", GOOD_AND_BAD.encode(), content_type="text/csv")})
    job = ScreeningJob.objects.get()
    assert mode(settings.MEDIA_ROOT / job.input_file.name) == 0o600
    assert mode((settings.MEDIA_ROOT / job.input_file.name).parent) == 0o700
    jobs.run_pending()
    job.refresh_from_db()
    assert mode(settings.MEDIA_ROOT / job.results_file.name) == 0o600
    assert mode(settings.MEDIA_ROOT / job.report_file.name) == 0o600


@pytest.mark.django_db
def test_screen_rights_writes_its_results_and_report_0600_even_over_a_readable_file(tmp_path, law):
    make_commune("69383")
    source = tmp_path / "menages.csv"
    source.write_text("menage,mois,commune,logement,personne,role,age\nm1,2026-11,69383,heberge,a,demandeur,40\n")
    out, report = tmp_path / "out.csv", tmp_path / "rapport.txt"
    out.write_text("old")
    out.chmod(0o644)
    call_command("screen_rights", str(source), "--out", str(out), "--report", str(report))
    assert mode(out) == 0o600 and mode(report) == 0o600
