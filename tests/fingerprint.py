"""Every row of every model as plain values, to compare a database before and after a change."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

# Kept out of comparisons: not backed up (see the backup command), or by design different after
# a change (the revision that makes cached pages stale, the downloads built for it).
NOT_COMPARED = {"sessions.session", "promises.publicrevision", "public.publicfile"}
NOT_COMPARED_APPS = {"axes"}


def compared_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_COMPARED
        and model._meta.app_label not in NOT_COMPARED_APPS
    ]


def natural_keys():
    """Content types and permissions by name, in case a new database numbered them anew."""
    types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    permissions = {p.pk: (*types[p.content_type_id], p.codename) for p in Permission.objects.all()}
    return {ContentType: types, Permission: permissions}


def fingerprint(models=None):
    """{model label: sorted rows}, each row every column's value.

    Many-to-many rows are compared without their own id: Django writes them as lists on the
    object they belong to, and a restore numbers them anew.
    """
    keys = natural_keys()
    result = {}
    for model in models or compared_models():
        fields = model._meta.concrete_fields
        if model._meta.auto_created:
            fields = [f for f in fields if not f.primary_key]
        rows = []
        for values in model._base_manager.values_list(*(f.attname for f in fields)):
            row = []
            for f, value in zip(fields, values, strict=True):
                if f.is_relation and f.related_model in keys and value is not None:
                    value = keys[f.related_model][value]
                row.append((f.name, value))
            rows.append(tuple(row))
        result[model._meta.label] = sorted(rows, key=repr)
    return result


def row_counts(print_of):
    return {label: len(rows) for label, rows in print_of.items()}
