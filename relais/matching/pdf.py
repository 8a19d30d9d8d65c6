"""The fiche d'orientation as a PDF: WeasyPrint, tagged (PDF/UA-1), language set, one A4 page.

The HTML comes from `matching/fiche_pdf.html`; nothing is fetched over the network (only data: URLs
are allowed). When the selection does not fit one page, the fiche is laid out again, denser, until it
does: `density` 0 (normal), 1 (compact), 2 (tight, long texts shortened).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

DENSITIES = (0, 1, 2)


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


def fiche_pdf(context: dict, request=None, *, compress: bool = True) -> RenderedPdf:
    """The fiche on one page: the first density at which it fits (the tightest one if none does)."""
    rendered = None
    for density in DENSITIES:
        html = render_to_string("matching/fiche_pdf.html", {**context, "density": density}, request=request)
        content, pages = html_to_pdf(html, compress=compress)
        rendered = RenderedPdf(content, pages, density)
        if pages <= 1:
            break
    return rendered
