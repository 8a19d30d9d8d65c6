"""The staff page to import files and download exports."""

import io
import json
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.accounts.testing import log_in_verified
from relais.offer.models import Change, Service, Structure
from relais.offer.tests.datainclusion_samples import make_communes, sample, write_csv
from tests.factories import make_service, make_user

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("offer:import")
EXPORT_URL = reverse("offer:export")


@pytest.fixture(autouse=True)
def communes():
    make_communes()


@pytest.fixture
def staff(client):
    user = make_user(is_staff=True)
    log_in_verified(client, user)
    return user


def upload(data: dict, name="offre.json"):
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def test_anonymous_people_are_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.get(EXPORT_URL + "?format=json").status_code == 302


def test_signed_in_people_who_are_not_staff_are_refused(client):
    client.force_login(make_user())

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"files": upload(sample())}).status_code == 403
    assert client.get(EXPORT_URL + "?format=json").status_code == 403
    assert Structure.objects.count() == 0


def test_staff_see_the_import_form_with_simulation_checked(client, staff):
    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Importer et exporter l’offre</h1>" in content
    assert 'name="dry_run" id="id_dry_run" checked' in content
    assert 'type="file" name="files"' in content and "multiple" in content


def test_a_simulation_shows_the_counts_and_writes_nothing(client, staff):
    response = client.post(IMPORT_URL, {"files": upload(sample()), "dry_run": "on"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Résultat de la simulation" in content
    assert '<th scope="row">structures</th><td>2</td><td>0</td><td>0</td>' in content
    assert Structure.objects.count() == 0


def test_an_import_writes_the_listings_and_records_the_staff_member(client, staff):
    response = client.post(IMPORT_URL, {"files": upload(sample())})

    assert response.status_code == 200
    assert "Import enregistré." in response.content.decode()
    assert (Structure.objects.count(), Service.objects.count()) == (2, 3)
    assert set(Change.objects.values_list("actor", flat=True)) == {staff.pk}


def test_the_two_csv_files_can_be_uploaded_together(client, staff, tmp_path):
    directory = write_csv(tmp_path / "csv", sample())
    files = [
        SimpleUploadedFile(name, (directory / name).read_bytes(), content_type="text/csv")
        for name in ("structures.csv", "services.csv")
    ]

    response = client.post(IMPORT_URL, {"files": files})

    assert response.status_code == 200
    assert Service.objects.count() == 3


def test_a_bad_file_shows_every_error_by_row_and_field(client, staff):
    data = sample()
    data["services"][1]["courriel"] = "faux"
    data["services"][2]["thematiques"] = ["inconnue"]

    response = client.post(IMPORT_URL, {"files": upload(data)})

    assert response.status_code == 422
    content = response.content.decode()
    assert "2 erreurs : rien n’a été enregistré." in content
    assert "offre.json, services, élément 2, courriel : n’est pas une adresse électronique" in content
    assert "offre.json, services, élément 3, thematiques : valeur inconnue" in content
    assert Structure.objects.count() == 0


def test_a_post_without_a_file_names_the_field(client, staff):
    response = client.post(IMPORT_URL, {"dry_run": "on"})

    assert response.status_code == 400
    assert 'href="#id_files">Fichiers</a>' in response.content.decode()


def test_a_corrupt_upload_is_an_error_not_a_crash(client, staff):
    response = client.post(IMPORT_URL, {"files": SimpleUploadedFile("offre.xlsx", b"\x00\x01garbage")})

    assert response.status_code == 422
    assert "classeur XLSX illisible" in response.content.decode()


def test_staff_download_the_json_export(client, staff):
    make_service(id="test--exporte")

    response = client.get(EXPORT_URL, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert [s["id"] for s in data["services"]] == ["test--exporte"]


def test_staff_download_the_csv_zip_and_the_workbooks(client, staff):
    make_service()

    csv_zip = client.get(EXPORT_URL, {"format": "csv"})
    workbook = client.get(EXPORT_URL, {"format": "xlsx", "extensions": "on"})
    template = client.get(EXPORT_URL, {"format": "template"})

    with zipfile.ZipFile(io.BytesIO(b"".join(csv_zip.streaming_content))) as archive:
        assert archive.namelist() == ["structures.csv", "services.csv"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))["services"]
    assert "relais_languages" in [c.value for c in sheet[1]]
    assert sheet.max_row == 2
    blank = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert blank["services"].max_row == 1 and "notice" in blank.sheetnames
    assert 'filename="modele-offre-data-inclusion.xlsx"' in template["Content-Disposition"]


@pytest.mark.parametrize("query", [{}, {"format": "pdf"}, {"format": "json", "source": "x" * 101}])
def test_a_bad_export_request_names_the_parameter(client, staff, query):
    response = client.get(EXPORT_URL, query)

    assert response.status_code == 400
    content = response.content.decode()
    assert "L’export n’est pas lancé" in content
    assert ("Format" in content) or ("Source" in content)
