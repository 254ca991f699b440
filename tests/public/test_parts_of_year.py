"""What a reader sees of tertials, percentages and one-off commitments: on the pages, in the
workbook and in open data. Years are this year (not ended) and last year (ended)."""

import csv
import datetime
import io
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followup.factories import CorrectionFactory, OutcomeFactory, YearlyFollowUpFactory
from followup.report import promise_report, with_followup_data
from promises.audience import PUBLIC
from promises.models import Promise
from tests.public.test_query_counts import PINNED

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture
def tertials(make_indicator):
    """Västerås, last year and this: "minst 6" dialogues reported per tertial, a survey share,
    and a one-off plan; both years' follow-ups published."""
    dialogues = make_indicator(
        start_year=LAST_YEAR, end_year=THIS_YEAR, name="Dialogmöten", target_value=6
    )
    commitment = dialogues.commitment
    survey = commitment.indicators.create(
        order=2,
        name="Andel otrygga",
        unit="%",
        kind="percent",
        rule="decrease",
        baseline_value=Decimal("28.2"),
        baseline_year=LAST_YEAR - 1,
    )
    plan = commitment.indicators.create(order=3, name="Handlingsplan", kind="yes_no", rule="done")
    promise = commitment.promise
    Promise.objects.filter(pk=promise.pk).update(state="published")
    for year in promise.years:
        YearlyFollowUpFactory(promise=promise, year=year, published=True)
    promise.refresh_from_db()
    return promise, dialogues, survey, plan


def outcome(indicator, year, part, value):
    return OutcomeFactory(indicator=indicator, year=year, part_of_year=part, value=value)


def test_parts_of_an_ended_year_add_up_and_only_the_year_is_judged(client, tertials):
    promise, dialogues, _survey, _plan = tertials
    for part, value in [("t1", 3), ("t2", 2), ("t3", 2)]:
        outcome(dialogues, LAST_YEAR, part, value)
    page = client.get(dialogues.get_absolute_url()).text
    assert '7 st <span class="muted">(summa av T1–T3)</span>' in page
    assert "3 av 6 efter T1 (50 %)" in page
    assert "5 av 6 efter T2 (83 %)" in page
    assert "7 av 6 efter T3 (117 %)" in page
    assert "Ej uppfyllt" not in page  # neither T3's 2 nor the early parts are a verdict
    assert "Ej rapporterat" not in page.split("delår")[0]  # the year has its figure


def test_a_part_of_a_year_not_ended_is_in_progress_toward_the_yearly_target(client, tertials):
    promise, dialogues, _survey, _plan = tertials
    outcome(dialogues, THIS_YEAR, "t1", 3)
    outcome(dialogues, THIS_YEAR, "t2", 2)
    page = client.get(promise.get_absolute_url()).text
    assert f"Dialogmöten: delår {THIS_YEAR} mot årets mål" in page
    assert "5 av 6 efter T2 (83 %)" in page
    parts_table = page.split(f"delår {THIS_YEAR}")[1].split("</table>")[0]
    assert "Pågående" in parts_table and "Ej uppfyllt" not in parts_table
    assert '5 st <span class="muted">(summa av T1, T2)</span>' in page


def test_a_full_year_figure_counts_and_the_page_says_so(client, tertials):
    promise, dialogues, _survey, _plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, LAST_YEAR, "year", 9)
    page = client.get(dialogues.get_absolute_url()).text
    assert '9 st <span class="muted">(helårssiffra)</span>' in page


def test_the_chart_shows_the_year_made_of_its_parts(tertials):
    promise, dialogues, _survey, _plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, LAST_YEAR, "t2", 4)
    loaded = with_followup_data(Promise.objects.filter(pk=promise.pk)).get()
    _commitment, item = promise_report(loaded, PUBLIC).indicator(dialogues.pk)
    assert [bar.value_label for bar in item.chart.bars] == ["7 st", "inget utfall"]


def test_a_percentage_changes_in_percentage_points_on_the_page(client, tertials):
    promise, _dialogues, survey, _plan = tertials
    outcome(survey, LAST_YEAR, "year", Decimal("26.8"))
    page = client.get(survey.get_absolute_url()).text
    assert "28,2 % → 26,8 %: −1,4 procentenheter" in page
    assert "−5" not in page


def test_a_one_off_done_last_year_is_done_this_year_everywhere(client, tertials):
    promise, dialogues, survey, plan = tertials
    outcome(plan, LAST_YEAR, "t2", 1)
    dialogues.delete()  # the plan alone makes the commitment
    survey.delete()
    page = client.get(plan.get_absolute_url()).text
    assert f'ja <span class="muted">(genomfört {LAST_YEAR})</span>' not in page
    assert 'ja <span class="muted">(genomfört T2)</span>' in page
    assert f'– <span class="muted">(genomfört {LAST_YEAR})</span>' in page
    assert "Ej rapporterat" not in page and "Pågående" not in page.split("delår")[0]
    promise_page = client.get(promise.get_absolute_url()).text
    assert f"1 av 1 åtagande uppfyllt {THIS_YEAR}" in promise_page
    area_page = client.get(promise.area.get_absolute_url()).text
    assert f"1 av 1 åtagande uppfyllt {THIS_YEAR}" in area_page


def test_a_one_off_undone_in_a_later_year_shows_what_the_council_entered(client, tertials):
    promise, _dialogues, _survey, plan = tertials
    outcome(plan, LAST_YEAR, "year", 1)
    outcome(plan, THIS_YEAR, "year", 0)
    page = client.get(plan.get_absolute_url()).text
    assert "(genomfört" not in page
    assert "Pågående" in page  # "no" in a year not yet ended


def workbook_rows(client, promise, year):
    url = reverse("promise_workbook", args=[promise.area.slug, promise.period_slug, year])
    sheet = load_workbook(BytesIO(client.get(url).content))["Åtaganden"]
    header = [cell.value for cell in sheet[1]]
    return {
        row["Indikator"]: row
        for row in (
            dict(zip(header, (c.value for c in cells), strict=True))
            for cells in sheet.iter_rows(min_row=2)
        )
    }


def test_the_workbook_holds_the_year_made_of_its_parts_and_points_for_a_share(client, tertials):
    promise, dialogues, survey, plan = tertials
    for part, value in [("t1", 3), ("t2", 2), ("t3", 2)]:
        outcome(dialogues, LAST_YEAR, part, value)
    outcome(survey, LAST_YEAR, "year", Decimal("26.8"))
    outcome(plan, LAST_YEAR, "year", 1)
    rows = workbook_rows(client, promise, LAST_YEAR)
    assert rows["Dialogmöten"]["Utfall"] == 7
    assert rows["Dialogmöten"]["Utfallet är"] == "summa av T1–T3"
    assert rows["Dialogmöten"]["Status"] == "Uppfyllt"
    assert rows["Andel otrygga"]["Förändring"] == pytest.approx(-1.4)
    assert rows["Andel otrygga"]["Förändring i procent"] is None
    later = workbook_rows(client, promise, THIS_YEAR)
    assert later["Handlingsplan"]["Status"] == "Uppfyllt"
    assert later["Handlingsplan"]["Utfallet är"] == f"genomfört {LAST_YEAR}"


def test_open_data_carries_the_year_made_of_its_parts_and_no_relative_change_of_a_share(
    client, tertials
):
    promise, dialogues, survey, plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, LAST_YEAR, "t2", 4)
    outcome(survey, LAST_YEAR, "year", Decimal("26.8"))
    outcome(plan, LAST_YEAR, "year", 1)
    text = client.get("/oppna-data/utfall.csv").content.decode()
    rows = {(r["indicator"], r["year"]): r for r in csv.DictReader(io.StringIO(text))}
    dialogues_row = rows["Dialogmöten", str(LAST_YEAR)]
    assert dialogues_row["outcome"] == "7" and dialogues_row["outcome_basis"] == "parts_sum"
    assert dialogues_row["status"] == "met"
    survey_row = rows["Andel otrygga", str(LAST_YEAR)]
    assert survey_row["change"] == "-1.4" and survey_row["change_percent"] == ""
    assert survey_row["outcome_basis"] == "year"
    carried = rows["Handlingsplan", str(THIS_YEAR)]
    assert carried["status"] == "met" and carried["outcome_basis"] == "done_earlier"
    assert carried["outcome"] == ""


def test_pages_with_parts_of_a_year_run_their_pinned_number_of_queries(
    client, tertials, django_assert_num_queries
):
    promise, dialogues, survey, plan = tertials
    for year in promise.years:
        for part, value in [("t1", 3), ("t2", 2), ("t3", 2)]:
            outcome(dialogues, year, part, value)
            outcome(survey, year, part, 20)
    urls = {
        "promise": promise.get_absolute_url(),
        "indicator": dialogues.get_absolute_url(),
        "area": promise.area.get_absolute_url(),
    }
    for name, url in urls.items():
        with django_assert_num_queries(PINNED[name]):
            assert client.get(url).status_code == 200


def test_the_entry_page_judges_a_tertial_with_the_earlier_ones(admin_client, tertials):
    promise, dialogues, _survey, _plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, LAST_YEAR, "t2", 2)
    outcome(dialogues, LAST_YEAR, "t3", 2)
    url = reverse("admin:promises_promise_followup", args=[promise.pk, LAST_YEAR])
    page = admin_client.get(url + "?period=t3").text
    assert "7 av 6 efter T3 (117 %)" in page
    assert "2 av 6" not in page
    whole_year = admin_client.get(url).text
    assert "7 av 6 (117 %)" in whole_year


def test_the_eskilstuna_demo_reads_as_it_always_has(client, demo):
    page = client.get(demo.get_absolute_url()).text
    assert "2\u00a0014 → 2\u00a0483: +469, +23,3 %" in page
    assert "104 av 200 (52 %)" in page
    assert "3 av 5 åtaganden uppfyllda 2021" in page
    assert "helårssiffra" not in page and "delår" not in page


def test_the_workbook_read_back_leaves_a_year_made_of_its_parts_to_its_parts(
    admin_client, tertials
):
    from tests.followup.test_outcome_import import confirm, upload

    promise, dialogues, _survey, _plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, LAST_YEAR, "t2", 2)
    url = reverse("promise_workbook", args=[promise.area.slug, promise.period_slug, LAST_YEAR])
    preview = upload(admin_client, admin_client.get(url).content)
    assert "confirm_form" in preview.context, preview.text
    confirm(admin_client, preview)
    assert not dialogues.outcomes.filter(part_of_year="year").exists()
    outcome(dialogues, LAST_YEAR, "t3", 2)  # a later part still counts toward the year
    page = admin_client.get(dialogues.get_absolute_url()).text
    assert '7 st <span class="muted">(summa av T1–T3)</span>' in page


def test_the_migration_changes_no_published_status_or_figure_of_the_demo(client, demo):
    import importlib

    from django.apps import apps

    from followup import opendata

    migration = importlib.import_module("promises.migrations.0008_parts_year_from_parts")
    before = opendata.as_csv()
    migration.set_from_kind(apps, None)
    kinds = set(demo.commitments.values_list("indicators__year_from_parts", flat=True))
    assert kinds == {"sum"}  # every demo figure is a count
    assert opendata.as_csv() == before
    rows = list(csv.DictReader(io.StringIO(before)))
    assert [(r["outcome"], r["status"]) for r in rows] == [
        ("2483", "met"),
        ("104", "not_met"),
        ("696", "no_target"),
        ("5", "met"),
        ("136", "met"),
        ("", "not_carried_out"),
    ]


def test_the_council_is_not_asked_again_for_a_year_made_of_parts_or_a_one_off_done(tertials):
    from followup.report import missing_outcomes

    promise, dialogues, survey, plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(plan, LAST_YEAR, "year", 1)
    after_both = datetime.date(THIS_YEAR + 1, 2, 1)
    missing = {
        year: [i.name for i in indicators]
        for _promise, year, indicators in missing_outcomes(
            Promise.objects.filter(pk=promise.pk), after_both
        )
    }
    assert missing == {
        LAST_YEAR: ["Andel otrygga"],
        THIS_YEAR: ["Dialogmöten", "Andel otrygga"],  # the plan was done last year
    }


def test_a_one_off_done_last_year_is_done_in_this_years_report_alone(tertials):
    # The yearly workbooks and the browse page build a report of one year: it still reads the
    # earlier years for a one-off done in one of them.
    promise, dialogues, survey, plan = tertials
    outcome(plan, LAST_YEAR, "year", 1)
    loaded = with_followup_data(Promise.objects.filter(pk=promise.pk), year=THIS_YEAR).get()
    report = promise_report(loaded, PUBLIC, year=THIS_YEAR)
    assert [summary.year for summary in report.years] == [THIS_YEAR]
    _commitment, plan_report = report.indicator(plan.pk)
    assert [row.year for row in plan_report.years] == [THIS_YEAR]
    assert plan_report.years[0].assessment.status == "met"
    assert plan_report.years[0].figure.basis_label == f"genomfört {LAST_YEAR}"


def test_a_report_of_one_year_shows_what_the_full_report_shows_of_that_year(tertials):
    # The yearly workbooks, the PDF and the browse page read one year's data alone (with a
    # one-off's earlier years): their rows, statuses and corrections are the full report's.
    promise, dialogues, survey, plan = tertials
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(dialogues, THIS_YEAR, "year", 7)
    outcome(survey, LAST_YEAR, "year", Decimal("26.8"))
    outcome(survey, THIS_YEAR, "year", Decimal("25.1"))
    outcome(plan, LAST_YEAR, "year", 1)
    for year in promise.years:
        CorrectionFactory(promise=promise, year=year, change=f"Rättat {year}")

    def shown(report):
        rows = [
            (c.commitment.pk, i.indicator.pk, y.year, y.value_label, y.basis_label, y.assessment)
            for c in report.commitments
            for i in c.indicators
            for y in i.years
        ]
        summaries = [(s.year, s.label, dict(s.counts)) for s in report.years]
        return rows, summaries, [c.change for c in report.corrections]

    full = with_followup_data(Promise.objects.filter(pk=promise.pk)).get()
    for year in promise.years:
        loaded = with_followup_data(Promise.objects.filter(pk=promise.pk), year=year).get()
        alone = shown(promise_report(loaded, PUBLIC, year=year))
        assert alone == shown(promise_report(full, PUBLIC, year=year))
        assert alone[2] == [f"Rättat {year}"]


def test_only_the_promises_missing_an_ended_years_outcome_are_read_for_the_dashboard(
    tertials, make_indicator
):
    from followup.report import that_may_miss_outcomes

    promise, dialogues, survey, plan = tertials
    complete = make_indicator(start_year=LAST_YEAR - 2, end_year=LAST_YEAR - 1, name="Klart")
    for year in complete.commitment.promise.years:
        outcome(complete, year, "year", 1)
    running = make_indicator(start_year=THIS_YEAR + 1, end_year=THIS_YEAR + 2, name="Senare")
    # Last year's figures entered for every indicator (the survey's by a part): only this year,
    # still running on 1 February, is missing and it is not asked for yet.
    outcome(dialogues, LAST_YEAR, "t1", 3)
    outcome(survey, LAST_YEAR, "t2", 20)
    outcome(plan, LAST_YEAR, "year", 0)
    in_february = datetime.date(THIS_YEAR, 2, 1)
    every = Promise.objects.all()
    assert list(that_may_miss_outcomes(every, in_february)) == []
    # A year later this year has ended with nothing entered for the dialogues and the survey.
    next_year = datetime.date(THIS_YEAR + 1, 2, 1)
    assert list(that_may_miss_outcomes(every, next_year)) == [promise]
    assert running.commitment.promise not in that_may_miss_outcomes(every, next_year)
