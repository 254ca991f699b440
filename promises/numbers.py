"""Numbers as a Swedish reader expects them: "2 483", "61,5", "23,3"."""

from decimal import Decimal

from django.utils.formats import number_format


def strip_zeros(value):
    """2483.00 → 2483 and 61.50 → 61.5, without turning 2500 into 2.5E+3."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def format_number(value):
    """Drop trailing zeros and group thousands in the active language: 2483.00 → "2 483"."""
    if value is None:
        return ""
    normalized = strip_zeros(value)
    decimals = max(0, -normalized.as_tuple().exponent)
    return number_format(normalized, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_signed(value):
    """A change with its sign: +469, −12,5."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + format_number(abs(value))
