"""The screening worker and purge: `run_screening_jobs` and `purge_screening_jobs` (relais/rights/jobs.py)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.rights import jobs
from relais.rights.models import ScreeningJob, ScreeningLog
from tests.factories import make_commune, make_user

CSV = "menage,commune,role,age,situation,salaire_net\nA,69383,demandeur,45,salarie,900\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def new_job(content=CSV, **fields):
    job = jobs.create_job(make_user(), content.encode())
    if fields:
        ScreeningJob.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def test_the_worker_runs_pending_jobs_once_and_reports_progress(db, law, capsys):
    make_commune("69383")
    job = new_job()
    call_command("run_screening_jobs", "--once")
    assert "1 screening job(s) run." in capsys.readouterr().out
    job.refresh_from_db()
    assert job.status == "done" and (job.done, job.total, job.simulated) == (1, 1, 1)
    assert job.results_file and job.report_file and not job.input_file
    assert job.expires_at == job.finished_at + jobs.retention()
    call_command("run_screening_jobs", "--once")
    assert "0 screening job(s) run." in capsys.readouterr().out


def test_a_job_is_claimed_by_one_worker_only(db):
    job = new_job()
    first, second = jobs.claim_next(), jobs.claim_next()
    assert first.pk == job.pk and first.status == "running" and second is None


def test_a_file_without_the_required_columns_fails_the_job_with_the_reason(db):
    job = new_job("nom,prenom\nDupont,Léa\n")
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == "failed" and "colonnes obligatoires absentes" in job.error
    assert not job.input_file  # deleted even when the job fails
    assert ScreeningLog.objects.filter(job_id=job.id, action="fail").exists()


def test_a_job_whose_worker_died_is_failed_by_the_next_pass(db):
    stale = timezone.now() - ScreeningJob.STALLED_AFTER - dt.timedelta(minutes=1)
    job = new_job(status="running", heartbeat_at=stale)
    fresh = new_job(status="running", heartbeat_at=timezone.now())
    assert jobs.fail_stalled() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == "failed" and "interrompu" in job.error and not job.input_file
    assert fresh.status == "running" and fresh.input_file


def test_purge_is_a_dry_run_unless_told_and_deletes_only_expired_files(db, media, capsys):
    past = timezone.now() - dt.timedelta(minutes=1)
    expired = new_job(status="done", expires_at=past)
    kept = new_job(status="done")
    running = new_job(status="running", expires_at=past)
    name = expired.input_file.name
    call_command("purge_screening_jobs")
    assert "[dry run] 1 file(s) of 1 expired screening job(s) would be deleted." in capsys.readouterr().out
    assert (media / name).exists()
    call_command("purge_screening_jobs", "--wet-run")
    assert "1 file(s) of 1 expired screening job(s) deleted." in capsys.readouterr().out
    expired.refresh_from_db()
    kept.refresh_from_db()
    running.refresh_from_db()
    assert not (media / name).exists() and expired.status == "deleted" and not expired.input_file
    assert kept.input_file and running.input_file  # not expired; a running job is never purged
    purge = ScreeningLog.objects.get(action="purge")
    assert purge.job_id == expired.id and purge.actor == "tâche planifiée"


def test_the_worker_refuses_a_non_positive_interval(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--interval"):
        call_command("run_screening_jobs", "--interval", "0")


def test_progress_is_written_to_the_job_row_at_most_twice_a_second_and_at_the_end(db):
    job = new_job(status="running")
    progress = jobs._Progress(job, offset=2)  # two households skipped for broken rows before the run
    progress(3, 10)
    job.refresh_from_db()
    assert (job.done, job.total) == (5, 12) and job.heartbeat_at is not None
    progress(4, 10)  # within PROGRESS_EVERY of the previous write: not written
    job.refresh_from_db()
    assert job.done == 5
    progress(10, 10)  # the end is always written
    job.refresh_from_db()
    assert (job.done, job.total) == (12, 12)
    assert job.progress()["pourcentage"] == 100


def test_a_job_reports_progress_in_about_twenty_steps(db, monkeypatch):
    from relais.rights import screening

    seen = {}

    def screen(text, *, chunk=None, on_progress=None, **kwargs):
        seen["chunk"] = chunk
        return [], screening.Report()

    monkeypatch.setattr(screening, "screen", screen)
    rows = ["menage,commune,role,age"] + [f"m{i},69383,demandeur,40" for i in range(10_000)]
    job = new_job()
    jobs._screen("\n".join(rows) + "\n", job)
    assert seen["chunk"] == 500  # 10,000 households in 20 chunks
    jobs._screen("\n".join(rows[:11]) + "\n", job)
    assert seen["chunk"] == 250  # small files: chunks never smaller than 250


def test_the_screening_log_is_append_only(db):
    from relais.append_only import AppendOnlyError

    job = new_job()
    entry = ScreeningLog.record(job, ScreeningLog.Action.UPLOAD)
    entry.detail = "changed"
    for attempt in (entry.save, entry.delete, ScreeningLog.objects.all().delete):
        with pytest.raises(AppendOnlyError):
            attempt()
    with pytest.raises(AppendOnlyError):
        ScreeningLog.objects.filter(pk=entry.pk).update(detail="changed")
    assert ScreeningLog.objects.get(pk=entry.pk).detail == ""


def test_a_ccas_file_may_name_communes_by_name_postal_code_or_address_and_the_report_says_how(db):
    from relais.rights.screening import Report, read_communes, read_households

    make_commune("69388", "Lyon 8e Arrondissement", postal_codes=["69008"])
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    text = (
        "menage,commune,role,age\n"
        "A,Lyon 8e,demandeur,40\n"
        "B,69100,demandeur,40\n"
        "C,12 rue Paul Cazeneuve 69008 Lyon,demandeur,40\n"
        "D,69388,demandeur,40\n"
        "E,Atlantide,demandeur,40\n"
    )
    households, errors = read_households(text)
    report = Report()
    read_communes(households, errors, report)
    kept = {k: h["commune"] for k, h in households if k not in errors}
    assert kept == {"A": "69388", "B": "69266", "C": "69388", "D": "69388"}
    assert "ligne 6, colonne commune" in errors["E"] and "Atlantide" in errors["E"]
    lines = {line.split(" : ")[0]: line for line in report.places}
    assert lines["ligne 2"] == "ligne 2 : Lyon 8e Arrondissement (69388), lu comme nom « Lyon 8e »"
    assert "lu comme code postal 69100" in lines["ligne 3"]
    assert "lu comme adresse (code postal 69008)" in lines["ligne 4"] and "Cazeneuve" not in lines["ligne 4"]
    assert "lu comme code Insee" in lines["ligne 5"]
    assert "Communes lues :" in report.lines()


def test_the_worker_started_by_make_run_builds_the_law_before_the_first_job(db, monkeypatch, capsys):
    from django.core.management import call_command

    from relais.rights import warmup

    built = []
    monkeypatch.setattr(warmup, "warm_up", lambda months=None: built.append(1) or 0.5)
    call_command("run_screening_jobs", "--once")
    assert built == []
    call_command("run_screening_jobs", "--once", "--warm-up")
    assert built == [1] and "warmed up in 0.5 s" in capsys.readouterr().out


def test_a_finished_job_tells_the_ccas_per_commune_how_many_households_and_how_much_is_probably_unclaimed(
    db, law, media
):
    from relais.rights.jobs import run

    make_commune("69383")
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    text = (
        "menage,commune,logement,loyer,role,age,situation\n"
        "A,Lyon 3,locataire,400,demandeur,40,chomeur\n"
        "B,Villeurbanne,locataire,400,demandeur,40,chomeur\n"
        "C,69100,locataire,400,demandeur,40,chomeur\n"
    )
    job = run(new_job(text))
    table = job.communes_table()
    rsa = {r["commune"]: r for r in table if r["prestation"] == "rsa"}
    assert rsa["69383"]["menages"] == "1" and rsa["69266"]["menages"] == "2"
    assert float(rsa["69266"]["montant_mensuel_total"]) == pytest.approx(
        2 * float(rsa["69383"]["montant_mensuel_total"])
    )
    assert all(set(r) == {"commune", "prestation", "menages", "montant_mensuel_total"} for r in table)  # no household
    job.delete_files()
    assert job.communes_table() == []
