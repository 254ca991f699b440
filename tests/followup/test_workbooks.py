"""The yearly report opens in Excel with every figure of the Eskilstuna demo, formatted."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from followup.models import Outcome, YearlyFollowUp
from promises.models import Promise
from promises.roles import grant

URL = "/eskilstuna/2021/rapport/2021.xlsx"


def open_workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def rows_of(sheet):
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


def test_the_promise_workbook_has_summary_commitments_and_chart_sheets(client, demo):
    book = open_workbook(client.get(URL))
    assert book.sheetnames == ["Sammanfattning", "Åtaganden", "Diagram"]
    assert book.properties.title == "Uppföljning 2021 av Medborgarlöfte Eskilstuna 2021"
    assert book.properties.creator == "Medborgarlöften"
    (summary,) = rows_of(book["Sammanfattning"])
    assert summary["Område"] == "Eskilstuna kommun"
    assert summary["Period"] == "2021"
    assert summary["Undertecknat den"].date().isoformat() == "2021-03-31"
    assert "Jimmy Jansson (S), kommunstyrelsens ordförande" in summary["Undertecknare"]
    assert summary["Sammanfattning 2021"].startswith("Coronapandemin")
    assert summary["Publicering"] == "Publicerad"
    assert (summary["Uppfyllt"], summary["Ej uppfyllt"], summary["Ej genomfört"]) == (3, 1, 1)


EXPECTED = [
    # commitment, indicator, outcome, status
    (1, 1, 2483, "Uppfyllt"),
    (2, 1, 104, "Ej uppfyllt"),
    (2, 2, 696, "Inget mål"),
    (3, 1, 5, "Uppfyllt"),
    (4, 1, 136, "Uppfyllt"),
    (5, 1, None, "Ej genomfört"),
]


def test_the_commitments_sheet_holds_every_figure_and_status_of_the_demo(client, demo):
    rows = rows_of(open_workbook(client.get(URL))["Åtaganden"])
    assert [
        (r["Åtagande nr"], r["Indikator nr"], r["Utfall"], r["Status"]) for r in rows
    ] == EXPECTED
    drugs = rows[0]
    assert (drugs["Utgångsvärde"], drugs["Basår"], drugs["Förändring"]) == (2014, 2020, 469)
    assert drugs["Förändring i procent"] == pytest.approx(0.233)
    controls = rows[1]
    assert (controls["Mål"], controls["Andel av målet"]) == (200, pytest.approx(0.52))
    assert "COVID" in controls["Kommentar"]
    assert controls["Ansvariga parter"] == "Polismyndigheten"
    meetings = rows[5]
    assert meetings["Ändrad bedömning"] == "Ej genomfört"
    assert "Torshälla" in meetings["Motivering"]
    assert meetings["Ansvariga parter"] == "Eskilstuna kommun, Polismyndigheten"


def test_the_workbook_is_formatted_for_reading_filtering_and_printing(client, demo):
    sheet = open_workbook(client.get(URL))["Åtaganden"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    header = [cell.value for cell in sheet[1]]
    outcome = sheet.cell(row=2, column=header.index("Utfall") + 1)
    assert outcome.number_format == "#,##0"
    progress = sheet.cell(row=3, column=header.index("Andel av målet") + 1)
    assert progress.number_format == "0.0%"
    status = sheet.cell(row=3, column=header.index("Status") + 1)
    assert status.fill.start_color.rgb.endswith("FFC7CE")
    comment = sheet.cell(row=2, column=header.index("Kommentar") + 1)
    assert comment.alignment.wrap_text
    assert sheet.column_dimensions["G"].width > 20


def test_the_chart_sheet_holds_a_native_bar_chart_of_target_and_outcome(client, demo):
    sheet = open_workbook(client.get(URL))["Diagram"]
    assert len(sheet._charts) == 1
    assert [cell.value for cell in sheet[1]] == ["Indikator", "Mål", "Utfall"]
    assert sheet["A3"].value == "2. Trafikkontroller i prioriterade stadsdelar"
    assert (sheet["B3"].value, sheet["C3"].value) == (200, 104)


def test_the_workbook_speaks_english_when_the_visitor_chose_english(client, demo):
    client.cookies["django_language"] = "en"
    book = open_workbook(client.get(URL))
    assert book.sheetnames == ["Summary", "Commitments", "Chart"]
    assert "Outcome" in [cell.value for cell in book["Commitments"][1]]
    assert "Met" in [cell.value for cell in book["Commitments"]["R"]]


def test_the_yearly_workbook_covers_every_published_promise_of_the_year(
    client, demo, build_promise
):
    other = build_promise("norrkoping", commitments=2, start_year=2021, end_year=2022)
    Promise.objects.filter(pk=other.pk).update(state="published")
    YearlyFollowUp.objects.create(promise=other, year=2021, state="published")
    hidden = build_promise("draftstad", commitments=1, start_year=2021, end_year=2021)
    book = open_workbook(client.get("/rapport/2021.xlsx"))
    summary = rows_of(book["Sammanfattning"])
    assert [row["Område"] for row in summary] == ["Eskilstuna kommun", "Norrkoping"]
    areas = {row["Område"] for row in rows_of(book["Åtaganden"])}
    assert hidden.area.name not in areas
    assert len(rows_of(book["Åtaganden"])) == 6 + 4
    assert "Diagram" not in book.sheetnames


def test_the_public_cannot_download_a_draft_but_the_council_gets_it_marked(
    client, django_user_model, demo
):
    YearlyFollowUp.objects.update(state="draft")
    assert client.get(URL).status_code == 404
    assert client.get("/rapport/2021.xlsx").status_code == 404
    user = django_user_model.objects.create_user("r", password="x", is_staff=True)
    grant(user, demo.area, "council_member")
    client.force_login(user)
    book = open_workbook(client.get(URL))
    assert book.properties.title.startswith("UTKAST – ")
    assert rows_of(book["Sammanfattning"])[0]["Publicering"] == "Utkast – ej publicerat"


def test_the_promise_page_links_to_the_report(client, demo):
    assert URL in client.get("/eskilstuna/2021/").text


def test_a_hostile_comment_cannot_run_as_a_formula(client, demo):
    hostile = '=HYPERLINK("http://evil.example","klicka")'
    Outcome.objects.filter(indicator__order=1, indicator__commitment__order=4).update(
        comment=hostile, status_override="met", override_reason="+1+cmd|' /C calc'!A0"
    )
    sheet = open_workbook(client.get(URL))["Åtaganden"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert "'" + hostile in [c.value for c in cells]


@pytest.mark.parametrize("url", ["/eskilstuna/2021/rapport/2020.xlsx", "/rapport/1999.xlsx"])
def test_a_year_without_a_follow_up_has_no_report(client, demo, url):
    assert client.get(url).status_code == 404


def test_values_are_numbers_not_text(client, demo):
    sheet = open_workbook(client.get(URL))["Åtaganden"]
    assert isinstance(sheet["N2"].value, int | float | Decimal)


def test_the_councils_copy_is_never_kept_in_a_shared_cache(client, django_user_model, demo):
    assert "private" not in client.get(URL).get("Cache-Control", "")
    client.force_login(django_user_model.objects.create_user("r", password="x", is_staff=True))
    assert "private" in client.get(URL)["Cache-Control"]


def test_a_percentage_change_in_the_workbook_carries_its_unit_percentage_points(client, db):
    """ "-1.4" beside the unit "%" reads as a relative change of −1,4 %."""
    from followup import demo as second_demo

    example = second_demo.load()
    url = f"{example.get_absolute_url()}rapport/2025.xlsx"
    sheet = open_workbook(client.get(url))["Åtaganden"]
    header = [cell.value for cell in sheet[1]]
    change = header.index("Förändring")
    formats = {
        row[header.index("Indikator")].value: row[change] for row in sheet.iter_rows(min_row=2)
    }
    share = formats["Andel som känner sig otrygga ute sent en kväll"]
    assert share.value == pytest.approx(-1.4)
    assert '"procentenheter"' in share.number_format
    assert "procentenheter" not in formats["Fotpatruller i kommunernas centrum"].number_format
    column = share.column_letter
    assert sheet.column_dimensions[column].width >= len("-1.4 procentenheter")  # not "###"
