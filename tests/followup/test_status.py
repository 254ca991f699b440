"""Every target rule and edge case of the status computation, without a database."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from followup.models import Outcome, PartOfYear
from followup.status import Status, assess, change, progress, target_met
from promises.models import Indicator

# Swedish groups thousands with a no-break space: "2 014".
YEAR_END = datetime.date(2021, 12, 31)
AFTER = datetime.date(2022, 2, 1)
DURING = datetime.date(2021, 6, 1)


def indicator(rule, target=None, baseline=None, kind="count", in_percent=False):
    return Indicator(
        name="x",
        kind=kind,
        rule=rule,
        target_value=None if target is None else Decimal(target),
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_year=None if baseline is None else 2020,
        target_in_percent=in_percent,
    )


def outcome(value=None, override="", reason=""):
    value = None if value is None else Decimal(value)
    return Outcome(year=2021, value=value, status_override=override, override_reason=reason)


def status_of(ind, out, today=AFTER):
    return assess(ind, out, YEAR_END, today).status


@pytest.mark.parametrize(
    ("rule", "target", "baseline", "value", "expected"),
    [
        ("at_least", "200", None, "104", Status.NOT_MET),
        ("at_least", "200", None, "200", Status.MET),
        ("at_least", "4", None, "5", Status.MET),
        ("at_most", "5", None, "5", Status.MET),
        ("at_most", "5", None, "6", Status.NOT_MET),
        ("increase", None, "2014", "2483", Status.MET),
        ("increase", None, "2014", "2014", Status.NOT_MET),
        ("increase", "500", "2014", "2483", Status.NOT_MET),
        ("increase", "469", "2014", "2483", Status.MET),
        ("decrease", None, "28.2", "27.9", Status.MET),
        ("decrease", None, "28.2", "28.2", Status.NOT_MET),
        ("decrease", "2", "28.2", "26.2", Status.MET),
        ("decrease", "2", "28.2", "26.3", Status.NOT_MET),
    ],
)
def test_a_numeric_rule_is_judged_once_the_year_has_ended(rule, target, baseline, value, expected):
    kind = "percent" if baseline == "28.2" else "count"
    assert status_of(indicator(rule, target, baseline, kind), outcome(value)) == expected


def test_a_change_target_can_be_a_percentage_of_the_baseline():
    ten_percent_more = indicator("increase", "10", "2000", in_percent=True)
    assert status_of(ten_percent_more, outcome("2200")) == Status.MET
    assert status_of(ten_percent_more, outcome("2199")) == Status.NOT_MET


def test_done_is_met_by_yes_and_not_met_by_no():
    dap = indicator("done", kind="yes_no")
    assert status_of(dap, outcome("1")) == Status.MET
    assert status_of(dap, outcome("0")) == Status.NOT_MET


def test_a_context_figure_is_never_judged():
    assert status_of(indicator("none"), outcome("696")) == Status.NO_TARGET
    assert status_of(indicator("none"), None) == Status.NO_TARGET


def test_a_year_not_yet_ended_is_in_progress_not_failed():
    assert status_of(indicator("at_least", "200"), outcome("104"), DURING) == Status.IN_PROGRESS
    assert status_of(indicator("at_least", "200"), None, DURING) == Status.IN_PROGRESS
    assert status_of(indicator("at_least", "200"), None, YEAR_END) == Status.IN_PROGRESS


def test_a_count_target_reached_early_is_met_before_the_year_ends():
    assert status_of(indicator("at_least", "200"), outcome("201"), DURING) == Status.MET


def test_an_upper_limit_is_not_met_until_the_year_has_ended():
    assert status_of(indicator("at_most", "5"), outcome("2"), DURING) == Status.IN_PROGRESS


def test_a_year_ended_with_no_outcome_is_not_reported():
    assert status_of(indicator("at_least", "3"), None) == Status.NOT_REPORTED
    assert status_of(indicator("at_least", "3"), outcome(None, "")) == Status.NOT_REPORTED


def test_an_override_with_its_reason_wins_over_the_computed_status():
    meetings = indicator("at_least", "3")
    covid = outcome(None, "not_carried_out", "Ej genomförts på grund av covid")
    result = assess(meetings, covid, YEAR_END, AFTER)
    assert result.status == Status.NOT_CARRIED_OUT
    assert result.overridden
    three_of_four = assess(
        indicator("at_least", "4"), outcome("3", "partly_met", "3 av 4 möten"), YEAR_END, AFTER
    )
    assert three_of_four.status == Status.PARTLY_MET
    assert three_of_four.progress == Decimal("75.0")


def test_partly_met_is_never_computed():
    computed = {
        status_of(indicator(rule, target, baseline), outcome(value), today)
        for rule, target, baseline in [("at_least", "4", None), ("increase", None, "10")]
        for value in ["0", "3", "4", "11"]
        for today in [DURING, AFTER]
    }
    assert Status.PARTLY_MET not in computed


def test_progress_is_the_share_of_an_at_least_target():
    assert progress(indicator("at_least", "200"), Decimal("104")) == Decimal("52.0")
    assert progress(indicator("at_least", "120"), Decimal("136")) == Decimal("113.3")


def test_progress_is_undefined_for_a_target_of_zero_other_rules_or_no_value():
    assert progress(indicator("at_least", "0"), Decimal("3")) is None
    assert progress(indicator("at_most", "5"), Decimal("3")) is None
    assert progress(indicator("at_least", "200"), None) is None


def test_a_target_of_zero():
    assert status_of(indicator("at_least", "0"), outcome("0")) == Status.MET
    assert status_of(indicator("at_most", "0"), outcome("0")) == Status.MET
    assert status_of(indicator("at_most", "0"), outcome("1")) == Status.NOT_MET


def test_change_against_the_baseline():
    result = change(indicator("increase", baseline="2014"), Decimal("2483"))
    assert result.absolute == Decimal("469")
    assert result.percent == Decimal("23.3")
    assert str(result) == "2\u00a0014 → 2\u00a0483: +469, +23,3 %"


def test_a_percentage_changes_in_percentage_points_without_a_relative_change():
    result = change(indicator("decrease", baseline="28.2", kind="percent"), Decimal("26.8"))
    assert result.absolute == Decimal("-1.4")
    assert result.percent is None
    assert str(result) == "28,2 % → 26,8 %: −1,4 procentenheter"
    with translation.override("en"):
        assert str(result) == "28.2 % → 26.8 %: −1.4 percentage points"


def test_a_count_keeps_its_relative_change_with_decimals():
    result = change(indicator("decrease", baseline="28.2"), Decimal("25.5"))
    assert result.absolute == Decimal("-2.7")
    assert result.percent == Decimal("-9.6")
    assert str(result) == "28,2 → 25,5: −2,7, −9,6 %"


def test_no_change_without_a_baseline_and_no_percent_from_a_zero_baseline():
    assert change(indicator("at_least", "200"), Decimal("104")) is None
    from_zero = change(indicator("increase", baseline="0"), Decimal("5"))
    assert from_zero.absolute == Decimal("5")
    assert from_zero.percent is None


def test_target_met_has_no_answer_for_a_context_figure():
    assert target_met(indicator("none"), Decimal("696")) is None


def test_tertials_quarters_and_years_end_on_their_last_day():
    assert PartOfYear.T1.last_day(2021) == datetime.date(2021, 4, 30)
    assert PartOfYear.Q1.last_day(2024) == datetime.date(2024, 3, 31)
    assert PartOfYear.YEAR.last_day(2021) == YEAR_END


def test_labels_show_target_baseline_and_value_in_swedish():
    assert indicator("at_least", "200").target_label == "minst 200"
    assert indicator("increase", baseline="2014").target_label == "öka från 2\u00a0014 (2020)"
    percent = indicator("decrease", "2", "28.2", kind="percent")
    percent.unit = "%"
    assert percent.target_label == "minska med 2 procentenheter från 28,2 % (2020)"
    percent.target_in_percent = True  # a relative change: 2 % of 28,2 %
    assert percent.target_label == "minska med 2 % från 28,2 % (2020)"
    assert percent.format_value(Decimal("61.50")) == "61,5 %"


def test_a_commitment_is_as_far_along_as_its_weakest_judged_indicator():
    from followup.status import combine

    assert combine([Status.NOT_MET, Status.NO_TARGET]) == Status.NOT_MET
    assert combine([Status.MET, Status.MET, Status.NO_TARGET]) == Status.MET
    assert combine([Status.MET, Status.IN_PROGRESS]) == Status.IN_PROGRESS
    assert combine([Status.MET, Status.NOT_REPORTED]) == Status.NOT_REPORTED
    assert combine([Status.PARTLY_MET, Status.MET]) == Status.PARTLY_MET
    assert combine([Status.NO_TARGET]) == Status.NO_TARGET
    assert combine([]) == Status.NO_TARGET
