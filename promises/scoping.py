"""Admin classes see only the objects of the areas their user works in, and refuse malformed ids
in addresses and forms with the page, not a server error."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.http import Http404

from promises.models import Area, Commitment, Indicator, Membership, Party, Promise, Theme
from promises.roles import areas_of, coordinates

# How each related choice in a form reaches its area.
CHOICE_AREA_PATHS = {
    Area: "pk",
    Promise: "area",
    Commitment: "promise__area",
    Indicator: "commitment__promise__area",
}

# Rows on a page of the project's admin lists, half of Django's 100: at national scale a list's
# page is mostly the rendering of its rows, and people page through it, filter or search.
LIST_PER_PAGE = 50


# The lists shared by every area: another area's draft does not reveal what it uses.
SHARED_LISTS = (Theme, Party)


def scoped_choices(db_field, request, role=None):
    """The objects a user may choose for a related field, or None if every one is allowed."""
    model = db_field.related_model
    if request.user.is_superuser:
        return None
    if model in CHOICE_AREA_PATHS:
        path = CHOICE_AREA_PATHS[model]
        return model.objects.filter(**{f"{path}__in": areas_of(request.user, role)})
    if model in SHARED_LISTS:
        return model.objects.shown_in(areas_of(request.user))
    return None


def area_of(obj, path):
    """Follows an area path such as "commitment__promise__area" from an object to its area."""
    if path == "pk":
        return obj
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def malformed(model, value, to_field=None):
    """Whether `value` cannot be an id of `model` at all: not a number, or beyond the column's
    range. Such a value is refused before it reaches the database, where it would fail
    (SQLite cannot hold the number, PostgreSQL refuses it) instead of matching nothing."""
    if isinstance(value, model):
        return False
    field = model._meta.get_field(to_field) if to_field else model._meta.pk
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return True
    return False


class CheckedChoiceField(forms.ModelChoiceField):
    """A choice of one object: a malformed id is "not one of the choices", as a missing one."""

    def to_python(self, value):
        model = self.queryset.model
        if value not in self.empty_values and malformed(model, value, self.to_field_name):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        model = self.queryset.model
        if isinstance(value, (list, tuple)):
            for item in value:
                if malformed(model, item, self.to_field_name):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


class CheckedAutocomplete:
    """The search box of a choice shows the chosen objects by reading them from the database:
    a malformed id in the address (?indicator=abc) or a posted form is left out, so the page
    shows the field empty or with its error instead of failing."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        to_field = getattr(self.field.remote_field, "field_name", None)
        value = [item for item in value if not malformed(model, item, to_field)]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(CheckedAutocomplete, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocomplete, AutocompleteSelectMultiple):
    pass


class CheckedChangeList(ChangeList):
    """A list filtered by a malformed id (?promise=abc, ?indicator=99999999999999999999999) is
    answered as any unknown filter is: the list's "invalid filter" page, not a server error."""

    def get_filters(self, request):
        filters = super().get_filters(request)
        for key, values in filters[2].items():  # the lookups no list filter took
            field = lookup_target(self.model, key)
            if field is not None:
                for value in values if isinstance(values, list) else [values]:
                    for item in str(value).split(",") if key.endswith("__in") else [value]:
                        if malformed(field.model, item, field.name):
                            raise IncorrectLookupParameters(key)
        return filters


# The lookups that compare a field with the value given; others (isnull, contains…) do not.
COMPARISONS = {"exact", "in", "gt", "gte", "lt", "lte"}


def lookup_target(model, key):
    """The field a filter such as "promise", "promise__exact" or "year__gte" compares with:
    the related model's primary key for a relation, the field itself for a number."""
    parts = key.split("__")
    path = parts[:-1] if parts[-1] in COMPARISONS else parts
    try:
        field = get_fields_from_path(model, "__".join(path))[-1]
    except (FieldDoesNotExist, NotRelationField, IndexError):
        return None  # a lookup such as isnull, or no field: Django judges it
    if field.is_relation:
        return field.related_model._meta.pk
    return field if field.get_internal_type().endswith(("IntegerField", "AutoField")) else None


class CheckedChoicesAdmin:
    """Mixin for every ModelAdmin and inline of the project: a malformed id in an address or a
    form gives the form back with a field error (or the field empty), never a server error.

    Django's own choice fields and search boxes pass such a value on to the database.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList


class ScopedChoices(CheckedChoicesAdmin):
    """Mixin for a ModelAdmin or inline: the choices of its related fields are what the user's
    areas may use (scoped_choices); `choices_role` narrows a foreign key's choices to the areas
    where the user holds that role."""

    def choices_role(self):
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field, request, self.choices_role())
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AreaScopedAdmin(ScopedChoices):
    """Mixin for a ModelAdmin: `area_path` leads from the model to its area.

    Lists, search, filters, autocomplete, exports and every object page go through
    get_queryset, so another area's object is simply not there: its pages answer 404.
    A role holds in its own area only: with `coordinator_only`, a council member of A who
    coordinates B may view A's objects but not add, change or delete them.
    """

    area_path = None
    coordinator_only = False
    list_per_page = LIST_PER_PAGE

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.area_path}__in": areas_of(request.user)})

    def choices_role(self):
        return Membership.Role.COORDINATOR if self.coordinator_only else None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def may_edit(self, request, obj):
        if obj is None or not self.coordinator_only:
            return True
        return coordinates_once(request, area_of(obj, self.area_path))

    def check_in_scope(self, request, object_id):
        try:
            in_scope = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError):
            in_scope = False
        if not in_scope:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.check_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.check_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_in_scope(request, object_id)
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


def coordinates_once(request, area):
    """Whether the request's user coordinates the area, asked of the database once per request
    and area: the admin asks for every row and inline of a page."""
    known = request.__dict__.setdefault("_coordinated_areas", {})
    if area.pk not in known:
        known[area.pk] = coordinates(request.user, area)
    return known[area.pk]


class CheckedRows:
    """Mixin for an inline's formset: the posted counts and row ids are the sender's to forge.

    A count of existing rows above the rows sent is cut to them (nested_admin makes a list
    as long as the count), and a malformed row id finds no row, as a deleted one would.
    """

    def initial_form_count(self):
        if not self.is_bound:
            return super().initial_form_count()  # the rows saved, which the total counts
        return min(super().initial_form_count(), self.total_form_count())

    def get_queryset(self):
        if self.is_bound:
            name = self.model._meta.pk.name
            for index in range(self.initial_form_count()):
                value = self.data.get(f"{self.add_prefix(index)}-{name}")
                if value and malformed(self.model, value):
                    return self.model._default_manager.none()
        return super().get_queryset()


class CoordinatorInline(ScopedChoices):
    """Mixin for an inline of a coordinator-only parent: `parent_area_path` leads to the area.

    A page takes at most `absolute_max` rows of each inline, whatever count the form posts:
    the commitments' indicators are nested, so Django's default of 2 000 would make a form
    with a forged count build millions of rows and run the server out of memory."""

    parent_area_path = None
    max_num = 50  # far above any real promise's commitments, indicators or signatories
    absolute_max = max_num

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.absolute_max)
        base = kwargs.get("formset", self.formset)
        kwargs["formset"] = type(base.__name__, (CheckedRows, base), {})
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def may_edit(self, request, obj):
        # A nested inline (indicators inside a commitment on the promise's page) is asked with
        # the promise or with a commitment, so the path goes by the object's model.
        if obj is None:
            return True
        try:
            area = area_of(obj, CHOICE_AREA_PATHS.get(type(obj), self.parent_area_path))
        except ObjectDoesNotExist:
            return True  # a parent not yet saved: its own area choice is scoped
        return coordinates_once(request, area)


class UsedChoicesFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by a related object (area, theme, party) naming those the user's rows use: a
    coordinator's areas' own. An administrator's rows are the whole country's, which use nearly
    every object: they are offered all of them, without a DISTINCT over every row of the table
    (some 15 ms a filter at national scale)."""

    def field_choices(self, field, request, model_admin):
        if request.user.is_superuser:
            return admin.RelatedFieldListFilter.field_choices(self, field, request, model_admin)
        return super().field_choices(field, request, model_admin)


class SharedListAdmin(CheckedChoicesAdmin):
    """Mixin for the admin of a list shared by every area (themes, parties): a user sees what
    their areas and the published promises use, and what no promise uses yet."""

    list_per_page = LIST_PER_PAGE

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.shown_in(areas_of(request.user))


def view_on_site(request, content_type_id, object_id):
    """Django's "view on site" redirect (/admin/r/<type>/<id>/), for the objects the user's own
    admin shows: otherwise 404, as that admin's pages answer. The public address of another
    area's draft would name its period; a published promise of another area is public anyway,
    but the admin shows no link to it, so it gets the same 404."""
    if malformed(ContentType, content_type_id):
        raise Http404
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None or not admin.site.is_registered(model) or malformed(model, object_id):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    shown = model_admin.get_queryset(request).filter(pk=object_id)
    if not model_admin.has_view_or_change_permission(request) or not shown.exists():
        raise Http404
    return shortcut(request, content_type_id, object_id)
