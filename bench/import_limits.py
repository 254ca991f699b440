"""Benchmark: what reading an outcome import costs at the limits it admits, and what a crafted
file costs (issue 15: a sheet declaring 16 384 columns made the server grow to 2.85 GB).

Each case runs in a fresh process, which reports its seconds (and CPU seconds, which a busy
machine disturbs less) and its resident memory's growth
(the high-water mark over the memory after start-up: Python and C alike). The ceiling, measured
in the same run on the same machine, is openpyxl reading the ordinary file of MAX_ROWS rows in
read-only mode with nothing else: the least any xlsx import here can do. Every figure is also
given as a ratio to its time; memory is the resident growth against the aim of 200 MB.

Cases:
- ordinary: the commitments sheet of MAX_ROWS rows, all 22 report columns and a correction
  reason, through the import's reader (spreadsheet_cells.CommitmentSheetXLSX);
- crafted: the same file with its sheet declaring `A1:XFD<rows>`;
- 16 384 cells a row: rows that really have 16 384 cells each, as many as a file just within
  the unpacked size limit (MAX_UNPACKED_MB) holds: the most cells the reader can be made to parse;
- csv: the same rows as csv through spreadsheet_cells.BoundedCSV;
- preview: the whole admin page of the ordinary file (upload, reading, the dry-run import of
  MAX_ROWS rows matched to real indicators, every figure changed, and the page), through
  Django's test client, on a scratch database with 170 promises.

    .venv/bin/python bench/import_limits.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/medborgarloften_bench_import \
        .venv/bin/python bench/import_limits.py

Aims (issue 15): the crafted file costs what the ordinary one does (within 1.5 times its time
and 20 MB of its memory), a sheet of empty cells up to the unpacked limit within 200 MB; the
preview of a file of the maximum size within 10 s and 200 MB.
"""

import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/medborgarloften-bench-import.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

import harness  # noqa: E402  (bench/, beside this script)

PROMISES = 170  # × 10 indicators × 3 years: 5 100 outcomes, MAX_ROWS of them in the file


def rss_mb(field):
    """VmRSS (now) or VmHWM (the high-water mark) of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


# --- the files --------------------------------------------------------------------------------


def report_rows(rows):
    """`rows` rows as the yearly report's commitments sheet has them, every figure changed, with
    the correction reason a published figure needs."""
    from followup.spreadsheets import COLUMNS

    header = [str(label) for _key, label in COLUMNS] + ["Skäl till rättelse"]
    yield header
    for n in range(rows):
        area, rest = divmod(n, 30)
        year, indicator = divmod(rest, 10)
        commitment, number = divmod(indicator, 2)
        yield [
            f"Benchkommun {area:03}", "2023–2025", 2023 + year, commitment + 1, number + 1,
            "Polisen, kommunen", f"Åtagande {commitment + 1} om trygghet i centrum",
            f"Kontroller {number + 1}", "st", "Minst", 200, 150, 2022, 1000 + n % 150, 3, 0.02,
            0.7, "Uppfyllt", f"Kommentar till rad {n}", "", "", "Helår", "Ny räknemetod",
        ]  # fmt: skip


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Åtaganden")
    for row in rows:
        sheet.append(row)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def declaring(content, ref):
    source, output = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension ref=\"[^\"]*\"/>", f'<dimension ref="{ref}"/>'.encode(),
                              data, count=1)  # fmt: skip
                if b"<dimension" not in data:  # openpyxl's write-only mode writes none
                    data = data.replace(b"<sheetData>", f'<dimension ref="{ref}"/><sheetData>'
                                        .encode(), 1)  # fmt: skip
            target.writestr(info, data)
    return output.getvalue()


def all_cells(limit_mb):
    """A sheet whose rows really have 16 384 cells each, as many rows as fit in `limit_mb`
    unpacked: the most cells a file within the unpacked size limit can make the reader parse."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(n) for n in range(2, 16_385)]
    sheet = BytesIO()
    sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
                b"<sheetData>")  # fmt: skip
    row = 1
    while sheet.tell() < (limit_mb - 1) * 2**20:
        cells = "".join(f'<c r="{letter}{row}"/>' for letter in letters)
        first = f'<c r="A{row}" t="inlineStr"><is><t>{"Område" if row == 1 else row}</t></is></c>'
        sheet.write(f'<row r="{row}">{first}{cells}</row>'.encode())
        row += 1
    sheet.write(b"</sheetData></worksheet>")
    source, output = zipfile.ZipFile(BytesIO(xlsx([["Område"]]))), BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = sheet.getvalue()
            target.writestr(info, data)
    return output.getvalue()


def as_csv(rows):
    output = StringIO()
    csv.writer(output).writerows(rows)
    return output.getvalue().encode()


# --- the scratch data for the preview ---------------------------------------------------------


def create_data():
    """700 published promises of 2023–2025 (Benchkommun 000–169), each with 5 commitments of 2
    indicators and outcomes for every year: the rows of report_rows()."""
    import django

    django.setup()
    from django.core.management import call_command

    from followup.factories import OutcomeFactory, YearlyFollowUpFactory
    from followup.models import FollowUpState, Outcome, YearlyFollowUp
    from promises.factories import (
        AreaFactory,
        CommitmentFactory,
        IndicatorFactory,
        PromiseFactory,
        UserFactory,
    )
    from promises.models import Area, Commitment, Indicator, Promise

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    areas = Area.objects.bulk_create(
        AreaFactory.build(name=f"Benchkommun {n:03}", slug=f"bench-{n:03}") for n in range(PROMISES)
    )
    promises = Promise.objects.bulk_create(
        PromiseFactory.build(area=area, start_year=2023, end_year=2025, published=True)
        for area in areas
    )
    commitments = Commitment.objects.bulk_create(
        CommitmentFactory.build(promise=p, order=n) for p in promises for n in range(1, 6)
    )
    indicators = Indicator.objects.bulk_create(
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
        YearlyFollowUpFactory.build(promise=p, year=y, state=FollowUpState.PUBLISHED, summary="…")
        for p in promises
        for y in (2023, 2024, 2025)
    )
    UserFactory(username="bench-import", superuser=True)


# --- one case, in its own process -------------------------------------------------------------


def read_plain(content):
    """The ceiling: openpyxl's own read-only reading of the file, keeping nothing."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    count = sum(1 for _row in book["Åtaganden"].iter_rows(values_only=True))
    book.close()
    return f"{count} rows"


def read_xlsx(content):
    from followup.spreadsheet_cells import CommitmentSheetXLSX, FileRefused

    try:
        dataset = CommitmentSheetXLSX().create_dataset(content)
    except FileRefused as refused:
        return f"refused: {refused}"
    return f"{len(dataset)} rows × {len(dataset.headers)} columns"


def read_csv(content):
    from followup.spreadsheet_cells import BoundedCSV

    dataset = BoundedCSV(encoding="utf-8-sig").create_dataset(content)
    return f"{len(dataset)} rows × {len(dataset.headers)} columns"


def preview(content):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-import"))
    file = SimpleUploadedFile("utfall.xlsx", content)
    response = client.post(
        reverse("admin:followup_outcome_import"), {"import_file": file, "format": 0}
    )
    assert response.status_code == 200, response.status_code
    context = response.context_data
    assert "confirm_form" in context, "import refused"
    pages = len(response.content) / 2**20
    return f"{context['result'].totals['update']} updated, a page of {pages:.0f} MB"


CASES = {"plain": read_plain, "xlsx": read_xlsx, "csv": read_csv, "preview": preview}


def measure_case(case, path):
    import django

    django.setup()
    if case == "preview":
        from django.db import connection

        connection.ensure_connection()
    content = Path(path).read_bytes()
    action = CASES[case]
    before = rss_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    outcome = action(content)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    grown = rss_mb("VmHWM") - before
    print(
        "RESULT " + json.dumps({"seconds": seconds, "cpu": cpu, "rss": grown, "outcome": outcome})
    )


def run_case(case, path):
    return harness.run_case(__file__, case, path)


def main():
    import django

    django.setup()
    from followup.spreadsheet_cells import MAX_ROWS, MAX_UNPACKED_MB

    print(f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}; {time.strftime('%Y-%m-%d')}")
    create_data()
    folder = Path(tempfile.mkdtemp(prefix="medborgarloften-bench-import-"))
    rows = list(report_rows(MAX_ROWS))
    ordinary = xlsx(rows)
    files = {
        "ordinary": ordinary,
        "crafted": declaring(ordinary, f"A1:XFD{MAX_ROWS + 1}"),
        "crafted, all cells": all_cells(MAX_UNPACKED_MB),
        "csv": as_csv(rows),
    }
    for name, content in files.items():
        (folder / name.replace(", ", "-").replace(" ", "-")).write_bytes(content)
    runs = [
        ("ceiling: openpyxl, ordinary", "plain", "ordinary"),
        ("reader, ordinary", "xlsx", "ordinary"),
        ("reader, crafted dimension", "xlsx", "crafted"),
        ("reader, 16 384 cells a row", "xlsx", "crafted, all cells"),
        ("reader, csv", "csv", "csv"),
        ("admin preview, ordinary", "preview", "ordinary"),
    ]
    results = {}
    for label, case, file in runs:
        path = folder / file.replace(", ", "-").replace(" ", "-")
        results[label] = {**run_case(case, path), "size": len(files[file]) / 2**20}
    ceiling = results["ceiling: openpyxl, ordinary"]
    shutil.rmtree(folder)
    print(f"\n{MAX_ROWS} rows; × is the time as a ratio to the ceiling (openpyxl alone)")
    print(f"{'case':<30}{'file MB':>8}{'s':>7}{'×':>6}{'CPU s':>7}{'+RSS MB':>8}  read")
    for label, r in results.items():
        ratio = r["seconds"] / ceiling["seconds"]
        print(f"{label:<30}{r['size']:>8.1f}{r['seconds']:>7.2f}{ratio:>6.1f}{r['cpu']:>7.2f}"
              f"{r['rss']:>8.0f}"
              f"  {r['outcome']}")  # fmt: skip
    ordinary_read, crafted = results["reader, ordinary"], results["reader, crafted dimension"]
    view = results["admin preview, ordinary"]
    checks = [
        ("crafted within 1.5 × the ordinary file's time",
         crafted["seconds"] <= 1.5 * ordinary_read["seconds"]),
        ("crafted within 20 MB of the ordinary file's memory",
         crafted["rss"] <= ordinary_read["rss"] + 20),
        ("16 384 cells a row within 200 MB", results["reader, 16 384 cells a row"]["rss"] <= 200),
        ("preview within 10 s", view["seconds"] <= 10),
        ("preview within 200 MB", view["rss"] <= 200),
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
