"""Two gunicorn instances on one PostgreSQL: an edit through A shows through B at once.

Creates the scratch database medborgarloften_two, builds one area per round (benchdata.py:
a published 2023–2025 promise with a published 2023 follow-up and a draft 2024 follow-up, a
council member and a coordinator), and for each round starts instances A and B (same settings,
same SECRET_KEY, two ports) with:

  1. no page cache;
  2. PAGE_CACHE_SECONDS=600 with the shared Redis cache (REDIS_URL);
  3. PAGE_CACHE_SECONDS=600 with each process's local-memory cache (no REDIS_URL).

In each round the public promise page, an indicator page and open data (JSON) are fetched
through A and B, each several times on new connections so that every worker has kept its copy,
then, through A only, logged in as in a browser:

  a. a council member corrects a published 2023 figure on the follow-up entry page (a reason);
  b. a council member corrects another 2023 figure in the Outcome admin form (a reason);
  c. the coordinator records the council's approval of 2024 (B must still not show 2024), then
     publishes the 2024 follow-up (B must show it);
  d. the coordinator unpublishes the promise (B must answer 404 and leave it out of open data).

Right after each step's answer from A, B (and A) are asked again, several times on new
connections: each must already show the change. A stale answer is reported with how long it
stayed stale (polled for up to 10 s).

    .venv/bin/python bench/two_instances.py
    .venv/bin/python bench/two_instances.py --rounds redis   # one round: none, redis, locmem
"""

import argparse
import json
import random
import secrets
import sys
import time

import harness
from harness import Checks, Client, find_form, form_errors, log

ROUNDS = {
    "none": ("no page cache", {}),
    "redis": ("page cache in Redis", {"PAGE_CACHE_SECONDS": 600, "REDIS_URL": harness.REDIS_URL}),
    "locmem": ("page cache in local memory", {"PAGE_CACHE_SECONDS": 600}),
}
FETCHES = 12  # per page and instance, each on a new connection: reaches every worker


def open_data_value(text, area, indicator_name, year):
    """The outcome open data gives for one indicator and year: a number, None, or "absent"."""
    data = json.loads(text)
    columns = data["columns"]
    for row in data["rows"]:
        record = row if isinstance(row, dict) else dict(zip(columns, row, strict=False))
        if (
            record.get("area_slug") == area["slug"]
            and record.get("indicator") == indicator_name
            and int(record.get("year")) == year
        ):
            value = record.get("outcome")
            return None if value in (None, "") else int(float(str(value).replace(",", ".")))
    return "absent"


class Round:
    def __init__(self, key, area, env, checks):
        self.key = key
        self.label = ROUNDS[key][0]
        self.area = area
        self.checks = checks
        self.a = harness.Server(f"A-{key}", env)
        self.b = harness.Server(f"B-{key}", env)
        self.promise_path = f"/{area['slug']}/{area['period']}/"
        self.first, self.second = area["indicators"][0], area["indicators"][1]
        self.timings = []

    # What the public sees, through one instance on a new connection.

    def shown(self, server, what):
        client = Client(server.base, timeout=30)
        try:
            if what[0] == "page":
                _, indicator, year = what
                response = client.get(self.promise_path)
                if response.status != 200:
                    return f"HTTP {response.status}"
                return harness.indicator_value(response.text, indicator["name"], year)
            if what[0] == "indicator":
                _, indicator, year = what
                response = client.get(f"{self.promise_path}indikator/{indicator['id']}/")
                if response.status != 200:
                    return f"HTTP {response.status}"
                return harness.indicator_value(response.text, indicator["name"], year)
            if what[0] == "json":
                _, indicator, year = what
                response = client.get("/oppna-data/utfall.json")
                return open_data_value(response.text, self.area, indicator["name"], year)
            if what[0] == "status":
                return client.get(what[1]).status
            if what[0] == "contains":
                response = client.get(self.promise_path)
                return what[1] in response.text
        finally:
            client.close()
        raise ValueError(what)

    def expect(self, step, what, wanted, servers=None):
        """Asks each instance FETCHES times; every answer must be `wanted`."""
        description = " ".join(str(w if not isinstance(w, dict) else w["name"]) for w in what)
        for server in servers or (self.b, self.a):
            answers = [self.shown(server, what) for _ in range(FETCHES)]
            stale = [answer for answer in answers if answer != wanted]
            detail = f"{description}: wanted {wanted!r}, got {sorted(set(map(repr, answers)))}"
            if stale:
                detail += "; " + self.stale_for(server, what, wanted)
                if what[0] == "json" and "absent" in stale:
                    detail += " (this run's area is missing from open data: a page cached for "
                    detail += "another database under the same revision number?)"
            self.checks.check(f"[{self.label}] {step}: {server.name} shows it", not stale, detail)

    def stale_for(self, server, what, wanted, limit=10):
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if all(self.shown(server, what) == wanted for _ in range(FETCHES)):
                return f"right after {time.monotonic() - started:.1f} s more"
            time.sleep(0.25)
        return f"still stale after {limit} s"

    def warm(self):
        """Fetch the pages through both instances; every worker keeps its copy if caching."""
        for what, wanted in (
            (("page", self.first, 2023), self.first["values"]["2023"]),
            (("indicator", self.first, 2023), self.first["values"]["2023"]),
            (("json", self.first, 2023), self.first["values"]["2023"]),
            (("page", self.second, 2023), self.second["values"]["2023"]),
            (("page", self.first, 2024), "absent"),
            (("json", self.first, 2024), "absent"),
        ):
            self.expect("before any edit", what, wanted, servers=(self.a, self.b))

    # The edits, through A.

    def post_ok(self, client, step, path, form, location=None):
        started = time.perf_counter()
        response = client.post(path, form.data())
        self.timings.append((step, time.perf_counter() - started))
        ok = response.status == 302 and (location is None or response.location == location)
        detail = f"HTTP {response.status} {response.location}"
        if not ok:
            detail += " " + "; ".join(form_errors(response.text))[:300]
        self.checks.check(f"[{self.label}] {step}: saved through A", ok, detail)
        return ok

    def correct_on_entry_page(self, council):
        value = self.first["values"]["2023"] + 500
        path = f"/admin/promises/promise/{self.area['promise_id']}/uppfoljning/2023/"
        form = find_form(council.get(path).text, lambda f: "rattelse" in f.names())
        form.set(f"indikator-{self.first['id']}-value", value)
        reason = f"Dubbelräknade kontroller ({secrets.token_hex(4)})"
        form.set("rattelse", reason)
        if self.post_ok(council, "a. correction on the entry page", path, form, location=path):
            self.expect("a. correction on the entry page", ("page", self.first, 2023), value)
            self.expect("a. correction on the entry page", ("indicator", self.first, 2023), value)
            self.expect("a. correction on the entry page", ("json", self.first, 2023), value)
            self.expect("a. correction listed as Rättelse", ("contains", reason), True)

    def correct_in_outcome_admin(self, council, database):
        value = self.second["values"]["2023"] + 700
        (outcome_id,) = harness.query(
            database,
            "SELECT id FROM followup_outcome WHERE indicator_id = %s AND year = 2023 "
            "AND part_of_year = 'year'",
            (self.second["id"],),
        )[0]
        path = f"/admin/followup/outcome/{outcome_id}/change/"
        form = find_form(council.get(path).text, lambda f: f.attrs.get("id") == "outcome_form")
        form.set("value", value)
        reason = f"Rapporterat för lågt ({secrets.token_hex(4)})"
        form.set("correction_reason", reason)
        form.set("_save", "Spara")
        if self.post_ok(council, "b. correction in the Outcome admin", path, form):
            self.expect("b. correction in the Outcome admin", ("page", self.second, 2023), value)
            self.expect("b. correction in the Outcome admin", ("json", self.second, 2023), value)
            self.expect("b. correction listed as Rättelse", ("contains", reason), True)

    def publication(self, coordinator, action, year=None, fields=()):
        base = f"/admin/promises/promise/{self.area['promise_id']}/publicering/{action}/"
        path = f"{base}{year}/" if year else base
        page = coordinator.get(path)
        form = find_form(page.text, lambda f: f.get("csrfmiddlewaretoken") and f.attrs.get(
            "id") != "logout-form")  # fmt: skip
        for name, value in fields:
            form.set(name, value)
        location = f"/admin/promises/promise/{self.area['promise_id']}/change/"
        return self.post_ok(coordinator, f"{action} {year or ''}".strip(), path, form, location)

    def publish_year(self, coordinator):
        value = self.first["values"]["2024"]
        if self.publication(coordinator, "godkann", 2024, [("meeting_date", "2025-02-20")]):
            self.expect("c. 2024 approved, not yet published", ("page", self.first, 2024), "absent")
        if self.publication(coordinator, "publicera-uppfoljning", 2024):
            self.expect("c. 2024 follow-up published", ("page", self.first, 2024), value)
            self.expect("c. 2024 follow-up published", ("indicator", self.first, 2024), value)
            self.expect("c. 2024 follow-up published", ("json", self.first, 2024), value)

    def unpublish(self, coordinator):
        reason = [("reason", "Fel område valt vid inmatningen")]
        if self.publication(coordinator, "avpublicera", fields=reason):
            self.expect("d. promise unpublished", ("status", self.promise_path), 404)
            self.expect("d. promise unpublished", ("status", f"/{self.area['slug']}/"), 404)
            self.expect("d. promise unpublished", ("json", self.first, 2023), "absent")

    def run(self, database):
        log(f"round: {self.label}")
        self.a.start()
        self.b.start()
        try:
            self.warm()
            council = Client(self.a.base)
            council.login(self.area["council"][0])
            coordinator = Client(self.a.base)
            coordinator.login(self.area["coordinator"])
            self.correct_on_entry_page(council)
            self.correct_in_outcome_admin(council, database)
            self.publish_year(coordinator)
            self.unpublish(coordinator)
        finally:
            self.a.stop()
            self.b.stop()
        for server in (self.a, self.b):
            errors, server_errors, _ = server.log_problems()
            self.checks.check(
                f"[{self.label}] {server.name} log: no errors, no 5xx",
                not errors and not server_errors,
                f"{len(errors)} errors, {len(server_errors)} 5xx ({server.log_path})"
                + (
                    f": {str((errors + server_errors)[0])[:800]}" if errors or server_errors else ""
                ),
            )


def separate_databases_probe(options, data, db_url, checks):
    """Two fresh databases (at the same revision of their public data) behind one Redis: each
    server must show its own database's open data, never a page cached for the other."""
    other_name = f"{options.database}_other"
    other_url = harness.database_url(other_name)
    other = harness.prepare_database(
        other_name, harness.production_env(other_url), areas=1, prefix=data["prefix"] + "x"
    )
    label = ROUNDS["redis"][0]
    mine = harness.Server("X-main-db", harness.production_env(db_url, **ROUNDS["redis"][1]))
    theirs = harness.Server("Y-other-db", harness.production_env(other_url, **ROUNDS["redis"][1]))
    try:
        mine.start()
        theirs.start()
        for server, own, foreign in (
            (mine, data["areas"], other["areas"]),
            (theirs, other["areas"], data["areas"]),
        ):
            text = Client(server.base).get("/oppna-data/utfall.json").text
            slugs = {
                row["area_slug"] if isinstance(row, dict) else row[1]
                for row in json.loads(text)["rows"]
            }
            wrong = not {a["slug"] for a in own} <= slugs or slugs & {a["slug"] for a in foreign}
            checks.check(
                f"[{label}] two databases, one Redis: {server.name} shows its own open data",
                not wrong,
                f"areas in its open data: {sorted(slugs)[:6]}; its database has "
                f"{[a['slug'] for a in own][:3]}…",
            )
    finally:
        mine.stop()
        theirs.stop()
        if not options.keep_db:
            harness.drop_database(other_name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", nargs="+", choices=list(ROUNDS), default=list(ROUNDS))
    parser.add_argument("--database", default="medborgarloften_two")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    options = parser.parse_args()

    # Pages cached in Redis by an earlier run must not match: a new address prefix each run.
    prefix = f"tva{random.randrange(10**6):06d}"
    db_url = harness.database_url(options.database)
    secret = harness.production_env(db_url)["SECRET_KEY"]  # one key shared by A and B
    data = harness.prepare_database(
        options.database, harness.production_env(db_url), areas=len(options.rounds), prefix=prefix
    )
    data["prefix"] = prefix
    checks = Checks("two instances on one PostgreSQL")
    if "redis" in options.rounds:
        separate_databases_probe(options, data, db_url, checks)
    for area, key in zip(data["areas"], options.rounds, strict=True):
        env = harness.production_env(db_url, SECRET_KEY=secret, **ROUNDS[key][1])
        current = Round(key, area, env, checks)
        current.run(options.database)
        timings = ", ".join(f"{step} {seconds * 1000:.0f} ms" for step, seconds in current.timings)
        log(f"[{current.label}] saves through A: {timings}")
    return harness.finish(options, checks)


if __name__ == "__main__":
    sys.exit(main())
