"""A malformed id in an admin address or form gives the form back, never a server error."""

import pytest
from django.db import connection
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
def test_an_outcome_posted_with_a_malformed_indicator_is_refused_in_swedish(admin, demo, indicator):
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


def test_a_list_filtered_by_a_malformed_id_shows_the_lists_error_page(admin, demo):
    response = admin.get(f"/admin/followup/outcome/?indicator={HUGE}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")


def test_a_promise_posted_with_forged_row_counts_is_answered_with_the_form(admin, demo):
    # The commitments' indicators are nested in the page: without a cap on the rows a forged
    # count would make millions of forms and run the server out of memory.
    forged = {"TOTAL_FORMS": HUGE, "INITIAL_FORMS": HUGE, "MIN_NUM_FORMS": "0"}
    data = {"area": demo.area_id, "start_year": "2021", "end_year": "2021"}
    for prefix in ("signatories", "commitments", "commitments-0-indicators"):
        data |= {f"{prefix}-{key}": value for key, value in forged.items()}
    response = admin.post(f"/admin/promises/promise/{demo.pk}/change/", data)
    assert response.status_code == 200
    assert "Skicka som mest 50 formulär" in response.text


def test_a_number_too_large_for_the_database_is_answered_400_in_swedish(admin, db):
    # Django's own user list passes the number of a group filter on to the database: SQLite
    # cannot hold it, and the safety net answers; PostgreSQL compares it and finds no one.
    response = admin.get(f"/admin/auth/user/?groups={HUGE}")
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert "Adressen eller formuläret innehåller ett ogiltigt tal" in response.text
    else:
        assert response.status_code == 200
