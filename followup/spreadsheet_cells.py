"""How the cells and files of a council member's spreadsheet are read: figures with decimal
commas, judgements and parts of the year by their Swedish or English names, text written back
as it was before our exports defused it, and the commitments sheet of the yearly report."""

from decimal import Decimal
from io import BytesIO

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX

from followup.models import PartOfYear
from followup.status import Override
from promises.numbers import parse_number
from promises.resources import FORMULA_STARTS, neutralise

MAX_ROWS = 20_000
SHEET_NAMES = ("Åtaganden", "Commitments")


class DecimalCommaWidget(widgets.Widget):
    """A figure as a spreadsheet holds it: a number, or text such as "61,5", "2 483" or "−3"."""

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

    def render(self, value, obj=None, **kwargs):
        return value


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


class CommitmentSheetXLSX(XLSX):
    """Reads the commitments sheet of the yearly report, whichever sheet was open when saved."""

    def create_dataset(self, in_stream):
        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        sheet = next((book[name] for name in SHEET_NAMES if name in book.sheetnames), book.active)
        rows = sheet.iter_rows(values_only=True)
        dataset = tablib.Dataset()
        dataset.headers = list(next(rows, []))
        dataset.sheet_rows = []  # each row's number in the sheet, for the import's messages
        for count, row in enumerate(rows, start=1):
            if count > MAX_ROWS + 1:
                break  # before_import reports the file as too long
            if any(value not in (None, "") for value in row):
                dataset.append(list(row) + [None] * (len(dataset.headers) - len(row)))
                dataset.sheet_rows.append(count + 1)
        return dataset


IMPORT_FORMATS = [CommitmentSheetXLSX, CSV]
