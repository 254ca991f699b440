"""An edit in one area makes stale only that area's pages and the pages showing every area: the
other areas' kept pages stay kept (promises/revision.py), with and without Redis."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from followup import publishing
from followup.models import Outcome
from promises.models import Commitment, Indicator, Party, PublicationState
from promises.revision import area_of, shared_cache
from tests.public.test_page_cache import change_published_figure

# Real commits: a kept page goes stale only when an edit has been committed.
pytestmark = pytest.mark.django_db(transaction=True)

A_PROMISE, A_AREA = "/eskilstuna/2021/", "/eskilstuna/"
B_PROMISE, B_AREA = "/vasteras/2023-2024/", "/vasteras/"
NATIONAL_PAGES = ["/", "/omraden/", "/loften/", "/loften/?tema=trafik", "/oppna-data/utfall.csv"]


@pytest.fixture(params=["locmem", "redis"])
def kept_queries(request, settings):
    """The queries a kept page costs: the revision's tokens without Redis, none with it."""
    settings.PAGE_CACHE_SECONDS = 600
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    if not shared_cache():  # a shared Redis holds others' keys too: redis_cache empties its own
        cache.clear()
    yield 0 if request.param == "redis" else 1
    if not shared_cache():
        cache.clear()


@pytest.fixture
def two_areas(demo, build_promise):
    """Eskilstuna's demo (area A) and a published promise of Västerås (area B)."""
    other = build_promise("vasteras")
    other.state = PublicationState.PUBLISHED
    other.save()
    return demo, other


def view_ran(url, kept_queries):
    """Whether the page was made afresh (its view ran), rather than served as kept."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, url
    return len(queries) > kept_queries


def visit(urls, kept_queries):
    for url in urls:
        view_ran(url, kept_queries)
        assert not view_ran(url, kept_queries), f"{url} is kept"


def test_an_edit_in_one_area_leaves_the_other_areas_pages_kept(
    two_areas, kept_queries, admin_client, django_assert_num_queries
):
    visit([A_PROMISE, A_AREA, B_PROMISE, B_AREA, *NATIONAL_PAGES], kept_queries)
    assert "5 st" in Client().get(A_PROMISE).text

    outcome = Outcome.objects.get(indicator__commitment__order=3)  # in Eskilstuna
    change_published_figure(admin_client, outcome, "6")

    # Area A and every page showing all areas: made afresh in the first request after the save.
    assert "6 st" in Client().get(A_PROMISE).text
    for url in [A_AREA, *NATIONAL_PAGES]:
        assert view_ran(url, kept_queries), f"{url} made afresh"
    # Area B: still the kept copy, the view not run.
    for url in (B_PROMISE, B_AREA):
        with django_assert_num_queries(kept_queries):
            assert Client().get(url).status_code == 200


def test_unpublishing_a_year_in_one_area_leaves_the_other_area_kept(
    two_areas, kept_queries, django_user_model, django_assert_num_queries
):
    demo, _ = two_areas
    visit([A_PROMISE, B_PROMISE, "/"], kept_queries)
    coordinator = django_user_model.objects.create_superuser("samordnare", password="x")
    publishing.unpublish_followup(demo, 2021, coordinator, "Fel siffror")  # a bulk update

    assert "5 st" not in Client().get(A_PROMISE).text
    assert view_ran("/", kept_queries)
    with django_assert_num_queries(kept_queries):
        assert Client().get(B_PROMISE).status_code == 200


def test_an_edit_of_a_party_in_both_areas_makes_both_fresh(two_areas, kept_queries):
    visit([A_PROMISE, B_PROMISE, "/"], kept_queries)
    party = Party.objects.filter(signatory__isnull=False).first() or Party.objects.first()
    party.name += " (nytt namn)"
    party.save()
    for url in (A_PROMISE, B_PROMISE, "/"):
        assert view_ran(url, kept_queries), f"{url} made afresh"


def test_moving_a_promise_to_another_area_makes_both_areas_fresh(two_areas, kept_queries):
    demo, other = two_areas
    visit([A_AREA, B_AREA, B_PROMISE], kept_queries)
    other.area = demo.area
    other.save()
    assert Client().get(B_PROMISE).status_code == 404
    assert "2023" in Client().get(A_AREA).text


@pytest.mark.parametrize("moved", ["commitment", "indicator"])
def test_moving_a_commitment_or_indicator_to_another_area_makes_both_fresh(
    two_areas, kept_queries, moved
):
    demo, other = two_areas
    visit([A_PROMISE, B_PROMISE], kept_queries)
    commitment = Commitment.objects.filter(promise=demo).order_by("order").first()
    if moved == "commitment":
        commitment.promise, commitment.order = other, 99
        commitment.save()
    else:
        indicator = Indicator.objects.filter(commitment=commitment).first()
        indicator.commitment = Commitment.objects.filter(promise=other).first()
        indicator.order = 99
        indicator.save()
    assert view_ran(A_PROMISE, kept_queries) and view_ran(B_PROMISE, kept_queries)


def test_a_scope_is_renewed_even_when_the_id_sequence_lags_behind(db):
    """Row 1 was once always written with its id given: on an upgraded database the next rows
    get their ids from a sequence that the migration moved past it."""
    from promises.models import PublicRevision
    from promises.revision import renew_revision, stored_tokens

    PublicRevision.objects.all().delete()
    PublicRevision.objects.create(pk=1, scope="global", token="old")  # as 0010 finds it
    migration = importlib.import_module("promises.migrations.0010_revision_scopes")
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.reset_id_sequence(django_apps, editor)
    renew_revision("area:eskilstuna", "national")
    tokens = stored_tokens(["area:eskilstuna", "national"])
    assert "-" not in tokens.values()


def test_built_files_of_another_area_are_kept_and_the_national_ones_rebuilt(
    two_areas, settings, django_assert_num_queries
):
    _, other = two_areas
    settings.KEEP_BUILT_FILES = True
    settings.PAGE_CACHE_SECONDS = 0  # the files themselves, not kept pages of them
    settings.NATIONAL_FILE_STALE_SECONDS = 0  # no previous build served (test_national_files.py)
    a_report, national_report = f"{A_PROMISE}rapport/2021.pdf", "/rapport/2021.xlsx"
    for url in (a_report, national_report):
        assert Client().get(url).status_code == 200
    outcome = Outcome.objects.filter(indicator__commitment__promise=other).first()
    outcome.value += 1
    outcome.save()  # in Västerås
    with django_assert_num_queries(2):  # the revision's tokens and the kept build
        assert Client().get(a_report).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(national_report).status_code == 200
    assert len(queries) > 2  # built again


def test_the_area_of_an_edit_is_read_with_its_rows_or_found_in_one_query(
    two_areas, django_assert_num_queries
):
    rows = Outcome.objects.filter(indicator__commitment__promise__area__slug="eskilstuna")
    read_with_area = rows.select_related("indicator__commitment__promise__area").first()
    with django_assert_num_queries(0):  # as the entry page and the import read them
        assert area_of(read_with_area) == "eskilstuna"
    read_alone = rows.first()
    with django_assert_num_queries(1):
        assert area_of(read_alone) == "eskilstuna"
    assert area_of(Party.objects.first()) is None  # shared: everything
