"""Open data and yearly reports are built once per revision of the public data, then served."""

import csv
import datetime
import gzip
import io
import threading
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from followup.models import Outcome, YearlyFollowUp
from promises.roles import grant
from public.built_files import built_file
from public.models import PublicFile

CSV_URL = "/oppna-data/utfall.csv"

# Real commits: only a committed edit renews the revision the builds are filed under.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def keep_built_files(settings):
    settings.KEEP_BUILT_FILES = True


def outcome_of_drugs(client, **headers):
    response = client.get(CSV_URL, headers=headers)
    content = response.getvalue()
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    return response, rows[0]["outcome"]


def test_the_open_data_file_is_built_once_and_an_edit_rebuilds_it(
    client, demo, django_assert_num_queries
):
    assert outcome_of_drugs(client)[1] == "2483"
    with django_assert_num_queries(2):  # the revision and the built file
        assert outcome_of_drugs(client)[1] == "2483"
    outcome = Outcome.objects.get(indicator__commitment__order=1, year=2021)
    outcome.value = 2500
    outcome.save()
    # A national file is rebuilt once its build is older than NATIONAL_FILE_STALE_SECONDS
    # (tests/public/test_national_files.py).
    PublicFile.objects.update(built_at=timezone.now() - datetime.timedelta(seconds=61))
    assert outcome_of_drugs(client)[1] == "2500"
    assert PublicFile.objects.filter(name=f"{CSV_URL[1:]}:sv").count() == 1


def test_browsers_get_the_file_gzip_compressed_and_other_clients_plain(client, demo):
    compressed, outcome = outcome_of_drugs(client, accept_encoding="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip" and outcome == "2483"
    plain, outcome = outcome_of_drugs(client)
    assert "Content-Encoding" not in plain and outcome == "2483"
    assert gzip.decompress(compressed.getvalue()) == plain.getvalue()
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in compressed["Vary"]
    assert plain["Content-Disposition"] == 'attachment; filename="medborgarloften-utfall.csv"'


def test_a_build_of_an_earlier_day_is_built_again(client, demo):
    """A year that has ended is judged the next day, edit or not."""
    outcome_of_drugs(client)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PublicFile.objects.update(
        built_on=yesterday,
        built_at=timezone.now() - datetime.timedelta(days=1),
        content=gzip.compress(b"area\nof yesterday\n"),
    )
    assert outcome_of_drugs(client)[1] == "2483"
    assert PublicFile.objects.get().built_on == timezone.localdate()


def test_a_client_refusing_gzip_gets_the_file_plain(client, demo):
    response, outcome = outcome_of_drugs(client, accept_encoding="gzip;q=0, identity")
    assert "Content-Encoding" not in response and outcome == "2483"


def test_each_language_has_its_own_yearly_report(client, demo):
    swedish = load_workbook(BytesIO(client.get("/rapport/2021.xlsx").content))
    client.cookies["django_language"] = "en"
    english = load_workbook(BytesIO(client.get("/rapport/2021.xlsx").content))
    assert swedish.sheetnames[0] == "Sammanfattning" and english.sheetnames[0] == "Summary"


@pytest.mark.parametrize("year", ["0", "1999", "99999999999999999999"])
def test_a_year_without_a_report_is_not_found_and_nothing_is_kept(client, demo, year):
    assert client.get(f"/rapport/{year}.xlsx").status_code == 404
    assert not PublicFile.objects.exists()


def test_the_councils_report_with_drafts_is_never_kept_for_the_public(
    client, django_user_model, demo
):
    YearlyFollowUp.objects.filter(promise=demo).update(state="draft")
    council = django_user_model.objects.create_user("r", password="x", is_staff=True)
    grant(council, demo.area, "council_member")
    council_client = Client()
    council_client.force_login(council)
    assert council_client.get("/rapport/2021.xlsx").status_code == 200
    assert client.get("/rapport/2021.xlsx").status_code == 404
    assert not PublicFile.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to wait on")
def test_requests_arriving_during_a_build_wait_for_it_instead_of_building_again(demo):
    builds = []
    started = threading.Event()

    def slow_build(built_at):
        builds.append(1)
        started.set()
        threading.Event().wait(0.5)
        return b"the file"

    def ask():
        try:
            results.append(built_file("slow.txt", slow_build, compress=True))
        finally:
            connection.close()

    results = []
    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join()
    assert len(builds) == 1
    assert [gzip.decompress(build.content) for build in results] == [b"the file"] * 4
