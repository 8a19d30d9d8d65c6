"""Right of access: an authorised agent exports everything held about one person; the export is logged."""

import json

from django.contrib.auth.models import Permission
from django.urls import reverse

from relais.referrals.models import AccessLog, Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_user


def agent():
    user = make_user(email="dpo@example.org")
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return user


def test_an_authorised_agent_exports_every_referral_of_one_person(client, world):
    first = make_referral(world, Status.ACCEPTED)
    second = make_referral(
        world, Status.REFUSED, first_name="AMANDINE", last_name="zephyrin"
    )  # same person, typed otherwise
    make_referral(world, Status.SENT, first_name="Bérénice")
    log_in(client, agent())
    response = client.post(reverse("referrals:right_of_access"), {"last_name": "Zéphyrin", "first_name": "Amandine"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert {item["id"] for item in data["referrals"]} == {str(first.pk), str(second.pk)}
    item = next(i for i in data["referrals"] if i["id"] == str(first.pk))
    assert item["reason"] and item["contact_value"] == "amandine.zephyrin@example.org"
    assert [t["to"] for t in item["transitions"]] == ["sent", "accepted"]
    assert item["answer_links"][0]["sent_to"] == "accueil@recoit.example.org"
    assert any(entry["action"] == "change" for entry in item["access_log"])
    assert "Bérénice" not in response.content.decode()
    assert AccessLog.objects.filter(action="export", user__email="dpo@example.org").count() == 2


def test_the_contact_distinguishes_namesakes(client, world):
    make_referral(world, Status.SENT)
    namesake = make_referral(world, Status.SENT, contact_value="autre@example.org")
    log_in(client, agent())
    response = client.post(
        reverse("referrals:right_of_access"),
        {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "AUTRE@example.org"},
    )
    assert [item["id"] for item in json.loads(response.content)["referrals"]] == [str(namesake.pk)]


def test_nobody_found_says_so(client, world):
    log_in(client, agent())
    response = client.post(reverse("referrals:right_of_access"), {"last_name": "Personne", "first_name": "Aucune"})
    assert response.status_code == 200 and "Aucune orientation" in response.content.decode()


def test_other_accounts_cannot_export(client, world):
    make_referral(world, Status.SENT)
    for user in (world.receiver_admin, world.steering, world.moderator):
        log_in(client, user)
        response = client.post(
            reverse("referrals:right_of_access"), {"last_name": "Zéphyrin", "first_name": "Amandine"}
        )
        assert response.status_code == 403 and "Amandine" not in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()
