import nested_admin
from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from promises import resources
from promises.forms import LOCALIZED_DECIMALS
from promises.models import (
    Area,
    Commitment,
    Indicator,
    Membership,
    Municipality,
    Party,
    Promise,
    Signatory,
    Theme,
)
from promises.resources import ExportMixin
from promises.roles import grant
from promises.scoping import (
    LIST_PER_PAGE,
    AreaScopedAdmin,
    CheckedChoicesAdmin,
    CoordinatorInline,
    SharedListAdmin,
    UsedChoicesFilter,
)

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Löften och uppföljning")


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "slug", "kind", "municipalities"]

    def clean(self):
        cleaned = super().clean()
        kind, municipalities = cleaned.get("kind"), cleaned.get("municipalities")
        if kind and municipalities is not None:
            error = Area.coverage_error(kind, municipalities)
            if error:
                self.add_error("municipalities", error)
        return cleaned


@admin.register(Area)
class AreaAdmin(AreaScopedAdmin, ExportMixin, admin.ModelAdmin):
    area_path = "pk"
    form = AreaForm
    resource_classes = [resources.AreaResource]
    list_display = ["name", "kind", "covered"]
    list_filter = ["kind"]
    search_fields = ["name", "municipalities__name", "=municipalities__code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["municipalities"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_municipalities()

    @admin.display(description=_("omfattar kommuner"))
    def covered(self, area):
        return ", ".join(str(m) for m in area.municipality_list) or "–"


@admin.register(Municipality)
class MunicipalityAdmin(CheckedChoicesAdmin, admin.ModelAdmin):
    """Sweden's municipalities, as SCB lists them: known data, read only."""

    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_per_page = 300

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(CheckedChoicesAdmin, admin.ModelAdmin):
    """Who works in which area, and as what: managed by administrators."""

    list_per_page = LIST_PER_PAGE

    list_display = ["user", "area", "role"]
    list_filter = ["role", "area"]
    list_select_related = ["user", "area"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "area__name"]
    autocomplete_fields = ["user", "area"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        grant(obj.user, obj.area, obj.role)  # the role's group and the staff flag come along


@admin.register(Party)
class PartyAdmin(SharedListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [resources.PartyResource]
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name", "=municipality__code"]
    autocomplete_fields = ["municipality"]


@admin.register(Theme)
class ThemeAdmin(SharedListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [resources.ThemeResource]
    list_display = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class NumberedFormSet(NestedInlineFormSet):
    """Rows numbered within their parent: a new row left without a number takes the next free
    one (rows added on the page would otherwise all start as 1), and a repeated number is named
    in words, not as "order"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "order" in form.fields and form.instance.pk is None:
            form.fields["order"].required = False
            form.initial["order"] = None

    def clean(self):
        self.number_new_rows()
        super().clean()

    def number_new_rows(self):
        rows = [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        taken = [row["order"] for row in rows if row.get("order") is not None]
        number = max(taken, default=0)
        for form in self.forms:
            if form.cleaned_data in rows and form.cleaned_data.get("order") is None:
                number += 1
                form.cleaned_data["order"] = form.instance.order = number

    def get_unique_error_message(self, unique_check):
        return _("Två rader har samma nummer: ge varje %(name)s ett eget nummer.") % {
            "name": self.model._meta.verbose_name
        }


class SharedChoicesFormSet(NestedInlineFormSet):
    """The choices of `shared_choice_fields` are read once for the page, not once per row (a
    model choice field reads its queryset again for every form it is rendered in)."""

    shared_choice_fields = ()

    def _construct_form(self, i, **kwargs):
        return self.share_choices(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self.share_choices(super().empty_form)

    def share_choices(self, form):
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name in self.shared_choice_fields:
            if name in form.fields:
                if name not in shared:
                    shared[name] = list(form.fields[name].choices)
                form.fields[name].choices = shared[name]
        return form


class CommitmentFormSet(SharedChoicesFormSet, NumberedFormSet):
    shared_choice_fields = ("theme", "parties")


class SignatoryFormSet(SharedChoicesFormSet):
    shared_choice_fields = ("party",)


class PromisePartiesInline:
    """Mixin for an inline on the promise's page: its party choices are those the promise's
    area can name (PartyQuerySet.for_promise), once the promise is saved."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name in ("party", "parties"):
            field = formset.form.base_fields.get(name)
            if obj is not None and obj.pk is not None and field is not None:
                field.queryset = field.queryset.filter(pk__in=parties_for(request, obj))
        return formset


def parties_for(request, promise):
    """The ids of the parties the promise can name, read once per request: a handful, which
    the scoped choices (PartyQuerySet.shown_in, a costly test per party) then only check."""
    known = request.__dict__.setdefault("_promise_parties", {})
    if promise.pk not in known:
        known[promise.pk] = list(Party.objects.for_promise(promise).values_list("pk", flat=True))
    return known[promise.pk]


class SignatoryInline(PromisePartiesInline, CoordinatorInline, nested_admin.NestedTabularInline):
    parent_area_path = "area"
    model = Signatory
    formset = SignatoryFormSet
    extra = 0
    is_sortable = False
    fields = ["order", "name", "role", "party"]


class PrefetchedRowsFormSet(NumberedFormSet):
    """A nested formset whose rows its parent's query prefetched: on the promise's page, the
    indicators of every commitment in one query, not one query per commitment. A posted form
    reads its rows again (CheckedRows judges the ids sent)."""

    def get_queryset(self):
        if not self.is_bound and not hasattr(self, "_queryset"):
            prefetched = getattr(self.instance, "_prefetched_objects_cache", {})
            name = self.fk.remote_field.get_accessor_name()
            if name in prefetched:
                self._queryset = list(prefetched[name])
        return super().get_queryset()


class PromiseIndicatorInline(CoordinatorInline, nested_admin.NestedStackedInline):
    """A commitment's indicators, edited inside the commitment on the promise's own page."""

    parent_area_path = "promise__area"
    model = Indicator
    formset = PrefetchedRowsFormSet
    extra = 0
    is_sortable = False  # the number field orders them; no dragging
    formfield_overrides = LOCALIZED_DECIMALS
    classes = ["promise-indicators"]
    fields = [
        ("order", "name"),
        ("kind", "unit", "scope"),
        ("rule", "target_value", "target_in_percent"),
        ("baseline_value", "baseline_year", "year_from_parts"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commitment__promise__area")


class CommitmentInline(PromisePartiesInline, CoordinatorInline, nested_admin.NestedStackedInline):
    """Every commitment with its text, theme, parties and indicators: a promise is set up on
    its own page, saved at once (the admin saves a page in one transaction)."""

    parent_area_path = "area"
    model = Commitment
    formset = CommitmentFormSet
    extra = 0
    is_sortable = False
    fields = [("order", "title"), "text", "purpose", ("theme", "parties")]
    show_change_link = True
    classes = ["promise-commitments"]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})},
    }
    inlines = [PromiseIndicatorInline]

    def get_queryset(self, request):
        # The indicators in the same ordering as their own inline's rows (the model's).
        return (
            super()
            .get_queryset(request)
            .select_related("promise__area")
            .prefetch_related("parties", Prefetch("indicators", Indicator.objects.all()))
        )


@admin.register(Promise)
class PromiseAdmin(
    AreaScopedAdmin, ExportMixin, nested_admin.NestedModelAdminMixin, SimpleHistoryAdmin
):
    """What was promised. followup/promise_admin.py registers this admin again with the
    follow-up parts (entry links, publishing buttons), so that this app names none of them."""

    area_path = "area"
    coordinator_only = True
    resource_classes = [resources.PromiseResource]
    list_display = ["__str__", "period", "signed_on", "state"]
    list_filter = ["state", ("area", UsedChoicesFilter), "start_year"]
    list_select_related = ["area"]
    search_fields = ["title", "area__name", "background"]
    date_hierarchy = "signed_on"
    inlines = [SignatoryInline, CommitmentInline]
    # Publishing is an action of its own, with a confirmation page (followup/promise_admin.py).
    readonly_fields = ["state"]
    fieldsets = [
        (None, {"fields": ["area", ("start_year", "end_year"), "title", "state"]}),
        (_("Undertecknande"), {"fields": ["signed_on", "background"]}),
    ]

    @admin.display(description=_("period"), ordering="start_year")
    def period(self, promise):
        return promise.period_label


class IndicatorInline(CoordinatorInline, admin.StackedInline):
    parent_area_path = "promise__area"
    model = Indicator
    extra = 0
    formfield_overrides = LOCALIZED_DECIMALS
    fields = [
        ("order", "name"),
        ("kind", "unit", "scope"),
        ("rule", "target_value", "target_in_percent"),
        ("baseline_value", "baseline_year"),
        "year_from_parts",
    ]


@admin.register(Commitment)
class CommitmentAdmin(AreaScopedAdmin, ExportMixin, SimpleHistoryAdmin):
    area_path = "promise__area"
    coordinator_only = True
    resource_classes = [resources.CommitmentResource]
    list_display = ["__str__", "promise", "theme", "responsible"]
    list_filter = [
        ("promise__area", UsedChoicesFilter),
        "promise__start_year",
        "promise__state",
        # Only the themes and parties of the commitments the user may see (their areas'):
        # the choices come from the scoped queryset.
        ("theme", UsedChoicesFilter),
        ("parties", UsedChoicesFilter),
    ]
    list_select_related = ["promise__area", "theme"]
    search_fields = ["title", "text", "purpose", "promise__area__name"]
    autocomplete_fields = ["promise"]
    filter_horizontal = ["parties"]
    inlines = [IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        parties = form.base_fields.get("parties")
        if obj is not None and parties is not None:
            parties.queryset = parties.queryset.filter(pk__in=parties_for(request, obj.promise))
        return form

    @admin.display(description=_("ansvariga parter"))
    def responsible(self, commitment):
        return ", ".join(party.name for party in commitment.parties.all())


@admin.register(Indicator)
class IndicatorAdmin(AreaScopedAdmin, ExportMixin, SimpleHistoryAdmin):
    area_path = "commitment__promise__area"
    coordinator_only = True
    resource_classes = [resources.IndicatorResource]
    list_display = ["name", "commitment", "promise", "kind", "target", "baseline"]
    list_filter = [
        "kind",
        "rule",
        ("commitment__promise__area", UsedChoicesFilter),
        "commitment__promise__start_year",
    ]
    list_select_related = ["commitment__promise__area"]
    search_fields = ["name", "scope", "commitment__title"]
    autocomplete_fields = ["commitment"]
    formfield_overrides = LOCALIZED_DECIMALS

    @admin.display(description=_("medborgarlöfte"), ordering="commitment__promise")
    def promise(self, indicator):
        return indicator.commitment.promise

    @admin.display(description=_("mål"))
    def target(self, indicator):
        return indicator.target_label

    @admin.display(description=_("utgångsvärde"))
    def baseline(self, indicator):
        return indicator.baseline_label or "–"
