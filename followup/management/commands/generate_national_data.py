"""Synthetic citizen promises at national scale, for benchmarks and load tests.

Every row is clearly marked: areas are called "Syntetisk kommun 001" with slugs starting
"syntetisk-", parties are called "Syntetisk …", the coordinators who enter and publish are
inactive users called "syntetisk-samordnare-001" (they cannot log in), every promise's background
starts with "Syntetiska testdata" and history rows carry the change reason "Syntetiska testdata".
The data is never loaded by `make run` or `load_demo`.

Per area (290 municipalities and about one district per 29 of them, for the big cities' district
promises) there is one promise for every year: mostly yearly, some for two or three years, so
about 300 promises cover any given year. Each has 3–6 commitments drawn from realistic ones, with
1–3 indicators each (every kind and target rule), an outcome for every indicator and finished
year, a yearly follow-up per finished year, signatories, publication events, a few corrections
and a history row for every object that keeps history. About 5 % of promises are drafts, and last
year's follow-ups are partly drafts (some outcomes not yet entered) or approved, not published.

    python manage.py generate_national_data                  # 290 municipalities, 10 years
    python manage.py generate_national_data --municipalities 20 --years 3 --seed 7
    python manage.py generate_national_data --delete         # remove it again

Running it again replaces the synthetic data (delete, then generate) in one transaction.
Everything is deterministic from --seed, given the same current year (the history ends with it)
and the same date in it (approvals of last year's follow-ups are never in the future).

The data and its builders live in followup/national_data/: the literals in samples.py, the
generator in generator.py (with promise_steps.py and followup_steps.py), removal in removal.py.
Rows are built with the factories of promises/factories.py and followup/factories.py.
"""

import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from followup.models import FollowUpState
from followup.national_data.generator import Generator
from followup.national_data.removal import delete_synthetic
from promises.numbers import format_number
from promises.revision import renew_revision


def number(value):
    return format_number(value)


class Command(BaseCommand):
    help = (
        "Generates clearly marked synthetic promises at national scale for benchmarks and load "
        "tests, replacing any earlier synthetic data; --delete only removes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=290)
        parser.add_argument("--years", type=int, default=10, help="Years of history, to now.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--delete", action="store_true", help="Only remove the synthetic data.")

    def handle(self, *args, municipalities, years, seed, delete, **options):
        today = timezone.localdate()
        if municipalities < 1:
            raise CommandError("Ange minst en kommun.")
        # A change indicator's baseline year is the year before the first promise.
        if years < 1 or today.year - years < 2000:
            raise CommandError(f"Ange mellan 1 och {today.year - 2000} år.")
        started = time.perf_counter()
        with translation.override("sv"), transaction.atomic():
            deleted = delete_synthetic()
            summary = None
            if not delete:
                summary = Generator(municipalities, years, seed, today).run()
        # Bulk saves send no signals: make every kept page stale, and let PostgreSQL's planner see
        # the new row counts now rather than at the next autovacuum.
        renew_revision()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        with translation.override("sv"):
            self.report(deleted, summary, seconds)

    def report(self, deleted, summary, seconds):
        if deleted["areas"]:
            self.stdout.write(
                f"Borttaget: {number(deleted['areas'])} syntetiska områden och "
                f"{number(deleted['promises'])} syntetiska medborgarlöften med allt som hör till "
                "dem."
            )
        elif summary is None:
            self.stdout.write("Det fanns inga syntetiska data att ta bort.")
        if summary is None:
            return
        states = summary["followup_states"]
        self.stdout.write(
            f"Syntetiska testdata skapade på {number(Decimal(f'{seconds:.1f}'))} s:\n"
            f"  {number(summary['municipalities'])} kommuner, "
            f"{number(summary['districts'])} stadsdelar, "
            f"{number(summary['police_areas'])} lokalpolisområden, "
            f"{number(summary['users'])} samordnare (kan inte logga in)\n"
            f"  {number(summary['promises'])} medborgarlöften "
            f"({number(summary['draft_promises'])} utkast)\n"
            f"  {number(summary['commitments'])} åtaganden, "
            f"{number(summary['indicators'])} indikatorer, "
            f"{number(summary['outcomes'])} utfall\n"
            f"  {number(summary['followups'])} årsuppföljningar "
            f"({number(states[FollowUpState.PUBLISHED])} publicerade, "
            f"{number(states[FollowUpState.APPROVED])} godkända, "
            f"{number(states[FollowUpState.DRAFT])} utkast)\n"
            f"  {number(summary['events'])} publiceringshändelser, "
            f"{number(summary['corrections'])} rättelser, "
            f"{number(summary['history'])} historikrader"
        )
