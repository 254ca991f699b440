"""Publishing is a confirmed step for coordinators; corrections and unpublishing leave a trace."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.models import (
    Correction,
    FollowUpState,
    Outcome,
    PartOfYear,
    PublicationEvent,
    YearlyFollowUp,
)
from followup.publishing import PublishedFigures
from promises.models import Promise
from promises.roles import grant


def action_url(promise, action, year=None):
    if year is None:
        return reverse("admin:promises_promise_publication", args=[promise.pk, action])
    return reverse("admin:promises_promise_publication_year", args=[promise.pk, action, year])


@pytest.fixture
def draft(build_promise):
    return build_promise("vasteras", commitments=1)


@pytest.fixture
def coordinator(client, django_user_model, draft):
    user = django_user_model.objects.create_user("samordnare", password="x")
    grant(user, draft.area, "coordinator")
    client.force_login(user)
    client.user = user
    return client


def test_a_coordinator_publishes_after_a_confirmation_page(coordinator, draft):
    page = coordinator.get(action_url(draft, "publicera"))
    assert "Löftet blir synligt för alla" in page.text
    assert Promise.objects.get(pk=draft.pk).state == "draft"  # nothing happens on the question
    coordinator.post(action_url(draft, "publicera"))
    assert Promise.objects.get(pk=draft.pk).state == "published"
    event = PublicationEvent.objects.get()
    assert (event.action, event.user) == ("published", coordinator.user)


def test_a_council_member_may_not_publish(client, django_user_model, draft):
    member = django_user_model.objects.create_user("medlem", password="x")
    grant(member, draft.area, "council_member")
    client.force_login(member)
    assert client.get(action_url(draft, "publicera")).status_code == 403
    assert client.post(action_url(draft, "publicera")).status_code == 403
    assert Promise.objects.get(pk=draft.pk).state == "draft"


def test_a_coordinator_of_another_area_gets_a_404(client, django_user_model, demo, draft):
    other = django_user_model.objects.create_user("annan", password="x")
    grant(other, demo.area, "coordinator")
    client.force_login(other)
    assert client.post(action_url(draft, "publicera")).status_code == 404


def test_unpublishing_requires_a_reason_that_is_kept(coordinator, draft):
    Promise.objects.filter(pk=draft.pk).update(state="published")
    response = coordinator.post(action_url(draft, "avpublicera"), {"reason": ""})
    assert "Detta fält måste fyllas i." in response.text
    assert Promise.objects.get(pk=draft.pk).state == "published"
    coordinator.post(action_url(draft, "avpublicera"), {"reason": "Fel siffror från polisen"})
    assert Promise.objects.get(pk=draft.pk).state == "draft"
    assert PublicationEvent.objects.get().reason == "Fel siffror från polisen"


def test_a_follow_up_is_approved_at_a_meeting_before_it_is_published(coordinator, draft):
    response = coordinator.post(action_url(draft, "publicera-uppfoljning", 2023), follow=True)
    assert "måste godkännas av rådet" in response.text
    coordinator.post(action_url(draft, "godkann", 2023), {"meeting_date": "2024-02-12"})
    followup = YearlyFollowUp.objects.get(promise=draft, year=2023)
    assert (followup.state, str(followup.approved_on)) == (FollowUpState.APPROVED, "2024-02-12")
    coordinator.post(action_url(draft, "publicera-uppfoljning", 2023))
    assert YearlyFollowUp.objects.get(pk=followup.pk).state == FollowUpState.PUBLISHED
    actions = list(PublicationEvent.objects.order_by("at").values_list("action", "year"))
    assert actions == [("approved", 2023), ("published", 2023)]


def test_the_promise_page_offers_the_next_publishing_steps_to_coordinators(coordinator, draft):
    page = coordinator.get(reverse("admin:promises_promise_change", args=[draft.pk])).text
    assert "Publicera löftet" in page
    assert "Rådet har godkänt 2023" in page


def test_a_published_figure_changes_only_with_a_reason_shown_as_a_correction(admin_client, demo):
    indicator = demo.commitments.get(order=4).indicators.get()
    url = reverse("admin:promises_promise_followup", args=[demo.pk, 2021])
    data = {}
    for outcome in Outcome.objects.filter(indicator__commitment__promise=demo):
        prefix = f"indikator-{outcome.indicator_id}"
        data[f"{prefix}-value"] = "" if outcome.value is None else str(outcome.value)
        data[f"{prefix}-comment"] = outcome.comment
        data[f"{prefix}-status_override"] = outcome.status_override
        data[f"{prefix}-override_reason"] = outcome.override_reason
    data["arsuppfoljning-summary"] = YearlyFollowUp.objects.get().summary
    data[f"indikator-{indicator.pk}-value"] = "140"

    refused = admin_client.post(url, data)
    assert "Siffrorna är publicerade: skriv skälet till rättelsen." in refused.text
    assert Outcome.objects.get(indicator=indicator).value == 136

    admin_client.post(url, {**data, "rattelse": "Fyra inlägg räknades inte"})
    assert Outcome.objects.get(indicator=indicator).value == 140
    correction = Correction.objects.get()
    assert correction.change == "Inlägg på Polisen Eskilstunas sociala medier 2021: 136 st → 140 st"

    public = admin_client.get("/eskilstuna/2021/").text
    assert "Rättelser" in public
    assert "136 st → 140 st" in public and "Fyra inlägg räknades inte" in public


def test_the_outcome_admin_also_asks_for_a_reason_to_change_a_published_figure(admin_client, demo):
    outcome = Outcome.objects.get(indicator__commitment__order=3)
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    data = {
        "indicator": outcome.indicator_id, "year": 2021, "part_of_year": "year", "value": "6",
        "comment": outcome.comment, "status_override": "", "override_reason": "",
    }  # fmt: skip
    refused = admin_client.post(url, data)
    assert "Siffrorna är publicerade: skriv skälet till rättelsen." in refused.text
    assert Outcome.objects.get(pk=outcome.pk).value == 5
    admin_client.post(url, {**data, "correction_reason": "En kontroll till hittades"})
    assert Outcome.objects.get(pk=outcome.pk).value == 6
    assert Correction.objects.get().reason == "En kontroll till hittades"


def test_only_a_changed_figure_of_a_published_follow_up_needs_a_reason(demo):
    """The rule the admin, the entry page and the import share (followup/publishing.py)."""
    posts = demo.commitments.get(order=4).indicators.get()
    changed = [(posts, (Decimal(136), ""), (Decimal(140), ""))]
    whole_year = PublishedFigures(demo, 2021)
    assert whole_year.published
    with pytest.raises(ValidationError, match="skriv skälet till rättelsen"):
        whole_year.corrections(changed, "  ")
    unchanged = [(posts, (Decimal(136), ""), (Decimal(136), ""))]
    assert whole_year.corrections(unchanged, "") is None
    # A tertial or quarter of a published year makes the year's published figure when no
    # full-year figure was entered, and is shown publicly: it changes with a reason too, and the
    # correction names the part.
    tertial = PublishedFigures(demo, 2021, PartOfYear.T1)
    assert tertial.published
    with pytest.raises(ValidationError, match="skriv skälet till rättelsen"):
        tertial.corrections(changed, "")
    assert tertial.corrections(changed, "Räknat fel").changes == [
        "Inlägg på Polisen Eskilstunas sociala medier 2021 T1: 136 st → 140 st"
    ]
    assert not PublishedFigures(demo, 2022, PartOfYear.T1).published
    corrections = whole_year.corrections(changed, " Fyra inlägg räknades inte ")
    assert corrections.changes == [
        "Inlägg på Polisen Eskilstunas sociala medier 2021: 136 st → 140 st"
    ]
    assert corrections.reason == "Fyra inlägg räknades inte"
    assert not Correction.objects.exists()  # recorded only with the save, by the caller


def test_every_change_is_in_the_audit_trail_with_who_and_what(admin_client, demo):
    outcome = Outcome.objects.get(indicator__commitment__order=3)
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    data = {
        "indicator": outcome.indicator_id, "year": 2021, "part_of_year": "year", "value": "7",
        "comment": "ny", "status_override": "", "override_reason": "",
        "correction_reason": "Rättat",
    }  # fmt: skip
    admin_client.post(url, data)
    record = outcome.history.latest()
    assert (record.value, record.history_user) == (7, admin_client.user)
    assert record.prev_record is None or record.prev_record.value != record.value
    history = admin_client.get(reverse("admin:followup_outcome_history", args=[outcome.pk]))
    assert history.status_code == 200 and "radsmedlem" in history.text


def test_a_published_figure_cannot_be_deleted_or_moved(admin_client, demo):
    outcome = Outcome.objects.get(indicator__commitment__order=3)
    delete = reverse("admin:followup_outcome_delete", args=[outcome.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    page = admin_client.get(reverse("admin:followup_outcome_change", args=[outcome.pk])).text
    assert 'name="year"' not in page and 'name="indicator"' not in page
    followup = YearlyFollowUp.objects.get()
    page = admin_client.get(reverse("admin:followup_yearlyfollowup_change", args=[followup.pk]))
    # Its summary is not locked but corrected with a reason (tests/followup/test_approval.py).
    assert 'name="year"' not in page.text and 'name="correction_reason"' in page.text


def test_a_published_year_cannot_be_approved_again(admin_client, demo):
    response = admin_client.post(
        action_url(demo, "godkann", 2021), {"meeting_date": "2022-03-01"}, follow=True
    )
    assert "redan godkänd eller publicerad" in response.text
    assert YearlyFollowUp.objects.get().state == "published"
