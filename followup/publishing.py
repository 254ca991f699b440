"""Publishing, approving and correcting: actions that span promises, follow-ups and the log.

Only a coordinator of the promise's area (or an administrator) may publish; everything done
here is written to PublicationEvent or Correction in the same transaction as the change.
`PublishedFigures` holds the rule for changing a figure the public has already seen;
`decision_corrections` records the change of what the council approved (YearlyFollowUp's rule).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.models import (
    Correction,
    FollowUpState,
    PartOfYear,
    PublicationEvent,
    YearlyFollowUp,
)
from promises.models import Promise, PublicationState
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
    data_changed([promise.area.slug])  # an update sends no signal
    PublicationEvent.objects.create(
        promise=promise, year=year, action=Action.UNPUBLISHED, reason=reason, user=user
    )


def is_published_year(promise, year):
    """Whether the public sees this year's follow-up of the promise."""
    return YearlyFollowUp.objects.published().filter(promise=promise, year=year).exists()


def published_years():
    """Every published (promise id, year) at once, for a check of many rows (an import)."""
    return set(YearlyFollowUp.objects.published().values_list("promise_id", "year"))


class PublishedFigures:
    """The rule for figures the public has seen, in one place: a published figure changes only
    with a reason, and every such change is recorded as a Correction (a rättelse on the public
    pages). The admin's outcome form, the follow-up entry page and the import all ask here.

    The tertials and quarters of a published year are published too: they make the year's
    figure when no full-year figure was entered ("124 st, summa av T1–T3"), and the public page
    shows them. `year_published` is whether the year's follow-up is published, for a caller that
    already knows (an import reads it once per file, see `published_years`).
    """

    def __init__(self, promise, year, part_of_year=PartOfYear.YEAR, year_published=None):
        self.promise = promise
        self.year = year
        self.part_of_year = part_of_year
        if year_published is None:
            self.published = is_published_year(promise, year)
        else:
            self.published = year_published

    @property
    def when(self):
        """ "2025", or "2025 T3" for a part of the year, as a correction names it."""
        if self.part_of_year == PartOfYear.YEAR:
            return self.year
        from followup.parts import SHORT

        return f"{self.year} {SHORT[self.part_of_year]}"

    def corrections(self, figures, reason):
        """The corrections to record with the save, or None when no published figure changes.

        `figures` are (indicator, before, after) for the outcomes being saved, `before` and
        `after` each a (value, status override) pair (`after` None for a withdrawn outcome).
        Raises ValidationError when a published figure changes and `reason` is empty; nothing has
        been saved then.
        """
        if not self.published:
            return None
        changes = [
            change
            for indicator, before, after in figures
            if (change := describe_change(indicator, self.when, before, after))
        ]
        if not changes:
            return None
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                _("Siffrorna är publicerade: skriv skälet till rättelsen."),
                code="correction_reason_missing",
            )
        return Corrections(self.promise, self.year, changes, reason)


@dataclass(frozen=True)
class Corrections:
    """Changes of published figures with their reason, to be recorded in the same transaction as
    the save that makes them."""

    promise: Promise
    year: int
    changes: list
    reason: str

    def record(self, user):
        record_corrections([self], user)


def decision_corrections(followup):
    """The corrections to record with the save of a follow-up whose approved summary or meeting
    date changes, or None. The follow-up has been validated: its `clean` refused such a change
    without `correction_reason` (YearlyFollowUp says why this is the rule)."""
    changes = [
        describe_decision_change(followup.year, name, before, after)
        for name, before, after in followup.decision_changes()
    ]
    if not changes:
        return None
    reason = (followup.correction_reason or "").strip()
    if not reason:  # a caller that skipped validation
        raise ValidationError(
            _("Rådet har godkänt uppföljningen: skriv skälet till rättelsen."),
            code="correction_reason_missing",
        )
    return Corrections(followup.promise, followup.year, changes, reason)


def describe_decision_change(year, name, before, after):
    """ "Rådets sammanfattning 2025: ”Färre brott.” → ”Färre inbrott.”", the whole text before
    and after, so that the public can compare it with the council's protocol."""
    if name == "approved_on":
        label = _("Rådets mötesdatum %(year)s") % {"year": year}
        before, after = (date.isoformat() if date else "–" for date in (before, after))
    else:
        label = _("Rådets sammanfattning %(year)s") % {"year": year}
        before, after = (f"”{text}”" if text else "–" for text in (before, after))
    return f"{label}: {before} → {after}"


def combined(first, second):
    """The corrections of one save that makes two kinds (an entry page's figures and its
    summary, under the page's one reason), or whichever there is."""
    if first is None or second is None:
        return first or second
    return Corrections(first.promise, first.year, [*first.changes, *second.changes], first.reason)


def describe_change(indicator, year, before, after):
    """ "Trafikkontroller 2021: 104 st → 120 st", or None when nothing changed.

    `before` and `after` are (value, status override) pairs; `after` is None when the outcome
    is withdrawn: "Utfallet 104 st för Trafikkontroller 2021 togs bort"."""
    if before == after:
        return None
    if after is None:
        value, override = before
        if value is None and not override:  # a comment only
            return _("Utfallet för %(indicator)s %(year)s togs bort") % {
                "indicator": indicator.name,
                "year": year,
            }
        return _("Utfallet %(value)s för %(indicator)s %(year)s togs bort") % {
            "value": describe(indicator, value, override),
            "indicator": indicator.name,
            "year": year,
        }
    return (
        f"{indicator.name} {year}: {describe(indicator, *before)} → {describe(indicator, *after)}"
    )


def describe(indicator, value, override):
    from followup.status import Override

    text = indicator.format_value(value)
    if override:
        text += f" ({Override(override).label.lower()})"
    return text


def record_corrections(corrections, user):
    """Writes one Correction per changed published figure, for every `Corrections` given (an
    import gathers them from many rows), in one query."""
    Correction.objects.bulk_create(
        Correction(promise=c.promise, year=c.year, change=change, reason=c.reason, made_by=user)
        for c in corrections
        for change in c.changes
    )
