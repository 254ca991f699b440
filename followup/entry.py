"""The follow-up entry page: all outcomes of one promise for one year (or tertial/quarter) at once.

This is the council members' main job, so the page shows beside each input what they need to
judge the figure: the commitment, the indicator, its target and baseline and last year's value.
Either every row is valid and all are saved in one transaction, or nothing is saved.
"""

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from followup import parts, publishing, report
from followup.models import FollowUpState, Outcome, PartOfYear, StaleVersion, YearlyFollowUp
from promises.forms import MultilineField, NumberField
from promises.models import Indicator, Promise
from promises.roles import areas_of


class KeepsOthersEdits:
    """Saves what this council member changed, and refuses to overwrite a colleague's edit.

    Each input carries a hidden copy of the value it showed, so "changed" means changed on this
    page, not different from the database: a page opened before a colleague saved leaves the
    colleague's figures alone, and a field that both changed is refused with the current value.
    A posted page compares with rows read inside its saving transaction (`build_forms` with
    `for_saving`), and each row is written only if its version is still the one read
    (models.SavedOnlyIfUnchanged): a colleague saving at the same moment is never overwritten.
    """

    def remember_shown_values(self):
        for name, field in self.fields.items():
            # A client that sends no shown values is compared with the database, as before.
            field.show_hidden_initial = (
                not self.is_bound or self.add_initial_prefix(name) in self.data
            )
        # The row as read, to name what a colleague changed if the write finds it saved since
        # (saving changes the instance, and a refused save leaves it changed).
        self.read_pk, self.read_version = self.instance.pk, self.instance.version
        self.read = {name: getattr(self.instance, name) for name in self.fields}

    def refuse_overwriting_others(self):
        changed = self.changed_data
        for name in changed:
            field = self.fields[name]
            current = self.get_initial_for_field(field, name)
            if isinstance(current, str):
                current = field.to_python(current)  # stored line endings, as the field reads them
            shown = self.data.get(self.add_initial_prefix(name))
            if field.show_hidden_initial and field.has_changed(current, shown):
                message = _(
                    "Någon annan har ändrat detta efter att du öppnade sidan (nu: %(current)s). "
                    "Det du skrev står kvar: spara igen för att ersätta det, eller ladda om sidan."
                )
                now = getattr(self.instance, name)  # the database's value, not yet replaced
                self.add_error(name, message % {"current": self.describe(name, now)})
                self.show_as_seen(name, now)
        # Saving writes every field of the form: the untouched ones keep the database's value,
        # which a colleague may have changed since this page was opened.
        for name in self.fields:
            if name not in changed and name in self.cleaned_data:
                self.cleaned_data[name] = getattr(self.instance, name)

    def show_as_seen(self, name, value):
        """The page shown again counts the colleague's value as the one it showed, so that saving
        it again replaces that value knowingly; the input keeps what this member typed."""
        field = self.fields[name]
        self.data = self.data.copy()  # the request's own data is shared by every row's form
        shown = field.hidden_widget().format_value(field.prepare_value(value))
        self.data[self.add_initial_prefix(name)] = shown if shown is not None else ""

    def clean(self):
        cleaned_data = super().clean()
        self.refuse_overwriting_others()
        return cleaned_data

    def describe(self, name, value):
        if value in (None, ""):
            return "–"
        choices = self.instance._meta.get_field(name).flatchoices
        return str(dict(choices).get(value, value))

    def forget_refused_save(self):
        """After a rolled-back save the page is shown again: its row is as read, not as the
        save left the instance (an id for a row that is not stored, a version counted up)."""
        self.instance.pk, self.instance.version = self.read_pk, self.read_version
        self.instance._state.adding = self.read_pk is None

    def stored_row(self):
        """The row as stored now: by its id, or for a row that was new when the page was read,
        by the fields that make it unique (a colleague may have added it since)."""
        model = type(self.instance)
        if self.read_pk is not None:
            return model._base_manager.filter(pk=self.read_pk).first()
        unique = next(c for c in model._meta.constraints if isinstance(c, UniqueConstraint))
        return model._base_manager.filter(
            **{name: getattr(self.instance, name) for name in unique.fields}
        ).first()

    def changed_meanwhile(self):
        """What a colleague saved in this row since it was read ("värde ”555 st”"), or None."""
        stored = self.stored_row()
        if stored is None:
            return None if self.read_pk is None else _("borttaget")
        if self.read_pk is not None and stored.version == self.read_version:
            return None
        changed = [name for name in self.fields if getattr(stored, name) != self.read[name]]
        return ", ".join(
            f"{self.instance._meta.get_field(name).verbose_name} "
            f"”{self.describe(name, getattr(stored, name))}”"
            for name in (changed if self.read_pk is not None and changed else self.fields)
        )


class OutcomeEntryForm(KeepsOthersEdits, forms.ModelForm):
    comment = MultilineField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = MultilineField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis_note = ""  # where a full-year row's figure comes from (set by `assessment`)

    class Meta:
        model = Outcome
        fields = ["value", "comment", "status_override", "override_reason"]
        field_classes = {"value": NumberField}

    def __init__(self, *args, indicator, previous_label, may_withdraw=False, **kwargs):
        instance = kwargs.get("instance")
        # A new row left empty is no outcome: it is neither validated nor marked as an error, so
        # the page never asks for a figure that does not exist (Django skips an empty form
        # that may stay empty, as in a formset's extra forms).
        kwargs.setdefault("empty_permitted", instance is None or instance.pk is None)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.may_withdraw = may_withdraw
        self.indicator = indicator
        # The figure as stored (perhaps published), kept before validation changes the instance.
        self.before = (self.instance.value, self.instance.status_override)
        self.previous_label = previous_label
        if indicator.kind == Indicator.Kind.YES_NO:
            self.fields["value"] = forms.TypedChoiceField(
                label=gettext_lazy("värde"),
                choices=[("", "–"), ("1", gettext_lazy("Ja")), ("0", gettext_lazy("Nej"))],
                coerce=Decimal,
                empty_value=None,
                required=False,
            )
            if self.instance.value is not None:  # 1.00 is stored; the choice is "1"
                self.initial["value"] = f"{self.instance.value:.0f}"
        elif indicator.kind == Indicator.Kind.TEXT:
            del self.fields["value"]
        if indicator.is_context:
            del self.fields["status_override"]
            del self.fields["override_reason"]
        for field in self.fields.values():
            field.help_text = ""  # the page explains each column once, in its header
        self.remember_shown_values()

    def describe(self, name, value):
        if name == "value" and value is not None:
            return self.indicator.format_value(value)
        return super().describe(name, value)

    @property
    def is_to_save(self):
        """A new row left empty is skipped; anything typed, or an existing outcome, is checked."""
        return self.instance.pk is not None or self.has_changed()

    @property
    def withdraw_checked(self):
        return self.is_bound and bool(self.data.get(self.add_prefix(WITHDRAW)))

    @property
    def withdrawal_requested(self):
        """Whether this saved outcome is to be withdrawn: its "Ta bort utfallet" box is ticked,
        or every field of the row was sent back empty (clearing a row means withdrawing it)."""
        if not self.is_bound or self.instance.pk is None:
            return False
        if self.withdraw_checked:
            return True
        sent = [self.data.get(self.add_prefix(name)) for name in self.fields]
        return all(value is not None and not str(value).strip() for value in sent)

    def full_clean(self):
        if not self.withdrawal_requested:
            super().full_clean()
            return
        # A row being withdrawn is not checked as a figure; only whether it may go.
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        if not self.may_withdraw:
            self.add_error(None, _("Du får inte ta bort utfall. Be en samordnare om hjälp."))
        else:
            self.refuse_withdrawing_others_edits()

    def refuse_withdrawing_others_edits(self):
        for name, field in self.fields.items():
            shown = self.data.get(self.add_initial_prefix(name))
            if shown is None:
                continue  # a client that sends no shown values withdraws what is stored
            current = self.get_initial_for_field(field, name)
            if isinstance(current, str):
                current = field.to_python(current)
            if field.has_changed(current, shown):
                message = _(
                    "Någon annan har ändrat utfallet efter att du öppnade sidan (nu: %(current)s)."
                    " Ladda om sidan innan du tar bort det."
                )
                now = getattr(self.instance, name)
                self.add_error(None, message % {"current": self.describe(name, now)})
                return

    @property
    def anchor(self):
        return self.prefix

    @property
    def row_label(self):
        """ "Åtagande 2: Trafikkontroller", to name a row in the page's messages."""
        return _("Åtagande %(number)s: %(indicator)s") % {
            "number": self.indicator.commitment.order,
            "indicator": self.indicator.name,
        }

    def assessment(self, today, rest_of_year=()):
        """The year's status (of its figure, with its parts), or a part's progress toward it;
        `rest_of_year` holds the indicator's other outcomes of the year (followup.parts)."""
        outcome = self.instance if self.instance.pk else None
        if self.instance.part_of_year == PartOfYear.YEAR:
            figure = parts.year_figure(self.indicator, [*filter(None, [outcome]), *rest_of_year])
            self.basis_note = year_basis_note(figure)
            return parts.assess_year(self.indicator, figure, self.instance.year, today)
        return parts.assess_entered(self.indicator, self.instance, outcome, rest_of_year, today)

    @property
    def figure(self):
        """(indicator, before, after) for the rule on published figures (publishing.py)."""
        if self.withdrawal_requested:
            return self.indicator, self.before, None
        after = (self.instance.value, self.instance.status_override)
        return self.indicator, self.before, after


# The name of a row's "Ta bort utfallet" box, after the row's prefix.
WITHDRAW = "ta_bort"
# The name and value of the button that confirms the withdrawals the page asked about.
CONFIRM_WITHDRAWAL = "bekrafta_borttagning"


def withdrawal_key(withdrawing):
    """The rows a confirmation is for, so that it never confirms rows the page did not name."""
    return ",".join(sorted(str(form.indicator.pk) for form in withdrawing))


def year_basis_note(figure):
    """Where the year's figure comes from, beside a full-year row that has parts too."""
    if figure.basis == parts.Basis.YEAR and figure.parts:
        return _("Helårssiffran gäller i stället för delårssiffrorna.")
    if figure.made_of:
        return _("Årets siffra: %(basis)s.") % {"basis": figure.basis_label}
    return ""


class YearlyFollowUpForm(KeepsOthersEdits, forms.ModelForm):
    summary = MultilineField(
        label=capfirst(YearlyFollowUp._meta.get_field("summary").verbose_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=YearlyFollowUp._meta.get_field("summary").help_text,
    )

    class Meta:
        model = YearlyFollowUp
        fields = ["summary", "approved_on"]
        widgets = {"approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.corrections = None  # of an approved summary or date, recorded with the save
        self.remember_shown_values()

    @property
    def decided(self):
        """Whether the council has approved the year: its summary and date change only as a
        rättelse (the rule is YearlyFollowUp's)."""
        return self.instance.state != FollowUpState.DRAFT

    def clean(self):
        cleaned_data = super().clean()
        # The page's one reason field serves the published figures and the approved summary.
        self.instance.correction_reason = self.data.get("rattelse", "")
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()  # the model's rule: dates, and no change of a decision unexplained
        if not self.errors:
            try:
                self.corrections = publishing.decision_corrections(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


def previous_label(indicator, previous_outcome, year, previous_parts=()):
    """The figure beside the entry field: the same part of last year, or last year's figure,
    made of its tertials or quarters when no full-year figure was entered ("124 st (summa av
    T1–T3)")."""
    if previous_outcome is not None and previous_outcome.value is not None:
        return indicator.format_value(previous_outcome.value)
    if previous_parts:
        figure = parts.year_figure(indicator, previous_parts)
        if figure.value is not None:
            return _("%(value)s (%(basis)s)") % {
                "value": indicator.format_value(figure.value),
                "basis": figure.basis_label,
            }
    if indicator.baseline_value is not None and indicator.baseline_year == year - 1:
        return _("%(value)s (utgångsvärde)") % {
            "value": indicator.format_value(indicator.baseline_value)
        }
    return "–"


def carry_done_earlier(promise, year, rows, assessments, rest, today):
    """A one-off done in an earlier year of the promise shows as done on a later year's page,
    with the year it was done (as on the public page, read the same way: report.indicator_years),
    so that nobody enters it again. Sets `done_label` ("genomfört 2025") on such a row's form;
    returns the assessments."""
    one_offs = [form for form in rows if form.indicator.rule == Indicator.Rule.DONE]
    if not one_offs:
        return assessments
    earlier = defaultdict(list)
    for outcome in Outcome.objects.filter(
        indicator__in=[form.indicator for form in one_offs],
        year__gte=promise.start_year,
        year__lt=year,
    ):
        earlier[outcome.indicator_id].append(outcome)
    result = list(assessments)
    for index, form in enumerate(rows):
        if form not in one_offs:
            continue
        indicator = form.indicator
        saved = [form.instance] if form.instance.pk else []
        indicator.outcome_list = [*earlier[indicator.pk], *saved, *rest.get(indicator.pk, ())]
        this_year = report.indicator_years(indicator, range(promise.start_year, year + 1), today)[
            -1
        ]
        if this_year.figure.basis == parts.Basis.DONE_EARLIER:
            form.done_label = this_year.figure.basis_label
            result[index] = this_year.assessment
    return result


def build_forms(promise, year, part_of_year, data, may_withdraw=False, for_saving=False):
    """The page's forms, bound to `data` when posted: one per indicator, and the yearly
    follow-up's form for the whole year (None for a tertial or quarter). `may_withdraw` is
    whether the user may withdraw saved outcomes. `for_saving`, in the saving transaction,
    locks the rows read until it ends (on PostgreSQL; SQLite's transaction holds the whole
    database), so that what the page is compared with is what it overwrites."""
    indicators = (
        Indicator.objects.filter(commitment__promise=promise)
        .select_related("commitment__theme", "commitment__promise__area")
        .prefetch_related("commitment__parties")
        .order_by("commitment__order", "order", "pk")
    )
    stored = Outcome.objects.filter(
        indicator__commitment__promise=promise,
        year__in=[year, year - 1],
        part_of_year=part_of_year,
    )
    followups = YearlyFollowUp.objects.filter(promise=promise, year=year)
    if for_saving:
        stored = stored.select_for_update(of=("self",))
        followups = followups.select_for_update(of=("self",))
    outcomes = {(outcome.indicator_id, outcome.year): outcome for outcome in stored}
    previous_parts = {}  # last year's tertials and quarters, which make last year's figure
    if part_of_year == PartOfYear.YEAR:
        for outcome in Outcome.objects.filter(
            indicator__commitment__promise=promise, year=year - 1
        ).exclude(part_of_year=PartOfYear.YEAR):
            previous_parts.setdefault(outcome.indicator_id, []).append(outcome)
    rows = []
    for indicator in indicators:
        instance = outcomes.get((indicator.pk, year))
        if instance is None:
            instance = Outcome(year=year, part_of_year=part_of_year)
        instance.indicator = indicator
        previous = outcomes.get((indicator.pk, year - 1))
        rows.append(
            OutcomeEntryForm(
                data,
                prefix=f"indikator-{indicator.pk}",
                instance=instance,
                indicator=indicator,
                previous_label=previous_label(
                    indicator, previous, year, previous_parts.get(indicator.pk, ())
                ),
                may_withdraw=may_withdraw,
            )
        )
    if part_of_year != PartOfYear.YEAR:
        return rows, None  # the yearly summary belongs to the whole year only
    followup = followups.first()
    if followup is not None:
        followup.promise = promise  # read with its area, which a save names (promises/revision.py)
    followup_form = YearlyFollowUpForm(
        data,
        prefix="arsuppfoljning",
        instance=followup or YearlyFollowUp(promise=promise, year=year),
    )
    return rows, followup_form


class SavedMeanwhile(Exception):
    """A colleague's save reached a row between this page's check and its write: nothing was
    saved. The message names the rows and their values now."""


def save_all(rows, followup_form, user, corrections=None):
    """Saves what changed and withdraws what is to be withdrawn, all or nothing; returns a
    message for the council member, or raises SavedMeanwhile.

    `corrections` (publishing.Corrections) are recorded with the save when published figures
    change or are withdrawn.
    """
    withdrawn = [form for form in rows if form.withdrawal_requested]
    changed = [form for form in rows if form not in withdrawn and form.has_changed()]
    followup_changed = followup_form is not None and followup_form.has_changed()
    try:
        with transaction.atomic():
            for form in withdrawn:
                outcome = form.instance
                outcome._history_user = user  # the outcome's history keeps the deletion, and who
                outcome.delete()
            for form in changed:
                outcome = form.save(commit=False)
                outcome.entered_by = user
                outcome.save()
            if followup_changed:
                followup_form.save()
            if corrections:
                corrections.record(user)
    except (StaleVersion, IntegrityError) as error:
        # A row changed since it was read (a version), or a new row was added by someone else
        # (a unique constraint): everything above was rolled back.
        forms = [*withdrawn, *changed, *([followup_form] if followup_changed else [])]
        for form in forms:
            form.forget_refused_save()
        raise SavedMeanwhile(saved_meanwhile_message(forms)) from error
    if not changed and not followup_changed and not withdrawn:
        return _("Inga ändringar att spara.")
    parts = []
    if withdrawn:
        count = len(withdrawn)
        parts.append(
            ngettext("Borttaget: %(count)s utfall.", "Borttaget: %(count)s utfall.", count)
            % {"count": count}
        )
    if changed:
        count = len(changed)
        parts.append(ngettext("Sparat: %(count)s utfall.", "Sparat: %(count)s utfall.", count))
        parts[-1] %= {"count": count}
    if followup_changed:
        parts.append(_("Årsuppföljningen sparades."))
    return " ".join(parts)


def saved_meanwhile_message(forms):
    """ "Inget sparades: någon annan sparade samtidigt Åtagande 2: Trafikkontroller (nu: …)." """
    label = {form: getattr(form, "row_label", _("årsuppföljningen")) for form in forms}
    changes = [(label[form], form.changed_meanwhile()) for form in forms]
    named = "; ".join(
        _("%(row)s (nu: %(now)s)") % {"row": row, "now": now} for row, now in changes if now
    )
    return _(
        "Inget sparades: någon annan sparade samtidigt som du%(rows)s. Det du skrev står kvar: "
        "spara igen så jämförs det med det som nu är sparat."
    ) % {"rows": f": {named}" if named else ""}


def followup_entry_url(promise, year):
    """The address of the entry page of one year's follow-up, in the promise's admin."""
    return reverse("admin:promises_promise_followup", args=[promise.pk, year])


def may_enter_outcomes(user):
    """Entering a year's figures, on the entry page or by import, adds and changes outcomes; the
    areas it may do so in are the admin's scoping (promises/scoping.py)."""
    return user.has_perm("followup.add_outcome") and user.has_perm("followup.change_outcome")


def may_withdraw_outcomes(user):
    """Withdrawing a figure entered by mistake, on the entry page, in the same areas."""
    return may_enter_outcomes(user) and user.has_perm("followup.delete_outcome")


def refusal_message(rows, followup_form):
    """ "Inget sparades." and the rows to fix, each a link to its row on the page."""
    to_fix = [(f"#{form.anchor}", form.row_label) for form in rows if form.is_bound and form.errors]
    if followup_form is not None and followup_form.errors:
        to_fix.insert(0, (f"#{followup_form.prefix}", _("Årsuppföljningen")))
    if not to_fix:
        return _("Inget sparades. Rätta de markerade fälten och spara igen.")
    return format_html(
        "{} {}",
        ngettext(
            "Inget sparades. Rätta raden och spara igen:",
            "Inget sparades. Rätta raderna och spara igen:",
            len(to_fix),
        ),
        format_html_join(", ", '<a href="{}">{}</a>', to_fix),
    )


def followup_entry_view(request, promise_id, year):
    if not may_enter_outcomes(request.user):
        raise PermissionDenied
    promise = get_object_or_404(
        Promise.objects.select_related("area").filter(area__in=areas_of(request.user)),
        pk=promise_id,
    )
    change_url = reverse("admin:promises_promise_change", args=[promise.pk])
    if not promise.covers_year(year):
        message = _("Året %(year)s ligger utanför löftets period %(period)s.") % {
            "year": year,
            "period": promise.period_label,
        }
        if request.method == "POST":
            message += " " + _("Inget sparades.")
        messages.error(request, message)
        return redirect(change_url)
    # The part of the year is named "period" in the page's address (?period=t1), as it always
    # has been: addresses that were shared or bookmarked keep working.
    part_of_year = request.GET.get("period", PartOfYear.YEAR)
    if part_of_year not in PartOfYear.values:
        messages.error(request, _("Okänd del av året: välj helår, tertial eller kvartal."))
        return redirect(request.path)
    if request.method != "POST":
        return entry_page(request, promise, year, part_of_year)
    # A posted page is checked against the rows and saved in one transaction, which first takes
    # the promise's row: two council members saving the same promise at once take turns (on
    # PostgreSQL; an SQLite transaction holds the database), and the second compares with what
    # the first saved.
    with transaction.atomic():
        Promise.objects.select_for_update().only("pk").get(pk=promise.pk)
        return entry_page(request, promise, year, part_of_year)


def entry_page(request, promise, year, part_of_year):
    """The page, and when posted the check and the save."""
    change_url = reverse("admin:promises_promise_change", args=[promise.pk])
    data = request.POST if request.method == "POST" else None
    may_withdraw = may_withdraw_outcomes(request.user)
    # Changing a figure the public has seen is allowed, but logged with a reason.
    figures = publishing.PublishedFigures(promise, year, part_of_year)
    rows, followup_form = build_forms(
        promise, year, part_of_year, data, may_withdraw, for_saving=data is not None
    )
    # Judged before validation, so a refused input never shows as the current status.
    today = timezone.localdate()
    rest = Outcome.objects.rest_of_year(promise, year, part_of_year)
    assessments = [form.assessment(today, rest.get(form.indicator.pk, ())) for form in rows]
    if part_of_year == PartOfYear.YEAR:
        assessments = carry_done_earlier(promise, year, rows, assessments, rest, today)
    to_confirm = []
    if data is not None:
        to_check = [form for form in rows if form.is_to_save]
        forms_valid = all([form.is_valid() for form in to_check])
        followup_valid = followup_form is None or followup_form.is_valid()
        withdrawing = [form for form in to_check if form.withdrawal_requested]
        corrections = None
        if forms_valid:
            changed = [
                form.figure for form in to_check if form.withdrawal_requested or form.has_changed()
            ]
            try:
                corrections = figures.corrections(changed, data.get("rattelse"))
            except ValidationError as error:
                forms_valid = False
                messages.error(request, " ".join(error.messages))
        if forms_valid and followup_valid and followup_form is not None:
            corrections = publishing.combined(corrections, followup_form.corrections)
        confirmed = data.get(CONFIRM_WITHDRAWAL) == withdrawal_key(withdrawing)
        if forms_valid and followup_valid and withdrawing and not confirmed:
            # Nothing is withdrawn without a second, explicit yes (no script needed).
            to_confirm = withdrawing
            messages.warning(
                request,
                _(
                    "Inget sparades ännu. Du håller på att ta bort utfall: bekräfta längst ned "
                    "på sidan eller ångra."
                ),
            )
        elif forms_valid and followup_valid:
            try:
                message = save_all(to_check, followup_form, request.user, corrections)
            except SavedMeanwhile as conflict:
                messages.error(request, str(conflict))  # the page keeps what was typed
            else:
                messages.success(request, message)
                return redirect(request.get_full_path())
        else:
            messages.error(request, refusal_message(rows, followup_form))

    context = {
        **admin.site.each_context(request),
        "title": _("Uppföljning %(year)s: %(promise)s") % {"year": year, "promise": promise},
        "promise": promise,
        "year": year,
        "part_of_year": PartOfYear(part_of_year),
        "parts_of_year": PartOfYear.choices,
        "years": promise.years,
        "rows": list(zip(rows, assessments, strict=True)),
        "may_withdraw": may_withdraw,
        "to_confirm": [
            (form, publishing.describe(form.indicator, *form.before)) for form in to_confirm
        ],
        "confirm_key": withdrawal_key(to_confirm),
        "confirm_name": CONFIRM_WITHDRAWAL,
        "followup_form": followup_form,
        "change_url": change_url,
        "published": figures.published,
        "decided": followup_form is not None and followup_form.decided,
        "correction_reason": data.get("rattelse", "") if data else "",
        "opts": Promise._meta,
    }
    return TemplateResponse(request, "admin/followup/entry.html", context)
