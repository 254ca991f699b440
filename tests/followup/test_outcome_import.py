"""Outcomes from a spreadsheet: the yearly report filled in and read back, all or nothing."""

import os
import re
import time
import tracemalloc
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from followup.models import Correction, Outcome
from followup.spreadsheet_cells import MAX_ROWS, CommitmentSheetXLSX
from promises.models import Indicator

IMPORT_URL = reverse("admin:followup_outcome_import")
CONFIRM_URL = reverse("admin:followup_outcome_process_import")
HEADER = ["Område", "Period", "År", "Åtagande nr", "Indikator nr", "Utfall", "Kommentar"]


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    """Each test's uploads in a folder of its own, which the tests below look into."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


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


def test_more_than_five_thousand_rows_are_refused(admin_client, survey):
    rows = [["Vasteras", "2023–2024", 2023, 1, 1, 1, ""]] * 5_001
    response = upload(admin_client, xlsx(rows))
    assert "Filen har fler än 5\u00a0000 rader" in response.text
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


def test_an_exported_file_and_its_sheet_are_named_in_swedish(admin_client, demo):
    url = reverse("admin:followup_outcome_export")
    response = admin_client.post(
        url, {"format": "0", "resource": "0", "outcomeresource_outcome": "on"}
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="utfall-{today}.xlsx"'
    assert load_workbook(BytesIO(response.content)).active.title == "Utfall"
    url = reverse("admin:followup_yearlyfollowup_export")
    response = admin_client.post(
        url, {"format": "1", "resource": "0", "yearlyfollowupresource_year": "on"}
    )
    assert f'filename="arsuppfoljningar-{today}.csv"' in response["Content-Disposition"]


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


# Limits: what a file declares is not what the import reads.


def with_declared_size(content, ref):
    """The xlsx `content` with its sheet's <dimension> rewritten to `ref` (e.g. A1:XFD20001)."""
    source, output = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data
                )
                assert count == 1
            target.writestr(info, data)
    return output.getvalue()


def test_a_sheet_declaring_16384_columns_is_read_as_its_seven_in_little_memory():
    rows = [["Vasteras", "2023–2024", 2023, 1, 1, n, ""] for n in range(4_000)]
    crafted = with_declared_size(xlsx(rows), "A1:XFD4001")
    tracemalloc.start()
    try:
        dataset = CommitmentSheetXLSX().create_dataset(crafted)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert dataset.headers == HEADER
    assert {len(row) for row in dataset} == {7}
    assert len(dataset) == 4_000 and dataset[-1][5] == 3_999
    # Read as declared, these rows took about 500 MB; read as they are, a few MB.
    assert peak < 50 * 2**20


def with_part(content, name, rewrite):
    """The xlsx `content` with its part `name` rewritten by `rewrite` (bytes to bytes)."""
    source, output = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, rewrite(data) if info.filename == name else data)
    return output.getvalue()


def test_a_file_declaring_millions_of_styles_is_refused_before_they_are_read(admin_client, survey):
    def two_million_styles(styles):
        many = b"<xf/>" * 2_000_000
        return re.sub(rb"<cellXfs[^>]*>.*?</cellXfs>", b"<cellXfs>" + many + b"</cellXfs>", styles)

    crafted = with_part(xlsx([row(5)]), "xl/styles.xml", two_million_styles)
    assert len(crafted) < 100 * 2**10  # a small upload
    response = upload(admin_client, crafted)
    assert "Filen har ovanligt många formatmallar (över 512 kB)" in response.text
    assert "confirm_form" not in response.context


def test_a_row_numbered_ten_million_is_refused_without_reading_the_empty_rows_before_it(
    admin_client, survey
):
    def far_row(sheet):
        # Read row by row, the ten million empty rows before it took 4 s (two billion: minutes).
        last = b'<row r="10000000"><c r="A10000000" t="inlineStr"><is><t>x</t></is></c></row>'
        return sheet.replace(b"</sheetData>", last + b"</sheetData>")

    crafted = with_part(xlsx([row(5)]), "xl/worksheets/sheet1.xml", far_row)
    response = upload(admin_client, crafted)
    assert "Filen har fler än 5\u00a0000 rader" in response.text
    assert "confirm_form" not in response.context


def test_a_file_declaring_16384_columns_imports_as_an_ordinary_one(admin_client, survey):
    crafted = with_declared_size(xlsx([row(7), row(8, year=2024)]), "A1:XFD3")
    preview = upload(admin_client, crafted)
    assert preview.context["preview"].headers[:6] == HEADER[:5] + ["Del av året"]
    confirm(admin_client, preview)
    imported = Outcome.objects.filter(indicator__order=1).order_by("year")
    assert [o.value for o in imported] == [7, 8]


def test_a_file_too_long_is_refused_without_being_read_to_its_end(admin_client, survey):
    """Past the limit comes a cell longer than the csv module reads: reading it would have
    failed the file as unreadable instead."""
    rows = "Vasteras,2023-2024,2023,1,1,1\n" * (MAX_ROWS + 1)
    content = "Area,Period,Year,Commitment no.,Indicator no.,Outcome\n" + rows
    content += '"' + "x" * 200_000 + '"\n'
    response = upload(admin_client, content.encode(), name="lang.csv", format_index=1)
    assert "Filen har fler än 5\u00a0000 rader" in response.text
    assert "confirm_form" not in response.context


def test_a_csv_reads_only_the_columns_with_a_header(admin_client, survey):
    content = "Area,Period,Year,Commitment no.,Indicator no.,Outcome\n"
    content += "Vasteras,2023-2024,2023,1,1,12" + ",x" * 5000 + "\n"
    preview = upload(admin_client, content.encode(), name="outcomes.csv", format_index=1)
    confirm(admin_client, preview)
    assert Outcome.objects.get(indicator__order=1, year=2023).value == 12


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_csv_saved_by_swedish_excel_is_read_with_its_letters_and_decimal_commas(
    admin_client, survey, encoding
):
    # What Swedish Excel's "CSV (semikolonavgränsad)" saves: semicolons, decimal commas.
    content = "Område;Period;År;Åtagande nr;Indikator nr;Utfall;Kommentar\r\n"
    content += "Vasteras;2023–2024;2023;1;3;61,5;Fler kontroller i Bäckby än väntat\r\n"
    preview = upload(admin_client, content.encode(encoding), name="utfall.csv", format_index=1)
    assert "Fler kontroller i Bäckby än väntat" in preview.text
    confirm(admin_client, preview)
    outcome = Outcome.objects.get(indicator__order=3, year=2023)
    assert (outcome.value, outcome.comment) == (
        Decimal("61.5"),
        "Fler kontroller i Bäckby än väntat",
    )


# A percent-formatted cell as Swedish Excel saves it in a csv: the percentage shown, with or
# without a space before the sign (a no-break one, or a narrow no-break one); thousands
# grouped with a no-break space.
EXCEL_CELLS = [
    ("61,5 %", "61.5", "cp1252"),
    ("61,5%", "61.5", "cp1252"),
    ("61,5\u00a0%", "61.5", "cp1252"),
    ("61,5\u202f%", "61.5", "utf-8-sig"),  # not in Windows-1252: saved as UTF-8
    ("2\u00a0483", "2483", "cp1252"),
    ("2\u202f483", "2483", "utf-8-sig"),
]


@pytest.mark.parametrize(("cell", "value", "encoding"), EXCEL_CELLS)
def test_a_percent_or_grouped_cell_saved_by_swedish_excel_is_read_as_shown(
    admin_client, survey, cell, value, encoding
):
    indicator = 3 if "%" in cell else 1  # the percent indicator, or a count
    content = "Område;Period;År;Åtagande nr;Indikator nr;Utfall\r\n"
    content += f"Vasteras;2023–2024;2023;1;{indicator};{cell}\r\n"
    preview = upload(admin_client, content.encode(encoding), name="utfall.csv", format_index=1)
    assert "confirm_form" in preview.context, preview.text
    confirm(admin_client, preview)
    outcome = Outcome.objects.get(indicator__order=indicator, year=2023)
    assert outcome.value == Decimal(value)  # 61.5, the percentage shown, not the share 0.615


def test_a_csv_with_a_cell_over_131072_characters_is_refused(admin_client, survey):
    content = "Area,Period,Year,Commitment no.,Indicator no.,Outcome,Comment\n"
    content += 'Vasteras,2023-2024,2023,1,1,12,"' + "x" * 200_000 + '"\n'
    response = upload(admin_client, content.encode(), name="outcomes.csv", format_index=1)
    assert "en cell är längre än 131 072 tecken" in response.text
    assert "confirm_form" not in response.context


def test_a_file_over_five_megabytes_is_refused_before_it_is_read(admin_client, survey):
    response = upload(admin_client, b"x" * (5 * 2**20 + 1))
    assert "Filen är större än 5 MB." in response.text
    assert "confirm_form" not in response.context


def test_an_xlsx_that_unpacks_to_more_than_twelve_megabytes_is_refused(admin_client, survey):
    output = BytesIO()
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as archive:
        for name in zipfile.ZipFile(BytesIO(xlsx([row(5)]))).namelist():
            archive.writestr(name, zipfile.ZipFile(BytesIO(xlsx([row(5)]))).read(name))
        archive.writestr("xl/padding.bin", b"\0" * (13 * 2**20))
    assert len(output.getvalue()) < 2**20
    response = upload(admin_client, output.getvalue())
    assert "Filen är för stor för att läsas in (uppackad över 12 MB)." in response.text
    assert "confirm_form" not in response.context


# The uploaded file on the server: removed however the import ends.


def kept_uploads(folder):
    """The uploads still holding a file's content (a done import leaves an empty mark)."""
    return sorted(p.name for p in folder.iterdir() if p.stat().st_size) if folder.exists() else []


def test_a_refused_import_leaves_no_file_behind(admin_client, survey, upload_folder):
    upload(admin_client, xlsx([row("många")]))
    upload(admin_client, b"%PDF-1.4 not a spreadsheet", name="rapport.xlsx")
    assert kept_uploads(upload_folder) == []


def test_a_confirmed_import_leaves_no_file_behind(admin_client, survey, upload_folder):
    preview = upload(admin_client, xlsx([row(5)]))
    assert len(kept_uploads(upload_folder)) == 1  # waiting for the confirmation
    confirm(admin_client, preview)
    assert kept_uploads(upload_folder) == []


def test_an_abandoned_upload_is_swept_at_a_later_upload(admin_client, survey, upload_folder):
    abandoned = upload(admin_client, xlsx([row(5)])).context["confirm_form"].initial
    recent = upload(admin_client, xlsx([row(6)])).context["confirm_form"].initial
    other = upload_folder / "notes.txt"  # not the import's: never touched
    other.write_text("x")
    thirteen_hours_ago = time.time() - 13 * 3600
    for path in (upload_folder / abandoned["import_file_name"], other):
        os.utime(path, (thirteen_hours_ago, thirteen_hours_ago))
    upload(admin_client, xlsx([row("många")]))
    assert kept_uploads(upload_folder) == sorted([recent["import_file_name"], "notes.txt"])
    response = admin_client.post(CONFIRM_URL, abandoned, follow=True)
    assert "den inlästa filen finns inte längre (den sparas i 12 timmar)" in response.text


# The confirmation: never a server error, never a path.


def test_confirming_twice_imports_once_and_says_so(admin_client, survey):
    preview = upload(admin_client, xlsx([row(5)]))
    confirm(admin_client, preview)
    history = Outcome.history.count()
    again = confirm(admin_client, preview)
    assert again.redirect_chain == [(reverse("admin:followup_outcome_changelist"), 302)]
    assert "Den här importen är redan bekräftad; den görs inte en gång till." in again.text
    assert Outcome.history.count() == history


HOSTILE_CONFIRMATIONS = [
    ("unknown name", {"import_file_name": "0" * 32}),
    ("path", {"import_file_name": "../../../../etc/passwd"}),
    ("absolute path", {"import_file_name": "/etc/passwd"}),
    ("no name", {"import_file_name": ""}),
    ("format out of range", {"format": "7"}),
    ("format not a number", {"format": "xlsx"}),
    ("resource out of range", {"resource": "3"}),
]


@pytest.mark.parametrize(
    ("case", "changed"), HOSTILE_CONFIRMATIONS, ids=[c[0] for c in HOSTILE_CONFIRMATIONS]
)
def test_a_tampered_confirmation_is_refused_in_swedish(admin_client, survey, case, changed):
    form = upload(admin_client, xlsx([row(5)])).context["confirm_form"].initial
    before = outcome_values()
    response = admin_client.post(CONFIRM_URL, {**form, **changed}, follow=True)
    assert response.redirect_chain == [(IMPORT_URL, 302)]
    assert "Importen kunde inte bekräftas: den inlästa filen finns inte längre" in response.text
    assert outcome_values() == before


def test_the_preview_shows_no_server_path(admin_client, survey, upload_folder):
    preview = upload(admin_client, xlsx([row(5)]))
    name = re.search(r'name="import_file_name" value="([^"]*)"', preview.text).group(1)
    assert re.fullmatch(r"[0-9a-f]{32}", name)
    assert (upload_folder / name).exists()
    assert str(Path(upload_folder).parent) not in preview.text
    assert "/tmp" not in preview.text


def test_the_open_data_for_swedish_excel_imports_back_unchanged(admin_client, demo):
    """The Excel variant of the open data, downloaded and read back by the import: every row is
    found, nothing is created or changed, not even a defused comment or a decimal figure."""
    Outcome.objects.filter(indicator__commitment__order=4).update(
        value=Decimal("136.5"), comment="=1+2 inlägg\npå två rader"
    )
    before, history = outcome_values(), Outcome.history.count()
    content = admin_client.get("/oppna-data/utfall-excel.csv").content
    assert b";136,5;" in content and b"'=1+2" in content

    preview = upload(admin_client, content, name="medborgarloften-utfall-excel.csv", format_index=1)
    assert "confirm_form" in preview.context, preview.text
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["error"]) == (0, 0, 0)
    assert result.totals["skip"] == 6
    confirm(admin_client, preview)
    assert outcome_values() == before
    assert Outcome.history.count() == history
    posts = Outcome.objects.get(indicator__commitment__order=4)
    assert posts.comment == "=1+2 inlägg\npå två rader"


def test_the_admins_csv_export_of_outcomes_imports_back_unchanged(admin_client, demo):
    Outcome.objects.filter(indicator__commitment__order=4).update(value=Decimal("28.2"))
    before = outcome_values()
    fields = ["area", "period", "year", "commitment_number", "indicator_number", "part_of_year"]
    fields += ["indicator", "outcome", "comment", "override", "override_reason"]
    exported = admin_client.post(
        reverse("admin:followup_outcome_export"),
        {"format": "1", "resource": "0", **{f"outcomeresource_{f}": "on" for f in fields}},
    ).content
    assert exported.startswith(b"\xef\xbb\xbf") and b";28,2;" in exported
    preview = upload(admin_client, exported, name="utfall.csv", format_index=1)
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 6)
    confirm(admin_client, preview)
    assert outcome_values() == before


def test_a_percent_formatted_cell_is_read_as_the_percentage_it_shows(admin_client, survey):
    """Typing "61,5 %" in Swedish Excel stores the share 0.615 formatted as a percentage; the
    yearly report writes percentages so too. The import reads what the cell shows."""
    book = load_workbook(BytesIO(xlsx([row(0.615, indicator=3), row(5, year=2024)])))
    sheet = book["Åtaganden"]
    sheet["F2"].number_format = "0.0%"
    sheet["F3"].number_format = '0.0" %"'  # a per cent sign as text: the number is as it is
    output = BytesIO()
    book.save(output)
    preview = upload(admin_client, output.getvalue())
    assert "confirm_form" in preview.context, preview.text
    confirm(admin_client, preview)
    assert Outcome.objects.get(indicator__order=3, year=2023).value == Decimal("61.5")
    assert Outcome.objects.get(indicator__order=1, year=2024).value == 5


@pytest.mark.parametrize("figure", ["37.2", "0.7", "8.2", "57.35"])
def test_percentages_of_the_yearly_report_import_back_unchanged(admin_client, db, figure):
    """Shares written from decimals read back as the same percentages: 37,2 % is not
    37,20000000000001 % (a float's noise) and 57,35 % is not rounded to 57,4 %."""
    from followup import demo as second_demo

    example = second_demo.load()
    Outcome.objects.filter(indicator__kind="percent").update(value=Decimal(figure))
    before = outcome_values()
    years = example.followups.values_list("year", flat=True)
    for year in years:
        report = admin_client.get(f"{example.get_absolute_url()}rapport/{year}.xlsx").content
        preview = upload(admin_client, report)
        assert "confirm_form" in preview.context, preview.text
        totals = preview.context["result"].totals
        assert (totals["new"], totals["update"], totals["invalid"]) == (0, 0, 0)
    assert outcome_values() == before
