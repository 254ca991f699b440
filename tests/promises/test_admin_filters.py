"""The admin's filters name only what the user's areas use: no other area's parties or themes."""

import pytest
from django.urls import reverse

from promises.factories import (
    CommitmentFactory,
    PartyFactory,
    PromiseFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Membership, Municipality, Party
from promises.roles import grant

CHANGELIST = reverse("admin:promises_commitment_changelist")


@pytest.fixture
def two_areas(db):
    """Eskilstuna and Västerås, each with a commitment of its own party and theme."""
    areas = {}
    for slug, party, theme, code in [
        ("eskilstuna", "Eskilstuna kommun", "Narkotika", "0484"),
        ("vasteras", "Västerås stad", "Trafik", "1980"),
    ]:
        promise = PromiseFactory(area__name=slug.title(), area__slug=slug)
        municipality = Municipality.objects.get(code=code)
        party = PartyFactory(name=party, kind=Party.Kind.MUNICIPALITY, municipality=municipality)
        theme = ThemeFactory(name=theme)
        CommitmentFactory(promise=promise, theme=theme, parties=[party])
        areas[slug] = (promise.area, party, theme)
    return areas


def filter_links(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return response.text


def offers(page, party, theme):
    return (
        f"?parties__id__exact={party.pk}" in page,
        f"?theme__id__exact={theme.pk}" in page,
    )


@pytest.mark.parametrize("role", [Membership.Role.COUNCIL_MEMBER, Membership.Role.COORDINATOR])
def test_the_party_and_theme_filters_name_only_the_users_areas(client, two_areas, role):
    user = UserFactory()
    own_area, own_party, own_theme = two_areas["eskilstuna"]
    _, other_party, other_theme = two_areas["vasteras"]
    grant(user, own_area, role)
    client.force_login(user)
    page = filter_links(client)
    assert offers(page, own_party, own_theme) == (True, True)
    assert offers(page, other_party, other_theme) == (False, False)
    assert "Västerås stad" not in page and "Trafik" not in page


def test_a_superuser_is_offered_every_areas_parties_and_themes(client, two_areas):
    client.force_login(UserFactory(superuser=True))
    page = filter_links(client)
    for _, party, theme in two_areas.values():
        assert offers(page, party, theme) == (True, True)
