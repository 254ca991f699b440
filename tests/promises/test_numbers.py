"""Numbers are read as people type them, the same on the entry page, in the admin and in imports."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from followup.spreadsheet_cells import DecimalCommaWidget
from promises.forms import NumberField
from promises.numbers import format_number, parse_number

AS_TYPED = [
    ("104", Decimal("104")),
    ("61,5", Decimal("61.5")),
    ("1234.5", Decimal("1234.5")),
    ("1 234", Decimal("1234")),
    ("1 234,5", Decimal("1234.5")),
    ("12 345 678,5", Decimal("12345678.5")),
    ("2\u00a0483", Decimal("2483")),  # a no-break space, as the site itself shows it
    ("2\u202f483", Decimal("2483")),  # a narrow no-break space
    ("12 %", Decimal("12")),
    ("12%", Decimal("12")),
    ("\u22123", Decimal("-3")),  # a typographic minus
    ("\u20133", Decimal("-3")),  # an en dash, as a word processor turns a minus
    ("-3", Decimal("-3")),
    ("  7 ", Decimal("7")),
    (",5", Decimal("0.5")),
]
NOT_NUMBERS = ["många", "1.234,5", "1,2,3", "12 st", "1e3", "NaN", "Infinity", "−", "%", "0x10"]
# Spaces that do not group thousands are a slip of the finger, not a number to guess at.
NOT_NUMBERS += ["1 2", "12 34", "1 2345", "1,2 3", "1 234 5"]


@pytest.mark.parametrize(("text", "number"), AS_TYPED)
def test_a_number_is_read_as_typed(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_anything_else_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("text", "number"), AS_TYPED)
def test_the_form_field_and_the_import_read_the_same(text, number):
    assert NumberField(max_digits=12, decimal_places=2).clean(text) == number
    assert DecimalCommaWidget().clean(text) == number


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_the_form_field_says_fill_in_a_number(text):
    with pytest.raises(forms.ValidationError) as error:
        NumberField(max_digits=12, decimal_places=2).clean(text)
    assert error.value.messages == ["Fyll i ett tal."]


def test_the_import_reads_numbers_a_spreadsheet_holds():
    widget = DecimalCommaWidget()
    assert widget.clean(2483) == Decimal("2483")
    assert widget.clean(61.5) == Decimal("61.5")
    assert widget.clean(None) is None
    with pytest.raises(ValueError, match="är inte ett tal"):
        widget.clean(True)
    with pytest.raises(ValueError, match="är inte ett tal"):
        widget.clean(float("nan"))


def test_a_number_is_written_in_the_language_of_each_reader_however_often_it_is_written():
    # format_number remembers the texts it has made, by language.
    for language, text in [("sv", "12\u00a0345,6"), ("en", "12,345.6"), ("sv", "12\u00a0345,6")]:
        with translation.override(language):
            assert format_number(Decimal("12345.60")) == text
            assert format_number(Decimal("12345.6")) == text
