"""How an outcome is judged against its indicator's target: the one place statuses come from.

Pure functions over an indicator, an optional outcome and a date, so every rule can be tested
without a database. Templates and exports only show what `assess` returns.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from promises.models import Indicator
from promises.numbers import format_number, format_signed


class Status(models.TextChoices):
    MET = "met", _("Uppfyllt")
    PARTLY_MET = "partly_met", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")
    NOT_CARRIED_OUT = "not_carried_out", _("Ej genomfört")
    IN_PROGRESS = "in_progress", _("Pågående")
    NOT_REPORTED = "not_reported", _("Ej rapporterat")
    NO_TARGET = "no_target", _("Inget mål")


class Override(models.TextChoices):
    """The judgements a council may set by hand, always with a reason."""

    MET = Status.MET.value, Status.MET.label
    PARTLY_MET = Status.PARTLY_MET.value, Status.PARTLY_MET.label
    NOT_MET = Status.NOT_MET.value, Status.NOT_MET.label
    NOT_CARRIED_OUT = Status.NOT_CARRIED_OUT.value, Status.NOT_CARRIED_OUT.label


# A status is shown with a shape as well as a word and a colour, never by colour alone.
ICONS = {
    Status.MET: "✓",
    Status.PARTLY_MET: "◐",
    Status.NOT_MET: "✗",
    Status.NOT_CARRIED_OUT: "⊘",
    Status.IN_PROGRESS: "…",
    Status.NOT_REPORTED: "?",
    Status.NO_TARGET: "–",
}

# Rules where a figure reached during the year (or part of it) cannot be lost again before it
# ends (counts accumulate), so "met" may be shown before it is over.
EARLY_MET_RULES = {Indicator.Rule.AT_LEAST, Indicator.Rule.INCREASE, Indicator.Rule.DONE}

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Change:
    """An outcome against its baseline: 2014 → 2483 is +469, +23.3 %; a share changes in
    percentage points (28,2 % → 26,8 %: −1,4 procentenheter), never by a relative "−5 %"."""

    baseline: Decimal
    value: Decimal
    absolute: Decimal
    percent: Decimal | None  # relative change; None when the baseline is 0 or for a share
    in_points: bool = False  # the indicator is a percentage: the change is in percentage points

    def __str__(self):
        if self.in_points:
            return _("%(baseline)s %% → %(value)s %%: %(change)s procentenheter") % {
                "baseline": format_number(self.baseline),
                "value": format_number(self.value),
                "change": format_signed(self.absolute),
            }
        text = f"{format_number(self.baseline)} → {format_number(self.value)}: "
        text += format_signed(self.absolute)
        if self.percent is not None:
            text += f", {format_signed(self.percent)} %"
        return text


@dataclass(frozen=True)
class Assessment:
    status: Status
    progress: Decimal | None  # share of an "at least" target reached, in percent
    change: Change | None
    overridden: bool = False
    value: Decimal | None = None
    target: Decimal | None = None
    through: str = ""  # for a part of a year: the part the (cumulative) figure runs to, "T2"

    @property
    def label(self):
        return Status(self.status).label

    @property
    def progress_label(self):
        """ "104 av 200 (52 %)", or "" where progress means nothing."""
        if self.progress is None:
            return ""
        numbers = {
            "value": format_number(self.value),
            "target": format_number(self.target),
            "percent": format_number(self.progress.quantize(Decimal(1), ROUND_HALF_UP)),
            "part": self.through,
        }
        if self.through:
            return _("%(value)s av %(target)s efter %(part)s (%(percent)s %%)") % numbers
        return _("%(value)s av %(target)s (%(percent)s %%)") % numbers


def target_met(indicator, value):
    """Whether a value meets the indicator's target; None for a context figure."""
    rule, target, baseline = indicator.rule, indicator.target_value, indicator.baseline_value
    Rule = Indicator.Rule
    if rule == Rule.AT_LEAST:
        return value >= target
    if rule == Rule.AT_MOST:
        return value <= target
    if rule == Rule.INCREASE:
        return value > baseline if target is None else value >= indicator.threshold
    if rule == Rule.DECREASE:
        return value < baseline if target is None else value <= indicator.threshold
    if rule == Rule.DONE:
        return value == 1
    return None


def progress(indicator, value):
    """104 of an "at least 200" target is 52 %; None where progress means nothing."""
    if indicator.rule != Indicator.Rule.AT_LEAST or value is None or not indicator.target_value:
        return None
    return (Decimal(value) * 100 / indicator.target_value).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def change(indicator, value):
    if indicator.baseline_value is None or value is None:
        return None
    baseline = indicator.baseline_value
    absolute = Decimal(value) - baseline
    in_points = indicator.kind == Indicator.Kind.PERCENT
    percent = None
    if baseline and not in_points:
        percent = (absolute * 100 / baseline).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return Change(
        baseline=baseline,
        value=Decimal(value),
        absolute=absolute,
        percent=percent,
        in_points=in_points,
    )


def assess(indicator, outcome, ends_on, today, *, early_met=None, ongoing=None):
    """The status, progress and change of one indicator for one year (or a part's progress).

    `outcome` is anything with a `value` and a `status_override` (an Outcome, or a year's
    figure made of its parts: followup.parts), or None when nothing was entered; `ends_on` is
    the last day of the year being followed up, and `today` decides whether it is over (or
    `ongoing` says so). `early_met` says whether "met" may be shown before then; by default
    for the rules in EARLY_MET_RULES.
    """
    value = outcome.value if outcome is not None else None
    numbers = {
        "progress": progress(indicator, value),
        "change": change(indicator, value),
        "value": value,
        "target": indicator.target_value,
    }
    if outcome is not None and outcome.status_override:
        return Assessment(Status(outcome.status_override), overridden=True, **numbers)
    if indicator.is_context:
        return Assessment(Status.NO_TARGET, **numbers)
    if ongoing is None:
        ongoing = today <= ends_on
    if early_met is None:
        early_met = indicator.rule in EARLY_MET_RULES
    if value is None:
        return Assessment(Status.IN_PROGRESS if ongoing else Status.NOT_REPORTED, **numbers)
    if target_met(indicator, value):
        if ongoing and not early_met:
            return Assessment(Status.IN_PROGRESS, **numbers)
        return Assessment(Status.MET, **numbers)
    return Assessment(Status.IN_PROGRESS if ongoing else Status.NOT_MET, **numbers)


# A commitment is as far along as its weakest judged indicator.
WORST_FIRST = [
    Status.NOT_CARRIED_OUT,
    Status.NOT_MET,
    Status.NOT_REPORTED,
    Status.PARTLY_MET,
    Status.IN_PROGRESS,
    Status.MET,
]


def combine(statuses):
    """The status of a commitment from its indicators' statuses; context figures do not count."""
    judged = {Status(s) for s in statuses} - {Status.NO_TARGET}
    if not judged:
        return Status.NO_TARGET
    return next(status for status in WORST_FIRST if status in judged)
