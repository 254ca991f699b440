"""Load test: public visitors and council members at once against production gunicorn.

Creates the scratch database medborgarloften_load (dropped and recreated), migrates it, builds
small data (benchdata.py: an area, a published 2023–2025 promise and a council member per
council client), starts gunicorn with the production settings and runs --clients concurrent
clients for --seconds on loopback:

- public clients read the start page, area search, area, promise and indicator pages, the
  commitment list, open data (page, csv, json) and a promise's yearly xlsx report;
- --council of them are council members: they log in through /admin/login/ and save outcomes
  through the admin, each in its own area: the Outcome add form (a new indicator, year and
  part of the year each time), the follow-up entry page (all of a year's figures, new values
  each time) and corrections of the published year 2023 on the entry page (with a reason).
  Every value is distinct and recorded client-side.

Afterwards it checks: no 5xx response and no failed request; every save the clients saw succeed
is in the database exactly once with the value they saved (queried straight from PostgreSQL),
with one history row per save and one correction per corrected published figure, and nothing
was saved that the clients saw refused; the public promise pages show the database's figures
(a stale page cache would show old ones). It prints requests, rps, p50/p99 per kind of request.

    .venv/bin/python bench/load_test.py                 # 64 clients, 16 of them council, 60 s
    .venv/bin/python bench/load_test.py --page-cache 600 --redis   # with the shared page cache
"""

import argparse
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict

import harness
from harness import Checks, Client, Stats, find_form, form_errors, log

PARTS_OF_YEAR = ["year", "t1", "t2", "t3", "q1", "q2", "q3", "q4"]
ENTRY_PARTS_OF_2024 = ["year", "t1", "t2", "t3"]  # saved through the entry page
PUBLISHED_YEAR = 2023


class Pages:
    """The public addresses of the scratch data, chosen at random with weights."""

    def __init__(self, areas):
        self.areas = areas
        self.kinds = [
            ("start", 8), ("area-search", 4), ("area", 12), ("promise", 25), ("indicator", 25),
            ("browse", 6), ("open-data", 3), ("open-data-csv", 4), ("open-data-json", 4),
            ("report-xlsx", 3),
        ]  # fmt: skip

    def choose(self, rng):
        kind = rng.choices([k for k, _ in self.kinds], [w for _, w in self.kinds])[0]
        area = rng.choice(self.areas)
        promise = f"/{area['slug']}/{area['period']}/"
        if kind == "start":
            return kind, "/"
        if kind == "area-search":
            return kind, rng.choice(["/omraden/", f"/omraden/?q={area['name'][-2:]}"])
        if kind == "area":
            return kind, f"/{area['slug']}/"
        if kind == "promise":
            return kind, promise
        if kind == "indicator":
            return kind, f"{promise}indikator/{rng.choice(area['indicators'])['id']}/"
        if kind == "browse":
            return kind, "/loften/"
        if kind == "open-data":
            return kind, "/oppna-data/"
        if kind == "open-data-csv":
            return kind, "/oppna-data/utfall.csv"
        if kind == "open-data-json":
            return kind, "/oppna-data/utfall.json"
        return kind, f"{promise}rapport/{PUBLISHED_YEAR}.xlsx"


class Ledger:
    """What one council client saved: key (indicator id, year, part of year) → value."""

    def __init__(self):
        self.final = {}  # the value of the last save the client saw succeed
        self.saves = Counter()  # successful saves per key (each one changes the value)
        self.uncertain = defaultdict(set)  # keys of saves whose answer never came: values tried
        self.refused = []  # (what, detail): saves the server refused though they were valid
        self.refused_keys = set()  # admin adds the server refused: no row may exist
        self.corrections = 0  # published figures changed with a reason
        self.counts = Counter()  # successful saves per kind

    def saved(self, key, value):
        self.final[key] = value
        self.saves[key] += 1
        self.uncertain.pop(key, None)


class Run:
    def __init__(self, options, base, data):
        self.options = options
        self.base = base
        self.data = data
        self.pages = Pages(data["areas"])
        self.deadline = None
        self.stats = []
        self.ledgers = {}  # area slug → Ledger
        self.lock = threading.Lock()

    def think(self, rng):
        if self.options.think:
            time.sleep(rng.uniform(0, 2 * self.options.think))

    def timed(self, stats, kind, call, expected=(200,)):
        """One request; returns the response, or None after a network error."""
        try:
            response = call()
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            stats.record_error(kind, getattr(call, "path", kind), error)
            return None
        stats.record(kind, response, expected)
        return response

    def public_client(self, number):
        rng = random.Random(number)
        client, stats = Client(self.base), Stats()
        with self.lock:
            self.stats.append(stats)
        while time.monotonic() < self.deadline:
            kind, path = self.pages.choose(rng)
            self.timed(stats, kind, lambda path=path: client.get(path))
            self.think(rng)
        self.retries(client)

    def retries(self, client):
        with self.lock:
            self.retried = getattr(self, "retried", 0) + client.retries

    def council_client(self, number, area):
        rng = random.Random(1000 + number)
        client, stats, ledger = Client(self.base), Stats(), Ledger()
        with self.lock:
            self.stats.append(stats)
            self.ledgers[area["slug"]] = ledger
        username = area["council"][0]
        started = time.perf_counter()
        try:
            client.login(username)
            stats.latencies["login"].append(time.perf_counter() - started)
            stats.statuses["login"][302] += 1
        except Exception as error:  # noqa: BLE001
            stats.record_error("login", "/admin/login/", error)
            return
        indicators = [indicator["id"] for indicator in area["indicators"]]
        pool = [(i, 2025, part) for i in indicators for part in PARTS_OF_YEAR]
        pool += [(i, 2024, part) for i in indicators for part in ("q1", "q2", "q3", "q4")]
        rng.shuffle(pool)
        sequence = iter(range(1, 10**6))

        def next_value():
            return (number + 1) * 1_000_000 + next(sequence)

        while time.monotonic() < self.deadline:
            roll = rng.random()
            if roll < 0.4 and pool:
                self.admin_add(client, stats, ledger, pool.pop(), next_value())
            elif roll < 0.7:
                part = rng.choice(ENTRY_PARTS_OF_2024)
                self.entry_save(client, stats, ledger, area, 2024, part, next_value)
            elif roll < 0.8:
                self.entry_save(client, stats, ledger, area, PUBLISHED_YEAR, "year", next_value)
            else:
                path = rng.choice(["/radet/", f"/{area['slug']}/{area['period']}/"])
                self.timed(stats, "council-view", lambda path=path: client.get(path))
            self.think(rng)
        self.retries(client)

    def admin_add(self, client, stats, ledger, key, value):
        indicator, year, part = key
        path = "/admin/followup/outcome/add/"
        page = self.timed(stats, "admin-add-form", lambda: client.get(path))
        if page is None or page.status != 200:
            return
        form = find_form(page.text, lambda f: f.attrs.get("id") == "outcome_form")
        for name, field_value in (("indicator", indicator), ("year", year), ("part_of_year", part),
                                  ("value", value), ("comment", f"Lasttest {value}")):  # fmt: skip
            form.set(name, field_value)
        form.set("_save", "Spara")
        try:
            response = client.post(path, form.data())
        except Exception as error:  # noqa: BLE001
            stats.record_error("admin-add-save", path, error)
            ledger.uncertain[key].add(value)
            return
        stats.record("admin-add-save", response, expected=(302,))
        if response.status == 302 and response.location.endswith("/admin/followup/outcome/"):
            ledger.saved(key, value)
            ledger.counts["admin add"] += 1
        else:
            ledger.refused.append((f"add {key}={value}", "; ".join(form_errors(response.text))))
            ledger.refused_keys.add(key)

    def entry_save(self, client, stats, ledger, area, year, part, next_value):
        """Every figure of one year (or part of it) through the entry page, all new values."""
        # The entry page's address names the part of the year "period".
        path = f"/admin/promises/promise/{area['promise_id']}/uppfoljning/{year}/?period={part}"
        published = year == PUBLISHED_YEAR
        kind = "correction" if published else "entry"
        page = self.timed(stats, f"{kind}-form", lambda: client.get(path))
        if page is None or page.status != 200:
            return
        form = find_form(page.text, lambda f: any(n.startswith("indikator-") for n in f.names()))
        values = {}
        for indicator in area["indicators"]:
            key = (indicator["id"], year, part)
            values[key] = next_value()
            form.set(f"indikator-{indicator['id']}-value", values[key])
        if published:
            form.set("rattelse", f"Lasttest: omräknat efter granskning ({min(values.values())})")
        try:
            response = client.post(path, form.data())
        except Exception as error:  # noqa: BLE001
            stats.record_error(f"{kind}-save", path, error)
            for key, value in values.items():
                ledger.uncertain[key].add(value)
            if published:
                ledger.corrections = None  # unknown from now on
            return
        stats.record(f"{kind}-save", response, expected=(302,))
        if response.status == 302 and response.location == path:
            for key, value in values.items():
                ledger.saved(key, value)
            ledger.counts[f"{kind} page"] += 1
            if published and ledger.corrections is not None:
                ledger.corrections += len(values)
        else:
            ledger.refused.append((f"{kind} {year} {part}", "; ".join(form_errors(response.text))))

    def go(self):
        council = self.data["areas"][: self.options.council]
        targets = [
            lambda n=n, area=area: self.council_client(n, area) for n, area in enumerate(council)
        ]
        targets += [
            lambda n=n: self.public_client(n)
            for n in range(self.options.clients - self.options.council)
        ]
        self.retried = 0
        started = time.monotonic()
        self.deadline = started + self.options.seconds
        threads = harness.run_threads(targets)
        for thread in threads:
            thread.join(self.options.seconds + 120)
        elapsed = time.monotonic() - started
        total = Stats()
        for stats in self.stats:
            total.merge(stats)
        return total, elapsed, sum(thread.is_alive() for thread in threads)


def verify_database(name, data, ledgers, checks):
    """Every save the clients saw succeed is in the database once, with its value."""
    indicator_ids = [i["id"] for area in data["areas"] for i in area["indicators"]]
    rows = harness.query(
        name,
        "SELECT indicator_id, year, part_of_year, value, count(*) OVER "
        "(PARTITION BY indicator_id, year, part_of_year) FROM followup_outcome "
        "WHERE indicator_id = ANY(%s)",
        (indicator_ids,),
    )
    in_db = {(i, y, p): (v, n) for i, y, p, v, n in rows}
    history = dict(
        ((i, y, p), n)
        for i, y, p, n in harness.query(
            name,
            "SELECT indicator_id, year, part_of_year, count(*) FROM followup_historicaloutcome "
            "WHERE indicator_id = ANY(%s) GROUP BY 1, 2, 3",
            (indicator_ids,),
        )
    )
    corrections = dict(
        harness.query(name, "SELECT promise_id, count(*) FROM followup_correction GROUP BY 1")
    )
    setup = {
        (i["id"], int(year), "year"): value
        for area in data["areas"]
        for i in area["indicators"]
        for year, value in i["values"].items()
    }
    duplicated = [key for key, (_, n) in in_db.items() if n != 1]
    wrong, missing, history_wrong, corrections_wrong, checked = [], [], [], [], 0
    expected_keys = set(setup)
    for area in data["areas"]:
        ledger = ledgers.get(area["slug"])
        if ledger is None:
            continue
        for key, value in ledger.final.items():
            checked += 1
            if key not in in_db:
                missing.append(key)
            elif key not in ledger.uncertain and in_db[key][0] != value:
                wrong.append((key, value, in_db[key][0]))
            expected_history = ledger.saves[key] + (1 if key in setup else 0)
            if key not in ledger.uncertain and history.get(key, 0) != expected_history:
                history_wrong.append((key, expected_history, history.get(key, 0)))
        for key, values in ledger.uncertain.items():
            allowed = values | ({ledger.final[key]} if key in ledger.final else set())
            allowed |= {setup[key]} if key in setup else set()
            if key in in_db and in_db[key][0] not in allowed:
                wrong.append((key, sorted(allowed), in_db[key][0]))
        expected_keys |= set(ledger.final) | set(ledger.uncertain)
        if ledger.corrections is not None:
            got = corrections.get(area["promise_id"], 0)
            if got != ledger.corrections:
                corrections_wrong.append((area["slug"], ledger.corrections, got))
    # Setup keys the clients never touched must still hold their setup values.
    for key, value in setup.items():
        touched = any(key in ledger.final or key in ledger.uncertain for ledger in ledgers.values())
        if not touched and (key not in in_db or in_db[key][0] != value):
            wrong.append((key, value, in_db.get(key, (None,))[0]))
    phantom = sorted(set(in_db) - expected_keys)
    refused_present = sorted(
        key for ledger in ledgers.values() for key in ledger.refused_keys if key in in_db
    )
    checks.check(
        "every successful save is in the database exactly once",
        not missing and not duplicated,
        f"{checked} keys saved by clients, {len(in_db)} outcome rows; missing {missing[:5]}, "
        f"duplicated {duplicated[:5]}",
    )
    checks.check(
        "every saved value is the one the client saved last",
        not wrong,
        f"{len(wrong)} wrong" + (f", e.g. {wrong[:5]}" if wrong else ""),
    )
    checks.check(
        "no outcome rows the clients did not save (or saw refused)",
        not phantom and not refused_present,
        f"phantom {phantom[:5]}, refused but present {refused_present[:5]}",
    )
    checks.check(
        "history: one audit row per save",
        not history_wrong,
        f"{len(history_wrong)} keys differ"
        + (f", e.g. {history_wrong[:5]}" if history_wrong else ""),
    )
    expected_corrections = sum(
        ledger.corrections for ledger in ledgers.values() if ledger.corrections is not None
    )
    checks.check(
        "one Correction row per corrected published figure",
        not corrections_wrong,
        f"{expected_corrections} figures corrected; areas that differ (expected, found): "
        f"{corrections_wrong[:5]}",
    )
    return in_db


def verify_public_pages(base, data, in_db, checks):
    """The public promise pages show what the database holds for the published year."""
    client = Client(base)
    stale = []
    for area in data["areas"]:
        page = client.get(f"/{area['slug']}/{area['period']}/")
        for indicator in area["indicators"]:
            shown = harness.indicator_value(page.text, indicator["name"], PUBLISHED_YEAR)
            stored = in_db[(indicator["id"], PUBLISHED_YEAR, "year")][0]
            if shown != stored:
                stale.append((area["slug"], indicator["name"], shown, int(stored)))
    checks.check(
        "public promise pages show the database's published figures after the run",
        not stale,
        f"{len(stale)} figures differ" + (f", e.g. {stale[:3]}" if stale else ""),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--council", type=int, default=16, help="how many clients are council")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0, help="mean pause between requests, s")
    parser.add_argument("--page-cache", type=int, default=0, help="PAGE_CACHE_SECONDS")
    parser.add_argument("--redis", action="store_true", help=f"REDIS_URL={harness.REDIS_URL}")
    parser.add_argument("--conn-max-age", help="CONN_MAX_AGE (default: the settings' default)")
    parser.add_argument("--workers", help="GUNICORN_WORKERS (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", help="GUNICORN_THREADS (default: gunicorn.conf.py's)")
    parser.add_argument("--database", default="medborgarloften_load")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    options = parser.parse_args()
    if not 0 <= options.council <= options.clients:
        parser.error("--council must be between 0 and --clients")

    prefix = "last"
    env = harness.production_env(
        harness.database_url(options.database),
        PAGE_CACHE_SECONDS=options.page_cache,
        REDIS_URL=harness.REDIS_URL if options.redis else None,
        CONN_MAX_AGE=options.conn_max_age,
        GUNICORN_WORKERS=options.workers,
        GUNICORN_THREADS=options.threads,
    )
    if options.redis:
        prefix = f"last{random.randrange(10**6):06d}"  # no page kept by an earlier run matches
    checks = Checks(
        f"load test: {options.clients} clients ({options.council} council) for "
        f"{options.seconds:g} s, page cache {options.page_cache} s"
        + (", Redis" if options.redis else "")
    )
    data = harness.prepare_database(
        options.database, env, areas=max(options.council, 8), prefix=prefix, council=1
    )
    server = harness.Server("load", env).start()
    try:
        log(f"running {options.clients} clients for {options.seconds:g} s")
        run = Run(options, server.base, data)
        server_cpu, client_cpu = server.cpu_seconds(), time.process_time()
        busy = harness.machine_busy_seconds()
        total, elapsed, stuck = run.go()
        server_cpu = server.cpu_seconds() - server_cpu
        client_cpu = time.process_time() - client_cpu
        busy = harness.machine_busy_seconds() - busy
        log("clients done; checking")
        print(f"\nrequests: {total.total()} in {elapsed:.1f} s = {total.total() / elapsed:.1f} rps"
              f" (keep-alive retries: {run.retried})")  # fmt: skip
        print(total.table(elapsed))
        print(
            f"CPU during the run: gunicorn {server_cpu:.0f} s "
            f"({server_cpu / max(total.total(), 1) * 1000:.0f} ms per request), "
            f"load generator {client_cpu:.0f} s, everything else (PostgreSQL, other users) "
            f"{busy - server_cpu - client_cpu:.0f} s; machine busy {busy:.0f} of "
            f"{elapsed * (os.cpu_count() or 1):.0f} core-s"
        )
        saves = Counter()
        for ledger in run.ledgers.values():
            saves.update(ledger.counts)
        print(f"saves the clients saw succeed: {dict(saves)}\n")
        statuses = Counter()
        for counter in total.statuses.values():
            statuses.update(counter)
        checks.check("all client threads finished", not stuck, f"{stuck} still running")
        checks.check(
            "no 5xx responses",
            total.server_errors() == 0,
            f"{total.total()} responses, statuses {dict(sorted(statuses.items()))}",
        )
        checks.check(
            "no failed requests (connection errors, timeouts)",
            total.error_count() == 0,
            f"{total.error_count()} errors",
        )
        checks.check(
            "every answer was the expected one (200 pages, 302 after a save)",
            not total.unexpected,
            f"{len(total.unexpected)} unexpected"
            + (f", e.g. {total.unexpected[:3]}" if total.unexpected else ""),  # fmt: skip
        )
        refused = [r for ledger in run.ledgers.values() for r in ledger.refused]
        checks.check(
            "no valid save refused",
            not refused,
            f"{len(refused)} refused" + (f", e.g. {refused[:3]}" if refused else ""),
        )
        in_db = verify_database(options.database, data, run.ledgers, checks)
        verify_public_pages(server.base, data, in_db, checks)
    finally:
        server.stop()
    errors, server_errors, worker_events = server.log_problems()
    timeouts = [event for event in worker_events if "TIMEOUT" in event]
    checks.check(
        "server log: no errors, no 5xx, no worker timeouts",
        not errors and not server_errors and not timeouts,
        f"{len(errors)} error records, {len(server_errors)} 5xx access lines, "
        f"{len(timeouts)} worker timeouts (log: {server.log_path})",
    )
    for record in (errors + server_errors)[:3]:
        print("  server log:", str(record)[:1500])
    return harness.finish(options, checks)


if __name__ == "__main__":
    sys.exit(main())
