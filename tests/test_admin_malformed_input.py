"""A malformed id in an admin address or form gives the form back, never a server error."""

import pytest
from django.test import Client

from followup.models import Outcome, YearlyFollowUp
from promises.models import Area

HUGE = "99999999999999999999999"


@pytest.fixture
def admin(admin_client):
    """The administrator, with a client that answers a server error as a 500 page."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_client.user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/followup/outcome/add/?indicator=abc",
        f"/admin/followup/outcome/add/?indicator={HUGE}",
        f"/admin/followup/yearlyfollowup/add/?promise={HUGE}",
        "/admin/promises/commitment/add/?promise=-1",
        "/admin/promises/indicator/add/?commitment=1%20OR%201=1",
        "/admin/promises/area/add/?municipalities=abc,1",
        f"/admin/promises/membership/add/?user={HUGE}&area=%00",
        "/admin/promises/party/add/?municipality=../..",
    ],
)
def test_an_add_page_with_a_malformed_id_in_its_address_shows_the_empty_form(admin, db, url):
    response = admin.get(url)
    assert response.status_code == 200
    assert "<form" in response.text and "Spara" in response.text


@pytest.mark.parametrize("indicator", ["abc", HUGE, "-1"])
def test_an_outcome_posted_with_a_malformed_indicator_is_refused_in_swedish(
    admin, demo, indicator
):
    count = Outcome.objects.count()
    response = admin.post(
        "/admin/followup/outcome/add/",
        {"indicator": indicator, "year": "2021", "part_of_year": "year", "value": "3"},
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert Outcome.objects.count() == count


def test_a_yearly_follow_up_posted_with_a_huge_promise_id_is_refused(admin, demo):
    response = admin.post(
        "/admin/followup/yearlyfollowup/add/", {"promise": HUGE, "year": "2021", "summary": "x"}
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert not YearlyFollowUp.objects.filter(summary="x").exists()


def test_an_area_posted_with_malformed_municipalities_is_refused(admin, db):
    response = admin.post(
        "/admin/promises/area/add/",
        {"name": "Ny", "slug": "ny", "kind": "municipality", "municipalities": ["abc", HUGE]},
    )
    assert response.status_code == 200
    assert "är inte ett giltigt värde" in response.text
    assert not Area.objects.filter(slug="ny").exists()
