"""Every URL of the project, pages and API: personal data and access decisions wait for the second factor.

The test walks Django's URL resolver (the ninja API routes included) and sorts every URL name into one
of two declared lists:

- PERSONAL: views that show personal data (people's names, e-mails, referrals, households, who changed
  what) or grant access to it (membership and first-admin decisions). An account with a role, logged in
  but without a verified second factor, must be sent to the second-factor step (pages) or get a JSON
  401/403 (API), before anything else happens.
- FREE: views that show no personal data, each with the reason. Nothing is asserted about them here.

A URL in neither list fails the test: a new page cannot forget to say where it stands.
"""

import json
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from relais.accounts.models import Membership
from tests.factories import make_commune, make_moderator, make_structure, make_territory, make_user

# name -> HTTP method used to reach it (the one that shows or decides)
PERSONAL = {
    # the partner space: members, pending requests (names, e-mails), decisions on them, change histories
    "offer:partner_dashboard": "get",
    "offer:partner_join": "get",
    "offer:partner_join_structure": "post",
    "offer:partner_propose": "get",
    "offer:partner_structure": "get",
    "offer:partner_structure_edit": "get",
    "offer:partner_structure_verify": "post",
    "offer:partner_service_create": "get",
    "offer:partner_closures": "get",
    "offer:partner_closure_delete": "post",
    "offer:partner_service_edit": "get",
    "offer:partner_service_verify": "post",
    "offer:partner_membership_decide": "post",
    "offer:structure_history": "get",
    "offer:service_history": "get",
    # moderation: proposers and first-admin claimants (names, e-mails), decisions that grant access
    "offer:moderation": "get",
    "offer:moderate_structure": "post",
    "offer:moderate_change": "post",
    "offer:moderate_claim": "post",
    # error reports: the reporter's address (until handled) and their free text; the decision answers them
    "offer:reports": "get",
    "offer:report_handle": "post",
    # staff import and export of the offer (it writes every listing; its history names people)
    "offer:import": "get",
    "offer:export": "get",
    # referrals: the person's data
    "referrals:new": "get",
    "referrals:sent": "get",
    "referrals:inbox": "get",
    "referrals:right_of_access": "get",
    "referrals:detail": "get",
    "referrals:confirm": "get",
    "referrals:answer": "post",
    "referrals:outcome": "post",
    "referrals:cancel": "post",
    "referrals:attachment": "get",
    # rights screening: files of households
    "rights:screening": "get",
    "rights:screening_template": "get",
    "rights:screening_job": "get",
    "rights:screening_progress": "get",
    "rights:screening_results": "get",
    "rights:screening_report": "get",
    "rights:screening_communes": "get",
    "rights:screening_delete": "post",
    # the referrals API
    "api:list_referrals": "get",
    "api:create_referral": "post",
    "api:referral_statistics": "get",
    "api:retrieve_referral": "get",
    "api:answer_referral": "post",
    "api:record_outcome": "post",
    "api:cancel_referral": "post",
    # the plan team's pages: pilots (names, e-mails), the authors of every change, campaigns' answers
    "steering:my_actions": "get",
    "steering:dashboard": "get",
    "steering:indicators": "get",
    "steering:history": "get",
    "steering:territory": "get",
    "steering:action": "get",
    "steering:action_update": "post",
    "steering:action_history": "get",
    "steering:step_toggle": "post",
    "steering:note_publish": "post",
    "steering:declination": "get",
    "steering:campaigns": "get",
    "steering:campaign": "get",
    "steering:files": "get",
    "steering:import": "post",
    "steering:point_d_etape": "get",
}

FREE = {
    "matching:communes": "commune names that start like the text typed (public referential)",
    "matching:search_old": "the search's former address, redirected to it",
    "rights:send": "sends a person's own results to the address they type; nothing is stored",
    "sharing:recherche": "shares a search over the public offer to the one address typed; nothing is stored",
    "sharing:trouver": "shares a residents' search over the public offer to the address typed; nothing is stored",
    "sharing:fiche": "shares the selected public services (no first name) to the address typed; nothing is stored",
    "sharing:service": "shares a public listing to the address typed; nothing is stored",
    "observatory:home": "public statistics (Insee) and the list of indicators",
    "observatory:indicator": "public statistics of one indicator: maps, tables, series",
    "observatory:indicator_csv": "public statistics of one indicator, as CSV",
    "observatory:indicator_svg": "the map or chart of public statistics, as SVG",
    "observatory:portrait": "a territory's public statistics and counts above the secrecy threshold",
    "observatory:portrait_csv": "the same portrait as CSV",
    "observatory:portrait_pdf": "the same portrait as PDF",
    "observatory:signals": "anonymous aggregates (searches, referrals, coverage), steering staff only",
    "observatory:signals_csv": "the same anonymous aggregates as CSV",
    "observatory:import": "uploads files of statistics per commune; holds no person",
    "api:indicators": "the catalogue of public indicators",
    "api:values": "public statistics by territory and vintage",
    "api:portrait": "a territory's public figures",
    "steering:public_plans": "the published plans",
    "steering:public_plan": "a published plan: published texts, pilots' published names and functions only",
    "steering:public_action": "a published action: the same",
    "steering:service_actions": "the published actions a service of the offer carries",
    "steering:export": "open data of a published plan: no personal data beyond published pilot names",
    "web:home": "the home page: no account data",
    "web:accessibility": "the accessibility statement",
    "web:about": "about the project",
    "set_language": "stores a language choice",
    "matching:search": "the orientation search over the public offer; the query is not stored with a person",
    "matching:fiche": "the selected public services; the person's first name is only in the PDF's POST, never stored",
    "matching:fiche_pdf": "the same fiche as a PDF: what the user typed in this request, nothing held by Relais",
    "matching:resident": "the residents' search over the public offer",
    "offer:browse": "the public offer",
    "offer:structure": "a public listing",
    "offer:service": "a public listing",
    "offer:aids": "the public list of aids",
    "offer:aid": "a public aid",
    "offer:report": "the public « signaler une erreur » form: writes a report, shows none",
    "offer:report_sent": "« report sent »: names the public fiche only",
    "rights:start": "the anonymous rights questionnaire",
    "rights:questions": "the anonymous questionnaire: answers live in the visitor's own session",
    "rights:results": "the visitor's own answers, in their session",
    "rights:professional": "the professional's start page: no household yet",
    "rights:summary": "the household the professional is typing, in their session: nothing held by Relais",
    "rights:summary_pdf": "the same summary as a PDF, from the request itself",
    "referrals:statistics": "anonymous figures only (steering); their own permission check",
    "referrals:link_renewed": "« a new link was sent »: nothing of any referral",
    "referrals:link_done": "« answer recorded »: nothing of any referral",
    "referrals:link": "no account: the signed, expiring single-referral token decides (docs/adr/0007)",
    "referrals:link_renew": "no account: the signed token decides; sends a new link to the listed address",
    "referrals:link_attachment": "no account: the signed token decides",
    "referrals:person_status": "the person's own follow-up by their signed token; no name shown",
    "accounts:login": "the login step itself",
    "accounts:logout": "logging out",
    "accounts:signup": "creating an account",
    "accounts:email_sent": "says a confirmation link was sent; names nobody",
    "accounts:email_confirm": "confirming one's own address with a signed link",
    "accounts:email_resend": "asks for a new confirmation link; the same answer for any address",
    "accounts:password_reset": "asks for a reset link; the same answer for any address",
    "accounts:password_reset_done": "says a reset link was sent, if the account exists",
    "accounts:password_reset_confirm": "setting a new password with a single-use signed link",
    "accounts:password_reset_complete": "says the password changed",
    "accounts:second_factor_setup": "the second-factor step itself",
    "accounts:second_factor_verify": "the second-factor step itself",
    "accounts:second_factor_backup_codes": "the second-factor step itself (its own session checks)",
    "accounts:second_factor_reset": "the second-factor step itself (its own session checks)",
    "accounts:session_status": "the session's remaining time",
    "accounts:session_extend": "extends the session",
    "accounts:oidc_login": "single sign-on: the identity provider's step",
    "accounts:oidc_callback": "single sign-on: the identity provider's step",
    "api:api-root": "the API's index",
    "api:openapi-json": "the API's description",
    "api:openapi-view": "the API's documentation page",
    "api:list_structures": "the public offer",
    "api:retrieve_structure": "the public offer",
    "api:list_services": "the public offer",
    "api:retrieve_service": "the public offer",
    "api:view": "the vocabularies of the offer (data·inclusion)",
    "api:simulate": "an anonymous simulation of the household in the request; nothing stored",
    "api:search_services": "search over the public offer",
}
ADMIN_NAMESPACE = "admin"  # every admin page goes through relais.accounts.admin_site (second factor): sampled below

SAMPLE = {
    "OfferIdConverter": "test--inconnu",
    "IntConverter": "1",
    "UUIDConverter": str(uuid.UUID(int=1)),
    "StringConverter": "jeton",
    "SlugConverter": "aide",
    "PathConverter": "x",
    "ReportTargetConverter": "services",
}


def walk(patterns, namespace="", prefix=""):
    """(full name, route, converters) of every URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner or namespace, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), dict(pattern.pattern.converters)


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def url_of(name, converters):
    kwargs = {key: SAMPLE[type(converter).__name__] for key, converter in converters.items()}
    return reverse(name, kwargs=kwargs or None)


def test_every_url_of_the_project_is_declared_personal_or_free_with_a_reason():
    names = {name for name, _route, _conv in all_patterns() if not (name or "").startswith(ADMIN_NAMESPACE + ":")}
    assert None not in names, "every URL pattern needs a name, to be declared here"
    undeclared = names - set(PERSONAL) - set(FREE)
    assert not undeclared, f"declare these URLs in PERSONAL or FREE (with a reason): {sorted(undeclared)}"
    assert not set(PERSONAL) & set(FREE)
    assert not (set(PERSONAL) | set(FREE)) - names, "declared URLs that no longer exist"
    assert all(reason.strip() for reason in FREE.values())


@pytest.fixture
def every_role(db):
    """An account with every role, logged in with a password only (no verified second factor)."""
    commune = make_commune()
    user = make_user(email="tous-les-roles@example.org", is_staff=True)
    structure = make_structure(code_insee=commune.code)
    Membership.objects.create(
        user=user, structure=structure, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    )
    make_moderator(make_territory(communes=[commune]), user=user)
    user.groups.add(Group.objects.get(name="pilotage"))
    for codename in ("export_personal_data", "run_screening"):
        permission = Permission.objects.filter(codename=codename).first()
        if permission is not None:
            user.user_permissions.add(permission)
    return user


def patterns_of(names):
    found = {}
    for name, route, converters in all_patterns():
        if name in names:
            found.setdefault(name, (route, converters))
    return sorted(found.items())


@pytest.mark.parametrize(("name", "found"), patterns_of(PERSONAL), ids=lambda value: str(value)[:60])
def test_personal_data_waits_for_the_second_factor_on_every_declared_url(client, every_role, name, found):
    _route, converters = found
    client.force_login(every_role)
    url = url_of(name, converters)
    method = PERSONAL[name]
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(
            url,
            json.dumps({}) if name.startswith("api:") else {},
            content_type=("application/json" if name.startswith("api:") else "application/x-www-form-urlencoded"),
        )
    if name.startswith("api:"):
        assert response.status_code in (401, 403), f"{name}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json")
    else:
        second_factor = (reverse("accounts:second_factor_setup"), reverse("accounts:second_factor_verify"))
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].split("?")[0] in second_factor, f"{name}: {response['Location']}"


def test_the_admin_waits_for_the_second_factor_too(client, every_role):
    client.force_login(every_role)
    for url in (reverse("admin:index"), reverse("admin:accounts_membership_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor_setup"))
