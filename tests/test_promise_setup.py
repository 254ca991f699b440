"""A promise is set up on one admin page: its commitments with their text, theme and parties,
and each commitment's indicators, saved together or not at all."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises.factories import AreaFactory, PartyFactory, PoliceFactory, ThemeFactory
from promises.models import Commitment, Indicator, Municipality, Promise
from promises.roles import grant

ADD = reverse("admin:promises_promise_add")

INDICATOR_FIELDS = {
    "id": "", "order": "1", "name": "", "unit": "", "kind": "count", "rule": "at_least",
    "target_value": "", "baseline_value": "", "baseline_year": "", "scope": "",
}  # fmt: skip


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def page_data(area, commitments, **promise):
    """The add page as a browser posts it: `commitments` is a list of (fields, indicators)."""
    data = {
        "area": area.pk, "start_year": "2025", "end_year": "2026", "title": "",
        "signed_on": "", "background": "", "_save": "Spara",
        **management("signatories", 0), **management("commitments", len(commitments)),
        **management("commitments-empty-indicators", 0),
        **promise,
    }  # fmt: skip
    for i, (fields, indicators) in enumerate(commitments):
        prefix = f"commitments-{i}"
        data.update({f"{prefix}-id": "", f"{prefix}-purpose": "", f"{prefix}-theme": ""})
        data.update({f"{prefix}-{name}": value for name, value in fields.items()})
        data.update(management(f"{prefix}-indicators", len(indicators)))
        for j, indicator in enumerate(indicators):
            values = {**INDICATOR_FIELDS, **indicator}
            data.update({f"{prefix}-indicators-{j}-{name}": v for name, v in values.items()})
    return data


@pytest.fixture
def setting_up(db):
    area = AreaFactory(name="Lokalpolisområde Norr", slug="norr")
    return {
        "area": area,
        "police": PoliceFactory(),
        "council": PartyFactory(
            name="Norrtälje kommun",
            kind="municipality",
            municipality=Municipality.objects.get(code="0188"),
        ),
        "theme": ThemeFactory(name="Trafik", slug="trafik"),
    }


def two_commitments(s):
    controls = (
        {
            "order": "1", "title": "Trafikkontroller", "text": "Polisen gör minst 200 kontroller.",
            "purpose": "Färre olyckor.", "theme": s["theme"].pk, "parties": [s["police"].pk],
        },
        [
            {"order": "1", "name": "Kontroller", "unit": "st", "target_value": "200",
             "scope": "prioriterade stadsdelar"},
            {"order": "2", "name": "Otrygghet", "unit": "%", "kind": "percent",
             "rule": "decrease", "baseline_value": "28,2", "baseline_year": "2024"},
        ],
    )  # fmt: skip
    plan = (
        {
            "order": "2", "title": "Handlingsplan", "text": "En plan för torget tas fram.",
            "parties": [s["police"].pk, s["council"].pk],
        },
        [{"order": "1", "name": "Plan upprättad", "kind": "yes_no", "rule": "done"}],
    )  # fmt: skip
    return [controls, plan]


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_a_promise_is_set_up_with_commitments_and_indicators_on_one_page(
    client, setting_up, django_user_model, who
):
    s = setting_up
    if who == "admin":
        user = django_user_model.objects.create_superuser("admin", password="x")
    else:
        user = django_user_model.objects.create_user("samordnare", password="x")
        grant(user, s["area"], "coordinator")
    client.force_login(user)
    response = client.post(ADD, page_data(s["area"], two_commitments(s)))
    assert response.status_code == 302, response.context and response.context["errors"]

    promise = Promise.objects.get(area=s["area"], start_year=2025)
    assert (promise.end_year, promise.state) == (2026, "draft")
    controls, plan = promise.commitments.order_by("order")
    assert controls.text == "Polisen gör minst 200 kontroller."
    assert (controls.purpose, controls.theme) == ("Färre olyckor.", s["theme"])
    assert list(controls.parties.all()) == [s["police"]]
    assert set(plan.parties.all()) == {s["police"], s["council"]}
    rows = Indicator.objects.filter(commitment__promise=promise).order_by(
        "commitment__order", "order"
    )
    assert [
        (i.commitment.order, i.order, i.name, i.kind, i.rule, i.target_value, i.baseline_value)
        for i in rows
    ] == [
        (1, 1, "Kontroller", "count", "at_least", 200, None),
        (1, 2, "Otrygghet", "percent", "decrease", None, Decimal("28.2")),
        (2, 1, "Plan upprättad", "yes_no", "done", None, None),
    ]
    assert rows[0].scope == "prioriterade stadsdelar" and rows[1].baseline_year == 2024


def test_the_change_page_edits_a_commitments_text_and_its_indicators(admin_client, demo):
    """The demo's page shows each commitment's text and indicators as fields."""
    page = admin_client.get(reverse("admin:promises_promise_change", args=[demo.pk])).text
    first = demo.commitments.get(order=1)
    assert 'name="commitments-0-text"' in page and first.text in page
    assert 'name="commitments-0-indicators-0-baseline_value"' in page
    assert "Förnya löftet" in page


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"commitments-1-text": ""}, "Detta fält måste fyllas i."),
        ({"commitments-0-indicators-0-target_value": ""}, "kräver ett målvärde"),
        ({"commitments-0-indicators-1-baseline_year": ""}, "Ange vilket år utgångsvärdet gäller."),
        ({"commitments-0-indicators-1-order": "1"}, "ge varje indikator ett eget nummer"),
        ({"commitments-1-order": "1"}, "ge varje åtagande ett eget nummer"),
        ({"commitments-0-indicators-1-baseline_value": "128"}, "mellan 0 och 100"),
        ({"commitments-1-indicators-0-kind": "count"}, "kräver slaget ”ja/nej”"),
    ],
)
def test_one_wrong_field_saves_nothing_and_says_what_is_wrong(
    admin_client, setting_up, broken, message
):
    data = page_data(setting_up["area"], two_commitments(setting_up))
    data.update(broken)
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert message in response.text
    assert not Promise.objects.filter(area=setting_up["area"]).exists()
    assert not Commitment.objects.exists() and not Indicator.objects.exists()


def test_a_coordinator_cannot_set_up_a_promise_in_another_area(
    client, setting_up, django_user_model
):
    user = django_user_model.objects.create_user("samordnare", password="x")
    grant(user, AreaFactory(name="Söder", slug="soder"), "coordinator")
    client.force_login(user)
    response = client.post(ADD, page_data(setting_up["area"], two_commitments(setting_up)))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert not Promise.objects.exists()


def test_a_council_member_sees_the_commitments_but_cannot_edit_them(
    client, demo, django_user_model
):
    user = django_user_model.objects.create_user("rad", password="x")
    grant(user, demo.area, "council_member")
    client.force_login(user)
    page = client.get(reverse("admin:promises_promise_change", args=[demo.pk])).text
    assert demo.commitments.get(order=1).title in page
    assert 'name="commitments-0-text"' not in page
    assert 'name="commitments-0-indicators-0-name"' not in page
    assert "Förnya löftet" not in page


def test_the_promise_page_reads_nothing_more_per_commitment(admin_client, build_promise):
    """Themes and parties are read once for the page, and every commitment's indicators in one
    query with the commitments (issue 17: a query per commitment before), so a promise of 6
    commitments costs as many queries as one of 1."""
    counts = {}
    for n in (1, 6):
        promise = build_promise(f"kommun-{n}", commitments=n)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("admin:promises_promise_change", args=[promise.pk]))
        assert response.status_code == 200
        counts[n] = len(queries)
    assert counts[6] == counts[1]


def test_rows_added_without_a_number_take_the_next_free_numbers(admin_client, setting_up):
    s = setting_up
    unnumbered = [
        (
            {"order": "", "title": "Trafik", "text": "Fler kontroller.",
             "parties": [s["police"].pk]},
            [{"order": "", "name": "Kontroller", "target_value": "200"},
             {"order": "", "name": "Mopedkontroller", "target_value": "4"}],
        ),
        (
            {"order": "", "title": "Dialog", "text": "Fler möten.", "parties": [s["police"].pk]},
            [{"order": "3", "name": "Möten", "target_value": "3"},
             {"order": "", "name": "Deltagare", "target_value": "50"}],
        ),
    ]  # fmt: skip
    response = admin_client.post(ADD, page_data(s["area"], unnumbered))
    assert response.status_code == 302, response.context and response.context["errors"]

    rows = Indicator.objects.filter(commitment__promise__area=s["area"])
    assert sorted(rows.values_list("commitment__order", "order", "name")) == [
        (1, 1, "Kontroller"),
        (1, 2, "Mopedkontroller"),
        (2, 3, "Möten"),
        (2, 4, "Deltagare"),
    ]
