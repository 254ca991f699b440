"""Downloads: the yearly reports as workbooks and the open data, built once per revision of the
public data for the public (public/built_files.py) and afresh for the council, whose copies may
hold drafts."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from followup import opendata, report, workbook
from promises.audience import Audience
from public.built_files import file_response, served_builds
from public.page_cache import not_kept
from public.views import report_at, reports_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def promise_workbook(request, slug, period, year):
    """The yearly report of one promise; the council's copy includes drafts, marked as such."""
    audience = Audience.of(request.user)
    promise_report = report_at(
        audience, slug, period, report.with_followup_data(audience.promises())
    )
    if year not in [summary.year for summary in promise_report.years]:
        raise Http404
    title = _("Uppföljning %(year)s av %(promise)s") % {
        "year": year,
        "promise": promise_report.promise,
    }
    content = workbook.as_xlsx([promise_report], year, str(title))
    filename = download_name(f"medborgarlofte-{slug}-{year}", [promise_report], year, "xlsx")
    return workbook_response(audience, content, filename)


def yearly_workbook(request, year):
    """Every area's report for one year, for the police region and national overviews.

    The public one covers the whole country: it is built once per revision of the public data
    and day.
    """
    audience = Audience.of(request.user)

    def year_reports():
        promises = audience.promises().filter(start_year__lte=year, end_year__gte=year)
        loaded = report.with_followup_data(promises, year)
        reports = [r for r in reports_for(audience, loaded, year) if r.years]
        if not reports:
            raise Http404
        return reports

    def make(reports, built_at=None):
        title = _("Medborgarlöften: uppföljning %(year)s") % {"year": year}
        return workbook.as_xlsx(reports, year, str(title), built_at=built_at)

    if audience.is_council:
        reports = year_reports()
        filename = download_name(f"medborgarloften-{year}", reports, year, "xlsx")
        return workbook_response(audience, make(reports), filename)
    return file_response(
        request,
        f"rapport/{year}.xlsx",
        lambda built_at: make(year_reports(), built_at),
        XLSX,
        filename=f"medborgarloften-{year}.xlsx",
        max_stale_seconds=settings.NATIONAL_FILE_STALE_SECONDS,
    )


def download_name(stem, promise_reports, year, extension):
    """The file's name; a council member's copy holding drafts says so in its name too, since
    a saved or forwarded file is seen by its name before it is opened."""
    drafts = any(workbook.is_draft(r, year) for r in promise_reports)
    return f"{stem}-utkast.{extension}" if drafts else f"{stem}.{extension}"


def workbook_response(audience, content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if audience.is_council:
        patch_cache_control(response, private=True)  # may hold drafts: never in a shared cache
    return response


# The open-data files, by their address under /oppna-data/.
OPEN_DATA_FILES = ("utfall.csv", "utfall-excel.csv", "utfall.json")


def open_data(request):
    """The open-data page, saying when each file a download would get now was built. It may be
    kept only while those builds are of its own revision; otherwise the times change within a
    minute, and it is sent without being kept."""
    times, current = served_builds(
        [f"oppna-data/{name}" for name in OPEN_DATA_FILES],
        settings.NATIONAL_FILE_STALE_SECONDS,
    )
    built = dict(zip(("csv", "excel", "json"), times.values(), strict=True))
    context = {"columns": opendata.COLUMNS, "built": built}
    response = render(request, "public/open_data.html", context)
    return response if current else not_kept(response)


def open_data_csv(request):
    """For programs: RFC 4180, UTF-8, commas and decimal points."""
    return csv_download(request, "utfall.csv", opendata.as_csv)


def open_data_excel_csv(request):
    """For Swedish Excel: byte order mark, semicolons, decimal commas."""
    return csv_download(request, "utfall-excel.csv", opendata.as_excel_csv)


def csv_download(request, name, make_text):
    return file_response(
        request,
        f"oppna-data/{name}",
        lambda built_at: make_text().encode(),
        "text/csv; charset=utf-8",
        filename=f"medborgarloften-{name}",
        compress=True,
        max_stale_seconds=settings.NATIONAL_FILE_STALE_SECONDS,
    )


def open_data_json(request):
    return file_response(
        request,
        "oppna-data/utfall.json",
        lambda built_at: opendata.as_json(built_at).encode(),
        "application/json; charset=utf-8",
        compress=True,
        max_stale_seconds=settings.NATIONAL_FILE_STALE_SECONDS,
    )
