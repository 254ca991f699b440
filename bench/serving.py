"""Benchmark: the public pages served for real, at national scale, as a share of the ceiling.

Builds a scratch PostgreSQL database with `manage.py generate_national_data` (290 municipalities,
10 years), starts gunicorn with the production settings (gunicorn.conf.py, DEBUG off, kept
database connections) and loads each page with wrk at 16 connections: the start page, an area
page, a promise page, an indicator page, the open-data CSV and the yearly report, asking for
compressed answers as browsers do (only the open-data files are sent compressed). Every page is
also loaded as a ratio to robots.txt, a trivial Django view served by the same stack in the same
round: that is the ceiling of this machine, whose speed drifts. Rounds interleave the pages, and
the median of the rounds is reported, first with the page cache off, then on (Redis when it
answers, otherwise local memory). Finally the SQL queries of each page are counted in-process.

    .venv/bin/python bench/serving.py                  # about 15 minutes
    .venv/bin/python bench/serving.py --reuse-data --rounds 3 --seconds 10
    .venv/bin/python bench/serving.py --database medborgarloften_mine --cached-only --rounds 1

Aims (issue 6), at 16 connections: every page at least 10 % of the ceiling uncached and 80 %
cached; p99 under 250 ms uncached and 25 ms cached. Needs wrk (apt-get install wrk).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402

DATABASE = "medborgarloften_national"
PAGES = ["start", "area", "promise", "indicator", "open data csv", "yearly report"]


def prepare(env, reuse, database=DATABASE):
    exists = harness.query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [database])
    if reuse and exists:
        harness.manage(env, "migrate", "--noinput", "-v0")
    else:
        harness.create_database(database)
        harness.manage(env, "migrate", "--noinput", "-v0")
        started = time.perf_counter()
        print(harness.manage(env, "generate_national_data").strip())
        harness.log(f"national data generated in {time.perf_counter() - started:.0f} s")
    harness.manage(env, "collectstatic", "--noinput", "-v0")


def page_urls(database=DATABASE):
    """A busy area's newest published promise with follow-ups, and its first indicator."""
    sql = """
        SELECT a.slug, p.start_year, p.end_year, i.id, f.year
        FROM promises_promise p
        JOIN promises_area a ON a.id = p.area_id
        JOIN followup_yearlyfollowup f ON f.promise_id = p.id AND f.state = 'published'
        JOIN promises_commitment c ON c.promise_id = p.id
        JOIN promises_indicator i ON i.commitment_id = c.id
        WHERE p.state = 'published'
        ORDER BY f.year DESC, p.end_year = p.start_year, a.slug, c."order", i."order"
        LIMIT 1
    """
    slug, start, end, indicator, year = harness.query(database, sql)[0]
    period = str(start) if start == end else f"{start}-{end}"
    return {
        "trivial (ceiling)": "/robots.txt",
        "start": "/",
        "area": f"/{slug}/",
        "promise": f"/{slug}/{period}/",
        "indicator": f"/{slug}/{period}/indikator/{indicator}/",
        "open data csv": "/oppna-data/utfall.csv",
        "yearly report": f"/rapport/{year}.xlsx",
    }


def wrk(base, path, seconds, connections):
    """Requests per second and p50/p99 latency in milliseconds, from wrk's own report."""
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "30s", "--header", "Accept-Encoding: gzip, deflate, br"]
    command.append(base + path)  # asking for compression, as every browser does
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps, p50, p99, non_2xx = wrk_figures(output)
    if non_2xx:
        raise SystemExit(f"{path}: {non_2xx} answers were not 2xx:\n{output}")
    return rps, p50, p99


def wrk_figures(output):
    """From wrk's report (with --latency): requests per second, p50 and p99 in milliseconds, and
    the number of answers that were not 2xx or 3xx."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: milliseconds(v) for p, v in re.findall(r"\s(50|99)%\s+([\d.]+\w+)", output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, latency["50"], latency["99"], int(non_2xx.group(1)) if non_2xx else 0


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def settle(server, timeout=300):
    """Wait until requests that wrk left queued are served: idle workers use no CPU."""
    deadline = time.monotonic() + timeout
    before = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = server.cpu_seconds()
        if now - before < 0.05:
            return
        before = now


def alone(base, path, times=3):
    """Milliseconds of one request with nothing else running: the median after a first one
    that warms templates and connections (and, with caching on, fills the cache)."""
    client = harness.Client(base, timeout=120)
    try:
        client.get(path)
        return statistics.median(client.get(path).seconds * 1000 for _ in range(times))
    finally:
        client.close()


def measure(env, urls, rounds, seconds, connections):
    server = harness.Server("bench", env).start()
    try:
        lone = {name: alone(server.base, path) for name, path in urls.items()}  # also warms up
        results = {name: [] for name in urls}
        names = list(urls)
        for number in range(rounds):
            ceiling = wrk(server.base, urls[names[0]], seconds, connections)
            results[names[0]].append((*ceiling, 1.0))
            pages = names[1:]
            pages = pages[number % len(pages) :] + pages[: number % len(pages)]  # interleave
            for name in pages:
                settle(server)
                rps, p50, p99 = wrk(server.base, urls[name], seconds, connections)
                results[name].append((rps, p50, p99, rps / ceiling[0]))
            settle(server)
            harness.log(f"round {number + 1}/{rounds} done")
        errors, server_errors, _ = server.log_problems()
        if errors or server_errors:
            raise SystemExit(f"the server logged errors: {(errors + server_errors)[:3]}")
        return {name: [*(statistics.median(column) for column in zip(*rows, strict=True)),
                       lone[name]] for name, rows in results.items()}  # fmt: skip
    finally:
        server.stop()


def count_queries(env, urls):
    """SQL queries per page, run in a process of its own against the national database."""
    code = """
import json, os, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
counts = {}
client = Client(headers={"x-forwarded-proto": "https"})
for name, path in json.loads(sys.argv[1]).items():
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path, secure=True).status_code
    counts[name] = (status, len(queries))
print(json.dumps(counts))
"""
    import json

    env = {**env, "ALLOWED_HOSTS": "testserver", "PAGE_CACHE_SECONDS": "0"}
    result = subprocess.run(
        [harness.PYTHON, "-c", code, json.dumps(urls)],
        cwd=harness.ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "medborgarloften.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def redis_answers():
    try:
        import redis

        return redis.Redis.from_url(harness.REDIS_URL, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


def table(title, results, aim_share, aim_p99):
    header = f"{'page':<18} {'req/s':>8} {'share':>7} {'p50 ms':>8} {'p99 ms':>8} {'alone ms':>9}"
    lines = [f"\n{title}", header]
    for name, (rps, p50, p99, share, lone) in results.items():
        verdict = "" if name.startswith("trivial") else (
            "  aims met" if share >= aim_share and p99 < aim_p99 else "  aim missed"
        )  # fmt: skip
        lines.append(
            f"{name:<18} {rps:>8.1f} {share:>7.1%} {p50:>8.1f} {p99:>8.1f} {lone:>9.1f}{verdict}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reuse-data", action="store_true", help="keep an earlier run's data")
    parser.add_argument(
        "--database",
        default=DATABASE,
        help=f"the scratch database, medborgarloften_* (default {DATABASE}); it is emptied",
    )
    parser.add_argument(
        "--cached-only", action="store_true", help="measure only with the page cache on"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    env = harness.production_env(harness.database_url(options.database), HTTPS="false")
    prepare(env, options.reuse_data, options.database)
    urls = page_urls(options.database)
    harness.log(f"pages: {urls}")
    args = (urls, options.rounds, options.seconds, options.connections)
    uncached = None if options.cached_only else measure({**env, "PAGE_CACHE_SECONDS": "0"}, *args)
    cache_env = {"PAGE_CACHE_SECONDS": "600"}
    cache_name = "local memory"
    if redis_answers():
        cache_env["REDIS_URL"], cache_name = harness.REDIS_URL, "Redis"
    cached = measure({**env, **cache_env}, *args)
    queries = count_queries(env, urls)

    print(f"\n{os.cpu_count()} cores, {options.connections} connections, median of "
          f"{options.rounds} rounds of {options.seconds} s")  # fmt: skip
    if uncached:
        print(table("Uncached (aim: 10 % of the ceiling, p99 < 250 ms)", uncached, 0.10, 250))
    print(table(f"Cached in {cache_name} (aim: 80 %, p99 < 25 ms)", cached, 0.80, 25))
    print("\nSQL queries per page at national scale (status, queries):")
    for name, (status, count) in queries.items():
        print(f"  {name:<18} {status}  {count}")


if __name__ == "__main__":
    main()
