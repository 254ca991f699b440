"""The database goes away mid-run and comes back: 503 naming the database, then recovery.

Creates the scratch database medborgarloften_outage with small data (benchdata.py), starts a TCP
proxy in this script between gunicorn and PostgreSQL (DATABASE_URL points at the proxy), starts
gunicorn with the production settings and runs clients throughout: public pages, /halsa/,
robots.txt (no database) and a logged-in council member (dashboard, admin, entry page). Then:

  1. before: everything answers 200;
  2. the proxy is cut: every open connection is closed and new ones are refused (mode
     "refuse": the database is down); or the kernel's firewall drops every packet to and from
     the proxy (mode "drop": the network to the database is lost; needs root and iptables); or
     the proxy keeps its connections and accepts new ones but never answers (mode "blackhole":
     a hung database, whose machine still acknowledges what it is sent).
     Every page and /halsa/ must answer 503 quickly, naming the database (the page's Swedish
     "databas…", /halsa/'s JSON), never a generic 500, never a hang; a council member's save
     sent meanwhile must answer 503 and save nothing;
  3. the proxy is restored: the same gunicorn processes (same master and worker PIDs, no
     restart, no worker timeout) answer 200 again within --recovery-limit seconds, and the
     council member is still logged in.

Rounds: CONN_MAX_AGE as the settings default it in production (persistent connections) and 0.

    .venv/bin/python bench/db_outage.py
    .venv/bin/python bench/db_outage.py --modes refuse drop   # also a lost network
"""

import argparse
import json
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import harness
from harness import PG_HOST, PG_PORT, Checks, Client, find_form, log

NAMES_DATABASE = ("databas", "database")


class TcpProxy:
    """Forwards 127.0.0.1:port to PostgreSQL; can be cut and restored, keeping its port."""

    def __init__(self, target=(PG_HOST, PG_PORT), port=None):
        self.target = target
        self.port = port or harness.free_port()
        self.mode = "up"  # up, refuse, drop or blackhole: see cut()
        self.lock = threading.Lock()
        self.sockets = set()
        self.listener = None
        self.stopping = None
        self.accepted = 0

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        listener.settimeout(0.1)
        self.listener, self.stopping = listener, threading.Event()
        self.thread = threading.Thread(
            target=self._accept, args=(listener, self.stopping), daemon=True
        )
        self.thread.start()
        return self

    def _accept(self, listener, stopping):
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            self.accepted += 1
            if self.mode == "blackhole":
                with self.lock:
                    self.sockets.add(conn)  # held open and never answered
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                conn.close()
                continue
            with self.lock:
                if self.mode != "up":
                    conn.close()
                    upstream.close()
                    continue
                self.sockets.update((conn, upstream))
            for source, sink in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                if self.mode == "up":
                    sink.sendall(data)  # in a blackhole, data goes nowhere and nothing answers
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        with self.lock:
            self.sockets.discard(sock)

    def open_connections(self):
        with self.lock:
            return len(self.sockets)

    def cut(self, mode="refuse"):
        """refuse: closes every connection and refuses new ones (the database is down).
        drop: every packet to and from the proxy is dropped (the network is lost).
        blackhole: open connections go silent and new ones are accepted but never answered,
        as by a hung database."""
        if mode == "drop":
            self._firewall("-I")
        self.mode = mode
        if mode == "refuse":
            self._stop_listening()
            with self.lock:
                sockets = list(self.sockets)
            for sock in sockets:
                self._close(sock)

    def _firewall(self, action):
        """Insert (-I) or delete (-D) the rules dropping every packet to and from the proxy.
        Inserting fails loudly (iptables missing, not root) after undoing what it did; deleting
        deletes what is there."""
        for match in ("--dport", "--sport"):
            rule = ["INPUT", "-p", "tcp", match, str(self.port), "-j", "DROP"]
            done = subprocess.run(["iptables", action, *rule], capture_output=True, text=True)
            if action == "-I" and done.returncode != 0:
                self._firewall("-D")
                raise SystemExit(f"iptables could not drop packets: {done.stderr.strip()}")

    def restore(self):
        if self.mode == "drop":
            self._firewall("-D")
        # Connections that lived through a blackhole have lost data: they are closed.
        with self.lock:
            held = list(self.sockets) if self.mode == "blackhole" else []
        for sock in held:
            self._close(sock)
        self.mode = "up"
        if self.listener is None:
            self.start()

    def _stop_listening(self):
        if self.listener is not None:
            self.stopping.set()
            self.thread.join()
            self.listener.close()
            self.listener = None

    def stop(self):
        if self.mode == "drop":  # never leave the firewall rules behind
            self._firewall("-D")
            self.mode = "up"
        self._stop_listening()
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._close(sock)


@dataclass
class Event:
    kind: str
    path: str
    started: float
    ended: float
    status: object  # an HTTP status, or the name of a network error
    names_database: bool
    retry_after: str
    snippet: str

    @property
    def seconds(self):
        return self.ended - self.started


class Traffic:
    """Clients that keep asking until stopped; every answer is kept with its times."""

    def __init__(self, base, area, pause):
        self.base = base
        self.area = area
        self.pause = pause
        self.events = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def ask(self, client, kind, path):
        started = time.monotonic()
        try:
            response = client.get(path)
        except Exception as error:  # noqa: BLE001 - a hang or a reset is what we look for
            event = Event(kind, path, started, time.monotonic(), type(error).__name__, False,
                          "", str(error)[:200])  # fmt: skip
        else:
            text = response.text
            event = Event(
                kind, path, started, time.monotonic(), response.status,
                any(word in text.lower() for word in NAMES_DATABASE),
                response.headers.get("Retry-After", ""), text[:300],
            )  # fmt: skip
        with self.lock:
            self.events.append(event)
        return event

    def public(self, number):
        rng = random.Random(number)
        client = Client(self.base, timeout=20)
        promise = f"/{self.area['slug']}/{self.area['period']}/"
        pages = [
            ("start", "/"),
            ("area", f"/{self.area['slug']}/"),
            ("promise", promise),
            ("indicator", f"{promise}indikator/{self.area['indicators'][0]['id']}/"),
            ("open-data-json", "/oppna-data/utfall.json"),
            ("robots", "/robots.txt"),
        ]
        while not self.stop.is_set():
            self.ask(client, *rng.choice(pages))
            time.sleep(self.pause)

    def health(self):
        client = Client(self.base, timeout=20)
        while not self.stop.is_set():
            self.ask(client, "halsa", "/halsa/")
            time.sleep(self.pause)

    def council(self, client):
        entry = f"/admin/promises/promise/{self.area['promise_id']}/uppfoljning/2024/"
        pages = [("council-dashboard", "/radet/"), ("council-admin", "/admin/"),
                 ("council-entry", entry)]  # fmt: skip
        rng = random.Random(99)
        while not self.stop.is_set():
            self.ask(client, *rng.choice(pages))
            time.sleep(self.pause)

    def start(self, public_clients, council_client):
        targets = [lambda n=n: self.public(n) for n in range(public_clients)]
        targets += [self.health, lambda: self.council(council_client)]
        self.threads = harness.run_threads(targets)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def expects_database(kind):
    return kind != "robots"


def analyse(label, traffic, t_cut, t_restore, t_end, options, checks):
    events = sorted(traffic.events, key=lambda e: e.started)
    limit = options.max_latency
    # In flight at the cut, or in its first second, either answer is right (not a 500 or a hang).
    before = [e for e in events if e.ended < t_cut]
    during = [e for e in events if t_cut + 1.0 <= e.started <= t_restore - 0.2]
    transition = [e for e in events if e.ended >= t_cut and e.started < t_cut + 1.0]
    after = [e for e in events if e.started >= t_restore]

    def summary(group):
        counts = {}
        for event in group:
            counts.setdefault(event.kind, {}).setdefault(event.status, 0)
            counts[event.kind][event.status] += 1
        return counts

    bad_before = [e for e in before if e.status != 200]
    checks.check(
        f"[{label}] before the outage every answer is 200",
        before and not bad_before,
        f"{len(before)} requests" + (f"; not 200: {describe(bad_before)}" if bad_before else ""),
    )
    wrong_status = [e for e in during if e.status != (503 if expects_database(e.kind) else 200)]
    checks.check(
        f"[{label}] during the outage pages, admin and /halsa/ answer 503 (robots.txt 200)",
        during and not wrong_status,
        f"{len(during)} requests: {summary(during)}"
        + (f"; e.g. {describe(wrong_status)}" if wrong_status else ""),
    )
    unnamed = [e for e in during if e.status == 503 and not e.names_database]
    checks.check(
        f"[{label}] every 503 names the database",
        during and not unnamed,
        f"{len(unnamed)} without" + (f"; e.g. {describe(unnamed)}" if unnamed else ""),
    )
    health = [e for e in during if e.kind == "halsa" and e.status == 503]
    health_ok = health and all(is_health_json(e.snippet) for e in health)
    checks.check(
        f"[{label}] /halsa/ answers 503 JSON naming the cause",
        health_ok,
        health[0].snippet[:200] if health else "no 503 from /halsa/",
    )
    slow = [e for e in during + transition if e.seconds > limit]
    checks.check(
        f"[{label}] no hang: every answer during the outage within {limit:g} s",
        not slow,
        f"slowest {max((e.seconds for e in during + transition), default=0):.2f} s"
        + (f"; {len(slow)} slower, e.g. {describe(slow)}" if slow else ""),
    )
    errors = [e for e in events if not isinstance(e.status, int) or e.status == 500]
    checks.check(
        f"[{label}] no 500 and no network error at any time",
        not errors,
        f"{len(errors)}" + (f"; e.g. {describe(errors)}" if errors else ""),
    )
    recovered = recovery_time(after, t_restore)
    checks.check(
        f"[{label}] answers 200 again within {options.recovery_limit:g} s of the restore",
        recovered is not None and recovered <= options.recovery_limit,
        "never recovered"
        if recovered is None
        else f"all answers 200 from {recovered:.2f} s after the restore",
    )
    late = [e for e in after if e.started >= t_restore + options.recovery_limit and e.status != 200]
    checks.check(
        f"[{label}] after recovery every answer is 200",
        not late,
        f"{len([e for e in after if e.started >= t_restore + options.recovery_limit])} requests"
        + (f"; not 200: {describe(late)}" if late else ""),
    )
    retry_after = sorted({e.retry_after for e in during if e.status == 503})
    print(
        f"\n[{label}] before: {summary(before)}\n  outage: {summary(during)}\n"
        f"  transition (in flight at the cut or in its first second): {summary(transition)}\n"
        f"  after restore: {summary(after)}\n  Retry-After on 503: {retry_after}; "
        f"p50/max latency during the outage "
        f"{1000 * harness.percentile([e.seconds for e in during], 0.5):.0f}/"
        f"{1000 * max((e.seconds for e in during), default=0):.0f} ms; "
        f"recovery {'-' if recovered is None else f'{recovered:.2f} s'}\n"
    )


def is_health_json(snippet):
    try:
        body = json.loads(snippet)
    except ValueError:
        return False
    return any(word in json.dumps(body, ensure_ascii=False).lower() for word in NAMES_DATABASE)


def recovery_time(after, t_restore):
    """Seconds from the restore until every later answer was 200 (None if never)."""
    failures = [e for e in after if e.status != 200]
    successes = [e for e in after if e.status == 200]
    if not successes:
        return None
    if not failures:
        return max(0.0, successes[0].ended - t_restore)
    last_failure = max(e.ended for e in failures)
    later = [e for e in successes if e.started >= last_failure]
    if not later:
        return None
    return later[0].ended - t_restore


def describe(events, count=3):
    return "; ".join(
        f"{e.kind} {e.path} → {e.status} in {e.seconds:.2f} s ({e.snippet[:120]!r})"
        for e in events[:count]
    )


def run_round(label, options, data, db_name, conn_max_age, mode, checks):
    area = data["areas"][0]
    proxy = TcpProxy().start()
    env = harness.production_env(
        harness.database_url(db_name, port=proxy.port), CONN_MAX_AGE=conn_max_age
    )
    server = harness.Server(f"outage-{label.replace(' ', '-')}", env)
    log(f"round {label}: proxy on {proxy.port}")
    master, workers = None, []
    try:
        server.start()
        master, workers = server.proc.pid, server.workers()
        council = Client(server.base, timeout=20)
        council.login(area["council"][0])
        entry = f"/admin/promises/promise/{area['promise_id']}/uppfoljning/2024/"
        form = find_form(council.get(entry).text, lambda f: "rattelse" in f.names() or any(
            n.startswith("indikator-") for n in f.names()))  # fmt: skip
        indicator = area["indicators"][0]
        lost_value = 987_654
        form.set(f"indikator-{indicator['id']}-value", lost_value)

        traffic = Traffic(server.base, area, options.pause)
        traffic.start(options.clients, council)
        time.sleep(options.before)
        log(f"cutting the database ({mode}); {proxy.open_connections()} proxied sockets open")
        t_cut = time.monotonic()
        proxy.cut(mode)
        time.sleep(options.outage / 2)
        # A council member saves while the database is away: 503, nothing saved.
        save = Client(server.base, timeout=20)
        save.jar = council.jar
        started = time.monotonic()
        try:
            response = save.post(entry, form.data())
            save_status, save_text = response.status, response.text
        except Exception as error:  # noqa: BLE001
            save_status, save_text = type(error).__name__, str(error)
        save_seconds = time.monotonic() - started
        time.sleep(options.outage / 2)
        log("restoring the database")
        t_restore = time.monotonic()
        proxy.restore()
        time.sleep(options.recovery_limit + options.after)
        traffic.finish()
        t_end = time.monotonic()
        analyse(label, traffic, t_cut, t_restore, t_end, options, checks)

        checks.check(
            f"[{label}] a save during the outage answers 503 naming the database",
            save_status == 503 and any(w in save_text.lower() for w in NAMES_DATABASE),
            f"HTTP {save_status} in {save_seconds:.2f} s",
        )
        (stored,) = harness.query(
            db_name,
            "SELECT value FROM followup_outcome WHERE indicator_id = %s AND year = 2024 "
            "AND part_of_year = 'year'",
            (indicator["id"],),
        )[0]
        checks.check(
            f"[{label}] the save sent during the outage was not stored",
            int(stored) != lost_value,
            f"stored value {stored}",
        )
        dashboard = council.get("/radet/")
        checks.check(
            f"[{label}] the council member is still logged in after the outage",
            dashboard.status == 200,
            f"/radet/ → {dashboard.status} {dashboard.location}",
        )
        same = server.alive() and server.proc.pid == master and server.workers() == workers
        checks.check(
            f"[{label}] same gunicorn processes before and after (no restart)",
            same,
            f"master {master} → {server.proc.pid if server.alive() else 'dead'}, "
            f"workers {workers} → {server.workers()}",
        )
    finally:
        server.stop()
        proxy.stop()
    errors, server_errors, worker_events = server.log_problems()
    five_hundreds = [r for r in server_errors if str(r.get("status")) != "503"]
    timeouts = [e for e in worker_events if "TIMEOUT" in e]
    boots = [e for e in worker_events if "Booting worker" in e]
    checks.check(
        f"[{label}] server log: no 500, no worker timeout, no worker booted again",
        not five_hundreds and not timeouts and len(boots) == len(workers),
        f"{len(server_errors)} 5xx access lines ({len(five_hundreds)} not 503), "
        f"{len(errors)} error records, {len(timeouts)} worker timeouts, {len(boots)} worker "
        f"boots for {len(workers)} workers ({server.log_path})",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--modes", nargs="+", choices=["refuse", "blackhole", "drop"], default=["refuse"]
    )
    parser.add_argument(
        "--conn-max-age",
        nargs="+",
        default=["default", "0"],
        help="CONN_MAX_AGE values, one round each ('default': the production settings' own)",
    )
    parser.add_argument("--clients", type=int, default=6, help="public clients")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between requests")
    parser.add_argument("--before", type=float, default=5)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--after", type=float, default=5)
    parser.add_argument("--recovery-limit", type=float, default=5)
    parser.add_argument("--max-latency", type=float, default=5, help="longest allowed answer")
    parser.add_argument("--database", default="medborgarloften_outage")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    env = harness.production_env(harness.database_url(options.database))
    data = harness.prepare_database(options.database, env, areas=2, prefix="avbrott")
    checks = Checks("database outage and recovery")
    for mode in options.modes:
        for conn_max_age in options.conn_max_age:
            label = f"{mode}, CONN_MAX_AGE={conn_max_age}"
            value = None if conn_max_age == "default" else conn_max_age
            run_round(label, options, data, options.database, value, mode, checks)
    return harness.finish(options, checks)


if __name__ == "__main__":
    sys.exit(main())
