"""The "point d'étape" document: a tagged PDF (WeasyPrint, PDF/UA-1, language set) for the Assises.

A cover, a summary by axis and by territory, then one page per action with its progress, steps,
indicators and latest published note. Rendered with the printed-document shell of relais/web.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from relais.matching.pdf import html_to_pdf
from relais.steering import overview
from relais.steering.models import Action, IndicatorValue, Note, Plan, Step, ValueKind


def _details(plan: Plan) -> dict:
    """Steps, latest indicator values (plan-wide) and the latest published note of every action, in bulk."""
    steps: dict = {}
    for step in Step.objects.filter(action__plan=plan).order_by("order", "due_on", "id"):
        steps.setdefault(step.action_id, []).append(step)
    latest: dict = {}
    for value in IndicatorValue.objects.filter(indicator__plan=plan, territory=None).order_by("on", "id"):
        latest.setdefault(value.indicator_id, {})[value.kind] = value
    indicators: dict = {}
    for action in Action.objects.filter(plan=plan).prefetch_related("indicators"):
        indicators[action.pk] = [
            {
                "indicator": i,
                "initial": latest.get(i.pk, {}).get(ValueKind.INITIAL),
                "current": latest.get(i.pk, {}).get(ValueKind.CURRENT),
                "target": latest.get(i.pk, {}).get(ValueKind.TARGET),
            }
            for i in action.indicators.all()
        ]
    notes: dict = {}
    for note in (
        Note.objects.filter(plan=plan, state=Note.State.PUBLISHED).exclude(action=None).order_by("-written_on", "-id")
    ):
        notes.setdefault(note.action_id, note)
    return {"steps": steps, "indicators": indicators, "notes": notes}


def point_d_etape(plan: Plan, request=None, *, compress: bool = True) -> tuple[bytes, int]:
    """(PDF bytes, pages)."""
    view = overview.build(plan)
    details = _details(plan)
    pages = [
        {
            "row": row,
            "steps": details["steps"].get(row.action.pk, []),
            "indicators": details["indicators"].get(row.action.pk, []),
            "note": details["notes"].get(row.action.pk),
        }
        for row in view.actions
    ]
    context = {
        "plan": plan,
        "view": view,
        "pages": pages,
        "today": timezone.localdate(),
        "density": 0,
        "platform_name": settings.RELAIS_PLATFORM_NAME,
    }
    html = render_to_string("steering/point_d_etape.html", context, request=request)
    return html_to_pdf(html, compress=compress)
