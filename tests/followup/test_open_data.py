"""Open data: published figures as CSV and JSON with stable columns, never a draft."""

import csv
import io
import json
import re
from decimal import Decimal

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


def excel_rows(client):
    """The Excel variant read as Swedish Excel reads a csv it is given: UTF-8 by its byte order
    mark, cells separated by semicolons."""
    response = client.get("/oppna-data/utfall-excel.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="medborgarloften-utfall-excel.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


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


def test_the_csv_for_programs_is_rfc_4180_utf_8_without_a_byte_order_mark(client, demo):
    content = client.get("/oppna-data/utfall.csv").content
    assert not content.startswith(b"\xef\xbb\xbf")
    lines = content.decode().split("\r\n")
    assert lines[0] == ",".join(STABLE_COLUMNS) and lines[-1] == ""
    assert lines[1].startswith("Eskilstuna kommun,eskilstuna,0484,2021,2021,1,1,")


def test_the_excel_variant_has_the_same_rows_in_swedish_with_decimal_commas(client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(value=Decimal("1234.5"))
    rows, programs = excel_rows(client), csv_rows(client)
    assert len(rows) == len(programs) == 6
    assert list(rows[0])[:7] == [
        "Område", "Kortnamn i adresser", "Kommuner", "Period", "År", "Åtagande nr", "Indikator nr",
    ]  # fmt: skip
    assert len(rows[0]) == len(STABLE_COLUMNS)
    drugs = rows[0]
    assert (drugs["Område"], drugs["Kommuner"], drugs["Status"]) == (
        "Eskilstuna kommun",
        "Eskilstuna (0484)",  # text: a lone 0484 would be read as the number 484
        "Uppfyllt",
    )
    assert (drugs["Utgångsvärde"], drugs["Utfall"], drugs["Förändring i procent"]) == (
        "2014",
        "2483",
        "23,3",
    )
    assert rows[4]["Utfall"] == "1234,5"  # no thousands separator: Excel reads a number
    assert rows[5]["Ändrad bedömning"] == "Ej genomfört"
    # Every figure is one Swedish Excel reads as a number: digits and at most a decimal comma.
    for row, program_row in zip(rows, programs, strict=True):
        for header, column in (("Utfall", "outcome"), ("Förändring i procent", "change_percent")):
            if row[header]:
                assert re.fullmatch(r"-?\d+(,\d+)?", row[header])
                assert Decimal(row[header].replace(",", ".")) == Decimal(program_row[column])


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
    assert {row["Kortnamn i adresser"] for row in excel_rows(client)} == {"eskilstuna"}
    YearlyFollowUp.objects.update(state="draft")
    assert csv_rows(client) == []
    assert excel_rows(client) == []
    assert json.loads(client.get("/oppna-data/utfall.json").content)["rows"] == []
    Promise.objects.update(state="draft")
    assert csv_rows(client) == []


def test_a_hostile_comment_is_neutralised_in_csv(client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(comment="=cmd|' /C calc'!A0")
    rows = csv_rows(client)
    assert rows[4]["comment"] == "'=cmd|' /C calc'!A0"
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
    excel = excel_rows(client)
    assert excel[4]["Kommentar"] == "'=cmd|' /C calc'!A0"
    assert not any(v.startswith(("=", "+", "@")) for row in excel for v in row.values())


def test_a_negative_figure_stays_a_number_in_the_excel_variant(client, demo):
    """A minus before digits is a number, not a formula: it is not defused."""
    Outcome.objects.filter(indicator__commitment__order=1).update(value=Decimal("1990.5"))
    drugs = excel_rows(client)[0]
    assert (drugs["Förändring"], drugs["Förändring i procent"]) == ("-23,5", "-1,2")


def test_the_open_data_page_documents_the_files(client, db):
    page = client.get("/oppna-data/").text
    assert "/oppna-data/utfall.csv" in page and "progress_percent" in page
    assert 'href="/oppna-data/utfall-excel.csv"' in page
    assert "Utfall för Excel (svenska inställningar, semikolon)" in page


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
    def queries(read=csv_rows):
        with CaptureQueriesContext(connection) as captured:
            read(client)
        return len(captured)

    one, one_excel = queries(), queries(excel_rows)
    for slug in ("kommun-a", "kommun-b"):
        promise = build_promise(slug, commitments=3)
        promise.area.municipalities.set(Municipality.objects.filter(code="1280"))
        Promise.objects.filter(pk=promise.pk).update(state="published")
        for year in promise.years:
            YearlyFollowUp.objects.create(promise=promise, year=year, state="published")
    assert len({row["area_slug"] for row in csv_rows(client)}) == 3
    assert queries() == one
    assert queries(excel_rows) == one_excel == one
