"""Spreadsheet exports of every model (django-import-export): Swedish headers, names not ids."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise as LazyText
from django.utils.text import capfirst, slugify
from import_export import admin as import_export_admin
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from promises.models import Area, Commitment, Indicator, Municipality, Party, Promise, Theme
from promises.numbers import strip_zeros

# A cell beginning with one of these can run as a formula when a spreadsheet opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that could run as a formula gets a leading apostrophe, the spreadsheet convention."""
    if isinstance(value, LazyText):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Figure(widgets.DecimalWidget):
    """A figure as a number cell in xlsx (2483, not 2483.00); in csv as Swedish Excel reads a
    number: a decimal comma and no thousands separator ("61,5", "2483")."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        value = strip_zeros(value)
        if kwargs.get("force_native_type"):  # a binary format: xlsx
            return value
        return str(value).replace(".", ",")


class ExcelCSV(CSV):
    """csv as Swedish Excel opens it by a double-click: its letters by the byte order mark, its
    columns by semicolons. Excel splits a csv at the list separator of the computer's regional
    settings, a semicolon in Swedish ones (the comma is the decimal mark): a comma-separated
    file opens as one column. The outcome import reads either."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + dataset.export("csv", delimiter=";")


EXPORT_FORMATS = [XLSX, ExcelCSV]


class SpreadsheetResource(resources.ModelResource):
    """Headers are the fields' (translated) names; text that could run as a formula is defused;
    figures are numbers."""

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "DecimalField": Figure}

    def get_export_headers(self, selected_fields=None):
        return [capfirst(str(self.header(f))) for f in self.get_export_fields(selected_fields)]

    def header(self, field):
        try:
            return self._meta.model._meta.get_field(field.attribute.split("__")[0]).verbose_name
        except FieldDoesNotExist:
            return field.column_name

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


def named(attribute, model):
    """A related object by its name, the way a person refers to it."""
    return fields.Field(attribute, attribute, widget=widgets.ForeignKeyWidget(model, "name"))


def names(attribute, model):
    return fields.Field(
        attribute, attribute, widget=widgets.ManyToManyWidget(model, separator=", ", field="name")
    )


class Labels:
    """Choice fields are exported by their label (”Publicerad”), not their code."""

    def dehydrate_kind(self, obj):
        return obj.get_kind_display()

    def dehydrate_state(self, obj):
        return obj.get_state_display()

    def dehydrate_rule(self, obj):
        return obj.get_rule_display()


class AreaResource(Labels, SpreadsheetResource):
    municipalities = fields.Field(
        "municipalities",
        "municipalities",
        widget=widgets.ManyToManyWidget(Municipality, separator=", ", field="code"),
    )

    class Meta:
        model = Area
        fields = ["name", "slug", "kind", "municipalities"]


class PartyResource(Labels, SpreadsheetResource):
    municipality = fields.Field(
        "municipality", "municipality", widget=widgets.ForeignKeyWidget(Municipality, "code")
    )

    class Meta:
        model = Party
        fields = ["name", "kind", "municipality"]


class ThemeResource(SpreadsheetResource):
    class Meta:
        model = Theme
        fields = ["name", "slug"]


class PromiseResource(Labels, SpreadsheetResource):
    area = named("area", Area)

    class Meta:
        model = Promise
        fields = ["area", "start_year", "end_year", "title", "signed_on", "state", "background"]


class CommitmentResource(SpreadsheetResource):
    promise = fields.Field("promise", "promise")
    theme = named("theme", Theme)
    parties = names("parties", Party)

    class Meta:
        model = Commitment
        fields = ["promise", "order", "title", "text", "purpose", "theme", "parties"]

    def dehydrate_promise(self, commitment):
        return str(commitment.promise)


class IndicatorResource(Labels, SpreadsheetResource):
    promise = fields.Field("commitment", "promise")
    commitment = fields.Field("commitment", "commitment")

    class Meta:
        model = Indicator
        fields = [
            "promise", "commitment", "order", "name", "unit", "kind", "rule", "target_value",
            "target_in_percent", "baseline_value", "baseline_year", "scope", "year_from_parts",
        ]  # fmt: skip

    def dehydrate_promise(self, indicator):
        return str(indicator.commitment.promise)

    def dehydrate_commitment(self, indicator):
        return str(indicator.commitment)

    def header(self, field):
        if field.column_name == "promise":
            return Commitment._meta.get_field("promise").verbose_name
        return super().header(field)


class SafeExportQueryset:
    """import-export's admin export, answering 404 instead of failing on an odd query string."""

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except (IncorrectLookupParameters, FieldError, ValidationError) as error:
            raise Http404 from error


class HeaderNamedExportForm(SelectableFieldsExportForm):
    """The export page's checkboxes named as the file's columns ("Åtagandets nummer"), not as
    code names title-cased ("Commitment Number")."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is not None and issubclass(resource, SpreadsheetResource):
            return capfirst(str(resource().header(field)))
        return super()._get_field_label(resource, field_name)


class NamedExport:
    """The exported file and its sheet named as the admin names the list ("utfall-2026-12-01.xlsx",
    sheet "Utfall"), not by the model's code name ("Outcome") and tablib's "Tablib Dataset"."""

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        data.title = capfirst(str(self.model._meta.verbose_name_plural))[:31]  # Excel's limit
        return data

    def get_export_filename(self, request, queryset, file_format):
        # ASCII only, as the name goes into a header as it is: Årsuppföljningar, arsuppfoljningar.
        name = slugify(str(self.model._meta.verbose_name_plural))
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"


class ExportMixin(SafeExportQueryset, NamedExport, import_export_admin.ExportMixin):
    export_form_class = HeaderNamedExportForm
    export_formats = EXPORT_FORMATS


class ImportExportMixin(SafeExportQueryset, NamedExport, import_export_admin.ImportExportMixin):
    export_form_class = HeaderNamedExportForm
    export_formats = EXPORT_FORMATS
