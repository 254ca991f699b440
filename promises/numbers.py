"""Numbers as a Swedish reader expects them: "2 483", "61,5", "23,3"."""

import re
from decimal import Decimal

from django.core.signals import setting_changed
from django.utils.formats import number_format
from django.utils.translation import get_language


def strip_zeros(value):
    """2483.00 → 2483 and 61.50 → 61.5, without turning 2500 into 2.5E+3."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# Texts already made, by (language, type, the value's exact text). A national report formats some
# 6 000 figures, most of them alike, and Django's number_format reads the language and three
# formats for each: a remembered text costs about a quarter of a fresh one (issue 16).
FORMATTED = {}
FORMATTED_MAX = 10_000


def format_number(value):
    """Drop trailing zeros and group thousands in the active language: 2483.00 → "2 483"."""
    if value is None:
        return ""
    key = (get_language(), value.__class__, str(value))
    text = FORMATTED.get(key)
    if text is None:
        if len(FORMATTED) >= FORMATTED_MAX:
            FORMATTED.clear()
        text = FORMATTED[key] = grouped(value)
    return text


def forget_formats(**kwargs):
    """A changed format setting (in tests) changes the texts."""
    FORMATTED.clear()


setting_changed.connect(forget_formats)


def grouped(value):
    """The text of format_number, made afresh."""
    normalized = strip_zeros(value)
    decimals = max(0, -normalized.as_tuple().exponent)
    return number_format(normalized, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_signed(value):
    """A change with its sign: +469, −12,5."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + format_number(abs(value))


# Spaces people and spreadsheets put between thousands: space, no-break space, narrow no-break
# space, thin space.
GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009")
# A minus as word processors and phones type it: minus sign, en dash.
MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
SPACES = " \u00a0\u202f\u2009"
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_number(text):
    """A number as people type it, in any language of the site: "1 234,5", "1234.5", "12 %",
    "−3" (a typographic minus). A comma or a point is the decimal separator, never a thousands
    separator; spaces of any width group thousands. Raises ValueError for anything else, also
    for "1.234,5", which could be read two ways."""
    typed = str(text).strip().translate(MINUS).removesuffix("%").rstrip(SPACES)
    if not groups_thousands(typed):
        raise ValueError(text)  # "1 2" or "12 34" is a slip of the finger, not twelve
    cleaned = typed.translate(GROUPING)
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValueError(text)
    cleaned = cleaned.replace(",", ".")
    if not NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


def groups_thousands(typed):
    """Whether the spaces in a typed number only group its whole part in thousands: "1 234"
    and "12 345 678,5" do, "1 2", "12 34" and "1,2 3" do not."""
    whole, _separator, fraction = (*re.split(r"([.,])", typed.lstrip("+-"), maxsplit=1), "", "")[:3]
    if any(space in fraction for space in SPACES):
        return False
    groups = re.split(f"[{SPACES}]", whole)
    if len(groups) == 1:
        return True
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
