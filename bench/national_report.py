"""Benchmark: the national yearly report and a full year's outcome import, at national scale.

Builds 300 promises × 5 commitments × 2 indicators × 3 years (9 000 indicator-years) in a
scratch database, then measures seconds, peak Python memory and SQL queries of
  1. the national yearly workbook (all areas, one year), and
  2. importing that workbook's commitments sheet back with every outcome changed,
each at two sizes, to show that the query count does not grow with the number of rows.

    make bench                       # SQLite scratch file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/medborgarloften_bench make bench

Aims (issue 4): report under 2 s and 150 MB, import under 10 s, queries independent of rows.
"""

import os
import sys
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/medborgarloften-bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from followup import report, workbook  # noqa: E402
from followup.factories import OutcomeFactory, YearlyFollowUpFactory  # noqa: E402
from followup.models import FollowUpState, Outcome, YearlyFollowUp  # noqa: E402
from followup.resources import OutcomeResource  # noqa: E402
from followup.spreadsheet_cells import CommitmentSheetXLSX  # noqa: E402
from promises.audience import PUBLIC  # noqa: E402
from promises.factories import (  # noqa: E402
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    PoliceFactory,
    PromiseFactory,
)
from promises.models import Area, Commitment, Indicator, Promise  # noqa: E402

YEAR = 2024


def create_data(promise_count):
    """Synthetic promises of 2023–2025, published, with outcomes for every year: built with the
    factories, saved with bulk_create."""
    call_command("flush", interactive=False, verbosity=0)
    police = PoliceFactory()
    areas = Area.objects.bulk_create(
        AreaFactory.build(name=f"Benchkommun {n:03}", slug=f"bench-{n:03}")
        for n in range(promise_count)
    )
    promises = Promise.objects.bulk_create(
        PromiseFactory.build(area=area, start_year=2023, end_year=2025, published=True)
        for area in areas
    )
    commitments = Commitment.objects.bulk_create(
        CommitmentFactory.build(promise=p, order=n) for p in promises for n in range(1, 6)
    )
    Commitment.parties.through.objects.bulk_create(
        Commitment.parties.through(commitment=c, party=police) for c in commitments
    )
    indicators = Indicator.objects.bulk_create(  # "at least 200 st"
        IndicatorFactory.build(commitment=c, order=n, name=f"Kontroller {n}")
        for c in commitments
        for n in (1, 2)
    )
    Outcome.objects.bulk_create(
        OutcomeFactory.build(indicator=i, year=year, value=100 + i.pk % 150)
        for i in indicators
        for year in (2023, 2024, 2025)
    )
    YearlyFollowUp.objects.bulk_create(
        YearlyFollowUpFactory.build(
            promise=p, year=year, state=FollowUpState.PUBLISHED, summary="…"
        )
        for p in promises
        for year in (2023, 2024, 2025)
    )


def measure(action, repeatable_action=None):
    """Seconds and SQL queries of `action`; peak Python memory of a second, repeatable run.

    tracemalloc slows Python down several times, so memory is measured apart from time.
    """
    connection.force_debug_cursor = True
    started = time.perf_counter()
    connection.queries_log.clear()
    result = action()
    seconds = time.perf_counter() - started
    queries = len(connection.queries_log)
    connection.force_debug_cursor = False
    tracemalloc.start()
    (repeatable_action or action)()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak, queries


def national_report():
    promises = report.with_followup_data(Promise.objects.published(), YEAR)
    reports = [report.promise_report(p, PUBLIC, year=YEAR) for p in promises]
    return workbook.as_xlsx(reports, YEAR, "Benchmark")


def changed_sheet(content):
    """The commitments sheet with every outcome raised by one, as a council would fill it in.

    The year's follow-ups are published, so each changed figure is a correction and needs its
    reason (the import refuses it otherwise): one more column gives it.
    """
    book = load_workbook(BytesIO(content))
    sheet = book["Åtaganden"]
    column = [cell.value for cell in sheet[1]].index("Utfall") + 1
    reason_column = sheet.max_column + 1
    sheet.cell(row=1, column=reason_column, value="Skäl till rättelse")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.value = (cell.value or 0) + 1
        sheet.cell(row=cell.row, column=reason_column, value="Felräkning i underlaget.")
    output = BytesIO()
    book.save(output)
    return CommitmentSheetXLSX().create_dataset(output.getvalue())


def import_year(dataset, dry_run=False):
    result = OutcomeResource().import_data(dataset, dry_run=dry_run, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors(), "import refused"
    return result.totals["update"]


def main():
    call_command("migrate", verbosity=0)
    translation.activate("sv")
    print(f"database: {connection.vendor}")
    for promise_count in (100, 300):
        create_data(promise_count)
        content, seconds, peak, queries = measure(national_report)
        rows = promise_count * 10
        print(f"{promise_count} promises, yearly report: {rows} rows, {seconds:.2f} s, "
              f"peak {peak:.0f} MB, {queries} queries, {len(content) / 1024:.0f} KB")  # fmt: skip
        dataset = changed_sheet(content)
        updated, seconds, peak, queries = measure(
            lambda dataset=dataset: import_year(dataset),
            lambda dataset=dataset: import_year(dataset, dry_run=True),
        )
        print(f"{promise_count} promises, import: {updated} outcomes updated, {seconds:.2f} s, "
              f"peak {peak:.0f} MB, {queries} queries")  # fmt: skip


if __name__ == "__main__":
    main()
