"""Form pieces shared by the admin and the follow-up entry page."""

from decimal import Decimal

from django import forms
from django.db import models

from promises.numbers import parse_number, strip_zeros


class DecimalInput(forms.TextInput):
    """A number as typed in Sweden ("61,5"), shown without trailing zeros ("200", not "200,00").

    A text input, not type="number": a browser's number input silently drops a decimal comma
    or letters, which would save a wrong figure instead of showing an error.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "size": 10, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = strip_zeros(value)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """A figure read as people type it (promises.numbers.parse_number): "1 234,5", "12 %", "−3".

    Shown localized ("61,5") in a DecimalInput; read the same way whatever the page's language.
    """

    widget = DecimalInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_number(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MultilineField(forms.CharField):
    """Free text whose line breaks compare equal whether a browser sent CRLF or LF."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


# For `formfield_overrides` of the admin classes that hold figures.
LOCALIZED_DECIMALS = {
    models.DecimalField: {"localize": True, "widget": DecimalInput, "form_class": NumberField}
}
