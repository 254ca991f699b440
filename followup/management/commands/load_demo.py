from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from followup import demo
from promises.models import Area
from promises.roles import grant

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "eskilstuna-2021"
DEMO_ROLES = {"samordnare": "coordinator", "radsmedlem": "council_member"}


class Command(BaseCommand):
    help = (
        "Loads the Eskilstuna 2021 demo, the constructed Fagersta 2025–2026 example and demo "
        "logins. Safe to run again."
    )

    def handle(self, *args, **options):
        # The fixture has fixed primary keys, so loading it again updates the same rows.
        call_command("loaddata", "eskilstuna-2021", verbosity=0)
        example = demo.load()  # after the fixture: it reuses the fixture's police party
        user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        areas = [Area.objects.get(slug="eskilstuna"), example.area]
        for username, role in DEMO_ROLES.items():
            member, _ = get_user_model().objects.get_or_create(username=username)
            member.set_password(DEMO_PASSWORD)
            member.save()
            for area in areas:
                grant(member, area, role)
        self.stdout.write(
            "Demo data loaded: Eskilstuna 2021 (demo rows reset to the published figures) and"
            f" {example.area.name} 2025–2026, constructed example data:"
            f" http://127.0.0.1:8000{example.get_absolute_url()}\n"
            f"Admin login: http://127.0.0.1:8000/admin/  user: {DEMO_USERNAME}"
            f"  password: {DEMO_PASSWORD}\n"
            f"Also, with the same password: {', '.join(DEMO_ROLES)} (the coordinator and the"
            " council member of Eskilstuna and of the example police area)"
        )
