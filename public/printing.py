"""HTML printed to PDF by WeasyPrint, with nothing fetched from anywhere.

Imported only where a PDF is made: WeasyPrint loads Pango as it is imported, and a machine
without it should lose the PDFs, not the whole site.
"""

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class NothingFetched(URLFetcher):
    """The documents need nothing from outside: their style is inline, their charts inline SVG
    and their fonts the system's. Refusing every address keeps a build from ever reaching the
    network or the file system, whatever a text entered by the council contains."""

    def fetch(self, url, headers=None):
        raise ValueError(f"A printed document fetches nothing: {url}")


def pdf_from_html(html, base_url):
    """A tagged PDF (its language from `<html lang>`), with real, searchable text; `base_url`
    makes the document's relative links absolute."""
    document = HTML(string=html, base_url=base_url, url_fetcher=NothingFetched())
    return document.write_pdf(pdf_tags=True)
