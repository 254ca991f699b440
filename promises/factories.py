"""Builders of promises' rows for tests, benchmarks and the synthetic national data (factory-boy).

Each factory makes a valid row with plain Swedish defaults; keyword arguments set any field,
and `related__field=…` sets a field of a related row built along the way:

    IndicatorFactory(rule="increase", baseline_value=2014, baseline_year=2020)
    CommitmentFactory(promise__area__slug="eskilstuna", parties=[PoliceFactory()])
    PromiseFactory.build(area=area, start_year=2021, end_year=2021)  # unsaved, for bulk_create

`Factory(...)` saves (with its history row, as any save does); `Factory.build(...)` only builds,
for callers that save many rows at once with bulk_create (followup/national_data/). Defaults use
sequences, never random values, so that a build is the same on every run.

Imports only Django, factory-boy and this app: the apps above (followup) build on it.
"""

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from promises.models import (
    Area,
    Commitment,
    Indicator,
    Membership,
    Municipality,
    Party,
    Promise,
    PublicationState,
    Signatory,
    Theme,
)

POLICE_NAME = "Polismyndigheten"


class UserFactory(DjangoModelFactory):
    """A user who cannot log in unless given `raw_password`; `superuser=True` for an
    administrator. Tests that need no password log in with `client.force_login(user)`."""

    class Meta:
        model = settings.AUTH_USER_MODEL

    class Params:
        raw_password = None  # hashed with the project's hasher; None: an unusable password
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"anvandare-{n}")
    password = factory.LazyAttribute(lambda o: make_password(o.raw_password))
    is_active = True


class AreaFactory(DjangoModelFactory):
    """A municipality: "Område 001", address part "omrade-001"."""

    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Område {n:03}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Area.Kind.MUNICIPALITY


class PartyFactory(DjangoModelFactory):
    """A party to commitments; `PoliceFactory` for the one shared police party."""

    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"Part {n:03}")
    kind = Party.Kind.OTHER


class PoliceFactory(PartyFactory):
    """The police ("Polismyndigheten"): found by name if it exists, created otherwise."""

    class Meta:
        django_get_or_create = ("name",)

    name = POLICE_NAME
    kind = Party.Kind.POLICE


def free_municipality():
    """The first municipality, in code order, that is not yet a party."""
    municipality = Municipality.objects.filter(parties__isnull=True).order_by("code").first()
    if municipality is None:
        raise ValueError("Every municipality is already a party.")
    return municipality


class MunicipalityPartyFactory(PartyFactory):
    """A municipality as a party: linked to the first municipality that is not one yet."""

    kind = Party.Kind.MUNICIPALITY
    municipality = factory.LazyFunction(free_municipality)


class ThemeFactory(DjangoModelFactory):
    """A focus area, found by name if it exists: themes are shared by every promise."""

    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Fokusområde {n:03}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class PromiseFactory(DjangoModelFactory):
    """A draft promise of 2023–2024 (`published=True` for a published one)."""

    class Meta:
        model = Promise

    class Params:
        published = factory.Trait(state=PublicationState.PUBLISHED)

    area = factory.SubFactory(AreaFactory)
    start_year = 2023
    end_year = factory.LazyAttribute(lambda o: o.start_year + 1)
    state = PublicationState.DRAFT


class SignatoryFactory(DjangoModelFactory):
    """The head of the local police area, signing for the police."""

    class Meta:
        model = Signatory

    promise = factory.SubFactory(PromiseFactory)
    name = "Kim Polis"
    role = "lokalpolisområdeschef"
    party = factory.SubFactory(PoliceFactory)
    order = 0


class CommitmentFactory(DjangoModelFactory):
    """Commitment number `order` (1 unless given) of a promise, without a theme.

    `parties=[…]` sets its responsible parties once it is saved (a built one has none yet).
    """

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    promise = factory.SubFactory(PromiseFactory)
    order = 1
    title = factory.LazyAttribute(lambda o: f"Åtagande {o.order}")
    text = "…"
    theme = None

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)


class IndicatorFactory(DjangoModelFactory):
    """Traffic controls, "at least 200 st": number `order` (1 unless given) of its commitment.

    Traits: `context=True` for a context figure without a target, `done=True` for a yes/no
    indicator judged done or not.
    """

    class Meta:
        model = Indicator

    class Params:
        context = factory.Trait(rule=Indicator.Rule.NONE, unit="")
        done = factory.Trait(kind=Indicator.Kind.YES_NO, rule=Indicator.Rule.DONE, unit="")

    commitment = factory.SubFactory(CommitmentFactory)
    order = 1
    name = "Trafikkontroller"
    unit = "st"
    kind = Indicator.Kind.COUNT
    rule = Indicator.Rule.AT_LEAST
    # "At least" and "at most" need a target; the other rules have none unless given.
    target_value = factory.LazyAttribute(
        lambda o: 200 if o.rule in (Indicator.Rule.AT_LEAST, Indicator.Rule.AT_MOST) else None
    )


class MembershipFactory(DjangoModelFactory):
    """A council member's role in an area. It gives no group: promises.roles.grant does both."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)
    role = Membership.Role.COUNCIL_MEMBER
