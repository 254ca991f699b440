"""Builders of follow-up rows for tests, benchmarks and the synthetic national data (factory-boy).

They work as promises/factories.py does: `Factory(...)` saves, `Factory.build(...)` only builds
(for bulk_create), keyword arguments set fields, `related__field=…` a related row's field:

    OutcomeFactory(indicator=indicator, year=2021, value=104, comment="Covid")
    YearlyFollowUpFactory(promise=promise, year=2021, published=True)
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from followup.models import (
    Correction,
    FollowUpState,
    Outcome,
    PartOfYear,
    PublicationEvent,
    YearlyFollowUp,
)
from promises.factories import IndicatorFactory, PromiseFactory, UserFactory


class OutcomeFactory(DjangoModelFactory):
    """The whole first year's figure (10) of an indicator."""

    class Meta:
        model = Outcome

    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.LazyAttribute(lambda o: o.indicator.commitment.promise.start_year)
    part_of_year = PartOfYear.YEAR
    value = 10


class YearlyFollowUpFactory(DjangoModelFactory):
    """The draft follow-up of a promise's first year.

    `published=True` (or `approved=True`) for one the council approved at a meeting in the
    following February, then published.
    """

    class Meta:
        model = YearlyFollowUp

    class Params:
        approved = factory.Trait(
            state=FollowUpState.APPROVED,
            approved_on=factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 2, 15)),
        )
        published = factory.Trait(
            state=FollowUpState.PUBLISHED,
            approved_on=factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 2, 15)),
        )

    promise = factory.SubFactory(PromiseFactory)
    year = factory.LazyAttribute(lambda o: o.promise.start_year)
    summary = ""
    state = FollowUpState.DRAFT


class PublicationEventFactory(DjangoModelFactory):
    """A promise published by a user of its own (`year=…` for a year's follow-up)."""

    class Meta:
        model = PublicationEvent

    promise = factory.SubFactory(PromiseFactory)
    year = None
    action = PublicationEvent.Action.PUBLISHED
    reason = ""
    user = factory.SubFactory(UserFactory)


class CorrectionFactory(DjangoModelFactory):
    """A published figure of the promise's first year, corrected afterwards by a user of its
    own, with its reason."""

    class Meta:
        model = Correction

    promise = factory.SubFactory(PromiseFactory)
    year = factory.LazyAttribute(lambda o: o.promise.start_year)
    change = "1. Trafikkontroller, Trafikkontroller: 136 → 140 st"
    reason = "Felräkning i underlaget; rättat efter kontroll."
    made_by = factory.SubFactory(UserFactory)
