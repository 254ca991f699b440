"""Renewing a promise: the next period's draft, made from this one.

The commitments (text, purpose, theme, parties) and their indicators are copied; each numeric
indicator's baseline moves to its last reported figure. Nothing is published: the new promise is
a draft without follow-ups or outcomes, and its signatories sign anew.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup import parts
from followup.models import Outcome
from promises.models import YEAR_VALIDATORS, Commitment, Indicator, Promise, PublicationState

LAST_YEAR = YEAR_VALIDATORS[1].limit_value  # 2100


def last_reported_figure(indicator):
    """The figure of the latest year with one, as (year, value), or None.

    A year's figure is the full-year figure or the one its parts make (followup.parts); a sum
    of parts counts only once the year's last part is in, since an unfinished year's parts add
    up to less than the year.
    """
    years = defaultdict(list)
    for outcome in Outcome.objects.filter(indicator=indicator):
        years[outcome.year].append(outcome)
    for year in sorted(years, reverse=True):
        figure = parts.year_figure(indicator, years[year])
        if figure.value is None or parts.lacks_last_part(figure):
            continue
        return year, figure.value
    return None


def next_period(promise):
    """The (start, end) of the period of the same length starting the year after this one."""
    length = promise.end_year - promise.start_year
    start = promise.end_year + 1
    return start, start + length


def check_renewable(promise):
    """Raises a ValidationError with a Swedish message when the next period cannot be made."""
    start, end = next_period(promise)
    if end > LAST_YEAR:
        raise ValidationError(
            _("Löftet kan inte förnyas: nästa period (%(start)s–%(end)s) slutar efter %(last)s.")
            % {"start": start, "end": end, "last": LAST_YEAR}
        )
    if Promise.objects.filter(area=promise.area, start_year=start).exists():
        raise ValidationError(
            _(
                "Löftet kan inte förnyas: %(area)s har redan ett medborgarlöfte som börjar "
                "%(start)s."
            )
            % {"area": promise.area.name, "start": start}
        )


class Renewal:
    """What a renewal made: the new draft and counts for the message."""

    def __init__(self, promise):
        self.promise = promise
        self.commitments = 0
        self.indicators = 0
        self.baselines_moved = 0


@transaction.atomic
def renew(promise):
    """Creates the next period's draft of `promise` and returns a Renewal; all or nothing."""
    check_renewable(promise)
    start, end = next_period(promise)
    draft = Promise.objects.create(
        area=promise.area, start_year=start, end_year=end, state=PublicationState.DRAFT
    )
    renewal = Renewal(draft)
    commitments = promise.commitments.prefetch_related("parties", "indicators").order_by("order")
    for old in commitments:
        new = Commitment.objects.create(
            promise=draft,
            order=old.order,
            title=old.title,
            text=old.text,
            purpose=old.purpose,
            theme_id=old.theme_id,
        )
        new.parties.set(old.parties.all())
        renewal.commitments += 1
        for indicator in old.indicators.all():
            baseline = (indicator.baseline_value, indicator.baseline_year)
            figure = last_reported_figure(indicator) if indicator.has_numeric_value else None
            if figure is not None:
                baseline = (figure[1], figure[0])
                renewal.baselines_moved += 1
            Indicator.objects.create(
                commitment=new,
                order=indicator.order,
                name=indicator.name,
                unit=indicator.unit,
                kind=indicator.kind,
                rule=indicator.rule,
                target_value=indicator.target_value,
                target_in_percent=indicator.target_in_percent,
                year_from_parts=indicator.year_from_parts,
                baseline_value=baseline[0],
                baseline_year=baseline[1],
                scope=indicator.scope,
            )
            renewal.indicators += 1
    return renewal
