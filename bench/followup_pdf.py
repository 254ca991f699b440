"""Benchmark: the PDF of one promise's year (the Eskilstuna 2021 demo), as the public gets it.

Measures, in a fresh process on a scratch database: the first build (WeasyPrint loading Pango
and the fonts), the median of the next ones, and the peak resident memory the builds add to the
process (WeasyPrint's text layout runs in C, which Python's tracemalloc does not see).

    .venv/bin/python bench/followup_pdf.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/medborgarloften_bench \
        .venv/bin/python bench/followup_pdf.py

A national PDF (every promise of a year) is not offered: the national yearly report is the xlsx.
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/medborgarloften-bench-pdf.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")
os.environ["KEEP_BUILT_FILES"] = "false"  # build every time: the cost of one build is measured

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

URL = "/eskilstuna/2021/rapport/2021.pdf"
RUNS = 10


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", "eskilstuna-2021", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/eskilstuna/2021/").status_code == 200  # Django and the data warmed up
    before = peak_mb()
    start = time.perf_counter()
    response = client.get(URL)
    first = time.perf_counter() - start
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(URL)
        times.append(time.perf_counter() - start)
    print(f"Follow-up PDF of Eskilstuna 2021 ({len(response.content) // 1024} kB):")
    print(f"  first build  {first:.2f} s (WeasyPrint imported, fonts loaded)")
    print(f"  next builds  {statistics.median(times):.2f} s median of {RUNS}")
    print(f"  peak memory  +{peak_mb() - before:.0f} MB over the warmed-up process")
    print(f"               {peak_mb():.0f} MB resident at the peak, Django included")


if __name__ == "__main__":
    main()
