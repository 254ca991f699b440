"""Bar charts of target versus outcome, laid out in Python and drawn as inline SVG by a template.

One horizontal bar per year (and one for the baseline year), with the target as a marked line.
The template draws what this computes; the table beside each chart carries the same figures.
A bar's value text follows the bar, or the target line when the line would run through it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

WIDTH = 440
LABEL_WIDTH = 150
BAR_AREA = WIDTH - LABEL_WIDTH - 80  # room on the right for the value text
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 8
# A generous average width of one character of the 17 px value text (digits are about 9.5 px),
# so that an estimated text is never narrower than the drawn one.
CHAR_WIDTH = 10.5
GAP = 6  # from a bar's end to its value text
CLEARANCE = 5  # from the (3 px wide) target line to any value text


def text_width(text):
    return len(text) * CHAR_WIDTH


def value_text_x(bar_end, width, target_x):
    """Where a value text `width` wide starts: just after its bar, or just after the target line
    when the line would otherwise run through the text or touch it."""
    x = bar_end + GAP
    if target_x is not None and x - CLEARANCE < target_x < x + width + CLEARANCE:
        x = target_x + CLEARANCE
    return x


@dataclass
class Bar:
    label: str
    value_label: str
    y: int
    width: float
    is_baseline: bool
    text_x: float = 0.0

    @property
    def text_end(self):
        return self.text_x + text_width(self.value_label)

    @property
    def label_y(self):
        return self.y + BAR_HEIGHT - 5


@dataclass
class Chart:
    bars: list[Bar]
    target_x: float | None
    target_label: str
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    width: int = WIDTH

    @classmethod
    def for_indicator(cls, indicator, year_outcomes):
        """`year_outcomes` is a list of (year, outcome or None)."""
        rows = []
        if indicator.baseline_value is not None:
            label = _("Basår %(year)s") % {"year": indicator.baseline_year}
            rows.append((label, indicator.baseline_value, True))
        for year, outcome in year_outcomes:
            rows.append((str(year), outcome.value if outcome else None, False))
        target = indicator.threshold
        scale_max = max([row[1] for row in rows if row[1] is not None] + [target or 0, Decimal(1)])
        bars = []
        for index, (label, value, is_baseline) in enumerate(rows):
            width = float((value or 0) / scale_max) * BAR_AREA
            value_label = indicator.format_value(value) if value is not None else _("inget utfall")
            bars.append(Bar(label, value_label, TOP + index * ROW_HEIGHT, width, is_baseline))
        target_x = None if target is None else LABEL_WIDTH + float(target / scale_max) * BAR_AREA
        for bar in bars:
            bar_end = LABEL_WIDTH + bar.width
            bar.text_x = value_text_x(bar_end, text_width(bar.value_label), target_x)
        # A text moved past the line may need more room on the right: the drawing widens.
        width = max([WIDTH] + [math.ceil(bar.text_end) + 2 for bar in bars])
        return cls(
            bars=bars,
            target_x=target_x,
            target_label=indicator.target_label if target is not None else "",
            height=TOP * 2 + len(rows) * ROW_HEIGHT,
            width=width,
        )

    @property
    def line_bottom(self):
        return self.height - TOP
