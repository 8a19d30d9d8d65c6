"""The staff import page in a real browser: a file with errors, then a valid one, each report checked
with axe-core (WCAG 2.1 A/AA), at 320 px wide and without Content-Security-Policy errors."""

import pytest

from relais.offer.models import Service, Structure
from relais.offer.tests.datainclusion_samples import make_communes, sample, write_json
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_320_px(page) -> int:
    page.set_viewport_size({"width": 320, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return width


def upload(page, path, *, dry_run: bool):
    page.goto("/offre/import/")
    page.get_by_label("Fichiers").set_input_files(str(path))
    box = page.get_by_label("Simulation : vérifier le fichier et compter sans rien enregistrer")
    if dry_run:
        box.check()
    else:
        box.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier ou importer").click()


def test_the_import_report_of_a_bad_then_a_good_file_is_accessible_and_fits_320_px(
    page, log_in, assert_accessible, tmp_path
):
    make_communes()
    log_in(make_user(is_staff=True))
    bad = sample()
    bad["services"][1]["courriel"] = "accueil-at-" + "tres-long-" * 12 + "example.org"
    bad["services"][2]["zone_eligibilite"] = ["99999", "200000000"]
    bad["structures"][0]["id"] = "partenaire--" + "identifiant-sans-espace-" * 6
    bad["structures"][1]["code_insee"] = "69003"

    upload(page, write_json(tmp_path / "offre-avec-erreurs.json", bad), dry_run=True)

    assert page.get_by_role("heading", name="Résultat de la simulation").is_visible()
    alert = page.get_by_role("alert").filter(has_text="rien n’a été enregistré")
    assert alert.is_visible()
    issues = page.locator(".import-issues li").all_inner_texts()
    assert any("élément 2, courriel" in issue for issue in issues), issues
    assert any("zone_eligibilite : code commune « 99999 » inconnu" in issue for issue in issues), issues
    assert any("c’est un code postal" in issue for issue in issues), issues
    assert_accessible(page)
    assert page.csp_errors == []
    assert fits_320_px(page) <= 320
    assert Structure.objects.count() == 0

    upload(page, write_json(tmp_path / "offre.json", sample()), dry_run=False)

    assert page.get_by_role("heading", name="Résultat de l’import").is_visible()
    table = page.get_by_role("table", name="Ce que l’import a fait")
    assert table.get_by_role("row", name="services").inner_text().split() == ["services", "3", "0", "0"]
    assert_accessible(page)
    assert page.csp_errors == []
    assert fits_320_px(page) <= 320
    assert (Structure.objects.count(), Service.objects.count()) == (2, 3)
