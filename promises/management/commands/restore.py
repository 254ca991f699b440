"""Loads a file written by `backup` into an empty, migrated database.

    python manage.py migrate            # a new database, or `python manage.py flush` an old one
    python manage.py restore medborgarloften-20250101-030000.jsonl.gz

It is `loaddata`, in one transaction (all or nothing), with these differences:
- it refuses a database that already holds data;
- it first removes the content types, permissions, role groups and municipalities that `migrate`
  created, so that the backup's come back with the ids the other rows refer to;
- it keeps django-simple-history from recording the load as new changes (plain `loaddata` adds a
  history row to every commitment, as it sets the commitment's parties);
- afterwards it adds the content types and permissions of models newer than the backup.
Restore with the same version of the code (and migrations) that wrote the backup.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from promises.management.commands.backup import backed_up_models, check_file_name
from promises.models import Municipality
from promises.municipalities import add_missing
from promises.revision import renew_revision

# Rows that `migrate` (or the first request) creates in an empty database.
CREATED_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "promises.publicrevision",
    "promises.municipality",  # known data (promises/municipalities.py), also in the backup
}


class Command(BaseCommand):
    help = "Restores a backup written by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by `manage.py backup`.")

    def handle(self, *args, path, **options):
        check_file_name(path)
        filled = [
            str(model._meta.verbose_name_plural)
            for model in backed_up_models()
            if model._meta.label_lower not in CREATED_BY_MIGRATE and model._base_manager.exists()
        ]
        if filled:
            raise CommandError(
                "Databasen är inte tom (den har redan "
                + ", ".join(filled[:5])
                + (" …" if len(filled) > 5 else "")
                + "). Återställ bara till en tom, migrerad databas, till exempel efter "
                "`python manage.py flush`."
            )
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            Group.objects.all().delete()
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            Municipality.objects.all().delete()
            call_command("loaddata", path, verbosity=options["verbosity"])
            add_missing(Municipality)
            ContentType.objects.clear_cache()
            for app_config in apps.get_app_configs():
                create_contenttypes(app_config, verbosity=0)
                create_permissions(app_config, verbosity=0)
        renew_revision()  # pages kept from before the restore are stale
        self.stdout.write(f"Säkerhetskopian {path} är återställd.")
