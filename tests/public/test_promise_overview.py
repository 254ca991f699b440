"""The answer first: the top of a promise page names every commitment with its status per year,
each linking down to its section, before the long read."""

import pytest
from django.urls import reverse

from followup.models import YearlyFollowUp
from promises.models import Promise, PublicationState
from promises.roles import grant

PROMISE_URL = "/eskilstuna/2021/"


def overview_of(page):
    """The overview section's HTML alone."""
    return page.split('<section class="overview"')[1].split("</section>")[0]


def rows_of(overview):
    """The overview's body rows, as HTML."""
    return overview.split("<tbody>")[1].split("</tr>")[:-1]


def test_the_overview_lists_every_commitment_with_its_status_linking_to_its_section(client, demo):
    page = client.get(PROMISE_URL).text
    overview = overview_of(page)
    # It comes first: before the follow-up's summary and the first commitment's section.
    assert page.index('class="overview"') < page.index('id="followup-heading"')
    assert "<caption>Åtagandenas status per år</caption>" in overview
    assert '<th scope="col">Åtagande</th>' in overview
    assert '<th scope="col">2021</th>' in overview
    expected = {1: "Uppfyllt", 2: "Ej uppfyllt", 3: "Uppfyllt", 4: "Uppfyllt", 5: "Ej genomfört"}
    rows = rows_of(overview)
    assert len(rows) == demo.commitments.count() == 5
    for row, commitment in zip(rows, demo.commitments.order_by("order"), strict=True):
        link = f'<th scope="row"><a href="#atagande-{commitment.order}">{commitment}</a></th>'
        assert link in row
        assert 'data-label="2021"' in row
        assert f"</span> {expected[commitment.order]}</span>" in row
        # The link leads to the commitment's own section further down.
        assert f'<article class="commitment" id="atagande-{commitment.order}">' in page


@pytest.fixture
def half_published(build_promise):
    """A published 2023–2024 promise of two commitments whose 2024 follow-up is a draft."""
    promise = build_promise("kommun", commitments=2, start_year=2023, end_year=2024)
    Promise.objects.filter(pk=promise.pk).update(state=PublicationState.PUBLISHED)
    YearlyFollowUp.objects.create(promise=promise, year=2023, state="published")
    YearlyFollowUp.objects.create(promise=promise, year=2024, state="draft")
    return promise


def test_a_visitor_sees_no_draft_year_in_the_overview(client, half_published):
    overview = overview_of(client.get(half_published.get_absolute_url()).text)
    assert '<th scope="col">2023</th>' in overview
    assert "2024" not in overview
    assert "Utkast" not in overview
    for row in rows_of(overview):
        assert row.count("<td ") == 1


def test_a_council_member_sees_the_draft_year_marked_in_the_overview(
    client, django_user_model, half_published
):
    user = django_user_model.objects.create_user("radet", password="x", is_staff=True)
    client.force_login(user)
    grant(user, half_published.area, "council_member")
    overview = overview_of(client.get(half_published.get_absolute_url()).text)
    assert '2024 <strong class="draft-mark">Utkast – ej publicerat</strong>' in overview
    for row in rows_of(overview):
        assert 'data-label="2023"' in row and 'data-label="2024 (utkast)"' in row


def test_a_promise_with_no_published_year_has_no_overview(client, demo):
    YearlyFollowUp.objects.filter(promise=demo).update(state="draft")
    page = client.get(PROMISE_URL).text
    assert 'class="overview"' not in page
    assert "Ingen uppföljning av löftet är publicerad ännu." in page


def test_the_overview_reads_in_english(client, demo):
    client.post(reverse("set_language"), {"language": "en"})
    overview = overview_of(client.get(PROMISE_URL).text)
    assert '<h2 id="overview-heading">Overview</h2>' in overview
    assert "<caption>The commitments' status per year</caption>" in overview
    assert '<th scope="col">Commitment</th>' in overview
    assert "Choose a commitment to read its targets" in overview
    assert "</span> Not met</span>" in overview and "</span> Not carried out</span>" in overview
