"""The outcome import in a real browser: the preview fits a 1 280 px window; only the wide table
scrolls, inside its own box."""

from io import BytesIO

from openpyxl import Workbook
from playwright.sync_api import expect

HEADER = [
    "Område", "Period", "År", "Åtagande nr", "Indikator nr", "Del av året", "Indikator", "Utfall",
    "Kommentar", "Ändrad bedömning", "Motivering",
]  # fmt: skip
LONG_COMMENT = (
    "Coronapandemin har under 2021 påverkat alla aktiviteter som kräver att människor ses; "
    "kontrollerna gjordes i stället under nationella trafikveckan och i samverkan med kommunen "
    "vid Tunaparken, där problemen med EPA-traktorer varit störst under sommaren."
)


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Åtaganden"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def log_in(page, django_user_model):
    django_user_model.objects.create_superuser("samordnare", password="ett-bra-losen-42")
    page.goto("/admin/login/?next=/admin/followup/outcome/import/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("ett-bra-losen-42")
    page.get_by_role("button", name="Logga in").click()


def upload(page, content):
    page.locator("#id_import_file").set_input_files(
        files=[{"name": "utfall.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator("#id_format").select_option("0")
    page.get_by_role("button", name="Skicka").click()


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_import_preview_fits_1280_px_without_sideways_scrolling(page, django_user_model):
    log_in(page, django_user_model)
    area, period = "Eskilstuna kommun", "2021"
    rows = [
        [area, period, 2021, 2, 1, "Helår", "Trafikkontroller i prioriterade stadsdelar", 104,
         LONG_COMMENT, "", ""],
        [area, period, 2021, 4, 1, "Helår", "Inlägg på Polisen Eskilstunas sociala medier", 136,
         LONG_COMMENT, "Delvis uppfyllt", "Färre inlägg under sommaren än planerat i löftet"],
        [area, period, 2021, 3, 1, "Helår", "", "många", "", "", ""],
    ]  # fmt: skip
    upload(page, workbook(rows))
    expect(page.get_by_text("Rad 4, kolumn ”Utfall”: ”många” är inte ett tal.")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Åtagande nr")).to_be_attached()
    assert page_width(page) <= 1280
    # The table keeps inside the window; what does not fit scrolls in the table's own box.
    region = page.get_by_role("region", name="Filens rader")
    assert region.evaluate("box => box.getBoundingClientRect().right") <= 1280

    # A file without errors: the preview, with the button to confirm, fits as well.
    page.goto("/admin/followup/outcome/import/")
    upload(page, workbook([rows[0], [*rows[1][:9], "", ""]]))
    expect(page.get_by_role("button", name="Bekräfta import")).to_be_visible()
    expect(page.get_by_role("cell", name="Ändras").first).to_be_visible()
    assert page_width(page) <= 1280


def test_the_outcome_column_is_in_sight_at_1280_px_without_scrolling_the_table(
    page, django_user_model
):
    """What an import changes ("104 → 110") is read without scrolling the table sideways: the
    columns before "Utfall" wrap at words, and the long texts come after it."""
    log_in(page, django_user_model)
    area = "Lokalpolisområde Fagersta med en lång exempelrad"
    rows = [
        [area, "2025–2026", 2025, 2, 1, "Tertial 3 (sep–dec)",
         "Fotpatruller i kommunernas centrum under kvällar och helger", 44, LONG_COMMENT, "", ""],
    ]  # fmt: skip
    upload(page, workbook(rows))
    header = page.get_by_role("columnheader", name="Utfall", exact=True)
    expect(header).to_be_attached()
    region = page.get_by_role("region", name="Filens rader")
    right = region.evaluate("box => box.getBoundingClientRect().right")
    assert header.evaluate("th => th.getBoundingClientRect().right") <= right
