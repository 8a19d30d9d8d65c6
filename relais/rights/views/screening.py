"""Batch screening for authorised staff: upload a CSV of households, follow the progress, download the results.

Every page needs the `rights.screen_households` permission and a second factor verified in the session
(the files hold personal data). A job is visible to its owner only (404 for anyone else). The work runs
in the background (relais/rights/jobs.py, `manage.py run_screening_jobs`); the job page polls a small
JSON endpoint from rights/screening.js and, without JavaScript, reloads itself (a meta refresh in a
<noscript>). Uploads, downloads and deletions are logged (ScreeningLog).
"""

from __future__ import annotations

import csv
import functools
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.accounts.decorators import personal_data_access
from relais.rights import jobs, screening
from relais.rights.benefits import BY_CODE
from relais.rights.household import FIRST_MONTH
from relais.rights.models import ScreeningJob, ScreeningLog
from relais.territories.models import Commune

PERMISSION = "rights.screen_households"
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
RECENT_JOBS = 10

# Every input column, in the order of the template, with what it holds (screening.py reads them).
COLUMNS = [
    ("menage", gettext_lazy("Identifiant du ménage, le même sur chaque ligne de ses personnes (obligatoire)."), "M1"),
    (
        "mois",
        format_lazy(
            gettext_lazy("Mois simulé AAAA-MM, de {first} à décembre de l’an prochain ; vide : le mois en cours."),
            first=FIRST_MONTH,
        ),
        "2026-11",
    ),
    (
        "commune",
        gettext_lazy(
            "La commune (obligatoire) : son nom (Lyon 8e, Villeurbanne), son code postal, son code Insee écrit « Nom (code) », "
            "ou l’adresse avec le code postal. Le rapport dit comment chaque ligne a été lue."
        ),
        "69383",
    ),
    (
        "logement",
        gettext_lazy(
            "locataire, locataire_meuble, locataire_hlm, locataire_foyer, proprietaire, accedant, heberge, "
            "sans_domicile."
        ),
        "locataire",
    ),
    ("loyer", gettext_lazy("Loyer mensuel hors charges, en euros."), "550"),
    ("couple", gettext_lazy("marie, pacse ou concubinage, s’il y a un conjoint."), ""),
    ("epargne", gettext_lazy("Épargne disponible, en euros."), "0"),
    ("personne", gettext_lazy("Identifiant de la personne dans le ménage (repris dans le rapport)."), "parent"),
    ("role", gettext_lazy("demandeur (un par ménage), conjoint, enfant ou autre (obligatoire)."), "demandeur"),
    ("date_naissance", gettext_lazy("AAAA-MM-JJ ou AAAA-MM ; sinon la colonne age."), "1991-03"),
    ("age", gettext_lazy("Âge en années, si la date de naissance n’est pas connue."), ""),
    (
        "situation",
        gettext_lazy("salarie, independant, chomeur, etudiant, eleve, retraite ou inactif."),
        "salarie",
    ),
    ("scolarite", gettext_lazy("aucune, maternelle, primaire, college, lycee ou superieur."), ""),
    ("taux_incapacite", gettext_lazy("Taux d’incapacité reconnu par la MDPH, en %."), ""),
    ("salaire_net", gettext_lazy("Salaire net par mois, en euros."), "1100"),
    ("chomage_net", gettext_lazy("Allocation chômage nette par mois."), ""),
    ("retraite_nette", gettext_lazy("Pensions de retraite nettes par mois."), ""),
    ("pension_invalidite", gettext_lazy("Pension d’invalidité par mois."), ""),
    ("pension_alimentaire_recue", gettext_lazy("Pension alimentaire reçue par mois."), ""),
    ("chiffre_affaires", gettext_lazy("Chiffre d’affaires mensuel de micro-entrepreneur."), ""),
]
# Invented households (demo), one row per person, for the downloadable template.
TEMPLATE_ROWS = [
    {"menage": "M1", "mois": "2026-11", "commune": "69383", "logement": "locataire", "loyer": "550",
     "personne": "parent", "role": "demandeur", "date_naissance": "1991-03", "situation": "salarie",
     "salaire_net": "1100"},
    {"menage": "M1", "personne": "enfant", "role": "enfant", "age": "12", "scolarite": "college"},
    {"menage": "M2", "mois": "2026-11", "commune": "57463", "logement": "locataire_hlm", "loyer": "380",
     "personne": "demandeur", "role": "demandeur", "age": "67", "situation": "retraite", "retraite_nette": "780"},
]  # fmt: skip


def screening_access(view):
    """Login, a verified second factor, then the permission (403 without it)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return personal_data_access(wrapper)


def _own_job(request, job_id) -> ScreeningJob:
    return get_object_or_404(ScreeningJob.objects.of(request.user), pk=job_id)


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV des ménages"),
        help_text=gettext_lazy("UTF-8, séparateur virgule ou point-virgule, une ligne par personne ; 20 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "aria-describedby": "id_fichier_helptext"}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers."))
        content = upload.read()
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Le fichier n’est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 » depuis votre tableur.")
            ) from None
        lines = text.splitlines()
        if len(lines) < 2:
            raise forms.ValidationError(_("Le fichier ne contient aucune ligne de ménage sous la ligne des colonnes."))
        if len(lines) > MAX_ROWS + 1:
            raise forms.ValidationError(
                _("Au plus %(n)s lignes de personnes par fichier : découpez-le.")
                % {"n": f"{MAX_ROWS:,}".replace(",", " ")}
            )
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;")
        except csv.Error:
            dialect = csv.excel
        header = next(csv.reader(io.StringIO(lines[0]), dialect=dialect))
        header = [name.strip() for name in header]
        missing = [c for c in screening.REQUIRED if c not in header]
        if missing:
            raise forms.ValidationError(
                _("Colonnes obligatoires absentes de la première ligne : %(cols)s (colonnes lues : %(read)s).")
                % {"cols": ", ".join(missing), "read": ", ".join(header[:12]) or "—"}
            )
        known = {c for c, _h, _e in COLUMNS}
        unknown = [c for c in header if c and c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Colonnes inconnues : %(cols)s. Les colonnes admises sont celles du modèle.")
                % {"cols": ", ".join(unknown[:8])}
            )
        return content


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@screening_access
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.create_job(request.user, form.cleaned_data["fichier"])
        return redirect("rights:screening_job", job_id=job.id)
    recent = ScreeningJob.objects.of(request.user)[:RECENT_JOBS]
    return render(
        request,
        "rights/screening_upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "jobs": recent,
            "retention_hours": jobs.retention().total_seconds() // 3600,
            "max_rows": MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )


@require_safe
@screening_access
def template_csv(request):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c, _h, _e in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-depistage-droits.csv"'
    return response


@require_safe
@never_cache
@screening_access
def job_page(request, job_id):
    job = _own_job(request, job_id)
    communes = job.communes_table()
    names = dict(Commune.objects.filter(code__in={r["commune"] for r in communes}).values_list("code", "name"))
    for row in communes:
        row["commune_nom"] = names.get(row["commune"], row["commune"])
        row["prestation_nom"] = (
            str(BY_CODE[row["prestation"]].name) if row["prestation"] in BY_CODE else row["prestation"]
        )
        row["montant"] = float(row["montant_mensuel_total"] or 0)
    return render(
        request,
        "rights/screening_job.html",
        {"job": job, "retention_hours": jobs.retention().total_seconds() // 3600, "communes": communes},
    )


@require_safe
@never_cache
@screening_access
def job_progress(request, job_id):
    job = _own_job(request, job_id)
    response = JsonResponse(job.progress())
    response["Cache-Control"] = "no-store"
    return response


def _download(request, job_id, which: str):
    job = _own_job(request, job_id)
    field = {"results": job.results_file, "report": job.report_file, "communes": job.communes_file}[which]
    if job.status != ScreeningJob.Status.DONE or not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    action = ScreeningLog.Action.DOWNLOAD_RESULTS if which == "results" else ScreeningLog.Action.DOWNLOAD_REPORT
    jobs.record_download(job, request.user, action)
    name = {
        "results": "resultats-depistage.csv",
        "report": "rapport-depistage.txt",
        "communes": "communes-depistage.csv",
    }
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name[which],
        content_type="text/plain; charset=utf-8" if which == "report" else "text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
@screening_access
def job_results(request, job_id):
    return _download(request, job_id, "results")


@require_safe
@screening_access
def job_report(request, job_id):
    return _download(request, job_id, "report")


@require_safe
@screening_access
def job_communes(request, job_id):
    return _download(request, job_id, "communes")


@require_POST
@screening_access
def job_delete(request, job_id):
    job = _own_job(request, job_id)
    if job.status == ScreeningJob.Status.RUNNING:
        messages.warning(request, _("Le traitement est en cours : supprimez les fichiers quand il sera terminé."))
    else:
        jobs.delete_job_files(job, request.user)
        messages.success(request, _("Les fichiers de ce dépistage sont supprimés."))
    return redirect("rights:screening_job", job_id=job.id)
