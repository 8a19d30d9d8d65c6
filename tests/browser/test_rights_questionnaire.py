"""The rights questionnaire in a real browser: the keyboard alone from the first page to the results,
the answers kept by the browser (localStorage) and offered back after a reload, nothing kept in
professional mode, and the professional's summary printing on one A4 page."""

import re

import pytest
from django.contrib.auth.models import Permission

from relais.rights.views.results import ACCESS_TO_RIGHTS
from tests.browser.accessibility import assert_accessible
from tests.factories import make_commune, make_service, make_structure, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "relais-droits-v1"
SLOW = 90000  # ms: the first simulation of a process builds OpenFisca's formulas


@pytest.fixture(scope="session")
def law():
    """The law built once, in this process: the live server's thread shares it."""
    from relais.rights.system import tax_benefit_system

    return tax_benefit_system()


@pytest.fixture
def lyon():
    lyon3 = make_commune("69383")
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    make_service(make_structure(nom="Maison des droits (test)", commune_obj=lyon3), thematiques=[ACCESS_TO_RIGHTS])
    return lyon3


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only, no click)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab on {page.url}")


def next_step(page) -> str:
    tab_to(page, 'button[name="action"][value="suivant"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.locator("h1").inner_text()


def saved(page):
    return page.evaluate(f"() => JSON.parse(window.localStorage.getItem('{KEY}') || 'null')")


def test_a_resident_reaches_the_results_with_the_keyboard_alone(page, lyon, law):
    page.goto("/droits/")
    tab_to(page, "#id_aides_energie")
    page.keyboard.press("Space")
    assert page.locator("#id_aides_energie").is_checked()
    assert next_step(page) == "Commune de résidence"
    tab_to(page, "#id_commune")
    page.keyboard.type("Villeurbanne")
    assert next_step(page).startswith("Composition du foyer")
    tab_to(page, 'input[name="couple"]')
    page.keyboard.press("Space")  # the first answer: « Non, je vis sans conjoint »
    assert next_step(page).startswith("Âges")
    tab_to(page, "#id_vous__age")
    page.keyboard.type("41")
    assert next_step(page) == "Logement"
    tab_to(page, 'input[name="statut"]')
    page.keyboard.press("Space")
    heading = next_step(page)
    while heading != "Vérifier vos réponses":
        if heading.startswith("Revenus d’une année passée"):
            tab_to(page, 'input[name="pareil"]')
            page.keyboard.press("Space")
        elif heading.startswith("Revenus d’activité"):
            tab_to(page, "#id_vous__salaire_net")
            page.keyboard.type("1 300")
        heading = next_step(page)
    assert "Villeurbanne (69266)" in page.locator("main").inner_text()
    tab_to(page, "button.big-button")
    with page.expect_navigation(timeout=SLOW):
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Vos droits estimés"
    main = page.locator("main").inner_text()
    assert "Ceci est une estimation." in main and "OpenFisca-France" in main
    assert "Chèque énergie" in page.content()  # requested: among the aids to claim or the « not now » ones
    assert saved(page)["step"] == "resultats"


def test_the_browser_keeps_the_answers_and_offers_them_back_after_a_reload(page, lyon):
    page.goto("/droits/")
    assert page.locator("#reprendre").is_hidden()  # nothing saved yet
    page.locator("#id_aides_sante").check()
    page.get_by_role("button", name="Continuer avec ces aides").click()
    page.locator("#id_commune").fill("69100")
    page.get_by_role("button", name="Continuer", exact=True).click()
    assert page.locator("h1").inner_text().startswith("Composition du foyer")
    assert saved(page)["step"] == "composition"
    page.goto("/droits/")
    page.reload()
    resume = page.locator("#reprendre")
    assert resume.is_visible()
    resume.get_by_role("button", name="Reprendre mes réponses").click()
    assert page.locator("h1").inner_text().startswith("Composition du foyer")
    answers = page.locator("[data-rights-answers]").first.input_value()
    assert '"commune":"69266"' in answers and '"aides":["sante"]' in answers
    page.goto("/droits/")
    page.get_by_role("button", name="Effacer et recommencer").click()
    assert saved(page) is None and resume.is_hidden()


def test_professional_mode_keeps_nothing_in_the_browser(page, lyon, log_in):
    page.goto("/droits/")
    page.evaluate(f"() => window.localStorage.setItem('{KEY}', JSON.stringify({{answers: '{{}}', step: 'ages'}}))")
    log_in(make_user())
    page.goto("/droits/professionnel/")
    assert "Mode professionnel" in page.locator("main").inner_text()
    assert saved(page) is None  # a resident's saved answers are forgotten on a professional's screen
    page.locator("#id_aides_sante").check()
    page.get_by_role("button", name="Continuer avec ces aides").click()
    assert saved(page) is None


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", content))


def test_the_professional_summary_prints_on_one_a4_page(page, lyon, log_in, law):
    log_in(make_user())
    response = page.goto("/droits/synthese/?exemple=famille", timeout=SLOW)
    assert response.status == 200
    assert "Vos droits : la synthèse" in page.locator("article.summary-sheet").inner_text()
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".no-print").first.is_hidden()
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf_pages(pdf) == 1, f"the summary printed on {pdf_pages(pdf)} pages"


def test_the_screening_page_shows_the_progress_and_then_the_downloads(page, log_in, settings, tmp_path, law):
    from relais.rights import jobs

    settings.MEDIA_ROOT = tmp_path
    make_commune("69383")
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="screen_households"))
    log_in(user)
    page.goto("/droits/depistage/")
    path = tmp_path / "menages.csv"
    path.write_text("menage,commune,role,age,situation,salaire_net\nA,69383,demandeur,45,salarie,900\n", "utf-8")
    page.locator("#id_fichier").set_input_files(str(path))
    page.get_by_role("button", name="Déposer et lancer le dépistage").click()
    assert page.locator("#job-status").inner_text() == "en attente"
    assert jobs.run_pending() == 1  # the worker, here in the test's thread; the page polls and reloads
    page.get_by_role("link", name="Télécharger les résultats (CSV)").wait_for(timeout=SLOW)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les résultats (CSV)").click()
    assert download.value.suggested_filename == "resultats-depistage.csv"


def test_enter_in_a_child_checkbox_continues_and_both_children_stay(page, lyon):
    page.goto("/droits/")
    tab_to(page, "#id_aides_famille")
    page.keyboard.press("Space")
    next_step(page)
    tab_to(page, "#id_commune")
    page.keyboard.type("Villeurbanne")
    assert next_step(page).startswith("Composition du foyer")
    for _ in range(2):
        tab_to(page, 'button[name="ajouter"][value="enfant"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
    tab_to(page, 'button[name="retirer"][value="enfant-1"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        page.locator("#confirmer-retrait").count() == 1 and page.locator('input[name$="garde_alternee"]').count() == 2
    )
    assert_accessible(page)
    tab_to(page, 'input[name="enfant-1__garde_alternee"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Âges")
    assert page.locator("#id_enfant-1__age").count() == 1 and page.locator("#id_enfant-2__age").count() == 1


def test_the_couple_question_is_answered_with_tab_and_enter_alone(page, lyon):
    page.goto("/droits/")
    tab_to(page, "#id_aides_famille")
    page.keyboard.press("Space")
    next_step(page)
    tab_to(page, "#id_commune")
    page.keyboard.type("Villeurbanne")
    next_step(page)
    tab_to(page, 'input[name="couple"]')
    assert page.evaluate("() => document.activeElement.checked")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Âges")


def test_the_warm_up_page_and_the_e_mail_page_pass_axe(page, lyon, law, monkeypatch):
    from relais.rights import warmup

    monkeypatch.setattr(warmup, "_state", {"status": "warming", "started": 0.0, "seconds": None})
    page.goto("/droits/resultats/?exemple=famille")
    assert page.locator("h1").inner_text() == "Le calcul se prépare"
    assert_accessible(page)
    monkeypatch.setattr(warmup, "_state", {"status": "ready", "started": 0.0, "seconds": None})
    page.goto("/droits/resultats/?exemple=famille", timeout=SLOW)
    page.fill("#id_email", "moi@example.org")
    with page.expect_navigation(timeout=SLOW):
        page.click("form.send-form button[type=submit]")
    assert "C’est envoyé" in page.locator("main").inner_text()
    assert_accessible(page)
