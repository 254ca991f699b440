"""Another area's draft stays unseen: its themes, parties and public address are not shown to
the staff of other areas; what is published or not yet used by any promise is one shared list."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from promises.factories import (
    CommitmentFactory,
    IndicatorFactory,
    PartyFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Membership, PublicationState
from promises.roles import grant


@pytest.fixture
def areas(db):
    """Area A, the user's, with a published promise; area B with a draft of its own theme and
    parties; and a theme and a party that no promise uses yet."""
    own = PromiseFactory(area__name="Område A", area__slug="omrade-a", published=True)
    draft = PromiseFactory(area__name="Område B", area__slug="omrade-b", start_year=2027)
    CommitmentFactory(
        promise=own, theme=ThemeFactory(name="Trafik"), parties=[PartyFactory(name="A-bostäder")]
    )
    IndicatorFactory(
        commitment__promise=draft,
        commitment__theme=ThemeFactory(name="Hemligt tema"),
        commitment__parties=[PartyFactory(name="Hemlig part")],
    )
    SignatoryFactory(promise=draft, party=PartyFactory(name="Hemlig undertecknare"))
    ThemeFactory(name="Nytt tema")
    PartyFactory(name="Ny part")
    return {"own": own, "draft": draft}


def member_of(promise, role=Membership.Role.COORDINATOR):
    user = UserFactory()
    grant(user, promise.area, role)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Membership.Role.COUNCIL_MEMBER, Membership.Role.COORDINATOR])
def test_the_theme_and_party_lists_leave_out_another_areas_draft(areas, role):
    client = member_of(areas["own"], role)
    themes = client.get("/admin/promises/theme/").text
    parties = client.get("/admin/promises/party/").text
    assert "Trafik" in themes and "Nytt tema" in themes
    assert "Hemligt tema" not in themes
    assert "A-bostäder" in parties and "Ny part" in parties
    assert "Hemlig part" not in parties and "Hemlig undertecknare" not in parties


def test_a_coordinator_chooses_among_the_shared_themes_and_parties_only(areas):
    client = member_of(areas["own"])
    page = client.get(f"/admin/promises/promise/{areas['own'].pk}/change/").text
    assert "Trafik" in page and "Nytt tema" in page and "Ny part" in page
    assert "Hemlig" not in page
    page = client.get("/admin/promises/commitment/add/").text
    assert "Nytt tema" in page and "Hemlig" not in page


def test_what_a_draft_uses_is_shown_to_all_once_the_promise_is_published(areas):
    client = member_of(areas["own"])
    assert "Hemligt tema" not in client.get("/admin/promises/theme/").text
    areas["draft"].state = PublicationState.PUBLISHED
    areas["draft"].save()
    assert "Hemligt tema" in client.get("/admin/promises/theme/").text
    assert "Hemlig part" in client.get("/admin/promises/party/").text


def test_the_search_box_of_themes_and_parties_finds_no_other_areas_draft(areas):
    client = member_of(areas["own"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "promises", "model_name": "signatory", "field_name": "party", "term": "Hem"},
    )
    names = [result["text"] for result in response.json()["results"]]
    assert names == []
    page = client.get("/admin/promises/party/", {"q": "Hemlig"}).text
    assert "Hemlig part" not in page and "Hemlig undertecknare" not in page


def test_an_administrator_sees_every_theme_and_party(areas, admin_client):
    assert "Hemligt tema" in admin_client.get("/admin/promises/theme/").text
    assert "Hemlig part" in admin_client.get("/admin/promises/party/").text


def view_on_site(obj):
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


@pytest.mark.parametrize("role", [Membership.Role.COUNCIL_MEMBER, Membership.Role.COORDINATOR])
def test_the_object_redirect_answers_404_for_another_areas_draft(areas, role):
    client = member_of(areas["own"], role)
    draft = areas["draft"]
    indicator = draft.commitments.get().indicators.get()
    for obj in (draft, draft.area, indicator):
        response = client.get(view_on_site(obj))
        assert response.status_code == 404, obj
        assert "2027" not in response.get("Location", "")


def test_the_object_redirect_leads_to_the_users_own_promise(areas):
    client = member_of(areas["own"], Membership.Role.COUNCIL_MEMBER)
    response = client.get(view_on_site(areas["own"]))
    assert response.status_code == 302
    assert response["Location"].endswith(areas["own"].get_absolute_url())


def test_the_object_redirect_leads_an_administrator_anywhere(areas, admin_client):
    response = admin_client.get(view_on_site(areas["draft"]))
    assert response.status_code == 302
    assert response["Location"].endswith(areas["draft"].get_absolute_url())


@pytest.mark.parametrize("address", ["/admin/r/abc/1/", "/admin/r/1/abc/", "/admin/r/99999/1/"])
def test_a_malformed_object_redirect_answers_404(areas, admin_client, address):
    assert admin_client.get(address).status_code == 404
