"""Database constraints hold even when a form is bypassed; model validation speaks Swedish."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from followup.models import Outcome, YearlyFollowUp
from promises.models import Indicator, Promise


def integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_database_refuses_a_duplicate_outcome_for_the_same_indicator_year_and_part(
    make_indicator,
):
    indicator = make_indicator()
    Outcome.objects.create(indicator=indicator, year=2023, value=5)
    integrity_error(lambda: Outcome.objects.create(indicator=indicator, year=2023, value=6))
    Outcome.objects.create(indicator=indicator, year=2023, part_of_year="t1", value=2)
    assert Outcome.objects.filter(indicator=indicator).count() == 2


def test_the_database_refuses_negative_values_overrides_without_reason_and_empty_outcomes(
    make_indicator,
):
    indicator = make_indicator()
    integrity_error(lambda: Outcome.objects.create(indicator=indicator, year=2023, value=-1))
    integrity_error(
        lambda: Outcome.objects.create(indicator=indicator, year=2023, status_override="met")
    )
    integrity_error(lambda: Outcome.objects.create(indicator=indicator, year=2023))
    assert not Outcome.objects.exists()


def test_the_database_refuses_a_period_longer_than_three_years_or_backwards(make_indicator):
    area = make_indicator().commitment.promise.area
    integrity_error(lambda: Promise.objects.create(area=area, start_year=2030, end_year=2033))
    integrity_error(lambda: Promise.objects.create(area=area, start_year=2030, end_year=2029))
    Promise.objects.create(area=area, start_year=2030, end_year=2032)


def test_the_database_refuses_a_limit_rule_without_target_and_a_change_rule_without_baseline(
    make_indicator,
):
    commitment = make_indicator().commitment
    base = {"commitment": commitment, "name": "x", "kind": "count"}
    integrity_error(lambda: Indicator.objects.create(rule="at_least", **base))
    integrity_error(lambda: Indicator.objects.create(rule="decrease", **base))


def messages_of(error):
    return {field: [str(m) for m in msgs] for field, msgs in error.value.message_dict.items()}


@pytest.mark.parametrize(
    ("kind", "rule", "value", "message"),
    [
        ("count", "at_least", "-3", "Ett utfall kan inte vara negativt."),
        ("count", "at_least", "2.5", "Ett antal anges i hela tal."),
        ("percent", "at_least", "140", "En andel i procent ska ligga mellan 0 och 100."),
        ("yes_no", "done", "2", "Ett ja/nej-mått har värdet 1 (ja) eller 0 (nej)."),
    ],
)
def test_an_outcome_value_that_does_not_fit_its_indicator_is_explained(
    make_indicator, kind, rule, value, message
):
    target = 50 if rule == "at_least" else None
    indicator = make_indicator(kind=kind, rule=rule, target_value=target)
    outcome = Outcome(indicator=indicator, year=2023, value=Decimal(value))
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert message in messages_of(error)["value"]


def test_an_outcome_for_a_year_outside_the_promise_is_explained(make_indicator):
    outcome = Outcome(indicator=make_indicator(), year=2025, value=3)
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert messages_of(error)["year"] == ["Året 2025 ligger utanför löftets period 2023–2024."]


def test_a_follow_up_for_a_year_outside_the_promise_is_explained(make_indicator):
    promise = make_indicator().commitment.promise
    with pytest.raises(ValidationError) as error:
        YearlyFollowUp(promise=promise, year=2022).full_clean()
    assert "utanför löftets period" in messages_of(error)["year"][0]


def test_an_indicator_rule_must_fit_its_kind(make_indicator):
    commitment = make_indicator().commitment
    wrong = Indicator(commitment=commitment, name="DAP", kind="count", rule="done")
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "ja/nej" in messages_of(error)["rule"][0]


def test_published_querysets_hide_drafts(demo):
    draft = Promise.objects.create(area=demo.area, start_year=2022, end_year=2023)
    assert list(Promise.objects.published()) == [demo]
    assert draft not in Promise.objects.published()
    assert YearlyFollowUp.objects.published().count() == 1
    assert Outcome.objects.published().count() == 6
    YearlyFollowUp.objects.update(state="draft")
    assert Outcome.objects.published().count() == 0


def test_an_area_cannot_take_an_address_the_site_uses(db):
    from promises.models import Area

    area = Area(name="Löften", slug="loften", kind="municipality")
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert messages_of(error)["slug"] == ["Kortnamnet används redan av webbplatsen."]


def test_a_decrease_cannot_go_below_zero(make_indicator):
    commitment = make_indicator().commitment
    base = {"commitment": commitment, "order": 2, "name": "Otrygghet", "kind": "percent"}
    base["rule"] = "decrease"
    base.update(baseline_value=Decimal("28.2"), baseline_year=2022)
    for target, in_percent in [(Decimal("30"), False), (Decimal("100"), True)]:
        wrong = Indicator(target_value=target, target_in_percent=in_percent, **base)
        with pytest.raises(ValidationError) as error:
            wrong.full_clean()
        assert "mer än utgångsvärdet" in messages_of(error)["target_value"][0]
    Indicator(target_value=Decimal("2"), **base).full_clean()
