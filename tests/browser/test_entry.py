"""The follow-up entry page in a real browser: a refused save marks only the rows in error."""

from decimal import Decimal

from playwright.sync_api import expect

from followup.models import Outcome
from promises.models import Indicator, Promise
from promises.roles import grant


def log_in_as_council_member(page, django_user_model, area):
    member = django_user_model.objects.create_user("radet", password="ett-bra-losen-42")
    grant(member, area, "council_member")
    page.goto("/admin/login/")
    page.get_by_label("Användarnamn").fill("radet")
    page.get_by_label("Lösenord").fill("ett-bra-losen-42")
    page.get_by_role("button", name="Logga in").click()


def test_a_bad_value_beside_untouched_empty_rows_marks_only_its_own_row(page, django_user_model):
    promise = Promise.objects.get(area__slug="eskilstuna")
    commitment = promise.commitments.get(order=3)
    # Three rows nobody will touch, of each kind of input, and one that gets a bad value.
    commitment.indicators.create(name="Plan upprättad", kind="yes_no", rule="done", order=8)
    commitment.indicators.create(
        name="Andel trygga", unit="%", kind="percent", rule="at_least", target_value=60, order=9
    )
    commitment.indicators.create(name="Iakttagelser", kind="text", rule="none", order=10)
    bad = commitment.indicators.create(
        name="Mopedkontroller i centrum", unit="st", kind="count", rule="at_least",
        target_value=6, order=11,
    )  # fmt: skip
    outcomes_before = Outcome.objects.count()
    log_in_as_council_member(page, django_user_model, promise.area)
    page.goto(f"/admin/promises/promise/{promise.pk}/uppfoljning/2021/")

    page.locator(f"#id_indikator-{bad.pk}-value").fill("\u22123")  # a typographic minus
    page.get_by_role("button", name="Spara alla utfall").click()

    marked = page.locator("tr.has-errors")
    expect(marked).to_have_count(1)
    expect(marked).to_have_id(f"indikator-{bad.pk}")
    expect(marked).to_contain_text("Ett utfall kan inte vara negativt.")
    expect(page.get_by_text("Ange ett värde, en kommentar eller en bedömning.")).to_have_count(0)
    message = page.locator(".messagelist .error")
    expect(message).to_contain_text("Inget sparades. Rätta raden och spara igen:")
    link = message.get_by_role("link", name="Åtagande 3: Mopedkontroller i centrum")
    expect(link).to_have_attribute("href", f"#indikator-{bad.pk}")
    assert Outcome.objects.count() == outcomes_before

    # The council member fixes the one marked row; the untouched rows still need nothing.
    page.locator(f"#id_indikator-{bad.pk}-value").fill("3")
    page.get_by_label("Skäl till rättelsen").fill("Mopedkontrollerna i centrum saknades.")
    page.get_by_role("button", name="Spara alla utfall").click()
    expect(page.locator(".messagelist .success")).to_have_text("Sparat: 1 utfall.")
    expect(page.locator("tr.has-errors")).to_have_count(0)
    assert Outcome.objects.count() == outcomes_before + 1
    assert Outcome.objects.get(indicator=bad).value == Decimal(3)
    assert not Outcome.objects.filter(
        indicator__in=Indicator.objects.filter(order__in=[8, 9, 10], commitment=commitment)
    ).exists()


def test_a_council_member_withdraws_a_figure_after_confirming(page, django_user_model):
    promise = Promise.objects.get(area__slug="eskilstuna")
    indicator = promise.commitments.get(order=3).indicators.get()
    log_in_as_council_member(page, django_user_model, promise.area)
    page.goto(f"/admin/promises/promise/{promise.pk}/uppfoljning/2021/")

    row = page.locator(f"#indikator-{indicator.pk}")
    row.get_by_role("checkbox", name="Ta bort utfallet").check()
    page.get_by_label("Skäl till rättelsen").fill("Kontrollerna var inte mopedkontroller.")
    page.get_by_role("button", name="Spara alla utfall").click()
    expect(page.locator(".messagelist .warning")).to_contain_text("Inget sparades ännu.")
    expect(page.locator(".confirm-withdrawal")).to_contain_text(f"{indicator.name}")
    # Pressing Enter in a field saves as usual, which asks again rather than confirming.
    with page.expect_navigation():
        page.locator("input[type=text][name$='-value']").first.press("Enter")
    expect(page.locator(".messagelist .warning")).to_contain_text("Inget sparades ännu.")
    assert Outcome.objects.filter(indicator=indicator).exists()

    page.get_by_role("button", name="Ja, ta bort och spara").click()
    expect(page.locator(".messagelist .success")).to_have_text("Borttaget: 1 utfall.")
    assert not Outcome.objects.filter(indicator=indicator).exists()
    page.goto("/eskilstuna/2021/")
    expect(page.get_by_text("Kontrollerna var inte mopedkontroller.")).to_be_visible()


def test_the_entry_table_fits_1280_px_with_a_percentage_change_shown(page, django_user_model):
    """The last column ("Bedömning nu", with "28,2 % → 61,5 %: +33,3 procentenheter") is not
    pushed out of sight behind a horizontal scroll at 1 280 px."""
    promise = Promise.objects.get(area__slug="eskilstuna")
    commitment = promise.commitments.get(order=3)
    survey = commitment.indicators.create(
        name="Andel som känner sig otrygga ute sent en kväll", unit="%", kind="percent",
        rule="decrease", baseline_value=Decimal("28.2"), baseline_year=2020, order=8,
    )  # fmt: skip
    Outcome.objects.create(indicator=survey, year=2021, value=Decimal("61.5"))
    log_in_as_council_member(page, django_user_model, promise.area)
    page.goto(f"/admin/promises/promise/{promise.pk}/uppfoljning/2021/")
    expect(page.locator(f"#indikator-{survey.pk}")).to_contain_text("procentenheter")
    overflow = page.evaluate(
        "() => { const wrap = document.querySelector('.followup-table-wrap');"
        " return wrap.scrollWidth - wrap.clientWidth; }"
    )
    assert overflow <= 0
