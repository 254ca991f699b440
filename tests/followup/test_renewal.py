""" "Förnya löftet": the next period's draft, made from a promise on its admin page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followup.factories import OutcomeFactory, YearlyFollowUpFactory
from followup.models import Outcome, YearlyFollowUp
from followup.renewal import last_reported_figure
from promises.factories import (
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    PartyFactory,
    PoliceFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
)
from promises.models import Commitment, Indicator, Municipality, Promise
from promises.roles import grant


def renew_url(promise):
    return reverse("admin:promises_promise_renew", args=[promise.pk])


@pytest.fixture
def promise(db):
    """A published two-year promise with a signatory, follow-ups and outcomes."""
    old = PromiseFactory(
        area=AreaFactory(name="Norr", slug="norr"),
        start_year=2023,
        end_year=2024,
        published=True,
        title="Medborgarlöfte Norr 2023–2024",
        background="Lägesbild 2022",
    )
    SignatoryFactory(promise=old)
    police, council = (
        PoliceFactory(),
        PartyFactory(
            name="Norrtälje kommun",
            kind="municipality",
            municipality=Municipality.objects.get(code="0188"),
        ),
    )
    theme = ThemeFactory(name="Trafik", slug="trafik")
    traffic = CommitmentFactory(
        promise=old, order=1, title="Trafik", text="Minst 200 kontroller.", purpose="Färre olyckor",
        theme=theme, parties=[police, council],
    )  # fmt: skip
    controls = IndicatorFactory(
        commitment=traffic, order=1, name="Kontroller", scope="centrum",
        baseline_value=150, baseline_year=2022,
    )  # fmt: skip
    unsafe = IndicatorFactory(
        commitment=traffic, order=2, name="Otrygga", kind="percent", unit="%",
        rule="decrease", baseline_value=Decimal("28.2"), baseline_year=2022,
    )  # fmt: skip
    plan = CommitmentFactory(promise=old, order=2, title="Plan", text="En plan.", parties=[police])
    done = IndicatorFactory(commitment=plan, order=1, name="Plan klar", done=True)
    OutcomeFactory(indicator=controls, year=2023, value=180)
    OutcomeFactory(indicator=controls, year=2024, value=210)
    OutcomeFactory(indicator=controls, year=2024, part_of_year="t1", value=70)
    OutcomeFactory(indicator=unsafe, year=2024, value=None, comment="Ingen mätning i år")
    OutcomeFactory(indicator=done, year=2023, value=1)
    for year in old.years:
        YearlyFollowUpFactory(promise=old, year=year, published=True)
    return old


def test_last_reported_figure_is_the_latest_full_year_with_a_figure(promise):
    controls, unsafe = Indicator.objects.filter(commitment__order=1).order_by("order")
    assert last_reported_figure(controls) == (2024, Decimal("210"))
    assert last_reported_figure(unsafe) is None  # a comment without a figure is no figure


def test_last_reported_figure_reads_a_year_made_of_its_parts(promise):
    controls, unsafe = Indicator.objects.filter(commitment__order=1).order_by("order")
    for part, value in (("t1", 80), ("t2", 90), ("t3", 60)):
        OutcomeFactory(indicator=controls, year=2025, part_of_year=part, value=value)
    assert last_reported_figure(controls) == (2025, Decimal("230"))  # the sum of T1–T3
    OutcomeFactory(indicator=controls, year=2026, part_of_year="t1", value=75)
    assert last_reported_figure(controls) == (2025, Decimal("230"))  # 2026 is not over
    OutcomeFactory(indicator=unsafe, year=2025, part_of_year="t1", value=Decimal("27.5"))
    assert last_reported_figure(unsafe) == (2025, Decimal("27.5"))  # a share: the latest part


def test_renewal_copies_commitments_and_indicators_into_a_draft(admin_client, promise):
    response = admin_client.post(renew_url(promise), follow=True)

    new = Promise.objects.get(area=promise.area, start_year=2025)
    assert response.redirect_chain[-1][0] == reverse("admin:promises_promise_change", args=[new.pk])
    message = str(list(response.context["messages"])[0])
    assert "Utkastet" in message and "2 åtaganden" in message and "3 indikatorer" in message
    assert "inget är publicerat" in message
    assert (new.end_year, new.state, new.title, new.background) == (2026, "draft", "", "")
    assert not new.signatories.exists()
    assert not YearlyFollowUp.objects.filter(promise=new).exists()
    assert not Outcome.objects.filter(indicator__commitment__promise=new).exists()

    traffic, plan = new.commitments.order_by("order")
    assert (traffic.title, traffic.text, traffic.purpose, traffic.theme.name) == (
        "Trafik", "Minst 200 kontroller.", "Färre olyckor", "Trafik",
    )  # fmt: skip
    assert sorted(p.name for p in traffic.parties.all()) == ["Norrtälje kommun", "Polismyndigheten"]
    assert (plan.title, plan.theme) == ("Plan", None)
    copied = {
        i.name: (i.kind, i.rule, i.unit, i.scope, i.target_value, i.baseline_value, i.baseline_year)
        for i in Indicator.objects.filter(commitment__promise=new)
    }
    assert copied == {
        # moved to the last full year's figure (2024: 210; the tertial is not a year)
        "Kontroller": ("count", "at_least", "st", "centrum", Decimal("200"), Decimal("210"), 2024),
        # no figure reported: the old baseline stays
        "Otrygga": ("percent", "decrease", "%", "", None, Decimal("28.2"), 2022),
        # a yes/no is not a baseline
        "Plan klar": ("yes_no", "done", "", "", None, None, None),
    }
    # The old promise is as it was.
    promise.refresh_from_db()
    assert promise.is_published and promise.signatories.count() == 1
    assert Indicator.objects.get(commitment__promise=promise, name="Kontroller").baseline_year == (
        2022
    )


def test_a_one_year_promise_renews_into_the_next_year(admin_client, db):
    old = PromiseFactory(start_year=2021, end_year=2021)
    admin_client.post(renew_url(old))
    assert Promise.objects.filter(area=old.area, start_year=2022, end_year=2022).exists()


@pytest.mark.parametrize(
    "start, end, blocking_start, message",
    [
        (2023, 2024, 2025, "har redan ett medborgarlöfte som börjar 2025"),
        (2098, 2099, None, "slutar efter 2100"),
    ],
)
def test_renewal_is_refused_with_a_message_and_nothing_is_made(
    admin_client, db, start, end, blocking_start, message
):
    old = PromiseFactory(start_year=start, end_year=end)
    CommitmentFactory(promise=old)
    if blocking_start:
        PromiseFactory(area=old.area, start_year=blocking_start, end_year=blocking_start)
    before = (Promise.objects.count(), Commitment.objects.count())
    response = admin_client.post(renew_url(old), follow=True)
    assert message in str(list(response.context["messages"])[0])
    assert response.redirect_chain[-1][0] == reverse("admin:promises_promise_change", args=[old.pk])
    assert (Promise.objects.count(), Commitment.objects.count()) == before


def test_renewal_is_post_only(admin_client, promise):
    assert admin_client.get(renew_url(promise)).status_code == 405
    assert not Promise.objects.filter(start_year=2025).exists()


def test_renewal_is_undone_whole_when_a_step_fails(admin_client, promise, monkeypatch):
    def broken(indicator):
        raise RuntimeError("database gone")

    monkeypatch.setattr("followup.renewal.last_reported_figure", broken)
    admin_client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        admin_client.post(renew_url(promise))
    assert not Promise.objects.filter(start_year=2025).exists()
    assert Commitment.objects.count() == 2


@pytest.mark.parametrize(
    "role, area, expected",
    [("coordinator", "own", 302), ("council_member", "own", 403), ("coordinator", "other", 404)],
)
def test_only_a_coordinator_of_the_area_may_renew(
    client, promise, django_user_model, role, area, expected
):
    user = django_user_model.objects.create_user("anvandare", password="x")
    grant(user, promise.area if area == "own" else AreaFactory(), role)
    client.force_login(user)
    page = client.get(reverse("admin:promises_promise_change", args=[promise.pk]))
    assert ("Förnya löftet" in page.text) == (expected == 302)
    assert client.post(renew_url(promise)).status_code == expected
    assert Promise.objects.filter(start_year=2025).exists() == (expected == 302)


def test_renewal_needs_a_csrf_token(promise, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_superuser("admin", password="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(renew_url(promise)).status_code == 403
    assert not Promise.objects.filter(start_year=2025).exists()


def test_renewal_keeps_how_each_indicators_parts_make_the_year(admin_client, promise):
    controls = Indicator.objects.get(commitment__promise=promise, name="Kontroller")
    controls.year_from_parts = Indicator.YearFromParts.LATEST  # a state, not a running count
    controls.save()
    admin_client.post(renew_url(promise))
    renewed = Indicator.objects.get(commitment__promise__start_year=2025, name="Kontroller")
    assert renewed.year_from_parts == Indicator.YearFromParts.LATEST
