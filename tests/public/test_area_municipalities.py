"""Areas name the municipalities they cover, and are found by them on /omraden/."""

import pytest

from followup.models import YearlyFollowUp
from promises.models import Area, Municipality, Promise

FAGERSTA_AREA = "Fagersta (1982), Norberg (1962), Skinnskatteberg (1904)"


def publish(promise):
    Promise.objects.filter(pk=promise.pk).update(state="published")
    for year in promise.years:
        YearlyFollowUp.objects.get_or_create(promise=promise, year=year, state="published")
    return promise


def cover(area, *codes, kind=None):
    if kind:
        Area.objects.filter(pk=area.pk).update(kind=kind)
    area.municipalities.set(Municipality.objects.filter(code__in=codes))
    return area


@pytest.fixture
def police_area(build_promise):
    """A published promise of a local police area over Fagersta, Norberg and Skinnskatteberg."""
    promise = publish(build_promise("lpo-fagersta", commitments=1))
    cover(promise.area, "1982", "1962", "1904", kind=Area.Kind.POLICE_AREA)
    return promise


def test_the_area_page_names_the_municipalities_with_their_codes(client, police_area):
    page = client.get(police_area.area.get_absolute_url()).text
    assert f"Omfattar {FAGERSTA_AREA}" in page


def test_the_promise_page_names_the_municipalities(client, police_area):
    assert f"Omfattar {FAGERSTA_AREA}" in client.get(police_area.get_absolute_url()).text


def test_the_demo_pages_name_eskilstuna_with_its_code(client, demo):
    assert "Kommun: Eskilstuna (0484)" in client.get("/eskilstuna/").text
    assert "Kommun: Eskilstuna (0484)" in client.get("/eskilstuna/2021/").text
    assert "Kommun: Eskilstuna (0484)" in client.get("/omraden/").text


def test_a_district_page_says_which_municipality_it_is_in(client, build_promise):
    promise = publish(build_promise("torshalla"))
    cover(promise.area, "0484", kind=Area.Kind.DISTRICT)
    assert "Stadsdel i Eskilstuna (0484)" in client.get("/torshalla/").text


@pytest.mark.parametrize("query", ["Norberg", "norberg", "SKINNSKATTEBERG", "1962", "Fagersta"])
def test_the_area_search_finds_a_police_area_by_any_covered_municipality(
    client, police_area, query
):
    page = client.get("/omraden/", {"q": query}).text
    assert "1 område matchar" in page
    assert "Lpo-Fagersta" in page and FAGERSTA_AREA in page


def test_the_area_search_finds_eskilstuna_s_areas_by_its_code(client, demo, build_promise):
    district = publish(build_promise("centrum"))
    cover(district.area, "0484", kind=Area.Kind.DISTRICT)
    page = client.get("/omraden/", {"q": "0484"}).text
    assert "2 områden matchar" in page
    assert "Eskilstuna kommun" in page and "Centrum" in page


def test_an_area_matching_by_several_municipalities_is_listed_once(client, police_area):
    page = client.get("/omraden/", {"q": "berg"}).text  # Norberg and Skinnskatteberg
    assert "1 område matchar" in page
    assert page.count('href="/lpo-fagersta/"') == 1


def test_the_search_does_not_find_an_uncovered_municipality_or_part_of_a_code(client, police_area):
    assert "Inga områden hittades." in client.get("/omraden/", {"q": "Kiruna"}).text
    assert "Inga områden hittades." in client.get("/omraden/", {"q": "196"}).text


def test_a_draft_area_is_not_found_by_its_municipality(client, build_promise):
    draft = build_promise("hemlig")  # never published
    cover(draft.area, "2584")
    assert "Inga områden hittades." in client.get("/omraden/", {"q": "Kiruna"}).text


def test_the_area_list_costs_the_same_for_many_areas_and_municipalities(
    client, police_area, build_promise, django_assert_num_queries
):
    for number, codes in enumerate([("0180",), ("1280", "1281"), ("1480", "1481", "1482")]):
        cover(publish(build_promise(f"kommun-{number}")).area, *codes)
    for query in ("", "berg", "1280"):
        with django_assert_num_queries(2):  # the areas, and the municipalities they cover
            assert client.get("/omraden/", {"q": query}).status_code == 200


def test_the_area_page_names_the_municipalities_in_english_too(client, police_area):
    client.cookies["django_language"] = "en"
    page = client.get(police_area.area.get_absolute_url()).text
    assert f"Covers {FAGERSTA_AREA}" in page
