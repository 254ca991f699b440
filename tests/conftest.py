import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from followup.models import Outcome
from promises.models import Area, Commitment, Indicator, Party, Promise, Theme


def pytest_report_header():
    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def swedish():
    """Each test starts in Swedish, whatever language an earlier request left active."""
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def built_files_not_kept(settings):
    """A test's edits are never committed, so the public data's revision is never renewed and a
    kept build would go stale: tests/public/test_built_files.py covers keeping them, with commits."""
    settings.KEEP_BUILT_FILES = False


@pytest.fixture
def demo(db):
    """The Eskilstuna 2021 demo, as `make run` loads it."""
    call_command("loaddata", "eskilstuna-2021", verbosity=0)
    return Promise.objects.get(area__slug="eskilstuna", start_year=2021)


@pytest.fixture
def admin_client(client, django_user_model):
    """A council member with every right: the superuser of the admin tests."""
    user = django_user_model.objects.create_superuser("radsmedlem", password="hemligt-losen-1")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def make_indicator(db):
    """Builds a saved indicator in a promise of its own; keyword arguments set its fields."""

    def make(start_year=2023, end_year=2024, **fields):
        area, _ = Area.objects.get_or_create(
            slug="vasteras", defaults={"name": "Västerås stad", "kind": Area.Kind.MUNICIPALITY}
        )
        promise = Promise.objects.create(area=area, start_year=start_year, end_year=end_year)
        commitment = Commitment.objects.create(promise=promise, order=1, title="Åtagande", text="…")
        commitment.parties.add(
            Party.objects.get_or_create(name="Polismyndigheten", kind="police")[0]
        )
        defaults = {"name": "Trafikkontroller", "unit": "st", "kind": "count", "rule": "at_least"}
        defaults.update(target_value=200 if fields.get("rule", "at_least") == "at_least" else None)
        return Indicator.objects.create(commitment=commitment, **{**defaults, **fields})

    return make


@pytest.fixture
def build_promise(db):
    """Builds a promise with `commitments` commitments of two indicators each, and outcomes.

    Used to show that a page runs as many queries for a large promise as for a small one.
    """

    def build(slug, commitments=1, start_year=2023, end_year=2024):
        area = Area.objects.create(name=slug.title(), slug=slug, kind=Area.Kind.MUNICIPALITY)
        promise = Promise.objects.create(area=area, start_year=start_year, end_year=end_year)
        police, _ = Party.objects.get_or_create(name="Polismyndigheten", kind="police")
        theme, _ = Theme.objects.get_or_create(name="Trafik", slug="trafik")
        for order in range(1, commitments + 1):
            commitment = Commitment.objects.create(
                promise=promise, order=order, title=f"Åtagande {order}", text="…", theme=theme
            )
            commitment.parties.add(police)
            controls = commitment.indicators.create(
                order=1,
                name="Kontroller",
                unit="st",
                kind="count",
                rule="at_least",
                target_value=200,
            )
            context = commitment.indicators.create(
                order=2, name="I hela kommunen", kind="count", rule="none"
            )
            for indicator in (controls, context):
                for year in promise.years:
                    Outcome.objects.create(indicator=indicator, year=year, value=order * 10)
        return promise

    return build
