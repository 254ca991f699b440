"""How an outcome is judged against its indicator's target: the one place statuses come from.

Pure functions over an indicator, an optional outcome and a date, so every rule can be tested
without a database. Templates and exports only show what `assess` returns.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext
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
    # Set by the council's override: the status the figures gave, and the council's reason.
    computed: Status | None = None
    override_reason: str = ""
    done_in: int | None = None  # a one-off done in an earlier year, which stays done

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
    computed = Assessment(
        computed_status(indicator, value, ends_on, today, early_met, ongoing), **numbers
    )
    if outcome is not None and outcome.status_override:
        return overridden(computed, outcome.status_override, outcome_reason(outcome))
    return computed


def computed_status(indicator, value, ends_on, today, early_met, ongoing):
    """The status the figures give, before any override by the council."""
    if indicator.is_context:
        return Status.NO_TARGET
    if ongoing is None:
        ongoing = today <= ends_on
    if early_met is None:
        early_met = indicator.rule in EARLY_MET_RULES
    if value is None:
        return Status.IN_PROGRESS if ongoing else Status.NOT_REPORTED
    if target_met(indicator, value):
        if ongoing and not early_met:
            return Status.IN_PROGRESS
        return Status.MET
    return Status.IN_PROGRESS if ongoing else Status.NOT_MET


def overridden(computed, override, reason=""):
    """The council's judgement in place of a computed assessment, which it remembers."""
    return replace(
        computed,
        status=Status(override),
        overridden=True,
        computed=computed.status,
        override_reason=reason,
    )


def outcome_reason(outcome):
    """The council's reason for its override: an Outcome's, or a year's figure's (which reads
    its full-year outcome's); other objects read as outcomes may have none."""
    return getattr(outcome, "override_reason", "") or ""


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


# How a status was reached, in words (issue 18): made from the assessment `assess` returned, so
# the sentence and the badge come from one decision and cannot disagree.

Rule = Indicator.Rule

# The target in a sentence, (once the year is judged, while it is in progress), by rule.
TARGET_SENTENCES = {
    Rule.AT_LEAST: (_("Målet var %(target)s."), _("Målet är %(target)s.")),
    Rule.AT_MOST: (_("Målet var %(target)s."), _("Målet är %(target)s.")),
    Rule.INCREASE: (_("Målet var att %(target)s."), _("Målet är att %(target)s.")),
    Rule.DECREASE: (_("Målet var att %(target)s."), _("Målet är att %(target)s.")),
    Rule.DONE: (_("Målet var att det genomförs."), _("Målet är att det genomförs.")),
}
# An outcome against a limit, by rule and whether it is met.
LIMIT_FACTS = {
    (Rule.AT_LEAST, True): _("Utfallet %(value)s når målet"),
    (Rule.AT_LEAST, False): _("Utfallet %(value)s når inte upp till målet"),
    (Rule.AT_MOST, True): _("Utfallet %(value)s håller sig inom målet"),
    (Rule.AT_MOST, False): _("Utfallet %(value)s är över målet"),
}
# A change rule with a stated amount names the figure it comes to.
THRESHOLD_SENTENCES = {
    Rule.INCREASE: _("Det betyder minst %(threshold)s."),
    Rule.DECREASE: _("Det betyder högst %(threshold)s."),
}


def explain(indicator, assessment):
    """How an assessment's status was reached, in a sentence or three: the rule and target, the
    outcome against it (share of the target, change from the baseline), the resulting status,
    and the council's override with its reason. "Målet var minst 200 st. Utfallet 104 st är
    52 % av målet, alltså ej uppfyllt." Translated text, for the active language."""
    if assessment.overridden:
        sentences = []
        if assessment.computed is not None:
            figures = replace(assessment, status=assessment.computed, overridden=False)
            sentences.append(explain(indicator, figures))
        judged = {"status": words(assessment.status)}
        if assessment.computed not in (None, assessment.status):
            sentences.append(gettext("Rådet har i stället bedömt det som %(status)s.") % judged)
        else:
            sentences.append(gettext("Rådet har bedömt det som %(status)s.") % judged)
        reason = " ".join(assessment.override_reason.split())
        if reason:
            sentences.append(gettext("Motivering: %(reason)s") % {"reason": reason})
        return " ".join(sentences)
    current = Status(assessment.status)
    if current == Status.NO_TARGET:
        return gettext("Måttet har inget mål: siffran visas som sammanhang och bedöms inte.")
    if assessment.done_in is not None:
        return gettext(
            "Genomfört %(year)s; ett engångsåtagande förblir genomfört, alltså %(status)s."
        ) % {"year": assessment.done_in, "status": words(current)}
    in_progress = current == Status.IN_PROGRESS
    sentences = target_sentences(indicator, in_progress)
    numbers = {"status": words(current)}
    if assessment.value is None:
        if in_progress:
            sentences += [gettext("Inget utfall är rapporterat än."), still_open(assessment)]
        else:
            sentences.append(gettext("Inget utfall rapporterades, alltså %(status)s.") % numbers)
        return " ".join(sentences)
    numbers["fact"] = outcome_fact(indicator, assessment)
    if in_progress:
        sentences += [f"{numbers['fact']}.", still_open(assessment)]
    elif current == Status.NOT_REPORTED:  # a sum of parts without the year's last part
        sentences.append(
            gettext("%(fact)s, men årets sista del är inte rapporterad, alltså %(status)s.")
            % numbers
        )
    else:
        sentences.append(gettext("%(fact)s, alltså %(status)s.") % numbers)
    return " ".join(sentences)


def words(status):
    """A status inside a sentence: "ej uppfyllt"."""
    return str(Status(status).label).lower()


def target_sentences(indicator, in_progress):
    sentence = TARGET_SENTENCES.get(indicator.rule)
    if sentence is None:
        return []
    sentences = [str(sentence[in_progress]) % {"target": indicator.target_label}]
    threshold = THRESHOLD_SENTENCES.get(indicator.rule)
    if threshold is not None and indicator.target_value is not None:
        limit = indicator.format_value(indicator.threshold)
        sentences.append(str(threshold) % {"threshold": limit})
    return sentences


def still_open(assessment):
    if assessment.through:  # a part of the year: the year's target is judged once it is over
        return gettext("Årets mål bedöms när året är slut: pågående.")
    return gettext("Året är inte slut än: pågående.")


def outcome_fact(indicator, assessment):
    """The outcome against the target, without the verdict: "Utfallet 104 st är 52 % av målet"."""
    value = indicator.format_value(assessment.value)
    if assessment.through:
        value = gettext("%(value)s efter %(part)s") % {"value": value, "part": assessment.through}
    numbers = {"value": value}
    rule = indicator.rule
    if (
        rule == Rule.AT_LEAST
        and indicator.kind == Indicator.Kind.COUNT
        and assessment.progress is not None
    ):
        numbers["percent"] = share_of_target(assessment.progress)
        return gettext("Utfallet %(value)s är %(percent)s %% av målet") % numbers
    if rule in (Rule.AT_LEAST, Rule.AT_MOST):
        met = target_met(indicator, assessment.value)
        return str(LIMIT_FACTS[rule, met]) % numbers
    if rule in TARGET_SENTENCES and assessment.change is not None and rule != Rule.DONE:
        numbers["change"] = change_words(indicator, assessment.change)
        return gettext("Utfallet %(value)s är %(change)s jämfört med utgångsvärdet") % numbers
    return gettext("Utfallet är %(value)s") % numbers


def share_of_target(percent):
    """52 % in whole percent, as the pages show it; 99,8 % stays 99,8 (not a misleading 100)."""
    whole = percent.quantize(Decimal(1), ROUND_HALF_UP)
    return format_number(percent if whole == 100 and percent != 100 else whole)


def change_words(indicator, change):
    """+469 st (+23,3 %), or −1,4 procentenheter for a share."""
    if change.in_points:
        return gettext("%(change)s procentenheter") % {"change": format_signed(change.absolute)}
    amount = " ".join(part for part in (format_signed(change.absolute), indicator.unit) if part)
    if change.percent is None:
        return amount
    return f"{amount} ({format_signed(change.percent)} %)"
