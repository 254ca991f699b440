"""What counts as the database being away, as opposed to a mistake in a query."""

import psycopg
from django.db import InterfaceError, OperationalError

# Answered with the 503 page: the database cannot serve the request now (it is away or
# shutting down, or the query met a deadlock or a timeout, which a retry may well get past).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def cannot_reach_database(error):
    """Whether `error` says the database cannot be reached at all: psycopg's errors of the
    connection carry no SQLSTATE, or one of class 08 (connection exception) or 57P (the server
    shutting down). A deadlock or a timed-out statement is a query's own failure."""
    cause = error.__cause__ if isinstance(error, DATABASE_UNAVAILABLE) else None
    if not isinstance(cause, psycopg.Error):
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(("08", "57P"))


def describe(error):
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"
