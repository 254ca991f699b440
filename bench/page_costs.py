"""Benchmark: where an uncached public page's time goes, in process, at national scale.

For the start, area, promise and indicator pages (and the trivial view, for scale) it reports the
median time of a whole request through Django's test client, and of that: the SQL round trips
(as the ORM sends them), the template rendering, and the rest (building the ORM's queries and
objects, the view, the middlewares). It then sends the page's SQL again raw, through a cursor:
what the queries cost without the ORM. The page cache is off. Run `bench/serving.py` first, which
builds the national data (or `--reuse-data` there); this reads the same scratch database.

    .venv/bin/python bench/page_costs.py

Issue 6 asks for uncached pages at 10 % of the ceiling, about ten trivial requests' machine time
per page; this shows which part of a page would have to go for that.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402
import serving  # noqa: E402

os.environ.update(harness.production_env(harness.database_url(serving.DATABASE), HTTPS="false"))
os.environ.update(PAGE_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = ["trivial (ceiling)", "start", "area", "promise", "indicator"]


class Stopwatch:
    """Seconds spent in SQL round trips and in template rendering during one request; a query
    sent while rendering counts as SQL, not as template."""

    def __init__(self):
        self.sql = self.template = 0.0
        self.rendering = False

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            self.sql += seconds
            if self.rendering:
                self.template -= seconds

    def timed_render(self, render):
        def wrapper(template, *args, **kwargs):
            started, self.rendering = time.perf_counter(), True
            try:
                return render(template, *args, **kwargs)
            finally:
                self.template += time.perf_counter() - started
                self.rendering = False

        return wrapper


def costs(client, path, times):
    """Median milliseconds of the whole request, its SQL, its template and the rest."""
    rows = []
    render = Template.render
    for _ in range(times):
        watch = Stopwatch()
        Template.render = watch.timed_render(render)
        try:
            with connection.execute_wrapper(watch.execute):
                started = time.perf_counter()
                response = client.get(path, secure=True)
                total = time.perf_counter() - started
        finally:
            Template.render = render
        assert response.status_code == 200, (path, response.status_code)
        rows.append((total, watch.sql, watch.template, total - watch.sql - watch.template))
    return [1000 * statistics.median(column) for column in zip(*rows, strict=True)]


def raw_sql(client, path, times):
    """Milliseconds to send the page's queries again through a plain cursor, and their count."""
    with CaptureQueriesContext(connection) as captured:
        client.get(path, secure=True)
    queries = [query["sql"] for query in captured.captured_queries]
    samples = []
    with connection.cursor() as cursor:
        for _ in range(times):
            started = time.perf_counter()
            for sql in queries:
                cursor.execute(sql)
                cursor.fetchall()
            samples.append(time.perf_counter() - started)
    return 1000 * statistics.median(samples), len(queries)


def main():
    urls = serving.page_urls()
    client = Client(headers={"accept-encoding": "gzip", "x-forwarded-proto": "https"})
    times = 200
    print(f"medians of {times} requests, ms (each column its own median: they need not add up)")
    print(f"{'page':<18} {'request':>8} {'SQL':>7} {'template':>9} {'rest':>7} {'raw SQL':>8}")
    for name in PAGES:
        for _ in range(20):  # warm up templates, connections and caches of translations
            client.get(urls[name], secure=True)
        total, sql, template, rest = costs(client, urls[name], times)
        raw, count = raw_sql(client, urls[name], times)
        print(
            f"{name:<18} {total:>8.2f} {sql:>7.2f} {template:>9.2f} {rest:>7.2f} "
            f"{raw:>8.2f}  ({count} queries)"
        )


if __name__ == "__main__":
    main()
