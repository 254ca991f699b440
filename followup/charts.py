"""Bar charts of target versus outcome, laid out in Python and drawn as inline SVG by a template.

One horizontal bar per year (and one for the baseline year), with the target as a marked line.
The template draws what this computes; the table beside each chart carries the same figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

WIDTH = 440
LABEL_WIDTH = 150
BAR_AREA = WIDTH - LABEL_WIDTH - 80  # room on the right for the value text
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 8


@dataclass
class Bar:
    label: str
    value_label: str
    y: int
    width: float
    is_baseline: bool

    @property
    def text_x(self):
        return LABEL_WIDTH + self.width + 6

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
        return cls(
            bars=bars,
            target_x=target_x,
            target_label=indicator.target_label if target is not None else "",
            height=TOP * 2 + len(rows) * ROW_HEIGHT,
        )

    @property
    def line_bottom(self):
        return self.height - TOP
