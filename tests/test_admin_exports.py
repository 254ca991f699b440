"""The admin's exports open right in Swedish Excel: a named sheet, numbers as numbers, a csv
with a byte order mark and semicolons, and the export page naming the columns in Swedish."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils.text import capfirst
from openpyxl import load_workbook

from followup.models import Outcome
from tests.test_admin import PROJECT_MODELS, admin_url

XLSX, CSV = "0", "1"
# Columns whose digits are text: kommunkoder keep their leading zero ("0484"), and a promise's
# period is a span of years ("2023–2024"), one year for a one-year promise.
TEXT_WITH_DIGITS = {"Omfattar kommuner", "Kommun", "Period"}


def export(client, model, file_format):
    """The export page, and the file exported with every column ticked."""
    url = admin_url(model, "export")
    page = client.get(url)
    form = page.context["form"]
    columns = {name: field for name, field in form.fields.items() if "resource_" in name}
    response = client.post(
        url, {"format": file_format, "resource": "0", **dict.fromkeys(columns, "on")}
    )
    assert response.status_code == 200
    return page, [str(field.label) for field in columns.values()], response


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_every_xlsx_export_has_a_named_sheet_swedish_headers_and_numbers(admin_client, demo, model):
    page, labels, response = export(admin_client, model, XLSX)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == capfirst(str(model._meta.verbose_name_plural))
    header = [cell.value for cell in sheet[1]]
    # The export page's checkboxes are the file's headers, not code names ("Commitment Number").
    assert labels == header
    for label in labels:
        assert f">{label}</label>" in page.text or f"> {label}</label>" in page.text
    assert sheet.max_row > 1
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(header, row, strict=True):
            if name not in TEXT_WITH_DIGITS and isinstance(cell.value, str):
                assert not re.fullmatch(r"-?\d+([.,]\d+)?", cell.value), (name, cell.value)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_every_csv_export_opens_in_swedish_excel(admin_client, demo, model):
    _page, labels, response = export(admin_client, model, CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8: å, ä, ö
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == labels
    assert len(rows) == model._default_manager.count() + 1


def test_outcome_figures_and_numbers_are_numbers_in_xlsx_and_decimal_commas_in_csv(
    admin_client, demo
):
    Outcome.objects.filter(indicator__commitment__order=4).update(value=Decimal("28.2"))
    _page, _labels, response = export(admin_client, Outcome, XLSX)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    drugs = next(row for row in rows if row["Åtagande nr"].value == 1)
    for name, value in (("År", 2021), ("Åtagande nr", 1), ("Indikator nr", 1), ("Utfall", 2483)):
        assert (drugs[name].value, drugs[name].data_type) == (value, "n"), name
    posts = next(row for row in rows if row["Åtagande nr"].value == 4)
    assert (posts["Utfall"].value, posts["Utfall"].data_type) == (28.2, "n")

    _page, _labels, response = export(admin_client, Outcome, CSV)
    text = response.content.decode("utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    figures = {row["Åtagande nr"]: row["Utfall"] for row in exported}
    assert (figures["1"], figures["4"]) == ("2483", "28,2")  # not "2483.00", not "28.2"
