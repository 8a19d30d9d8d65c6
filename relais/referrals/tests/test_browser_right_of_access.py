"""In a real browser: the right-of-access agent finds a person among namesakes and downloads the ZIP.

The choice step (a list of checkboxes) passes axe-core at full width and at 320 px; the export is a
download, and only the ticked referral is in it.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from relais.referrals import dbguard
from relais.referrals.models import Status
from relais.referrals.tests.conftest import make_referral
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erase_access_log(live_server):
    yield
    dbguard.erase_for_tests(connection)  # the access log refuses the test runner's flush on SQLite


def test_the_agent_ticks_the_persons_referral_among_namesakes_and_downloads_it(
    page,
    log_in,
    assert_accessible,
    world,
    erase_access_log,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    mine = make_referral(world, Status.SENT)
    make_referral(world, Status.SENT, contact_channel="phone", contact_value="01 99 00 41 10")  # a namesake
    agent = make_user(email="dpo@example.org")
    agent.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    log_in(agent)

    page.goto("/orientations/droit-d-acces/")
    page.locator("#id_last_name").fill("Zéphyrin")
    page.locator("#id_first_name").fill("Amandine")
    page.get_by_role("button", name="Rechercher et exporter").click()
    page.get_by_role("heading", name="Orientations au nom de Amandine Zéphyrin").wait_for()
    assert_accessible(page)
    assert page.csp_errors == []
    choices = page.get_by_role("checkbox")
    assert choices.count() == 2
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("am…@example.org", exact=False).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter ces orientations (ZIP)").click()
    body = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = json.loads(archive.read("donnees.json"))
    assert [item["id"] for item in data["referrals"]] == [str(mine.pk)]
