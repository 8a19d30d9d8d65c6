"""Staff pages: import data·inclusion v1 files (simulation first, then for real) and download exports.

Both are for staff only (403 for other signed-in people). An import runs in the request and in one
transaction: fine for a partner's file; the national files go through `manage.py import_offer`.
"""

import functools
import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from relais.accounts.decorators import personal_data_access
from relais.offer import exporter
from relais.offer.datainclusion import KINDS
from relais.offer.importer import import_offer
from relais.offer.offerfiles import sources_from_uploads

MAX_FILES = 10


def staff_required(view):
    """Staff only, behind the second factor: an import writes the whole offer and its change history names people."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return personal_data_access(wrapper)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Fichiers"),
        help_text=gettext_lazy(
            "Un fichier JSON, le classeur XLSX, les deux CSV structures.csv et services.csv, ou une archive ZIP."
        ),
        widget=MultipleFileInput(attrs={"accept": ".json,.csv,.xlsx,.zip", "aria-describedby": "id_files_helptext"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Simulation : vérifier le fichier et compter sans rien enregistrer"),
        required=False,
        initial=True,
    )
    extensions = forms.BooleanField(
        label=gettext_lazy("Importer aussi les champs propres à Relais (colonnes relais_*)"), required=False
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Au plus %(n)d fichiers à la fois.") % {"n": MAX_FILES})
        return files


class ExportForm(forms.Form):
    FORMATS = [
        ("json", gettext_lazy("JSON (structures et services)")),
        ("csv", gettext_lazy("CSV (structures.csv et services.csv dans une archive ZIP)")),
        ("xlsx", gettext_lazy("Classeur XLSX")),
        ("template", gettext_lazy("Modèle XLSX vide à remplir par les partenaires")),
    ]
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="json")
    extensions = forms.BooleanField(
        label=gettext_lazy("Ajouter les champs propres à Relais (colonnes relais_*)"), required=False
    )
    source = forms.CharField(
        label=gettext_lazy("Source (facultatif)"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("N’exporter que les fiches de cette source, par exemple dora."),
    )


def _page(request, import_form, export_form, report=None, status=200):
    return render(
        request,
        "offer/import.html",
        {"import_form": import_form, "export_form": export_form, "report": report, "kinds": KINDS},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_import(request):
    if request.method != "POST":
        return _page(request, ImportForm(), ExportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, ExportForm(), status=400)
    report = import_offer(
        sources_from_uploads(form.cleaned_data["files"]),
        dry_run=form.cleaned_data["dry_run"],
        extensions=form.cleaned_data["extensions"],
        actor=request.user,
    )
    if report.written:
        messages.success(request, _("Import enregistré. ") + report.summary())
    return _page(
        request, ImportForm(initial={"dry_run": report.dry_run}), ExportForm(), report, 200 if report.ok else 422
    )


@staff_required
@require_safe
def offer_export(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, ImportForm(), form, status=400)
    fmt = form.cleaned_data["format"]
    options = {"extensions": form.cleaned_data["extensions"], "source": form.cleaned_data["source"] or None}
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = StreamingHttpResponse(exporter.iter_json(**options), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="offre-{stamp}.json"'
        return response
    stream = tempfile.TemporaryFile()
    if fmt == "csv":
        exporter.export_csv_zip(stream, **options)
        name, content_type = f"offre-{stamp}-csv.zip", "application/zip"
    else:
        if fmt == "template":
            exporter.export_template(stream, extensions=options["extensions"])
            name = "modele-offre-data-inclusion.xlsx"
        else:
            exporter.export_xlsx(stream, **options)
            name = f"offre-{stamp}.xlsx"
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=name, content_type=content_type)


urlpatterns = [
    path("import/", offer_import, name="import"),
    path("export/", offer_export, name="export"),
]
