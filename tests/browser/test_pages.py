"""Every page, in French and in English: axe-core WCAG 2.1 A/AA, 320 px wide, keyboard skip link.

To check a new page, add one line to PAGES: a name, a function from the small world below to the
page's address, and the account to visit it with (None, or a World attribute: "partner",
"moderator", "staff", or a dotted one such as "referrals.professional"), and the status it answers
if not 200 (a page that refuses a link on purpose).
"""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import pytest
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from relais.accounts import confirmation
from relais.accounts.models import Membership
from relais.offer.models import Aid, Change, Closure
from relais.referrals import dbguard
from relais.rights.models import ScreeningJob
from relais.rights.questions import QUESTION_GROUPS
from tests.browser import referrals_world
from tests.browser.referrals_world import with_unverified_second_factor, without_second_factor
from tests.factories import (
    make_commune,
    make_member,
    make_moderator,
    make_service,
    make_structure,
    make_territory,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class World:
    structure: object
    service: object
    aid: object
    closure: object
    partner: object
    moderator: object
    staff: object
    referrals: object = None  # tests/browser/referrals_world.py


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    as_user: str | None = None
    status: int = 200

    def __str__(self):
        return self.name


def account_link(user, purpose: str) -> list[str]:
    """The uid and token of a link sent by e-mail (relais/accounts/confirmation.py)."""
    tokens = confirmation.confirmation_tokens if purpose == "confirm" else default_token_generator
    return [urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)]


PAGES = [
    Page("accueil", lambda w: reverse("web:home")),
    Page("accessibilite", lambda w: reverse("web:accessibility")),
    Page("a-propos", lambda w: reverse("web:about")),
    Page("connexion", lambda w: reverse("accounts:login")),
    Page("inscription", lambda w: reverse("accounts:signup")),
    Page("courriel-envoye", lambda w: reverse("accounts:email_sent")),
    Page("confirmer-adresse", lambda w: reverse("accounts:email_confirm", args=account_link(w.partner, "confirm"))),
    Page("confirmer-adresse-lien-invalide", lambda w: reverse("accounts:email_confirm", args=["MQ", "1-abc"])),
    Page("confirmer-renvoyer", lambda w: reverse("accounts:email_resend")),
    Page("mot-de-passe-oublie", lambda w: reverse("accounts:password_reset")),
    Page("mot-de-passe-oublie-envoye", lambda w: reverse("accounts:password_reset_done")),
    Page(
        "nouveau-mot-de-passe",
        lambda w: reverse("accounts:password_reset_confirm", args=account_link(w.partner, "reset")),
    ),
    Page(
        "nouveau-mot-de-passe-lien-invalide", lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "1-abc"])
    ),
    Page("nouveau-mot-de-passe-termine", lambda w: reverse("accounts:password_reset_complete")),
    Page("offre", lambda w: reverse("offer:browse")),
    Page("offre-recherche", lambda w: reverse("offer:browse") + "?commune=69383&thematique=logement-hebergement"),
    Page("structure", lambda w: reverse("offer:structure", args=[w.structure.id])),
    Page("service", lambda w: reverse("offer:service", args=[w.service.id])),
    Page("aides", lambda w: reverse("offer:aids")),
    Page("aide", lambda w: reverse("offer:aid", args=[w.aid.slug])),
    Page("partenaire", lambda w: reverse("offer:partner_dashboard"), "partner"),
    Page("partenaire-structure", lambda w: reverse("offer:partner_structure", args=[w.structure.id]), "partner"),
    Page("partenaire-service", lambda w: reverse("offer:partner_service_edit", args=[w.service.id]), "partner"),
    Page(
        "partenaire-structure-modifier",
        lambda w: reverse("offer:partner_structure_edit", args=[w.structure.id]),
        "partner",
    ),
    Page(
        "partenaire-service-nouveau",
        lambda w: reverse("offer:partner_service_create", args=[w.structure.id]),
        "partner",
    ),
    Page("partenaire-fermetures", lambda w: reverse("offer:partner_closures", args=[w.structure.id]), "partner"),
    Page("partenaire-rejoindre", lambda w: reverse("offer:partner_join"), "partner"),
    Page("partenaire-proposer", lambda w: reverse("offer:partner_propose"), "partner"),
    Page("historique", lambda w: reverse("offer:structure_history", args=[w.structure.id]), "partner"),
    Page("historique-service", lambda w: reverse("offer:service_history", args=[w.service.id]), "partner"),
    Page("moderation", lambda w: reverse("offer:moderation"), "moderator"),
    Page("import-export", lambda w: reverse("offer:import"), "staff"),
    Page("orientation-nouvelle", lambda w: reverse("referrals:new", args=[w.service.id]), "partner"),
    Page("orientations-envoyees", lambda w: reverse("referrals:sent"), "partner"),
    Page("orientations-recues", lambda w: reverse("referrals:inbox"), "partner"),
    Page(
        "orientation-detail",
        lambda w: reverse("referrals:detail", args=[w.referrals.sent.pk]),
        "referrals.professional",
    ),
    Page(
        "orientation-accord",
        lambda w: reverse("referrals:confirm", args=[w.referrals.draft.pk]),
        "referrals.professional",
    ),
    Page("orientation-lien", lambda w: reverse("referrals:link", args=[w.referrals.answer_token])),
    Page("orientation-lien-reponse-enregistree", lambda w: reverse("referrals:link_done") + "?reponse=acceptee"),
    Page(
        "orientation-lien-deja-utilise", lambda w: reverse("referrals:link", args=[w.referrals.used_token]), status=410
    ),
    Page("orientation-lien-expire", lambda w: reverse("referrals:link", args=[w.referrals.expired_token]), status=410),
    Page("orientation-nouveau-lien-envoye", lambda w: reverse("referrals:link_renewed")),
    Page("orientation-suivi-personne", lambda w: reverse("referrals:person_status", args=[w.referrals.person_token])),
    Page("orientations-pilotage", lambda w: reverse("referrals:statistics"), "referrals.steering"),
    Page("orientations-droit-d-acces", lambda w: reverse("referrals:right_of_access"), "referrals.agent"),
    Page(
        "double-authentification-activer",
        lambda w: without_second_factor(w.referrals.newcomer, reverse("accounts:second_factor_setup")),
        "referrals.newcomer",
    ),
    Page(
        "double-authentification-code",
        lambda w: with_unverified_second_factor(w.referrals.returning, reverse("accounts:second_factor_verify")),
        "referrals.returning",
    ),
    Page("double-authentification-gerer", lambda w: reverse("accounts:second_factor_setup"), "referrals.professional"),
    # The backup codes page answers a POST only (codes shown once): relais/accounts/tests/test_browser_second_factor.py
    Page("orientation", lambda w: reverse("matching:search")),
    Page("orientation-resultats", lambda w: reverse("matching:search") + "?lieu=69383&besoins=logement&age=30"),
    Page("orientation-erreurs", lambda w: reverse("matching:search") + "?lieu=Lyonn&besoins=zzz&age=12&situations=rsa"),
    Page(
        "orientation-fiche",
        lambda w: reverse("matching:fiche") + f"?lieu=69383&besoins=logement&selection={w.service.id}",
    ),
    Page("trouver-de-l-aide", lambda w: reverse("matching:resident")),
    Page("trouver-de-l-aide-lieu", lambda w: reverse("matching:resident") + "?besoin=logement"),
    Page("trouver-de-l-aide-lieux", lambda w: reverse("matching:resident") + "?besoin=logement&lieu=69383"),
    Page("trouver-de-l-aide-erreur", lambda w: reverse("matching:resident") + "?besoin=logement&lieu=Lyonn"),
    Page("orientation-code-postal", lambda w: reverse("matching:search") + "?lieu=69003&besoins=logement"),
    Page("orientation-hors-territoire", lambda w: reverse("matching:search") + "?lieu=Marseille&besoins=logement"),
    Page(
        "trouver-de-l-aide-adresse",
        lambda w: reverse("matching:resident") + "?besoin=logement&lieu=12+rue+Paul+Bert+69003+Lyon",
    ),
    Page(
        "trouver-de-l-aide-hors-territoire", lambda w: reverse("matching:resident") + "?besoin=logement&lieu=Marseille"
    ),
    Page("trouver-de-l-aide-besoin-vide", lambda w: reverse("matching:resident") + "?mots="),
    Page("trouver-de-l-aide-aucun-lieu", lambda w: reverse("matching:resident") + "?mots=passer+le+permis&lieu=69383"),
    Page(
        "orientation-aucun-resultat",
        lambda w: (
            reverse("matching:search") + "?lieu=69383&besoins=logement&ouvert=maintenant&gratuit=on&plain_pied=on"
        ),
    ),
    Page("partager-recherche", lambda w: reverse("sharing:recherche") + "?lieu=69383&besoins=logement&age=30"),
    Page("partager-trouver-de-l-aide", lambda w: reverse("sharing:trouver") + "?besoin=logement&lieu=69383"),
    Page(
        "partager-fiche", lambda w: reverse("sharing:fiche") + f"?lieu=69383&besoins=logement&selection={w.service.id}"
    ),
    Page("partager-service", lambda w: reverse("sharing:service", args=[w.service.id])),
    Page("droits", lambda w: reverse("rights:start")),
    *[
        Page(f"droits-{step}", lambda w, step=step: reverse("rights:questions") + f"?etape={step}&exemple=famille")
        for step in (*QUESTION_GROUPS, "recapitulatif")
    ],
    Page("droits-resultats", lambda w: reverse("rights:results") + "?exemple=famille"),
    Page("droits-professionnel", lambda w: reverse("rights:professional"), "partner"),
    Page("droits-synthese", lambda w: reverse("rights:summary") + "?exemple=famille", "partner"),
    Page("depistage", lambda w: reverse("rights:screening"), "staff"),
    Page("observatoire", lambda w: reverse("observatory:home")),
    Page("observatoire-indicateur", lambda w: reverse("observatory:indicator", args=["taux_pauvrete"])),
    Page(
        "observatoire-indicateur-commune",
        lambda w: reverse("observatory:indicator", args=["population"]) + "?territoire=commune:69383",
    ),
    Page("observatoire-portrait", lambda w: reverse("observatory:portrait", args=["commune", "69383"])),
    Page("observatoire-signaux", lambda w: reverse("observatory:signals"), "referrals.steering"),
    Page("observatoire-import", lambda w: reverse("observatory:import"), "referrals.steering"),
    Page("depistage-suivi", lambda w: reverse("rights:screening_job", args=[w.staff.screening_jobs.get().id]), "staff"),
]
LANGUAGES = ["fr", "en"]


@functools.cache
def warm_rights():
    """The rights results pages simulate: build the law and run it once, before the first page asks."""
    from relais.rights.warmup import warm_up

    warm_up()


@pytest.fixture
def world():
    """A small offer: one structure with a service, a closure, an aid; a partner with a pending
    request to review; a moderator with a new structure and a change to review."""
    lyon3 = make_commune("69383")
    structure = make_structure(nom="Centre social Les Tilleuls", commune_obj=lyon3)
    service = make_service(
        structure,
        nom="Aide à la recherche d’un logement",
        languages=["fr", "ar"],
        step_free_access=True,
        capacity="waiting_list",
        age_min=18,
    )
    make_service(structure, nom="Atelier numérique", thematiques=["numerique--acceder-a-une-connexion-internet"])
    today = timezone.localdate()
    closure = Closure.objects.create(
        structure=structure, starts_on=today, ends_on=today + dt.timedelta(days=3), message="Fermé pour travaux."
    )
    aid = Aid.objects.create(
        slug="aide-de-test",
        name="Aide de test",
        institution="CCAS de Lyon",
        summary="Une aide inventée pour les tests.",
        thematiques=["logement-hebergement--reduire-les-impayes-de-loyer"],
        publics=["tous-publics"],
    )
    aid.claim_services.add(service)
    partner = make_member(structure, role=Membership.Role.ADMIN)
    make_member(structure, status=Membership.Status.PENDING)
    moderator = make_moderator(make_territory("Lyon Centre", communes=[lyon3]))
    make_structure(nom="Nouvelle structure à valider", moderation="pending", commune_obj=lyon3)
    Membership.objects.create(  # a request to be the first admin of a structure with no member
        user=make_user(email="premiere@maison.example.org"),
        structure=make_structure(nom="Maison sans membre", commune_obj=lyon3, courriel="accueil@maison.example.org"),
        role=Membership.Role.ADMIN,
        status=Membership.Status.PENDING,
    )
    Change.objects.create(
        structure=structure,
        service=service,
        object_id=service.id,
        kind=Change.Kind.UPDATE,
        diff={"nom": ["Ancien nom", service.nom]},
        actor=partner,
        code_insee=structure.code_insee,
    )
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="screen_households"))  # rights screening pages
    ScreeningJob.objects.create(owner=staff, status="running", done=2, total=4, expires_at=timezone.now())
    warm_rights()
    world = World(structure, service, aid, closure, partner, moderator, staff)
    world.referrals = referrals_world.build(lyon3)
    yield world
    dbguard.erase_for_tests(connection)  # the referral pages wrote to the access log, which refuses the flush


@pytest.fixture
def visit(page, world, log_in):
    """visit(Page, language): open the page as its user; the answer must be a 200 with no CSP error."""

    def _visit(target: Page, language: str):
        if target.as_user:
            log_in(attrgetter(target.as_user)(world))
        with translation.override(language):
            url = target.url(world)
        response = page.goto(url)
        assert response is not None and response.status == target.status, (
            f"{url} answered {response and response.status}"
        )
        assert page.locator("html").get_attribute("lang") == language
        assert not page.csp_errors, f"{url}: Content-Security-Policy violations: {page.csp_errors}"
        return page

    return _visit


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("target", PAGES, ids=str)
def test_page_passes_axe_wcag_21_a_and_aa(visit, assert_accessible, target, language):
    assert_accessible(visit(target, language))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("target", PAGES, ids=str)
def test_page_fits_320_px_without_horizontal_scrolling(visit, page, target, language):
    page.set_viewport_size({"width": 320, "height": 640})
    visit(target, language)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"{page.url} is {scroll_width} px wide at 320 px: {widest_elements(page)}"


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(visit, page, target):
    visit(target, "fr")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"], f"first Tab focused {focused} on {page.url}"
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0, "skip link visible on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def widest_elements(page) -> list[str]:
    """The elements sticking out at the right, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                 ' right=' + Math.round(e.getBoundingClientRect().right))"""
    )
