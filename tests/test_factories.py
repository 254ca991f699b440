"""The factories that tests, benchmarks and the national data build on make valid rows."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from followup.factories import (
    CorrectionFactory,
    OutcomeFactory,
    PublicationEventFactory,
    YearlyFollowUpFactory,
)
from followup.models import Correction, FollowUpState, Outcome, PublicationEvent, YearlyFollowUp
from promises.factories import (
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    MunicipalityPartyFactory,
    PartyFactory,
    PoliceFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import (
    Area,
    Commitment,
    Indicator,
    Membership,
    Party,
    Promise,
    PublicationState,
    Signatory,
    Theme,
)

FACTORIES = [
    (AreaFactory, Area),
    (PartyFactory, Party),
    (PoliceFactory, Party),
    (ThemeFactory, Theme),
    (PromiseFactory, Promise),
    (SignatoryFactory, Signatory),
    (CommitmentFactory, Commitment),
    (IndicatorFactory, Indicator),
    (MembershipFactory, Membership),
    (OutcomeFactory, Outcome),
    (YearlyFollowUpFactory, YearlyFollowUp),
    (PublicationEventFactory, PublicationEvent),
    (CorrectionFactory, Correction),
]


@pytest.mark.parametrize(("factory", "model"), FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_saves_a_valid_row(db, factory, model):
    made = factory()
    stored = model.objects.get(pk=made.pk)
    stored.full_clean()


@pytest.mark.parametrize(("factory", "model"), FACTORIES, ids=lambda f: f.__name__)
def test_build_saves_nothing(db, factory, model):
    built = factory.build()
    assert built.pk is None
    assert not model.objects.exists()


def test_two_of_a_kind_are_distinct_rows(db):
    first, second = IndicatorFactory(), IndicatorFactory()
    assert first.commitment.promise.area != second.commitment.promise.area
    assert Area.objects.count() == 2 and Indicator.objects.count() == 2


def test_related_fields_and_parties_are_set_through_the_factory(db):
    police = PoliceFactory()
    commitment = CommitmentFactory(
        promise__area__slug="eskilstuna", promise__start_year=2021, order=3, parties=[police]
    )
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.promise.area.slug == "eskilstuna"
    assert (stored.promise.start_year, stored.promise.end_year) == (2021, 2022)
    assert (stored.order, stored.title) == (3, "Åtagande 3")
    assert list(stored.parties.values_list("name", "kind")) == [("Polismyndigheten", "police")]


def test_shared_police_and_themes_are_found_not_duplicated(db):
    assert PoliceFactory() == PoliceFactory()
    assert ThemeFactory(name="Trafik") == ThemeFactory(name="Trafik")
    assert Party.objects.filter(name="Polismyndigheten").count() == 1
    assert list(Theme.objects.values_list("name", "slug")) == [("Trafik", "trafik")]


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({}, ("count", "at_least", 200, "st")),
        ({"context": True}, ("count", "none", None, "")),
        ({"done": True}, ("yes_no", "done", None, "")),
        ({"rule": "at_most"}, ("count", "at_most", 200, "st")),
    ],
)
def test_indicator_traits(db, traits, expected):
    indicator = IndicatorFactory(**traits)
    stored = Indicator.objects.get(pk=indicator.pk)
    stored.full_clean()
    target = None if stored.target_value is None else int(stored.target_value)
    assert (stored.kind, stored.rule, target, stored.unit) == expected


def test_published_promise_and_follow_up(db):
    followup = YearlyFollowUpFactory(
        promise__published=True, promise__start_year=2021, published=True
    )
    stored = YearlyFollowUp.objects.get(pk=followup.pk)
    assert stored.promise.state == PublicationState.PUBLISHED
    assert (stored.year, stored.state) == (2021, FollowUpState.PUBLISHED)
    assert stored.approved_on == datetime.date(2022, 2, 15)
    assert YearlyFollowUp.objects.published().get() == stored


def test_outcome_defaults_to_the_first_year_of_its_promise(db):
    outcome = OutcomeFactory(indicator__commitment__promise__start_year=2021)
    stored = Outcome.objects.get(pk=outcome.pk)
    assert (stored.year, stored.part_of_year, stored.value) == (2021, "year", 10)
    assert stored.history.count() == 1


def test_users(db):
    plain = UserFactory()
    admin = UserFactory(raw_password="ett-bra-losen-42", superuser=True)
    users = get_user_model().objects
    assert not users.get(pk=plain.pk).has_usable_password()
    stored = users.get(pk=admin.pk)
    assert stored.check_password("ett-bra-losen-42")
    assert stored.is_staff and stored.is_superuser and stored.is_active


def test_municipality_parties_each_take_a_municipality_of_their_own(db):
    first, second = MunicipalityPartyFactory(), MunicipalityPartyFactory()
    for party in (first, second):
        party.full_clean()
    assert (first.municipality.code, second.municipality.code) == ("0114", "0115")
