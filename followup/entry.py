"""The follow-up entry page: all outcomes of one promise for one year (or tertial/quarter) at once.

This is the council members' main job, so the page shows beside each input what they need to
judge the figure: the commitment, the indicator, its target and baseline and last year's value.
Either every row is valid and all are saved in one transaction, or nothing is saved.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from followup import status
from followup.models import Outcome, Period, YearlyFollowUp
from promises.models import Indicator, Promise
from promises.numbers import strip_zeros


class OutcomeEntryForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["value", "comment", "status_override", "override_reason"]
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 2, "cols": 30}),
            "override_reason": forms.Textarea(attrs={"rows": 2, "cols": 24}),
        }

    def __init__(self, *args, indicator, previous_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.previous_label = previous_label
        if indicator.kind == Indicator.Kind.YES_NO:
            self.fields["value"] = forms.TypedChoiceField(
                label=gettext_lazy("värde"),
                choices=[("", "–"), ("1", gettext_lazy("Ja")), ("0", gettext_lazy("Nej"))],
                coerce=Decimal,
                empty_value=None,
                required=False,
            )
        elif indicator.kind == Indicator.Kind.TEXT:
            del self.fields["value"]
        else:
            # Council members write "61,5": accept and show numbers the Swedish way.
            self.fields["value"].localize = True
            self.fields["value"].widget.is_localized = True
            self.fields["value"].widget.attrs.update(size=8, inputmode="decimal")
            if self.instance.value is not None:
                self.initial["value"] = strip_zeros(self.instance.value)
        if indicator.is_context:
            del self.fields["status_override"]
            del self.fields["override_reason"]

    @property
    def is_to_save(self):
        """A new row left empty is skipped; anything typed, or an existing outcome, is checked."""
        return self.instance.pk is not None or self.has_changed()

    def assessment(self, today):
        outcome = self.instance if self.instance.pk else None
        period_end = Period(self.instance.period).last_day(self.instance.year)
        return status.assess(self.indicator, outcome, period_end, today)


class YearlyFollowUpForm(forms.ModelForm):
    class Meta:
        model = YearlyFollowUp
        fields = ["summary", "approved_on"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "cols": 80})}


def previous_label(indicator, previous_outcome, year):
    if previous_outcome is not None:
        return indicator.format_value(previous_outcome.value)
    if indicator.baseline_value is not None and indicator.baseline_year == year - 1:
        return _("%(value)s (utgångsvärde)") % {
            "value": indicator.format_value(indicator.baseline_value)
        }
    return "–"


def build_forms(promise, year, period, data):
    indicators = (
        Indicator.objects.filter(commitment__promise=promise)
        .select_related("commitment__theme", "commitment__promise")
        .prefetch_related("commitment__parties")
        .order_by("commitment__order", "order", "pk")
    )
    outcomes = {
        (outcome.indicator_id, outcome.year): outcome
        for outcome in Outcome.objects.filter(
            indicator__commitment__promise=promise, year__in=[year, year - 1], period=period
        )
    }
    rows = []
    for indicator in indicators:
        instance = outcomes.get((indicator.pk, year)) or Outcome(year=year, period=period)
        instance.indicator = indicator
        previous = outcomes.get((indicator.pk, year - 1))
        rows.append(
            OutcomeEntryForm(
                data,
                prefix=f"indikator-{indicator.pk}",
                instance=instance,
                indicator=indicator,
                previous_label=previous_label(indicator, previous, year),
            )
        )
    followup = YearlyFollowUp.objects.filter(promise=promise, year=year).first()
    followup_form = YearlyFollowUpForm(
        data,
        prefix="arsuppfoljning",
        instance=followup or YearlyFollowUp(promise=promise, year=year),
    )
    return rows, followup_form


def save_all(rows, followup_form, user):
    saved = 0
    with transaction.atomic():
        for form in rows:
            if form.has_changed():
                outcome = form.save(commit=False)
                outcome.entered_by = user
                outcome.save()
                saved += 1
        if followup_form.has_changed():
            followup_form.save()
    return saved


def followup_entry_view(request, promise_id, year):
    if not (
        request.user.has_perm("followup.add_outcome")
        and request.user.has_perm("followup.change_outcome")
    ):
        raise PermissionDenied
    promise = get_object_or_404(Promise.objects.select_related("area"), pk=promise_id)
    change_url = reverse("admin:promises_promise_change", args=[promise.pk])
    if not promise.covers_year(year):
        messages.error(
            request,
            _("Året %(year)s ligger utanför löftets period %(period)s. Inget sparades.")
            % {"year": year, "period": promise.period_label},
        )
        return redirect(change_url)
    period = request.GET.get("period", Period.YEAR)
    if period not in Period.values:
        messages.error(request, _("Okänd period: välj helår, tertial eller kvartal."))
        return redirect(request.path)

    data = request.POST if request.method == "POST" else None
    rows, followup_form = build_forms(promise, year, period, data)
    # Judged before validation, so a refused input never shows as the current status.
    today = timezone.localdate()
    assessments = [form.assessment(today) for form in rows]
    if data is not None:
        to_check = [form for form in rows if form.is_to_save]
        if all([form.is_valid() for form in to_check]) and followup_form.is_valid():
            saved = save_all(to_check, followup_form, request.user)
            message = ngettext("Sparat: %(count)s utfall.", "Sparat: %(count)s utfall.", saved)
            messages.success(request, message % {"count": saved})
            return redirect(request.get_full_path())
        messages.error(request, _("Inget sparades. Rätta de markerade fälten och spara igen."))

    context = {
        **admin.site.each_context(request),
        "title": _("Uppföljning %(year)s: %(promise)s") % {"year": year, "promise": promise},
        "promise": promise,
        "year": year,
        "period": Period(period),
        "periods": Period.choices,
        "years": promise.years,
        "rows": list(zip(rows, assessments, strict=True)),
        "followup_form": followup_form,
        "change_url": change_url,
        "opts": Promise._meta,
    }
    return TemplateResponse(request, "admin/followup/entry.html", context)
