"""Every public page runs a fixed number of queries, whatever the size of the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followup.models import YearlyFollowUp
from promises.models import Promise
from promises.roles import grant


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def publish(promise):
    Promise.objects.filter(pk=promise.pk).update(state="published")
    for year in promise.years:
        YearlyFollowUp.objects.create(promise=promise, year=year, state="published")
    promise.refresh_from_db()
    return promise


def page_urls(promise):
    indicator = promise.commitments.first().indicators.first()
    return [
        "/",
        "/omraden/",
        "/loften/",
        "/loften/?status=met",
        promise.area.get_absolute_url(),
        promise.get_absolute_url(),
        indicator.get_absolute_url(),
    ]


# A full report: promises, signatories with their parties, commitments, their parties,
# indicators, outcomes, follow-ups and corrections (+1 for the area itself on the area page).
# The browse page reads five for its default year and filter choices, then the promises with
# their commitments and follow-ups (which rows there are), then the shown rows' parties,
# indicators and outcomes: no signatories or corrections. The cards of the start and
# area pages read only promises, commitments, indicators, outcomes and follow-ups; the start page
# adds two for its summary. An indicator page reads the promise, the follow-ups, that indicator's
# commitment, the indicator and its outcomes. The area list is the areas and the municipalities
# they cover; the area and promise pages read the covered municipalities with one query more.
PINNED = {"/": 7, "/omraden/": 2, "/loften/": 11, "area": 7, "promise": 9, "indicator": 5}


@pytest.mark.parametrize("commitments", [1, 50])
def test_each_public_page_runs_its_pinned_number_of_queries(
    client, build_promise, django_assert_num_queries, commitments
):
    promise = publish(build_promise("kommun", commitments=commitments))
    indicator = promise.commitments.first().indicators.first()
    urls = {
        "/": "/",
        "/omraden/": "/omraden/",
        "/loften/": "/loften/",
        "area": promise.area.get_absolute_url(),
        "promise": promise.get_absolute_url(),
        "indicator": indicator.get_absolute_url(),
    }
    for name, url in urls.items():
        with django_assert_num_queries(PINNED[name]):
            assert client.get(url).status_code == 200


def test_a_promise_with_fifty_commitments_costs_as_many_queries_as_one(client, build_promise):
    small = publish(build_promise("liten", commitments=1))
    small_counts = [count_queries(client, url) for url in page_urls(small)]
    large = publish(build_promise("stor", commitments=50))
    large_counts = [count_queries(client, url) for url in page_urls(large)]
    assert small_counts == large_counts


def test_an_area_with_ten_years_of_promises_costs_as_many_queries_as_one(client, build_promise):
    one = publish(build_promise("ett-ar", commitments=2, start_year=2020, end_year=2020))
    one_count = count_queries(client, one.area.get_absolute_url())
    decade = publish(build_promise("tio-ar", commitments=2, start_year=2015, end_year=2016))
    for start in range(2017, 2025, 2):
        later = Promise.objects.create(area=decade.area, start_year=start, end_year=start + 1)
        for commitment in decade.commitments.all():
            copy = later.commitments.create(order=commitment.order, title="x", text="…")
            copy.indicators.create(name="x", kind="count", rule="at_least", target_value=3)
        publish(later)
    assert sum(len(p.years) for p in decade.area.promises.all()) == 10
    assert count_queries(client, decade.area.get_absolute_url()) == one_count


def test_the_council_pages_cost_a_fixed_number_of_queries(client, django_user_model, build_promise):
    user = django_user_model.objects.create_user("r", password="x", is_staff=True)
    client.force_login(user)
    small = build_promise("liten", commitments=1, start_year=2020, end_year=2021)
    grant(user, small.area, "council_member")
    counts = [count_queries(client, url) for url in ["/radet/", small.get_absolute_url()]]
    large = build_promise("stor", commitments=30, start_year=2020, end_year=2021)
    grant(user, large.area, "council_member")
    assert counts[0] == count_queries(client, "/radet/")
    assert counts[1] == count_queries(client, large.get_absolute_url())


def test_the_start_page_shows_a_dozen_current_promises_and_leads_to_the_rest(
    client, build_promise, django_assert_num_queries
):
    this_year = timezone.localdate().year
    for number in range(20):
        publish(build_promise(f"kommun-{number:02}", start_year=this_year, end_year=this_year))
    with django_assert_num_queries(PINNED["/"]):
        page = client.get("/").text
    assert page.count('<article class="card">') == 12
    assert "Alla 20 löften, område för område" in page
    assert "<dt>Medborgarlöften</dt><dd>20</dd>" in page


def test_browse_shows_one_year_at_a_time_fifty_rows_a_page(client, build_promise):
    for slug in ("kommun-a", "kommun-b"):
        publish(build_promise(slug, commitments=30, start_year=2023, end_year=2024))
    page = client.get("/loften/").text
    assert '<option value="2024" selected>2024</option>' in page  # the newest published year
    assert "Utan valt område visas ett år i taget." in page
    assert "60 träffar (åtagande och år) – sida 1 av 2" in page
    assert page.count("<tr>") == 1 + 50
    assert 'href="?sida=2"' in page
    second = client.get("/loften/", {"ar": "2024", "sida": "2"}).text
    assert second.count("<tr>") == 1 + 10 and "Sida 2 av 2" in second
    whole_area = client.get("/loften/", {"omrade": "kommun-a", "ar": ""}).text
    assert "60 träffar" in whole_area  # one area: every year
    assert "ett år i taget" not in whole_area


def test_browse_judges_the_rows_of_each_page_as_the_status_filter_does(client, build_promise):
    """Without a status asked for, only the shown page's rows are judged: the statuses on the
    pages are the ones the status filter finds among all rows."""
    for slug in ("kommun-a", "kommun-b"):
        publish(build_promise(slug, commitments=30, start_year=2023, end_year=2024))
    pages = [client.get("/loften/", {"sida": number}).text for number in (1, 2)]
    # Commitment n has n × 10 controls against a target of at least 200: 20–30 are met. The
    # first page holds kommun-a's 30 rows and kommun-b's first 20, the second the other 10.
    assert [page.count("badge-met") for page in pages] == [11 + 1, 10]
    met = client.get("/loften/", {"status": "met"}).text
    assert "22 träffar (åtagande och år)" in met
    assert met.count("badge-met") == 22
