"""What happened: outcomes per indicator, year and part of the year, and the council's yearly
follow-up."""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from followup import parts, status
from promises.models import (
    MAX_PERIOD_YEARS,
    YEAR_VALIDATORS,
    Indicator,
    Promise,
    PublicationState,
)


class PartOfYear(models.TextChoices):
    """The part of a year an outcome covers: the whole year, or an interim follow-up.

    Not to be confused with a promise's period (its years, `Promise.period_label`).
    """

    YEAR = "year", _("Helår")
    T1 = "t1", _("Tertial 1 (jan–apr)")
    T2 = "t2", _("Tertial 2 (maj–aug)")
    T3 = "t3", _("Tertial 3 (sep–dec)")
    Q1 = "q1", _("Kvartal 1 (jan–mar)")
    Q2 = "q2", _("Kvartal 2 (apr–jun)")
    Q3 = "q3", _("Kvartal 3 (jul–sep)")
    Q4 = "q4", _("Kvartal 4 (okt–dec)")

    def last_day(self, year):
        month = PART_OF_YEAR_LAST_MONTH[self]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


PART_OF_YEAR_LAST_MONTH = {
    "year": 12, "t1": 4, "t2": 8, "t3": 12, "q1": 3, "q2": 6, "q3": 9, "q4": 12,
}  # fmt: skip


class StaleVersion(ValidationError):
    """The row was saved by someone else after this copy of it was read: nothing was saved."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(
            _(
                "Någon annan har sparat %(row)s under tiden. Inget sparades: ladda om sidan och "
                "gör din ändring igen."
            )
            % {"row": instance}
        )


class SavedOnlyIfUnchanged:
    """Optimistic locking for a model with a `version` field (`version_field`): an existing row is
    saved or deleted only if its version is still the one this copy was read with, and each save
    counts it up. The check is an UPDATE … WHERE version = seen in the saving transaction, so it
    holds on SQLite, which has no row locks, as on PostgreSQL (where the UPDATE waits for a
    colleague's transaction, then finds the new version). Bulk saves bypass it: the import counts
    the version up itself (followup/resources.py)."""

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)  # a new row: its unique constraints guard it
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint of its own: within a caller's transaction, the claim and the save are
        # undone together with it (and a save of many rows stays one edit, promises/revision.py).
        with transaction.atomic(using=using, savepoint=False):
            self.claim_version(using)
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            self.claim_version(using)
            return super().delete(*args, **kwargs)

    def claim_version(self, using=None):
        """Counts the stored version up if it is still the one this copy was read with; raises
        StaleVersion if someone saved the row since."""
        rows = type(self)._base_manager.using(using).filter(pk=self.pk, version=self.version)
        if not rows.update(version=F("version") + 1):
            raise StaleVersion(self)
        self.version += 1


def version_field():
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Räknas upp vid varje ändring, så att ingen skriver över en annans ändring."),
    )


class OutcomeQuerySet(models.QuerySet):
    def published(self):
        """Outcomes of published promises in years whose follow-up is published."""
        published_year = YearlyFollowUp.objects.published().filter(
            promise=OuterRef("indicator__commitment__promise"), year=OuterRef("year")
        )
        return self.filter(Exists(published_year))

    def rest_of_year(self, promise, year, part_of_year):
        """The promise's other outcomes of the year, the whole year's and its parts' but not
        `part_of_year`'s, by indicator id: what a part's progress or the year's figure reads."""
        by_indicator = {}
        outcomes = self.filter(indicator__commitment__promise=promise, year=year).exclude(
            part_of_year=part_of_year
        )
        for outcome in outcomes.order_by():
            by_indicator.setdefault(outcome.indicator_id, []).append(outcome)
        return by_indicator


class Outcome(SavedOnlyIfUnchanged, models.Model):
    area_path = (
        "indicator__commitment__promise__area"  # its area, for kept pages (promises/revision.py)
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="outcomes"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    part_of_year = models.CharField(
        _("del av året"),
        max_length=10,
        choices=PartOfYear.choices,
        default=PartOfYear.YEAR,
        help_text=_("Helår, eller ett tertial eller kvartal vid delårsuppföljning."),
    )
    value = models.DecimalField(
        _("värde"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Antal, procent eller för ja/nej: 1 = ja, 0 = nej."),
    )
    comment = models.TextField(
        _("kommentar"), blank=True, help_text=_("Rådets kommentar till utfallet, för invånarna.")
    )
    status_override = models.CharField(
        _("ändrad bedömning"),
        max_length=20,
        choices=status.Override.choices,
        blank=True,
        help_text=_("Lämna tom så räknas bedömningen fram ur värdet och målet."),
    )
    override_reason = models.TextField(
        _("motivering till ändrad bedömning"),
        blank=True,
        help_text=_("Krävs när bedömningen ändras, till exempel ”ej genomfört på grund av covid”."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    entered_at = models.DateTimeField(_("senast ändrat"), auto_now=True)
    version = version_field()

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = pgettext_lazy("plural", "utfall")
        ordering = ["indicator", "year", "part_of_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "part_of_year"],
                name="outcome_one_per_indicator_year_and_part",
                violation_error_message=_(
                    "Det finns redan ett utfall för den här indikatorn, året och delen av året."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="outcome_value_not_negative",
                violation_error_message=_("Ett utfall kan inte vara negativt."),
            ),
            models.CheckConstraint(
                condition=Q(status_override="") | ~Q(override_reason=""),
                name="outcome_override_needs_reason",
                violation_error_message=_("En ändrad bedömning kräver en motivering."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(comment="") | ~Q(status_override=""),
                name="outcome_not_empty",
                violation_error_message=_("Ange ett värde, en kommentar eller en bedömning."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.year} {self.get_part_of_year_display().lower()}"

    def clean(self):
        if self.indicator_id is None or self.year is None:
            return
        indicator = self.indicator
        promise = indicator.commitment.promise
        errors = {}
        if not promise.covers_year(self.year):
            errors["year"] = _("Året %(year)s ligger utanför löftets period %(period)s.") % {
                "year": self.year,
                "period": promise.period_label,
            }
        value_error = self.value_error(indicator, self.value)
        if value_error:
            errors["value"] = value_error
        if self.value is None and not self.comment.strip() and not self.status_override:
            errors["value"] = _("Ange ett värde, en kommentar eller en bedömning.")
        if self.status_override and indicator.is_context:
            errors["status_override"] = _("Ett sammanhangsmått har inget mål och kan inte bedömas.")
        if self.status_override and not self.override_reason.strip():
            errors["override_reason"] = _("Skriv varför bedömningen ändras.")
        if self.override_reason.strip() and not self.status_override:
            errors["override_reason"] = _(
                "En motivering hör till en ändrad bedömning: välj bedömning eller töm fältet."
            )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def value_error(indicator, value):
        """What is wrong with a value for this indicator, in words for a council member."""
        if value is None:
            return None
        kind = Indicator.Kind
        if value < 0:
            return _("Ett utfall kan inte vara negativt.")
        if indicator.kind == kind.COUNT and value != value.to_integral():
            return _("Ett antal anges i hela tal.")
        if indicator.kind == kind.PERCENT and value > 100:
            return _("En andel i procent ska ligga mellan 0 och 100.")
        if indicator.kind == kind.YES_NO and value not in (Decimal(0), Decimal(1)):
            return _("Ett ja/nej-mått har värdet 1 (ja) eller 0 (nej).")
        if indicator.kind == kind.TEXT:
            return _("Ett textmått har inget sifferutfall; skriv utfallet som kommentar.")
        return None

    @property
    def ends_on(self):
        """The last day of the year, or of the part of it, that the outcome covers."""
        return PartOfYear(self.part_of_year).last_day(self.year)

    def assessment(self, today=None):
        """The status of a full-year figure, or a part's progress toward the yearly target
        (which reads the year's other parts)."""
        today = today or timezone.localdate()
        if self.part_of_year == PartOfYear.YEAR:
            return status.assess(self.indicator, self, self.ends_on, today)
        # The indicator's outcomes as a list prefetched to `outcome_list` (the admin's list
        # does), or read here.
        outcomes = getattr(self.indicator, "outcome_list", None)
        if outcomes is None:
            outcomes = Outcome.objects.filter(indicator=self.indicator_id, year=self.year)
        others = [
            o
            for o in outcomes
            if o.year == self.year and o.part_of_year not in (PartOfYear.YEAR, self.part_of_year)
        ]
        return parts.assess_part(self.indicator, self, others, today)

    @property
    def value_label(self):
        return self.indicator.format_value(self.value)


class FollowUpState(models.TextChoices):
    """A yearly follow-up is approved by the council at a meeting, then published."""

    DRAFT = PublicationState.DRAFT.value, PublicationState.DRAFT.label
    APPROVED = "approved", _("Godkänd av rådet")
    PUBLISHED = PublicationState.PUBLISHED.value, PublicationState.PUBLISHED.label


class YearlyFollowUpQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            state=PublicationState.PUBLISHED, promise__state=PublicationState.PUBLISHED
        )


class YearlyFollowUp(SavedOnlyIfUnchanged, models.Model):
    """The council's summary of one year of a promise, approved at a meeting, then published.

    What the council approved, the summary and the meeting's date (`DECISION_FIELDS`), is its
    decision: once the year is approved (or published) it changes only as a rättelse, with a
    reason that is recorded as a Correction and shown to the public with the year, as a changed
    published figure is (publishing.PublishedFigures). A Swedish council expects this of an
    approved text: what the protocol says is not rewritten silently, but an obvious error may be
    corrected openly (as an authority corrects a decision, förvaltningslagen 36 §). Locking the
    text instead would leave a typo in public for good or push people to unpublish and approve
    again, which hides what changed. The rule is in `clean` (every form runs it) and the
    corrections are written by publishing.decision_corrections, in the transaction of the save.
    """

    area_path = "promise__area"  # its area, for kept pages (promises/revision.py)

    DECISION_FIELDS = ("summary", "approved_on")

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="followups",
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    summary = models.TextField(
        _("sammanfattning"),
        blank=True,
        help_text=_("Rådets sammanfattning av året, för invånarna."),
    )
    approved_on = models.DateField(
        _("godkänd av rådet den"),
        null=True,
        blank=True,
        help_text=_("Datum för det möte där det lokala brottsförebyggande rådet godkände den."),
    )
    state = models.CharField(
        _("publicering"),
        max_length=20,
        choices=FollowUpState.choices,
        default=FollowUpState.DRAFT,
    )
    version = version_field()

    objects = YearlyFollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    # The reason for a rättelse of an approved year, set by the form that changes it before it
    # is validated; kept as Correction rows, not on the follow-up.
    correction_reason = ""

    class Meta:
        verbose_name = _("årsuppföljning")
        verbose_name_plural = _("årsuppföljningar")
        permissions = [("publish_yearlyfollowup", _("Får publicera årsuppföljningar"))]
        ordering = ["promise", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "year"],
                name="followup_one_per_promise_and_year",
                violation_error_message=_("Löftet har redan en uppföljning för det året."),
            ),
            # The database's part of `approval_date_error`: it cannot read the promise's last
            # year or today's date, so it holds the bound every promise shares (a year is at most
            # the last of a three-year period, approved at the latest the year after). "Not in the
            # future" moves with the clock and cannot be a constraint; `clean` checks it.
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | (
                    Q(approved_on__year__gte=models.F("year"))
                    & Q(approved_on__year__lte=models.F("year") + MAX_PERIOD_YEARS)
                ),
                name="followup_approved_after_the_year_starts",
                violation_error_message=_(
                    "Rådet kan inte ha godkänt uppföljningen före årets början eller mer än tre år "
                    "efter det."
                ),
            ),
        ]

    def __str__(self):
        return _("Uppföljning %(year)s av %(promise)s") % {
            "year": self.year,
            "promise": self.promise,
        }

    def clean(self):
        if not self.promise_id or not self.year:
            return
        if not self.promise.covers_year(self.year):
            raise ValidationError(
                {
                    "year": _("Året %(year)s ligger utanför löftets period %(period)s.")
                    % {"year": self.year, "period": self.promise.period_label}
                }
            )
        errors = {}
        date_error = self.approval_date_error()
        if date_error:
            errors["approved_on"] = date_error
        for name, message in self.decision_errors().items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    def approval_window(self, today=None):
        """The first and last day the council can have approved this year's follow-up: from the
        year's first day (a follow-up may be approved at the year's last meeting) to the end of
        the year after the promise's last year (the last year is approved early the next year;
        later than that the promise is over), and never after today. The last day is before the
        first while the year has not begun."""
        today = today or timezone.localdate()
        first = datetime.date(self.year, 1, 1)
        last = min(datetime.date(self.promise.end_year + 1, 12, 31), today)
        return first, last

    def approval_date_error(self, today=None):
        """What is wrong with `approved_on`, naming the dates allowed, or None."""
        if self.approved_on is None:
            return None
        first, last = self.approval_window(today)
        if last < first:
            return _(
                "Uppföljningen av %(year)s kan inte godkännas förrän året har börjat (%(first)s)."
            ) % {"year": self.year, "first": first.isoformat()}
        if first <= self.approved_on <= last:
            return None
        if self.approved_on > (today or timezone.localdate()):
            reason = _("Datumet %(date)s har inte varit än.")
        else:
            reason = _("Datumet %(date)s ligger utanför löftets år.")
        return " ".join(
            [
                reason % {"date": self.approved_on.isoformat()},
                _(
                    "Ange datumet för rådets möte: tidigast när året %(year)s börjar, senast "
                    "året efter löftets sista år och aldrig i framtiden, alltså från %(first)s "
                    "till och med %(last)s."
                )
                % {"year": self.year, "first": first.isoformat(), "last": last.isoformat()},
            ]
        )

    def stored_decision(self):
        """The stored state, summary and date, or None for a follow-up not yet saved."""
        if self.pk is None:
            return None
        return (
            YearlyFollowUp.objects.filter(pk=self.pk).values("state", *self.DECISION_FIELDS).first()
        )

    def decision_changes(self):
        """(field name, stored value, new value) for each part of the council's approved
        decision this follow-up changes; empty while the stored follow-up is a draft."""
        stored = self.stored_decision()
        if stored is None or stored["state"] == FollowUpState.DRAFT:
            return []
        return [
            (name, stored[name], getattr(self, name))
            for name in self.DECISION_FIELDS
            if same_lines(stored[name]) != same_lines(getattr(self, name))
        ]

    def decision_errors(self):
        """Field errors for changes of an approved decision that the rule refuses."""
        errors = {}
        for name, before, after in self.decision_changes():
            if name == "approved_on" and after is None:
                errors[name] = _(
                    "Rådet har godkänt uppföljningen den %(date)s: datumet kan rättas men inte "
                    "tas bort."
                ) % {"date": before.isoformat()}
            elif not (self.correction_reason or "").strip():
                errors[name] = _(
                    "Rådet har godkänt uppföljningen av %(year)s: en ändring sparas bara som "
                    "rättelse. Skriv skälet till rättelsen."
                ) % {"year": self.year}
        return errors


def same_lines(value):
    """Text as compared for a change: a browser's CRLF line breaks equal the stored LF ones."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class PublicationEvent(models.Model):
    """Every publishing, unpublishing and approval, with who, when and why: kept for good."""

    area_path = "promise__area"  # its area, for kept pages (promises/revision.py)

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Publicerad")
        UNPUBLISHED = "unpublished", _("Avpublicerad")
        APPROVED = "approved", _("Godkänd av rådet")

    promise = models.ForeignKey(
        Promise, verbose_name=_("medborgarlöfte"), on_delete=models.CASCADE, related_name="events"
    )
    year = models.PositiveSmallIntegerField(
        _("år"), null=True, blank=True, help_text=_("Tomt när händelsen gäller hela löftet.")
    )
    action = models.CharField(_("händelse"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("motivering"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.SET_NULL, null=True
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("publiceringshändelse")
        verbose_name_plural = _("publiceringshändelser")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="unpublished") | ~Q(reason=""),
                name="event_unpublishing_needs_reason",
                violation_error_message=_("Avpublicering kräver en motivering."),
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.promise} {self.year or ''}".strip()


class Correction(models.Model):
    """A published figure changed afterwards: shown to the public as a rättelse."""

    area_path = "promise__area"  # its area, for kept pages (promises/revision.py)

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    change = models.TextField(_("ändring"), help_text=_("Vad som ändrades, från vad till vad."))
    reason = models.TextField(_("skäl"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.SET_NULL, null=True
    )
    made_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["-made_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="correction_needs_reason",
                violation_error_message=_("En rättelse kräver ett skäl."),
            )
        ]

    def __str__(self):
        return self.change
