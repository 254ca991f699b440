"""What the outcome import's preview page shows: the file's rows under their Swedish column names,
a changed value as "old → new", and every refused row's errors in words, by the row number the
spreadsheet shows and the column's name.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.resources import Diff
from import_export.results import RowResult

from followup.models import PartOfYear
from followup.status import Override
from promises.models import Indicator
from promises.numbers import format_number

KIND_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("Ny"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Ändras"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Oförändrad"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("Fel"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("Fel"),
}
CODED = {"part_of_year": PartOfYear, "override": Override}


def shown(key, value):
    """A cell as a person reads it: empty for nothing, numbers in Swedish, codes by name."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, int) and key != "outcome":
        return str(value)  # a year or a number of a commitment: 2024, not "2 024"
    if isinstance(value, int | float | Decimal):
        return format_number(Decimal(str(value)))
    if key in CODED and value in CODED[key].values:
        return str(CODED[key](value).label)
    return str(value).strip()


@dataclass
class Cell:
    old: str
    new: str
    key: str = ""  # the column's key, which the page styles by (long texts wrap)

    @property
    def changed(self):
        return self.old != self.new


class PreviewDiff(Diff):
    """import-export's diff of a row, kept as values (Cell) instead of an HTML diff of strings,
    so an unchanged "10.00" against "10" is no difference and an empty cell stays empty."""

    def __init__(self, resource, instance, new):
        self.keys = [field.column_name for field in resource.get_import_fields()]
        self.left = self.read(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self.read(resource, instance)

    @staticmethod
    def read(resource, instance):
        return [
            "" if instance is None else shown_field(field, instance)
            for field in resource.get_import_fields()
        ]

    def as_html(self):
        if self.new:
            return [Cell("", new, key) for new, key in zip(self.right, self.keys, strict=True)]
        return [
            Cell(old, new, key)
            for old, new, key in zip(self.left, self.right, self.keys, strict=True)
        ]


def shown_field(field, instance):
    value = field.get_value(instance)
    if field.column_name == "outcome" and value is not None:
        if instance.indicator.kind == Indicator.Kind.YES_NO:
            return instance.indicator.format_value(value).capitalize()
    return shown(field.column_name, value)


@dataclass
class Row:
    number: int
    kind: str
    cells: list[Cell]

    @property
    def label(self):
        return KIND_LABELS.get(self.kind, "")

    @property
    def shows_changes(self):
        return self.kind == RowResult.IMPORT_TYPE_UPDATE


@dataclass
class RowError:
    number: int
    column: str  # the column's header, or "" for the row as a whole
    message: str


@dataclass
class Preview:
    headers: list[str]
    rows: list[Row]
    errors: list[RowError]


def headers(resource):
    """The columns an import reads, named as the workbook names them ("Åtagande nr")."""
    return [capfirst(str(resource.header(field))) for field in resource.get_import_fields()]


def build(result, resource):
    """The preview of an import's `result`, read by `resource` (an OutcomeResource)."""
    fields = resource.get_import_fields()
    header_of = {}  # by column and by attribute: errors name either
    for field in fields:
        header = capfirst(str(resource.header(field)))
        header_of[field.column_name] = header_of[field.attribute] = header
    rows, errors = [], []
    for index, row_result in enumerate(result.rows, start=1):
        number = getattr(row_result, "number", index + 1)
        if row_result.diff is not None:
            cells = row_result.diff
        else:  # a refused row: the cells as the file has them
            values = row_result.row_values or {}
            cells = [
                Cell("", shown(f.column_name, values.get(f.column_name)), f.column_name)
                for f in fields
            ]
        rows.append(Row(number, row_result.import_type, cells))
        errors += row_errors(number, row_result, header_of)
    return Preview(headers(resource), rows, errors)


def row_errors(number, row_result, header_of):
    errors = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        by_key = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, messages in by_key.items():
            column = "" if key in (None, NON_FIELD_ERRORS) else header_of.get(key, "")
            errors += [RowError(number, column, message) for message in messages]
    for error in row_result.errors:
        errors.append(RowError(number, "", str(error.error)))
    return errors
