"""The admin's change forms of outcomes and yearly follow-ups refuse to overwrite a colleague's
save: the form carries the version of the row it showed (models.SavedOnlyIfUnchanged), and the
row is read and locked in the saving transaction, so a stale form is refused with a message
naming what changed, and re-shown with what the user typed."""

from django import forms
from django.contrib.admin.utils import display_for_field
from django.db import transaction
from django.utils.translation import gettext as _


class VersionedForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        current = self.instance.version
        # A client that sends no version is not checked, as the entry page does not check one
        # that sends no shown values; every form the admin shows sends it.
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None and seen != current:
            self.add_error(None, self.stale_message(seen))
            # The form is shown again with what was typed; saving it again, after reading what
            # changed, replaces the colleague's save knowingly, but only in the fields the user
            # changed: a field left as shown takes the colleague's value.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = current
            self.take_colleagues_values(seen, cleaned)
        return cleaned

    def take_colleagues_values(self, seen, cleaned):
        shown = self.instance.history.filter(version=seen).first()
        if shown is None:
            return
        for name in self.compared_fields(shown):
            then, now = getattr(shown, name), getattr(self.instance, name)
            if name in cleaned and cleaned[name] == then and now != then:
                self.data[self.add_prefix(name)] = self.as_posted(name, now)

    def as_posted(self, name, value):
        """The value as the form's widget writes it, as a browser would send it back."""
        if value is None:
            return ""
        written = self.fields[name].widget.format_value(value)
        return written[0] if isinstance(written, list) else written

    def compared_fields(self, shown):
        """The form's own columns, which the history of the row records."""
        for name in self.fields:
            if not hasattr(shown, name):
                continue
            field = self.instance._meta.get_field(name)
            if field.concrete and not field.is_relation:
                yield name

    def stale_message(self, seen):
        parts = [_("Någon annan har sparat detta efter att du öppnade sidan. Inget sparades.")]
        changes = self.changes_since(seen)
        if changes:
            parts.append(_("Ändrat: %(changes)s.") % {"changes": changes})
        parts.append(
            _(
                "Det du skrev står kvar: spara igen för att ersätta den andras ändring, "
                "eller ladda om sidan."
            )
        )
        return " ".join(parts)

    def changes_since(self, seen):
        """ "kommentar (nu: Ny text)", for each field of the form that changed since the version
        the page showed, read from the row's history; empty when the history does not know."""
        shown = self.instance.history.filter(version=seen).first()
        if shown is None:
            return ""
        changed = []
        for name in self.compared_fields(shown):
            field = self.instance._meta.get_field(name)
            now = getattr(self.instance, name)
            if getattr(shown, name) != now:
                changed.append(
                    _("%(field)s (nu: %(value)s)")
                    % {"field": field.verbose_name, "value": self.describe(field, now)}
                )
        return ", ".join(changed)

    def describe(self, field, value):
        return display_for_field(value, field, "–")


class LocksRowOnSave:
    """A ModelAdmin mixin: a posted change (or deletion) reads its row locked, in the admin's
    transaction, so the version compared is the version overwritten (on PostgreSQL; an SQLite
    transaction holds the database)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and not transaction.get_autocommit():
            list(self.model._base_manager.select_for_update().filter(pk=obj.pk).values("pk"))
            obj.refresh_from_db()
        return obj
