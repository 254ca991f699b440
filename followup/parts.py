"""How the parts of a year (tertials, quarters) make the year's figure, and how far a part has
come toward the yearly target.

A target is stated for the year, so a part is progress toward it, never a verdict of its own:
counts add up (3 in T1 and 2 in T2 are "5 av 6 efter T2"), a share or a state is what the latest
part says, and a one-off is done once any part is done. A full-year figure the council entered
counts instead of the parts. Pure functions over an indicator and outcomes (saved or not), so
every rule is tested without a database; statuses still come from `followup.status`.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from followup import status
from promises.models import Indicator

YEAR = "year"
TERTIALS = ("t1", "t2", "t3")
QUARTERS = ("q1", "q2", "q3", "q4")
SHORT = {
    "t1": _("T1"),
    "t2": _("T2"),
    "t3": _("T3"),
    "q1": _("K1"),
    "q2": _("K2"),
    "q3": _("K3"),
    "q4": _("K4"),
}
Rule = Indicator.YearFromParts


class Basis:
    """Where a year's figure comes from; the codes are open data's `outcome_basis` column."""

    NONE = ""
    YEAR = "year"  # the council entered a full-year figure
    PARTS_SUM = "parts_sum"
    PARTS_LATEST = "parts_latest"
    PARTS_DONE = "parts_done"
    DONE_EARLIER = "done_earlier"  # a one-off done in an earlier year of the promise


def scheme(outcomes):
    """The parts a year is split into: tertials if any tertial was entered, else quarters."""
    return TERTIALS if any(o.part_of_year in TERTIALS for o in outcomes) else QUARTERS


def parts_in_order(outcomes):
    """The outcomes of a year's parts (of one scheme), first part first."""
    order = scheme(outcomes)
    return sorted(
        (o for o in outcomes if o.part_of_year in order), key=lambda o: order.index(o.part_of_year)
    )


def combine(rule, outcomes):
    """(value, basis, the parts it was made of) from part outcomes in order, or (None, "", ())."""
    entered = [o for o in outcomes if o.value is not None]
    if not entered:
        return None, Basis.NONE, ()
    if rule == Rule.SUM:
        return sum((o.value for o in entered), Decimal(0)), Basis.PARTS_SUM, tuple(entered)
    if rule == Rule.DONE_ONCE:
        done = next((o for o in entered if o.value == 1), None)
        if done is not None:
            return Decimal(1), Basis.PARTS_DONE, (done,)
    return entered[-1].value, Basis.PARTS_LATEST, (entered[-1],)


def parts_label(parts):
    """ "T1–T3" for consecutive parts, "T1, T3" otherwise."""
    names = [str(SHORT[o.part_of_year]) for o in parts]
    order = scheme(parts)
    first, last = order.index(parts[0].part_of_year), order.index(parts[-1].part_of_year)
    if len(parts) > 2 and last - first == len(parts) - 1:
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


@dataclass(frozen=True)
class YearFigure:
    """A year's figure for one indicator: entered for the whole year, or made of its parts.

    Read by `status.assess` like an outcome (`value`, `status_override`): the council's
    override of the year, on its full-year outcome, still decides.
    """

    value: Decimal | None
    basis: str = Basis.NONE
    outcome: object = None  # the full-year outcome (comment, override), if any
    parts: tuple = ()  # every part outcome of the year, first part first
    made_of: tuple = ()  # the part outcomes the value was made of
    done_in: int | None = None  # for Basis.DONE_EARLIER

    @property
    def status_override(self):
        return self.outcome.status_override if self.outcome is not None else ""

    @property
    def override_reason(self):
        return self.outcome.override_reason if self.outcome is not None else ""

    @property
    def is_empty(self):
        """Nothing entered for the year, neither for the whole of it nor for a part."""
        return self.outcome is None and not self.parts

    @property
    def basis_label(self):
        """ "summa av T1–T3", "senaste: T2", "genomfört 2021"; "helårssiffra" beside parts."""
        if self.basis == Basis.YEAR:
            return str(_("helårssiffra")) if self.parts else ""
        if self.basis == Basis.PARTS_SUM:
            return str(_("summa av %(parts)s")) % {"parts": parts_label(self.made_of)}
        if self.basis == Basis.PARTS_LATEST:
            return str(_("senaste: %(part)s")) % {"part": SHORT[self.made_of[0].part_of_year]}
        if self.basis == Basis.PARTS_DONE:
            return str(_("genomfört %(part)s")) % {"part": SHORT[self.made_of[0].part_of_year]}
        if self.basis == Basis.DONE_EARLIER:
            return str(_("genomfört %(year)s")) % {"year": self.done_in}
        return ""


def year_figure(indicator, outcomes):
    """The year's figure from all the outcomes of one indicator and year (whole year and parts).

    A full-year figure counts when the council entered one; otherwise the parts make it by the
    indicator's rule. A full-year outcome without a value (a comment, an override) keeps its
    comment and override, and the parts still give the figure.
    """
    full = next((o for o in outcomes if o.part_of_year == YEAR), None)
    parts = tuple(parts_in_order(outcomes))
    if full is not None and full.value is not None:
        return YearFigure(full.value, Basis.YEAR, full, parts)
    value, basis, made_of = combine(indicator.parts_rule, parts)
    return YearFigure(value, basis, full, parts, made_of)


def can_be_met_early(indicator, figure):
    """Met before the year ends only where it cannot be lost: a rule that counts upward, with a
    figure that only grows (summed parts, a one-off done) or entered for the whole year."""
    if indicator.rule not in status.EARLY_MET_RULES:
        return False
    return figure.basis != Basis.PARTS_LATEST


def assess_year(indicator, figure, year, today):
    """The year's status, judged on its figure (entered or made of parts).

    A sum of parts without the year's last part is not the year's figure: once the year has
    ended, a target the missing part could still have reached is "not reported" rather than
    "not met" (one already reached stays met; a limit already passed stays not met).
    """
    ends_on = datetime.date(year, 12, 31)
    assessment = status.assess(
        indicator, figure, ends_on, today, early_met=can_be_met_early(indicator, figure)
    )
    if indicator.rule not in status.EARLY_MET_RULES or not lacks_last_part(figure):
        return assessment
    if assessment.status == status.Status.NOT_MET and not assessment.overridden:
        return replace(assessment, status=status.Status.NOT_REPORTED)
    if assessment.computed == status.Status.NOT_MET:  # what the council's override replaced
        return replace(assessment, computed=status.Status.NOT_REPORTED)
    return assessment


def lacks_last_part(figure):
    """Whether a year's sum of parts is still waiting for the year's last part."""
    if figure.basis != Basis.PARTS_SUM:
        return False
    return figure.parts[-1].part_of_year != scheme(figure.parts)[-1]


def carried(indicator, figure, earlier_rows):
    """A one-off done in an earlier year stays done: the year's figure and assessment when
    nothing else was entered for it, or None. `earlier_rows` are (year, assessment) in order."""
    if indicator.rule != Indicator.Rule.DONE or figure.value is not None or figure.status_override:
        return None
    done_in = next((y for y, a in earlier_rows if a.status == status.Status.MET), None)
    if done_in is None:
        return None
    carried_figure = replace(figure, basis=Basis.DONE_EARLIER, done_in=done_in)
    assessment = status.Assessment(status.Status.MET, progress=None, change=None, done_in=done_in)
    return carried_figure, assessment


def assess_part(indicator, outcome, earlier, today):
    """How far one tertial or quarter has come toward the yearly target.

    `outcome` is the part's outcome (its `value` may be None); `earlier` the outcomes of the
    same year's other parts (any order; later parts are ignored). The figure judged is
    cumulative for summed rules, the part's own for the latest-part rule. Only the year's last
    part, once the year has ended, can be "not met": before that a part is in progress, or met
    where that cannot be lost.
    """
    # The part's own scheme: a quarter entered beside tertials is read among the quarters.
    order = TERTIALS if outcome.part_of_year in TERTIALS else QUARTERS
    position = order.index(outcome.part_of_year)
    before = [o for o in earlier if o.part_of_year in order[:position]]
    before.sort(key=lambda o: order.index(o.part_of_year))
    year_end = datetime.date(outcome.year, 12, 31)
    is_last = position == len(order) - 1
    part_ended = today > outcome.ends_on
    if outcome.value is None:
        figure = YearFigure(None, outcome=outcome)
        ongoing = not part_ended
    else:
        value, basis, made_of = combine(indicator.parts_rule, [*before, outcome])
        figure = YearFigure(value, basis, outcome, made_of=made_of)
        ongoing = today <= year_end or not is_last
    assessment = status.assess(
        indicator,
        figure,
        None,
        today,
        early_met=can_be_met_early(indicator, figure),
        ongoing=ongoing,
    )
    return replace(assessment, through=str(SHORT[outcome.part_of_year]))


@dataclass(frozen=True)
class PartRow:
    """One part of a year on a page: its own figure and the year's progress after it."""

    indicator: Indicator
    outcome: object
    value_label: str
    assessment: status.Assessment

    @property
    def name(self):
        return SHORT[self.outcome.part_of_year]

    @property
    def progress_label(self):
        """ "5 av 6 efter T2 (83 %)" toward an "at least" target, "5 st efter T2" for another
        summed figure; "" where the part's own figure is the year's so far."""
        if self.assessment.progress_label:
            return self.assessment.progress_label
        indicator, value = self.indicator, self.assessment.value
        if value is None or indicator.parts_rule != Rule.SUM:
            return ""
        return str(_("%(value)s efter %(part)s")) % {
            "value": indicator.format_value(value),
            "part": self.name,
        }


def part_rows(indicator, figure, today):
    """The rows of a year's parts, each with the progress after it."""
    return [
        PartRow(
            indicator,
            outcome,
            indicator.format_value(outcome.value),
            assess_part(indicator, outcome, [o for o in figure.parts if o is not outcome], today),
        )
        for outcome in figure.parts
    ]


def assess_entered(indicator, instance, saved, rest_of_year, today):
    """What the entry page shows beside a row, before anything is validated: for the whole
    year, the year's status with its parts; for a part, its progress toward the yearly target.

    `instance` is the row's outcome (unsaved when nothing was entered), `saved` the same when it
    is stored or None, `rest_of_year` the indicator's other outcomes of the year.
    """
    if instance.part_of_year == YEAR:
        figure = year_figure(indicator, [*([saved] if saved is not None else []), *rest_of_year])
        return assess_year(indicator, figure, instance.year, today)
    return assess_part(indicator, instance, list(rest_of_year), today)
