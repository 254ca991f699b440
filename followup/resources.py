"""Outcomes in and out of spreadsheets (django-import-export), matched by stable keys.

The columns are those of the yearly report's commitments sheet, so a council member can export
the report, fill in the outcome column and import it back. A row is found by its area, the
promise's period, year, commitment number, indicator number and part of the year (the whole
year when empty), never by a database id. Every row passes the same validation as the admin
form, and one bad row refuses the whole file.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from followup import import_preview, parts, publishing
from followup.models import Outcome, PartOfYear, YearlyFollowUp
from followup.spreadsheet_cells import (
    MAX_ROWS,
    DecimalCommaWidget,
    OverrideWidget,
    TextWidget,
    part_of_year_named,
    too_long,
    yes_no_named,
)
from followup.spreadsheets import COLUMNS
from promises.models import Indicator
from promises.resources import Labels, SpreadsheetResource
from promises.revision import area_of, data_changed
from promises.roles import areas_of

# Translated where they are shown (header_names, header).
PART_OF_YEAR = ("part_of_year", gettext_noop("Del av året"))  # only here: the report is yearly
CORRECTION_REASON = ("correction_reason", gettext_noop("Skäl till rättelse"))  # when published
EXTRA_COLUMNS = dict([PART_OF_YEAR, CORRECTION_REASON])
REQUIRED = ["area", "period", "year", "commitment_number", "indicator_number", "outcome"]


def header_names():
    """Every accepted header, in Swedish and English, mapped to its column key."""
    names = {}
    for language in ("sv", "en"):
        with translation.override(language):
            for key, header in COLUMNS:
                names[simplified(header)] = key
            for key, header in EXTRA_COLUMNS.items():
                names[simplified(_(header))] = key
    return names


def simplified(header):
    """ "Åtagande nr", "åtagande nr." and "Commitment No" all compare alike."""
    return "".join(char for char in str(header or "").lower() if char.isalnum())


class OutcomeResource(SpreadsheetResource):
    area = fields.Field("indicator__commitment__promise__area__name", "area", readonly=True)
    # "period" is the promise's years (2023–2024); "part_of_year" is the outcome's year or tertial.
    period = fields.Field("indicator__commitment__promise__period_label", "period", readonly=True)
    # Numbers as numbers in xlsx, not the text "2021" (import-export's default for a field
    # declared here).
    year = fields.Field("year", "year", readonly=True, widget=widgets.IntegerWidget())
    commitment_number = fields.Field(
        "indicator__commitment__order",
        "commitment_number",
        readonly=True,
        widget=widgets.IntegerWidget(),
    )
    indicator_number = fields.Field(
        "indicator__order", "indicator_number", readonly=True, widget=widgets.IntegerWidget()
    )
    part_of_year = fields.Field("part_of_year", "part_of_year", readonly=True)
    indicator = fields.Field("indicator__name", "indicator", readonly=True, widget=TextWidget())
    outcome = fields.Field("value", "outcome", widget=DecimalCommaWidget())
    comment = fields.Field("comment", "comment", widget=TextWidget())
    override = fields.Field("status_override", "override", widget=OverrideWidget())
    override_reason = fields.Field("override_reason", "override_reason", widget=TextWidget())

    class Meta:
        model = Outcome
        fields = [
            "area", "period", "year", "commitment_number", "indicator_number", "part_of_year",
            "indicator", "outcome", "comment", "override", "override_reason",
        ]  # fmt: skip
        import_id_fields = []
        skip_unchanged = True
        report_skipped = True
        store_row_values = True  # a refused row is shown in the preview as the file has it
        clean_model_instances = True
        use_transactions = True
        # Rows are saved in batches, so an import costs about the same number of queries
        # whatever its length.
        use_bulk = True
        batch_size = 1000

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.sheet_rows = None

    def get_diff_class(self):
        return import_preview.PreviewDiff

    # Export: translated headers, the part of the year in words.

    def header(self, field):
        if field.column_name in EXTRA_COLUMNS:
            return _(EXTRA_COLUMNS[field.column_name])
        return dict(COLUMNS)[field.column_name]

    def dehydrate_part_of_year(self, outcome):
        return str(PartOfYear(outcome.part_of_year).label)

    # Import: headers in either language, the whole file checked before any row.

    def before_import(self, dataset, **kwargs):
        self.refused = True  # until the whole file has passed the checks below
        # Each row's number in the spreadsheet, where the file format knows it (empty rows are
        # left out of the dataset); otherwise the row after the header.
        self.sheet_rows = getattr(dataset, "sheet_rows", None)
        names = header_names()
        dataset.headers = [names.get(simplified(header), header) for header in dataset.headers]
        missing = [key for key in REQUIRED if key not in dataset.headers]
        # A whole-file problem: import-export shows the message above the rows.
        if missing:
            labels = dict(COLUMNS)
            raise ValueError(
                _("Kolumner saknas i filen: %(columns)s.")
                % {"columns": ", ".join(f"”{labels[key]}”" for key in missing)}
            )
        if len(dataset) > MAX_ROWS:
            raise ValueError(str(too_long()))
        self.indicators = indicator_index(self.user)
        # Read locked in the import's transaction, so that no save of these rows falls between
        # this read and the import's write (on PostgreSQL; an SQLite transaction holds the
        # database).
        # The preview's dry run saves nothing, so it locks nothing: entry pages need not wait.
        outcomes = Outcome.objects.filter(indicator__in=[i for i in self.indicators.values()])
        if not kwargs.get("dry_run"):
            outcomes = outcomes.select_for_update(of=("self",))
        self.outcomes = {(o.indicator_id, o.year, o.part_of_year): o for o in outcomes}
        self.year_parts = {}  # (indicator id, year) → the outcomes of the year's parts
        for (indicator_id, year, part), outcome in self.outcomes.items():
            if part != PartOfYear.YEAR:
                self.year_parts.setdefault((indicator_id, year), []).append(outcome)
        self.seen = {}
        self.published_years = publishing.published_years()
        self.corrections = []
        self.refused = False

    def import_row(self, row, instance_loader, **kwargs):
        if self.refused:  # the file as a whole was refused; its rows are not read
            row_result = self.get_row_result_class()()
            row_result.import_type = row_result.IMPORT_TYPE_SKIP
        else:
            row_result = super().import_row(row, instance_loader, **kwargs)
        index = kwargs["row_number"]
        row_result.number = self.sheet_rows[index - 1] if self.sheet_rows else index + 1
        return row_result

    def get_or_init_instance(self, instance_loader, row):
        indicator, year, part = self.row_key(row)
        key = (indicator.pk, year, part)
        if key in self.seen:
            raise ValidationError(
                _("Raden upprepar en tidigare rad för samma indikator, år och del av året.")
            )
        self.seen[key] = True
        existing = self.outcomes.get(key)
        if existing is not None:
            existing.indicator = indicator
            self.before = (existing.value, existing.status_override)
            return existing, False
        self.before = (None, "")
        return Outcome(indicator=indicator, year=year, part_of_year=part), True

    def row_key(self, row):
        try:
            year = int(str(row["year"]).strip())
            commitment_number = int(str(row["commitment_number"]).strip())
            indicator_number = int(str(row["indicator_number"]).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("År, åtagande nr och indikator nr ska vara heltal.")) from None
        area, period = str(row["area"] or "").strip(), str(row["period"] or "").strip()
        key = (area.lower(), period, commitment_number, indicator_number)
        indicator = self.indicators.get(key)
        if indicator is None:
            known_areas = {k[0] for k in self.indicators}
            if area.lower() not in known_areas:
                raise ValidationError({"area": _("Okänt område ”%(area)s”.") % {"area": area}})
            raise ValidationError(
                _("Området %(area)s har ingen indikator %(c)s.%(i)s i perioden %(period)s.")
                % {"area": area, "c": commitment_number, "i": indicator_number, "period": period}
            )
        named = str(row.get("indicator") or "").strip()
        if named and named.lstrip("'") != indicator.name:
            message = (
                _("Indikator %(c)s.%(i)s heter ”%(name)s”, inte ”%(named)s”: kontrollera numren.")
                % {"c": commitment_number, "i": indicator_number, "name": indicator.name,
                   "named": named}
            )  # fmt: skip
            raise ValidationError({"indicator": message})
        try:
            part = part_of_year_named(row.get("part_of_year"))
        except ValidationError as error:
            raise ValidationError({"part_of_year": error.messages}) from None
        return indicator, year, part

    def import_instance(self, instance, row, **kwargs):
        self.row = row
        errors = {}
        if instance.indicator.kind == Indicator.Kind.YES_NO and "outcome" in row:
            # "Ja" and "Nej" as well as 1 and 0; the figure column reads the 1 or 0.
            row = {**row}
            try:
                row["outcome"] = yes_no_named(row["outcome"])
            except ValidationError as error:
                errors["value"], row["outcome"] = error.messages, None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.user is not None and self.user.is_authenticated:
            instance.entered_by = self.user
        instance.entered_at = timezone.now()  # bulk saves skip auto_now
        if instance.pk is not None:
            # Bulk saves skip the version check too: counted up here, a page opened before the
            # import cannot overwrite the imported figures (models.SavedOnlyIfUnchanged).
            instance.version += 1
        if errors:
            raise ValidationError(errors)

    # Imported outcomes enter the audit trail like any other change: the bulk saves below are
    # import-export's own, through django-simple-history's bulk helpers. Bulk saves send no
    # signals, so they tell the page cache themselves.

    # The preview (a dry run) saves nothing: every row has passed the model's checks, and the
    # confirmed import saves and checks again. Saving and rolling back was half the preview's
    # time (bench/import_limits.py).

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and not dry_run:
            try:
                bulk_create_with_history(
                    self.create_instances, Outcome, batch_size=batch_size, default_user=self.author
                )
                data_changed(areas_of_rows(self.create_instances))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not dry_run:
            fields = self.get_bulk_update_fields()
            try:
                bulk_update_with_history(
                    self.update_instances, Outcome, fields, batch_size=batch_size,
                    default_user=self.author,
                )  # fmt: skip
                data_changed(areas_of_rows(self.update_instances))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.update_instances.clear()

    @property
    def author(self):
        return self.user if self.user is not None and self.user.is_authenticated else None

    def get_bulk_update_fields(self):
        return [
            "value",
            "comment",
            "status_override",
            "override_reason",
            "entered_by",
            "entered_at",
            "version",
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if instance.pk is None:
            # A row with nothing filled in is a line of the report left for later.
            empty = not instance.comment and not instance.status_override
            return empty and (instance.value is None or self.made_of_parts(instance))
        return super().skip_row(instance, original, row, import_validation_errors)

    def made_of_parts(self, instance):
        """Whether a new full-year figure is what the year's parts already make: the report's
        own figure read back, which must not become a full-year figure that later parts no
        longer change."""
        if instance.part_of_year != PartOfYear.YEAR:
            return False
        rest = self.year_parts.get((instance.indicator_id, instance.year), [])
        return bool(rest) and parts.year_figure(instance.indicator, rest).value == instance.value

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The model's clean() covers every check constraint in Python, and uniqueness is checked
        # against the file and the outcomes read in before_import (the database constraints
        # still hold): Django would otherwise ask the database once per constraint and row.
        errors = dict(import_validation_errors or {})
        try:
            # The indicator came from the index read in before_import: no need to look it up.
            instance.full_clean(
                exclude={"indicator", "entered_by", *errors},
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            # A cell that could not be read keeps its own message only: the model's checks
            # did not see its value.
            for key, messages in error.message_dict.items():
                errors.setdefault(key, messages)
        if not errors:
            errors = self.check_correction(instance)
        if errors:
            raise ValidationError(errors)

    def check_correction(self, instance):
        """The rule on published figures (publishing.PublishedFigures), for one row: its reason
        is in the column "Skäl till rättelse"."""
        promise = instance.indicator.commitment.promise
        figures = publishing.PublishedFigures(
            promise,
            instance.year,
            instance.part_of_year,
            year_published=(promise.pk, instance.year) in self.published_years,
        )
        after = (instance.value, instance.status_override)
        reason = str(self.row.get(CORRECTION_REASON[0]) or "")
        try:
            corrections = figures.corrections([(instance.indicator, self.before, after)], reason)
        except ValidationError:
            message = _("Siffran är publicerad: skriv skälet i kolumnen ”Skäl till rättelse”.")
            return {"value": message}
        if corrections:
            self.corrections.append(corrections)
        return {}

    def after_import(self, dataset, result, **kwargs):
        # Inside the import's transaction: the corrections are saved with the figures or not at
        # all.
        if not (result.has_errors() or result.has_validation_errors()):
            publishing.record_corrections(self.corrections, self.author)


def areas_of_rows(outcomes):
    """The areas of imported outcomes, for the kept pages (promises/revision.py): read with
    their indicators, so without a query; None (everything) if one is not known."""
    areas = {area_of(outcome) for outcome in outcomes}
    return None if None in areas else areas


def indicator_index(user=None):
    """Every indicator by (area, the promise's period, commitment number, indicator number).

    An area may be written by its name or its address part (slug); names win, so a slug
    that happens to equal another area's name never sends a figure to the wrong area.
    """
    indicators = Indicator.objects.select_related("commitment__promise__area")
    if user is not None:  # an import reaches only the areas its user works in
        indicators = indicators.filter(commitment__promise__area__in=areas_of(user))
    by_name, by_slug = {}, {}
    for indicator in indicators:
        promise = indicator.commitment.promise
        numbers = (indicator.commitment.order, indicator.order)
        # A promise's period written with a hyphen instead of an en dash matches too.
        for period in {promise.period_label, promise.period_label.replace("–", "-")}:
            by_name[(promise.area.name.lower(), period, *numbers)] = indicator
            by_slug[(promise.area.slug.lower(), period, *numbers)] = indicator
    return {**by_slug, **by_name}


class YearlyFollowUpResource(Labels, SpreadsheetResource):
    promise = fields.Field("promise", "promise")

    class Meta:
        model = YearlyFollowUp
        fields = ["promise", "year", "summary", "approved_on", "state"]

    def dehydrate_promise(self, followup):
        return str(followup.promise)
