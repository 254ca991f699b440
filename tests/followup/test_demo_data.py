"""The Eskilstuna 2021 demo holds the seeds' figures and gives domain.md's statuses."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from followup.models import Outcome, YearlyFollowUp
from followup.status import Status
from promises.models import Commitment, Promise

# domain.md's table: commitment number → (parties, indicator outcomes, status).
EXPECTED = {
    1: ({"Polismyndigheten"}, [("2483", Status.MET)]),
    2: ({"Polismyndigheten"}, [("104", Status.NOT_MET), ("696", Status.NO_TARGET)]),
    3: ({"Polismyndigheten"}, [("5", Status.MET)]),
    4: ({"Polismyndigheten"}, [("136", Status.MET)]),
    5: ({"Polismyndigheten", "Eskilstuna kommun"}, [(None, Status.NOT_CARRIED_OUT)]),
}


def outcomes_of(commitment):
    return [
        indicator.outcomes.get(year=2021, part_of_year="year")
        for indicator in commitment.indicators.all()
    ]


def test_the_promise_is_signed_and_published_as_the_news_item_says(demo):
    assert demo.signed_on == datetime.date(2021, 3, 31)
    assert demo.is_published
    assert demo.period_label == "2021"
    assert [str(s) for s in demo.signatories.all()] == [
        "Jimmy Jansson (S), kommunstyrelsens ordförande",
        "Christer Sjöqvist, lokalpolisområdeschef",
    ]
    assert "narkotikabrottslighet" in demo.background
    assert "Trygga Unga" in demo.background


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_each_commitment_has_the_seeds_figures_and_domain_status(demo, number):
    parties, expected = EXPECTED[number]
    commitment = demo.commitments.get(order=number)
    assert {party.name for party in commitment.parties.all()} == parties
    outcomes = outcomes_of(commitment)
    assert [
        (None if o.value is None else str(o.value.normalize()), o.assessment().status)
        for o in outcomes
    ] == expected


def test_the_drug_offences_rose_by_469_from_the_2020_baseline(demo):
    outcome = outcomes_of(demo.commitments.get(order=1))[0]
    assert (outcome.indicator.baseline_value, outcome.indicator.baseline_year) == (2014, 2020)
    change = outcome.assessment().change
    assert (change.absolute, change.percent) == (Decimal(469), Decimal("23.3"))


def test_traffic_controls_reached_52_percent_with_a_covid_comment(demo):
    outcome, context = outcomes_of(demo.commitments.get(order=2))
    assert outcome.assessment().progress == Decimal("52.0")
    assert outcome.indicator.scope == "prioriterade stadsdelar"
    assert "COVID" in outcome.comment
    assert context.indicator.is_context


def test_citizen_meetings_were_not_carried_out_with_the_councils_reason(demo):
    outcome = outcomes_of(demo.commitments.get(order=5))[0]
    assert outcome.assessment().overridden
    assert "Torshälla" in outcome.override_reason


def test_the_follow_up_narrative_belongs_to_the_commitments(demo):
    comments = " ".join(Outcome.objects.values_list("comment", flat=True))
    assert "nationell trafikvecka" in comments
    assert "Tuna Park" in comments


def test_the_yearly_follow_up_is_published_with_its_summary(demo):
    followup = YearlyFollowUp.objects.get(promise=demo, year=2021)
    assert followup.summary.startswith("Coronapandemin har under 2021 påverkat")
    assert followup.state == "published"


def test_load_demo_twice_does_not_duplicate_anything(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    eskilstuna = Promise.objects.get(area__slug="eskilstuna")
    assert Commitment.objects.filter(promise=eskilstuna).count() == 5
    assert Outcome.objects.filter(indicator__commitment__promise=eskilstuna).count() == 6
    assert "user: demo  password: eskilstuna-2021" in capsys.readouterr().out
