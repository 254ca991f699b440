"""The year's follow-up of one promise as a PDF: the document the council used to write by hand,
printed by WeasyPrint from an HTML template (templates/public/followup_pdf.html).

Public copies are built once per revision of the public data (public/built_files.py); the
council's are built afresh, may hold drafts and then say so on every page.
"""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from followup import report
from promises.audience import Audience
from public.built_files import file_response
from public.converters import PeriodConverter
from public.downloads import download_name

PDF = "application/pdf"


def promise_pdf(request, slug, period, year):
    """One promise's follow-up of one year as a PDF; the council's copy includes drafts."""
    audience = Audience.of(request.user)

    stem = f"medborgarlofte-{slug}-{year}"
    if audience.is_council:
        promise_report = year_report(audience, slug, period, year)
        filename = download_name(stem, [promise_report], year, "pdf")
        response = HttpResponse(as_pdf(promise_report, year, request), content_type=PDF)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        patch_cache_control(response, private=True)  # may hold drafts: never in a shared cache
        return response
    name = f"rapport/{slug}/{PeriodConverter().to_url(period)}/{year}.pdf"

    def make(built_at):
        return as_pdf(year_report(audience, slug, period, year), year, request)

    return file_response(request, name, make, PDF, filename=f"{stem}.pdf")


def year_report(audience, slug, period, year):
    """The report of the promise at this address for `year` alone, if the reader may see it."""
    promises = report.with_municipalities(report.with_followup_data(audience.promises(), year))
    start_year, end_year = period
    promise = get_object_or_404(promises, area__slug=slug, start_year=start_year, end_year=end_year)
    promise_report = report.promise_report(promise, audience, year=year)
    if not promise_report.years:
        raise Http404  # a year not covered, or not published: the same answer
    return promise_report


def as_pdf(promise_report, year, request):
    """The PDF's bytes: A4, tagged (with the document's language) and with real text."""
    (summary,) = promise_report.years
    promise = promise_report.promise
    followup_label = _("Uppföljning %(year)s") % {"year": year}
    context = {
        "report": promise_report,
        "promise": promise,
        "summary": summary,
        "year": year,
        "is_draft": summary.is_draft or not promise.is_published,
        "page_numbers": css_content(
            _("Sida %(number)s av %(pages)s"), number="page", pages="pages"
        ),
        "draft_label": css_content(_("Utkast – ej publicerat")),
        "running_head": css_content(f"{promise} · {followup_label}"),
        "promise_url": request.build_absolute_uri(promise.get_absolute_url()),
    }
    html = render_to_string("public/followup_pdf.html", context)
    from public import printing  # loads Pango: only where a PDF is made

    return printing.pdf_from_html(html, base_url=request.build_absolute_uri("/"))


def css_content(text, **counters):
    """A translated text as the value of a CSS `content` property, its %(name)s placeholders
    replaced by the page counters named: "Sida %(number)s av %(pages)s" becomes
    `"Sida " counter(page) " av " counter(pages)`. The text is split at its placeholders before
    anything is filled in, so no text a user typed can become a counter or leave its string."""
    parts = []
    for index, piece in enumerate(PLACEHOLDER.split(text) if counters else [text]):
        if index % 2:
            parts.append(f"counter({counters[piece]})")
        elif piece:
            parts.append(f'"{css_string(piece)}"')
    return mark_safe(" ".join(parts))  # every character that could end the string escaped


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def css_string(text):
    """Text inside a CSS string: control characters (CSS ends a string at any line break:
    \\n, \\r, \\f), quotes, backslashes and "<" (which could close the style element) as
    hexadecimal escapes."""
    return "".join(
        f"\\{ord(char):x} " if ord(char) < 0x20 or char in '"\\<\x7f' else char for char in text
    )
