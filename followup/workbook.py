"""The yearly follow-up report as an Excel workbook, for people: formatted, filterable, printable.

Sheets: a summary (one row per promise), the commitments (one row per indicator, the same rows
the outcome import reads back) and, for a single promise, a native chart of target versus outcome.
"""

from collections import Counter
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from followup import spreadsheets
from followup.status import Status
from promises.resources import neutralise

STATUS_FILLS = {
    Status.MET: "C6EFCE",
    Status.PARTLY_MET: "FFEB9C",
    Status.NOT_MET: "FFC7CE",
    Status.NOT_CARRIED_OUT: "FFC7CE",
    Status.IN_PROGRESS: "FFEB9C",
    Status.NOT_REPORTED: "D9D9D9",
}


def points_format():
    """Excel's number format of a change in percentage points, with its unit."""
    unit = _("procentenheter")
    return f'+#,##0.0# "{unit}";-#,##0.0# "{unit}";0 "{unit}"'


NUMBER_COLUMNS = {"target", "baseline", "outcome", "change"}
SHARE_COLUMNS = {"progress", "change_percent"}
WIDE_TEXT = {"commitment", "indicator", "comment", "override_reason", "summary"}
MAX_WIDTH = 60


def as_xlsx(promise_reports, year, title):
    """An xlsx file (bytes) of the given promise reports for one year."""
    workbook = Workbook()
    drafts = any(is_draft(report, year) for report in promise_reports)
    workbook.properties.title = (_("UTKAST – ") if drafts else "") + title
    workbook.properties.creator = _("Medborgarlöften")
    summary_sheet(workbook.active, promise_reports, year)
    commitments = commitment_sheet(workbook.create_sheet(_("Åtaganden")), promise_reports, year)
    if len(promise_reports) == 1:
        chart_sheet(workbook.create_sheet(_("Diagram")), commitments)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def is_draft(report, year):
    summary = next((s for s in report.years if s.year == year), None)
    return not report.promise.is_published or summary is None or summary.is_draft


def summary_sheet(sheet, promise_reports, year):
    sheet.title = _("Sammanfattning")
    statuses = list(Status)
    header = [
        _("Område"),
        _("Period"),
        _("Undertecknat den"),
        _("Undertecknare"),
        _("Publicering"),
        _("Godkänd av rådet"),
        _("Sammanfattning %(year)s") % {"year": year},
        *[str(status.label) for status in statuses],
    ]
    rows = []
    for report in promise_reports:
        promise = report.promise
        summary = next((s for s in report.years if s.year == year), None)
        followup = summary.followup if summary else None
        counts = summary.counts if summary else Counter()
        signatories = "; ".join(
            f"{s.name}, {s.role} ({s.party.name})" for s in promise.signatory_list
        )
        rows.append(
            [
                promise.area.name,
                promise.period_label,
                promise.signed_on,
                signatories,
                _("Utkast – ej publicerat") if is_draft(report, year) else _("Publicerad"),
                followup.approved_on if followup else None,
                followup.summary if followup else "",
                *[counts.get(status, 0) for status in statuses],
            ]
        )
    write_table(sheet, header, rows, keys=[None] * 3 + ["parties", None, None, "summary"])
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=6):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"


def commitment_sheet(sheet, promise_reports, year):
    keys = [key for key, _header in spreadsheets.COLUMNS]
    rows = []
    in_points = []  # the rows whose change is in percentage points
    for report in promise_reports:
        for values in spreadsheets.indicator_rows(report, year):
            in_points.append(values["change_in_points"])
            values["status"] = str(Status(values["status"]).label)
            for key in SHARE_COLUMNS:  # percent figures become shares for Excel's % format
                if values[key] is not None:
                    values[key] /= 100
            rows.append([values[key] for key in keys])
    write_table(sheet, spreadsheets.headers(), rows, keys=keys)
    change_column = keys.index("change") + 1
    for row_number, points in enumerate(in_points, start=2):
        cell = sheet.cell(row=row_number, column=change_column)
        if points and cell.value is not None:  # "−1,4" of a percentage reads as −1,4 %
            cell.number_format = points_format()
            letter = get_column_letter(change_column)
            wide_enough = len(f"{cell.value} {_('procentenheter')}") + 3
            width = sheet.column_dimensions[letter].width or 0
            sheet.column_dimensions[letter].width = max(width, wide_enough)
    status_column = keys.index("status") + 1
    labels = {str(status.label): status for status in Status}
    for (cell,) in sheet.iter_rows(min_row=2, min_col=status_column, max_col=status_column):
        fill = STATUS_FILLS.get(labels.get(cell.value))
        if fill:
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    return rows


def chart_sheet(sheet, commitment_rows):
    """Target versus outcome per judged indicator, as a native clustered bar chart.

    For a change rule with no stated amount the baseline stands in as the figure to pass.
    """
    keys = [key for key, _header in spreadsheets.COLUMNS]
    data = []
    for values in (dict(zip(keys, row, strict=True)) for row in commitment_rows):
        goal = values["target"] if values["target"] is not None else values["baseline"]
        if goal is not None:
            name = f"{values['commitment_number']}. {values['indicator']}"
            data.append([name, goal, values["outcome"]])
    write_table(
        sheet,
        [_("Indikator"), _("Mål"), _("Utfall")],
        data,
        keys=["indicator", "target", "outcome"],
    )
    if not data:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Mål och utfall per indikator")
    chart.y_axis.title = _("Antal eller andel")
    chart.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=len(data) + 1),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(data) + 1))
    chart.height, chart.width = 4 + 1.2 * len(data), 22
    sheet.add_chart(chart, "E2")


def write_table(sheet, header, rows, keys):
    """Header in bold and frozen, neutralised text, number formats, widths that fit, a filter."""
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, key in enumerate(keys, start=1):
        format_column(sheet, index, key)
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def format_column(sheet, index, key):
    letter = get_column_letter(index)
    width = 8
    for (cell,) in sheet.iter_rows(min_col=index, max_col=index):
        width = max(width, min(MAX_WIDTH, len(str(cell.value or "")) + 2))
        if cell.row == 1:
            continue
        if key in NUMBER_COLUMNS and isinstance(cell.value, int | Decimal):
            whole = Decimal(cell.value) == Decimal(cell.value).to_integral()
            cell.number_format = "#,##0" if whole else "#,##0.0#"
        elif key in SHARE_COLUMNS and cell.value is not None:
            cell.number_format = "0.0%"
        if key in WIDE_TEXT:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[letter].width = width
