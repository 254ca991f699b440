"""Writes the whole database to one compressed file that `restore` loads into an empty database.

    python manage.py backup                           # medborgarloften-YYYYMMDD-HHMMSS.jsonl.gz
    python manage.py backup /var/backups/medborgarloften.jsonl.gz

It is `dumpdata` with the options below, and timestamps to the microsecond (see
promises/backup_format.py). It reads every table in one transaction (REPEATABLE READ on
PostgreSQL), so the file is a consistent snapshot even while the site is in use. Every model is
included unless EXCLUDED names it, so a model added later is backed up without anyone
remembering to add it here. The file holds password hashes and personal data: keep it as safe as
the database itself.
"""

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from promises import backup_format

# What a restore does not need, and why. Everything else is written with its own id, history
# tables, content types and permissions included, so every reference stays as it was.
EXCLUDED = {
    "sessions": "logins in progress: everyone simply logs in again after a restore",
    "axes": "login attempts and lockouts: short-lived security logs holding IP addresses",
}
COMPRESSIONS = ("", ".gz", ".bz2", ".xz", ".lzma")


def is_excluded(model):
    """Left out by EXCLUDED, or by the model itself: `backed_up = False` on a model whose rows
    are made from the other tables (an app above this one says so without being named here)."""
    return model._meta.app_label in EXCLUDED or not getattr(model, "backed_up", True)


def backed_up_models():
    return [model for model in apps.get_models() if not is_excluded(model)]


def check_file_name(path):
    """loaddata picks the format by the file name, so a backup must be called *.jsonl[.gz]."""
    if not any(str(path).endswith(".jsonl" + ending) for ending in COMPRESSIONS):
        raise CommandError(
            "Filnamnet ska sluta på .jsonl.gz (eller .jsonl, .jsonl.bz2, .jsonl.xz)."
        )


class Command(BaseCommand):
    help = "Writes every row a restore needs to a compressed JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="File to write, ending in .jsonl.gz (default: a dated name in this folder).",
        )

    def handle(self, *args, path=None, **options):
        path = path or timezone.localtime().strftime("medborgarloften-%Y%m%d-%H%M%S.jsonl.gz")
        check_file_name(path)
        serializers.register_serializer(backup_format.FORMAT, backup_format.__name__)
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                # One snapshot for all tables: rows written meanwhile by the site are either all
                # in the file or all left out, never half (READ COMMITTED reads each table anew).
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                exclude=list(EXCLUDED),
                format=backup_format.FORMAT,
                output=path,
                # No natural keys: every row keeps its id, and writing is three times faster
                # than looking up a user or a content type for every row that refers to one.
                # Every row, even one a model's default manager would hide.
                use_base_manager=True,
                verbosity=0,
            )
        self.stdout.write(
            f"Säkerhetskopian är skriven till {path}. Återställ den i en tom, migrerad databas "
            f"med: python manage.py restore {path}"
        )
