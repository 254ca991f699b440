"""Open data: published figures as CSV and JSON with stable columns, never a draft."""

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Outcome, YearlyFollowUp
from followup.opendata import COLUMNS
from promises.models import Municipality, Promise

STABLE_COLUMNS = [
    "area", "area_slug", "municipality_codes", "period", "year", "commitment_number",
    "indicator_number", "parties",
    "commitment", "indicator", "unit", "rule", "target", "baseline", "baseline_year", "outcome",
    "change", "change_percent", "progress_percent", "status", "override", "override_reason",
    "comment", "outcome_basis",
]  # fmt: skip


def csv_rows(client):
    response = client.get("/oppna-data/utfall.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_column_names_are_the_documented_ones(client, db):
    assert list(COLUMNS) == STABLE_COLUMNS
    assert csv_rows(client) == []
    assert client.get("/oppna-data/utfall.csv").content.decode().strip() == ",".join(STABLE_COLUMNS)


def test_csv_has_one_row_per_indicator_and_year_with_the_demo_figures(client, demo):
    rows = csv_rows(client)
    assert len(rows) == 6
    drugs = rows[0]
    assert drugs["area_slug"] == "eskilstuna"
    assert drugs["municipality_codes"] == "0484"  # leading zero kept: text, not a number
    assert (drugs["year"], drugs["rule"], drugs["baseline"], drugs["outcome"]) == (
        "2021",
        "increase",
        "2014",
        "2483",
    )
    assert (drugs["change"], drugs["change_percent"], drugs["status"]) == ("469", "23.3", "met")
    assert rows[1]["progress_percent"] == "52"
    assert rows[5]["override"] == "not_carried_out"
    assert rows[5]["outcome"] == ""


def test_json_holds_the_same_rows_with_numbers_as_numbers(client, demo):
    data = json.loads(client.get("/oppna-data/utfall.json").content)
    assert data["columns"] == STABLE_COLUMNS
    assert len(data["rows"]) == 6
    assert data["rows"][0]["outcome"] == 2483
    assert data["rows"][0]["municipality_codes"] == "0484"
    assert data["rows"][1]["status"] == "not_met"
    assert data["rows"][5]["outcome"] is None


def test_drafts_never_appear_even_for_the_council(client, django_user_model, demo, build_promise):
    build_promise("utkaststad", commitments=2)  # a draft promise with outcomes
    client.force_login(django_user_model.objects.create_user("r", password="x", is_staff=True))
    assert {row["area_slug"] for row in csv_rows(client)} == {"eskilstuna"}
    YearlyFollowUp.objects.update(state="draft")
    assert csv_rows(client) == []
    assert json.loads(client.get("/oppna-data/utfall.json").content)["rows"] == []
    Promise.objects.update(state="draft")
    assert csv_rows(client) == []


def test_a_hostile_comment_is_neutralised_in_csv(client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(comment="=cmd|' /C calc'!A0")
    rows = csv_rows(client)
    assert rows[4]["comment"] == "'=cmd|' /C calc'!A0"
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


def test_the_open_data_page_documents_the_files(client, db):
    page = client.get("/oppna-data/").text
    assert "/oppna-data/utfall.csv" in page and "progress_percent" in page


def test_a_draft_promise_with_a_published_follow_up_stays_out(client, demo, build_promise):
    draft = build_promise("utkaststad", commitments=1)
    YearlyFollowUp.objects.create(promise=draft, year=2023, state="published")
    assert {row["area_slug"] for row in csv_rows(client)} == {"eskilstuna"}
    assert client.get("/utkaststad/2023-2024/rapport/2023.xlsx").status_code == 404
    assert client.get("/rapport/2023.xlsx").status_code == 404


def test_an_area_over_several_municipalities_lists_their_codes(client, demo):
    area = demo.area
    area.municipalities.set(Municipality.objects.filter(code__in=["1982", "0484", "1962"]))
    codes = {row["municipality_codes"] for row in csv_rows(client)}
    assert codes == {"0484 1962 1982"}


def test_open_data_costs_a_fixed_number_of_queries(client, demo, build_promise):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            csv_rows(client)
        return len(captured)

    one = queries()
    for slug in ("kommun-a", "kommun-b"):
        promise = build_promise(slug, commitments=3)
        promise.area.municipalities.set(Municipality.objects.filter(code="1280"))
        Promise.objects.filter(pk=promise.pk).update(state="published")
        for year in promise.years:
            YearlyFollowUp.objects.create(promise=promise, year=year, state="published")
    assert len({row["area_slug"] for row in csv_rows(client)}) == 3
    assert queries() == one
