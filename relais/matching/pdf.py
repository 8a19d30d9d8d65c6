"""The fiche de services as a PDF: WeasyPrint, tagged (PDF/UA-1), language set, one A4 page.

The HTML comes from `matching/fiche_pdf.html`; nothing is fetched over the network (only data: URLs
are allowed). When the selection does not fit one page, the fiche is laid out again, denser, until it
does: `density` 0 (one column), 1 (two columns, compact), 2 (tight: labels inline, long texts shortened
to LIMITS), 3 (tightest: shorter still). At density 3 the MAX_SELECTION (6) services fit one A4 page
whatever their texts (tested with every text at its longest); a shortened text ends with "…" and the
address of the service's online page, printed on the fiche, has all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.text import Truncator

DENSITIES = (0, 1, 2, 3)
# Characters kept of each free text per density (the lists are joined first); absent: kept whole.
LIMITS = {
    2: {"why": 200, "check": 220, "how": 160, "hours": 150, "closures": 100},
    3: {"why": 120, "check": 130, "how": 100, "hours": 100, "closures": 60},
}


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    density: int


def _fetcher():
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols=("data",), timeout=1)


def html_to_pdf(html: str, *, compress: bool = True) -> tuple[bytes, int]:
    """(PDF bytes, page count) of an HTML document; tagged for accessibility (PDF/UA-1)."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_fetcher(), base_url="data:,").render(pdf_variant="pdf/ua-1")
    content = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=not compress)
    return content, len(document.pages)


def _short(text: str, limit: int) -> str:
    return Truncator(text).chars(limit)


def tightened(entries: list[dict], density: int) -> list[dict]:
    """The entries with their free texts shortened for this density (LIMITS)."""
    limits = LIMITS.get(density)
    if not limits:
        return entries
    out = []
    for entry in entries:
        e = dict(entry)
        for name in ("why", "check", "hours"):
            joined = " ".join(e.get(name) or ())
            e[name] = [_short(joined, limits[name])] if joined else []
        e["how"] = _short(e.get("how") or "", limits["how"])
        e["closures"] = [_short(c, limits["closures"]) for c in (e.get("closures") or ())[:1]]
        out.append(e)
    return out


def fiche_pdf(context: dict, request=None, *, compress: bool = True) -> RenderedPdf:
    """The fiche on one page: the first density at which it fits (the tightest one if none does)."""
    rendered = None
    for density in DENSITIES:
        page = {**context, "density": density, "entries": tightened(context.get("entries") or [], density)}
        html = render_to_string("matching/fiche_pdf.html", page, request=request)
        content, pages = html_to_pdf(html, compress=compress)
        rendered = RenderedPdf(content, pages, density)
        if pages <= 1:
            break
    assert rendered is not None  # DENSITIES is not empty
    return rendered
