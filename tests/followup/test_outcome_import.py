"""Outcomes from a spreadsheet: the yearly report filled in and read back, all or nothing."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from followup.models import Correction, Outcome
from promises.models import Indicator

IMPORT_URL = reverse("admin:followup_outcome_import")
CONFIRM_URL = reverse("admin:followup_outcome_process_import")
HEADER = ["Område", "Period", "År", "Åtagande nr", "Indikator nr", "Utfall", "Kommentar"]


def xlsx(rows, header=HEADER, sheet_title="Åtaganden"):
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, content, name="utfall.xlsx", format_index=0):
    file = SimpleUploadedFile(name, content)
    return client.post(IMPORT_URL, {"import_file": file, "format": format_index})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM_URL, form.initial, follow=True)


def outcome_values():
    return sorted(Outcome.objects.values_list("indicator_id", "year", "part_of_year", "value"))


def test_the_yearly_report_filled_in_imports_back_after_preview_and_confirm(admin_client, demo):
    report = admin_client.get("/eskilstuna/2021/rapport/2021.xlsx").content
    book = load_workbook(BytesIO(report))
    sheet = book["Åtaganden"]
    header = [cell.value for cell in sheet[1]]
    outcome_col = header.index("Utfall") + 1
    comment_col = header.index("Kommentar") + 1
    sheet.cell(row=6, column=outcome_col, value=140)  # social media posts: 136 → 140
    sheet.cell(row=6, column=comment_col, value="Rättad siffra")
    # 2021 is published: changing its figures takes a reason, which becomes a rättelse.
    reason_col = len(header) + 1
    sheet.cell(row=1, column=reason_col, value="Skäl till rättelse")
    sheet.cell(row=6, column=reason_col, value="Dubbelräknade inlägg")
    book.active = 0  # saved with the summary sheet open, as people do
    output = BytesIO()
    book.save(output)

    preview = upload(admin_client, output.getvalue())
    assert preview.status_code == 200
    assert "confirm_form" in preview.context, preview.text
    assert Outcome.objects.get(indicator__commitment__order=4).value == 136  # nothing yet
    response = confirm(admin_client, preview)
    assert response.status_code == 200
    posts = Outcome.objects.get(indicator__commitment__order=4)
    assert (posts.value, posts.comment, posts.entered_by) == (
        140,
        "Rättad siffra",
        admin_client.user,
    )
    assert Outcome.objects.count() == 6
    correction = Correction.objects.get()
    assert correction.change == "Inlägg på Polisen Eskilstunas sociala medier 2021: 136 st → 140 st"
    assert correction.reason == "Dubbelräknade inlägg"
    report_after = load_workbook(
        BytesIO(admin_client.get("/eskilstuna/2021/rapport/2021.xlsx").content)
    )
    assert report_after["Åtaganden"].cell(row=6, column=outcome_col).value == 140

    before = outcome_values()
    again = upload(admin_client, output.getvalue())
    result = again.context["result"]
    assert result.totals["update"] == 0 and result.totals["new"] == 0
    confirm(admin_client, again)
    assert outcome_values() == before


def test_a_new_outcome_is_created_from_a_row(admin_client, build_promise):
    promise = build_promise("vasteras", commitments=1)
    Outcome.objects.filter(year=2024).delete()
    preview = upload(admin_client, xlsx([["Vasteras", "2023–2024", 2024, 1, 1, "187", "Bra år"]]))
    confirm(admin_client, preview)
    created = Outcome.objects.get(year=2024)
    assert (created.value, created.comment, created.indicator.commitment.promise) == (
        Decimal("187"),
        "Bra år",
        promise,
    )


@pytest.fixture
def survey(build_promise):
    """Västerås 2023–2024 with a percent indicator (number 3) beside the counts."""
    promise = build_promise("vasteras", commitments=1)
    commitment = promise.commitments.get()
    commitment.indicators.create(
        order=3, name="Trygga", kind="percent", rule="at_least", target_value=60
    )
    return promise


def row(value, year=2023, indicator=1, area="Vasteras"):
    return [area, "2023–2024", year, 1, indicator, value, ""]


BAD_FILES = [
    ("unknown area", [row(5, area="Kiruna")], "Okänt område ”Kiruna”."),
    ("unknown indicator", [row(5, indicator=9)], "ingen indikator 1.9"),
    ("text in number", [row("många")], "”många” är inte ett tal."),
    ("percent of 140", [row(140, indicator=3)], "En andel i procent ska ligga mellan 0 och 100."),
    ("negative count", [row(-4)], "Ett utfall kan inte vara negativt."),
    ("year outside", [row(4, year=2026)], "Året 2026 ligger utanför löftets period 2023–2024."),
    ("duplicate row", [row(4), row(4)], "Raden upprepar en tidigare rad"),
]


@pytest.mark.parametrize(("case", "rows", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_row_refuses_the_whole_file_with_a_swedish_message(
    admin_client, survey, case, rows, message
):
    good = row(999, year=2024)
    before = outcome_values()
    response = upload(admin_client, xlsx([good, *rows]))
    assert message in response.text
    assert "confirm_form" not in response.context
    assert outcome_values() == before


def test_a_missing_column_is_named(admin_client, survey):
    content = xlsx([["Vasteras", "2023–2024", 2023, 1, 1]], header=HEADER[:5])
    response = upload(admin_client, content)
    assert "Kolumner saknas i filen: ”Utfall”." in response.text
    assert "confirm_form" not in response.context


def test_an_empty_file_and_a_file_that_is_not_a_spreadsheet_are_refused(admin_client, survey):
    before = outcome_values()
    empty = upload(admin_client, xlsx([], header=None))
    assert "Inga giltiga data att läsa in" in empty.text
    not_excel = upload(admin_client, b"%PDF-1.4 not a spreadsheet", name="rapport.xlsx")
    assert "Filen kunde inte läsas" in not_excel.text
    assert outcome_values() == before


def test_fifty_thousand_rows_are_refused(admin_client, survey):
    rows = [["Vasteras", "2023–2024", 2023, 1, 1, 1, ""]] * 50_000
    response = upload(admin_client, xlsx(rows))
    assert "Filen har fler än 20000 rader" in response.text.replace("\u00a0", "")
    assert "confirm_form" not in response.context


def test_a_csv_with_english_headers_imports_too(admin_client, survey):
    content = (
        "Area,Period,Year,Commitment no.,Indicator no.,Outcome\n"
        'Vasteras,2023-2024,2023,1,3,"61,5"\n'
    )
    preview = upload(admin_client, content.encode(), name="outcomes.csv", format_index=1)
    assert "confirm_form" in preview.context, preview.text
    confirm(admin_client, preview)
    assert Outcome.objects.get(indicator__order=3).value == Decimal("61.5")


def test_every_model_exports_with_swedish_headers_and_names(admin_client, demo):
    url = reverse("admin:promises_commitment_export")
    response = admin_client.post(
        url,
        {
            "format": "0",
            "resource": "0",
            **{
                f"commitmentresource_{f}": "on"
                for f in ["promise", "order", "title", "text", "purpose", "theme", "parties"]
            },
        },
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Medborgarlöfte", "Nummer", "Kort namn"]
    assert sheet["A2"].value == "Medborgarlöfte Eskilstuna 2021"
    assert "Polismyndigheten" in [c.value for c in sheet[2]]


def test_export_neutralises_a_hostile_title(admin_client, demo):
    Indicator.objects.filter(pk=1).update(name="=1+2")
    url = reverse("admin:promises_indicator_export")
    response = admin_client.post(
        url, {"format": "1", "resource": "0", "indicatorresource_name": "on"}
    )
    assert "'=1+2" in response.content.decode()


def test_only_those_who_may_enter_outcomes_may_import(client, django_user_model, survey):
    client.force_login(django_user_model.objects.create_user("gast", password="x", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403


def test_a_row_whose_indicator_name_does_not_match_its_number_is_refused(admin_client, survey):
    header = [*HEADER[:5], "Indikator", "Utfall"]
    content = xlsx([["Vasteras", "2023–2024", 2023, 1, 1, "Trygga", 5]], header=header)
    response = upload(admin_client, content)
    assert "Indikator 1.1 heter ”Kontroller”, inte ”Trygga”" in response.text


@pytest.mark.parametrize("value", [True, "NaN", "sNaN", "Infinity"])
def test_values_that_are_not_figures_are_refused(admin_client, survey, value):
    response = upload(admin_client, xlsx([row(value)]))
    assert "är inte ett tal" in response.text
    assert "confirm_form" not in response.context


def test_a_comment_that_looks_like_a_formula_survives_the_round_trip(admin_client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(comment="-5 jämfört med 2020")
    report = admin_client.get("/eskilstuna/2021/rapport/2021.xlsx").content
    confirm(admin_client, upload(admin_client, report))
    assert Outcome.objects.get(indicator__commitment__order=4).comment == "-5 jämfört med 2020"


def test_a_published_figure_changed_without_a_reason_is_refused(admin_client, demo):
    content = xlsx([["Eskilstuna kommun", "2021", 2021, 4, 1, 140, ""]])
    response = upload(admin_client, content)
    assert "Siffran är publicerad: skriv skälet i kolumnen ”Skäl till rättelse”." in response.text
    assert "confirm_form" not in response.context


def test_a_tertial_of_a_published_year_is_corrected_with_a_reason_too(admin_client, demo):
    """The tertials make the published year's figure (their sum) and are shown publicly: a
    changed one is refused without a reason, and with one it is recorded as a correction."""
    posts = Indicator.objects.get(commitment__promise=demo, commitment__order=4)
    Outcome.objects.filter(indicator=posts, year=2021).delete()
    Outcome.objects.create(indicator=posts, year=2021, part_of_year="t3", value=41)
    header = [*HEADER[:5], "Del av året", "Utfall", "Skäl till rättelse"]
    row = ["Eskilstuna kommun", "2021", 2021, 4, 1, "Tertial 3 (sep–dec)", 44]
    response = upload(admin_client, xlsx([[*row, ""]], header=header))
    assert "Siffran är publicerad: skriv skälet i kolumnen ”Skäl till rättelse”." in response.text
    assert "confirm_form" not in response.context
    confirm(admin_client, upload(admin_client, xlsx([[*row, "T3 räknades fel"]], header=header)))
    assert Outcome.objects.get(indicator=posts, part_of_year="t3").value == 44
    correction = Correction.objects.get()
    assert correction.change == (
        "Inlägg på Polisen Eskilstunas sociala medier 2021 T3: 41 st → 44 st"
    )
    assert correction.reason == "T3 räknades fel"


def test_corrections_of_many_published_figures_are_written_at_once(admin_client, demo):
    book = load_workbook(BytesIO(admin_client.get("/eskilstuna/2021/rapport/2021.xlsx").content))
    sheet = book["Åtaganden"]
    header = [cell.value for cell in sheet[1]]
    outcome_col, reason_col = header.index("Utfall") + 1, len(header) + 1
    sheet.cell(row=1, column=reason_col, value="Skäl till rättelse")
    for row in range(2, sheet.max_row + 1):
        if isinstance(sheet.cell(row=row, column=outcome_col).value, int | float):
            sheet.cell(row=row, column=outcome_col, value=1000 + row)
            sheet.cell(row=row, column=reason_col, value="Ny räknemetod")
    output = BytesIO()
    book.save(output)
    preview = upload(admin_client, output.getvalue())
    with CaptureQueriesContext(connection) as queries:
        confirm(admin_client, preview)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "followup_correction"')]
    changed = Outcome.objects.filter(year=2021, value__gte=1000).count()
    assert changed > 1 and Correction.objects.count() == changed
    assert len(inserts) == 1
