"""Sweden's municipalities as known data, read from the file shipped with the app.

promises/data/kommuner.csv lists SCB's kommunkoder (its header names the source): one line per
municipality, "code;name", lines starting with "#" are comments. A migration loads it, and the
app fills in any missing row after every migrate, so that a database emptied by a test (or a
flush) still knows all 290.
"""

import csv
from pathlib import Path

from django.apps import apps as global_apps

DATA_FILE = Path(__file__).resolve().parent / "data" / "kommuner.csv"


def read(path=DATA_FILE):
    """The (code, name) pairs of the file, in its order."""
    with open(path, encoding="utf-8", newline="") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return [(code.strip(), name.strip()) for code, name in csv.reader(lines, delimiter=";")]


def add_missing(model, using="default"):
    """Creates the municipalities of the file that `model` (the Municipality model, or its
    historical version in a migration) does not hold yet; returns how many."""
    known = set(model.objects.using(using).values_list("code", flat=True))
    missing = [model(code=code, name=name) for code, name in read() if code not in known]
    model.objects.using(using).bulk_create(missing)
    return len(missing)


def fill_after_migrate(sender, using="default", apps=global_apps, **kwargs):
    """post_migrate (sent by `migrate`, and by `flush` without `apps`): the municipalities are
    always there, as content types are."""
    try:
        model = apps.get_model("promises", "Municipality")
    except LookupError:  # migrated to a state before the model existed
        return
    add_missing(model, using)
