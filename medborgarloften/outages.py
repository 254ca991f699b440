"""What counts as the database being away (not a mistake in a query), named in one line."""

from django.db import InterfaceError, OperationalError

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def describe(error):
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"
