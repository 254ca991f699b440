"""The follow-up of the synthetic promises: yearly follow-ups, outcomes, publication events and
corrections (part of Generator)."""

import datetime
from decimal import Decimal

from followup.factories import (
    CorrectionFactory,
    OutcomeFactory,
    PublicationEventFactory,
    YearlyFollowUpFactory,
)
from followup.models import Correction, FollowUpState, Outcome, PublicationEvent, YearlyFollowUp
from followup.national_data.promise_steps import aware, one_decimal
from followup.national_data.samples import (
    COMMENT_SHARE,
    COMMENTS,
    CORRECTION_SHARE,
    LATEST_YEAR_STATES,
    NOT_YET_ENTERED_SHARE,
    OVERRIDE_SHARE,
    OVERRIDES,
    SUMMARIES,
    TEXT_OUTCOMES,
    Kind,
    Rule,
)
from followup.status import Override
from promises.numbers import format_number


class FollowUpSteps:
    """The follow-up part of the Generator (generator.py), which gives rng, save and the dates."""

    def followups(self, promises):
        followups = []
        for promise in promises:
            for year in promise.years:
                if year > self.last_year:
                    break
                followups.append(
                    YearlyFollowUpFactory.build(
                        promise=promise,
                        year=year,
                        summary=self.rng.choice(SUMMARIES),
                        state=FollowUpState.PUBLISHED
                        if promise.is_published
                        else FollowUpState.DRAFT,
                    )
                )
        latest = [f for f in followups if f.year == self.last_year and f.promise.is_published]
        self.rng.shuffle(latest)
        start = 0
        for state, share in LATEST_YEAR_STATES:
            count = max(1, round(len(latest) * share)) if len(latest) > 2 else 0
            for followup in latest[start : start + count]:
                followup.state = state
            start += count
        for followup in followups:
            meeting = datetime.date(
                followup.year + 1, self.rng.randint(1, 3), self.rng.randint(1, 28)
            )
            meeting = min(meeting, self.today - datetime.timedelta(days=1))
            followup.meeting = meeting
            if followup.state == FollowUpState.DRAFT:
                followup.summary = "" if self.rng.random() < 0.5 else followup.summary
            else:
                followup.approved_on = meeting
            followup._history_date = self.past(aware(meeting))
            followup._history_user = followup.promise.area.coordinator
        return self.save(YearlyFollowUp, followups, history=True)[0]

    def outcomes(self, plans, followups):
        followup_of = {(f.promise_id, f.year): f for f in followups}
        outcomes = []
        for plan in plans:
            indicator = plan.indicator
            promise = indicator.commitment.promise
            for year in promise.years:
                followup = followup_of.get((promise.pk, year))
                if followup is None:
                    continue
                unfinished = year == self.last_year and followup.state == FollowUpState.DRAFT
                if unfinished and self.rng.random() < NOT_YET_ENTERED_SHARE:
                    continue
                outcome = self.outcome(plan, year)
                outcome.entered_at = self.past(aware(followup.meeting, 9))
                outcome._history_date = outcome.entered_at
                outcome.entered_by = outcome._history_user = promise.area.coordinator
                outcomes.append(outcome)
        return self.save(Outcome, outcomes, history=True)[0]

    def outcome(self, plan, year):
        rng = self.rng
        indicator = plan.indicator
        outcome = OutcomeFactory.build(indicator=indicator, year=year, value=None)
        if rng.random() < COMMENT_SHARE:
            outcome.comment = rng.choice(COMMENTS)
        if indicator.kind == Kind.TEXT:
            outcome.comment = rng.choice(TEXT_OUTCOMES)
            return outcome
        if indicator.kind == Kind.YES_NO:
            outcome.value = Decimal(1 if rng.random() < 0.85 else 0)
        else:
            rule = indicator.rule
            if rule in (Rule.AT_LEAST, Rule.AT_MOST):
                base = float(indicator.target_value)
                figure = base * rng.uniform(0.6, 1.35 if rule == Rule.AT_LEAST else 1.4)
            elif rule == Rule.INCREASE:
                figure = float(indicator.baseline_value) * rng.uniform(0.9, 1.3)
            elif rule == Rule.DECREASE:
                figure = float(indicator.baseline_value) * rng.uniform(0.75, 1.1)
            else:
                figure = plan.reference * rng.uniform(0.8, 1.2)
            if indicator.kind == Kind.PERCENT:
                outcome.value = one_decimal(figure)
            else:
                outcome.value = Decimal(max(0, round(figure)))
        if not indicator.is_context and rng.random() < OVERRIDE_SHARE:
            outcome.status_override, outcome.override_reason = rng.choice(OVERRIDES)
            if outcome.status_override == Override.NOT_CARRIED_OUT:
                outcome.value = None
                outcome.comment = "Aktiviteten ställdes in."
        return outcome

    def events(self, promises, followups):
        Action = PublicationEvent.Action
        events = []

        def event(promise, action, moment, year=None, reason=""):
            events.append(
                PublicationEventFactory.build(
                    promise=promise,
                    year=year,
                    action=action,
                    reason=reason,
                    user=promise.area.coordinator,
                    at=self.past(moment),
                )
            )

        for promise in promises:
            published = promise._history_date + datetime.timedelta(days=7)
            if promise.is_published:
                event(promise, Action.PUBLISHED, published)
            elif promise.unpublished:
                event(promise, Action.PUBLISHED, published)
                event(
                    promise,
                    Action.UNPUBLISHED,
                    published + datetime.timedelta(days=60),
                    reason="Avpublicerat i väntan på rättade uppgifter.",
                )
        for followup in followups:
            if followup.state == FollowUpState.DRAFT:
                continue
            approved = aware(followup.approved_on, 18)
            event(followup.promise, Action.APPROVED, approved, followup.year)
            if followup.state == FollowUpState.PUBLISHED:
                published = approved + datetime.timedelta(days=14)
                event(followup.promise, Action.PUBLISHED, published, followup.year)
        self.save(PublicationEvent, events)

    def corrections(self, followups, outcomes):
        counted = {}
        for outcome in outcomes:
            if outcome.indicator.kind == Kind.COUNT and outcome.value:
                key = (outcome.indicator.commitment.promise_id, outcome.year)
                counted.setdefault(key, []).append(outcome)
        corrections = []
        for followup in followups:
            candidates = counted.get((followup.promise_id, followup.year))
            if followup.state != FollowUpState.PUBLISHED or not candidates:
                continue
            if self.rng.random() >= CORRECTION_SHARE:
                continue
            outcome = self.rng.choice(candidates)
            earlier = outcome.value - self.rng.randint(1, 10)
            indicator = outcome.indicator
            corrections.append(
                CorrectionFactory.build(
                    promise=followup.promise,
                    year=followup.year,
                    change=f"{indicator.commitment.order}. {indicator.commitment.title}, "
                    f"{indicator.name}: {format_number(max(earlier, 0))} → "
                    f"{format_number(outcome.value)} {indicator.unit}".strip(),
                    reason="Felräkning i underlaget; rättat efter kontroll.",
                    made_by=followup.promise.area.coordinator,
                    made_at=self.past(aware(followup.approved_on) + datetime.timedelta(days=30)),
                )
            )
        self.save(Correction, corrections)
