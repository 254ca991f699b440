"""Admin classes see only the objects of the areas their user works in."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from promises.models import Area, Commitment, Indicator, Membership, Promise
from promises.roles import areas_of, coordinates

# How each related choice in a form reaches its area.
CHOICE_AREA_PATHS = {
    Area: "pk",
    Promise: "area",
    Commitment: "promise__area",
    Indicator: "commitment__promise__area",
}


def area_of(obj, path):
    """Follows an area path such as "commitment__promise__area" from an object to its area."""
    if path == "pk":
        return obj
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


class AreaScopedAdmin:
    """Mixin for a ModelAdmin: `area_path` leads from the model to its area.

    Lists, search, filters, autocomplete, exports and every object page go through
    get_queryset, so another area's object is simply not there: its pages answer 404.
    A role holds in its own area only: with `coordinator_only`, a council member of A who
    coordinates B may view A's objects but not add, change or delete them.
    """

    area_path = None
    coordinator_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.area_path}__in": areas_of(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = CHOICE_AREA_PATHS.get(db_field.related_model)
        if path and not request.user.is_superuser:
            role = Membership.Role.COORDINATOR if self.coordinator_only else None
            allowed = {f"{path}__in": areas_of(request.user, role)}
            kwargs["queryset"] = db_field.related_model.objects.filter(**allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def may_edit(self, request, obj):
        if obj is None or not self.coordinator_only:
            return True
        return coordinates(request.user, area_of(obj, self.area_path))

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


class CoordinatorInline:
    """Mixin for an inline of a coordinator-only parent: `parent_area_path` leads to the area."""

    parent_area_path = None

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
        known = request.__dict__.setdefault("_coordinated_areas", {})  # once per request
        if area.pk not in known:
            known[area.pk] = coordinates(request.user, area)
        return known[area.pk]
