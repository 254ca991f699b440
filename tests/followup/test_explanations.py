"""How a status was reached, in words: one test per rule and status, in Swedish and English,
without a database. The words come from the assessment `assess` returned (followup.status)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from followup.models import Outcome
from followup.parts import assess_part, assess_year, carried, year_figure
from followup.status import Status, assess, explain
from promises.models import Indicator

YEAR_END = datetime.date(2021, 12, 31)
DURING = datetime.date(2021, 6, 1)
AFTER = datetime.date(2022, 2, 1)


def indicator(rule, target=None, baseline=None, kind="count", unit="st", in_percent=False):
    return Indicator(
        name="x",
        kind=kind,
        rule=rule,
        unit=unit,
        target_value=None if target is None else Decimal(target),
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_year=None if baseline is None else 2020,
        target_in_percent=in_percent,
    )


def outcome(value=None, override="", reason="", part="year"):
    value = None if value is None else Decimal(value)
    return Outcome(
        year=2021,
        part_of_year=part,
        value=value,
        status_override=override,
        override_reason=reason,
    )


def said(ind, assessment, language):
    """The explanation as a reader sees it (Swedish groups thousands with a no-break space)."""
    with translation.override(language):
        return explain(ind, assessment).replace("\u00a0", " ")


def check(ind, assessment, status, swedish, english):
    assert assessment.status == status
    assert said(ind, assessment, "sv") == swedish
    assert said(ind, assessment, "en") == english


TRAFFIC = indicator("at_least", "200")


def test_at_least_met():
    check(
        indicator("at_least", "120"),
        assess(indicator("at_least", "120"), outcome("136"), YEAR_END, AFTER),
        Status.MET,
        "Målet var minst 120 st. Utfallet 136 st är 113 % av målet, alltså uppfyllt.",
        "The target was at least 120 st. The outcome, 136 st, is 113 % of the target, so met.",
    )


def test_at_least_not_met_is_the_seeds_traffic_controls():
    check(
        TRAFFIC,
        assess(TRAFFIC, outcome("104"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var minst 200 st. Utfallet 104 st är 52 % av målet, alltså ej uppfyllt.",
        "The target was at least 200 st. The outcome, 104 st, is 52 % of the target, so not met.",
    )


def test_at_least_in_progress_while_the_year_runs():
    check(
        TRAFFIC,
        assess(TRAFFIC, outcome("104"), YEAR_END, DURING),
        Status.IN_PROGRESS,
        "Målet är minst 200 st. Utfallet 104 st är 52 % av målet. Året är inte slut än: pågående.",
        "The target is at least 200 st. The outcome, 104 st, is 52 % of the target. "
        "The year is not over yet: in progress.",
    )


def test_a_share_just_under_its_target_is_not_rounded_up_to_all_of_it():
    ind = indicator("at_least", "1000")
    check(
        ind,
        assess(ind, outcome("998"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var minst 1 000 st. Utfallet 998 st är 99,8 % av målet, alltså ej uppfyllt.",
        "The target was at least 1,000 st. The outcome, 998 st, is 99.8 % of the target, "
        "so not met.",
    )


def test_at_least_for_a_percentage_says_whether_it_reached_the_target():
    ind = indicator("at_least", "60", kind="percent", unit="%")
    check(
        ind,
        assess(ind, outcome("58.5"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var minst 60 %. Utfallet 58,5 % når inte upp till målet, alltså ej uppfyllt.",
        "The target was at least 60 %. The outcome, 58.5 %, falls short of the target, so not met.",
    )


def test_at_most_met_and_not_met():
    fires = indicator("at_most", "5", unit="bränder")
    check(
        fires,
        assess(fires, outcome("5"), YEAR_END, AFTER),
        Status.MET,
        "Målet var högst 5 bränder. Utfallet 5 bränder håller sig inom målet, alltså uppfyllt.",
        "The target was at most 5 bränder. The outcome, 5 bränder, stays within the target, "
        "so met.",
    )
    check(
        fires,
        assess(fires, outcome("7"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var högst 5 bränder. Utfallet 7 bränder är över målet, alltså ej uppfyllt.",
        "The target was at most 5 bränder. The outcome, 7 bränder, is above the target, "
        "so not met.",
    )


def test_at_most_within_its_limit_is_still_in_progress_before_the_year_ends():
    fires = indicator("at_most", "5", unit="bränder")
    check(
        fires,
        assess(fires, outcome("2"), YEAR_END, DURING),
        Status.IN_PROGRESS,
        "Målet är högst 5 bränder. Utfallet 2 bränder håller sig inom målet. "
        "Året är inte slut än: pågående.",
        "The target is at most 5 bränder. The outcome, 2 bränder, stays within the target. "
        "The year is not over yet: in progress.",
    )


def test_increase_met_is_the_seeds_drug_offences():
    drugs = indicator("increase", baseline="2014")
    check(
        drugs,
        assess(drugs, outcome("2483"), YEAR_END, AFTER),
        Status.MET,
        "Målet var att öka från 2 014 st (2020). Utfallet 2 483 st är +469 st (+23,3 %) "
        "jämfört med utgångsvärdet, alltså uppfyllt.",
        "The target was to increase from 2,014 st (2020). The outcome, 2,483 st, is +469 st "
        "(+23.3 %) compared with the baseline, so met.",
    )


def test_increase_by_a_stated_amount_names_the_figure_it_comes_to():
    drugs = indicator("increase", "10", "2014", in_percent=True)
    check(
        drugs,
        assess(drugs, outcome("2100"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var att öka med 10 % från 2 014 st (2020). Det betyder minst 2 215,4 st. "
        "Utfallet 2 100 st är +86 st (+4,3 %) jämfört med utgångsvärdet, alltså ej uppfyllt.",
        "The target was to increase by 10 % from 2,014 st (2020). That means at least "
        "2,215.4 st. The outcome, 2,100 st, is +86 st (+4.3 %) compared with the baseline, "
        "so not met.",
    )


def test_decrease_of_a_share_is_told_in_percentage_points():
    unsafe = indicator("decrease", "1", "28.2", kind="percent", unit="%")
    check(
        unsafe,
        assess(unsafe, outcome("26.8"), YEAR_END, AFTER),
        Status.MET,
        "Målet var att minska med 1 procentenheter från 28,2 % (2020). Det betyder högst "
        "27,2 %. Utfallet 26,8 % är −1,4 procentenheter jämfört med utgångsvärdet, "
        "alltså uppfyllt.",
        "The target was to decrease by 1 percentage points from 28.2 % (2020). That means at "
        "most 27.2 %. The outcome, 26.8 %, is −1.4 percentage points compared with the "
        "baseline, so met.",
    )


def test_done_and_not_done():
    dap = indicator("done", kind="yes_no", unit="")
    check(
        dap,
        assess(dap, outcome("1"), YEAR_END, AFTER),
        Status.MET,
        "Målet var att det genomförs. Utfallet är ja, alltså uppfyllt.",
        "The target was that it is carried out. The outcome is yes, so met.",
    )
    check(
        dap,
        assess(dap, outcome("0"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var att det genomförs. Utfallet är nej, alltså ej uppfyllt.",
        "The target was that it is carried out. The outcome is no, so not met.",
    )


def test_a_one_off_done_in_an_earlier_year_stays_done():
    dap = indicator("done", kind="yes_no", unit="")
    earlier = assess(dap, outcome("1"), YEAR_END, AFTER)
    figure = year_figure(dap, [])
    _figure, assessment = carried(dap, figure, [(2021, earlier)])
    check(
        dap,
        assessment,
        Status.MET,
        "Genomfört 2021; ett engångsåtagande förblir genomfört, alltså uppfyllt.",
        "Carried out in 2021; a one-off stays carried out, so met.",
    )


def test_no_outcome_once_the_year_has_ended_and_while_it_runs():
    check(
        TRAFFIC,
        assess(TRAFFIC, None, YEAR_END, AFTER),
        Status.NOT_REPORTED,
        "Målet var minst 200 st. Inget utfall rapporterades, alltså ej rapporterat.",
        "The target was at least 200 st. No outcome was reported, so not reported.",
    )
    check(
        TRAFFIC,
        assess(TRAFFIC, None, YEAR_END, DURING),
        Status.IN_PROGRESS,
        "Målet är minst 200 st. Inget utfall är rapporterat än. Året är inte slut än: pågående.",
        "The target is at least 200 st. No outcome has been reported yet. "
        "The year is not over yet: in progress.",
    )


def test_an_override_tells_what_the_figures_gave_and_the_councils_judgement_and_reason():
    meetings = indicator("at_least", "3", unit="möten")
    covid = outcome(None, "not_carried_out", "Ej genomförts på grund\nav covid.")
    check(
        meetings,
        assess(meetings, covid, YEAR_END, AFTER),
        Status.NOT_CARRIED_OUT,
        "Målet var minst 3 möten. Inget utfall rapporterades, alltså ej rapporterat. "
        "Rådet har i stället bedömt det som ej genomfört. "
        "Motivering: Ej genomförts på grund av covid.",
        "The target was at least 3 möten. No outcome was reported, so not reported. "
        "The council judged it not carried out instead. "
        "Reason: Ej genomförts på grund av covid.",
    )


def test_partly_met_is_the_councils_judgement_over_the_figures():
    meetings = indicator("at_least", "4", unit="möten")
    check(
        meetings,
        assess(meetings, outcome("3", "partly_met", "3 av 4 möten hölls."), YEAR_END, AFTER),
        Status.PARTLY_MET,
        "Målet var minst 4 möten. Utfallet 3 möten är 75 % av målet, alltså ej uppfyllt. "
        "Rådet har i stället bedömt det som delvis uppfyllt. Motivering: 3 av 4 möten hölls.",
        "The target was at least 4 möten. The outcome, 3 möten, is 75 % of the target, "
        "so not met. The council judged it partly met instead. Reason: 3 av 4 möten hölls.",
    )


def test_an_override_agreeing_with_the_figures_says_so_plainly():
    check(
        TRAFFIC,
        assess(TRAFFIC, outcome("104", "not_met"), YEAR_END, AFTER),
        Status.NOT_MET,
        "Målet var minst 200 st. Utfallet 104 st är 52 % av målet, alltså ej uppfyllt. "
        "Rådet har bedömt det som ej uppfyllt.",
        "The target was at least 200 st. The outcome, 104 st, is 52 % of the target, "
        "so not met. The council judged it not met.",
    )


def test_a_context_figure_without_target():
    whole_town = indicator("none")
    check(
        whole_town,
        assess(whole_town, outcome("696"), YEAR_END, AFTER),
        Status.NO_TARGET,
        "Måttet har inget mål: siffran visas som sammanhang och bedöms inte.",
        "This measure has no target: the figure is shown as context and is not judged.",
    )


def test_a_part_of_the_year_is_progress_toward_the_years_target():
    controls = indicator("at_least", "6")
    t1, t2 = outcome("3", part="t1"), outcome("2", part="t2")
    check(
        controls,
        assess_part(controls, t2, [t1], DURING),
        Status.IN_PROGRESS,
        "Målet är minst 6 st. Utfallet 5 st efter T2 är 83 % av målet. "
        "Årets mål bedöms när året är slut: pågående.",
        "The target is at least 6 st. The outcome, 5 st after T2, is 83 % of the target. "
        "The year's target is judged when the year is over: in progress.",
    )


def test_a_sum_of_parts_without_the_last_part_is_not_reported():
    controls = indicator("at_least", "6")
    figure = year_figure(controls, [outcome("3", part="t1"), outcome("2", part="t2")])
    check(
        controls,
        assess_year(controls, figure, 2021, AFTER),
        Status.NOT_REPORTED,
        "Målet var minst 6 st. Utfallet 5 st är 83 % av målet, men årets sista del är inte "
        "rapporterad, alltså ej rapporterat.",
        "The target was at least 6 st. The outcome, 5 st, is 83 % of the target, but the "
        "year's last part has not been reported, so not reported.",
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_rule_and_status_has_an_explanation_that_ends_a_sentence(language):
    """No combination of rule, figure and date is left without words."""
    indicators = [
        indicator("at_least", "200"),
        indicator("at_least", "0"),
        indicator("at_most", "5"),
        indicator("increase", baseline="0"),
        indicator("decrease", "2", "28.2", kind="percent", unit="%"),
        indicator("done", kind="yes_no", unit=""),
        indicator("none"),
    ]
    for ind in indicators:
        for value in [None, "0", "1", "300"]:
            for override in ["", "met", "partly_met", "not_met", "not_carried_out"]:
                for today in [DURING, AFTER]:
                    result = assess(ind, outcome(value, override, "Skäl."), YEAR_END, today)
                    text = said(ind, result, language)
                    assert text.endswith("."), (ind.rule, value, override, today, text)
                    assert "%(" not in text and "None" not in text, text
