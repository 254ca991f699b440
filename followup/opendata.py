"""Open data: every published indicator and year as CSV and JSON, with stable column names.

Only published promises and published follow-up years, whoever asks: open data is a
publication, not a council view. The column names are a promise to re-users; README lists them.

The CSV comes twice: for programs (RFC 4180: UTF-8, commas, decimal points, the stable names)
and for people who open it in Excel with Swedish settings (a byte order mark, semicolons,
decimal commas, Swedish names and words), which the outcome import reads back unchanged.
"""

import csv
import io
import json
from decimal import Decimal

from django.utils import timezone, translation

from followup import report
from followup.spreadsheets import COLUMNS as REPORT_COLUMNS
from followup.spreadsheets import indicator_rows
from followup.status import Status
from promises.audience import PUBLIC
from promises.models import Promise
from promises.numbers import strip_zeros
from promises.resources import neutralise

# Open-data column → key of `spreadsheets.row_values` (or of `area_values`).
COLUMNS = {
    "area": "area",
    "area_slug": "area_slug",
    "municipality_codes": "municipality_codes",
    "period": "period",
    "year": "year",
    "commitment_number": "commitment_number",
    "indicator_number": "indicator_number",
    "parties": "parties",
    "commitment": "commitment",
    "indicator": "indicator",
    "unit": "unit",
    "rule": "rule_code",
    "target": "target",
    "baseline": "baseline",
    "baseline_year": "baseline_year",
    "outcome": "outcome",
    "change": "change",
    "change_percent": "change_percent",
    "progress_percent": "progress",
    "status": "status",
    "override": "override_code",
    "override_reason": "override_reason",
    "comment": "comment",
    "outcome_basis": "outcome_basis_code",  # added later: at the end, so no column moves
}


def rows():
    for values in indicator_values():
        yield {column: plain(values[key]) for column, key in COLUMNS.items()}


def indicator_values():
    """Every published indicator and year, as `spreadsheets.row_values` with the area's."""
    promises = report.with_municipalities(
        report.with_row_data(Promise.objects.published().order_by("area__name", "start_year"))
    )
    for promise in promises:
        promise_report = report.promise_report(promise, PUBLIC)
        area = area_values(promise.area)
        for summary in promise_report.years:
            for values in indicator_rows(promise_report, summary.year):
                values.update(area)
                yield values


def area_values(area):
    """The kommunkoder of the municipalities the area covers, space-separated in code order
    ("1904 1962 1982"), and for people their names with the codes, from an area loaded through
    `report.with_municipalities`."""
    municipalities = sorted(area.municipality_list, key=lambda m: m.code)
    return {
        "municipality_codes": " ".join(m.code for m in municipalities),
        # For people: "Eskilstuna (0484)", text in Excel, where a lone "0484" would become 484.
        "municipalities": ", ".join(str(m) for m in municipalities),
    }


def plain(value):
    """Decimals as JSON numbers (2483, 61.5); status codes as plain strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, str):
        return str(value)
    return value


def as_csv():
    """For programs: RFC 4180 (lines end in CRLF), UTF-8 without a byte order mark."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for row in rows():
        writer.writerow({column: neutralise(value) for column, value in row.items()})
    return output.getvalue()


# The Excel variant's columns, one for each open-data column and in the same order: open-data
# column → key of `row_values` (or `area_values`). Words where open data has codes; the headers
# are the yearly report's (spreadsheets.COLUMNS), so that the outcome import reads the file back.
EXCEL_COLUMNS = {
    **{column: column for column in COLUMNS},
    "municipality_codes": "municipalities",
    "rule": "rule",
    "progress_percent": "progress",
    "override": "override",
    "outcome_basis": "outcome_basis",
}
# The file is for Swedish settings: its headers are Swedish whatever the page's language.
EXCEL_HEADERS = {
    **dict(REPORT_COLUMNS),
    "area_slug": "Kortnamn i adresser",
    "municipalities": "Kommuner",
}


def as_excel_csv():
    """For people: the rows of `as_csv` as Swedish Excel opens a csv file by a double-click,
    with its letters and its figures as numbers: UTF-8 with a byte order mark, semicolons, a
    decimal comma and no thousands separator ("28,2", "2483"), Swedish headers and words."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    with translation.override("sv"):
        writer.writerow([str(EXCEL_HEADERS[key]) for key in EXCEL_COLUMNS.values()])
        for values in indicator_values():
            values["status"] = str(Status(values["status"]).label)
            writer.writerow([excel_cell(values[key]) for key in EXCEL_COLUMNS.values()])
    return output.getvalue()


def excel_cell(value):
    """A figure with a decimal comma, text defused; a number is never defused: "-3" is one."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, int | Decimal):
        return str(strip_zeros(value)).replace(".", ",")
    return neutralise(value)


def as_json(built_at=None):
    """The rows as JSON; `built_at`, when the build began (it holds every change made before),
    as an ISO 8601 time with its offset."""
    data = {"columns": list(COLUMNS), "rows": list(rows())}
    if built_at:
        data["built_at"] = timezone.localtime(built_at).isoformat(timespec="seconds")
    return json.dumps(data, ensure_ascii=False, indent=1)
