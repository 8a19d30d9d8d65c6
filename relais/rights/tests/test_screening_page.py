"""The batch screening upload page (/droits/depistage/): permission, second factor, upload, progress,
results, report of skipped rows, deletion; every access logged."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.accounts.testing import log_in_verified
from relais.rights import jobs, screening
from relais.rights.models import ScreeningJob, ScreeningLog
from relais.rights.views.screening import COLUMNS
from tests.factories import make_commune, make_user

URL = "/droits/depistage/"
GOOD_AND_BAD = (
    "menage;mois;commune;logement;loyer;personne;role;age;situation;salaire_net\n"
    "M1;2026-11;69383;locataire;500;lea;demandeur;30;salarie;1100\n"
    "M1;;;;;noe;enfant;4;;\n"
    "M2;2026-11;69383;locataire;450;sam;demandeur;abc;chomeur;\n"
    "M3;2026-11;69383;locataire;450;tom;enfant;8;;\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def screener(**overrides):
    user = make_user(**overrides)
    user.user_permissions.add(Permission.objects.get(codename="screen_households"))
    return user


@pytest.fixture
def staff(client, db):
    user = screener()
    log_in_verified(client, user)
    return user


def upload(client, content: bytes, name="menages.csv"):
    return client.post(URL, {"fichier": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_an_account_without_the_permission_is_refused(client, db):
    log_in_verified(client, make_user())
    assert client.get(URL).status_code == 403


def test_the_permission_alone_is_not_enough_without_a_second_factor(client, db):
    client.force_login(screener())
    response = client.get(URL)
    assert response.status_code == 302 and "/comptes/double-authentification/" in response["Location"]


def test_the_page_documents_the_format_with_a_downloadable_template(client, staff):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    for name, _help, _example in COLUMNS:
        assert f"<code>{name}</code>" in text
    template = client.get(URL + "modele.csv")
    assert template["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(template.content.decode())))
    assert [c for c, _h, _e in COLUMNS] == list(rows[0].keys())
    households, errors = screening.read_households(template.content.decode())
    assert not errors and len(households) == 2  # the template itself is a valid file


def test_the_documented_columns_are_those_screening_reads():
    documented = {c for c, _h, _e in COLUMNS}
    read = {"menage", *screening.HOUSEHOLD_COLUMNS, *screening.PERSON_COLUMNS, *screening.INCOME_COLUMNS}
    assert documented == read


@pytest.mark.parametrize(
    "content, message",
    [
        ("menage;role\nM1;demandeur\n".encode("utf-16"), "UTF-8"),
        (
            b"menage;role\nM1;demandeur\n",
            "Colonnes obligatoires absentes de la première ligne : commune",
        ),
        (b"menage;commune;role;couleur\nM1;69383;demandeur;bleu\n", "Colonnes inconnues : couleur"),
        (b"menage;commune;role\n", "aucune ligne"),
    ],
    ids=["not-utf8", "missing-column", "unknown-column", "no-rows"],
)
def test_a_file_that_cannot_be_screened_is_refused_with_the_reason(client, staff, content, message):
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_an_upload_creates_a_pending_job_under_a_random_name_and_logs_it(client, staff, media):
    response = upload(client, GOOD_AND_BAD.encode(), name="ccas-dupont.csv")
    job = ScreeningJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/depistage/{job.id}/")
    assert job.owner == staff and job.status == ScreeningJob.Status.PENDING
    assert "dupont" not in job.input_file.name and job.input_file.name.startswith("screening/")
    assert (media / job.input_file.name).read_bytes() == GOOD_AND_BAD.encode()
    log = ScreeningLog.objects.get()
    assert (log.action, log.actor, log.job_id) == ("upload", staff.email, job.id)
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="job-progress"' in page and "En attente de traitement." in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "rights/screening.js" in page


def test_the_progress_endpoint_answers_counts_without_personal_data(client, staff):
    upload(client, GOOD_AND_BAD.encode())
    job = ScreeningJob.objects.get()
    ScreeningJob.objects.filter(pk=job.pk).update(status="running", done=1, total=4)
    data = client.get(f"{URL}{job.id}/progression.json").json()
    assert data == {
        "statut": "running", "libelle": "en cours", "traites": 1, "total": 4, "pourcentage": 25, "restant_secondes": None,
        "simules": 0, "ignores": 0, "termine": False, "erreur": "",
    }  # fmt: skip


def test_another_account_cannot_see_someone_elses_job(client, staff):
    upload(client, GOOD_AND_BAD.encode())
    job = ScreeningJob.objects.get()
    log_in_verified(client, screener())
    for suffix in ("", "progression.json", "resultats.csv", "rapport.txt"):
        assert client.get(f"{URL}{job.id}/{suffix}").status_code == 404, suffix
    assert client.post(f"{URL}{job.id}/supprimer/").status_code == 404


def test_a_job_run_gives_results_and_a_report_of_the_skipped_rows(client, staff, media, law):
    make_commune("69383")
    upload(client, GOOD_AND_BAD.encode())
    job = ScreeningJob.objects.get()
    input_name = job.input_file.name
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == ScreeningJob.Status.DONE and (job.simulated, job.skipped) == (1, 2)
    assert not job.input_file and not (media / input_name).exists()  # the upload is gone once screened
    page = client.get(f"{URL}{job.id}/").content.decode()
    assert "Télécharger les résultats (CSV)" in page and "1 ménage(s) simulé(s), 2 ignoré(s)." in page
    results = client.get(f"{URL}{job.id}/resultats.csv")
    rows = {r["menage"]: r for r in csv.DictReader(io.StringIO(b"".join(results.streaming_content).decode()))}
    assert rows["M1"]["statut"] == "ok" and float(rows["M1"]["prime_activite"]) > 0
    assert rows["M2"]["statut"] == "ignore" and "ligne 4, colonne age" in rows["M2"]["erreur"]
    report = b"".join(client.get(f"{URL}{job.id}/rapport.txt").streaming_content).decode()
    assert "ménage M2 ignoré : ligne 4, colonne age : « abc » n’est pas un nombre." in report
    assert "ménage M3 ignoré : ligne 5" in report and "un enfant sans parent" in report
    actions = list(ScreeningLog.objects.order_by("at").values_list("action", "actor"))
    assert actions == [
        ("upload", staff.email), ("run", "tâche planifiée"), ("download_results", staff.email),
        ("download_report", staff.email),
    ]  # fmt: skip
    job.refresh_from_db()
    assert job.expires_at <= job.finished_at + ScreeningJob.AFTER_DOWNLOAD + jobs.retention()
    assert (job.expires_at - job.finished_at) < jobs.retention()  # brought closer by the download


def test_the_owner_deletes_the_files_at_once(client, staff, media):
    upload(client, GOOD_AND_BAD.encode())
    job = ScreeningJob.objects.get()
    name = job.input_file.name
    response = client.post(f"{URL}{job.id}/supprimer/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ScreeningJob.Status.DELETED and not job.input_file and not (media / name).exists()
    assert ScreeningLog.objects.filter(action="delete", actor=staff.email).exists()
    assert "Les fichiers de ce dépistage ont été supprimés." in client.get(f"{URL}{job.id}/").content.decode()
    assert client.get(f"{URL}{job.id}/resultats.csv").status_code == 404


def test_a_pending_job_names_the_worker_command_to_administrators_only(client, db):
    social_worker = screener()
    log_in_verified(client, social_worker)
    job = jobs.create_job(social_worker, b"menage,commune,role\nA,69383,demandeur\n")
    page = client.get(f"{URL}{job.id}/").content.decode()
    assert "prévenez l’équipe technique" in page and "run_screening_jobs" not in page
    admin = screener(is_staff=True)
    job.owner = admin
    job.save()
    client.logout()
    log_in_verified(client, admin)
    assert "run_screening_jobs" in client.get(f"{URL}{job.id}/").content.decode()


def test_a_running_job_shows_the_time_left_from_its_pace(client, staff):
    import datetime as dt

    from django.utils import timezone

    job = jobs.create_job(staff, b"menage,commune,role\nA,69383,demandeur\n")
    ScreeningJob.objects.filter(pk=job.pk).update(
        status=ScreeningJob.Status.RUNNING, started_at=timezone.now() - dt.timedelta(seconds=10), done=100, total=500
    )
    job.refresh_from_db()
    assert 38 <= job.seconds_left <= 42
    assert job.progress()["restant_secondes"] == job.seconds_left
    assert "Fin estimée dans environ" in client.get(f"{URL}{job.id}/").content.decode()


def test_the_job_page_shows_the_per_commune_table_and_offers_it_as_csv(client, staff, law):
    make_commune("69383")
    job = jobs.create_job(staff, b"menage,commune,logement,role,age,situation\nA,Lyon 3,heberge,demandeur,40,chomeur\n")
    jobs.run(job)
    page = client.get(f"{URL}{job.id}/").content.decode()
    assert "Droits probablement non demandés, par commune" in page
    assert "Lyon 3e Arrondissement" in page and "Revenu de solidarité active" in page
    response = client.get(f"{URL}{job.id}/communes.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("commune,prestation,menages,montant_mensuel_total")
