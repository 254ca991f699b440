"""How the cells and files of a council member's spreadsheet are read: figures with decimal
commas, judgements and parts of the year by their Swedish or English names, text written back
as it was before our exports defused it, and the commitments sheet of the yearly report."""

import csv
import re
import zipfile
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX

from followup.models import PartOfYear
from followup.status import Override
from promises.numbers import format_number, parse_number
from promises.resources import FORMULA_STARTS, Figure, neutralise

# What an import reads at most, whatever a file declares. The national yearly report has about
# 3 000 rows; a file of MAX_ROWS rows reaches the preview in seconds and well under 200 MB
# (bench/import_limits.py; README, "Excel out and in"). 20 000 rows took half a minute and
# 300 MB, most of it import-export's dry run.
MAX_ROWS = 5_000
# The report's 22 columns and the import's two of its own, with room for a few more: a sheet's
# columns after the last header within these are not read.
MAX_COLUMNS = 40
MAX_UPLOAD_MB = 5  # a full report of MAX_ROWS rows is under 0.5 MB
# An xlsx is a zip: its unpacked parts (the sheet's XML above all) are what reading costs. A full
# report of MAX_ROWS rows unpacks to about 6 MB; a sheet of 12 MB of nothing but empty cells
# (a million of them) is the most reading can be made to do.
MAX_UNPACKED_MB = 12
# openpyxl builds an object for every style of a workbook, even to read its values: a 15 KB file
# declaring two million styles grew a process to 1 GB. A report's styles take a few KB.
MAX_STYLES_KB = 512
# Rows a sheet may number, empty ones included: a sheet may leave rows empty, but a row numbered
# two billion made openpyxl yield every empty row before it, for minutes.
MAX_SHEET_ROWS = 2 * MAX_ROWS
SHEET_NAMES = ("Åtaganden", "Commitments")


class DecimalCommaWidget(Figure):
    """A figure as a spreadsheet holds it: a number, or text such as "61,5", "2 483" or "−3",
    and a percent-formatted cell as Swedish Excel saves it in a csv, "61,5 %": the percentage
    shown, not the share 0,615 (any space before the sign, thousands grouped with any space);
    written as `Figure` writes it."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        not_a_number = ValueError(_("”%(value)s” är inte ett tal.") % {"value": value})
        if isinstance(value, bool):
            raise not_a_number
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
            if not number.is_finite():
                raise not_a_number
            return number
        try:
            return parse_number(value)  # read as the entry page reads it
        except ValueError:
            raise not_a_number from None


class OverrideWidget(widgets.Widget):
    """The council's judgement by its Swedish or English name (or code); empty for none."""

    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            return ""
        choice = choice_named(Override, value)
        if choice is None:
            raise ValueError(_("Okänd bedömning ”%(value)s”.") % {"value": value})
        return choice

    def render(self, value, obj=None, **kwargs):
        return str(Override(value).label) if value else ""


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().replace("\r\n", "\n")
        # Undo the apostrophe our own exports put before text that could run as a formula.
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]
        return text

    def render(self, value, obj=None, **kwargs):
        return neutralise(value or "")


def choice_named(choices, value):
    """The choice whose code, Swedish or English label is `value` (any case), or None."""
    text = str(value or "").strip().lower()
    for choice in choices:
        names = {choice.value}
        for language in ("sv", "en"):
            with translation.override(language):
                names.add(str(choice.label).lower())
        if text in names:
            return choice.value
    return None


def part_of_year_named(value):
    """The part of the year a cell names; an empty cell means the whole year."""
    if not str(value or "").strip():
        return PartOfYear.YEAR
    choice = choice_named(PartOfYear, value)
    if choice is None:
        message = _("Okänd del av året ”%(value)s”: skriv helår, tertial eller kvartal.")
        raise ValidationError(message % {"value": value})
    return choice


YES = {"ja", "yes", "1", "sant", "true"}
NO = {"nej", "no", "0", "falskt", "false"}


def yes_no_named(value):
    """A yes/no outcome as "1" or "0", from "Ja"/"Nej" (any case, Swedish or English), 1/0 or a
    spreadsheet's TRUE/FALSE; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().lower()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value in (0, 1):
        text = str(int(value))
    if text in YES:
        return "1"
    if text in NO:
        return "0"
    message = _("”%(value)s” är inte ja eller nej: skriv Ja, Nej, 1 eller 0.")
    raise ValidationError(message % {"value": value})


class FileRefused(ValueError):
    """A file refused as a whole before its rows are read; the message is shown as it is."""


def too_long():
    return FileRefused(
        _("Filen har fler än %(max)s rader; dela upp den och läs in delarna var för sig.")
        % {"max": format_number(MAX_ROWS)}
    )


def header_of(row):
    """The header row's cells up to its last filled one, at most MAX_COLUMNS."""
    header = list(row)[:MAX_COLUMNS]
    while header and header[-1] in (None, ""):
        header.pop()
    return header


def bounded_dataset(rows):
    """A dataset of `rows` (an iterator of the file's rows, the header first): only the columns
    up to the last header, and empty rows left out. Reading stops at the first row past
    MAX_ROWS, so that a file too long is refused without being read to its end.
    """
    header = header_of(next(rows, ()))
    width = len(header)
    dataset = tablib.Dataset()
    dataset.headers = header
    dataset.sheet_rows = []  # each row's number in the sheet, for the import's messages
    for number, row in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            raise too_long()
        row = list(row[:width])
        if not any(value not in (None, "") for value in row):
            continue
        if len(dataset) == MAX_ROWS:
            raise too_long()
        dataset.append(row + [None] * (width - len(row)))
        dataset.sheet_rows.append(number)
    return dataset


class PercentAsShown:
    """A row's values as the sheet shows them: a cell formatted as a percentage holds the share
    0.615 and shows 61,5 %, which the import reads as the percentage 61,5 (as typed in the
    entry page). Whether a format is a percentage is worked out once per format."""

    def __init__(self):
        self.percent_formats = {}

    def values(self, cells):
        return [self.value(cell) for cell in cells]

    def value(self, cell):
        value = cell.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            number_format = cell.number_format
            if number_format not in self.percent_formats:
                self.percent_formats[number_format] = is_percent_format(number_format)
            if self.percent_formats[number_format]:
                # 0.615 → 61.5, 1 → 100; twelve digits drop a float's noise (37.20000000000001)
                percent = Decimal(f"{value * 100:.12g}")
                whole = percent == percent.to_integral_value()
                return percent.to_integral_value() if whole else percent.normalize()
        return value


def is_percent_format(number_format):
    """ "0.0%" scales by a hundred; a quoted or escaped per cent sign ('0" %"') is only text."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


class CommitmentSheetXLSX(XLSX):
    """Reads the commitments sheet of the yearly report, whichever sheet was open when saved.

    Only what the import needs is read: the sheet's size is not taken from the file (a sheet
    declaring 16 384 columns made openpyxl pad every row to them), and a file whose parts
    unpack to more than MAX_UNPACKED_MB, or whose styles are more than MAX_STYLES_KB, is refused
    before any is read.
    """

    def create_dataset(self, in_stream):
        with zipfile.ZipFile(BytesIO(in_stream)) as archive:
            # The sizes a zip declares bound what reading it yields: zipfile stops there.
            sizes = {info.filename: info.file_size for info in archive.infolist()}
        if sum(sizes.values()) > MAX_UNPACKED_MB * 2**20:
            raise FileRefused(
                _("Filen är för stor för att läsas in (uppackad över %(max)s MB).")
                % {"max": MAX_UNPACKED_MB}
            )
        if sizes.get("xl/styles.xml", 0) > MAX_STYLES_KB * 2**10:
            raise FileRefused(
                _(
                    "Filen har ovanligt många formatmallar (över %(max)s kB) och läses inte in. "
                    "Kopiera uppgifterna till en ny arbetsbok och spara den."
                )
                % {"max": MAX_STYLES_KB}
            )
        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = next(
                (book[name] for name in SHEET_NAMES if name in book.sheetnames), book.active
            )
            sheet.reset_dimensions()
            first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
            width = len(header_of(first))
            rows = sheet.iter_rows(max_col=max(width, 1))
            return bounded_dataset(map(PercentAsShown().values, rows))
        finally:
            book.close()


def decoded(content):
    """The text of a csv file: UTF-8 (with or without the byte order mark Excel writes), or
    Windows-1252, which Swedish Excel's plain "CSV" still saves."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def delimiter_of(text):
    """Swedish Excel separates with semicolons (the comma is its decimal mark); programs with
    commas. The header, whose names hold neither, tells which."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


class BoundedCSV(CSV):
    """A csv file read as the xlsx is: the columns up to the last header, at most MAX_ROWS
    rows, and no field over the csv module's limit (131 072 characters); as programs write it
    or as Swedish Excel saves it (semicolons, Windows-1252 or UTF-8 with a byte order mark)."""

    def create_dataset(self, in_stream):
        text = decoded(in_stream) if isinstance(in_stream, bytes) else in_stream.lstrip("\ufeff")
        try:
            return bounded_dataset(csv.reader(StringIO(text), delimiter=delimiter_of(text)))
        except csv.Error:
            raise FileRefused(
                _(
                    "Filen kunde inte läsas som csv: en cell är längre än 131 072 tecken, eller "
                    "ett citattecken saknar sin avslutning."
                )
            ) from None


IMPORT_FORMATS = [CommitmentSheetXLSX, BoundedCSV]
