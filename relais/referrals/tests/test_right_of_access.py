"""Right of access: an authorised agent exports everything held about one person, never a namesake's; logged."""

import io
import json
import zipfile

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from relais.referrals.models import AccessLog, Referral, Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_user

URL = "/orientations/droit-d-acces/"


def agent():
    user = make_user(email="dpo@example.org")
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return user


def unzip(response) -> tuple[dict, dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"] and ".zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("donnees.json")), files


def test_the_url_is_the_one_documented():
    assert reverse("referrals:right_of_access") == URL


def test_name_and_contact_export_every_referral_of_that_person_with_the_attachment_itself(client, world):
    first = make_referral(world, Status.ACCEPTED)
    second = make_referral(world, Status.REFUSED, first_name="AMANDINE", last_name="zephyrin")  # typed otherwise
    make_referral(world, Status.SENT, first_name="Bérénice")
    name = default_storage.save("referrals/test/avis.pdf", ContentFile(b"%PDF-1.4 avis"))
    Referral.objects.filter(pk=first.pk).update(attachment=name, attachment_kind="pdf")
    log_in(client, agent())
    data, files = unzip(
        client.post(
            URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": " AMANDINE.zephyrin@example.org"}
        )
    )
    assert {item["id"] for item in data["referrals"]} == {str(first.pk), str(second.pk)}
    item = next(i for i in data["referrals"] if i["id"] == str(first.pk))
    assert item["reason"] and item["contact_value"] == "amandine.zephyrin@example.org"
    assert [t["to"] for t in item["transitions"]] == ["sent", "accepted"]
    assert item["answer_links"][0]["sent_to"] == "accueil@recoit.example.org"
    assert item["attachment"] == {"kind": "pdf", "file": f"pieces-jointes/{first.pk}.pdf"}
    assert files == {f"pieces-jointes/{first.pk}.pdf": b"%PDF-1.4 avis"}
    assert "Bérénice" not in json.dumps(data, ensure_ascii=False)


def test_the_export_is_logged_and_lists_its_own_log_rows(client, world):
    referral = make_referral(world, Status.SENT)
    log_in(client, agent())
    data, _files = unzip(
        client.post(
            URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "amandine.zephyrin@example.org"}
        )
    )
    entry = AccessLog.objects.get(action="export")
    assert (entry.referral_id, entry.user.email, entry.channel) == (referral.pk, "dpo@example.org", "web")
    assert any(e["action"] == "export" and e["who"] == "dpo@example.org" for e in data["referrals"][0]["access_log"])


def test_a_namesake_with_another_contact_is_never_exported(client, world):
    mine = make_referral(world, Status.SENT)
    namesake = make_referral(world, Status.SENT, contact_value="autre@example.org")
    log_in(client, agent())
    data, _files = unzip(
        client.post(URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "AUTRE@example.org"})
    )
    assert [item["id"] for item in data["referrals"]] == [str(namesake.pk)]
    assert not AccessLog.objects.filter(action="export", referral_id=mine.pk).exists()


def test_a_phone_number_is_recognised_however_it_is_written(client, world):
    referral = make_referral(world, Status.SENT, contact_channel="phone", contact_value="06 12 34 56 78")
    log_in(client, agent())
    data, _files = unzip(
        client.post(URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "+33612345678"})
    )
    assert [item["id"] for item in data["referrals"]] == [str(referral.pk)]


def test_without_a_contact_the_agent_ticks_the_persons_referrals_and_nothing_is_exported_before(client, world):
    mine = make_referral(world, Status.SENT)
    namesake = make_referral(world, Status.SENT, contact_channel="professional", contact_value="")
    log_in(client, agent())
    page = client.post(URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": ""})
    text = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert str(mine.pk) in text and str(namesake.pk) in text
    assert "am…@example.org" in text and "amandine.zephyrin@example.org" not in text  # enough to tell them apart
    assert not AccessLog.objects.filter(action="export").exists()
    assert AccessLog.objects.filter(action="list", detail="right_of_access").count() == 2
    data, _files = unzip(
        client.post(
            URL,
            {"step": "export", "last_name": "Zéphyrin", "first_name": "Amandine", "referrals": [str(namesake.pk)]},
        )
    )
    assert [item["id"] for item in data["referrals"]] == [str(namesake.pk)]
    assert list(AccessLog.objects.filter(action="export").values_list("referral_id", flat=True)) == [namesake.pk]


def test_ticking_nothing_or_a_referral_of_another_name_exports_nothing(client, world):
    make_referral(world, Status.SENT)
    other = make_referral(world, Status.SENT, first_name="Bérénice")
    log_in(client, agent())
    for chosen in ([], [str(other.pk)]):
        response = client.post(
            URL, {"step": "export", "last_name": "Zéphyrin", "first_name": "Amandine", "referrals": chosen}
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert "Bérénice" not in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_nobody_found_says_so(client, world):
    make_referral(world, Status.SENT)
    log_in(client, agent())
    for data in (
        {"last_name": "Personne", "first_name": "Aucune"},
        {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "inconnu@example.org"},
    ):
        response = client.post(URL, data)
        assert response.status_code == 200 and "Aucune orientation" in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_anonymised_referrals_hold_nothing_to_export(client, world):
    referral = make_referral(world, Status.SENT)
    from django.utils import timezone

    Referral.objects.filter(pk=referral.pk).update(anonymised_at=timezone.now())
    log_in(client, agent())
    response = client.post(
        URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "amandine.zephyrin@example.org"}
    )
    assert "Aucune orientation" in response.content.decode()


def test_the_permission_may_come_from_a_group(client, world):
    make_referral(world, Status.SENT)
    user = make_user(email="agent@example.org")
    group = Group.objects.create(name="droit d’accès")
    group.permissions.add(Permission.objects.get(codename="export_personal_data"))
    user.groups.add(group)
    log_in(client, user)
    unzip(
        client.post(
            URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "amandine.zephyrin@example.org"}
        )
    )


def test_other_accounts_cannot_export_not_even_a_superuser_without_the_explicit_grant(client, world):
    make_referral(world, Status.SENT)
    for user in (world.receiver_admin, world.steering, world.moderator, world.administrator):
        log_in(client, user)
        assert client.get(URL).status_code == 403
        response = client.post(
            URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "amandine.zephyrin@example.org"}
        )
        assert response.status_code == 403 and "Amandine" not in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_a_superuser_given_the_permission_explicitly_can_export(client, world):
    make_referral(world, Status.SENT)
    world.administrator.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    log_in(client, world.administrator)
    unzip(
        client.post(
            URL, {"last_name": "Zéphyrin", "first_name": "Amandine", "contact": "amandine.zephyrin@example.org"}
        )
    )
