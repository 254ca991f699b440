"""Synthetic promises with their signatories, commitments and indicators (part of Generator)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from followup.national_data.samples import (
    BACKGROUNDS,
    DRAFT_PROMISE_SHARE,
    FIRST_NAMES,
    LAST_NAMES,
    MARKER,
    MUNICIPALITY,
    PERIOD_LENGTHS,
    PLACES,
    POLICE,
    POLITICAL_PARTIES,
    TEMPLATES,
    Kind,
    Rule,
)
from promises.factories import (
    CommitmentFactory,
    IndicatorFactory,
    PromiseFactory,
    SignatoryFactory,
)
from promises.models import Area, Commitment, Indicator, Promise, PublicationState, Signatory
from promises.numbers import format_number


def aware(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def nice_round(value):
    """200 rather than 193: targets are round figures."""
    if value < 20:
        return max(1, round(value))
    step = 5 if value < 100 else 10 if value < 1000 else 50
    return int(round(value / step) * step)


def one_decimal(value):
    return Decimal(str(round(min(100.0, max(0.0, value)), 1)))


@dataclass
class Plan:
    """An indicator being built, with what is needed to invent its outcomes."""

    indicator: Indicator
    reference: float = 0  # the typical figure of a context measure


class PromiseSteps:
    """The promise part of the Generator (generator.py), which gives rng, save and the dates."""

    def periods(self):
        year = self.first_year
        lengths, weights = zip(*PERIOD_LENGTHS, strict=True)
        while year <= self.current_year:
            length = self.rng.choices(lengths, weights)[0]
            yield year, year + length - 1
            year += length

    def promises(self, promise_areas):
        promises = []
        for area in promise_areas:
            for start, end in self.periods():
                signed = datetime.date(start, self.rng.randint(2, 5), self.rng.randint(1, 28))
                promise = PromiseFactory.build(
                    area=area,
                    start_year=start,
                    end_year=end,
                    title="" if self.rng.random() < 0.85 else f"Tryggare tillsammans {start}",
                    signed_on=signed if signed <= self.today else None,
                    background=f"{MARKER}, inte ett verkligt medborgarlöfte. "
                    + self.rng.choice(BACKGROUNDS),
                    state=PublicationState.PUBLISHED,
                )
                promise._history_date = self.past(aware(signed))
                promise._history_user = area.coordinator
                promise.unpublished = False
                promises.append(promise)
        # About 5 % drafts, half of them promises of this year still being prepared, the rest
        # older promises that were taken down again; at least one, so a small sample has one.
        draft_count = max(1, round(len(promises) * DRAFT_PROMISE_SHARE))
        new = [p for p in promises if p.start_year == self.current_year]
        old = [p for p in promises if p.start_year != self.current_year]
        self.rng.shuffle(new)
        self.rng.shuffle(old)
        new_drafts = min(len(new), max(1, draft_count // 2))
        drafts = new[:new_drafts] + old[: draft_count - new_drafts]
        for promise in drafts:
            promise.state = PublicationState.DRAFT
            promise.unpublished = promise.start_year != self.current_year
            if not promise.unpublished:
                promise.signed_on = None
        return self.save(Promise, promises, history=True)[0]

    def signatories(self, promises, party_of_area, police, police_area_of):
        signatories = []
        for promise in promises:
            area = promise.area
            term = (promise.start_year - 2019) // 4  # elections 2018, 2022, 2026 …
            city = area.city
            chair = self.named_rng("chair", area.slug, term)
            chief = self.named_rng("chief", police_area_of[city.pk].slug, promise.start_year // 3)
            role = (
                "ordförande i stadsdelsnämnden"
                if area.kind == Area.Kind.DISTRICT
                else "kommunstyrelsens ordförande"
            )
            signatories += [
                SignatoryFactory.build(
                    promise=promise,
                    name=f"{chair.choice(FIRST_NAMES)} {chair.choice(LAST_NAMES)} "
                    f"({chair.choice(POLITICAL_PARTIES)})",
                    role=role,
                    party=party_of_area[city.pk],
                    order=1,
                ),
                SignatoryFactory.build(
                    promise=promise,
                    name=f"{chief.choice(FIRST_NAMES)} {chief.choice(LAST_NAMES)}",
                    role="lokalpolisområdeschef",
                    party=police,
                    order=2,
                ),
            ]
        self.save(Signatory, signatories)

    def commitments(self, promises, themes, party_of_area, police, other_parties):
        commitments, plans, links = [], [], []
        for promise in promises:
            size = promise.area.size
            templates = self.rng.sample(TEMPLATES, self.rng.randint(3, 6))
            for order, template in enumerate(templates, start=1):
                indicators = self.indicators(template, promise, size)
                target = indicators[0].indicator.target_value
                commitment = CommitmentFactory.build(
                    promise=promise,
                    order=order,
                    title=template.title,
                    text=template.text.format(
                        target=format_number(target) if target is not None else "",
                        place=self.rng.choice(PLACES),
                    ),
                    purpose=template.purpose,
                    theme=themes[template.theme] if template.theme else None,
                )
                commitment._history_date = promise._history_date
                commitment._history_user = promise.area.coordinator
                commitment.plans = indicators
                city = promise.area.city
                parties = {
                    POLICE: police,
                    MUNICIPALITY: party_of_area[city.pk],
                    **other_parties,
                }
                commitment.party_list = [parties[p] for p in template.parties]
                commitments.append(commitment)
        commitments, history = self.save(Commitment, commitments, history=True)
        through = Commitment.parties.through
        historical_through = apps.get_model("promises.HistoricalCommitment_parties")
        history_of = {}
        for commitment, historical in zip(commitments, history, strict=True):
            history_of[commitment.pk] = historical
            for party in commitment.party_list:
                links.append(through(commitment=commitment, party=party))
        links = self.save(through, links)
        # The history row of each commitment records its parties, as a save in the admin would.
        self.save(
            historical_through,
            [
                historical_through(
                    id=link.pk,
                    history=history_of[link.commitment_id],
                    commitment_id=link.commitment_id,
                    party_id=link.party_id,
                )
                for link in links
            ],
        )
        for commitment in commitments:
            for plan in commitment.plans:
                plan.indicator.commitment = commitment
                plans.append(plan)
        self.save(Indicator, [p.indicator for p in plans], history=True)
        return plans

    def indicators(self, template, promise, size):
        rng = self.rng
        specs = [
            spec
            for number, spec in enumerate(template.indicators)
            if number == 0 or not spec.optional or rng.random() < 0.6
        ]
        plans = []
        for order, spec in enumerate(specs, start=1):
            indicator = IndicatorFactory.build(
                commitment=None,  # set once the commitments are saved
                order=order,
                name=spec.name,
                unit=spec.unit,
                kind=spec.kind,
                rule=spec.rule,
                scope=spec.scope,
                target_value=None,
            )
            indicator._history_date = promise._history_date
            indicator._history_user = promise.area.coordinator
            plan = Plan(indicator)
            typical = spec.scale * size * rng.uniform(0.7, 1.3)
            if spec.kind == Kind.PERCENT:
                typical = min(95.0, max(3.0, spec.percent + rng.uniform(-8, 8)))
            if spec.rule in (Rule.AT_LEAST, Rule.AT_MOST):
                indicator.target_value = (
                    Decimal(min(100, nice_round(typical)))
                    if spec.kind == Kind.PERCENT
                    else Decimal(nice_round(typical))
                )
            elif spec.rule in (Rule.INCREASE, Rule.DECREASE):
                indicator.baseline_value = (
                    one_decimal(typical)
                    if spec.kind == Kind.PERCENT
                    else Decimal(max(1, round(typical)))
                )
                indicator.baseline_year = promise.start_year - 1
                if spec.change and rng.random() < 0.7:
                    how, amount = spec.change
                    indicator.target_in_percent = how == "percent"
                    if how == "amount":
                        amount = min(amount, indicator.baseline_value)
                    indicator.target_value = Decimal(amount)
            plan.reference = typical
            plans.append(plan)
        return plans
