"""What a resident sees: published promises with target versus outcome, and never a draft."""

import pytest
from django.urls import reverse

from accessibility.models import ProblemReport
from followup.models import Outcome, YearlyFollowUp
from promises.models import Promise
from promises.roles import grant

PROMISE_URL = "/eskilstuna/2021/"


@pytest.fixture
def draft(demo):
    """A draft 2022–2023 promise of Västerås, with a figure entered for 2022."""
    from promises.models import Area

    area = Area.objects.create(name="Västerås stad", slug="vasteras", kind="municipality")
    promise = Promise.objects.create(
        area=area, start_year=2022, end_year=2023, title="Hemligt utkast"
    )
    commitment = promise.commitments.create(order=1, title="Hemligt åtagande", text="…")
    indicator = commitment.indicators.create(
        name="Hemlig indikator", kind="count", rule="at_least", target_value=10
    )
    Outcome.objects.create(indicator=indicator, year=2022, value=7)
    YearlyFollowUp.objects.create(promise=promise, year=2022, summary="Hemlig sammanfattning")
    return promise


@pytest.fixture
def council_client(client, django_user_model):
    """A logged-in council member; each test grants the areas they work in."""
    user = django_user_model.objects.create_user("radet", password="x", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def test_the_start_page_explains_searches_and_summarises(client, demo):
    page = client.get("/").text
    assert "Ett medborgarlöfte är kommunens och polisens gemensamma löfte" in page
    assert 'name="q"' in page
    assert "Eskilstuna kommun 2021" in page
    assert "3 av 5 åtaganden uppfyllda 2021" in page
    summary = page.split('id="summary-heading"')[1].split("</dl>")[0]
    assert "<dt>Medborgarlöften</dt><dd>1</dd>" in summary
    assert "<dt>Åtaganden</dt><dd>5</dd>" in summary
    assert '<meta name="description"' in page


def test_area_search_finds_eskilstuna(client, demo):
    assert "Eskilstuna kommun" in client.get("/omraden/", {"q": "eskil"}).text
    assert "Inga områden hittades." in client.get("/omraden/", {"q": "Kiruna"}).text


def test_the_area_page_summarises_each_promise_per_year(client, demo):
    page = client.get("/eskilstuna/").text
    assert "3 av 5 åtaganden uppfyllda 2021" in page
    assert "<title>Eskilstuna kommun – Medborgarlöften</title>" in page


def test_the_promise_page_shows_signatories_summary_and_every_commitment(client, demo):
    page = client.get(PROMISE_URL).text
    assert page.count("<h1>") == 1
    assert "Undertecknat 31 mars 2021 av:" in page
    assert "Jimmy Jansson (S), kommunstyrelsens ordförande (Eskilstuna kommun)" in page
    assert "Christer Sjöqvist, lokalpolisområdeschef (Polismyndigheten)" in page
    assert "Coronapandemin har under 2021 påverkat" in page
    for commitment in demo.commitments.all():
        assert str(commitment) in page


def test_the_promise_page_shows_target_outcome_status_progress_and_change(client, demo):
    page = client.get(PROMISE_URL).text
    assert "2\u00a0014 → 2\u00a0483: +469, +23,3 %" in page
    assert "104 av 200 (52 %)" in page
    assert "696 st" in page and "Inget mål" in page
    assert "136 st" in page and "5 st" in page
    assert page.count("badge-met") >= 3
    # The status in words; the icon beside it is hidden from screen readers.
    icon = '<span class="badge-icon" aria-hidden="true">✓</span>'
    assert f'<span class="badge badge-met">{icon} Uppfyllt</span>' in page
    assert "Ej uppfyllt" in page
    assert "Ej genomfört" in page
    assert "alkoholutandningsprov" in page  # the council's covid comment
    assert "Rådets bedömning 2021: ej genomfört." in page
    assert "Torshälla" in page
    assert "<svg" in page and "<table" in page  # every chart has a table beside it


def test_the_indicator_page_shows_the_trend_from_the_baseline(client, demo):
    indicator = demo.commitments.get(order=1).indicators.get()
    page = client.get(indicator.get_absolute_url()).text
    assert "Upptäckta/anmälda narkotikabrott" in page
    assert "Basår 2020" in page
    assert "2\u00a0483 st" in page


def test_an_indicator_of_another_promise_is_not_found(client, demo, draft):
    other = draft.commitments.get().indicators.get()
    assert client.get(f"{PROMISE_URL}indikator/{other.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/finns-inte/",
        "/eskilstuna/2020/",
        "/eskilstuna/2021-2022/",
        "/eskilstuna/99999/",
        "/eskilstuna/2021/indikator/99999/",
        "/eskilstuna/2021/indikator/-1/",
    ],
)
def test_unknown_addresses_answer_a_swedish_404(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text


def test_a_draft_promise_does_not_exist_for_the_public(client, draft):
    assert client.get("/vasteras/2022-2023/").status_code == 404
    assert client.get("/vasteras/").status_code == 404
    indicator = draft.commitments.get().indicators.get()
    assert client.get(indicator.get_absolute_url()).status_code == 404
    for url in ["/", "/omraden/", "/omraden/?q=v", "/loften/", "/loften/?ar=2022"]:
        page = client.get(url).text
        assert "Västerås" not in page and "Hemlig" not in page, url
    summary = client.get("/").text.split('id="summary-heading"')[1]
    assert "<dt>Medborgarlöften</dt><dd>1</dd>" in summary  # the draft is not counted
    assert "<dt>Kommuner och områden</dt><dd>1</dd>" in summary


def test_a_draft_follow_up_of_a_published_promise_shows_no_figures(client, demo):
    YearlyFollowUp.objects.filter(promise=demo).update(state="draft")
    page = client.get(PROMISE_URL).text
    assert "Ingen uppföljning av löftet är publicerad ännu." in page
    assert "2\u00a0483" not in page and "Coronapandemin" not in page
    assert "0 träffar" in client.get("/loften/").text


def test_the_council_sees_drafts_clearly_marked(council_client, draft):
    grant(council_client.user, draft.area, "council_member")
    page = council_client.get("/vasteras/2022-2023/").text
    assert "Hemligt utkast" in page
    assert "Utkast – ej publicerat" in page
    assert "Hemlig sammanfattning" in page
    assert (
        "Hemligt utkast" in council_client.get("/loften/").text
        or "Västerås" in council_client.get("/loften/").text
    )


def test_browse_filters_by_status_theme_party_area_and_year(client, demo):
    assert client.get("/loften/", {"status": "met"}).text.count("badge-met") == 3
    assert "5. Medborgarmöten" in client.get("/loften/", {"part": "2"}).text
    assert "1. Bekämpa" not in client.get("/loften/", {"part": "2"}).text
    traffic = client.get("/loften/", {"tema": "trafik"}).text
    assert "2. Trafikkontroller" in traffic and "4. Information" not in traffic
    assert "5 träffar" in client.get("/loften/", {"omrade": "eskilstuna", "ar": "2021"}).text


def test_browse_explains_a_bad_filter_instead_of_failing(client, demo):
    response = client.get("/loften/", {"ar": "abc", "status": "<script>"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert "<script>" not in response.text


def test_the_council_dashboard_lists_missing_outcomes_with_a_link(council_client, demo):
    grant(council_client.user, demo.area, "council_member")
    indicator = demo.commitments.get(order=4).indicators.get()
    Outcome.objects.filter(indicator=indicator).delete()
    page = council_client.get("/radet/").text
    assert indicator.name in page
    assert reverse("admin:promises_promise_followup", args=[demo.pk, 2021]) in page


def test_the_dashboard_is_for_the_council_only(client, demo):
    response = client.get("/radet/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_the_language_switch_shows_the_page_in_english(client, demo):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": PROMISE_URL}, follow=True
    )
    assert "Who promised" in response.text
    assert "Not met" in response.text
    assert '<html lang="en">' in response.text
    assert "På svenska" in response.text


def test_swedish_is_shown_whatever_the_browser_prefers(client, demo):
    page = client.get(PROMISE_URL, headers={"accept-language": "en-GB,en"}).text
    assert '<html lang="sv">' in page and "Vilka lovade" in page


def test_the_accessibility_statement_takes_problem_reports(client, db):
    page = client.get("/tillganglighet/").text
    assert "Tillgänglighetsredogörelse" in page and "Digg" in page
    response = client.post("/tillganglighet/", {"page": "/", "description": "", "email": "x"})
    assert "Detta fält måste fyllas i." in response.text
    assert not ProblemReport.objects.exists()
    data = {"page": "/eskilstuna/2021/", "description": "Diagrammet läses inte upp", "email": ""}
    response = client.post("/tillganglighet/", data, follow=True)
    assert "Tack! Vi har tagit emot din rapport." in response.text
    assert ProblemReport.objects.get().description == "Diagrammet läses inte upp"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/omraden/",
        "/loften/",
        "/eskilstuna/",
        PROMISE_URL,
        f"{PROMISE_URL}indikator/1/",
        "/tillganglighet/",
        "/oppna-data/",
        "/finns-inte/",
    ],
)
def test_every_page_has_one_h1_its_own_title_a_description_and_a_skip_link(client, demo, url):
    page = client.get(url).text
    assert page.count("<h1") == 1
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.endswith("– Medborgarlöften") and len(title) > len("– Medborgarlöften") + 3
    assert '<meta name="description" content="' in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page


def test_a_promise_with_only_context_figures_or_nothing_yet_does_not_break_pages(
    client, build_promise
):
    promise = build_promise("tom", commitments=1)
    promise.commitments.get().indicators.filter(rule="at_least").delete()
    Promise.objects.filter(pk=promise.pk).update(state="published")
    YearlyFollowUp.objects.create(promise=promise, year=2023, state="published")
    empty = Promise.objects.create(area=promise.area, start_year=2025, end_year=2025)
    Promise.objects.filter(pk=empty.pk).update(state="published")
    for url in ["/", "/tom/", "/tom/2023-2024/", "/tom/2025/", "/loften/", "/loften/?status=met"]:
        assert client.get(url).status_code == 200, url
    assert "0 av 0" not in client.get("/tom/").text


@pytest.mark.parametrize("query", ["\x00", "a\x00b", "%", "_", "'; drop table x; --", "å" * 500])
def test_area_search_survives_any_text(client, demo, query):
    assert client.get("/omraden/", {"q": query}).status_code == 200


def test_each_chart_is_named_by_its_own_title(client, demo):
    svgs = client.get(PROMISE_URL).text.split("<svg")[1:]
    labels = [svg.split('aria-labelledby="')[1].split('"')[0] for svg in svgs]
    assert len(labels) == 6
    assert len(set(labels)) == 6


def test_a_council_member_sees_only_their_own_areas_drafts(council_client, demo, draft):
    grant(council_client.user, demo.area, "coordinator")  # Eskilstuna, not Västerås
    assert council_client.get("/vasteras/2022-2023/").status_code == 404
    assert "Hemlig" not in council_client.get("/loften/").text
    assert "Västerås" not in council_client.get("/radet/").text


def test_a_year_still_running_says_so_beside_its_met_count(client, make_indicator):
    """ "0 av 1 åtaganden uppfyllda" alone reads as a failure while the year is not over."""
    from django.utils import timezone

    from followup.factories import YearlyFollowUpFactory
    from promises.models import PublicationState

    this_year = timezone.localdate().year
    fires = make_indicator(
        start_year=this_year, end_year=this_year + 1, rule="at_least", target_value=200
    )
    promise = fires.commitment.promise
    Promise.objects.filter(pk=promise.pk).update(state=PublicationState.PUBLISHED)
    YearlyFollowUpFactory(promise=promise, year=this_year, published=True)
    Outcome.objects.create(indicator=fires, year=this_year, part_of_year="q1", value=12)
    page = client.get(promise.get_absolute_url()).text
    assert f"0 av 1 åtagande uppfyllt {this_year}" in page
    assert "1 åtagande pågår: året är inte slut" in page
    assert "pågår: året är inte slut" not in client.get(PROMISE_URL).text
