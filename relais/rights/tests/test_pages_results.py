"""The results page (/droits/resultats/) and the professional's summary (/droits/synthese/, .pdf).

Simulations are real (OpenFisca) and slow: each test that simulates does it once.
"""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.offer.models import Aid
from relais.rights import questionnaire as q
from relais.rights.views.professional import summary_pdf_document
from relais.rights.views.results import ACCESS_TO_RIGHTS, present
from tests.factories import make_commune, make_service, make_structure, make_user

URL = "/droits/resultats/"


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def section(text: str, title: str) -> str:
    """The text of a results section, from its heading to the next h2."""
    start = text.index(f">{title}</h2>")
    end = text.find("<h2", start)
    return text[start : end if end > 0 else None]


@pytest.fixture
def lyon(db):
    lyon3 = make_commune("69383")
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    helper = make_service(
        make_structure(nom="Maison des droits (test)", commune_obj=lyon3),
        nom="Permanence d’accès aux droits",
        thematiques=[ACCESS_TO_RIGHTS],
    )
    return helper


def famille_with_family_allowance_received():
    answers = q.example("famille")
    answers["menage"]["prestations_percues"] = {"allocations_familiales": 150.0}
    return answers


def test_results_group_the_aids_say_they_are_an_estimate_and_store_nothing(client, lyon, law):
    answers = famille_with_family_allowance_received()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"reponses": q.encode(answers), "mode": "resident"})
    assert response.status_code == 200
    text = text_of(response)
    claim, received, check = (
        section(text, t) for t in ("Vous pouvez demander", "Vous recevez déjà", "À vérifier avec un professionnel")
    )
    # A single parent with 1 150 € of pay: the prime d'activité and a housing aid are to claim;
    # the family allowance declared as received is listed as such; the ASF needs the CAF's check.
    assert "Prime d’activité" in claim and "Allocation de logement" in claim
    assert "Allocations familiales" in received and "Allocations familiales" not in claim
    assert "Allocation de soutien familial (ASF)" in check
    assert re.search(r"Estimation : <strong>\d[\d\s,]* € par mois</strong>", claim)
    assert "Ceci est une estimation." in text and "OpenFisca-France 176.1.8" in text
    assert "législation au 20" in text
    assert "Comment la demander" in claim and "Faire la demande en ligne" in claim
    assert "Permanence d’accès aux droits" in section(text, "Qui peut vous aider à faire vos demandes")
    writes = [x["sql"] for x in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", x["sql"], re.I)]
    assert not writes, writes
    assert "sessionid" not in client.cookies


def test_results_show_only_the_requested_aids_with_the_local_ones_and_where_to_claim(client, lyon, law):
    demo_aid = Aid.objects.create(
        slug="rsj-de-test",
        rights_aid="lyon-revenu-solidarite-jeunes",  # the link to the rights catalogue's aid
        name="Revenu solidarité jeunes (démo)",
        institution="Métropole de Lyon",
        summary="Aide inventée pour le test.",
    )
    demo_aid.claim_services.add(lyon)
    response = client.get(URL, {"exemple": "jeune"})  # 22, job seeker, minima + housing + local aids
    assert response.status_code == 200
    text = text_of(response)
    assert "Revenu solidarité jeunes (RSJ)" in text
    assert "Allocations familiales" not in text and "Bourse de collège" not in text
    rsj = text[text.index("Revenu solidarité jeunes (RSJ)") :]
    rsj = rsj[: rsj.index("</li>", rsj.index("Où la demander près de chez vous"))]
    assert "Permanence d’accès aux droits" in rsj  # the offer's service where to claim it


def test_an_unknown_commune_sends_back_to_the_commune_step_with_the_message(client, db):
    answers = q.example("jeune")
    answers["menage"]["commune"] = "99999"
    response = client.post(URL, {"reponses": q.encode(answers), "mode": "resident"})
    assert response.status_code == 200
    text = text_of(response)
    assert 'name="etape" value="commune"' in text
    assert "« 99999 » n’est pas un code Insee connu" in text


def test_results_of_unfinished_answers_continue_the_questionnaire(client, db):
    answers = q.example("jeune")
    answers["faites"] = ["aides", "commune"]
    response = client.post(URL, {"reponses": q.encode(answers), "mode": "resident"})
    assert 'name="etape" value="composition"' in response.content.decode()


def test_the_professional_summary_prints_the_first_name_typed_and_nothing_else_personal(client, lyon, law):
    assert client.post("/droits/synthese/", {"reponses": q.encode(q.example("famille"))}).status_code == 302
    client.force_login(make_user())
    answers = q.example("famille")
    response = client.post("/droits/synthese/", {"reponses": q.encode(answers), "mode": "pro", "prenom": "Awa"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Les droits de Awa" in text and "À demander" in text and "Estimation, pas une décision." in text
    sheet = text[text.index('<article class="summary-sheet"') : text.index("</article>")]
    assert "Awa" in sheet and "1 150" not in sheet and "1990" not in sheet  # no income, no birth date printed
    assert 'media="print"' in text and "summary-print.css" in text
    pdf = summary_pdf_document(response.context[0].flatten(), compress=False)
    assert pdf.pages == 1
    download = client.post("/droits/synthese.pdf", {"reponses": q.encode(answers), "mode": "pro", "prenom": "Awa"})
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF") and "no-store" in download["Cache-Control"]


def test_present_sorts_items_into_the_four_groups():
    result = {
        "prestations": [
            {"code": "rsa", "nom": "RSA", "eligible": True, "a_verifier": False, "montant": 300.0,
             "periodicite": "mensuelle", "periode": "2026-11", "demarche": {"organisme": "CAF", "url": "u"}},
            {"code": "aah", "nom": "AAH", "eligible": True, "a_verifier": True, "montant": 900.0,
             "periodicite": "mensuelle", "periode": "2026-11", "demarche": {}},
            {"code": "allocations_familiales", "nom": "AF", "eligible": True, "a_verifier": False, "montant": 150.0,
             "periodicite": "mensuelle", "deja_percu": True, "montant_declare": 148.0, "demarche": {}},
            {"code": "cheque_energie", "nom": "Chèque", "eligible": False, "a_verifier": False, "montant": 0.0,
             "periodicite": "annuelle", "periode": "2026", "demarche": {}, "explication": "RFR trop haut"},
            {"code": "apl", "nom": "APL", "eligible": True, "a_verifier": False, "montant": 500.0,
             "periodicite": "mensuelle", "demarche": {}},
        ],
        "aides_locales": [
            {"id": "a", "nom": "Aide A", "eligible": True, "statut": "eligible", "montant": 420.0,
             "periodicite": "mensuelle", "a_verifier_avec_un_professionnel": True, "incertain": True, "note": "n"},
            {"id": "b", "nom": "Aide B", "eligible": False, "statut": "a_examiner", "montant": None,
             "avantage": "Carte", "periodicite": "annuelle"},
            {"id": "c", "nom": "Aide C", "eligible": True, "statut": "eligible", "montant": None,
             "avantage": "Abonnement gratuit", "periodicite": "mensuelle"},
        ],
        "estimation": "Estimation indicative.",
        "legislation": {"version": "176.1.8"},
    }  # fmt: skip
    shown = present(result, codes=["rsa", "aah", "allocations_familiales", "cheque_energie", "a", "b", "c"])
    assert [s.code for s in shown.can_claim] == ["rsa", "c"]  # APL not requested; the largest first
    assert [s.code for s in shown.received] == ["allocations_familiales"]
    assert shown.received[0].amount == "148 € par mois"  # the declared amount
    assert {s.code for s in shown.to_check} == {"aah", "a", "b"}
    assert [s.code for s in shown.not_now] == ["cheque_energie"]
    # One definition of the total (relais.rights.totals): every monthly amount due among the aids shown,
    # « to check » ones included (AAH 900, aid A 420) and said apart; not what is already received.
    assert shown.total_monthly == 300.0 + 900.0 + 420.0 and shown.total_to_check == 900.0 + 420.0
    assert shown.estimation == "Estimation indicative."
    assert next(s for s in shown.can_claim if s.code == "c").amount == "Abonnement gratuit"
    assert present(result).can_claim[0].code == "apl"  # no codes: everything
