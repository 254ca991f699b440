"""Form pieces shared by the admin and the follow-up entry page."""

from decimal import Decimal

from django import forms
from django.db import models

from promises.numbers import strip_zeros


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


class MultilineField(forms.CharField):
    """Free text whose line breaks compare equal whether a browser sent CRLF or LF."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


# For `formfield_overrides` of the admin classes that hold figures.
LOCALIZED_DECIMALS = {models.DecimalField: {"localize": True, "widget": DecimalInput}}
