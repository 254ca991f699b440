"""The yearly report opens in Excel with every figure of the Eskilstuna demo, formatted."""

import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from followup.factories import OutcomeFactory
from followup.models import Outcome, YearlyFollowUp
from promises.factories import IndicatorFactory
from promises.models import Promise
from promises.roles import grant

URL = "/eskilstuna/2021/rapport/2021.xlsx"


def open_workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return open_workbook_bytes(response.content)


def open_workbook_bytes(content):
    return load_workbook(BytesIO(content))


def charts_of(content):
    """The charts' XML, in order: openpyxl reads charts' data but not their series names."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        return [archive.read(name).decode() for name in names]


def series_names(chart_xml):
    return re.findall(r"<c:tx><c:strRef><c:f>([^<]+)</c:f>", chart_xml)


def labelled(sheet):
    """The summary sheet read downward: each label in column A with its value in B."""
    return {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2) if row[0].value}


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
    sheet = book["Sammanfattning"]
    assert sheet["A1"].value == "Uppföljning 2021 av Medborgarlöfte Eskilstuna 2021"
    summary = labelled(sheet)
    assert summary["Område"] == "Eskilstuna kommun"
    assert summary["Period"] == "2021"
    assert summary["Undertecknat den"].date().isoformat() == "2021-03-31"
    signatories = summary["Undertecknare"].split("\n")  # one a line, the cell wrapped
    assert len(signatories) == 2
    assert signatories[0].startswith("Jimmy Jansson (S), kommunstyrelsens ordförande")
    assert summary["Sammanfattning 2021"].startswith("Coronapandemin")
    assert summary["Publicering"] == "Publicerad"
    assert summary["Resultat"] == "3 av 5 åtaganden uppfyllda 2021"
    assert (summary["Uppfyllt"], summary["Ej uppfyllt"], summary["Ej genomfört"]) == (3, 1, 1)
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "portrait"


def test_a_wrapped_summary_gets_a_row_tall_enough_to_print_it(client, demo):
    YearlyFollowUp.objects.update(summary="Ett år av arbete i stadsdelarna. " * 12)
    sheet = open_workbook(client.get(URL))["Sammanfattning"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Sammanfattning 2021"]
    assert row[1].alignment.wrap_text
    assert sheet.row_dimensions[row[1].row].height >= 6 * 12.75  # 396 characters, 6+ lines


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
    assert (drugs["År"], drugs["Utgångsvärde"], drugs["Basår"]) == (2021, 2014, 2020)
    assert drugs["Förändring"] == 469
    assert drugs["Målregel"] == "öka från 2\xa0014 st (2020)"
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
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    header = [cell.value for cell in sheet[1]]

    def cell(row, name):
        return sheet.cell(row=row, column=header.index(name) + 1)

    assert (cell(2, "Utfall").value, cell(2, "Utfall").number_format) == (2483, "#,##0")
    assert cell(2, "År").number_format == cell(2, "Åtagande nr").number_format == "0"
    assert (cell(3, "Andel av målet").value, cell(3, "Andel av målet").number_format) == (
        pytest.approx(0.52),
        "0.0#%",
    )
    assert cell(3, "Status").fill.start_color.rgb.endswith("FFC7CE")
    assert cell(2, "Kommentar").alignment.wrap_text
    assert all(c.font.sz >= 10 for c in sheet[2])
    assert sheet.row_dimensions[3].height >= 4 * 12.75  # the comment's five lines fit


def test_the_commitments_sheet_prints_what_a_reader_needs_and_hides_the_rest(client, demo):
    widths = column_widths(open_workbook(client.get(URL))["Åtaganden"])
    printed = [name for name, width in widths.items() if width]
    assert printed == [
        "Åtagande nr",
        "Åtagande",
        "Indikator",
        "Målregel",
        "Utgångsvärde",
        "Utfall",
        "Förändring",
        "Status",
        "Kommentar",
    ]
    assert sum(widths[name] for name in printed) <= 160  # landscape A4 at 90 % or more
    assert widths["Kommentar"] >= 27 and widths["Åtagande"] >= 20
    assert len(widths) == 22  # every column is there for the import


def test_a_figure_made_of_parts_of_the_year_says_so_on_paper(client, demo):
    """A sum of tertials beside "Ej rapporterat" would read as a contradiction without its
    "summa av T1": the column is printed when a row has parts."""
    Outcome.objects.filter(indicator__commitment__order=4, year=2021).delete()
    posts = demo.commitments.get(order=4).indicators.get()
    OutcomeFactory(indicator=posts, year=2021, part_of_year="t1", value=50)
    sheet = open_workbook(client.get(URL))["Åtaganden"]
    widths = column_widths(sheet)
    assert widths["Utfallet är"] and widths["Kommentar"]
    assert sum(width for width in widths.values() if width) <= 160
    row = next(r for r in rows_of(sheet) if r["Utfall"] == 50)
    assert (row["Utfallet är"], row["Status"]) == ("summa av T1", "Ej rapporterat")


def column_widths(sheet):
    """Each header's column width, None for a hidden column."""
    columns = {}  # a <col> element may cover several columns, from min to max
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            columns[index] = None if dimension.hidden else dimension.width
    return {cell.value: columns[cell.column] for cell in sheet[1]}


def test_the_printed_pages_say_whose_report_and_which_page(client, demo):
    book = open_workbook(client.get(URL))
    for sheet in book:
        assert sheet.page_setup.paperSize == 9
        assert "Eskilstuna kommun" in sheet.oddHeader.left.text
        assert sheet.oddHeader.center.text == "Uppföljning 2021"
        assert sheet.oddFooter.right.text == "Sida &P av &N"
        assert sheet.oddFooter.left.text.startswith("Uppföljning 2021 av Medborgarlöfte")


def test_the_chart_sheet_holds_a_native_bar_chart_of_target_and_outcome(client, demo):
    content = client.get(URL).content
    sheet = open_workbook_bytes(content)["Diagram"]
    assert [cell.value for cell in sheet[1]] == ["Indikator", "Utgångsvärde", "Mål", "Utfall"]
    drugs, controls = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)][:2]
    # "Increase" with no stated amount: the baseline, no target figure
    assert drugs == ["1.1 Upptäckta/anmälda narkotikabrott", 2014, None, 2483]
    assert controls == ["2.1 Trafikkontroller i prioriterade stadsdelar", None, 200, 104]
    (chart,) = charts_of(content)
    assert series_names(chart) == ["Diagram!$B$1", "Diagram!$C$1", "Diagram!$D$1"]
    assert "Mål och utfall: antal" in chart


def test_percentages_are_charted_apart_from_counts_and_stored_as_shares(client, db):
    from followup import demo as second_demo

    example = second_demo.load()
    content = client.get(f"{example.get_absolute_url()}rapport/2025.xlsx").content
    book = open_workbook_bytes(content)
    rows = rows_of(book["Åtaganden"])
    share = next(r for r in rows if r["Indikator"].startswith("Andel som känner sig otrygga"))
    assert share["Utgångsvärde"] == pytest.approx(0.282)
    assert share["Utfall"] == pytest.approx(0.268)
    sheet = book["Åtaganden"]
    header = [cell.value for cell in sheet[1]]
    row = 2 + rows.index(share)
    assert sheet.cell(row=row, column=header.index("Utfall") + 1).number_format == "0.0#%"
    plan = next(r for r in rows if r["Indikator"].startswith("Handlingsplanen"))
    plan_row = 2 + rows.index(plan)
    outcome = sheet.cell(row=plan_row, column=header.index("Utfall") + 1)
    assert (outcome.value, outcome.number_format) == (1, '"ja";"ja";"nej"')
    counts, percent = charts_of(content)
    assert "Mål och utfall: antal" in counts and "Mål och utfall: andel" in percent
    # a decrease with no stated amount: baseline and outcome, no target in the legend
    assert series_names(percent) == ["Diagram!$B$1", "Diagram!$D$1"]
    assert 'formatCode="0.0#%"' in percent  # the data labels: 26,8 %


def test_the_charts_stand_one_below_the_other_without_overlapping(client, db):
    from followup import demo as second_demo

    example = second_demo.load()
    commitment = example.commitments.order_by("order").first()
    for order in range(11, 15):  # more bars make a taller first chart
        indicator = IndicatorFactory(commitment=commitment, order=order, name=f"Kontroller {order}")
        OutcomeFactory(indicator=indicator, year=2025, value=100 + order)
    content = client.get(f"{example.get_absolute_url()}rapport/2025.xlsx").content
    with zipfile.ZipFile(BytesIO(content)) as archive:
        (drawing,) = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
        xml = archive.read(drawing).decode()
    rows = [
        (int(first), int(last))
        for first, last in re.findall(
            r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>.*?<xdr:to>.*?<xdr:row>(\d+)</xdr:row>",
            xml,
            re.S,
        )
    ]
    assert len(rows) == 2
    (_, counts_end), (percent_start, _) = rows
    assert counts_end < percent_start


def test_the_workbook_speaks_english_when_the_visitor_chose_english(client, demo):
    client.cookies["django_language"] = "en"
    book = open_workbook(client.get(URL))
    assert book.sheetnames == ["Summary", "Commitments", "Chart"]
    assert "Outcome" in [cell.value for cell in book["Commitments"][1]]
    assert "Met" in [cell.value for cell in book["Commitments"]["R"]]
    assert book["Commitments"].oddFooter.right.text == "Page &P of &N"
    assert book["Summary"]["A3"].value == "Area"


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
    assert summary[0]["Sammanfattning 2021"].startswith("Coronapandemin")
    assert (summary[0]["Uppfyllt"], summary[0]["Ej genomfört"]) == (3, 1)
    assert "Alla områden" in book["Sammanfattning"].oddHeader.left.text
    assert book["Sammanfattning"].page_setup.orientation == "landscape"
    areas = {row["Område"] for row in rows_of(book["Åtaganden"])}
    assert hidden.area.name not in areas
    assert len(rows_of(book["Åtaganden"])) == 6 + 4
    widths = column_widths(book["Åtaganden"])
    assert widths["Område"]  # printed: the rows of many areas read alike
    assert sum(width for width in widths.values() if width) <= 160
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
    response = client.get(URL)
    assert (
        'filename="medborgarlofte-eskilstuna-2021-utkast.xlsx"' in response["Content-Disposition"]
    )
    national = client.get("/rapport/2021.xlsx")
    assert 'filename="medborgarloften-2021-utkast.xlsx"' in national["Content-Disposition"]
    book = open_workbook(response)
    assert book.properties.title.startswith("UTKAST – ")
    assert book["Sammanfattning"]["A1"].value.startswith("UTKAST – ")
    assert labelled(book["Sammanfattning"])["Publicering"] == "Utkast – ej publicerat"
    assert "UTKAST" in book["Åtaganden"].oddHeader.right.text


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


def test_a_hostile_summary_or_signatory_cannot_run_as_a_formula(client, demo):
    YearlyFollowUp.objects.update(summary="=cmd|' /C calc'!A0")
    demo.signatories.update(name="@SUM(1+1)")
    sheet = open_workbook(client.get(URL))["Sammanfattning"]
    summary = labelled(sheet)
    assert summary["Sammanfattning 2021"] == "'=cmd|' /C calc'!A0"
    assert summary["Undertecknare"].startswith("'@SUM(1+1)")


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


def test_a_very_long_comment_gets_no_taller_row_than_excel_allows(client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(comment="Lång kommentar. " * 200)
    sheet = open_workbook(client.get(URL))["Åtaganden"]
    heights = [dimension.height for dimension in sheet.row_dimensions.values() if dimension.height]
    assert 400 < max(heights) <= 409  # Excel's tallest row; the text is whole in the cell
    assert "Lång kommentar. " * 200 in [row["Kommentar"] for row in rows_of(sheet)]
