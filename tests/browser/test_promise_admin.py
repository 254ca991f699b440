"""A coordinator sets up a promise in the admin, in Chromium: the action buttons leave the
heading readable, and commitments with their indicators are added on the promise's page."""

import os

import pytest
from playwright.sync_api import expect

from promises.models import Indicator, Promise
from promises.roles import grant
from tests.browser.conftest import new_page

PASSWORD = "ett-bra-losen-42"
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to look at the pages


@pytest.fixture
def coordinator(live_demo, django_user_model):
    promise = Promise.objects.get(area__slug="eskilstuna")
    user = django_user_model.objects.create_user("samordnare", password=PASSWORD)
    grant(user, promise.area, "coordinator")
    return promise


def log_in(page, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def overlap(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_action_buttons_leave_the_promises_heading_readable(
    browser, live_demo, coordinator, width
):
    page = new_page(browser, live_demo, width=width)
    log_in(page, f"/admin/promises/promise/{coordinator.pk}/change/")
    expect(page.get_by_role("button", name="Förnya löftet")).to_be_visible()
    headings = [page.locator("#content > h1"), page.locator("#content > h2")]
    buttons = page.locator(".object-tools li")
    assert buttons.count() >= 5  # entry, report, publishing, renewal, history
    for heading in headings:
        box = heading.bounding_box()
        assert box and box["width"] > 0
        for i in range(buttons.count()):
            assert not overlap(box, buttons.nth(i).bounding_box()), (width, i)
    # Nothing of the page runs sideways off the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/promise-admin-{width}.png")
        page.locator(".promise-commitments .djn-inline-form").first.screenshot(
            path=f"{SHOTS}/promise-admin-commitment-{width}.png"
        )
    page.context.close()


def test_a_commitment_with_an_indicator_is_added_on_the_promises_page(
    browser, live_demo, coordinator
):
    page = new_page(browser, live_demo)
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    log_in(page, f"/admin/promises/promise/{coordinator.pk}/change/")
    before = coordinator.commitments.count()

    page.locator("a.djn-add-handler.djn-model-promises-commitment").click()
    new = f"#id_commitments-{before}"  # the demo's five are 0 to 4
    page.locator(f"{new}-order").fill("6")
    page.locator(f"{new}-title").fill("Trygghetsvandringar")
    page.locator(f"{new}-text").fill("Kommunen och polisen gör fyra trygghetsvandringar.")
    parties = page.locator(f'label:has(input[name="commitments-{before}-parties"])')
    parties.filter(has_text="Polismyndigheten").locator("input").check()
    page.locator(f"#commitments-{before}-indicators-group a.djn-add-handler").click()
    page.locator(f"{new}-indicators-0-name").fill("Vandringar")
    page.locator(f"{new}-indicators-0-unit").fill("st")
    page.locator(f"{new}-indicators-0-kind").select_option("count")
    page.locator(f"{new}-indicators-0-rule").select_option("at_least")
    page.locator(f"{new}-indicators-0-target_value").fill("4")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/promise-admin-adding.png", full_page=True)
    page.get_by_role("button", name="Spara", exact=True).click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert coordinator.commitments.count() == before + 1
    walks = Indicator.objects.get(commitment__promise=coordinator, commitment__order=6)
    assert (walks.name, walks.unit, walks.target_value) == ("Vandringar", "st", 4)
    assert walks.commitment.text.startswith("Kommunen och polisen")
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.context.close()
