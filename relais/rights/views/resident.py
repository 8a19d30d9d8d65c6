"""The questionnaire pages: choose the aids, answer one group of questions per step, check, see the results.

Nothing is stored on the server: every step is a POST carrying all the answers so far in a hidden
field (relais.rights.questionnaire.encode/decode); no session key, no database row, no search trace.
The page works without JavaScript; rights/questionnaire.js only saves the answers in the browser
(localStorage, residents only) and offers to resume. A GET of a step (?etape=…) shows it empty, or
filled with an invented example (?exemple=famille), for demos and the accessibility tests.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from relais.rights import questionnaire as q
from relais.rights import warmup
from relais.rights.batching import batcher
from relais.rights.household import HouseholdError, parse_household
from relais.rights.views import results as presenting
from relais.rights.views.steps import form_for

logger = logging.getLogger(__name__)

PRO, RESIDENT = "pro", "resident"


def mode_of(request, data=None) -> str:
    """Professional mode only for a logged-in account that asked for it."""
    wanted = (data or request.GET).get("mode")
    return PRO if wanted == PRO and request.user.is_authenticated else RESIDENT


def household_problems(answers: dict) -> list[dict]:
    try:
        parse_household(q.to_household(answers))
    except HouseholdError as exc:
        return exc.problems
    return []


def attach(form, problems: list[dict], step: str, answers: dict) -> int:
    """Put the problems that belong to `step` on the form's fields; returns how many."""
    count = 0
    for problem in problems:
        where, name = q.problem_place(problem)
        if q.screen_of(where, answers) != step:
            continue
        form.add_error(name if name in form.fields else None, q.short_message(problem))
        count += 1
    return count


def describe_errors(form) -> None:
    """Tie each field to its help text and error message (aria-describedby), once errors are known."""
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if name in form.errors:
            ids.append(f"{bound.auto_id}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


def _hidden(answers: dict, step: str, mode: str, editing: bool) -> dict:
    return {"reponses": q.encode(answers), "etape": step, "mode": mode, "retour": q.RECAP if editing else ""}


def render_step(
    request, answers: dict, step: str, mode: str, *, form=None, editing=False, status=200, notice="", confirm_remove=""
):
    if step == q.RECAP:
        return render_recap(request, answers, mode, status=status, notice=notice)
    form = form if form is not None else form_for(step, answers)
    describe_errors(form)
    number, total = q.position(answers, step)
    context = {
        "answers": answers,
        "confirm_remove": confirm_remove,
        "hidden": _hidden(answers, step, mode, editing),
        "step": step,
        "step_label": q.label(step),
        "why": q.WHY.get(step, ""),
        "form": form,
        "errors": form.error_list() if form.errors else [],
        "number": number,
        "total": total,
        "mode": mode,
        "editing": editing,
        "notice": notice,
        "first": step == q.START,
        "step_template": getattr(form, "template_name_step", "rights/steps/generic.html")
        if step != q.START
        else "rights/steps/aides.html",
        "topics": q.TOPICS,
    }
    return render(request, "rights/step.html", context, status=status)


def recap_rows(answers: dict) -> list[dict]:
    rows = []
    for step in q.steps(answers):
        if step == q.RECAP:
            continue
        rows.append({"step": step, "label": q.label(step), "sections": form_for(step, answers).summary()})
    return rows


def render_recap(request, answers: dict, mode: str, *, status=200, notice="", problems=()):
    number, total = q.position(answers, q.RECAP)
    context = {
        "answers": answers,
        "hidden": _hidden(answers, q.RECAP, mode, False),
        "rows": recap_rows(answers),
        "number": number,
        "total": total,
        "mode": mode,
        "notice": notice,
        "problems": list(problems),
        "missing": [q.label(s) for s in q.missing(answers)],
    }
    return render(request, "rights/recap.html", context, status=status)


def _show_problems(request, answers: dict, problems: list[dict], mode: str):
    """The first step (in order) that has a problem, with its problems on its fields; else the recap."""
    by_step = {}
    for problem in problems:
        step, _name = q.problem_place(problem)
        by_step.setdefault(q.screen_of(step, answers), []).append(problem)
    for step in q.steps(answers):
        if step in by_step and step not in (q.START, q.RECAP):
            form = _bound_with_answers(step, answers)
            attach(form, by_step[step], step, answers)
            return render_step(request, answers, step, mode, form=form, editing=True)
    return render_recap(request, answers, mode, problems=[q.short_message(p) for p in problems])


def _bound_with_answers(step: str, answers: dict):
    """The step's form bound to the current answers, so that the engine's problems can be attached to it."""
    data = {}
    form = form_for(step, answers)
    for name, value in form.initial.items():
        field = form.fields.get(name)
        if field is None or value in (None, False, ""):
            continue
        data[name] = "on" if value is True else str(field.prepare_value(value))
    bound = form_for(step, answers, data=data)
    bound.is_valid()
    return bound


def _answers_or_restart(request, mode):
    try:
        return q.decode(request.POST.get("reponses")), None
    except q.AnswersError as exc:
        logger.info("rights questionnaire: unreadable answers (%s)", exc)
        answers = q.empty()
        notice = _("Vos réponses n’ont pas pu être relues (%(why)s) : recommencez, s’il vous plaît.") % {"why": exc}
        return None, render_step(request, answers, q.START, mode, status=400, notice=notice)


# --- views ----------------------------------------------------------------------------------------


@require_safe
def start(request):
    """The first page: what the person wants to check, and an offer to resume (with JavaScript)."""
    return render_step(request, q.empty(), q.START, RESIDENT)


@require_safe
@login_required
def professional_start(request):
    """The same questionnaire for a professional beside the person: nothing saved in the browser,
    and a printable summary at the end."""
    return render_step(request, q.empty(), q.START, PRO)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def questions(request):
    if request.method != "POST":
        step = request.GET.get("etape", q.START)
        if not q.is_step(step):
            raise Http404
        answers = q.example(request.GET.get("exemple", "")) or q.empty()
        return render_step(request, answers, step, mode_of(request))
    mode = mode_of(request, request.POST)
    answers, failed = _answers_or_restart(request, mode)
    if failed:
        return failed
    step = request.POST.get("etape", "")
    if not q.is_step(step):
        return render_step(request, answers, q.START, mode, status=400, notice=_("Étape inconnue : reprenez au début."))
    editing = request.POST.get("retour") == q.RECAP
    target = request.POST.get("aller")
    if target:  # « modifier » from the recap, or resuming saved answers
        if target == "resultats" or not q.is_step(target):
            target = q.first_missing(answers)
        elif target not in (q.START, q.RECAP):
            target = q.screen_of(target, answers)
        return render_step(request, answers, target, mode, editing=target != q.RECAP and step == q.RECAP)
    if request.POST.get("action") == "precedent":
        return render_step(request, answers, q.previous_step(answers, step), mode, editing=editing)
    if step == q.RECAP:
        return render_recap(request, answers, mode)
    form = form_for(step, answers, data=request.POST)
    adding, asking = request.POST.get("ajouter"), request.POST.get("retirer")
    removing, keeping = request.POST.get("retirer_confirme"), request.POST.get("garder")
    if step == "composition" and (adding or asking or removing or keeping):
        form.is_valid()
        form.save()  # every valid answer is kept, even when another one is missing
        if adding in (q.ROLE_ENFANT, q.ROLE_AUTRE) and form.can_add:
            q.add_person(answers, adding)
        elif removing:
            q.remove_person(answers, removing)
        confirm = asking if asking and q.person(answers, asking) else ""
        return render_step(request, answers, step, mode, editing=editing, confirm_remove=confirm)
    if form.is_valid():
        form.save()
        attach(form, household_problems(answers), step, answers)
    if form.errors:
        return render_step(request, answers, step, mode, form=form, editing=editing)
    q.mark_done(answers, step)
    notice = getattr(form, "notice", "")  # how a step read an answer that could be read otherwise
    return render_step(request, answers, q.next_step(answers, step, editing=editing), mode, notice=notice)


def warming_page(request, answers: dict, mode: str, url_name: str):
    """While the development server warms the engine up: a short page instead of a minute's wait (503, so
    that nothing caches it); by GET it reloads itself, by POST it keeps the answers and offers a button."""
    seconds = warmup.seconds_left()
    context = {
        "seconds": seconds,
        "refresh": min(seconds, 10) if request.method != "POST" else 0,
        "hidden": _hidden(answers, "resultats", mode, False),
        "action": reverse(url_name),
    }
    response = render(request, "rights/warming.html", context, status=503)
    response["Retry-After"] = str(min(seconds, 10))
    return response


# The results, the summary, its PDF and the e-mail of the same answers are one simulation: kept a few
# minutes in this process's memory (never on disk nor in the database), keyed by a hash of the household
# and the day, so that reloading or printing does not wait for the engine again.
RESULT_SECONDS = 600
RESULT_ENTRIES = 256
_results: OrderedDict[str, tuple[float, dict]] = OrderedDict()
_results_lock = threading.Lock()


def _result_key(household: dict) -> str:
    text = json.dumps(household, sort_keys=True, ensure_ascii=False) + dt.date.today().isoformat()
    return hashlib.sha256(text.encode()).hexdigest()


def _remembered(key: str) -> dict | None:
    with _results_lock:
        found = _results.get(key)
        if found is None or time.monotonic() - found[0] > RESULT_SECONDS:
            _results.pop(key, None)
            return None
        _results.move_to_end(key)
        return copy.deepcopy(found[1])


def _remember(key: str, result: dict) -> None:
    with _results_lock:
        _results[key] = (time.monotonic(), copy.deepcopy(result))
        while len(_results) > RESULT_ENTRIES:
            _results.popitem(last=False)


def simulate_answers(answers: dict):
    """(result, problems): the engine's answer for the household (one micro-batched simulation)."""
    problems = household_problems(answers)
    if problems:
        return None, problems
    household = q.to_household(answers)
    key = _result_key(household)
    remembered = _remembered(key)
    if remembered is not None:
        return remembered, []
    outcome = batcher.simulate(household)
    if outcome.problems:
        return None, outcome.problems
    _remember(key, outcome.result)
    return outcome.result, []


def results_context(request, answers: dict, result: dict, mode: str) -> dict:
    codes = q.requested_codes(answers)
    shown = presenting.present(result, codes)
    local_ids = [s.code for s in shown.can_claim + shown.to_check if s.kind == "aide_locale"]
    where = presenting.claim_services(local_ids)
    for s in shown.can_claim + shown.to_check:
        s.helpers = where.get(s.code, [])
    return {
        "answers": answers,
        "hidden": _hidden(answers, "resultats", mode, False),
        "shown": shown,
        "helpers": presenting.helpers_near(answers["menage"].get("commune", "")),
        "mode": mode,
        "labels": q.labels(answers),
        "composition": composition_text(answers),
        "topics": q.chosen_topics(answers),
    }


def composition_text(answers: dict) -> str:
    adults, kids = len(q.adults(answers)), len(q.children(answers))
    text = ngettext("%(n)s adulte", "%(n)s adultes", adults) % {"n": adults}
    if kids:
        text += ", " + ngettext("%(n)s enfant", "%(n)s enfants", kids) % {"n": kids}
    return text


REGIME_CHOICES = {"oui": True, "non": False}


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def results(request):
    if request.method == "POST":
        mode = mode_of(request, request.POST)
        answers, failed = _answers_or_restart(request, mode)
        if failed:
            return failed
        regime = REGIME_CHOICES.get(request.POST.get("regime_alsace_moselle", ""))
        if regime is not None:  # the correction asked on the results page, in Alsace-Moselle only
            answers["menage"]["regime_alsace_moselle"] = regime
    else:
        mode = mode_of(request)
        answers = q.example(request.GET.get("exemple", ""))
        if answers is None:
            return render_step(request, q.empty(), q.START, mode)
    missing = q.missing(answers)
    if missing:
        return render_step(request, answers, missing[0], mode)
    if warmup.is_warming():
        return warming_page(request, answers, mode, "rights:results")
    result, problems = simulate_answers(answers)
    if problems:
        return _show_problems(request, answers, problems, mode)
    return render(request, "rights/results.html", results_context(request, answers, result, mode))
