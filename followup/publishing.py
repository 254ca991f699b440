"""Publishing, approving and correcting: actions that span promises, follow-ups and the log.

Only a coordinator of the promise's area (or an administrator) may publish; everything done
here is written to PublicationEvent or Correction in the same transaction as the change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.models import Correction, FollowUpState, PublicationEvent, YearlyFollowUp
from promises.models import PublicationState
from promises.revision import data_changed
from promises.roles import may_publish

Action = PublicationEvent.Action


def check_may_publish(user, promise):
    if not may_publish(user, promise):
        raise PermissionDenied


def require(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Skriv en motivering."))
    return reason


@transaction.atomic
def publish_promise(promise, user):
    check_may_publish(user, promise)
    promise.state = PublicationState.PUBLISHED
    promise.save(update_fields=["state"])
    PublicationEvent.objects.create(promise=promise, action=Action.PUBLISHED, user=user)


@transaction.atomic
def unpublish_promise(promise, user, reason):
    check_may_publish(user, promise)
    reason = require(reason)
    promise.state = PublicationState.DRAFT
    promise.save(update_fields=["state"])
    PublicationEvent.objects.create(
        promise=promise, action=Action.UNPUBLISHED, reason=reason, user=user
    )


@transaction.atomic
def approve_followup(promise, year, user, meeting_date):
    """The council approved the year's follow-up at its meeting on `meeting_date`."""
    check_may_publish(user, promise)
    followup, _created = YearlyFollowUp.objects.get_or_create(promise=promise, year=year)
    if followup.state != FollowUpState.DRAFT:
        raise ValidationError(_("Uppföljningen är redan godkänd eller publicerad."))
    followup.state = FollowUpState.APPROVED
    followup.approved_on = meeting_date
    followup.full_clean()
    followup.save()
    PublicationEvent.objects.create(promise=promise, year=year, action=Action.APPROVED, user=user)
    return followup


@transaction.atomic
def publish_followup(promise, year, user):
    check_may_publish(user, promise)
    followup = YearlyFollowUp.objects.filter(promise=promise, year=year).first()
    if followup is None or followup.state != FollowUpState.APPROVED:
        raise ValidationError(_("Uppföljningen måste godkännas av rådet innan den publiceras."))
    followup.state = FollowUpState.PUBLISHED
    followup.save(update_fields=["state"])
    PublicationEvent.objects.create(promise=promise, year=year, action=Action.PUBLISHED, user=user)


@transaction.atomic
def unpublish_followup(promise, year, user, reason):
    check_may_publish(user, promise)
    reason = require(reason)
    YearlyFollowUp.objects.filter(promise=promise, year=year).update(state=FollowUpState.DRAFT)
    data_changed()  # an update sends no signal
    PublicationEvent.objects.create(
        promise=promise, year=year, action=Action.UNPUBLISHED, reason=reason, user=user
    )


def is_published_year(promise, year):
    return (
        promise.is_published
        and YearlyFollowUp.objects.filter(
            promise=promise, year=year, state=FollowUpState.PUBLISHED
        ).exists()
    )


def figure_change(outcome, before_value, before_override):
    """ "Trafikkontroller 2021: 104 st → 120 st", or None when no published figure changed."""
    return describe_change(
        outcome.indicator,
        outcome.year,
        (before_value, before_override),
        (outcome.value, outcome.status_override),
    )


def describe_change(indicator, year, before, after):
    """`before` and `after` are (value, status override) pairs."""
    if before == after:
        return None
    return (
        f"{indicator.name} {year}: {describe(indicator, *before)} → {describe(indicator, *after)}"
    )


def describe(indicator, value, override):
    from followup.status import Override

    text = indicator.format_value(value)
    if override:
        text += f" ({Override(override).label.lower()})"
    return text


def record_corrections(promise, year, changes, reason, user):
    """Writes one Correction per changed published figure; the reason is required."""
    reason = require(reason)
    Correction.objects.bulk_create(
        Correction(promise=promise, year=year, change=change, reason=reason, made_by=user)
        for change in changes
    )
