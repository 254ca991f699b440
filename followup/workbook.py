"""The yearly follow-up report as an Excel workbook, for people: legible on screen and on A4.

Sheets: a summary read downward (label, value) for one promise, or a table of one row per area
for the national report; the commitments (one row per indicator, the same rows and headers the
outcome import reads back), printing only the columns a reader needs and hiding the keys and
codes; and, for one promise, native charts of target versus outcome, one per unit.

Written with XlsxWriter, which is made for writing (page setup, print headers, charts) and
several times faster at it than openpyxl; reading back (the import, the tests) uses openpyxl.
"""

import math
from collections import Counter
from datetime import UTC
from decimal import Decimal
from io import BytesIO

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import spreadsheets
from followup.status import Status
from promises.models import Indicator
from promises.resources import neutralise

STATUS_FILLS = {
    Status.MET: "#C6EFCE",
    Status.PARTLY_MET: "#FFEB9C",
    Status.NOT_MET: "#FFC7CE",
    Status.NOT_CARRIED_OUT: "#FFC7CE",
    Status.IN_PROGRESS: "#FFEB9C",
    Status.NOT_REPORTED: "#D9D9D9",
}

A4 = 9  # Excel's paper code; Sweden prints on A4, and a workbook that sets none gets US Letter
# Arial 10 (Liberation Sans, of the same widths, where LibreOffice prints): the printed columns
# fit the page at 100 % or nearly, so the text prints at 9–10 pt.
FONT = {"font_name": "Arial", "font_size": 10}
MAX_ROW_HEIGHT = 409  # points: Excel's tallest row
LINE_HEIGHT = 12.75  # points per line of Arial 10, as Excel and LibreOffice space it
WHOLE = "#,##0"  # Swedish Excel shows the thousands separator as a space: 2 483
DECIMAL = "#,##0.0#"
SHARE = "0.0#%"  # 61,5 % and 57,35 %, as the pages show them
PLAIN = "0"  # years and numbers: 2021, not 2 021
DATE = "yyyy-mm-dd"

KEYS = [key for key, _header in spreadsheets.COLUMNS]
# The commitments sheet's printed columns and their widths, in digits of Arial 10 (7 px each
# and 5 px a column): landscape A4 within 1.27 cm margins holds 140 at 100 %. The comment
# takes what is left of 148, so the page is fitted to its width at about 95 % (9.5 pt); a
# change in percentage points needs a wider column, and then about 90 % (9 pt).
PRINTED = {
    "commitment_number": 9,
    "commitment": 22,
    "indicator": 22,
    "rule": 15,
    "baseline": 12,
    "outcome": 9,
    "change": 11,
    "status": 13,
}
PRINT_WIDTH = 148
WRAPPED = {"area", "commitment", "indicator", "rule", "comment", "parties", "override_reason"}
WRAPPED |= {"outcome_basis"}  # "summa av T1–T3"
BASIS_WIDTH = 11  # "summa av T1–T3" in two lines; printed only when a row has parts
# Wrapped text whose row height is reckoned: LibreOffice keeps a row one line high unless told.
MEASURED = ("commitment", "indicator", "rule", "status", "comment")
HIDDEN_WIDTHS = {"parties": 24, "override_reason": 30, "outcome_basis": 18}
NUMBER_KEYS = ("target", "baseline", "outcome")
SHARE_KEYS = ("change_percent", "progress")  # percent figures of every indicator
WHOLE_NUMBER_KEYS = ("year", "commitment_number", "indicator_number", "baseline_year")
PERCENT = Indicator.Kind.PERCENT
YES_NO = Indicator.Kind.YES_NO
CHANGE_RULES = {Indicator.Rule.INCREASE, Indicator.Rule.DECREASE}
VALUE_WIDTH = 70  # the summary's values; with the labels' 24, portrait A4 within 1.27 cm
SUMMARY_WIDTH = 50  # the national summary's column of summaries


def points_format():
    """Excel's number format of a change in percentage points, with its unit."""
    unit = _("procentenheter")
    return f'+#,##0.0# "{unit}";-#,##0.0# "{unit}";0 "{unit}"'


def yes_no_format():
    """1 shows as "ja", 0 as "nej": the cell stays the number the import reads back."""
    return '"{yes}";"{yes}";"{no}"'.format(yes=_("ja"), no=_("nej"))


ROW_PIXELS = 17  # the default row: Arial 10's 12.75 pt


def as_xlsx(promise_reports, year, title, built_at=None):
    """An xlsx file (bytes) of the given promise reports for one year; `built_at`, when a kept
    national build began, is written under the summary table and in the file's properties."""
    output = BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            # Text stays text: nothing written is read as a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_format_properties": FONT,
            "default_row_height": ROW_PIXELS,
        },
    )
    drafts = any(is_draft(report, year) for report in promise_reports)
    title = (_("UTKAST – ") if drafts else "") + title
    properties = {"title": title, "author": _("Medborgarlöften")}
    if built_at:
        properties["created"] = built_at.astimezone(UTC)  # xlsxwriter writes it as UTC
    book.set_properties(properties)
    formats = Formats(book)
    single = len(promise_reports) == 1
    place = promise_reports[0].promise.area.name if single else _("Alla områden")
    page = PageText(place, year, title, drafts)
    if single:
        summary, last_row = promise_summary_sheet(book, formats, page, promise_reports[0], year)
    else:
        summary, last_row = areas_summary_sheet(book, formats, page, promise_reports, year)
    if built_at:
        # A kept national build may be served for a while after later edits: it says its age.
        built = timezone.localtime(built_at).strftime("%Y-%m-%d %H:%M")
        text = _("Byggd %(time)s: ändringar efter det kommer med i nästa bygge, inom en minut.")
        summary.write_string(last_row + 2, 0, neutralise(text % {"time": built}))
    rows = commitment_sheet(book, formats, page, promise_reports, year)
    if single:
        chart_sheet(book, formats, page, rows)
    book.close()
    return output.getvalue()


def is_draft(report, year):
    summary = year_summary(report, year)
    return not report.promise.is_published or summary is None or summary.is_draft


def year_summary(report, year):
    return next((s for s in report.years if s.year == year), None)


class Formats:
    """The workbook's cell formats, made once: XlsxWriter adds a style per format object."""

    def __init__(self, book):
        self.book = book
        self.made = {}

    def __call__(self, number_format=None, **properties):
        key = (number_format, tuple(sorted(properties.items())))
        if key not in self.made:
            style = {**FONT, "valign": "top", **properties}
            if number_format:
                style["num_format"] = number_format
            self.made[key] = self.book.add_format(style)
        return self.made[key]


class PageText:
    """The printed header and footer: place and year, the title, "Sida 1 av 3"."""

    def __init__(self, place, year, title, drafts):
        self.title = title
        heading = _("Uppföljning %(year)s") % {"year": year}
        draft = _("UTKAST") if drafts else ""
        # Excel drops a header or footer over 255 characters: long names are cut.
        self.header = f"&L&B{escape(place[:100])}&C{escape(heading)}&R&B{escape(draft)}"
        page_of = _("Sida &P av &N")  # &P and &N are Excel's page number and page count
        self.footer = f"&L{escape(title[:120])}&R{page_of}"

    def set_up(self, sheet, landscape=False, repeat_header=False):
        sheet.set_paper(A4)
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        sheet.set_header(self.header, {"margin": 0.3})
        sheet.set_footer(self.footer, {"margin": 0.3})
        sheet.fit_to_pages(1, 0)  # the widths are chosen to fit: this only guards the edge
        if repeat_header:
            sheet.repeat_rows(0)


def filled(status):
    """A status's fill colour as format properties; "Inget mål" has none."""
    fill = STATUS_FILLS.get(status)
    return {"bg_color": fill} if fill else {}


def height(texts_and_widths):
    """Points a row needs to show its wrapped texts in columns of the given widths: a line is
    reckoned at 1.15 characters a digit's width (Swedish text in Arial 10 is a little narrower
    than digits, and words do not break), rounded up so that nothing is cut off."""
    lines = 1
    for text, width in texts_and_widths:
        if text:
            per_line = max(1, int(width * 1.15) - 2)
            lines = max(lines, sum(len(part) // per_line + 1 for part in str(text).split("\n")))
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def share(percent):
    """A percentage as the share Excel's percent format shows: 37.2 → 0.372, divided as a
    decimal so that no float noise (0.3720000000000001) comes back through the import."""
    return float(Decimal(percent) / 100)


def escape(text):
    """Header text with its ampersands doubled: "&" starts a code in Excel's headers."""
    return str(text).replace("&", "&&")


def promise_summary_sheet(book, formats, page, report, year):
    """One promise, read downward: who promised what, and how the year went."""
    sheet = book.add_worksheet(_("Sammanfattning"))
    page.set_up(sheet)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, VALUE_WIDTH)
    label = formats(bold=True)
    text = formats(text_wrap=True)
    date = formats(DATE, align="left")
    whole = formats(WHOLE, align="left")
    promise = report.promise
    summary = year_summary(report, year)
    followup = summary.followup if summary else None
    counts = summary.counts if summary else Counter()
    sheet.write_string(0, 0, neutralise(page.title), formats(bold=True, font_size=14))
    sheet.set_row(0, 24)
    signatories = "\n".join(
        neutralise(f"{s.name}, {s.role} ({s.party.name})") for s in promise.signatory_list
    )
    rows = [
        (_("Område"), promise.area.name),
        (_("Period"), promise.period_label),
        (_("Undertecknat den"), promise.signed_on),
        (_("Undertecknare"), signatories),
        (_("Publicering"), publication(report, year)),
        (_("Godkänd av rådet"), followup.approved_on if followup else None),
        (_("Sammanfattning %(year)s") % {"year": year}, followup.summary if followup else ""),
        (_("Resultat"), str(summary.label) if summary else ""),
    ]
    row = 2
    for name, value in rows:
        sheet.write_string(row, 0, neutralise(name), label)
        if hasattr(value, "year"):
            sheet.write_datetime(row, 1, value, date)
        elif value:
            sheet.write_string(row, 1, neutralise(str(value)), text)
            sheet.set_row(row, height([(value, VALUE_WIDTH)]))
        row += 1
    row += 1
    sheet.write_string(row, 0, neutralise(_("Åtaganden per status")), label)
    for status in Status:
        row += 1
        sheet.write_string(row, 0, neutralise(status.label), formats(**filled(status)))
        sheet.write_number(row, 1, counts.get(status, 0), whole)
    return sheet, row


def publication(report, year):
    return _("Utkast – ej publicerat") if is_draft(report, year) else _("Publicerad")


def areas_summary_sheet(book, formats, page, promise_reports, year):
    """Many promises: one row per area, the year's summary in a wide wrapped column and the
    commitments per status beside it, so that areas compare down the page. Signatories are
    left to each promise's own report: thirty names a row would make the table unreadable.
    """
    sheet = book.add_worksheet(_("Sammanfattning"))
    page.set_up(sheet, landscape=True, repeat_header=True)
    statuses = list(Status)
    header = [
        _("Område"),
        _("Period"),
        _("Publicering"),
        _("Godkänd av rådet"),
        _("Sammanfattning %(year)s") % {"year": year},
        *[str(status.label) for status in statuses],
    ]
    # Landscape A4 holds 140 at 100 %; the statuses' names are turned upright over narrow
    # columns of counts, as in a printed table.
    widths = [18, 10, 11, 11, SUMMARY_WIDTH, *[6] * len(statuses)]
    bold = formats(bold=True, text_wrap=True, bottom=1)
    upright = formats(bold=True, rotation=90, bottom=1, valign="bottom", align="center")
    for column, (name, width) in enumerate(zip(header, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, neutralise(name), upright if column > 4 else bold)
    sheet.set_row(0, 80)  # "Ej rapporterat" upright
    sheet.freeze_panes(1, 0)
    text, date, whole = formats(text_wrap=True), formats(DATE), formats(WHOLE)
    for row, report in enumerate(promise_reports, start=1):
        promise = report.promise
        summary = year_summary(report, year)
        followup = summary.followup if summary else None
        counts = summary.counts if summary else Counter()
        sheet.write_string(row, 0, neutralise(promise.area.name), text)
        sheet.write_string(row, 1, neutralise(promise.period_label), text)
        sheet.write_string(row, 2, neutralise(publication(report, year)), text)
        if followup and followup.approved_on:
            sheet.write_datetime(row, 3, followup.approved_on, date)
        if followup and followup.summary:
            sheet.write_string(row, 4, neutralise(followup.summary), text)
        texts = [(promise.area.name, 18), (followup and followup.summary, SUMMARY_WIDTH)]
        sheet.set_row(row, height(texts))
        for column, status in enumerate(statuses, start=5):
            sheet.write_number(row, column, counts.get(status, 0), whole)
    sheet.autofilter(0, 0, len(promise_reports), len(header) - 1)
    return sheet, len(promise_reports)


# The national report prints each row's area too, taking from the commitment and indicator.
NATIONAL_PRINTED = {"area": 15, **PRINTED, "commitment": 18, "indicator": 18}


def commitment_sheet(book, formats, page, promise_reports, year):
    """Every indicator of the year, under the headers the import reads; the keys, codes and
    details a reader does not need on paper are hidden columns (still there for the import)."""
    sheet = book.add_worksheet(_("Åtaganden"))
    page.set_up(sheet, landscape=True, repeat_header=True)
    header = formats(bold=True, text_wrap=True, bottom=1)
    for column, name in enumerate(spreadsheets.headers()):
        sheet.write_string(0, column, neutralise(name), header)
    sheet.set_row(0, 2 * LINE_HEIGHT + 3)
    sheet.freeze_panes(1, 0)
    rows = [
        values for report in promise_reports for values in spreadsheets.indicator_rows(report, year)
    ]
    widths = dict(PRINTED if len(promise_reports) == 1 else NATIONAL_PRINTED)
    if any(v["change_in_points"] and v["change"] is not None for v in rows):
        widths["change"] = len(f"-1,4 {_('procentenheter')}") + 2  # not "###" on paper
    if any(v["outcome_basis"] for v in rows):
        # "88" beside "Ej rapporterat" needs its "summa av T1" on paper; most reports have none
        widths["outcome_basis"] = BASIS_WIDTH
    widths["comment"] = max(27, PRINT_WIDTH - sum(widths.values()))
    measured = [(key, widths[key]) for key in ("area", *MEASURED, "outcome_basis") if key in widths]
    cell = CellFormats(formats)
    for row, values in enumerate(rows, start=1):
        write_commitment_row(sheet, row, values, cell)
        sheet.set_row(row, height([(values[key], width) for key, width in measured]))
    if rows:
        sheet.autofilter(0, 0, len(rows), len(KEYS) - 1)
    for column, key in enumerate(KEYS):
        if key in widths:
            sheet.set_column(column, column, widths[key])
        else:
            sheet.set_column(column, column, HIDDEN_WIDTHS.get(key, 12), None, {"hidden": True})
    return rows


class CellFormats:
    """The formats of the commitments sheet's cells, picked per value without new objects."""

    def __init__(self, formats):
        self.text = formats()
        self.wrapped = formats(text_wrap=True)
        self.plain = formats(PLAIN)
        self.whole = formats(WHOLE)
        self.decimal = formats(DECIMAL)
        self.share = formats(SHARE)
        self.points = formats(points_format())
        self.yes_no = formats(yes_no_format())
        self.status = {
            status.value: (neutralise(status.label), formats(text_wrap=True, **filled(status)))
            for status in Status
        }
        self.text_columns = [
            (COLUMN[key], key, self.wrapped if key in WRAPPED else self.text) for key in TEXT_KEYS
        ]

    def number(self, value):
        return self.whole if value == int(value) else self.decimal


COLUMN = {key: column for column, key in enumerate(KEYS)}
FIGURE_KEYS = {"status", "change", *NUMBER_KEYS, *SHARE_KEYS, *WHOLE_NUMBER_KEYS}
TEXT_KEYS = [key for key in KEYS if key not in FIGURE_KEYS]


def write_commitment_row(sheet, row, values, cell):
    """One indicator's row: text neutralised, every figure a number with its format.

    The national report writes 3 000 of these: each kind of column is written in a loop of its
    own rather than asking every cell what it is."""
    number, string = sheet.write_number, sheet.write_string
    for column, key, text_format in cell.text_columns:
        if value := values[key]:
            string(row, column, neutralise(value), text_format)
    for key in WHOLE_NUMBER_KEYS:
        if (value := values[key]) is not None:
            number(row, COLUMN[key], value, cell.plain)
    for key in SHARE_KEYS:
        if (value := values[key]) is not None:
            number(row, COLUMN[key], share(value), cell.share)
    kind = values["kind"]
    for key in NUMBER_KEYS:
        if (value := values[key]) is None:
            continue
        if key == "target" and values["rule_code"] in CHANGE_RULES:
            write_change_target(sheet, row, COLUMN[key], values, cell)
        elif kind == PERCENT:  # 61,5 % is stored as the share 0.615, shown as 61,5 %
            number(row, COLUMN[key], share(value), cell.share)
        elif kind == YES_NO:
            number(row, COLUMN[key], float(value), cell.yes_no)
        else:
            number(row, COLUMN[key], float(value), cell.number(value))
    if (value := values["change"]) is not None:
        change_format = cell.points if values["change_in_points"] else cell.number(value)
        number(row, COLUMN["change"], float(value), change_format)
    label, status_format = cell.status[values["status"]]
    string(row, COLUMN["status"], label, status_format)


def write_change_target(sheet, row, column, values, cell):
    """The promised change: in percent of the baseline, in percentage points, or in units."""
    value = values["target"]
    if values["target_in_percent"]:
        sheet.write_number(row, column, share(value), cell.share)
    elif values["kind"] == PERCENT:
        sheet.write_number(row, column, float(value), cell.points)
    else:
        sheet.write_number(row, column, float(value), cell.number(value))


CHARTED_KINDS = {Indicator.Kind.COUNT: WHOLE, PERCENT: SHARE}


def chart_sheet(book, formats, page, commitment_rows):
    """Target versus outcome per judged figure, one native bar chart per unit (counts apart
    from percentages, which would shrink to nothing beside them). The baseline is named the
    baseline; a change rule with no stated amount has no target figure, only its baseline."""
    sheet = book.add_worksheet(_("Diagram"))
    page.set_up(sheet)
    header = formats(bold=True, text_wrap=True, bottom=1)
    names = [_("Indikator"), _("Utgångsvärde"), _("Mål"), _("Utfall")]
    for column, name in enumerate(names):
        sheet.write_string(0, column, neutralise(name), header)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 3, 13)
    row = 0
    blocks = []  # (kind, first row, last row)
    for kind, number_format in CHARTED_KINDS.items():
        charted = [v for v in commitment_rows if v["kind"] == kind and is_charted(v)]
        if not charted:
            continue
        first = row + 1
        figure = formats(number_format)
        for values in charted:
            row += 1
            name = f"{values['commitment_number']}.{values['indicator_number']} "
            sheet.write_string(row, 0, neutralise(name + values["indicator"]), formats())
            as_number = share if kind == PERCENT else float
            for column, key in enumerate(("baseline", "target_level", "outcome"), start=1):
                if values[key] is not None:
                    sheet.write_number(row, column, as_number(values[key]), figure)
        keys = ("baseline", "target_level", "outcome")
        columns = [
            n for n, key in enumerate(keys, start=1) if any(v[key] is not None for v in charted)
        ]
        blocks.append((kind, first, row, columns))
    anchor = row + 2
    for kind, first, last, columns in blocks:
        chart = bar_chart(book, sheet.name, kind, first, last, columns)
        height = 110 + 54 * (last - first + 1)
        sheet.insert_chart(anchor, 0, chart, {"x_offset": 4, "y_offset": 4})
        chart.set_size({"width": 700, "height": height})
        anchor += math.ceil(height / ROW_PIXELS) + 2  # the next chart starts below this one


def is_charted(values):
    """A judged figure with something to compare: context figures have no target."""
    if values["rule_code"] in (Indicator.Rule.NONE, Indicator.Rule.DONE):
        return False
    return any(values[key] is not None for key in ("baseline", "target_level", "outcome"))


SERIES_COLOURS = ("#A6A6A6", "#1F4E79", "#ED7D31")  # baseline grey, target navy, outcome orange


def bar_chart(book, sheet_name, kind, first, last, columns):
    """Only the series with figures: a chart of change rules with no stated amount has no
    target to name in its legend."""
    chart = book.add_chart({"type": "bar"})
    number_format = CHARTED_KINDS[kind]
    for column, colour in enumerate(SERIES_COLOURS, start=1):
        if column not in columns:
            continue
        chart.add_series(
            {
                "name": [sheet_name, 0, column],
                "categories": [sheet_name, first, 0, last, 0],
                "values": [sheet_name, first, column, last, column],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": number_format},
                "gap": 60,
            }
        )
    title = _("Mål och utfall: andel") if kind == PERCENT else _("Mål och utfall: antal")
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_y_axis({"reverse": True})  # the first indicator on top, as in the table
    chart.set_x_axis({"num_format": "0%" if kind == PERCENT else WHOLE, "min": 0})
    chart.set_legend({"position": "bottom"})
    return chart
