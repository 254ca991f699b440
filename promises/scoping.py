"""Admin classes see only the objects of the areas their user works in."""

from django.contrib.admin.utils import unquote
from django.http import Http404

from promises.models import Area, Commitment, Indicator, Promise
from promises.roles import areas_of

# How each related choice in a form reaches its area.
CHOICE_AREA_PATHS = {
    Area: "pk",
    Promise: "area",
    Commitment: "promise__area",
    Indicator: "commitment__promise__area",
}


class AreaScopedAdmin:
    """Mixin for a ModelAdmin: `area_path` leads from the model to its area.

    Lists, search, filters, autocomplete, exports and every object page go through
    get_queryset, so another area's object is simply not there: its pages answer 404.
    """

    area_path = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.area_path}__in": areas_of(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = CHOICE_AREA_PATHS.get(db_field.related_model)
        if path and not request.user.is_superuser:
            choices = db_field.related_model.objects.filter(
                **{f"{path}__in": areas_of(request.user)}
            )
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        return super().history_form_view(request, object_id, version_id, extra_context)
