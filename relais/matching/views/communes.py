"""Commune names of all France for the place field's autocomplete, with JavaScript (without it, the page's
datalist lists the covered territory's communes): a small JSON answer of bounded cost, nothing stored."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from relais.matching import runtime
from relais.territories.cog import is_postal_code
from relais.territories.places import read_place

MAX_QUERY_CHARS = 60
MAX_ANSWERS = 8


@require_GET
def communes(request):
    """?q=villeurb -> {"communes": ["Villeurbanne (69266)", ...]} (postal codes too: ?q=69003)."""
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
    table = runtime.get_places()
    labels: list[str] = []
    if len(text) >= 2:
        if is_postal_code(text):
            reading = read_place(text, table)
            labels = [table.describe(row.code) for row in (*reading.matches, *reading.others)]
        else:
            labels = table.suggest(text, limit=MAX_ANSWERS)
    response = JsonResponse({"communes": labels[:MAX_ANSWERS]})
    response["Cache-Control"] = "public, max-age=3600"
    return response
