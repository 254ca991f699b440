"""The export page in a real browser: "Välj alla" works under the strict Content Security
Policy (no inline handler), and the browser reports no policy violation."""

from playwright.sync_api import expect


def log_in(page, django_user_model, next_url):
    django_user_model.objects.create_superuser("samordnare", password="ett-bra-losen-42")
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("ett-bra-losen-42")
    page.get_by_role("button", name="Logga in").click()


def test_select_all_on_the_export_page_clears_and_checks_every_field(page, django_user_model):
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, django_user_model, "/admin/promises/promise/export/")
    expect(page.get_by_role("heading", name="Exportera")).to_be_visible()
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() >= 5
    select_all = page.locator('input[name="select-all-toggle"]')

    select_all.click()  # every box starts checked: the first click clears them all
    expect(select_all).not_to_be_checked()
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()

    page.get_by_text("Välj alla").click()  # the label works as the box does
    expect(select_all).to_be_checked()
    for index in range(fields.count()):
        expect(fields.nth(index)).to_be_checked()

    violations = [text for text in console if "Content Security Policy" in text]
    assert violations == []
