"""The questionnaire pages (/droits/, /droits/questions/): steps, corrections, errors, nothing stored.

No simulation runs here (the results page has its own tests): each step is a POST carrying the answers.
"""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.rights import questionnaire as q
from relais.territories import coverage
from relais.territories.models import Commune
from tests.factories import make_commune, make_epci, make_territory, make_user

URL = "/droits/questions/"


def answers_in(response) -> dict:
    found = re.search(r'name="reponses" value="([^"]*)" data-rights-answers', response.content.decode())
    assert found, "no hidden answers field on the page"
    return json.loads(html.unescape(found[1]))


def step_of(response) -> str:
    return re.search(r'name="etape" value="([^"]*)"', response.content.decode())[1]


def error_summary(response) -> list[str]:
    box = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    return (
        [html.unescape(re.sub(r"<[^>]+>", "", li)).strip() for li in re.findall(r"<li>(.*?)</li>", box[0], re.S)]
        if box
        else []
    )


class Flow:
    """A resident going through the steps with the Django test client."""

    def __init__(self, client):
        self.client = client
        self.answers = q.empty()
        self.response = None

    def post(self, step, url=URL, **data):
        payload = {"reponses": q.encode(self.answers), "etape": step, "mode": "resident", **data}
        payload.setdefault("action", "suivant")
        self.response = self.client.post(url, payload)
        assert self.response.status_code in (200, 400), self.response.status_code
        if b"data-rights-answers" in self.response.content:
            self.answers = answers_in(self.response)
        return self.response

    @property
    def step(self):
        return step_of(self.response)


@pytest.fixture
def flow(client, db):
    make_commune("69383")
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    return Flow(client)


def test_the_start_page_offers_every_topic_and_explains_nothing_is_stored(client, db):
    response = client.get("/droits/")
    assert response.status_code == 200
    text = response.content.decode()
    for topic in q.TOPICS:
        assert f'value="{topic.key}"' in text
    assert "Tout vérifier" in text and "restent dans votre navigateur" in text
    assert 'src="/static/rights/questionnaire.js"' in text


def test_choosing_nothing_names_the_question(flow):
    flow.post(q.START)
    assert flow.step == q.START
    assert any("Choisissez au moins une famille" in e for e in error_summary(flow.response))


def test_choosing_one_topic_asks_only_its_groups(flow):
    flow.post(q.START, aides=["sante"])
    assert flow.step == "commune"
    assert flow.answers["aides"] == ["sante"]
    assert "étape 1" in flow.response.content.decode().lower()


def test_the_commune_is_found_by_name_postal_code_or_arrondissement(flow):
    flow.post(q.START, aides=["sante"])
    for typed, code in (("Villeurbanne", "69266"), ("69100", "69266"), ("Lyon 3", "69383"), ("69383", "69383")):
        flow.answers["faites"] = ["aides"]
        flow.post("commune", commune=typed)
        assert flow.step == "composition", typed
        assert flow.answers["menage"]["commune"] == code, typed


def test_the_commune_step_lists_the_covered_communes_without_javascript_and_reads_an_option_back(flow):
    Commune.objects.filter(code__in=["69383", "69266"]).update(epci=make_epci())
    make_territory(epci=make_epci(), communes=Commune.objects.filter(code__in=["69383", "69266"]))
    coverage.reset()
    try:
        flow.post(q.START, aides=["sante"])
        html = flow.response.content.decode()
        assert 'list="communes-couvertes"' in html
        assert '<datalist id="communes-couvertes">' in html
        assert '<option value="Villeurbanne (69266)">69100</option>' in html
        flow.post("commune", commune="Villeurbanne (69266)")
        assert flow.step == "composition"
        assert flow.answers["menage"]["commune"] == "69266"
    finally:
        coverage.reset()


def test_an_unknown_commune_is_named_with_suggestions(flow):
    flow.post(q.START, aides=["sante"])
    flow.post("commune", commune="Villeurbane")
    assert flow.step == "commune"
    [error] = error_summary(flow.response)
    assert "Votre commune" in error and "Villeurbane" in error and "Villeurbanne" in error


def test_a_postal_code_shared_by_several_communes_asks_which_one(flow):
    make_commune("57463", "Metz", postal_codes=["57000", "57050"])
    make_commune("57049", "Le Ban-Saint-Martin", postal_codes=["57050"])
    flow.post(q.START, aides=["sante"])
    flow.post("commune", commune="57050")
    assert flow.step == "commune" and "Plusieurs communes correspondent" in flow.response.content.decode()
    flow.post("commune", commune="57050", commune_choix="57049")
    assert flow.answers["menage"]["commune"] == "57049"
    assert flow.answers["commune_nom"] == "Le Ban-Saint-Martin"


def test_household_members_are_added_and_removed_one_by_one(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="marie", ajouter="enfant")
    assert flow.step == "composition"
    flow.post("composition", couple="marie", ajouter="enfant")
    roles = [p["role"] for p in flow.answers["menage"]["personnes"]]
    assert roles == ["demandeur", "conjoint", "enfant", "enfant"]
    assert flow.answers["menage"]["couple"] == "marie"
    assert "Retirer : Enfant 2" in flow.response.content.decode()
    flow.post("composition", couple="marie", retirer="enfant-1")
    assert len(q.children(flow.answers)) == 2 and "Oui, retirer : Enfant 1" in flow.response.content.decode()
    flow.post("composition", couple="marie", retirer_confirme="enfant-1")
    assert [p["id"] for p in flow.answers["menage"]["personnes"]] == ["vous", "conjoint", "enfant-2"]
    flow.post("composition", couple="seul", **{"enfant-2__garde_alternee": "on"})
    assert flow.step == "ages"
    people = flow.answers["menage"]["personnes"]
    assert [p["id"] for p in people] == ["vous", "enfant-2"] and people[1]["garde_alternee"] is True


def test_validation_errors_name_the_person_and_the_field(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul", ajouter="enfant")
    flow.post("composition", couple="seul")
    flow.post("ages", **{"vous__age": "trente", "enfant-1__age": ""})
    errors = error_summary(flow.response)
    assert flow.step == "ages"
    assert any(e.startswith("Vous – Votre âge, en années") for e in errors), errors
    assert any(e.startswith("Enfant 1 – Âge, en années : Indiquez l’âge ou la date de naissance") for e in errors)
    assert 'aria-invalid="true"' in flow.response.content.decode()


def test_an_engine_rule_across_people_is_shown_on_the_field_at_fault(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul", ajouter="enfant")
    flow.post("composition", couple="seul")
    flow.post("ages", **{"vous__age": "30", "enfant-1__age": "25"})
    assert flow.step == "ages"
    [error] = error_summary(flow.response)
    assert error.startswith("Enfant 1 – Âge, en années : 25 ans pour un enfant dont le parent a 30 ans")


def test_incomes_are_monthly_net_amounts_with_since_and_until(flow):
    flow.answers = q.example("jeune")
    flow.post("revenus_activite", vous__salaire_net="1 234,50", vous__salaire_net_depuis="9/2026")
    assert flow.answers["menage"]["personnes"][0]["revenus"]["salaire_net"] == {"mensuel": 1234.5, "depuis": "2026-09"}
    flow.post("revenus_activite", vous__salaire_net="-3")
    assert flow.step == "revenus_activite"
    assert any("ne peut pas être négatif" in e for e in error_summary(flow.response))
    flow.post("revenus_activite", vous__salaire_net="", vous__salaire_net_jusqu_a="13/2026")
    errors = error_summary(flow.response)
    assert any(e.startswith("Vous – Jusqu’à (mois/année) : « 13/2026 » n’est pas un mois") for e in errors), errors


def test_each_step_explains_why_it_asks(flow):
    flow.answers = q.example("famille")
    for step in q.steps(flow.answers)[1:-1]:
        response = flow.client.get(URL, {"etape": step, "exemple": "famille"})
        assert response.status_code == 200, step
        text = response.content.decode()
        assert "Pourquoi on vous demande ça" in text, step
        assert html.escape(str(q.WHY[step]), quote=False) in text, step


def test_a_step_page_by_get_shows_the_example_answers(client, db):
    response = client.get(URL, {"etape": "loyer", "exemple": "famille"})
    assert response.status_code == 200
    assert 'value="620"' in response.content.decode()
    assert client.get(URL, {"etape": "inconnue"}).status_code == 404


def test_the_previous_button_goes_back_without_validating(flow):
    flow.post(q.START, aides=["sante"])
    flow.post("commune", action="precedent", commune="")
    assert flow.step == q.START


def test_the_recap_lists_every_answer_with_a_modify_button_that_comes_back_to_it(flow):
    flow.answers = q.example("famille")
    flow.post("annee_fiscale", pareil="oui")
    assert flow.step == q.RECAP
    text = flow.response.content.decode()
    for step in q.steps(flow.answers)[:-1]:
        assert f'name="aller" value="{step}"' in text, step
    assert "Lyon 3e Arrondissement (69383)" in text and "620 €" in text and "1\xa0150 € par mois" in text
    flow.post(q.RECAP, aller="loyer")  # the rent is asked on the housing screen
    assert flow.step == "logement" and 'name="retour" value="recapitulatif"' in flow.response.content.decode()
    flow.post("logement", statut="locataire", loyer="700", retour=q.RECAP)
    assert flow.step == q.RECAP
    assert flow.answers["menage"]["logement"]["loyer"] == 700.0


def test_tampered_answers_restart_with_a_message(flow):
    response = flow.client.post(URL, {"reponses": "{pas du json", "etape": "commune"})
    assert response.status_code == 400
    assert "recommencez" in response.content.decode()


def test_the_resident_flow_writes_nothing_and_keeps_no_session(flow):
    with CaptureQueriesContext(connection) as queries:
        flow.client.get("/droits/")
        flow.post(q.START, aides=["logement"])
        flow.post("commune", commune="Villeurbanne")
        flow.post("composition", couple="seul")
        flow.post("ages", vous__age="40")
    writes = [x["sql"] for x in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", x["sql"], re.I)]
    assert not writes, writes
    assert "sessionid" not in flow.client.cookies  # (reading client.session would create one)


def test_the_professional_mode_needs_a_login_and_says_nothing_is_saved(client, db):
    assert client.get("/droits/professionnel/").status_code == 302
    client.force_login(make_user())
    response = client.get("/droits/professionnel/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mode professionnel" in text and 'name="mode" value="pro"' in text


def test_professional_mode_is_ignored_for_anonymous_visitors(flow):
    flow.post(q.START, aides=["sante"], mode="pro")
    assert 'name="mode" value="resident"' in flow.response.content.decode()


def test_the_pages_speak_english_too(client, db):
    response = client.get("/en/droits/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_first_submit_button_of_every_step_continues_and_never_removes_anybody(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul", ajouter="enfant")
    form = re.search(r"<form[^>]*data-rights-form.*?</form>", flow.response.content.decode(), re.S)[0]
    first_submit = re.search(r'<button type="submit"[^>]*>', form)[0]
    assert 'name="action" value="suivant"' in first_submit
    assert "Retirer : Enfant 1" in form


def test_removing_a_person_asks_first_and_keeping_them_changes_nothing(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul", ajouter="enfant")
    flow.post("composition", couple="seul", retirer="enfant-1", **{"enfant-1__garde_alternee": "on"})
    assert "Retirer Enfant 1 du foyer ?" in flow.response.content.decode()
    flow.post("composition", couple="seul", garder="enfant-1", **{"enfant-1__garde_alternee": "on"})
    [child] = q.children(flow.answers)
    assert child["garde_alternee"] is True
    assert "Retirer Enfant 1 du foyer ?" not in flow.response.content.decode()


def test_adding_a_child_keeps_the_couple_answer_so_continuing_needs_nothing_more(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul", isolement_recent="on", ajouter="enfant")
    assert re.search(r'name="couple" value="seul"[^>]*checked', flow.response.content.decode())
    assert flow.answers["menage"]["isolement_recent"] is True
    data = {"couple": "seul", "isolement_recent": "on"}
    flow.post("composition", **data)
    assert flow.step == "ages", error_summary(flow.response)
    assert "couple" not in q.to_household(flow.answers)


def test_adding_a_child_before_answering_the_couple_question_keeps_the_other_answers(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    flow.post("composition", ajouter="enfant")
    flow.post("composition", ajouter="enfant", **{"enfant-1__garde_alternee": "on"})
    assert [c.get("garde_alternee") for c in q.children(flow.answers)] == [True, None]


def test_the_couple_question_has_an_answer_checked_before_anyone_touches_it(flow):
    flow.post(q.START, aides=["famille"])
    flow.post("commune", commune="69383")
    assert flow.step == "composition"
    assert re.search(r'name="couple" value="seul"[^>]*checked', flow.response.content.decode())


def test_the_step_number_only_grows_and_no_total_that_could_shrink_is_shown(flow):
    flow.post(q.START, aides=[q.ALL])
    numbers = []
    for step, data in (
        ("commune", {"commune": "69383"}),
        ("composition", {"couple": "seul"}),
        ("ages", {"vous__age": "30"}),
        ("logement", {"statut": "proprietaire"}),  # the rent step disappears from the path
    ):
        text = flow.response.content.decode()
        numbers.append(int(re.search(r'class="rights-progress">Étape (\d+)</p>', text)[1]))
        assert " sur " not in re.search(r"<title>(.*?)</title>", text, re.S)[1]
        flow.post(step, **data)
    numbers.append(int(re.search(r'class="rights-progress">Étape (\d+)</p>', flow.response.content.decode())[1]))
    assert numbers == sorted(set(numbers)), numbers


def test_an_owner_answering_the_housing_screen_is_not_asked_a_rent_but_a_tenant_is(flow):
    flow.post(q.START, aides=["logement"])
    flow.post("commune", commune="69383")
    flow.post("composition", couple="seul")
    flow.post("ages", vous__age="40")
    assert flow.step == "logement" and 'name="loyer"' in flow.response.content.decode()
    flow.post("logement", statut="locataire")
    assert flow.step == "logement"
    assert any("Indiquez le loyer" in e for e in error_summary(flow.response))
    flow.post("logement", statut="proprietaire")
    assert flow.step != "logement" and "loyer" not in flow.answers["menage"]["logement"]
    assert {"logement", "loyer"} <= set(q.done(flow.answers)) or "loyer" not in q.done(flow.answers)


def test_a_lyon_postal_code_that_is_also_a_village_s_insee_code_gives_the_arrondissement(flow):
    make_commune("69003", "Albigny-sur-Saône", postal_codes=["69250"])  # its code Insee is Lyon 3e's postal code
    flow.post(q.START, aides=["sante"])
    flow.post("commune", commune="69003")
    assert flow.step == "composition"
    assert flow.answers["menage"]["commune"] == "69383"
    assert flow.answers["commune_nom"] == "Lyon 3e Arrondissement"
    assert (
        "« 69003 » est le code postal de Lyon 3e Arrondissement, commune retenue. Vous cherchiez Albigny-sur-Saône "
        "(code commune 69003) ? Revenez à l’étape précédente et écrivez « Albigny-sur-Saône (69003) »."
    ) in html.unescape(flow.response.content.decode())
    flow.answers["faites"] = ["aides"]
    flow.post("commune", commune="Albigny-sur-Saône (69003)")  # the other reading, as written by its link
    assert flow.answers["menage"]["commune"] == "69003"
