"""With caching on, visitors get kept pages until the public data changes, then fresh ones."""

import contextlib
import gzip
import os
import runpy
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Outcome
from medborgarloften import settings as settings_module
from promises.models import PublicRevision
from promises.revision import (
    GLOBAL,
    current_revision,
    current_tokens,
    mirror_key,
    mirror_revision,
    renew_revision,
    shared_cache,
)
from promises.roles import grant

PROMISE_URL = "/eskilstuna/2021/"


# Real commits: a kept page goes stale only when an edit has been committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    if not shared_cache():  # a shared Redis holds others' keys too: redis_cache empties its own
        cache.clear()


@pytest.fixture
def visitor():
    return Client()


def change_published_figure(admin_client, outcome, value):
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    data = {
        "indicator": outcome.indicator_id, "year": outcome.year, "part_of_year": "year",
        "value": value, "comment": outcome.comment, "status_override": "", "override_reason": "",
        "correction_reason": "En kontroll till hittades",
    }  # fmt: skip
    assert admin_client.post(url, data).status_code == 302


def test_a_kept_page_costs_one_query_and_an_edit_makes_it_fresh_at_once(
    visitor, admin_client, demo, django_assert_num_queries
):
    outcome = Outcome.objects.get(indicator__commitment__order=3)
    first = visitor.get(PROMISE_URL)
    assert "5 st" in first.text and first.headers["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the revision of the public data, nothing else
        kept = visitor.get(PROMISE_URL)
    assert kept.text == first.text and kept.headers["X-Cache"] == "hit"

    change_published_figure(admin_client, outcome, "6")
    fresh = visitor.get(PROMISE_URL)
    assert "6 st" in fresh.text and "En kontroll till hittades" in fresh.text
    assert fresh.headers["X-Cache"] == "miss"


def test_unpublishing_removes_the_promise_from_every_kept_page(visitor, demo):
    for url in ("/", "/omraden/", "/eskilstuna/", PROMISE_URL):
        assert "Eskilstuna" in visitor.get(url).text
    demo.state = "draft"
    demo.save()
    assert visitor.get(PROMISE_URL).status_code == 404
    assert visitor.get("/eskilstuna/").status_code == 404
    assert "Eskilstuna" not in visitor.get("/omraden/").text


def test_an_edit_that_is_rolled_back_leaves_kept_pages_alone(
    visitor, demo, django_assert_num_queries
):
    visitor.get(PROMISE_URL)
    revision = current_revision()
    with pytest.raises(RuntimeError), transaction.atomic():
        demo.save()
        raise RuntimeError
    assert current_revision() == revision
    with django_assert_num_queries(1):
        visitor.get(PROMISE_URL)


def test_an_edit_of_many_rows_renews_the_revision_once(demo, django_assert_num_queries):
    revision = current_revision()
    with transaction.atomic():
        for outcome in Outcome.objects.all():
            outcome.save()
        waiting = [func for _, func, *_ in transaction.get_connection().run_on_commit]
        assert len(waiting) == 1
        assert waiting[0].scopes == {"national", "area:eskilstuna"}  # each token once
    assert current_revision() != revision


def test_databases_sharing_a_cache_never_share_a_revision(demo):
    """Staging and production, or a restored backup, may share one Redis."""
    PublicRevision.objects.all().delete()  # as after a flush or in a second, fresh database
    first = current_revision()
    PublicRevision.objects.all().delete()
    assert current_revision() != first
    assert len(first) == 32


def test_the_council_sees_its_drafts_and_they_never_reach_the_cache(
    visitor, client, django_user_model, build_promise
):
    draft = build_promise("vasteras")
    council = django_user_model.objects.create_user("rad", password="x")
    grant(council, draft.area, "council_member")
    client.force_login(council)
    assert client.get("/vasteras/2023-2024/").status_code == 200
    assert visitor.get("/vasteras/2023-2024/").status_code == 404
    assert "Vasteras" not in visitor.get("/omraden/").text


def test_each_language_is_kept_apart(demo):
    visitor = Client(enforce_csrf_checks=True)
    assert "Vilka lovade" in visitor.get(PROMISE_URL).text
    # No CSRF token is needed to choose a language, so kept pages carry none.
    visitor.post(reverse("set_language"), {"language": "en", "next": PROMISE_URL})
    english = visitor.get(PROMISE_URL).text
    assert "Who promised" in english and "Vilka lovade" not in english
    assert "Vilka lovade" in Client().get(PROMISE_URL).text


def test_unknown_query_parameters_share_the_kept_page(visitor, demo, django_assert_num_queries):
    visitor.get("/eskilstuna/")
    with django_assert_num_queries(1):
        assert visitor.get("/eskilstuna/?utm_source=nyhetsbrev").status_code == 200
    assert "Inga områden hittades." in visitor.get("/omraden/?q=kiruna").text  # read ones count


def test_a_kept_page_never_shows_query_parameters_that_one_visitor_made_up(visitor, demo):
    first = visitor.get("/loften/?ar=2021&planted=x%22%3E").text
    assert "planted" not in first
    assert 'name="next" value="/loften/?ar=2021"' in first  # the language switch keeps the year
    assert "planted" not in Client().get("/loften/?ar=2021").text


def test_a_kept_page_is_refused_to_a_host_the_site_does_not_serve(visitor, demo):
    assert visitor.get(PROMISE_URL).status_code == 200
    assert visitor.get(PROMISE_URL, headers={"host": "evil.example"}).status_code == 400


def test_a_cookie_of_someone_else_leaves_the_kept_page_to_the_visitor(
    visitor, demo, django_assert_num_queries
):
    visitor.get(PROMISE_URL)
    visitor.cookies["_ga"] = "GA1.2.3.4"  # e.g. the municipality's statistics, on its domain
    with django_assert_num_queries(1):
        assert visitor.get(PROMISE_URL).status_code == 200


def test_a_kept_page_carries_the_same_headers_as_a_fresh_one(visitor, demo):
    fresh = visitor.get(PROMISE_URL)
    kept = visitor.get(PROMISE_URL)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert kept.headers[header] == fresh.headers[header]
    assert kept.headers["Content-Language"] == "sv"


@pytest.mark.parametrize("accepting", ["gzip, deflate, br", "GZIP", "*", "br;q=1, *;q=0.5"])
def test_pages_are_compressed_for_visitors_who_accept_it_and_kept_apart(demo, accepting):
    compressed = Client(headers={"accept-encoding": accepting}).get(PROMISE_URL)
    assert compressed.headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(compressed.content).decode()
    assert "Vilka lovade" in page and len(compressed.content) < len(page) / 3
    # Refusing gzip, or not asking for it, gives the page as it is, not the kept compressed one.
    for refusing in ["gzip;q=0", "*, gzip;q=0", "br", ""]:
        plain = Client(headers={"accept-encoding": refusing}).get(PROMISE_URL)
        assert "Content-Encoding" not in plain.headers, refusing
        assert plain.text == page
    for response in (compressed, plain):  # for caches between the site and its visitors
        assert "Accept-Encoding" in response.headers["Vary"]


def test_a_council_members_pages_are_never_compressed(client, django_user_model, demo):
    # A logged-in page names its reader and may hold drafts: nothing for BREACH to guess at.
    council = django_user_model.objects.create_user("rad", password="x", is_staff=True)
    grant(council, demo.area, "council_member")
    client.force_login(council)
    response = client.get(PROMISE_URL, headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert "Inloggad som rad" in response.text


def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(visitor, demo):
    visitor.get(PROMISE_URL)
    visitor.cookies["messages"] = "a message the page would show"
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(PROMISE_URL).status_code == 200
    assert len(queries) > 1  # the view ran


def test_with_redis_a_kept_page_costs_no_query_and_an_edit_makes_it_fresh_at_once(
    redis_cache, visitor, admin_client, demo, django_assert_num_queries
):
    outcome = Outcome.objects.get(indicator__commitment__order=3)
    first = visitor.get(PROMISE_URL).text
    with django_assert_num_queries(0):  # the mirrored revision and the page: one Redis read
        assert visitor.get(PROMISE_URL).text == first

    change_published_figure(admin_client, outcome, "6")
    area = "area:eskilstuna"
    assert redis_cache.get(mirror_key(area)) == current_tokens(area)[1]
    assert "6 st" in visitor.get(PROMISE_URL).text


def test_with_redis_a_mirror_written_out_of_order_ends_on_the_newest_revision(redis_cache, demo):
    older = current_tokens(GLOBAL)[0]
    renew_revision()
    redis_cache.set(mirror_key(GLOBAL), older)  # a slower renewal writing its token last
    mirror_revision()  # what that renewal does next: read back and correct
    assert redis_cache.get(mirror_key(GLOBAL)) == current_tokens(GLOBAL)[0] != older


def test_with_redis_an_expired_mirror_is_read_again_from_the_database(
    redis_cache, visitor, demo, django_assert_num_queries
):
    first = visitor.get(PROMISE_URL).text
    redis_cache.delete(mirror_key(GLOBAL))
    with django_assert_num_queries(1):  # the revision's tokens, then the page kept under it
        assert visitor.get(PROMISE_URL).text == first
    assert redis_cache.get(mirror_key(GLOBAL)) == current_tokens(GLOBAL)[0]


def production_cache(monkeypatch, url):
    """The cache settings a server with REDIS_URL=url reads (their timeouts included), under a
    key prefix of its own."""
    monkeypatch.setenv("REDIS_URL", url)
    production = runpy.run_path(settings_module.__file__)["CACHES"]["default"]
    assert production["OPTIONS"] == {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    return {**production, "KEY_PREFIX": f"test-{uuid.uuid4()}"}


def free_port():
    with socket.socket() as closed:  # a port nothing listens on once the socket is closed
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]


def assert_made_afresh(visitor, caplog, within_seconds):
    caplog.clear()
    started = time.monotonic()
    response = visitor.get(PROMISE_URL)
    assert time.monotonic() - started < within_seconds
    assert response.status_code == 200 and "5 st" in response.text
    logged = [r for r in caplog.records if "Page cache unavailable" in r.getMessage()]
    assert logged and all(r.levelname == "WARNING" for r in logged)


def test_without_an_answering_redis_every_visitor_gets_the_page_made_afresh(
    visitor, demo, caplog, monkeypatch
):
    refusing = production_cache(monkeypatch, f"redis://127.0.0.1:{free_port()}/0")
    with override_settings(CACHES={"default": refusing}):
        for _ in range(2):
            assert_made_afresh(visitor, caplog, within_seconds=1)


class SilentRedis:
    """A Redis that takes connections and never answers (a hung server, or one behind a lost
    network); it hangs up after `hang_up_seconds`, so a client without timeouts waits that long
    instead of for ever."""

    def __init__(self, hang_up_seconds=5):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.hang_up_seconds = hang_up_seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        held = []
        while not self.stopped.is_set():
            with contextlib.suppress(TimeoutError):
                held.append((time.monotonic(), self.listener.accept()[0]))
            for accepted, sock in list(held):
                if time.monotonic() - accepted > self.hang_up_seconds:
                    sock.close()
                    held.remove((accepted, sock))
        for _, sock in held:
            sock.close()
        self.listener.close()

    def close(self):
        self.stopped.set()
        self.thread.join()


def test_a_redis_that_stops_answering_costs_a_visitor_seconds_not_a_hung_request(
    visitor, demo, caplog, monkeypatch
):
    silent = SilentRedis(hang_up_seconds=5)
    try:
        with override_settings(
            CACHES={"default": production_cache(monkeypatch, f"redis://127.0.0.1:{silent.port}/0")}
        ):
            # Reading the kept page waits out the 1 s timeout; then the page is made afresh.
            assert_made_afresh(visitor, caplog, within_seconds=2.5)
    finally:
        silent.close()


REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture
def own_redis_server():
    """A redis-server of this test's own, on a free port: stop() and start() it at will."""
    if not REDIS_SERVER:
        if os.environ.get("CI"):
            raise RuntimeError("redis-server is needed (apt-get install redis-server)")
        pytest.skip("no redis-server installed")

    class Server:
        port = free_port()
        process = None

        def start(self):
            command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                       "--save", "", "--appendonly", "no"]  # fmt: skip
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            client = redis.Redis(port=self.port, socket_timeout=1)
            for _ in range(50):
                with contextlib.suppress(redis.ConnectionError):
                    client.ping()
                    return
                time.sleep(0.1)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(10)

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_when_redis_goes_away_and_comes_back_pages_are_made_afresh_then_kept_again(
    own_redis_server, visitor, demo, caplog, monkeypatch, django_assert_num_queries
):
    url = f"redis://127.0.0.1:{own_redis_server.port}/0"
    with override_settings(CACHES={"default": production_cache(monkeypatch, url)}):
        first = visitor.get(PROMISE_URL).text
        with django_assert_num_queries(0):  # kept, through a connection now open
            assert visitor.get(PROMISE_URL).text == first

        own_redis_server.stop()
        assert_made_afresh(visitor, caplog, within_seconds=1)

        own_redis_server.start()  # empty: the pages and the mirrored revision are gone
        assert visitor.get(PROMISE_URL).text == first
        with django_assert_num_queries(0):  # kept again, without restarting anything
            assert visitor.get(PROMISE_URL).text == first
