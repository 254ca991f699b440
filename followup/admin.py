from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

import followup.promise_admin  # noqa: F401 (registers the promise's admin with its follow-up parts)
from followup import import_preview, publishing, resources, spreadsheet_cells
from followup.admin_versions import LocksRowOnSave, VersionedForm
from followup.entry import may_enter_outcomes
from followup.import_admin import SafeImportMixin
from followup.models import (
    Correction,
    FollowUpState,
    Outcome,
    PublicationEvent,
    YearlyFollowUp,
)
from promises.forms import LOCALIZED_DECIMALS, MultilineField
from promises.resources import ExportMixin, ImportExportMixin
from promises.scoping import AreaScopedAdmin, UsedChoicesFilter


class OutcomeAdminForm(VersionedForm):
    correction_reason = forms.CharField(
        label=_("Skäl till rättelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när en publicerad siffra ändras; visas för invånarna som rättelse."),
    )

    class Meta:
        model = Outcome
        fields = [
            "indicator",
            "year",
            "part_of_year",
            "value",
            "comment",
            "status_override",
            "override_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before = (self.instance.value, self.instance.status_override)
        self.corrections = None

    def describe(self, field, value):
        if field.name == "value" and value is not None:
            return self.instance.indicator.format_value(value)  # "187 st", as the page shows it
        return super().describe(field, value)

    def clean(self):
        cleaned = super().clean()
        # On a change page indicator, year and part of the year are read-only: they come from
        # the instance.
        current = self.instance if self.instance.pk else None
        indicator = cleaned.get("indicator") or (current and current.indicator)
        year = cleaned.get("year") or (current and current.year)
        part_of_year = cleaned.get("part_of_year") or (current and current.part_of_year)
        if not indicator or not year or not part_of_year or self.errors:
            return cleaned
        figures = publishing.PublishedFigures(indicator.commitment.promise, year, part_of_year)
        after = (cleaned.get("value"), cleaned.get("status_override", ""))
        try:
            self.corrections = figures.corrections(
                [(indicator, self.before, after)], cleaned.get("correction_reason")
            )
        except ValidationError as error:
            self.add_error("correction_reason", error)
        return cleaned


@admin.register(Outcome)
class OutcomeAdmin(
    LocksRowOnSave, AreaScopedAdmin, SafeImportMixin, ImportExportMixin, SimpleHistoryAdmin
):
    area_path = "indicator__commitment__promise__area"
    resource_classes = [resources.OutcomeResource]
    import_formats = spreadsheet_cells.IMPORT_FORMATS
    import_error_display = ("message",)
    import_template_name = "admin/followup/outcome_import.html"
    list_display = ["indicator", "year", "part_of_year", "value_label", "status", "entered_by"]
    list_filter = [
        "year",
        "part_of_year",
        "status_override",
        ("indicator__commitment__promise__area", UsedChoicesFilter),
        "indicator__commitment__promise__state",
    ]
    list_select_related = ["indicator__commitment__promise__area", "entered_by"]
    search_fields = [
        "indicator__name",
        "comment",
        "override_reason",
        "indicator__commitment__title",
    ]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["entered_by", "entered_at"]
    formfield_overrides = LOCALIZED_DECIMALS
    fields = [
        "indicator",
        ("year", "part_of_year"),
        "value",
        "comment",
        ("status_override", "override_reason"),
        ("entered_by", "entered_at"),
        "correction_reason",
        "seen_version",
    ]
    form = OutcomeAdminForm

    def get_queryset(self, request):
        # A tertial's or quarter's status reads the year's other parts (Outcome.assessment).
        outcomes = Prefetch("indicator__outcomes", Outcome.objects.all(), to_attr="outcome_list")
        return super().get_queryset(request).prefetch_related(outcomes)

    @admin.display(description=_("värde"), ordering="value")
    def value_label(self, outcome):
        return outcome.value_label

    @admin.display(description=_("bedömning"))
    def status(self, outcome):
        return outcome.assessment().label

    def get_readonly_fields(self, request, obj=None):
        # An outcome stays with its indicator, year and part of the year: a figure is moved by a
        # new entry.
        fixed = ["indicator", "year", "part_of_year"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def has_delete_permission(self, request, obj=None):
        # A published figure is corrected, never deleted, so the corrections log stays true.
        if obj is not None:
            promise = obj.indicator.commitment.promise
            if publishing.PublishedFigures(promise, obj.year, obj.part_of_year).published:
                return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletions one by one, where the rule above holds
        return actions

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.corrections:
                form.corrections.record(request.user)

    def has_import_permission(self, request):
        return may_enter_outcomes(request.user)  # the same right as the entry page

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import is checked again; a row that fails then undoes the whole file.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _("Inget sparades: filen stämmer inte längre med uppgifterna. Läs in den igen."),
            )
            return redirect("admin:followup_outcome_import")
        return super().process_result(result, request)

    def import_action(self, request, **kwargs):
        # The page names the columns as the workbook does and shows the preview of
        # followup.import_preview: Swedish headers, old → new, errors in words.
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            resource = resources.OutcomeResource()
            # The reason column is read only for a figure already published (a rättelse).
            reason = _("%(column)s (när en publicerad siffra ändras)") % {
                "column": _(resources.CORRECTION_REASON[1])
            }
            headers = [*import_preview.headers(resource), reason]
            context["fields_list"] = [(name, headers) for name, _columns in context["fields_list"]]
            if context.get("result") is not None:
                context["preview"] = import_preview.build(context["result"], resource)
        return response

    def get_import_resource_kwargs(self, request, **kwargs):
        # Imported outcomes are recorded as entered by the council member who imported them.
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}


class YearlyFollowUpAdminForm(VersionedForm):
    """An approved year's summary and date change only as a rättelse, as on the entry page: the
    rule is YearlyFollowUp's, the reason is asked for here."""

    summary = MultilineField(
        label=capfirst(YearlyFollowUp._meta.get_field("summary").verbose_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=YearlyFollowUp._meta.get_field("summary").help_text,
    )
    correction_reason = forms.CharField(
        label=_("Skäl till rättelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Krävs när rådet har godkänt uppföljningen och sammanfattningen eller mötesdatumet "
            "ändras; visas för invånarna som rättelse."
        ),
    )

    class Meta:
        model = YearlyFollowUp
        fields = ["promise", "year", "summary", "approved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.corrections = None

    def clean(self):
        cleaned = super().clean()
        self.instance.correction_reason = cleaned.get("correction_reason", "")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                self.corrections = publishing.decision_corrections(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


@admin.register(YearlyFollowUp)
class YearlyFollowUpAdmin(LocksRowOnSave, AreaScopedAdmin, ExportMixin, SimpleHistoryAdmin):
    area_path = "promise__area"
    form = YearlyFollowUpAdminForm
    resource_classes = [resources.YearlyFollowUpResource]
    list_display = ["promise", "year", "approved_on", "state"]
    list_filter = ["state", "year", ("promise__area", UsedChoicesFilter)]
    list_select_related = ["promise__area"]
    search_fields = ["summary", "promise__area__name", "promise__title"]
    autocomplete_fields = ["promise"]
    readonly_fields = ["state"]  # approving and publishing are actions with a confirmation

    def get_readonly_fields(self, request, obj=None):
        fixed = ["promise", "year"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def get_fields(self, request, obj=None):
        # A draft has nothing to correct: the reason is asked for once the council approved it.
        fields = super().get_fields(request, obj)
        if obj is None or obj.state == FollowUpState.DRAFT:
            fields = [name for name in fields if name != "correction_reason"]
        return fields

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.corrections:
                form.corrections.record(request.user)


class LogAdmin(AreaScopedAdmin, admin.ModelAdmin):
    """A log is read, never written by hand: entries come from the publishing actions."""

    area_path = "promise__area"
    list_select_related = ["promise__area"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicationEvent)
class PublicationEventAdmin(LogAdmin):
    list_display = ["at", "promise", "year", "action", "reason", "user"]
    list_filter = ["action"]
    # Each row names its promise (area and period) and who published: joined, not a query each.
    list_select_related = ["promise__area", "user"]


@admin.register(Correction)
class CorrectionAdmin(LogAdmin):
    list_display = ["made_at", "promise", "year", "change", "reason", "made_by"]
    list_select_related = ["promise__area", "made_by"]
