"""Shared parts of the benchmarks: the HTTP ones (load_test.py, two_instances.py, db_outage.py),
and the fresh process national_report.py and import_limits.py measure memory in.

- a scratch PostgreSQL database, migrated, with small data from `benchdata.py`;
- gunicorn servers started with the production settings (DEBUG off) from `gunicorn.conf.py`;
- browser-like clients on the standard library: keep-alive connections, a cookie jar, CSRF
  tokens read from the forms, and the `X-Forwarded-Proto: https` header a TLS proxy would add
  (production cookies are Secure, so the jar is told the site is https);
- statistics per kind of request and a PASS/FAIL report.

The scripts run with the project's virtual environment: `.venv/bin/python bench/load_test.py`.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"

# The PostgreSQL server the scratch databases are created on (trust authentication).
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

PASSWORD = "lasttest-losenord-2026"  # noqa: S105 - a scratch database's test users only


def tagged_result(command, tag, what, env=None):
    """Runs `command` and returns the JSON it printed last on a line `TAG {json}`; exits with
    its output when it failed or printed none."""
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"{tag} ")]
    if result.returncode or not lines:
        raise SystemExit(f"{what} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix(f"{tag} "))


def run_case(script, case, path):
    """`script --case case path` run in a fresh process, whose memory is then its own: the
    figures it printed last as `RESULT {json}`."""
    return tagged_result([sys.executable, str(script), "--case", case, str(path)], "RESULT", case)


_run_dir = None


def run_dir():
    """One folder per run for the servers' logs: removed when the run passes, kept if not."""
    global _run_dir
    if _run_dir is None:
        _run_dir = Path(tempfile.mkdtemp(prefix="medborgarloften-bench-"))
    return _run_dir


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the scratch database ---------------------------------------------------------------------


def database_url(name, port=PG_PORT):
    return f"postgres://{PG_USER}@{PG_HOST}:{port}/{name}"


def _admin_connection():
    import psycopg

    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    )


def create_database(name):
    """Drops and creates the scratch database `name` (never a database these scripts did not
    name themselves)."""
    if not re.fullmatch(r"medborgarloften_[a-z0-9_]+", name):
        raise SystemExit(f"refusing to recreate {name!r}: scratch names are medborgarloften_*")
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(name, sql, params=()):
    """Rows of one query on the scratch database, straight through psycopg (not Django)."""
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name) as conn:
        return conn.execute(sql, params).fetchall()


def production_env(db_url, **extra):
    """The environment of a production server: DEBUG off, plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS", "CONN_MAX_AGE")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=db_url,
        SECURE_SSL_REDIRECT="false",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items() if value is not None})
    return env


def manage(env, *args):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def prepare_database(name, env, **data_options):
    """Creates, migrates and fills the scratch database; returns what benchdata.py built."""
    started = time.perf_counter()
    create_database(name)
    manage(env, "migrate", "--noinput", "-v0")
    # DEBUG off serves hashed static files from the manifest that collectstatic writes.
    manage(env, "collectstatic", "--noinput", "-v0")
    args = [f"--{key.replace('_', '-')}={value}" for key, value in data_options.items()]
    command = [PYTHON, str(ROOT / "bench" / "benchdata.py"), *args]
    data = tagged_result(command, "BENCHDATA", "benchdata.py", env=env)
    log(f"database {name}: migrated and filled in {time.perf_counter() - started:.1f} s")
    return data


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine_busy_seconds():
    """CPU seconds all cores spent busy since boot (from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# --- gunicorn ---------------------------------------------------------------------------------


class ServerFailed(Exception):
    pass


class Server:
    """One gunicorn master with its workers, started as a subprocess; its log goes to a file."""

    def __init__(self, name, env, port=None, workdir=None):
        self.name = name
        self.env = env
        self.port = port or free_port()
        self.workdir = Path(workdir or run_dir())
        self.log_path = self.workdir / f"gunicorn-{name}-{self.port}.log"
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        bind = ["--bind", f"127.0.0.1:{self.port}"]
        return [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONFIG), *bind]

    def start(self, timeout=60):
        try:
            self._start(timeout)
        except ServerFailed as error:
            raise SystemExit(str(error)) from None
        log(f"{self.name}: gunicorn pid {self.proc.pid} on {self.base}, workers {self.workers()}")
        return self

    def _start(self, timeout):
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_ready(timeout)
        except ServerFailed:
            self.stop()
            raise

    def wait_ready(self, timeout=60):
        """Until the health check answers 200."""
        deadline = time.monotonic() + timeout
        client = Client(self.base, timeout=5)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerFailed(f"{self.name}: gunicorn exited ({self.proc.returncode}):\n"
                                   + self.log_tail())  # fmt: skip
            try:
                response = client.get("/halsa/")
                if response.status == 200:
                    return
            except OSError:
                pass
            finally:
                client.close()
            time.sleep(0.2)
        raise ServerFailed(f"{self.name}: not ready after {timeout} s:\n{self.log_tail()}")

    def workers(self):
        """The PIDs of the master's child processes (the workers), sorted."""
        if self.proc is None:
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def cpu_seconds(self):
        """User + system CPU seconds of the master and its current workers so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.proc.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session this script started
                self.proc.wait()
        self._log_file.close()

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_records(self):
        """The log's JSON lines as dicts (other lines as {"message": line})."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        records = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                record = {"message": line}
            records.append(record if isinstance(record, dict) else {"message": line})
        return records

    def log_problems(self):
        """Errors and server errors the server logged: (errors, 5xx access lines, worker events)."""
        errors, server_errors, worker_events = [], [], []
        for record in self.log_records():
            level = str(record.get("levelname", "")).upper()
            message = str(record.get("message", ""))
            status = record.get("status")
            if str(status).isdigit() and int(status) >= 500:
                server_errors.append(record)
            elif level in ("ERROR", "CRITICAL") or "Traceback" in message:
                errors.append(record)
            if re.search(r"WORKER TIMEOUT|Worker exiting|Booting worker|Autorestarting", message):
                worker_events.append(message)
        return errors, server_errors, worker_events


# --- the HTTP client --------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body, seconds, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds
        self.url = url

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return self.headers.get("Location", "")

    def json(self):
        return json.loads(self.body)


RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
             ConnectionAbortedError, http.client.BadStatusLine)  # fmt: skip


class Client:
    """A browser on one site: one keep-alive connection, cookies, CSRF-aware form posts.

    The server runs plain HTTP on loopback, as behind a TLS-terminating proxy: every request
    carries `X-Forwarded-Proto: https`, so Django sees HTTPS and its Secure cookies, and the
    cookie jar is shown https addresses so that it sends those cookies back.
    """

    def __init__(self, base, timeout=30, user_agent="medborgarloften-bench"):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.origin = f"https://{self.host}:{self.port}"
        self.timeout = timeout
        self.user_agent = user_agent
        self.jar = CookieJar()
        self.conn = None
        self.requests_on_conn = 0
        self.retries = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _send(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.requests_on_conn = 0
        self.requests_on_conn += 1
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response, response.read()

    def request(self, method, path, data=None, referer=None, fresh=False):
        url = self.origin + path
        cookie_request = urllib.request.Request(url, method=method)
        self.jar.add_cookie_header(cookie_request)
        headers = {"User-Agent": self.user_agent, "X-Forwarded-Proto": "https"}
        if cookie_request.has_header("Cookie"):
            headers["Cookie"] = cookie_request.get_header("Cookie")
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if referer:
            headers["Referer"] = self.origin + referer
        if fresh:
            self.close()
        started = time.perf_counter()
        try:
            response, content = self._send(method, path, body, headers)
        except RETRYABLE:
            # A keep-alive connection the server closed while idle: retry once, as browsers do.
            reused = self.requests_on_conn > 1
            self.close()
            if not reused:
                raise
            self.retries += 1
            started = time.perf_counter()
            response, content = self._send(method, path, body, headers)
        except BaseException:
            self.close()
            raise
        seconds = time.perf_counter() - started
        self.jar.extract_cookies(response, cookie_request)
        if response.will_close:
            self.close()
        return Response(response.status, response.headers, content, seconds, path)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, referer=None):
        return self.request("POST", path, data=data, referer=referer or path)

    def login(self, username, password=PASSWORD):
        """Logs in through the admin's login form; returns the login POST's response."""
        path = "/admin/login/?next=/admin/"
        page = self.get(path)
        if page.status != 200:
            raise LoginFailed(f"login page answered {page.status}")
        form = find_form(page.text, lambda f: "password" in f.names())
        form.set("username", username)
        form.set("password", password)
        response = self.post(path, form.data())
        if response.status != 302 or not response.location.endswith("/admin/"):
            raise LoginFailed(f"login of {username} answered {response.status}")
        return response


class LoginFailed(Exception):
    pass


# --- forms ------------------------------------------------------------------------------------


class Form:
    def __init__(self, attrs):
        self.attrs = attrs
        self.fields = []  # (name, value) in document order, as a browser would send them

    def names(self):
        return [name for name, _ in self.fields]

    def get(self, name, default=None):
        return next((value for key, value in self.fields if key == name), default)

    def set(self, name, value):
        for index, (key, _) in enumerate(self.fields):
            if key == name:
                self.fields[index] = (name, str(value))
                return
        self.fields.append((name, str(value)))

    def data(self):
        return list(self.fields)


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit (submit buttons left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None  # [name, chosen value, first value]
        self._textarea = None  # [name, text parts]

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name") and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.fields.append((attrs["name"], attrs.get("value", "on" if kind in (
                "checkbox", "radio") else "")))  # fmt: skip
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attrs:
                self._select[1] = value
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], []]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, chosen, first = self._select
            value = chosen if chosen is not None else first
            if value is not None:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._textarea[1])
            # HTML drops one newline right after <textarea>; Django's widget writes one.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self._form.fields.append((self._textarea[0], text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def find_form(html, predicate=lambda form: True):
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if predicate(form):
            return form
    raise ValueError("no such form on the page")


def form_errors(html):
    """The texts of Django's error lists and the admin's error notes on a page."""
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    found += re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
    found += re.findall(r'<li class="error">(.*?)</li>', html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in found]


# --- public pages -----------------------------------------------------------------------------


def indicator_value(html, name, year):
    """The outcome shown for an indicator and year in its table on a promise or indicator
    page: an int, None for "–", or "absent" when the page has no such row."""
    table = re.search(
        re.escape(name) + r": mål och utfall per år\s*</caption>(.*?)</table>", html, re.S
    )
    if not table:
        return "absent"
    row = re.search(
        rf'<th scope="row">{year}</th>\s*<td data-label="Utfall">(.*?)</td>', table.group(1), re.S
    )
    if not row:
        return "absent"
    digits = re.sub(r"[^0-9,]", "", row.group(1))
    return int(digits) if digits and "," not in digits else (digits or None)


# --- statistics and the report ----------------------------------------------------------------


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Stats:
    """Requests per kind: statuses, errors and latencies. One per thread, merged at the end."""

    def __init__(self):
        self.statuses = defaultdict(Counter)
        self.latencies = defaultdict(list)
        self.errors = defaultdict(Counter)
        self.unexpected = []  # (kind, path, status or error, detail)

    def record(self, kind, response, expected=(200,)):
        self.statuses[kind][response.status] += 1
        self.latencies[kind].append(response.seconds)
        if response.status not in expected:
            self.unexpected.append((kind, response.url, response.status, _snippet(response)))

    def record_error(self, kind, path, error):
        name = type(error).__name__
        self.errors[kind][name] += 1
        self.unexpected.append((kind, path, name, str(error)[:200]))

    def merge(self, other):
        for kind, counter in other.statuses.items():
            self.statuses[kind].update(counter)
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        for kind, counter in other.errors.items():
            self.errors[kind].update(counter)
        self.unexpected.extend(other.unexpected)

    def total(self):
        return sum(sum(counter.values()) for counter in self.statuses.values())

    def server_errors(self):
        return sum(
            count
            for counter in self.statuses.values()
            for status, count in counter.items()
            if status >= 500
        )

    def error_count(self):
        return sum(sum(counter.values()) for counter in self.errors.values())

    def table(self, seconds):
        lines = [
            f"{'kind':<22}{'requests':>9}{'rps':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
            "  statuses"
        ]
        kinds = sorted(set(self.statuses) | set(self.errors))
        everything = []
        for kind in kinds:
            values = self.latencies.get(kind, [])
            everything.extend(values)
            statuses = dict(sorted(self.statuses.get(kind, {}).items()))
            errors = dict(self.errors.get(kind, {}))
            lines.append(
                f"{kind:<22}{len(values):>9}{len(values) / seconds:>8.1f}"
                f"{1000 * percentile(values, 0.5):>9.0f}{1000 * percentile(values, 0.99):>9.0f}"
                f"{1000 * max(values, default=float('nan')):>9.0f}  {statuses}"
                + (f" errors {errors}" if errors else "")
            )
        lines.append(
            f"{'all':<22}{len(everything):>9}{len(everything) / seconds:>8.1f}"
            f"{1000 * percentile(everything, 0.5):>9.0f}"
            f"{1000 * percentile(everything, 0.99):>9.0f}"
            f"{1000 * max(everything, default=float('nan')):>9.0f}"
        )
        return "\n".join(lines)


def _snippet(response):
    text = response.text
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    errors = form_errors(text)
    if errors:
        return "; ".join(errors)[:300]
    if title:
        return title.group(1).strip()[:200]
    return (response.location or text[:200]).strip()


class Checks:
    """Named PASS/FAIL results, printed at the end; the exit status is 1 if any failed."""

    def __init__(self, title):
        self.title = title
        self.results = []

    def check(self, name, ok, detail=""):
        self.results.append((name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail else ""))
        return ok

    @property
    def passed(self):
        return bool(self.results) and all(ok for _, ok, _ in self.results)

    def report(self):
        print(f"\n=== {self.title}: {'PASS' if self.passed else 'FAIL'} ===")
        for name, ok, detail in self.results:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""))
        if _run_dir is not None:
            if self.passed:
                shutil.rmtree(_run_dir, ignore_errors=True)
            else:
                print(f"server logs kept in {_run_dir}")
        return 0 if self.passed else 1


def finish(options, checks):
    """Drops the scratch database (unless --keep-db) and prints the report; the exit status."""
    if not options.keep_db:
        drop_database(options.database)
    return checks.report()


def run_threads(targets):
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    return threads
