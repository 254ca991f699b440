"""Who may do what: every role × action × own area / other area, answered as the site answers."""

import pytest
from django.urls import reverse

from followup.models import Outcome
from promises.models import Area, Membership
from promises.roles import COORDINATOR_GROUP, COUNCIL_MEMBER_GROUP, grant

EXPECTED = {
    # action:           (council member own, other), (coordinator own, other), (admin own, other)
    "view_promise": ((200, 404), (200, 404), (200, 200)),
    "promise_history": ((200, 404), (200, 404), (200, 200)),
    "view_outcome": ((200, 404), (200, 404), (200, 200)),
    "save_outcome": ((302, 404), (302, 404), (302, 302)),
    "enter_followup": ((200, 404), (200, 404), (200, 200)),
    "save_indicator": ((403, 404), (302, 404), (302, 302)),
    "add_indicator": ((403, 403), (200, 200), (200, 200)),
    "memberships": ((403, 403), (403, 403), (200, 200)),
}  # fmt: skip
ROLES = ["council_member", "coordinator", "admin"]


@pytest.fixture
def world(demo, build_promise, django_user_model):
    """Eskilstuna (the demo, 'own') and Västerås (another area), and one user per role."""
    other = build_promise("vasteras", commitments=1)
    users = {}
    for role in ROLES:
        if role == "admin":
            user = django_user_model.objects.create_superuser(role, password="x")
        else:
            user = django_user_model.objects.create_user(role, password="x")
            grant(user, demo.area, role)
        users[role] = user
    return {"own": demo, "other": other, "users": users}


def indicator_data(indicator):
    return {
        "commitment": indicator.commitment_id, "order": indicator.order, "name": indicator.name,
        "unit": indicator.unit, "kind": indicator.kind, "rule": indicator.rule,
        "target_value": "201" if indicator.target_value is not None else "",
        "baseline_value": indicator.baseline_value or "",
        "baseline_year": indicator.baseline_year or "", "scope": indicator.scope,
    }  # fmt: skip


def attempt(client, action, promise):
    indicator = promise.commitments.order_by("order").first().indicators.order_by("order").first()
    outcome = Outcome.objects.filter(indicator__commitment__promise=promise).first()
    if action == "view_promise":
        return client.get(reverse("admin:promises_promise_change", args=[promise.pk]))
    if action == "promise_history":
        return client.get(reverse("admin:promises_promise_history", args=[promise.pk]))
    if action == "view_outcome":
        return client.get(reverse("admin:followup_outcome_change", args=[outcome.pk]))
    if action == "save_outcome":
        data = {
            "indicator": outcome.indicator_id, "year": outcome.year,
            "part_of_year": outcome.part_of_year,
            "value": "7", "comment": "ny", "status_override": "", "override_reason": "",
            "correction_reason": "Rättad siffra",  # the own area's 2021 is published
        }  # fmt: skip
        return client.post(reverse("admin:followup_outcome_change", args=[outcome.pk]), data)
    if action == "enter_followup":
        url = reverse("admin:promises_promise_followup", args=[promise.pk, promise.start_year])
        return client.get(url)
    if action == "save_indicator":
        url = reverse("admin:promises_indicator_change", args=[indicator.pk])
        return client.post(url, indicator_data(indicator))
    if action == "add_indicator":
        return client.get(reverse("admin:promises_indicator_add"))
    if action == "memberships":
        return client.get(reverse("admin:promises_membership_changelist"))
    raise AssertionError(action)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_permission_matrix(client, world, action, role, scope):
    client.force_login(world["users"][role])
    expected = EXPECTED[action][ROLES.index(role)][0 if scope == "own" else 1]
    response = attempt(client, action, world[scope])
    assert response.status_code == expected, (role, action, scope)


@pytest.mark.parametrize("role", ["council_member", "coordinator"])
def test_lists_search_and_autocomplete_show_only_the_users_areas(client, world, role):
    client.force_login(world["users"][role])
    for url in [
        reverse("admin:promises_promise_changelist"),
        reverse("admin:promises_promise_changelist") + "?q=vasteras",
        reverse("admin:followup_outcome_changelist"),
        reverse("admin:promises_indicator_changelist"),
        reverse("admin:autocomplete") + "?app_label=promises&model_name=commitment"
        "&field_name=promise&term=",
    ]:
        page = client.get(url).content.decode()
        assert "Vasteras" not in page and "Västerås" not in page, url


def test_a_council_member_cannot_publish_or_edit_a_promise(client, world):
    client.force_login(world["users"]["council_member"])
    page = client.get(reverse("admin:promises_promise_change", args=[world["own"].pk])).text
    assert 'name="state"' not in page
    assert 'name="title"' not in page  # view only


def test_exports_hold_only_the_users_areas(client, world):
    client.force_login(world["users"]["council_member"])
    response = client.post(
        reverse("admin:followup_outcome_export"),
        {
            "format": "1",
            "resource": "0",
            "outcomeresource_area": "on",
            "outcomeresource_year": "on",
        },
    )
    text = response.content.decode()
    assert "Eskilstuna kommun" in text and "Vasteras" not in text


def test_an_import_cannot_reach_another_area(client, world):
    client.force_login(world["users"]["council_member"])
    content = "Område,Period,År,Åtagande nr,Indikator nr,Utfall\nVasteras,2023-2024,2023,1,1,5\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("admin:followup_outcome_import"),
        {"import_file": SimpleUploadedFile("x.csv", content.encode()), "format": 1},
    )
    assert "Okänt område ”Vasteras”." in response.text


def test_granting_a_role_gives_the_group_and_the_staff_flag(world):
    member = world["users"]["council_member"]
    assert member.is_staff
    assert list(member.groups.values_list("name", flat=True)) == [COUNCIL_MEMBER_GROUP]
    coordinator = world["users"]["coordinator"]
    assert coordinator.groups.filter(name=COORDINATOR_GROUP).exists()
    assert coordinator.has_perm("promises.publish_promise")
    assert not member.has_perm("promises.publish_promise")
    assert Membership.objects.filter(area=Area.objects.get(slug="eskilstuna")).count() == 2


def test_a_role_holds_only_in_its_own_area(client, world, django_user_model):
    """Coordinator of Västerås, council member of Eskilstuna: no editing Eskilstuna's promise."""
    user = django_user_model.objects.create_user("blandad", password="x")
    grant(user, world["own"].area, "council_member")
    grant(user, world["other"].area, "coordinator")
    client.force_login(user)
    commitment = world["own"].commitments.get(order=1)
    delete = reverse("admin:promises_commitment_delete", args=[commitment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert world["own"].commitments.filter(pk=commitment.pk).exists()
    add_form = client.get(reverse("admin:promises_promise_add")).text
    area_choices = add_form.split('name="area"')[1].split("</select>")[0]
    assert "Eskilstuna kommun" not in area_choices and "Vasteras" in area_choices


def test_history_can_be_read_but_not_reverted(admin_client, world):
    outcome = Outcome.objects.filter(indicator__commitment__promise=world["own"]).first()
    outcome.value = 9
    outcome.save()
    record = outcome.history.earliest()
    url = reverse("admin:followup_outcome_simple_history", args=[outcome.pk, record.history_id])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"value": "1"})
    assert Outcome.objects.get(pk=outcome.pk).value == 9
