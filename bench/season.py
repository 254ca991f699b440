"""Benchmark: the data-entry season at national scale (issue 17).

Readers and writers at once against gunicorn with the production settings (DEBUG off, the page
cache in Redis when it answers, otherwise in local memory), on national data
(`manage.py generate_national_data` in a scratch PostgreSQL database):

- readers: wrk, one process per kind of page, each asking for a random page of its kind among
  the newest published promise of every area (its area page, its page, three of its indicators'
  pages), the start page and the lists (`/omraden/`, `/loften/` and its pages per theme).
  Connections are shared out like real visits: most to promise and area pages, and two to the
  trivial view (`/robots.txt`), which shows what the writes leave of the server.
  The ceiling is the trivial view alone, asked by the same wrk processes and connections just
  before the mix (every process asking `/robots.txt`).
  A kind's share of it is its throughput per connection in the mix over the ceiling's per
  connection: 1.0 means those connections got as many pages as they would have got trivial
  answers from an idle server.
- national files: one visitor a second downloads the open data or the national yearly report;
  the age of the build served (Last-Modified) is recorded, and the builds are counted from the
  server's log ("Built …", public/built_files.py).
- a writer: an administrator logged in through the admin corrects a published yearly outcome
  through the entry page of a random area's promise once a second (with a reason), then asks the
  public promise page as a visitor: the new figure must be on it at once.
- the council: an administrator and a coordinator of 60 areas go round every admin and council
  page they have (as bench/logged_in_pages.py lists them), a page a second each (--council-pause):
  with the writer, some 2.5 logged-in requests a second, the country's councils in March.

Reported per kind: requests, req/s, share of the ceiling, p50/p99 ms, the kept-page hit rate
(the X-Cache header), and PASS/FAIL for the aims: area, promise and indicator pages at least
0.70 of the ceiling and p99 under 50 ms during the writes; no errors; every correction on its
promise page in the first request after the save's answer; admin and council pages p99 under
150 ms (all their requests of a role together, and the slowest page's median shown).

    .venv/bin/python bench/season.py                       # about 5 minutes
    .venv/bin/python bench/season.py --seconds 30 --connections 16

Needs wrk (apt-get install wrk). The scratch database is medborgarloften_season (recreated).
"""

import argparse
import gzip
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from email.utils import parsedate_to_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import Checks, Client, find_form, form_errors, log  # noqa: E402
from serving import redis_answers, settle, wrk_figures  # noqa: E402

DATABASE = "medborgarloften_season"
# Reader connections per kind of page, out of 16 (scaled for more): like real visits, most go to
# promise and area pages.
MIX = {"promise": 5, "area": 4, "indicator": 3, "start": 1, "lists": 1, "trivial": 2}
WATCHED = ("area", "promise", "indicator")
AIM_SHARE, AIM_P99_MS, AIM_COUNCIL_P99_MS = 0.70, 50, 150
COORDINATED_AREAS = 60
# A national file's age is bounded by settings.NATIONAL_FILE_STALE_SECONDS (--national-bound)
# plus public/built_files.py's BUILD_GRACE and one build's time.
BUILD_GRACE_SECONDS = 10
INDICATORS_PER_PROMISE = 3


# --- data -------------------------------------------------------------------------------------


def prepare(env, database):
    harness.create_database(database)
    harness.manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    harness.manage(env, "generate_national_data")
    harness.manage(env, "collectstatic", "--noinput", "-v0")
    log(f"national data in {database} in {time.perf_counter() - started:.0f} s")


def newest_promises(database):
    """Per area with a published promise, its newest one: its address and, per indicator
    counted in numbers, the newest published year's yearly outcome (may be None)."""
    sql = """
        WITH newest AS (
            SELECT DISTINCT ON (p.area_id) p.id, a.slug, p.start_year, p.end_year
            FROM promises_promise p JOIN promises_area a ON a.id = p.area_id
            WHERE p.state = 'published'
            ORDER BY p.area_id, p.end_year DESC, p.start_year DESC
        ), newest_year AS (
            SELECT promise_id, max(year) AS year FROM followup_yearlyfollowup
            WHERE state = 'published' GROUP BY promise_id
        )
        SELECT n.id, n.slug, n.start_year, n.end_year, i.id, i.name, y.year, o.value
        FROM newest n
        JOIN promises_commitment c ON c.promise_id = n.id
        JOIN promises_indicator i ON i.commitment_id = c.id AND i.kind = 'count'
        LEFT JOIN newest_year y ON y.promise_id = n.id
        LEFT JOIN followup_outcome o
            ON o.indicator_id = i.id AND o.year = y.year AND o.part_of_year = 'year'
        ORDER BY n.slug, c."order", i."order"
    """
    promises = {}
    for promise_id, slug, start, end, indicator, name, year, value in harness.query(database, sql):
        period = str(start) if start == end else f"{start}-{end}"
        promise = promises.setdefault(
            promise_id,
            {
                "id": promise_id,
                "slug": slug,
                "path": f"/{slug}/{period}/",
                "year": year,
                "indicators": [],
            },
        )
        promise["indicators"].append({"id": indicator, "name": name, "value": value})
    return list(promises.values())


def reader_paths(database, promises):
    themes = harness.query(database, "SELECT slug FROM promises_theme ORDER BY slug")
    years = harness.query(
        database,
        """
        SELECT DISTINCT year FROM followup_yearlyfollowup WHERE state = 'published'
        ORDER BY year DESC LIMIT 2""",
    )
    return {
        "promise": [p["path"] for p in promises],
        "area": sorted({f"/{p['slug']}/" for p in promises}),
        "indicator": [
            f"{p['path']}indikator/{i['id']}/"
            for p in promises
            for i in p["indicators"][:INDICATORS_PER_PROMISE]
        ],
        "start": ["/"],
        "lists": ["/omraden/", "/loften/", *(f"/loften/?tema={slug}" for (slug,) in themes)],
        "trivial": ["/robots.txt"],
        "national": [
            "/oppna-data/utfall.csv",
            "/oppna-data/utfall.json",
            "/oppna-data/utfall-excel.csv",
            *(f"/rapport/{year}.xlsx" for (year,) in years),
        ],
    }


COUNCIL_CODE = """
import json, sys
sys.path.insert(0, "bench")
import logged_in_pages
users = logged_in_pages.users(int(sys.argv[1]))
pages = {}
for who, user in users.items():
    user.is_staff = True
    user.set_password(sys.argv[2])
    user.save()
    pages[user.username] = [url for name, url, _ in logged_in_pages.pages_of(user)[1:]]
print("PAGES " + json.dumps(pages))
"""


def council_pages(env):
    """{username: [admin and council page addresses]}, for an administrator and a coordinator
    of COORDINATED_AREAS areas that it creates (bench/logged_in_pages.py)."""
    command = [harness.PYTHON, "-c", COUNCIL_CODE, str(COORDINATED_AREAS), harness.PASSWORD]
    return harness.tagged_result(command, "PAGES", "council users", env=env)


# --- readers: wrk -----------------------------------------------------------------------------

LUA = """
local paths = {%(paths)s}
hits, misses, others = 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) math.randomseed(%(seed)d + os.time()) end
function request() return wrk.format(nil, paths[math.random(#paths)]) end
function response(status, headers, body)
  local kept = headers["X-Cache"]
  if kept == "hit" then hits = hits + 1 elseif kept == "miss" then misses = misses + 1
  else others = others + 1 end
end
function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits"); m = m + thread:get("misses"); o = o + thread:get("others")
  end
  io.write(string.format("KEPT %%d %%d %%d\\n", h, m, o))
end
"""


def wrk_script(folder, kind, paths, seed):
    listed = ", ".join(json.dumps(path) for path in paths)
    script = Path(folder) / f"{kind}.lua"
    script.write_text(LUA % {"paths": listed, "seed": seed})
    return script


def start_wrk(base, script, connections, seconds):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    command += ["--header", "Accept-Encoding: gzip, deflate, br", "-s", str(script), base + "/"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process):
    output, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"wrk failed: {errors}\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rps, p50, p99, bad = wrk_figures(output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    hits, misses, others = (int(x) for x in re.search(r"KEPT (\d+) (\d+) (\d+)", output).groups())
    return {
        "requests": requests,
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "hits": hits,
        "misses": misses,
        "others": others,
        "errors": bad + (sum(int(x) for x in socket.groups()) if socket else 0),
    }


# --- the writer, the national files' visitor and the council ----------------------------------


class Writer:
    """An administrator correcting published outcomes once a second, each checked at once on the
    public promise page."""

    def __init__(self, base, promises, seed, first_value):
        self.base = base
        self.first_value = first_value  # above every figure stored: each save changes one
        self.rng = random.Random(seed)
        self.targets = [
            (promise, indicator)
            for promise in promises
            if promise["year"] is not None
            for indicator in promise["indicators"]
            if indicator["value"] is not None
        ]
        self.saves, self.seen_at_once, self.not_seen, self.refused = [], 0, [], []
        self.saved_at = []  # when each save was answered (epoch seconds)
        self.number = 0

    def run(self, stop):
        client = Client(self.base)
        client.login("bench-administrator")
        visitor = GzipClient(self.base)
        next_at = time.monotonic()
        while not stop.is_set():
            next_at += 1
            try:
                self.correct(client, visitor)
            except Exception as error:  # noqa: BLE001 - counted and shown, the run goes on
                self.refused.append(f"{type(error).__name__}: {error}"[:300])
            stop.wait(max(0, next_at - time.monotonic()))

    def correct(self, client, visitor):
        promise, indicator = self.rng.choice(self.targets)
        self.number += 1
        value = self.first_value + self.number
        path = f"/admin/promises/promise/{promise['id']}/uppfoljning/{promise['year']}/?period=year"
        page = client.get(path)
        if page.status != 200:
            self.refused.append(f"{path}: {page.status}")
            return
        form = find_form(page.text, lambda f: any(n.startswith("indikator-") for n in f.names()))
        form.set(f"indikator-{indicator['id']}-value", value)
        form.set("rattelse", f"Säsongstest: omräknat efter granskning ({value})")
        started = time.perf_counter()
        answer = client.post(path, form.data())
        self.saves.append(time.perf_counter() - started)
        if answer.status != 302:
            self.refused.append(f"{path}: {answer.status} {'; '.join(form_errors(answer.text))}")
            return
        self.saved_at.append(time.time())
        indicator["value"] = value
        public = visitor.request("GET", promise["path"], fresh=True)
        shown = harness.indicator_value(page_text(public), indicator["name"], promise["year"])
        if shown == value:
            self.seen_at_once += 1
        else:
            self.not_seen.append((promise["path"], indicator["name"], value, shown))


def national_visitor(base, paths, stop, seed, found):
    """One download a second of a national file: when its build began (Last-Modified) and when
    it was received, to be held against the saves (`behind`)."""
    rng = random.Random(seed)
    client = GzipClient(base)
    while not stop.wait(1):
        path = rng.choice(paths)
        try:
            response = client.get(path)
        except OSError as error:
            found["errors"].append(f"{path}: {error}")
            continue
        found["seconds"].append(response.seconds)
        if response.status != 200:
            found["errors"].append(f"{path}: {response.status}")
            continue
        built = parsedate_to_datetime(response.headers["Last-Modified"]).timestamp()
        found["builds"].append((built, time.time()))


def behind(built, received, saved_at):
    """How long the oldest save the build lacks had been answered when the file was received: 0
    when it lacks none. Last-Modified is in whole seconds: a save within the second the build
    began may or may not be in it, so it is not counted."""
    missing = [saved for saved in saved_at if built + 1 < saved < received]
    return received - min(missing) if missing else 0.0


class GzipClient(Client):
    """A browser's download: asks for gzip, as every browser does."""

    def _send(self, method, path, body, headers):
        return super()._send(method, path, body, {**headers, "Accept-Encoding": "gzip"})


def page_text(response):
    body = response.body
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def council_member(base, username, pages, stop, found, pause):
    """Goes round the user's pages, `pause` seconds between pages (reading, typing)."""
    client = Client(base)
    client.login(username)
    while not stop.is_set():
        for path in pages:
            if stop.wait(pause):
                return
            try:
                response = client.get(path)
            except OSError as error:
                found["errors"].append(f"{path}: {error}")
                continue
            if response.status != 200:
                found["errors"].append(f"{path}: {response.status}")
            found["seconds"][path].append(response.seconds)


# --- one round --------------------------------------------------------------------------------


def builds_logged(server):
    """(file, seconds) of every build of a file the server logged so far."""
    return [
        (record["built"], record.get("seconds", 0))
        for record in server.log_records()
        if isinstance(record.get("built"), str)
    ]


def season(server, paths, promises, pages, connections, options):
    """The trivial view alone, the readers' mix alone, then the mix with the writes."""
    seconds, seed = options.seconds, connections
    folder = tempfile.mkdtemp(prefix="season-wrk-")
    try:
        trivial_only = dict.fromkeys(MIX, paths["trivial"])
        ceiling = readers(server, trivial_only, connections, seconds, seed, folder)
        alone = {
            "rps": sum(result["rps"] for result in ceiling.values()),
            "p99": max(result["p99"] for result in ceiling.values()),
        }
        settle(server)
        quiet = readers(server, paths, connections, seconds, seed, folder)
        settle(server)
        builds_before = len(builds_logged(server))
        stop = threading.Event()
        highest = harness.query(options.database, "SELECT max(value) FROM followup_outcome")
        writer = Writer(server.base, promises, seed, first_value=int(highest[0][0] or 0) + 1)
        national = {"errors": [], "seconds": [], "builds": []}
        council = {user: {"errors": [], "seconds": defaultdict(list)} for user in pages}
        threads = [
            threading.Thread(target=writer.run, args=(stop,), daemon=True),
            threading.Thread(
                target=national_visitor,
                daemon=True,
                args=(server.base, paths["national"], stop, seed, national),
            ),
            *(
                threading.Thread(
                    target=council_member,
                    daemon=True,
                    args=(server.base, user, urls, stop, council[user], options.council_pause),
                )
                for user, urls in pages.items()
            ),
        ]
        for thread in threads:
            thread.start()
        results = readers(server, paths, connections, seconds, seed + 1, folder)
        stop.set()
        for thread in threads:
            thread.join(60)
        settle(server)
        builds = builds_logged(server)[builds_before:]
        return alone, quiet, results, writer, national, council, builds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def readers(server, paths, connections, seconds, seed, folder):
    """The figures of every kind of page, asked at once by wrk processes for `seconds`."""
    scale = connections // sum(MIX.values())
    processes = {
        kind: start_wrk(
            server.base, wrk_script(folder, kind, paths[kind], seed), count * scale, seconds
        )
        for kind, count in MIX.items()
    }
    return {kind: wrk_result(process) for kind, process in processes.items()}


# --- the report -------------------------------------------------------------------------------


def report(connections, national_bound, figures, checks):
    alone, quiet, results, writer, national, council, builds = figures
    scale = connections // sum(MIX.values())
    ceiling = alone["rps"] / connections  # per connection

    def share(figures, kind):
        return figures[kind]["rps"] / (MIX[kind] * scale) / ceiling

    def total(figures):
        return sum(result["rps"] for result in figures.values())

    print(
        f"\n{connections} reader connections. Ceiling: the trivial view alone, "
        f"{alone['rps']:.0f} req/s, p99 {alone['p99']:.1f} ms. The mix: readers only "
        f"{total(quiet):.0f} req/s ({total(quiet) / alone['rps']:.2f} of it), during the "
        f"writes {total(results):.0f} req/s ({total(results) / alone['rps']:.2f})."
    )
    print(
        f"{'':<17}{'readers only':>24}  {'during the writes':>34}\n"
        f"{'page':<11}{'conns':>6}{'share':>8}{'p50 ms':>8}{'p99 ms':>8}  {'requests':>9}"
        f"{'share':>7}{'p50 ms':>8}{'p99 ms':>8}{'kept':>7}"
    )
    for kind, result in results.items():
        # Of every answer: one not kept (no header: Redis down, an older build) counts against.
        kept = result["hits"] + result["misses"]
        hit_rate = f"{result['hits'] / (kept + result['others']):.1%}" if kept else "-"
        before = quiet[kind]
        print(
            f"{kind:<11}{MIX[kind] * scale:>6}{share(quiet, kind):>8.2f}{before['p50']:>8.1f}"
            f"{before['p99']:>8.1f}  {result['requests']:>9}{share(results, kind):>7.2f}"
            f"{result['p50']:>8.1f}{result['p99']:>8.1f}{hit_rate:>7}"
        )
        if kind in WATCHED:
            checks.check(
                f"{connections} connections: {kind} pages ≥ {AIM_SHARE} of the ceiling, "
                f"p99 < {AIM_P99_MS} ms during the writes",
                share(results, kind) >= AIM_SHARE and result["p99"] < AIM_P99_MS,
                f"{share(results, kind):.2f}, p99 {result['p99']:.1f} ms; the trivial view in "
                f"the mix {share(results, 'trivial'):.2f}, p99 {results['trivial']['p99']:.1f} ms",
            )
    errors = sum(result["errors"] for figures in (quiet, results) for result in figures.values())
    checks.check(f"{connections} connections: no reader errors", not errors, f"{errors}")

    saved = len(writer.saves)
    print(
        f"writer: {saved} corrections saved, save p50 "
        f"{1000 * harness.percentile(writer.saves, 0.5):.0f} ms, "
        f"p99 {1000 * harness.percentile(writer.saves, 0.99):.0f} ms"
    )
    checks.check(
        f"{connections} connections: every save answered and none refused",
        saved > 0 and not writer.refused,
        f"{writer.refused[:3]}",
    )
    checks.check(
        f"{connections} connections: every correction on its promise page at once",
        saved and writer.seen_at_once == saved,
        f"{writer.seen_at_once} of {saved}; not seen: {writer.not_seen[:3]}",
    )

    ages = [behind(built, received, writer.saved_at) for built, received in national["builds"]]
    counted = Counter(name.split(":")[0] for name, _ in builds)
    longest = max((seconds for _, seconds in builds), default=0)
    print(
        f"national files: {len(ages)} downloads, p50 "
        f"{1000 * harness.percentile(national['seconds'], 0.5):.0f} ms, p99 "
        f"{1000 * harness.percentile(national['seconds'], 0.99):.0f} ms; build served at most "
        f"{max(ages, default=0):.0f} s behind the saves; {len(builds)} builds, the longest "
        f"{longest:.1f} s: {dict(sorted(counted.items()))}"
    )
    bound = national_bound + BUILD_GRACE_SECONDS + longest
    checks.check(
        f"{connections} connections: national files at most {national_bound} s "
        f"+ {BUILD_GRACE_SECONDS} s + a build behind",
        max(ages, default=0) <= bound,
        f"{max(ages, default=0):.0f} s ≤ {bound:.0f} s",
    )
    checks.check(
        f"{connections} connections: national files served without errors",
        ages and not national["errors"],
        f"{national['errors'][:3]}",
    )

    for user, found in council.items():
        everything = [s for samples in found["seconds"].values() for s in samples]
        slowest = sorted(
            ((statistics.median(samples), path) for path, samples in found["seconds"].items()),
            reverse=True,
        )[:3]
        p99 = 1000 * harness.percentile(everything, 0.99)
        print(
            f"{user}: {len(everything)} requests over {len(found['seconds'])} pages, p50 "
            f"{1000 * harness.percentile(everything, 0.5):.0f} ms, p99 {p99:.0f} ms; slowest "
            "medians: " + ", ".join(f"{path} {1000 * s:.0f} ms" for s, path in slowest)
        )
        checks.check(
            f"{connections} connections: {user}'s pages p99 < {AIM_COUNCIL_P99_MS} ms",
            p99 < AIM_COUNCIL_P99_MS and not found["errors"],
            f"p99 {p99:.0f} ms, errors {found['errors'][:3]}",
        )


def warm(base, paths):
    """Every reader page and national file asked once, so the run starts with the pages kept and
    the files built, as a site does."""
    every = [path for kind in [*MIX, "national"] for path in paths[kind]]
    chunks = [every[n::6] for n in range(6)]

    def ask(chunk):
        client = GzipClient(base, timeout=120)
        for path in chunk:
            client.get(path)
        client.close()

    for thread in harness.run_threads([lambda chunk=chunk: ask(chunk) for chunk in chunks]):
        thread.join()
    log(f"{len(every)} pages kept and files built")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of each mix")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--reuse-data", action="store_true", help="keep an earlier run's data")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--council-pause", type=float, default=1.0, help="seconds between a council member's pages"
    )
    parser.add_argument(
        "--national-bound",
        type=int,
        default=60,
        help="NATIONAL_FILE_STALE_SECONDS of the server (default 60, the setting's default)",
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--threads", type=int, help="gunicorn threads per worker (default: gunicorn.conf.py's)"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    if any(n % sum(MIX.values()) for n in options.connections):
        raise SystemExit(f"connections must be multiples of {sum(MIX.values())}")

    env = harness.production_env(harness.database_url(options.database), HTTPS="false")
    if not options.reuse_data:
        prepare(env, options.database)
    cache_env, cache_name = {"PAGE_CACHE_SECONDS": "600"}, "local memory"
    if redis_answers():
        cache_env["REDIS_URL"], cache_name = harness.REDIS_URL, "Redis"
    promises = newest_promises(options.database)
    paths = reader_paths(options.database, promises)
    pages = council_pages(env)
    log(
        f"{len(promises)} promises, {sum(len(p) for p in paths.values())} public pages, "
        f"{sum(len(p) for p in pages.values())} admin pages; page cache in {cache_name}"
    )
    tuning = {
        "GUNICORN_WORKERS": options.workers,
        "GUNICORN_THREADS": options.threads,
        "NATIONAL_FILE_STALE_SECONDS": options.national_bound,
    }
    tuning = {name: str(value) for name, value in tuning.items() if value}
    server = harness.Server("season", {**env, **cache_env, **tuning}).start()
    checks = Checks("The data-entry season at national scale")
    try:
        for connections in options.connections:
            warm(server.base, paths)
            figures = season(server, paths, promises, pages, connections, options)
            report(connections, options.national_bound, figures, checks)
        errors, server_errors, workers = server.log_problems()
        checks.check(
            "the server logged no errors",
            not errors and not server_errors,
            f"{(errors + server_errors)[:3]}",
        )
    finally:
        server.stop()
    return harness.finish(options, checks)


if __name__ == "__main__":
    sys.exit(main())
