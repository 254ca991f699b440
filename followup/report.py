"""Target versus outcome per year for whole promises, read in a fixed number of queries.

Pages and exports ask this module what to show; it decides which years a reader may see
(published follow-ups only, unless the reader is on the council) and judges every figure through
`followup.status`, so no template computes a status.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, F, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followup import parts, status
from followup.charts import Chart
from followup.models import Correction, Outcome, PartOfYear, YearlyFollowUp
from promises.models import (
    Commitment,
    Indicator,
    Party,
    PublicationState,
    Signatory,
    municipalities_prefetch,
)


def with_followup_data(promises, year=None):
    """Prefetch everything a promise report reads: a fixed number of queries for any size.

    With a year, only that year's outcomes and corrections are read (the yearly reports need no
    more), and a one-off's earlier years (`indicator_years` carries a one-off done). The
    related objects land in plain lists (`promise.commitment_list`, `commitment.indicator_list`,
    `indicator.outcome_list`, ...): filling a related manager instead makes Django build a
    queryset for every parent object, which cost more than the queries themselves. Each prefetch
    orders within its parent only: the models' default orderings start with the parent, which
    would join every table up to the area for nothing.
    """
    signatories = Signatory.objects.order_by("order", "pk").select_related("party")
    corrections = Correction.objects.all()
    if year is not None:  # a report of one year shows that year's corrections alone
        corrections = corrections.filter(year=year)
    return with_row_data(
        promises, year, Commitment.objects.select_related("theme")
    ).prefetch_related(
        Prefetch("signatories", queryset=signatories, to_attr="signatory_list"),
        Prefetch("corrections", queryset=corrections, to_attr="correction_list"),
    )


def with_row_data(promises, year=None, commitments=None):
    """Prefetch what the rows of open data read (spreadsheets.row_values): `with_followup_data`
    without the themes, signatories and corrections, which open data does not show (some 20 000
    objects fewer nationally). A report built from these promises has no themes, signatories or
    corrections to show, so the yearly reports, which show signatories, read the whole."""
    commitments = Commitment.objects.all() if commitments is None else commitments
    return with_commitments(
        promises, commitments, indicators_in_order(), outcomes_of(year)
    ).prefetch_related(
        Prefetch("commitment_list__parties", queryset=Party.objects.all(), to_attr="party_list")
    )


def with_municipalities(promises):
    """The municipalities each promise's area covers, in `promise.area.municipality_list`: one
    query more, for the pages and files that name them."""
    return promises.prefetch_related(municipalities_prefetch("area__municipalities"))


def with_status_data(promises):
    """Prefetch only what the year summaries read (the cards on the start and area pages):
    commitments, their indicators and outcomes, and the follow-ups. A report built from these
    promises has no themes, parties, signatories or corrections to show."""
    return with_commitments(
        promises, Commitment.objects.all(), indicators_in_order(), outcomes_of()
    )


def with_indicator_data(promises, indicator_pk):
    """Prefetch only what one indicator's page reads: that indicator with its outcomes, its
    commitment and the follow-ups. A report built from these promises holds that indicator
    alone, and its year summaries count that one commitment."""
    indicators = indicators_in_order().filter(pk=indicator_pk)
    commitments = Commitment.objects.filter(indicators=indicator_pk)
    return with_commitments(promises, commitments, indicators, outcomes_of())


# The querysets below are made afresh for each prefetch: Django notes the first parent on the
# queryset it is given, which would keep a shared one's last page alive.
#
# The lookups are flat ("commitment_list__indicators"), not nested in each other's querysets:
# Django reads a nested queryset's own prefetches while filling its parents, then walks them
# again from the top, making a related manager for every commitment and indicator on the way
# (some 30 000 nationally) to find them already done.


def with_commitments(promises, commitments, indicators, outcomes):
    """Promises with their area, follow-ups and `commitments` (in `commitment_list`), their
    `indicators` (`indicator_list`) and these indicators' `outcomes` (`outcome_list`)."""
    return with_commitment_list(promises, commitments).prefetch_related(
        Prefetch("commitment_list__indicators", queryset=indicators, to_attr="indicator_list"),
        Prefetch(
            "commitment_list__indicator_list__outcomes", queryset=outcomes, to_attr="outcome_list"
        ),
    )


def with_commitment_list(promises, commitments):
    """Promises with their area, follow-ups and `commitments` alone, without their indicators:
    enough to know which commitments and years a report would have (`visible_years`). Fill the
    commitments chosen from them with `add_row_data` to report on them."""
    followups = YearlyFollowUp.objects.order_by("year")
    return promises.select_related("area").prefetch_related(
        Prefetch("commitments", queryset=commitments.order_by("order"), to_attr="commitment_list"),
        Prefetch("followups", queryset=followups, to_attr="followup_list"),
    )


def add_row_data(commitments, year=None):
    """Read into loaded commitments what `with_row_data` reads for them (their parties,
    indicators and outcomes): three queries, however many there are."""
    prefetch_related_objects(
        commitments,
        Prefetch("indicators", queryset=indicators_in_order(), to_attr="indicator_list"),
        Prefetch("indicator_list__outcomes", queryset=outcomes_of(year), to_attr="outcome_list"),
        Prefetch("parties", queryset=Party.objects.all(), to_attr="party_list"),
    )


def indicators_in_order():
    return Indicator.objects.order_by("order", "pk")


def outcomes_of(year=None):
    """Outcomes for the whole year and its parts: of one year, or of every year when it is
    None."""
    outcomes = Outcome.objects.order_by("year", "part_of_year")
    if year is not None:  # a one-off's earlier years too: done in one of them, it stays done
        outcomes = outcomes.filter(
            Q(year=year) | Q(year__lt=year, indicator__rule=Indicator.Rule.DONE)
        )
    return outcomes


@dataclass
class IndicatorYear:
    year: int
    outcome: Outcome | None  # the full-year outcome (its comment and override), if any
    assessment: status.Assessment
    value_label: str
    figure: parts.YearFigure = None  # the year's figure: entered, or made of its parts
    part_rows: list = field(default_factory=list)  # the year's tertials or quarters

    @property
    def basis_label(self):
        """ "summa av T1–T3", "helårssiffra" beside parts, "genomfört 2021" """
        return self.figure.basis_label if self.figure is not None else ""


@dataclass
class IndicatorReport:
    indicator: Indicator
    years: list[IndicatorYear]

    @property
    def chart_id(self):
        return f"chart-{self.indicator.pk}"

    @cached_property
    def chart(self):
        if not self.indicator.has_numeric_value:
            return None
        return Chart.for_indicator(self.indicator, [(y.year, y.figure) for y in self.years])

    def for_year(self, year):
        return next((row for row in self.years if row.year == year), None)


@dataclass
class CommitmentReport:
    commitment: Commitment
    indicators: list[IndicatorReport]
    statuses: dict = field(default_factory=dict)  # year → Status

    def status_in(self, year):
        return self.statuses.get(year)


@dataclass
class YearSummary:
    year: int
    followup: YearlyFollowUp | None
    counts: Counter

    @property
    def met(self):
        return self.counts[status.Status.MET]

    @property
    def judged(self):
        return sum(n for s, n in self.counts.items() if s != status.Status.NO_TARGET)

    @property
    def is_draft(self):
        return self.followup is None or self.followup.state != PublicationState.PUBLISHED

    @property
    def label(self):
        """ "3 av 5 åtaganden uppfyllda 2021" """
        if not self.judged:
            return _("Inga åtaganden med mål att bedöma %(year)s") % {"year": self.year}
        text = ngettext(
            "%(met)s av %(total)s åtagande uppfyllt %(year)s",
            "%(met)s av %(total)s åtaganden uppfyllda %(year)s",
            self.judged,
        )
        return text % {"met": self.met, "total": self.judged, "year": self.year}

    @property
    def in_progress_label(self):
        """ "2 åtaganden pågår: året är inte slut", so that a year still running does not read
        as "0 av 3 uppfyllda" alone; "" when none is in progress."""
        count = self.counts[status.Status.IN_PROGRESS]
        if not count:
            return ""
        text = ngettext(
            "%(count)s åtagande pågår: året är inte slut",
            "%(count)s åtaganden pågår: året är inte slut",
            count,
        )
        return text % {"count": count}


@dataclass
class PromiseReport:
    promise: object
    years: list[YearSummary]
    commitments: list[CommitmentReport]

    @cached_property
    def corrections(self):
        """The rättelser of the years shown; read only by the pages that prefetched them."""
        years = {summary.year for summary in self.years}
        return [c for c in self.promise.correction_list if c.year in years]

    @property
    def themes(self):
        """Commitments grouped by theme, in the order the promise lists them."""
        groups = {}
        for report in self.commitments:
            theme = report.commitment.theme
            groups.setdefault(theme, []).append(report)
        return [(theme, reports) for theme, reports in groups.items()]

    @property
    def overview(self):
        """Each commitment with its status in each year shown, beside that year's summary (which
        says whether the year is a draft): the overview at the top of the promise page, made of
        what the report already holds."""
        return [
            (report, [(summary, report.statuses[summary.year]) for summary in self.years])
            for report in self.commitments
        ]

    def indicator(self, pk):
        for commitment in self.commitments:
            for report in commitment.indicators:
                if report.indicator.pk == pk:
                    return commitment, report
        return None, None


def visible_years(promise, audience):
    """The years a reader may see figures for: the council sees every year of its own areas'
    promises, drafts included."""
    if audience.sees_drafts_of(promise):
        return list(promise.years)
    return [f.year for f in promise.followup_list if f.state == PublicationState.PUBLISHED]


def promise_report(promise, audience, today=None, year=None, only=None):
    """The report of one promise, from a promise loaded through `with_followup_data`.

    A promise loaded through `with_status_data` gives a report for its year summaries only, and
    one loaded through `with_indicator_data` a report of that indicator only (its summaries count
    that one commitment); neither has corrections, themes, parties or signatories to show.

    `audience` (promises.audience) decides whether draft years are shown. With a year, the
    report covers that year alone, if the reader may see it (its earlier visible years are read
    only for a one-off done in one of them).

    With `only` some of the promise's commitments (loaded as its own are), the report covers
    these alone, and its year summaries count them alone.
    """
    today = today or timezone.localdate()
    judged = [y for y in visible_years(promise, audience) if year is None or y <= year]
    years = [y for y in judged if year is None or y == year]
    followups = {f.year: f for f in promise.followup_list}
    commitments = []
    for commitment in promise.commitment_list if only is None else only:
        indicator_reports = [
            IndicatorReport(
                indicator,
                [
                    r
                    for r in indicator_years(indicator, read_years(indicator, judged, years), today)
                    if r.year in years
                ],
            )
            for indicator in commitment.indicator_list
        ]
        report = CommitmentReport(commitment, indicator_reports)
        for year in years:
            report.statuses[year] = status.combine(
                r.for_year(year).assessment.status for r in indicator_reports
            )
        commitments.append(report)
    summaries = [
        YearSummary(year, followups.get(year), Counter(c.statuses[year] for c in commitments))
        for year in years
    ]
    return PromiseReport(promise, summaries, commitments)


def read_years(indicator, judged, years):
    """The years whose figures a report of `years` must work out: a one-off's earlier years
    too (done in one of them, it stays done); any other indicator is judged on each year alone,
    and its earlier years would only cost time (the national report's loading, issue 16)."""
    return judged if indicator.rule == Indicator.Rule.DONE else years


def indicator_years(indicator, years, today):
    """Each year's figure (entered for the whole year or made of its parts) and its status; a
    one-off done in an earlier year shown stays done."""
    by_year = {}
    for outcome in indicator.outcome_list:
        by_year.setdefault(outcome.year, []).append(outcome)
    rows = []
    for year in years:
        figure = parts.year_figure(indicator, by_year.get(year, []))
        assessment = parts.assess_year(indicator, figure, year, today)
        done = parts.carried(indicator, figure, [(r.year, r.assessment) for r in rows])
        if done is not None:
            figure, assessment = done
        rows.append(
            IndicatorYear(
                year,
                figure.outcome,
                assessment,
                indicator.format_value(figure.value),
                figure,
                parts.part_rows(indicator, figure, today),
            )
        )
    return rows


def that_may_miss_outcomes(promises, today):
    """The promises with an indicator that has nothing entered for one of the promise's ended
    years: counted in SQL in one grouped pass over the indicators and their outcomes, so that
    only these few promises are read and judged, not every promise of the country. A year has
    ended when its last day is before today, the rule of `missing_outcomes`, which still decides
    (a one-off done in an earlier year is not missing)."""
    start = F("commitment__promise__start_year")
    ended_to = Least(F("commitment__promise__end_year"), Value(today.year - 1))
    in_range = Q(outcomes__year__gte=start, outcomes__year__lte=ended_to)
    short = (
        Indicator.objects.filter(commitment__promise__in=promises.order_by().values("pk"))
        .filter(commitment__promise__start_year__lt=today.year)
        .order_by()
        .values("pk", "commitment__promise", "commitment__promise__start_year", ended_to=ended_to)
        .annotate(years_entered=Count("outcomes__year", distinct=True, filter=in_range))
        .filter(years_entered__lt=F("ended_to") - start + 1)
        .values("commitment__promise")
    )
    return promises.filter(pk__in=short)


def missing_outcomes(promises, today):
    """For each promise, per ended year, the indicators with nothing entered for that year
    (neither for the whole year nor a part of it, and not a one-off done earlier): what the
    council still has to enter, as (promise, year, indicators). Reads what the cards read: the
    indicators and their outcomes, nothing of signatories, themes or corrections, and only for
    the promises that may miss something (`that_may_miss_outcomes`)."""
    return missing_outcomes_of(that_may_miss_outcomes(promises, today), today)


def missing_outcomes_of(candidates, today):
    """`missing_outcomes` of promises already found by `that_may_miss_outcomes` (the council
    dashboard's page of them), without asking for them again."""
    for promise in with_status_data(candidates):
        ended = [y for y in promise.years if PartOfYear.YEAR.last_day(y) < today]
        missing_by_year = {year: [] for year in ended}
        for commitment in promise.commitment_list:
            for indicator in commitment.indicator_list:
                for row in indicator_years(indicator, ended, today):
                    if row.figure.is_empty and row.figure.basis != parts.Basis.DONE_EARLIER:
                        missing_by_year[row.year].append(indicator)
        for year, missing in missing_by_year.items():
            if missing:
                yield promise, year, missing


def judge_rows(audience, year, rows):
    """The browse page's rows (promise, commitment, year) as it shows them: (promise report,
    commitment report, year summary, status), the reports made of these rows' commitments
    alone."""
    commitments = list({commitment.pk: commitment for _p, commitment, _y in rows}.values())
    add_row_data(commitments, year)
    chosen = {}
    for promise, commitment in dict.fromkeys((p, c) for p, c, _year in rows):
        chosen.setdefault(promise.pk, (promise, []))[1].append(commitment)
    reports = {}
    for pk, (promise, its_commitments) in chosen.items():
        made = promise_report(promise, audience, year=year, only=its_commitments)
        reports[pk] = (
            made,
            {c.commitment.pk: c for c in made.commitments},
            {summary.year: summary for summary in made.years},
        )
    shown = []
    for promise, commitment, shown_year in rows:
        made, commitment_reports, summaries = reports[promise.pk]
        commitment_report = commitment_reports[commitment.pk]
        summary = summaries[shown_year]
        shown.append((made, commitment_report, summary, commitment_report.status_in(shown_year)))
    return shown
