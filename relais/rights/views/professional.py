"""Professional mode: the same questionnaire beside the person, then a one-page summary to hand over.

The summary is an HTML page that prints on one A4 page (rights/summary.html, print CSS) or a tagged
PDF made by WeasyPrint through the fiche de services's machinery (relais.matching.pdf). The only
personal data it may hold is the first name the professional types, sent by POST and printed: nothing
is stored, logged or traced. The answers travel in the hidden field, as in the questionnaire.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from relais.matching.pdf import DENSITIES, RenderedPdf, html_to_pdf
from relais.rights import questionnaire as q
from relais.rights import warmup
from relais.rights.views.resident import (
    PRO,
    _answers_or_restart,
    _show_problems,
    results_context,
    simulate_answers,
    warming_page,
)


class SummaryForm(forms.Form):
    prenom = forms.CharField(label=gettext_lazy("Prénom de la personne (facultatif)"), max_length=40, required=False)


def _summary_context(request):
    """(context, error response): the answers (POST, or an invented example by GET), simulated."""
    if request.method == "POST":
        answers, failed = _answers_or_restart(request, PRO)
        if failed:
            return None, failed
        form = SummaryForm(request.POST)
    else:
        answers = q.example(request.GET.get("exemple", "")) or q.example("famille")
        form = SummaryForm({})
    if warmup.is_warming():
        return None, warming_page(request, answers, PRO, "rights:summary")
    result, problems = simulate_answers(answers)
    if problems:
        return None, _show_problems(request, answers, problems, PRO)
    context = results_context(request, answers, result, PRO)
    context["prenom"] = form.cleaned_data.get("prenom", "").strip() if form.is_valid() else ""
    context["today"] = timezone.localdate()
    return context, None


def summary_pdf_document(context: dict, request=None, *, compress: bool = True) -> RenderedPdf:
    """The summary as a PDF on one page: the first density at which it fits (the tightest if none does)."""
    rendered = None
    for density in DENSITIES:
        html = render_to_string("rights/summary_pdf.html", {**context, "density": density}, request=request)
        content, pages = html_to_pdf(html, compress=compress)
        rendered = RenderedPdf(content, pages, density)
        if pages <= 1:
            break
    return rendered


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def summary(request):
    context, failed = _summary_context(request)
    if failed:
        return failed
    return render(request, "rights/summary.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def summary_pdf(request):
    context, failed = _summary_context(request)
    if failed:
        return failed
    pdf = summary_pdf_document(context, request)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="synthese-droits.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response
