"""The second demo promise: a constructed local police area over three municipalities, 2025–2026,
loaded by `load_demo` beside Eskilstuna's, and what its public pages show."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from followup import demo as example_module
from followup.models import Outcome, YearlyFollowUp
from promises.factories import UserFactory
from promises.models import Commitment, Indicator, Membership, Party, Promise, Signatory
from promises.roles import grant

URL = "/lokalpolisomrade-fagersta/2025-2026/"


@pytest.fixture
def example(demo):
    """The example as load_demo loads it, without the logins (hashing their passwords is slow):
    the tests of the command itself call it."""
    return example_module.load()


def rows_of(model):
    return list(model.objects.order_by("pk").values())


def page_text(response):
    """The page as a reader sees it: tags dropped, spaces (also non-breaking) as one."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " ").replace("\xa0", " "))


def section(text, heading, next_heading):
    return text[text.index(heading) : text.index(next_heading, text.index(heading))]


def test_load_demo_twice_writes_nothing_the_second_time(db):
    call_command("load_demo", stdout=StringIO())
    example = Promise.objects.get(area__slug=example_module.AREA_SLUG)
    models = [Promise, Signatory, Commitment, Indicator, Outcome, YearlyFollowUp, Party]
    history = [Promise.history, Commitment.history, Indicator.history, Outcome.history]
    before = [rows_of(m) for m in models], [h.count() for h in history]
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert ([rows_of(m) for m in models], [h.count() for h in history]) == before
    assert Promise.objects.filter(area__slug=example_module.AREA_SLUG).count() == 1
    assert example.commitments.count() == 3
    assert Outcome.objects.filter(indicator__commitment__promise=example).count() == 8
    assert "constructed example data" in output.getvalue()


def test_loading_again_resets_the_examples_figures(example):
    outcome = Outcome.objects.get(indicator__name__startswith="Andel som", year=2025)
    outcome.value = 99
    outcome.save()
    example_module.load()
    outcome.refresh_from_db()
    assert str(outcome.value.normalize()) == "26.8"


def test_the_demo_logins_work_in_the_example_area_too(db):
    call_command("load_demo", stdout=StringIO())
    example = Promise.objects.get(area__slug=example_module.AREA_SLUG)
    roles = Membership.objects.filter(area=example.area).values_list("user__username", "role")
    assert set(roles) == {("samordnare", "coordinator"), ("radsmedlem", "council_member")}


def test_the_police_and_each_covered_municipality_are_parties(example):
    parties = {(p.name, p.kind) for p in Party.objects.filter(commitments__promise=example)}
    assert parties == {
        ("Polismyndigheten", "police"),
        ("Fagersta kommun", "municipality"),
        ("Norbergs kommun", "municipality"),
        ("Skinnskattebergs kommun", "municipality"),
    }
    assert Party.objects.filter(name="Polismyndigheten").count() == 1  # Eskilstuna's party


def test_the_public_page_says_it_is_constructed_example_data(client, example):
    text = page_text(client.get(URL))
    heading = re.search(r"<h1>(.*?)</h1>", client.get(URL).content.decode()).group(1)
    assert "Konstruerat exempel – inte ett verkligt medborgarlöfte" in heading
    assert "personer, siffror och beslut är inte verkliga" in text
    assert "Lokalpolisområde Fagersta (exempel)" in text


def test_the_area_list_and_start_page_mark_the_area_as_an_example(client, example):
    assert "Lokalpolisområde Fagersta (exempel)" in page_text(client.get("/omraden/"))
    assert "Lokalpolisområde Fagersta (exempel) 2025–2026" in page_text(client.get("/"))


def test_the_public_page_names_the_covered_municipalities_with_their_codes(client, example):
    text = page_text(client.get(URL))
    for name, code in [("Fagersta", "1982"), ("Norberg", "1962"), ("Skinnskatteberg", "1904")]:
        assert f"{name} ({code})" in text or f"{name} (kommunkod {code})" in text


def test_the_safety_survey_percentage_falls_from_its_baseline(client, example):
    text = page_text(client.get(URL))
    table = section(
        text, "Andel som känner sig otrygga ute sent en kväll: mål och utfall", "Rådets"
    )
    assert "2024 28,2 % Utgångsvärde" in table
    assert "2025 26,8 % minska från 28,2 % (2024) ✓ Uppfyllt" in table


def test_the_one_off_action_plan_is_done_in_2025(client, example):
    text = page_text(client.get(URL))
    table = section(text, "Handlingsplanen är framtagen: mål och utfall", "Rådets")
    assert "2025 ja genomfört ✓ Uppfyllt" in table


def test_the_context_figure_is_shown_without_a_verdict(client, example):
    text = page_text(client.get(URL))
    table = section(text, "Anmälda brott i lokalpolisområdet: mål och utfall", "Polisiär närvaro")
    assert "2025 2 318 st inget mål – visas som jämförelse – Inget mål" in table


def test_the_published_year_carries_the_councils_summary(client, example):
    text = page_text(client.get(URL))
    assert "Godkänd av det lokala brottsförebyggande rådet 10 februari 2026." in text
    assert "fotpatrullerna redovisades per tertial" in text


def test_the_tertial_patrols_add_up_to_the_year(client, example):
    text = page_text(client.get(URL))
    table = section(text, "Fotpatruller i kommunernas centrum: mål och utfall", "Narkotika")
    assert "124 st" in table  # 38 + 45 + 41 in T1–T3 2025
    assert "Uppfyllt" in table


def test_2026_is_not_published_while_it_is_under_way(client, example):
    text = page_text(client.get(URL))
    assert "2026:" not in text  # no commitment status for 2026
    assert not re.search(r"<h3>2026", client.get(URL).content.decode())
    assert "35 st" not in text and "42 st" not in text and "77 st" not in text
    assert not YearlyFollowUp.objects.published().filter(promise=example, year=2026).exists()


def test_the_council_sees_2026_as_a_draft(client, example):
    member = UserFactory()
    grant(member, example.area, "council_member")
    client.force_login(member)
    response = client.get(URL)
    assert re.search(r"<h3>2026 <strong class=\"draft-mark\">", response.content.decode())
    assert "2026:" in page_text(response)


def test_the_interim_figures_are_entered_for_tertials_only(example):
    patrols = Outcome.objects.filter(indicator__name="Fotpatruller i kommunernas centrum")
    assert sorted(patrols.values_list("year", "part_of_year", "value")) == [
        (2025, "t1", 38),
        (2025, "t2", 45),
        (2025, "t3", 41),
        (2026, "t1", 35),
        (2026, "t2", 42),
    ]


def test_searching_the_area_by_its_name_finds_it(client, example):
    assert "Lokalpolisområde Fagersta (exempel)" in page_text(client.get("/omraden/?q=Fagersta"))


@pytest.mark.parametrize("query", ["Norberg", "Skinnskatteberg", "1962", "1904"])
def test_searching_a_covered_municipality_finds_the_area(client, example, query):
    text = page_text(client.get("/omraden/", {"q": query}))
    assert "Lokalpolisområde Fagersta (exempel)" in text
