"""The import's preview page: rows under the workbook's Swedish column names, an unchanged row
plain, a change as old → new, and each refused row's errors in words by its spreadsheet row."""

import re
from decimal import Decimal

import pytest
from django.utils.html import strip_tags

from followup.models import Outcome
from tests.followup.test_outcome_import import IMPORT_URL, confirm, upload, upload_folder, xlsx

__all__ = ["upload_folder"]  # its uploads in a folder of its own, as there

HEADER = ["Område", "Period", "År", "Åtagande nr", "Indikator nr", "Utfall", "Kommentar"]
SWEDISH_COLUMNS = [
    "Rad", "Ändring", "Område", "Period", "År", "Åtagande nr", "Indikator nr", "Del av året",
    "Indikator", "Utfall", "Kommentar", "Ändrad bedömning", "Motivering",
]  # fmt: skip


@pytest.fixture
def vasteras(build_promise):
    """Västerås 2023–2024: indicator 1.1 (a count, 10 in each year), 1.3 a percentage and 1.4
    a one-off action (yes/no), both without outcomes."""
    promise = build_promise("vasteras", commitments=1)
    commitment = promise.commitments.get()
    commitment.indicators.create(
        order=3, name="Trygga", kind="percent", rule="at_least", target_value=60
    )
    commitment.indicators.create(order=4, name="Handlingsplan", kind="yes_no", rule="done")
    return promise


def line(indicator, year, value, comment=None):
    return ["Vasteras", "2023–2024", year, 1, indicator, value, comment]


def table(page):
    """The preview table: (row class, [cell texts]) per row, as a reader sees them."""
    body = page.split('<table class="import-preview">', 1)[1].split("</table>", 1)[0]
    headers = [strip_tags(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", body, re.S)]
    rows = [
        (kind, [strip_tags(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
        for kind, row in re.findall(r'<tr class="(\w+)">(.*?)</tr>', body, re.S)
    ]
    return headers, rows


def errors(page):
    if 'class="import-errors"' not in page:
        return []
    listed = page.split('class="import-errors"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    return [" ".join(strip_tags(item).split()) for item in items]


WORKBOOK = [
    line(1, 2023, 10),  # sheet row 2: as it is
    line(1, 2024, 20, "Fler kontroller"),  # row 3: changed
    [None] * 7,  # row 4: left empty
    line(3, 2023, "många"),  # row 5: not a figure
]


def test_the_preview_lists_each_error_by_spreadsheet_row_and_swedish_column(admin_client, vasteras):
    before = sorted(Outcome.objects.values_list("pk", "value", "comment"))
    page = upload(admin_client, xlsx(WORKBOOK)).text
    assert errors(page) == ["Rad 5, kolumn ”Utfall”: ”många” är inte ett tal."]
    assert "Några rader innehåller fel. Inget har sparats." in page
    headers, rows = table(page)
    assert headers == SWEDISH_COLUMNS
    assert rows == [
        ("skip", ["2", "Oförändrad", "Vasteras", "2023–2024", "2023", "1", "1", "Helår",
                  "Kontroller", "10", "", "", ""]),
        ("update", ["3", "Ändras", "Vasteras", "2023–2024", "2024", "1", "1", "Helår",
                    "Kontroller", "10 → 20", "(tom) → Fler kontroller", "", ""]),
        ("invalid", ["5", "Fel", "Vasteras", "2023–2024", "2023", "1", "3", "", "", "många",
                     "", "", ""]),
    ]  # fmt: skip
    shown_text = strip_tags(page)
    assert "None" not in shown_text and "commitment_number" not in shown_text
    assert "<del" not in page
    assert sorted(Outcome.objects.values_list("pk", "value", "comment")) == before


def test_a_file_without_errors_previews_plainly_and_imports(admin_client, vasteras):
    workbook = [row for row in WORKBOOK if row[5] != "många"]
    response = upload(admin_client, xlsx(workbook))
    page = response.text
    assert "confirm_form" in response.context
    assert errors(page) == []
    assert "1 nya" not in page and "0 nya, 1 ändras, 1 oförändrade." in page
    headers, rows = table(page)
    assert headers == SWEDISH_COLUMNS
    unchanged, changed = rows
    assert "→" not in "".join(unchanged[1]) and unchanged[1][9] == "10"
    assert changed[1][9] == "10 → 20"
    confirm(admin_client, response)
    changed_outcome = Outcome.objects.get(indicator__order=1, year=2024)
    assert (changed_outcome.value, changed_outcome.comment) == (20, "Fler kontroller")


def test_the_import_form_names_the_columns_as_the_workbook_does(admin_client, vasteras):
    page = admin_client.get(IMPORT_URL).text
    assert (
        "<code>Område, Period, År, Åtagande nr, Indikator nr, Del av året, Indikator, Utfall, "
        "Kommentar, Ändrad bedömning, Motivering, "
        "Skäl till rättelse (när en publicerad siffra ändras)</code>"
    ) in page
    assert "commitment_number" not in page


def test_a_row_error_without_a_column_names_the_row(admin_client, vasteras):
    page = upload(admin_client, xlsx([line(1, 2024, 20), line(1, 2024, 21)])).text
    assert errors(page) == [
        "Rad 3: Raden upprepar en tidigare rad för samma indikator, år och del av året."
    ]


def test_an_unknown_area_and_a_wrong_indicator_name_point_at_their_columns(admin_client, vasteras):
    header = [*HEADER[:5], "Indikator", "Utfall"]
    rows = [
        ["Kiruna", "2023–2024", 2023, 1, 1, "Kontroller", 5],
        ["Vasteras", "2023–2024", 2023, 1, 1, "Trygga", 5],
    ]
    page = upload(admin_client, xlsx(rows, header=header)).text
    assert errors(page) == [
        "Rad 2, kolumn ”Område”: Okänt område ”Kiruna”.",
        "Rad 3, kolumn ”Indikator”: Indikator 1.1 heter ”Kontroller”, inte ”Trygga”: "
        "kontrollera numren.",
    ]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("Ja", 1), ("nej", 0), ("JA", 1), ("Nej ", 0), (1, 1), (0, 0), ("1", 1), (True, 1)],
)
def test_a_yes_no_outcome_reads_ja_and_nej_as_well_as_1_and_0(admin_client, vasteras, cell, value):
    response = upload(admin_client, xlsx([line(4, 2023, cell)]))
    assert "confirm_form" in response.context, errors(response.text)
    _, rows = table(response.text)
    assert rows[0][1][9] == ("Ja" if value else "Nej")
    confirm(admin_client, response)
    assert Outcome.objects.get(indicator__order=4).value == Decimal(value)


@pytest.mark.parametrize("cell", ["kanske", 2, "0,5"])
def test_anything_else_in_a_yes_no_row_is_refused_in_swedish(admin_client, vasteras, cell):
    response = upload(admin_client, xlsx([line(4, 2023, cell)]))
    assert "confirm_form" not in response.context
    assert errors(response.text) == [
        f"Rad 2, kolumn ”Utfall”: ”{cell}” är inte ja eller nej: skriv Ja, Nej, 1 eller 0."
    ]
    assert not Outcome.objects.filter(indicator__order=4).exists()
