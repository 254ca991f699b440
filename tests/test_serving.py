"""The site as a service: health check, outage answers, logs a collector can parse, settings."""

import contextlib
import json
import logging
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import Client

from medborgarloften.logs import JsonFormatter
from medborgarloften.postgresql import base as postgresql


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_the_health_check_answers_when_the_database_does(client, db):
    response = client.get("/halsa/")
    assert response.status_code == 200
    assert response.json()["databas"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_names_the_cause_when_the_database_is_away(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr("medborgarloften.views.connection", UnreachableDatabase())
    response = client.get("/halsa/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"status": "fel", "databas": "OperationalError"}
    assert "127.0.0.1" not in response.text  # details only in the log


def test_a_page_says_the_database_is_away_and_asks_to_come_back(visitor, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("public.views.report.with_status_data", unreachable)
    response = visitor.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Databasen svarar inte just nu" in response.text


class SilentDatabase:
    """A port that takes connections and never answers: a hung database, or one behind a lost
    network (there connecting times out the same way, only earlier)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.accepted = []

    def connections(self):
        """How many connection attempts have reached it."""
        with contextlib.suppress(BlockingIOError):
            while True:
                self.accepted.append(self.listener.accept()[0])
        return len(self.accepted)

    def close(self):
        for sock in [*self.accepted, self.listener]:
            sock.close()


@pytest.fixture
def silent_database():
    database = SilentDatabase()
    yield database
    database.close()


@pytest.fixture
def fresh_pause(monkeypatch, django_db_blocker):
    """No pause left over from another test, and none left for the next (nor for the test
    database's own connection, which on PostgreSQL is made by the same backend). The test's
    own connections go to made-up databases, so pytest-django need not guard them."""
    monkeypatch.setattr(postgresql.DatabaseWrapper, "unreachable_until", {})
    with django_db_blocker.unblock():
        yield


def postgresql_at(port):
    options = {"connect_timeout": 2}
    settings = {"ENGINE": "medborgarloften.postgresql", "HOST": "127.0.0.1", "PORT": port,
                "NAME": "medborgarloften", "USER": "postgres", "OPTIONS": options}  # fmt: skip
    return ConnectionHandler({"default": settings})["default"]


def failure_seconds(database):
    started = time.monotonic()
    with pytest.raises(OperationalError):
        database.ensure_connection()
    return time.monotonic() - started


def test_after_the_database_did_not_answer_the_next_requests_fail_at_once(
    silent_database, fresh_pause, monkeypatch
):
    monkeypatch.setattr(postgresql, "PAUSE_SECONDS", 1)
    database = postgresql_at(silent_database.port)
    assert failure_seconds(database) >= 2  # the connect timeout
    assert silent_database.connections() == 1
    # Paused: a request needing the database gets its 503 at once, without trying, and so does
    # one served by another connection of the process.
    assert failure_seconds(database) < 0.5
    assert failure_seconds(postgresql_at(silent_database.port)) < 0.5
    assert silent_database.connections() == 1
    time.sleep(1)
    assert failure_seconds(database) >= 2  # after the pause the next request tries again
    assert silent_database.connections() == 2


def test_a_refused_connection_does_not_pause_the_attempts(silent_database, fresh_pause):
    with socket.socket() as bound:  # bound but not listening: connecting is refused at once
        bound.bind(("127.0.0.1", 0))
        assert failure_seconds(postgresql_at(bound.getsockname()[1])) < 1
    failure_seconds(postgresql_at(silent_database.port))
    assert silent_database.connections() == 1


class ConnectionGoneSilent:
    """A kept connection whose peer stopped acknowledging: its check fails after the TCP user
    timeout (shortened here to a second)."""

    def cursor(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def execute(self, sql):
        time.sleep(postgresql.SLOW_FAILURE_SECONDS)
        raise psycopg.OperationalError("consuming input failed: Connection timed out")


def test_a_kept_connection_that_fails_its_check_slowly_pauses_the_attempts(
    silent_database, fresh_pause
):
    database = postgresql_at(silent_database.port)
    database.connection = ConnectionGoneSilent()
    assert not database.is_usable()
    database.connection = None  # as Django closes it
    assert failure_seconds(database) < 0.5  # no second wait for a new connection
    assert silent_database.connections() == 0


def test_any_other_error_is_the_plain_error_page(visitor, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("public.views.report.with_status_data", broken)
    response = visitor.get("/")
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.text


def test_an_unhandled_error_is_logged_as_one_json_line_with_its_request(
    visitor, db, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ValueError("a bug in the report")

    monkeypatch.setattr("public.views.report.with_status_data", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        visitor.get("/?ar=2021")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["levelname"] == "ERROR"
    assert entry["method"] == "GET" and entry["path"] == "/?ar=2021"
    assert entry["status_code"] == 500
    assert "ValueError: a bug in the report" in entry["exc_info"]
    assert "timestamp" in entry


def error_log(visitor, monkeypatch, caplog, error):
    """The log record of a request to the start page that meets `error`."""

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("public.views.report.with_status_data", failing)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        status = visitor.get("/").status_code
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    return status, json.loads(JsonFormatter().format(record))


def test_a_request_during_an_outage_is_logged_in_one_line_naming_the_cause(
    visitor, db, monkeypatch, caplog
):
    cause = psycopg.OperationalError("connection timeout expired\nmore detail")
    error = OperationalError(str(cause))
    error.__cause__ = cause  # as Django wraps psycopg's errors
    status, entry = error_log(visitor, monkeypatch, caplog, error)
    assert status == 503
    assert entry["levelname"] == "ERROR" and entry["status_code"] == 503
    message = "Service Unavailable: / (OperationalError: connection timeout expired)"
    assert entry["message"] == message
    assert "exc_info" not in entry


def test_a_failed_query_keeps_its_traceback_in_the_log(visitor, db, monkeypatch, caplog):
    cause = psycopg.errors.DeadlockDetected("deadlock detected")
    error = OperationalError(str(cause))
    error.__cause__ = cause
    status, entry = error_log(visitor, monkeypatch, caplog, error)
    assert status == 503  # a retry may well succeed
    assert entry["message"] == "Service Unavailable: /"
    assert "OperationalError: deadlock detected" in entry["exc_info"]


def test_gunicorns_access_log_becomes_json_fields():
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/loften/", "q": "", "s": 200, "M": 12, "a": "curl"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s %(s)s", atoms, None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/loften/" and entry["status"] == 200 and entry["duration_ms"] == 12
    assert entry["message"] == "10.0.0.1 200"


GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **env):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_runs_one_request_per_worker_unless_threads_are_asked_for(monkeypatch):
    default = gunicorn_settings(monkeypatch)
    assert default["worker_class"] == "sync" and default["threads"] == 1
    assert default["workers"] == 2 * os.cpu_count() + 1
    assert default["max_requests"] == 0  # workers are not recycled
    assert default["control_socket_disable"] is True
    threaded = gunicorn_settings(monkeypatch, GUNICORN_THREADS="4", GUNICORN_MAX_REQUESTS="5000")
    assert threaded["worker_class"] == "gthread" and threaded["threads"] == 4
    assert threaded["max_requests"] == 5000 and threaded["max_requests_jitter"] == 500


def production_settings(**env):
    """The settings as a production server reads them, in a process of their own."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'],"
        " 'cache_options': settings.CACHES['default'].get('OPTIONS'),"
        " 'page_cache': settings.PAGE_CACHE_SECONDS,"
        " 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE'],"
        " 'health_checks': settings.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        " 'engine': settings.DATABASES['default']['ENGINE'],"
        " 'timeouts': settings.DATABASES['default'].get('OPTIONS', {}).get('tcp_user_timeout'),"
        " 'static': settings.STORAGES['staticfiles']['BACKEND'],"
        " 'log': settings.LOGGING['handlers']['stdout']['formatter']}))"
    )
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "medborgarloften.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_reads_everything_from_the_environment():
    production = production_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/medborgarloften",
        REDIS_URL="redis://127.0.0.1:6379/0",
        PAGE_CACHE_SECONDS="600",
    )
    assert production == {
        "cache": "django_redis.cache.RedisCache",
        # A Redis that stops answering costs a second (tests/public/test_page_cache.py).
        "cache_options": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        "page_cache": 600,
        "conn_max_age": 600,
        "health_checks": True,
        "engine": "medborgarloften.postgresql",
        "timeouts": 2000,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "log": "json",
    }
    development = production_settings()
    assert development["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert development["page_cache"] == 0 and development["log"] == "text"
