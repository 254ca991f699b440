"""Benchmark: the national yearly report and a full year's outcome import, at national scale.

Builds 300 promises × 5 commitments × 2 indicators × 3 years (9 000 indicator-years) in a
scratch database and measures, at 100 and at 300 promises (to show that the query count does
not grow with the number of rows):
  1. the national yearly report (all areas, one year) in its two parts: the data (the promises
     with all they show, loaded through followup.report, and each promise's report) and the
     writing (followup.workbook: the rows and the xlsx file);
  2. the ceiling: the same rows, 22 raw values each, written as a bare xlsx by XlsxWriter with
     no formats and no data to load: the least any xlsx report of them can cost;
  3. importing the report's commitments sheet back with every outcome changed.

The report and the ceiling each run in a fresh process, which builds them four times: the first
gives the resident memory's growth (the high-water mark over the memory after start-up, Python
and C alike, as bench/import_limits.py measures it), the median of the other three the seconds
(and CPU seconds, which a busy machine disturbs less). Every time is also given as a ratio to
the ceiling's, measured in the same run on the same machine: these machines drift by ±30 %.
The import runs in this process: seconds, peak Python memory (tracemalloc, of a dry run) and
queries.

    make bench                       # SQLite scratch file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/medborgarloften_bench make bench

Aims: the report of 300 promises within 1 s and 100 MB (issue 16), its queries independent of
its size; the import within 10 s (issue 4).
"""

import gc
import json
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/medborgarloften-bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")

import django  # noqa: E402
import harness  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from followup import report, spreadsheets, workbook  # noqa: E402
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
SIZES = (100, 300)
RUNS = 4  # in each fresh process: the first for memory, the median of the rest for time
AIM_SECONDS, AIM_MB = 1.0, 100  # the report of 300 promises (issue 16)
AIM_IMPORT_SECONDS = 10  # issue 4


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


# --- the report and the ceiling, each in a fresh process --------------------------------------


def report_data():
    """The data part: what followup/workbook.py is given (public/downloads.py builds the same)."""
    promises = report.with_followup_data(Promise.objects.published(), YEAR)
    return [report.promise_report(p, PUBLIC, year=YEAR) for p in promises]


def bare_rows():
    """The report's rows as raw values (numbers as numbers, the rest as text), for the ceiling."""
    keys = [key for key, _header in spreadsheets.COLUMNS]
    rows = []
    for promise_report in report_data():
        for values in spreadsheets.indicator_rows(promise_report, YEAR):
            rows.append([plain(values[key]) for key in keys])
    return rows


def plain(value):
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return str(value)


def bare_xlsx(rows):
    """The ceiling: the rows and a header written by XlsxWriter, with nothing else."""
    output = BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Åtaganden")
    sheet.write_row(0, 0, spreadsheets.headers())
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    book.close()
    return output.getvalue()


def rss_mb(field):
    """VmRSS (now) or VmHWM (the high-water mark) of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


def timed(action):
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - started, time.process_time() - cpu


def measure_case(case, output_path):
    """One case, RUNS times, in this fresh process; prints its figures as one RESULT line."""
    translation.activate("sv")
    connection.ensure_connection()
    str(spreadsheets.COLUMNS[0][1])  # the translations loaded, as in a running server
    rows = bare_rows() if case == "ceiling" else None
    gc.freeze()  # as each server worker does once the application is loaded (gunicorn.conf.py)
    queries = []
    runs = []
    for run in range(RUNS):
        gc.collect()  # the previous run's garbage is not charged to this one
        before = rss_mb("VmRSS")
        with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
            if case == "ceiling":
                content, seconds, cpu = timed(lambda: bare_xlsx(rows))
                figures = {"seconds": seconds, "cpu": cpu}
            else:
                reports, data, data_cpu = timed(report_data)
                content, writing, writing_cpu = timed(
                    lambda reports=reports: workbook.as_xlsx(reports, YEAR, "Benchmark")
                )
                figures = {"data": data, "data_cpu": data_cpu, "writing": writing,
                           "writing_cpu": writing_cpu, "seconds": data + writing,
                           "cpu": data_cpu + writing_cpu}  # fmt: skip
                del reports
        if run == 0:
            grown, query_count = rss_mb("VmHWM") - before, len(queries)
        else:
            runs.append(figures)
    Path(output_path).write_bytes(content)
    result = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    result.update(rss=grown, queries=query_count, kb=len(content) / 1024)
    print("RESULT " + json.dumps(result))


def run_case(case, path):
    return harness.run_case(__file__, case, path)


# --- the import, in this process --------------------------------------------------------------


def measure_import(dataset):
    """Seconds and SQL queries of the import; peak Python memory of a dry run of it.

    tracemalloc slows Python down several times, so memory is measured apart from time.
    """
    connection.force_debug_cursor = True
    connection.queries_log.clear()
    updated, seconds, _cpu = timed(lambda: import_year(dataset))
    queries = len(connection.queries_log)
    connection.force_debug_cursor = False
    tracemalloc.start()
    import_year(dataset, dry_run=True)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return updated, seconds, peak, queries


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
    print(f"database: {connection.vendor}; {time.strftime('%Y-%m-%d')}")
    print(f"seconds: medians of {RUNS - 1} runs in a fresh process; × is the ratio to the "
          "ceiling's time; +RSS: resident growth of the first run")  # fmt: skip
    print(f"{'':<38}{'s':>6}{'×':>6}{'CPU s':>7}{'+RSS MB':>8}{'queries':>8}{'KB':>6}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="medborgarloften-bench-") as folder:
        output = Path(folder) / "report.xlsx"
        for size in SIZES:
            create_data(size)
            ceiling = run_case("ceiling", Path(folder) / "ceiling.xlsx")
            built = results[size] = run_case("report", output)
            lines = [
                (f"{size} promises, ceiling (bare xlsx)", ceiling["seconds"], ceiling["cpu"],
                 ceiling["rss"], "", ceiling["kb"]),
                (f"{size} promises, report", built["seconds"], built["cpu"], built["rss"],
                 built["queries"], built["kb"]),
                ("  of which data", built["data"], built["data_cpu"], None, "", None),
                ("  of which writing", built["writing"], built["writing_cpu"], None, "", None),
            ]  # fmt: skip
            for label, seconds, cpu, rss, queries, kb in lines:
                ratio = seconds / ceiling["seconds"]
                print(f"{label:<38}{seconds:>6.2f}{ratio:>6.1f}{cpu:>7.2f}"
                      f"{'' if rss is None else f'{rss:.0f}':>8}{queries:>8}"
                      f"{'' if kb is None else f'{kb:.0f}':>6}")  # fmt: skip
            dataset = changed_sheet(output.read_bytes())
            updated, seconds, peak, queries = measure_import(dataset)
            results[size]["import"] = seconds
            print(f"{size} promises, import: {updated} outcomes updated, {seconds:.2f} s "
                  f"({seconds / ceiling['seconds']:.0f} ×), peak Python memory {peak:.0f} MB, "
                  f"{queries} queries")  # fmt: skip
    largest = results[SIZES[-1]]
    checks = [
        (f"report of {SIZES[-1]} promises within {AIM_SECONDS:.0f} s",
         largest["seconds"] <= AIM_SECONDS),
        (f"report of {SIZES[-1]} promises within {AIM_MB} MB resident growth",
         largest["rss"] <= AIM_MB),
        ("report's queries independent of its size",
         len({results[size]["queries"] for size in SIZES}) == 1),
        (f"import of {SIZES[-1] * 10} outcomes within {AIM_IMPORT_SECONDS} s",
         largest["import"] <= AIM_IMPORT_SECONDS),
    ]  # fmt: skip
    print()
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _name, ok in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        measure_case(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
