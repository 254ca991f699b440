"""The logged-in pages run a fixed number of queries, whatever the number of rows they show.

Issue 17: at national scale the corrections and publication logs ran a query per row, and a
promise's page a query per commitment (its indicators) and per signatory (the party choices).
Each page is counted with few rows and with more, for an administrator and for a coordinator
of several areas; the pages fixed for the issue have their number pinned as well.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessibility.models import ProblemReport
from followup.factories import (
    CorrectionFactory,
    OutcomeFactory,
    PublicationEventFactory,
    YearlyFollowUpFactory,
)
from promises.factories import (
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    MunicipalityPartyFactory,
    PoliceFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Membership, Municipality, Party
from promises.roles import grant

APPS = ("promises", "followup", "accessibility")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_commitment(promise, order):
    """A commitment with a theme, the police and a party of its own, two indicators with an
    outcome each."""
    commitment = CommitmentFactory(
        promise=promise,
        order=order,
        theme=ThemeFactory(name=f"Tema {order}"),
        parties=[PoliceFactory(), MunicipalityPartyFactory()],
    )
    for number in (1, 2):
        OutcomeFactory(indicator=IndicatorFactory(commitment=commitment, order=number))
    return commitment


def add_area(number, coordinator):
    """An area the coordinator works in, with a promise of two commitments and one of every
    log: signatory, follow-up, publication event, correction, problem report."""
    area = AreaFactory(name=f"Område {number:02}")
    area.municipalities.set(Municipality.objects.order_by("code")[number : number + 1])
    promise = PromiseFactory(area=area)
    for order in (1, 2):
        add_commitment(promise, order)
    SignatoryFactory(promise=promise, order=1)
    YearlyFollowUpFactory(promise=promise)
    PublicationEventFactory(promise=promise)
    CorrectionFactory(promise=promise)
    ProblemReport.objects.create(page=f"/{area.slug}/", description="Knappen syns inte")
    grant(coordinator, area, Membership.Role.COORDINATOR)
    grant(UserFactory(), area, Membership.Role.COUNCIL_MEMBER)
    return promise


@pytest.fixture
def clients(db):
    coordinator = UserFactory(username="samordnare")
    clients = {}
    for name, user in [("administratör", UserFactory(superuser=True)), ("samordnare", coordinator)]:
        clients[name] = Client()
        clients[name].force_login(user)
    return coordinator, clients


def changelists():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label in APPS
    ]


def test_every_admin_list_runs_as_many_queries_for_more_rows(clients):
    coordinator, by_role = clients
    add_area(1, coordinator)
    before = {
        (who, url): count_queries(client, url)
        for who, client in by_role.items()
        for url in changelists()
        if client.get(url).status_code == 200
    }
    for number in (2, 3, 4):
        add_area(number, coordinator)
    after = {key: count_queries(by_role[key[0]], key[1]) for key in before}
    assert after == before
    assert len(before) > 15  # both roles, most lists


# Session, user, the promise (asked twice: scope, then form), its area, its follow-ups, its
# commitments with their parties and indicators, the ids of the parties the area can name, the
# theme and party choices (count and rows), the signatories, the area choices and the
# signatories' party choices; a coordinator's
# permissions and areas add theirs.
PINNED_PROMISE_PAGE = {"administratör": 21, "samordnare": 26}


@pytest.mark.parametrize("who", ["administratör", "samordnare"])
def test_a_promises_page_runs_its_pinned_queries_for_any_number_of_commitments(
    clients, who, django_assert_num_queries
):
    coordinator, by_role = clients
    promise = add_area(1, coordinator)
    url = reverse("admin:promises_promise_change", args=[promise.pk])
    count_queries(by_role[who], url)  # the groups' permissions are read and kept once
    with django_assert_num_queries(PINNED_PROMISE_PAGE[who]):
        by_role[who].get(url)
    for order in (3, 4, 5, 6):
        add_commitment(promise, order)
    SignatoryFactory(promise=promise, order=2, party=MunicipalityPartyFactory())
    with django_assert_num_queries(PINNED_PROMISE_PAGE[who]):
        page = by_role[who].get(url).text
    assert page.count('name="commitments-5-indicators-1-name"') == 1


def test_a_promise_offers_the_parties_its_area_can_name(admin_client):
    """Not the ~290 municipalities of the country as checkboxes in every commitment: the police
    and other parties, the municipalities the area covers and the parties it names already."""
    first, second, other = Municipality.objects.order_by("code")[:3]
    area = AreaFactory(name="Västerås stad")
    area.municipalities.set([first])
    promise = PromiseFactory(area=area)
    named_elsewhere = MunicipalityPartyFactory(name="Grannkommunen", municipality=second)
    CommitmentFactory(promise=promise, parties=[named_elsewhere])
    MunicipalityPartyFactory(name="Egna kommunen", municipality=first)
    MunicipalityPartyFactory(name="Annan kommun", municipality=other)
    PoliceFactory()
    page = admin_client.get(reverse("admin:promises_promise_change", args=[promise.pk])).text
    commitment_choices = page.split('name="commitments-0-parties"')
    signatory_choices = page.split('id="id_signatories-__prefix__-party"')[1].split("</select>")[0]
    assert len(commitment_choices) == 4  # one checkbox per party offered
    for offered in ("Grannkommunen", "Egna kommunen", "Polismyndigheten"):
        assert offered in signatory_choices
    assert "Annan kommun" not in page
    assert Party.objects.count() == 4


def test_the_logs_name_their_users_without_a_query_per_row(clients, django_assert_num_queries):
    coordinator, by_role = clients
    add_area(1, coordinator)
    for number in (2, 3, 4, 5, 6):
        promise = add_area(number, coordinator)
        PublicationEventFactory(promise=promise)
        CorrectionFactory(promise=promise)
    # Session, user, the count of the rows and of every row the user may see (the same when
    # nothing is filtered, but Django's "x av y" counts both), and the rows with their promise,
    # area and user.
    for url in ("/admin/followup/publicationevent/", "/admin/followup/correction/"):
        with django_assert_num_queries(5):
            page = by_role["administratör"].get(url).text
        assert page.count("anvandare-") >= 12


@pytest.mark.parametrize("who", ["administratör", "samordnare"])
def test_a_commitments_page_asks_for_the_role_once_and_offers_the_areas_parties(clients, who):
    coordinator, by_role = clients
    promise = add_area(1, coordinator)
    commitment = promise.commitments.get(order=1)
    MunicipalityPartyFactory(name="Annan kommun")
    url = reverse("admin:promises_commitment_change", args=[commitment.pk])
    count_queries(by_role[who], url)
    few = count_queries(by_role[who], url)
    for number in (3, 4, 5, 6):
        IndicatorFactory(commitment=commitment, order=number)
    assert count_queries(by_role[who], url) == few
    page = by_role[who].get(url).text
    assert "Polismyndigheten" in page and "Annan kommun" not in page


def add_promise_missing_an_outcome(number):
    """A promise of 2021 whose one indicator has nothing entered: the dashboard lists it."""
    promise = PromiseFactory(
        area=AreaFactory(name=f"Område {number:02}"), start_year=2021, end_year=2021
    )
    IndicatorFactory(commitment=CommitmentFactory(promise=promise), name=f"Indikator {number:02}")
    return promise


# Session, user, the areas, the promises that may miss an outcome, and for the page's promises:
# the promises themselves with their areas, commitments, indicators, outcomes and follow-ups.
PINNED_DASHBOARD = 9


def test_the_dashboard_shows_twenty_promises_a_page_in_its_pinned_queries(
    admin_client, django_assert_num_queries
):
    for number in range(1, 3):
        add_promise_missing_an_outcome(number)
    with django_assert_num_queries(PINNED_DASHBOARD):
        admin_client.get("/radet/")
    for number in range(3, 23):
        add_promise_missing_an_outcome(number)
    with django_assert_num_queries(PINNED_DASHBOARD):
        first = admin_client.get("/radet/").text
    second = admin_client.get("/radet/", {"sida": 2}).text
    assert first.count('class="missing"') == 20 and second.count('class="missing"') == 2
    assert "Sida 1 av 2" in first and "Sida 2 av 2" in second
    # Ordered by area: the first twenty areas on the first page, the last two on the second.
    assert "Indikator 20" in first and "Indikator 21" not in first
    assert "Indikator 21" in second and "Indikator 01" not in second


# Session, user, the choices of the area, theme and party filters (an administrator is offered
# every one, without a DISTINCT over every commitment of the country), two counts (the rows and
# every row the user may see), the rows with their promises, areas and themes, their parties,
# and the years of the year filter.
PINNED_COMMITMENT_LIST = 10


def test_the_commitment_list_shows_fifty_rows_a_page_in_its_pinned_queries(
    admin_client, django_assert_num_queries
):
    promise = PromiseFactory()
    for order in range(1, 52):
        CommitmentFactory(promise=promise, order=order, parties=[PoliceFactory()])
    url = reverse("admin:promises_commitment_changelist")
    with django_assert_num_queries(PINNED_COMMITMENT_LIST):
        first = admin_client.get(url).text
    second = admin_client.get(url, {"p": 2}).text
    assert first.count('name="_selected_action"') == 50
    assert second.count('name="_selected_action"') == 1


def test_a_dashboard_page_whose_promises_miss_nothing_says_so_and_points_to_the_others(
    admin_client,
):
    # Pages are made of the promises that may miss an outcome; a one-off done in an earlier year
    # is judged not missing, so a page may hold none of the others' rows.
    for number in range(1, 21):
        add_promise_missing_an_outcome(number)
    for number in (21, 22):
        promise = PromiseFactory(
            area=AreaFactory(name=f"Område {number:02}"), start_year=2021, end_year=2022
        )
        one_off = IndicatorFactory(commitment=CommitmentFactory(promise=promise), done=True)
        OutcomeFactory(indicator=one_off, year=2021, value=1)
    second = admin_client.get("/radet/", {"sida": 2}).text
    assert "Sida 2 av 2" in second and 'class="missing"' not in second
    assert "Inget saknas bland löftena på den här sidan. Se de andra sidorna." in second
    assert "alla avslutade år har utfall" not in second
