"""axe-core finds no WCAG 2.0/2.1 A or AA violation on any page type, in either language."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from followup import demo

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PUBLIC_PAGES = [
    "/",
    "/omraden/?q=eskil",
    "/loften/",
    "/loften/?ar=abc",
    "/eskilstuna/",
    "/eskilstuna/2021/",
    "/eskilstuna/2021/indikator/1/",
    "/tillganglighet/",
    "/oppna-data/",
    "/finns-inte/",
]


def violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_pages_have_no_wcag_violations(page, language):
    if language == "en":
        page.goto("/")
        page.get_by_role("button", name="In English").click()
    found = {}
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        if problems := violations(page):
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_council_pages_have_no_wcag_violations(page, django_user_model, language):
    django_user_model.objects.create_user("radet", password="ett-bra-losen-42", is_staff=True)
    page.goto("/admin/login/?next=/radet/")
    page.get_by_label("Användarnamn").fill("radet")
    page.get_by_label("Lösenord").fill("ett-bra-losen-42")
    page.get_by_role("button", name="Logga in").click()
    if language == "en":
        page.get_by_role("button", name="In English").click()
    found = {}
    for url in ["/radet/", "/eskilstuna/2021/"]:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        if problems := violations(page):
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_example_promise_pages_have_no_wcag_violations(page, language):
    """The constructed second demo (followup/demo.py): percentages, tertials, a one-off."""
    example = demo.load()
    if language == "en":
        page.goto("/")
        page.get_by_role("button", name="In English").click()
    found = {}
    for url in [example.area.get_absolute_url(), example.get_absolute_url()]:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        if problems := violations(page):
            found[url] = problems
    assert found == {}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_promise_and_indicator_pages_have_no_wcag_violations_on_a_phone(phone, language):
    """At 390 px every table, the overview at the top included, is a stack of labelled cards,
    each status with its explanation under its badge."""
    example = demo.load()
    if language == "en":
        phone.goto("/")
        phone.get_by_role("button", name="In English").click()
    found = {}
    pages = [("/eskilstuna/2021/", 5), ("/eskilstuna/2021/indikator/1/", 0)]
    for url, commitments in [*pages, (example.get_absolute_url(), 3)]:
        phone.goto(url)
        assert phone.locator("html").get_attribute("lang") == language
        assert phone.locator(".overview-table tbody tr").count() == commitments
        if problems := violations(phone):
            found[url] = problems
    assert found == {}
