from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "eskilstuna-2021"


class Command(BaseCommand):
    help = "Loads the Eskilstuna 2021 demo and a demo admin login. Safe to run again."

    def handle(self, *args, **options):
        # The fixture has fixed primary keys, so loading it again updates the same rows.
        call_command("loaddata", "eskilstuna-2021", verbosity=0)
        user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(
            "Demo data loaded: Eskilstuna 2021 (demo rows reset to the published figures).\n"
            f"Admin login: http://127.0.0.1:8000/admin/  user: {DEMO_USERNAME}"
            f"  password: {DEMO_PASSWORD}"
        )
