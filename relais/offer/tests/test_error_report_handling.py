"""Error reports reach the right people and no one else; they mark them fixed or rejected; e-mails; access log.

relais/offer/error_reports.py, views/reports.py (`reports`, `report_handle`), the partner structure page and
the moderation queue.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from relais.accounts.models import Membership
from relais.accounts.testing import verified_client
from relais.append_only import AppendOnlyError
from relais.offer import error_reports
from relais.offer.models import Aid, ErrorReport, ErrorReportLog
from tests.factories import (
    make_commune,
    make_member,
    make_moderator,
    make_service,
    make_structure,
    make_territory,
    make_user,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REPORTS = "/offre/signalements/"


@pytest.fixture(autouse=True)
def _world():
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def lyon3():
    return make_commune("69383", "Lyon 3e Arrondissement")


@pytest.fixture
def structure(lyon3):
    return make_structure(nom="Centre social Les Tilleuls", commune_obj=lyon3, courriel="accueil@tilleuls.example")


@pytest.fixture
def service(structure):
    return make_service(structure, nom="Aide aux démarches")


@pytest.fixture
def people(structure, lyon3):
    """Who should see a report on `structure` or its service, and who should not."""
    other_structure = make_structure(nom="Ailleurs", commune_obj=lyon3)
    metz = make_commune("57463", "Metz")
    return {
        "member": make_member(structure, user=make_user(email="membre@tilleuls.example")),
        "admin": make_member(structure, role=Membership.Role.ADMIN, user=make_user(email="admin@tilleuls.example")),
        "pending": make_member(
            structure, status=Membership.Status.PENDING, user=make_user(email="en-attente@example.org")
        ),
        "moderator": make_moderator(
            make_territory("Lyon Centre", communes=[lyon3]), make_user(email="mod@lyon.example")
        ),
        # a territory that lists Lyon itself covers its arrondissements (ADR 0002)
        "city_moderator": make_moderator(
            make_territory("Lyon", communes=[make_commune("69123", "Lyon")]), make_user(email="mod@ville.example")
        ),
        "staff": make_user(email="equipe@relais.example", is_staff=True),
        "other_member": make_member(other_structure, user=make_user(email="membre@ailleurs.example")),
        "other_moderator": make_moderator(make_territory("Metz", communes=[metz]), make_user(email="mod@metz.example")),
        "nobody": make_user(email="personne@example.org"),
    }


SEE = {"member", "admin", "moderator", "city_moderator", "staff"}
DO_NOT_SEE = {"pending", "other_member", "other_moderator", "nobody"}


def report_on(listing, **overrides):
    values = {"kind": "hours", "message": "Fermé le mercredi.", "email": "lea@example.org"}
    values.update(overrides)
    return error_reports.submit(listing, values["kind"], values["message"], values["email"])


# --- routing --------------------------------------------------------------------------------


def test_the_reporter_s_address_is_shown_to_no_member_nor_moderator(service, structure, people):
    """A person reporting an error on their own service is not identified to it: the page says an address
    was left (the answer goes to it by e-mail), never the address."""
    report_on(service, email="lea.reporter@example.org")
    for name in ("member", "moderator"):
        client = verified_client(people[name])
        for url in (REPORTS, reverse("offer:partner_structure", args=[structure.pk]), "/offre/moderation/"):
            page = client.get(url)
            assert "lea.reporter" not in page.content.decode(), (name, url)
    assert "une adresse a été laissée" in verified_client(people["member"]).get(REPORTS).content.decode()


@pytest.mark.parametrize("on", ["service", "structure"])
def test_the_structure_s_members_and_its_moderators_see_a_report_and_no_one_else(on, service, structure, people):
    report = report_on(service if on == "service" else structure)
    for name, user in people.items():
        visible = error_reports.visible_to(user).filter(pk=report.pk).exists()
        assert visible == (name in SEE), name
        response = verified_client(user).get(REPORTS)
        assert response.status_code == 200
        assert (report in response.context["reports"]) == (name in SEE), name


def test_the_partner_structure_page_shows_the_open_reports_of_the_structure_and_its_services(
    service, structure, people, lyon3
):
    on_service = report_on(service, message="Le mercredi est faux.")
    on_structure = report_on(structure, kind="contact", message="Le numéro a changé.")
    elsewhere = report_on(make_structure(nom="Ailleurs 2", commune_obj=lyon3), message="Ailleurs.")
    response = verified_client(people["member"]).get(reverse("offer:partner_structure", args=[structure.pk]))
    html = response.content.decode()
    assert response.context["reports"] == [on_service, on_structure]
    assert "2 erreurs signalées à traiter" in html
    assert "Le mercredi est faux." in html and "Le numéro a changé." in html and "Ailleurs." not in html
    assert "lea@example.org" not in html and "une adresse a été laissée" in html  # the answer goes by e-mail
    assert elsewhere not in response.context["reports"]
    dashboard = verified_client(people["member"]).get(reverse("offer:partner_dashboard")).content.decode()
    assert "2 erreurs signalées à traiter" in dashboard
    assert f"{reverse('offer:partner_structure', args=[structure.pk])}#signalements" in dashboard


def test_a_member_of_another_structure_cannot_see_nor_handle_a_report(service, people):
    report = report_on(service)
    client = verified_client(people["other_member"])
    assert client.get(reverse("offer:partner_structure", args=[service.structure.pk])).status_code == 404
    response = client.post(reverse("offer:report_handle", args=[report.pk]), {"status": "fixed"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.NEW


def test_the_moderation_queue_shows_the_territory_s_reports_only(service, people):
    report = report_on(service, message="Texte du signalement.")
    metz_report = report_on(make_service(make_structure(commune_obj=make_commune("57463", "Metz"))))
    queue = verified_client(people["moderator"]).get(reverse("offer:moderation"))
    assert queue.context["reports"] == [report]
    assert "1 erreur signalée à traiter" in queue.content.decode()
    assert "Texte du signalement." in queue.content.decode()
    other = verified_client(people["other_moderator"]).get(reverse("offer:moderation"))
    assert other.context["reports"] == [metz_report]
    assert "Texte du signalement." not in other.content.decode()
    staff = verified_client(people["staff"]).get(reverse("offer:moderation"))
    assert staff.context["reports"] == [report, metz_report]


def test_a_moderator_of_another_territory_cannot_handle_a_report(service, people):
    report = report_on(service)
    response = verified_client(people["other_moderator"]).post(
        reverse("offer:report_handle", args=[report.pk]), {"status": "rejected"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.NEW


def test_a_report_on_an_aid_goes_to_staff_only(people):
    aid = Aid.objects.create(slug="aide", name="Aide de test", institution="Métropole", summary="Une aide.")
    report = report_on(aid)
    for name, user in people.items():
        assert error_reports.visible_to(user).filter(pk=report.pk).exists() == (name == "staff"), name
    assert [m.to for m in mail.outbox] == []  # sent on commit: see the notification tests


def test_the_reports_page_needs_a_login_and_the_second_factor(service, people):
    report_on(service)
    anonymous = Client().get(REPORTS)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    password_only = Client()
    password_only.force_login(people["member"])
    response = password_only.get(REPORTS)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in (
        reverse("accounts:second_factor_setup"),
        reverse("accounts:second_factor_verify"),
    )


# --- handling -------------------------------------------------------------------------------


def test_a_member_marks_a_report_fixed_with_a_note(service, people, django_capture_on_commit_callbacks):
    report = report_on(service)
    client = verified_client(people["member"])
    back = reverse("offer:partner_structure", args=[service.structure.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("offer:report_handle", args=[report.pk]),
            {"status": "fixed", "note": "Horaires corrigés, merci.", "next": back},
        )
    assert response.status_code == 302 and response["Location"] == back
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.FIXED
    assert report.handled_by == people["member"]
    assert report.handled_at == dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
    assert report.resolution_note == "Horaires corrigés, merci."
    assert report.reporter_email == ""  # erased once handled
    follow = client.get(back).content.decode()
    assert "Signalement sur « Aide aux démarches » marqué corrigé." in follow
    assert report not in client.get(back).context["reports"]
    handled = client.get(REPORTS + "?etat=traites")
    assert handled.context["reports"] == [report]
    assert "Horaires corrigés, merci." in handled.content.decode()


def test_a_moderator_rejects_a_report(service, people):
    report = report_on(service, email="")
    response = verified_client(people["moderator"]).post(
        reverse("offer:report_handle", args=[report.pk]), {"status": "rejected", "note": ""}
    )
    assert response.status_code == 302 and response["Location"] == REPORTS
    report.refresh_from_db()
    assert (report.status, report.handled_by, report.resolution_note) == ("rejected", people["moderator"], "")


def test_a_report_is_handled_once(service, people):
    report = report_on(service)
    verified_client(people["member"]).post(reverse("offer:report_handle", args=[report.pk]), {"status": "fixed"})
    client = verified_client(people["moderator"])
    response = client.post(reverse("offer:report_handle", args=[report.pk]), {"status": "rejected"}, follow=True)
    assert "Ce signalement a déjà été traité." in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("fixed", people["member"])


def test_a_decision_must_be_fixed_or_rejected_and_a_note_at_most_500_characters(service, people):
    report = report_on(service)
    client = verified_client(people["member"])
    url = reverse("offer:report_handle", args=[report.pk])
    for data, message in (
        ({"status": "new"}, "Décision : choisissez corrigé ou rejeté."),
        ({}, "Décision : choisissez corrigé ou rejeté."),
        (
            {"status": "fixed", "note": "x" * 501},
            "Réponse (facultatif) : Réponse : 500 caractères au plus (il y en a 501).",
        ),
        ({"status": "fixed", "note": "a\nb"}, "Réponse (facultatif) : Caractère de contrôle interdit"),
    ):
        html = client.post(url, data, follow=True).content.decode()
        assert message in html, data
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.NEW


def test_an_unsafe_next_address_is_ignored(service, people):
    report = report_on(service)
    response = verified_client(people["member"]).post(
        reverse("offer:report_handle", args=[report.pk]), {"status": "fixed", "next": "https://evil.example/"}
    )
    assert response["Location"] == REPORTS


def test_the_handle_action_refuses_someone_who_may_not(service, people):
    from django.core.exceptions import PermissionDenied

    report = report_on(service)
    with pytest.raises(PermissionDenied):
        error_reports.handle(people["other_moderator"], report, ErrorReport.Status.FIXED)
    with pytest.raises(ValueError):
        error_reports.handle(people["member"], report, ErrorReport.Status.NEW)


# --- notifications --------------------------------------------------------------------------


def test_a_new_report_is_mailed_to_the_contact_the_members_and_the_moderators_one_message_each(
    service, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_on(service, message="Texte privé du signalement.", email="lea@example.org")
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert addresses == sorted(
        [
            "accueil@tilleuls.example",
            "membre@tilleuls.example",
            "admin@tilleuls.example",
            "mod@lyon.example",
            "mod@ville.example",
        ]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
    message = mail.outbox[0]
    assert message.subject == "Relais : erreur signalée sur « Aide aux démarches »"
    assert "Quelqu’un a signalé une erreur sur la fiche « Aide aux démarches » : horaires erronés." in message.body
    assert "http://127.0.0.1:8000/offre/signalements/" in message.body
    assert f"http://127.0.0.1:8000/offre/services/{service.pk}/" in message.body
    # never the text nor the reporter's address: the link asks for a login and the second factor
    assert "Texte privé" not in message.body and "lea@example.org" not in message.body


def test_the_service_s_own_address_is_its_contact(service, people, django_capture_on_commit_callbacks):
    service.courriel = "demarches@tilleuls.example"
    service.save()
    with django_capture_on_commit_callbacks(execute=True):
        report_on(service)
    addresses = {m.to[0] for m in mail.outbox}
    assert "demarches@tilleuls.example" in addresses and "accueil@tilleuls.example" not in addresses


def test_a_report_on_an_aid_is_mailed_to_staff(people, django_capture_on_commit_callbacks):
    aid = Aid.objects.create(slug="aide", name="Aide de test", institution="Métropole", summary="Une aide.")
    with django_capture_on_commit_callbacks(execute=True):
        report_on(aid)
    assert [m.to for m in mail.outbox] == [["equipe@relais.example"]]


def test_the_reporter_gets_the_answer_once_and_their_address_is_erased(
    service, people, django_capture_on_commit_callbacks
):
    report = report_on(service, email="lea@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        error_reports.handle(people["admin"], report, ErrorReport.Status.FIXED, "Les horaires sont à jour.")
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    body = mail.outbox[0].body
    assert "l’erreur que vous avez signalée sur la fiche « Aide aux démarches » est corrigée" in body
    assert "Réponse : Les horaires sont à jour." in body
    assert "Votre adresse vient d’être effacée" in body
    assert ErrorReport.objects.get(pk=report.pk).reporter_email == ""


def test_a_rejected_report_tells_the_reporter_the_fiche_was_not_changed(
    service, people, django_capture_on_commit_callbacks
):
    report = report_on(service, email="lea@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        error_reports.handle(people["moderator"], report, ErrorReport.Status.REJECTED)
    assert "Après vérification, la fiche n’a pas été modifiée." in mail.outbox[0].body
    assert "Réponse :" not in mail.outbox[0].body


def test_no_answer_is_sent_without_an_address(service, people, django_capture_on_commit_callbacks):
    report = report_on(service, email="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        error_reports.handle(people["member"], report, ErrorReport.Status.FIXED, "Merci.")
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_lose_the_report(service, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "relais.offer.tests.test_error_report_handling.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        report = report_on(service)
    assert ErrorReport.objects.filter(pk=report.pk).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise OSError("mail server down")


# --- access log -----------------------------------------------------------------------------


def test_every_report_shown_and_every_decision_is_in_the_append_only_log(service, people):
    first, second = report_on(service), report_on(service.structure)
    member = people["member"]
    verified_client(member).get(reverse("offer:partner_structure", args=[service.structure.pk]))
    verified_client(people["moderator"]).get(reverse("offer:moderation"))
    verified_client(people["moderator"]).get(REPORTS)
    verified_client(people["nobody"]).get(REPORTS)  # sees nothing: nothing logged
    error_reports.handle(member, first, ErrorReport.Status.FIXED)
    rows = list(ErrorReportLog.objects.values_list("report_id", "actor", "action", "detail"))
    assert rows == [
        (first.pk, "membre@tilleuls.example", "view", "partner_structure"),
        (second.pk, "membre@tilleuls.example", "view", "partner_structure"),
        (first.pk, "mod@lyon.example", "view", "moderation"),
        (second.pk, "mod@lyon.example", "view", "moderation"),
        (first.pk, "mod@lyon.example", "view", "reports"),
        (second.pk, "mod@lyon.example", "view", "reports"),
        (first.pk, "membre@tilleuls.example", "fixed", "new → fixed"),
    ]
    with pytest.raises(AppendOnlyError):
        ErrorReportLog.objects.all().delete()


def test_the_reports_page_runs_a_fixed_number_of_queries(service, people, django_assert_max_num_queries):
    client = verified_client(people["moderator"])
    for _ in range(3):
        report_on(service)
    with django_assert_max_num_queries(12) as few:
        client.get(REPORTS)
    for _ in range(10):
        report_on(make_service(service.structure))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REPORTS)
    assert len(response.context["reports"]) == 13
