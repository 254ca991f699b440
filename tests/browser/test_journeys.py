"""A resident and a council member using the site in a real browser."""

from playwright.sync_api import expect

from promises.models import Area, Promise
from promises.roles import grant


def test_a_resident_goes_from_the_start_page_to_an_indicator(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vad lovade kommunen och polisen – och hur gick det?"
    )
    page.get_by_label("Sök kommun eller område").fill("Eskil")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Eskilstuna kommun").click()
    expect(page.get_by_text("3 av 5 åtaganden uppfyllda 2021")).to_be_visible()
    page.get_by_role("link", name="Eskilstuna kommun 2021").click()
    assert page.url.endswith("/eskilstuna/2021/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medborgarlöfte Eskilstuna 2021")
    expect(page.get_by_role("heading", level=3, name="2. Trafikkontroller")).to_be_visible()
    expect(page.get_by_text("104 av 200 (52 %)")).to_be_visible()
    page.get_by_role("link", name="Upptäckta/anmälda narkotikabrott").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upptäckta/anmälda narkotikabrott")
    expect(page.get_by_role("img", name="Upptäckta/anmälda narkotikabrott")).to_be_visible()
    expect(page.get_by_text("2 014 → 2 483: +469, +23,3 %")).to_be_visible()


def test_the_language_switch_turns_the_page_english_and_back(page):
    page.goto("/eskilstuna/2021/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Who promised")).to_be_visible()
    assert page.url.endswith("/eskilstuna/2021/")
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Vilka lovade")).to_be_visible()


def test_a_draft_is_invisible_logged_out_and_marked_for_the_council(page, django_user_model):
    area = Area.objects.create(name="Västerås stad", slug="vasteras", kind="municipality")
    Promise.objects.create(area=area, start_year=2022, end_year=2022, title="Utkastlöftet")
    member = django_user_model.objects.create_user("radet", password="ett-bra-losen-42")
    grant(member, area, "council_member")

    page.goto("/vasteras/2022/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    page.goto("/loften/")
    expect(page.get_by_text("Västerås")).to_have_count(0)

    page.goto("/admin/login/?next=/vasteras/2022/")
    page.get_by_label("Användarnamn").fill("radet")
    page.get_by_label("Lösenord").fill("ett-bra-losen-42")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utkastlöftet")
    expect(page.get_by_text("Utkast – ej publicerat").first).to_be_visible()


def test_the_print_stylesheet_hides_navigation_and_keeps_the_figures(page):
    page.goto("/eskilstuna/2021/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_text("104 av 200 (52 %)")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto("/eskilstuna/2021/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_promise_page_fits_a_phone_without_sideways_scrolling(phone):
    phone.goto("/eskilstuna/2021/")
    expect(phone.get_by_text("104 av 200 (52 %)")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_problem_report_answers_where_the_phone_reader_pressed_send(phone):
    # The report form lies far down the statement; its answers must not land off screen.
    phone.goto("/tillganglighet/")
    phone.get_by_label("Sida").fill("/eskilstuna/2021/")
    phone.get_by_role("button", name="Skicka rapport").click()
    expect(phone.get_by_text("Detta fält måste fyllas i.")).to_be_in_viewport()
    phone.get_by_label("Beskrivning av problemet").fill("Diagrammet läses inte upp")
    phone.get_by_role("button", name="Skicka rapport").click()
    expect(phone.get_by_text("Tack! Vi har tagit emot din rapport.")).to_be_in_viewport()


def test_a_phone_reader_goes_from_the_overview_to_the_missed_commitment(phone):
    phone.goto("/eskilstuna/2021/")
    row = phone.get_by_role("row", name="2. Trafikkontroller i prioriterade stadsdelar")
    expect(row).to_contain_text("Ej uppfyllt")
    row.get_by_role("link").click()
    assert phone.url.endswith("#atagande-2")
    expect(phone.locator("#atagande-2 h3")).to_be_in_viewport()


def test_a_status_says_how_it_was_reached_on_a_phone_in_plain_text(phone):
    phone.goto("/eskilstuna/2021/")
    explanation = phone.get_by_text("Utfallet 104 st är 52 % av målet, alltså ej uppfyllt.")
    expect(explanation).to_be_visible()
    # Under the badge of the same cell, whose label a phone reader sees as "Status: …".
    cell = phone.locator("td.status-cell", has=explanation)
    expect(cell.locator(".badge")).to_have_text("✗ Ej uppfyllt")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
