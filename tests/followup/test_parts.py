"""Parts of a year make the year, and a part is progress toward the yearly target: the rules of
followup.parts, without a database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from followup.models import Outcome
from followup.parts import (
    Basis,
    assess_entered,
    assess_part,
    assess_year,
    carried,
    part_rows,
    year_figure,
)
from followup.status import Status
from promises.models import Indicator

DURING = datetime.date(2023, 9, 15)  # in T3 of 2023
AFTER = datetime.date(2024, 2, 1)


def indicator(rule="at_least", target="6", kind="count", parts_rule="", baseline=None):
    return Indicator(
        name="x",
        kind=kind,
        rule=rule,
        target_value=None if target is None else Decimal(target),
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_year=None if baseline is None else 2022,
        year_from_parts=parts_rule,
        unit="st" if kind == "count" else ("%" if kind == "percent" else ""),
    )


def out(part, value=None, year=2023, override="", reason=""):
    value = None if value is None else Decimal(value)
    return Outcome(
        year=year, part_of_year=part, value=value, status_override=override, override_reason=reason
    )


def test_each_kind_of_figure_has_its_own_way_to_make_the_year():
    assert indicator(kind="count").parts_rule == "sum"
    assert indicator(kind="percent").parts_rule == "latest"
    assert indicator("done", None, kind="yes_no").parts_rule == "done_once"
    assert indicator("none", None, kind="text").parts_rule == "latest"
    assert indicator(kind="count", parts_rule="latest").parts_rule == "latest"


def test_counts_of_the_parts_add_up_to_the_year():
    figure = year_figure(indicator(), [out("t1", 3), out("t2", 2), out("t3", 2)])
    assert figure.value == 7
    assert figure.basis == Basis.PARTS_SUM
    assert figure.basis_label == "summa av T1–T3"
    assert assess_year(indicator(), figure, 2023, AFTER).status == Status.MET


def test_a_percentage_is_the_latest_part_not_a_sum():
    survey = indicator("decrease", None, kind="percent", baseline="28.2")
    figure = year_figure(survey, [out("t2", "26.8"), out("t1", "30.1")])
    assert figure.value == Decimal("26.8")
    assert figure.basis_label == "senaste: T2"


def test_a_one_off_is_done_once_any_part_is_done():
    plan = indicator("done", None, kind="yes_no")
    figure = year_figure(plan, [out("q1", 0), out("q2", 1), out("q3", 0)])
    assert figure.value == 1
    assert figure.basis_label == "genomfört K2"
    not_yet = year_figure(plan, [out("q1", 0), out("q2", 0)])
    assert not_yet.value == 0 and not_yet.basis_label == "senaste: K2"


def test_a_full_year_figure_counts_instead_of_the_parts_and_says_so():
    figure = year_figure(indicator(), [out("t1", 3), out("year", 9), out("t2", 2)])
    assert figure.value == 9
    assert figure.basis_label == "helårssiffra"
    alone = year_figure(indicator(), [out("year", 9)])
    assert alone.basis_label == ""  # a year without parts reads as it always did


def test_a_full_year_comment_without_a_figure_leaves_the_figure_to_the_parts():
    note = out("year")
    note.comment = "Se delåren"
    figure = year_figure(indicator(), [note, out("t1", 3), out("t2", 2)])
    assert figure.value == 5 and figure.outcome is note


def test_parts_not_entered_are_left_out_of_the_label():
    figure = year_figure(indicator(), [out("t1", 3), out("t3", 2)])
    assert figure.value == 5 and figure.basis_label == "summa av T1, T3"
    assert year_figure(indicator(), [out("t1", 3), out("t2", 1)]).basis_label == "summa av T1, T2"


def test_a_year_of_parts_not_yet_ended_is_in_progress_not_failed():
    figure = year_figure(indicator(), [out("t1", 3), out("t2", 2)])
    assert assess_year(indicator(), figure, 2023, DURING).status == Status.IN_PROGRESS
    # Without T3 the year's figure is incomplete: not reported, not failed.
    assert assess_year(indicator(), figure, 2023, AFTER).status == Status.NOT_REPORTED


def test_a_summed_count_reaching_an_at_least_target_is_met_early():
    figure = year_figure(indicator(), [out("t1", 4), out("t2", 2)])
    assert assess_year(indicator(), figure, 2023, DURING).status == Status.MET


def test_a_latest_part_reaching_the_target_is_not_met_early_as_it_can_fall_back():
    share = indicator("at_least", "60", kind="percent")
    figure = year_figure(share, [out("t1", 55), out("t2", 61)])
    assert assess_year(share, figure, 2023, DURING).status == Status.IN_PROGRESS
    assert assess_year(share, figure, 2023, AFTER).status == Status.MET


def test_a_part_is_progress_toward_the_year_cumulative_for_a_sum():
    t1, t2 = out("t1", 3), out("t2", 2)
    assessment = assess_part(indicator(), t2, [t1], DURING)
    assert assessment.status == Status.IN_PROGRESS
    assert assessment.value == 5
    assert assessment.progress_label == "5 av 6 efter T2 (83 %)"


def test_an_early_part_is_never_not_met_even_after_the_year_has_ended():
    t1 = out("t1", 3)
    assert assess_part(indicator(), t1, [], AFTER).status == Status.IN_PROGRESS


def test_the_last_part_once_the_year_has_ended_is_judged_on_the_whole_year():
    t1, t2, t3 = out("t1", 3), out("t2", 2), out("t3", 2)
    assert assess_part(indicator(), t3, [t1, t2], AFTER).status == Status.MET
    assert assess_part(indicator("at_least", "8"), t3, [t1, t2], AFTER).status == Status.NOT_MET
    # Judged alone, a T3 count of 2 would have been "Ej uppfyllt 2 av 6".
    assert assess_part(indicator(), t3, [t1, t2], DURING).status == Status.MET


def test_a_part_reaching_a_summed_target_is_met_at_once():
    t1, t2 = out("t1", 4), out("t2", 2)
    assert assess_part(indicator(), t2, [t1], datetime.date(2023, 7, 1)).status == Status.MET


def test_a_latest_part_is_judged_on_its_own_figure():
    share = indicator("at_most", "20", kind="percent")
    t1, t2 = out("t1", 30), out("t2", 18)
    assessment = assess_part(share, t2, [t1], DURING)
    assert assessment.value == 18 and assessment.status == Status.IN_PROGRESS


def test_later_parts_do_not_count_toward_an_earlier_one():
    t1, t2 = out("t1", 3), out("t2", 5)
    assert assess_part(indicator(), t1, [t2], DURING).value == 3


def test_an_empty_part_is_in_progress_until_it_ends_then_not_reported():
    empty = out("t1")
    assert assess_part(indicator(), empty, [], datetime.date(2023, 3, 1)).status == (
        Status.IN_PROGRESS
    )
    assert assess_part(indicator(), empty, [], DURING).status == Status.NOT_REPORTED


def test_an_override_on_a_part_is_the_councils_judgement():
    t1 = out("t1", 1, override="partly_met", reason="Ett av två möten")
    result = assess_part(indicator(), t1, [], DURING)
    assert result.status == Status.PARTLY_MET and result.overridden


def test_a_context_figure_of_a_part_is_never_judged():
    context = indicator("none", None)
    assert assess_part(context, out("t1", 696), [], AFTER).status == Status.NO_TARGET


def test_the_rows_of_the_parts_show_each_figure_and_the_progress_after_it():
    figure = year_figure(indicator(), [out("t2", 2), out("t1", 3)])
    rows = part_rows(indicator(), figure, DURING)
    assert [str(r.name) for r in rows] == ["T1", "T2"]
    assert [r.value_label for r in rows] == ["3 st", "2 st"]
    assert [r.progress_label for r in rows] == ["3 av 6 efter T1 (50 %)", "5 av 6 efter T2 (83 %)"]
    at_most = indicator("at_most", "5")
    rows = part_rows(at_most, year_figure(at_most, [out("t1", 3), out("t2", 1)]), DURING)
    assert [r.progress_label for r in rows] == ["3 st efter T1", "4 st efter T2"]


def test_the_entry_page_judges_a_part_with_the_earlier_parts_of_the_year():
    t1, t3 = out("t1", 3), out("t3", 2)
    t2 = out("t2", 2)
    result = assess_entered(indicator(), t3, t3, [t1, t2], AFTER)
    assert result.status == Status.MET and result.value == 7
    new_row = out("t3")
    assert assess_entered(indicator(), new_row, None, [t1, t2], DURING).status == (
        Status.IN_PROGRESS
    )


def test_the_entry_page_judges_the_year_on_its_parts_when_no_full_year_figure_is_entered():
    empty_year = out("year")
    result = assess_entered(indicator(), empty_year, None, [out("t1", 4), out("t2", 3)], AFTER)
    assert result.status == Status.MET and result.value == 7
    nine = out("year", 9)
    assert assess_entered(
        indicator("at_least", "10"), nine, nine, [out("t1", 12)], AFTER
    ).status == (Status.NOT_MET)


def test_a_one_off_done_in_an_earlier_year_stays_done():
    plan = indicator("done", None, kind="yes_no")
    done_2021 = assess_year(plan, year_figure(plan, [out("year", 1, 2021)]), 2021, AFTER)
    later = year_figure(plan, [])
    figure, assessment = carried(plan, later, [(2021, done_2021)])
    assert assessment.status == Status.MET
    assert figure.basis_label == "genomfört 2021"


def test_a_one_off_is_not_carried_over_what_the_council_entered_for_the_later_year():
    plan = indicator("done", None, kind="yes_no")
    done_2021 = assess_year(plan, year_figure(plan, [out("year", 1, 2021)]), 2021, AFTER)
    undone = year_figure(plan, [out("year", 0, 2022)])
    assert carried(plan, undone, [(2021, done_2021)]) is None
    not_done = assess_year(plan, year_figure(plan, [out("year", 0, 2021)]), 2021, AFTER)
    assert carried(plan, year_figure(plan, []), [(2021, not_done)]) is None
    count = indicator()
    met = assess_year(count, year_figure(count, [out("year", 7, 2021)]), 2021, AFTER)
    assert carried(count, year_figure(count, []), [(2021, met)]) is None


@pytest.mark.parametrize(
    ("kind", "rule", "parts_rule", "allowed"),
    [
        ("count", "at_least", "sum", True),
        ("count", "at_least", "latest", True),
        ("count", "at_least", "done_once", False),
        ("percent", "at_least", "sum", False),
        ("percent", "at_least", "latest", True),
        ("yes_no", "done", "done_once", True),
        ("yes_no", "done", "latest", True),
        ("yes_no", "done", "sum", False),
        ("text", "none", "sum", False),
    ],
)
def test_the_way_parts_make_the_year_must_suit_the_kind(kind, rule, parts_rule, allowed):
    target = "6" if rule == "at_least" else None
    candidate = indicator(rule, target, kind=kind, parts_rule=parts_rule)
    if allowed:
        candidate.clean()
    else:
        with pytest.raises(ValidationError) as error:
            candidate.clean()
        assert "passar inte ett mått av slaget" in str(error.value.message_dict["year_from_parts"])


def test_clean_fills_in_the_way_that_suits_the_kind():
    candidate = indicator(kind="percent")
    candidate.clean()
    assert candidate.year_from_parts == "latest"


def test_a_limit_passed_by_summed_parts_is_still_in_progress_until_the_year_ends():
    # The rule: a part is never judged "not met" before the year has ended, even when
    # a summed count has already passed an "at most" limit; the year judges it once over.
    at_most = indicator("at_most", "5")
    parts = [out("t1", 4), out("t2", 3)]
    assert assess_year(at_most, year_figure(at_most, parts), 2023, DURING).status == (
        Status.IN_PROGRESS
    )
    assert assess_part(at_most, parts[1], [parts[0]], DURING).status == Status.IN_PROGRESS
    assert assess_year(at_most, year_figure(at_most, parts), 2023, AFTER).status == Status.NOT_MET


def test_a_sum_without_the_last_part_is_not_reported_after_the_year_not_met():
    controls = indicator("at_least", "6")
    figure = year_figure(controls, [out("t1", 2), out("t2", 1)])
    assert assess_year(controls, figure, 2023, AFTER).status == Status.NOT_REPORTED
    reached = year_figure(controls, [out("t1", 4), out("t2", 3)])
    assert assess_year(controls, reached, 2023, AFTER).status == Status.MET
    complete = year_figure(controls, [out("t1", 2), out("t2", 1), out("t3", 1)])
    assert assess_year(controls, complete, 2023, AFTER).status == Status.NOT_MET


def test_a_quarter_entered_beside_tertials_is_read_among_the_quarters():
    controls = indicator("at_least", "6")
    q2 = out("q2", 2)
    result = assess_part(controls, q2, [out("t1", 3), out("q1", 1)], DURING)
    assert (result.status, result.value) == (Status.IN_PROGRESS, 3)  # Q1 + Q2, not T1
