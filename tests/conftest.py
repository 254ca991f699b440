import os
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.utils import translation

from followup.factories import OutcomeFactory
from promises.factories import (
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    PoliceFactory,
    PromiseFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Area, Promise


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests run on a database file, as the site does, not Django's shared in-memory
    database: its connections lock whole tables and fail at once ("database table is locked")
    where a file's wait their turn, so concurrent saves (tests/followup/test_concurrent_saves.py)
    could not race on it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.db")
        connection_created.connect(not_synced_to_disk)


def not_synced_to_disk(connection, **kwargs):
    """A test database need not survive a power cut: about as fast as one in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")


def pytest_report_header():
    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def swedish():
    """Each test starts in Swedish, whatever language an earlier request left active."""
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def built_files_not_kept(settings):
    """A test's edits are never committed, so the public data's revision is never renewed and a
    kept build would go stale: tests/public/test_built_files.py covers keeping them, with
    commits."""
    settings.KEEP_BUILT_FILES = False


@pytest.fixture
def demo(db):
    """The Eskilstuna 2021 demo, as `make run` loads it."""
    call_command("loaddata", "eskilstuna-2021", verbosity=0)
    return Promise.objects.get(area__slug="eskilstuna", start_year=2021)


@pytest.fixture
def admin_client(client, db):
    """A council member with every right: the superuser of the admin tests."""
    user = UserFactory(username="radsmedlem", raw_password="hemligt-losen-1", superuser=True)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def make_indicator(db):
    """Builds a saved indicator in a promise of its own; keyword arguments set its fields."""

    def make(start_year=2023, end_year=2024, **fields):
        area = Area.objects.filter(slug="vasteras").first() or AreaFactory(
            name="Västerås stad", slug="vasteras"
        )
        commitment = CommitmentFactory(
            promise__area=area,
            promise__start_year=start_year,
            promise__end_year=end_year,
            title="Åtagande",
            parties=[PoliceFactory()],
        )
        # Only "at least" gets a target unless one is given, as before the factories.
        target = 200 if fields.get("rule", "at_least") == "at_least" else None
        return IndicatorFactory(commitment=commitment, **{"target_value": target, **fields})

    return make


@pytest.fixture
def build_promise(db):
    """Builds a promise with `commitments` commitments of two indicators each, and outcomes.

    Used to show that a page runs as many queries for a large promise as for a small one.
    """

    def make(slug, commitments=1, start_year=2023, end_year=2024):
        promise = PromiseFactory(
            area__name=slug.title(), area__slug=slug, start_year=start_year, end_year=end_year
        )
        police = PoliceFactory()
        theme = ThemeFactory(name="Trafik", slug="trafik")
        for order in range(1, commitments + 1):
            commitment = CommitmentFactory(
                promise=promise, order=order, theme=theme, parties=[police]
            )
            controls = IndicatorFactory(commitment=commitment, order=1, name="Kontroller")
            context = IndicatorFactory(
                commitment=commitment, order=2, name="I hela kommunen", context=True
            )
            for indicator in (controls, context):
                for year in promise.years:
                    OutcomeFactory(indicator=indicator, year=year, value=order * 10)
        return promise

    return make


def redis_cache_settings(url):
    """A cache on the Redis at `url`, with keys of this test's own (a Redis may be shared)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"test-{uuid.uuid4()}",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }


@pytest.fixture
def redis_cache(settings):
    """The default cache on the local Redis (skipped without one, except in CI)."""
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": redis_cache_settings(url)}
    yield caches["default"]
    caches["default"].delete_pattern("*")  # this test's keys only: the prefix is added
