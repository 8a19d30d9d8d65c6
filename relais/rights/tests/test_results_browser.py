"""The results page in a real browser at 320 px: it leads with what to claim, the total and the next
step, and the explanations, documents and refusals unfold on demand (<details>, no JavaScript)."""

import pytest

from relais.rights import questionnaire as q
from relais.rights.views.results import ACCESS_TO_RIGHTS
from tests.factories import make_commune, make_service, make_structure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 90000  # ms: the first simulation of a process builds OpenFisca's formulas
# Measured on 2026-12-07 (docs/performance.md): 8 972 px before the page led with what matters and
# folded the explanations into <details>, 5 195 px after (site header and footer included).
MAX_HEIGHT_320 = 5500

SINGLE_PARENT = {
    "commune": "69383",
    "logement": {"statut": "locataire", "loyer": 620.0},
    "personnes": [
        {"id": "vous", "role": "demandeur", "date_naissance": "1990-04-15", "situation": "salarie",
         "revenus": {"salaire_net": 1150.0}},
        {"id": "enfant-1", "role": "enfant", "age": 7, "scolarite": "primaire"},
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def law():
    from relais.rights.system import tax_benefit_system

    return tax_benefit_system()


@pytest.fixture
def lyon():
    lyon3 = make_commune("69383")
    make_service(make_structure(nom="Maison des droits (test)", commune_obj=lyon3), thematiques=[ACCESS_TO_RIGHTS])
    return lyon3


def answers_for(menage: dict) -> str:
    answers = {**q.empty(), "aides": [q.ALL], "commune_nom": "Lyon 3e Arrondissement", "menage": menage}
    q.mark_all_answered(answers)
    return q.encode(answers)


def open_results(page, menage: dict) -> None:
    """Post the answers to the results page as the questionnaire's last step does."""
    page.goto("/droits/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    with page.expect_navigation(timeout=SLOW):
        page.evaluate(
            """([token, answers]) => {
                const form = document.createElement("form");
                form.method = "post"; form.action = "/droits/resultats/";
                for (const [name, value] of [["csrfmiddlewaretoken", token], ["reponses", answers],
                                             ["etape", "resultats"], ["mode", "resident"]]) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value; form.append(input);
                }
                document.body.append(form); form.submit();
            }""",
            [token, answers_for(menage)],
        )


def test_the_results_of_a_single_parent_fit_a_bounded_height_at_320_px(page, lyon, law, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    open_results(page, SINGLE_PARENT)
    assert page.locator("h1").inner_text() == "Vos droits estimés"
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"results page height at 320 px: {height} px")
    assert height <= MAX_HEIGHT_320
    first = page.locator("#par-ou-commencer")
    assert first.is_visible()
    assert "par mois" in first.inner_text()
    # The explanations unfold on demand, without JavaScript: <details> closed at first.
    details = page.locator(".right-item details").first
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert_accessible(page)


def test_the_alsace_moselle_question_is_answered_with_the_keyboard(page, law, assert_accessible):
    make_commune("57463", "Metz")
    open_results(
        page,
        {
            "commune": "57463",
            "logement": {"statut": "heberge"},
            "personnes": [{"id": "vous", "role": "demandeur", "age": 75, "situation": "retraite"}],
        },
    )
    assert page.locator("text=Relevez-vous du régime local d’Alsace-Moselle").is_visible()
    assert_accessible(page)
    page.locator('input[name="regime_alsace_moselle"][value="non"]').focus()
    page.keyboard.press("Space")
    with page.expect_navigation(timeout=SLOW):
        page.locator("form.regime-local button[type=submit]").press("Enter")
    assert page.locator('input[name="regime_alsace_moselle"][value="non"]').is_checked()
    assert "participation de 30 € par mois" in page.locator("main").inner_text()
