"""National files during the data-entry season: an older build is served for at most
NATIONAL_FILE_STALE_SECONDS, says when it was built, and no request waits for a build that
another request has started."""

import datetime
import json
import shutil
import subprocess
import threading
import time
from email.utils import parsedate_to_datetime
from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from followup.models import Outcome
from promises.revision import area_scope, current_revision
from public.built_files import built_file
from public.models import PublicFile

JSON_URL = "/oppna-data/utfall.json"
REPORT_URL = "/rapport/2021.xlsx"

# Real commits: only a committed edit renews the revision the builds are filed under.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def keep_built_files(settings):
    settings.KEEP_BUILT_FILES = True
    settings.NATIONAL_FILE_STALE_SECONDS = 60


class Clock:
    """django.utils.timezone.now, moved by hand."""

    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def edit_outcome(value):
    outcome = Outcome.objects.get(indicator__commitment__order=1, year=2021)
    outcome.value = value
    outcome.save()


def open_data(client):
    """The first row's outcome, the file's own build time and the response."""
    response = client.get(JSON_URL)
    data = json.loads(response.getvalue())
    return data["rows"][0]["outcome"], data["built_at"], response


def last_modified(response):
    return parsedate_to_datetime(response["Last-Modified"])


def test_an_edit_within_the_bound_serves_the_previous_build_saying_when_it_was_built(
    client, demo, clock, django_assert_num_queries, caplog
):
    built = clock.now
    caplog.set_level("INFO", logger="public.built_files")
    outcome, built_at, response = open_data(client)
    builds = [record for record in caplog.records if record.name == "public.built_files"]
    assert [record.built for record in builds] == ["oppna-data/utfall.json:sv"]  # for operators
    assert outcome == 2483
    assert datetime.datetime.fromisoformat(built_at) == built
    assert last_modified(response) == built
    edit_outcome(2500)
    clock.advance(59)
    with django_assert_num_queries(2):  # the revision and the kept build
        outcome, built_at, response = open_data(client)
    assert outcome == 2483 and datetime.datetime.fromisoformat(built_at) == built
    assert last_modified(response) == built
    assert "no-cache" in response["Cache-Control"]

    clock.advance(2)
    outcome, built_at, response = open_data(client)
    builds = [record for record in caplog.records if record.name == "public.built_files"]
    assert len(builds) == 2  # built once more, not for each request
    assert outcome == 2500 and datetime.datetime.fromisoformat(built_at) == clock.now
    assert last_modified(response) == clock.now
    assert PublicFile.objects.get().revision == current_revision()


def test_the_yearly_report_says_when_it_was_built_and_stays_so_within_the_bound(
    client, demo, clock
):
    first = client.get(REPORT_URL).getvalue()
    book = load_workbook(BytesIO(first))
    local = timezone.localtime(clock.now).strftime("%Y-%m-%d %H:%M")
    cells = [cell.value for row in book["Sammanfattning"].iter_rows() for cell in row]
    assert any(str(value).startswith(f"Byggd {local}") for value in cells if value)
    assert book.properties.created == clock.now.replace(tzinfo=None)
    edit_outcome(2500)
    clock.advance(30)
    assert client.get(REPORT_URL).getvalue() == first
    clock.advance(31)
    assert client.get(REPORT_URL).getvalue() != first


def test_the_english_report_says_built(client, demo, clock):
    client.cookies["django_language"] = "en"
    book = load_workbook(BytesIO(client.get(REPORT_URL).getvalue()))
    local = timezone.localtime(clock.now).strftime("%Y-%m-%d %H:%M")
    cells = [cell.value for row in book["Summary"].iter_rows() for cell in row]
    assert any(str(value).startswith(f"Built {local}") for value in cells if value)


def test_a_request_during_another_requests_build_gets_the_previous_build_at_once(
    client, demo, clock, django_assert_num_queries
):
    built = clock.now
    open_data(client)
    edit_outcome(2500)
    clock.advance(61)
    PublicFile.objects.update(building_since=clock.now)  # as the request building it does
    with django_assert_num_queries(3):  # the revision, the kept build, the claim refused
        outcome, built_at, _ = open_data(client)
    assert outcome == 2483 and datetime.datetime.fromisoformat(built_at) == built
    assert PublicFile.objects.get().building_since == clock.now  # left to its builder


def test_the_claim_of_a_build_that_died_lapses(client, demo, clock):
    open_data(client)
    edit_outcome(2500)
    PublicFile.objects.update(building_since=clock.now)
    clock.advance(61)
    assert open_data(client)[0] == 2500
    assert PublicFile.objects.get().building_since is None


def test_a_previous_build_beyond_the_bound_and_its_grace_is_not_served_while_building(demo, clock):
    """Idle for hours, then two requests at once: the second waits for the first's build
    rather than get a file hours behind."""
    built_file("national.txt", lambda built_at: b"old", False, max_stale_seconds=60)
    PublicFile.objects.update(revision="older")
    clock.advance(3600)
    PublicFile.objects.update(building_since=clock.now)  # another request builds it

    def finish_build():
        time.sleep(0.2)
        PublicFile.objects.update(
            content=b"new", revision=current_revision(), built_at=clock.now, building_since=None
        )
        connection.close()

    builder = threading.Thread(target=finish_build)
    builder.start()
    build = built_file("national.txt", lambda built_at: b"mine", False, max_stale_seconds=60)
    builder.join()
    assert build.content == b"new"


def test_concurrent_requests_do_not_wait_for_a_build_in_progress(demo):
    """A real build in another thread, with its own database connection."""
    started, release = threading.Event(), threading.Event()

    def slow_build(built_at):
        started.set()
        release.wait(5)
        return b"new"

    def build_in_thread():
        try:
            results.append(built_file("national.txt", slow_build, False, max_stale_seconds=60))
        finally:
            connection.close()

    built_file("national.txt", lambda built_at: b"old", False, max_stale_seconds=60)
    PublicFile.objects.update(
        revision="older", built_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    results = []
    builder = threading.Thread(target=build_in_thread)
    builder.start()
    assert started.wait(5)
    began = time.monotonic()
    meanwhile = built_file("national.txt", lambda built_at: b"again", False, max_stale_seconds=60)
    waited = time.monotonic() - began
    release.set()
    builder.join()
    assert meanwhile.content == b"old" and waited < 0.5
    assert [build.content for build in results] == [b"new"]
    assert bytes(PublicFile.objects.get().content) == b"new"


WILL_BE_BUILT = "(byggs med de senaste ändringarna när den hämtas)"


def test_the_open_data_page_names_the_build_a_download_gets_now(client, demo, clock, settings):
    settings.PAGE_CACHE_SECONDS = 60
    # Nothing built yet: the first download builds it.
    assert WILL_BE_BUILT in client.get("/oppna-data/").getvalue().decode()
    built = clock.now
    open_data(client)
    local = timezone.localtime(built).strftime("%Y-%m-%d %H:%M")
    page = client.get("/oppna-data/")
    assert f"(byggd {local})" in page.getvalue().decode()
    edit_outcome(2500)
    clock.advance(59)
    page = client.get("/oppna-data/")
    assert f"(byggd {local})" in page.getvalue().decode()
    assert page.made_from_older_data  # the time is of an older revision: not kept under it
    clock.advance(2)
    page = client.get("/oppna-data/")  # the next download builds anew: no time to name
    assert f"(byggd {local})" not in page.getvalue().decode()
    assert WILL_BE_BUILT in page.getvalue().decode()
    open_data(client)
    local = timezone.localtime(clock.now).strftime("%Y-%m-%d %H:%M")
    assert f"(byggd {local})" in client.get("/oppna-data/").getvalue().decode()


def test_the_open_data_page_reads_the_build_times_in_two_queries(
    client, demo, django_assert_num_queries
):
    open_data(client)
    with django_assert_num_queries(2):  # the revision and the builds' times
        assert "(byggd " in client.get("/oppna-data/").getvalue().decode()


def test_a_build_of_an_older_revision_is_never_kept_by_the_page_cache(
    client, demo, clock, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    assert open_data(client)[0] == 2483
    edit_outcome(2500)
    clock.advance(30)
    assert open_data(client)[0] == 2483  # served from the older build, and not kept
    clock.advance(31)
    assert open_data(client)[0] == 2500
    clock.advance(600 - 61)
    assert open_data(client)[0] == 2500


def test_a_promises_pdf_is_always_of_the_current_revision(client, demo, clock, tmp_path):
    url = "/eskilstuna/2021/rapport/2021.pdf"
    first = client.get(url).getvalue()
    edit_outcome(2500)
    clock.advance(1)
    second = client.get(url).getvalue()
    stored = PublicFile.objects.get(name__endswith=".pdf:sv")
    assert (
        stored.revision == current_revision(area_scope("eskilstuna"))
        and stored.built_at == clock.now
    )
    assert second != first
    if shutil.which("pdftotext"):
        (tmp_path / "followup.pdf").write_bytes(second)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "followup.pdf"), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "2 500" in text or "2500" in text
