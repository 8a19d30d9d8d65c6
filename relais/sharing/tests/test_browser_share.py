"""Sharing in a real browser: the block and the sharing page pass axe-core (WCAG 2.1 A/AA) and fit 320 px;
« Copier le lien » copies the page's link and says so; a keyboard alone sends the e-mail; without JavaScript
the link stays a plain link and the copy button stays hidden."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from relais import sms
from relais.matching import runtime

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = "/trouver-de-l-aide/?besoin=manger&lieu=69383&age=19"


@pytest.fixture
def world(offer, settings):
    runtime.reset()  # the index is built from this test's database
    settings.RELAIS_SMS_BACKEND = "relais.sms.LocmemBackend"  # SMS on: the whole block shows
    sms.outbox.clear()
    yield offer
    sms.outbox.clear()
    runtime.reset()


def test_the_block_on_the_results_passes_axe_and_copy_link_copies_the_link(context, page, world, assert_accessible):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(RESULTS)
    block = page.locator("section.share")
    expect(block.get_by_role("heading", name="Partager")).to_be_visible()
    expect(block.get_by_role("link", name="Envoyer par SMS")).to_be_visible()
    assert_accessible(page)
    link = page.locator("#share-link-field").input_value()
    assert link.endswith("/trouver-de-l-aide/?besoin=manger&lieu=Lyon+3e+Arrondissement+%2869383%29")  # no age
    block.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("#share-copied")).to_have_text("Lien copié.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(page)


def test_the_sharing_page_passes_axe_at_320_px_and_a_keyboard_sends_the_e_mail(page, world, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(RESULTS)
    page.locator("section.share").get_by_role("link", name="Envoyer par e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partager : Des lieux qui peuvent aider")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    field = page.get_by_label("Adresse e-mail du destinataire")
    field.focus()
    field.type("ami@")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("Adresse e-mail du destinataire")
    assert_accessible(page)  # the page with its error summary
    assert mail.outbox == []
    field = page.get_by_label("Adresse e-mail du destinataire")
    field.fill("ami@example.org")
    field.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [["ami@example.org"]]
    page.get_by_role("link", name="Revenir aux résultats").click()
    expect(page.locator("#resultats-titre")).to_be_visible()


def test_the_sms_form_on_the_sharing_page_passes_axe_in_english(page, world, assert_accessible):
    page.goto(f"/en/partager/service/{world.grocery.pk}/#par-sms")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.locator("#id_telephone").fill("04 72 00 00 00")
    page.locator("#par-sms").get_by_role("button").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    assert sms.outbox == []


def test_without_javascript_the_link_is_plain_and_the_copy_button_stays_hidden(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(f"/offre/services/{world.grocery.pk}/")
        block = page.locator("section.share")
        copy = block.locator("button[data-copy]")
        assert copy.count() == 1 and not copy.is_visible()  # shown by share.js only
        print_button = block.locator("button[data-print]")
        assert print_button.count() == 1 and not print_button.is_visible()  # shown by print.js only
        assert block.locator("a.share-link").get_attribute("href").endswith(f"/offre/services/{world.grocery.pk}/")
        assert block.locator("#share-link-field").input_value() == block.locator("a.share-link").get_attribute("href")
    finally:
        context.close()
