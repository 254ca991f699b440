"""What the council approved stays as approved: one rule for every way in.

Once the council has approved a year's follow-up, its summary and meeting date change only as a
rättelse with a reason, recorded and shown to the public (YearlyFollowUp); a meeting date lies
between the year's first day and the end of the year after the promise's last year, and never
in the future. The entry page, the follow-up's admin and the approval page all keep this rule.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from followup.factories import YearlyFollowUpFactory
from followup.models import Correction, YearlyFollowUp
from followup.resources import OutcomeResource
from promises.models import Promise
from promises.roles import grant

APPROVED_TEXT = "Trafikkontrollerna ökade och tryggheten förbättrades."


@pytest.fixture
def promise(make_indicator):
    """Västerås 2023–2024, published, with one indicator and no outcomes."""
    promise = make_indicator(name="Trafikkontroller").commitment.promise
    Promise.objects.filter(pk=promise.pk).update(state="published")
    promise.refresh_from_db()
    return promise


@pytest.fixture
def published(promise):
    """Its 2023 follow-up, approved by the council on 15 February 2024 and published."""
    return YearlyFollowUpFactory(promise=promise, year=2023, summary=APPROVED_TEXT, published=True)


def member_client(client, django_user_model, promise, role):
    user = django_user_model.objects.create_user(role, password="x")
    grant(user, promise.area, role)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def council_member(client, django_user_model, promise):
    return member_client(client, django_user_model, promise, "council_member")


@pytest.fixture
def coordinator(client, django_user_model, promise):
    return member_client(client, django_user_model, promise, "coordinator")


def entry_url(promise, year):
    return reverse("admin:promises_promise_followup", args=[promise.pk, year])


def entry_page_post(promise, **followup):
    """The entry page sent back with its indicator rows untouched and the yearly fields given."""
    data = {}
    for indicator in promise.commitments.get().indicators.all():
        for field in ["value", "comment", "status_override", "override_reason"]:
            data[f"indikator-{indicator.pk}-{field}"] = ""
    for name, value in followup.items():
        data[name if name == "rattelse" else f"arsuppfoljning-{name}"] = value
    return data


def approve_url(promise, year):
    return reverse("admin:promises_promise_publication_year", args=[promise.pk, "godkann", year])


def stored(followup):
    followup.refresh_from_db()
    return followup.summary, followup.approved_on


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def test_the_entry_page_refuses_rewriting_a_published_summary_and_dating_it_1999(
    council_member, promise, published
):
    data = entry_page_post(promise, summary="Allt gick bra.", approved_on="1999-01-01")
    response = council_member.post(entry_url(promise, 2023), data)
    assert response.status_code == 200
    page = response.text
    assert "Inget sparades." in page
    assert "Rådet har godkänt uppföljningen av 2023: en ändring sparas bara som rättelse." in page
    assert "Datumet 1999-01-01 ligger utanför löftets år." in page
    assert "från 2023-01-01 till och med 2025-12-31" in page
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))
    assert not Correction.objects.exists()
    public = council_member.get("/vasteras/2023-2024/").text
    assert APPROVED_TEXT in public and "Allt gick bra." not in public


def test_a_rattelse_does_not_let_an_approval_date_outside_the_promises_years_through(
    council_member, promise, published
):
    data = entry_page_post(
        promise, summary=APPROVED_TEXT, approved_on="1999-01-01", rattelse="Fel datum"
    )
    response = council_member.post(entry_url(promise, 2023), data)
    assert "Datumet 1999-01-01 ligger utanför löftets år." in response.text
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))
    assert not Correction.objects.exists()


def test_a_published_summary_changed_with_a_rattelse_is_shown_publicly_as_a_correction(
    council_member, promise, published
):
    corrected = "Trafikkontrollerna ökade och tryggheten förbättrades i centrum."
    data = entry_page_post(
        promise, summary=corrected, approved_on="2024-02-15", rattelse="Ordet centrum föll bort"
    )
    response = council_member.post(entry_url(promise, 2023), data, follow=True)
    assert "Årsuppföljningen sparades." in response.text
    assert stored(published) == (corrected, datetime.date(2024, 2, 15))
    correction = Correction.objects.get()
    assert correction.change == f"Rådets sammanfattning 2023: ”{APPROVED_TEXT}” → ”{corrected}”"
    assert correction.reason == "Ordet centrum föll bort"
    assert correction.made_by == council_member.user
    public = council_member.get("/vasteras/2023-2024/").text
    assert "Rättelser" in public and "Ordet centrum föll bort" in public
    assert "Rådets sammanfattning 2023:" in public


def test_a_corrected_meeting_date_is_recorded_with_both_dates(council_member, promise, published):
    data = entry_page_post(
        promise, summary=APPROVED_TEXT, approved_on="2024-02-13", rattelse="Mötet var en tisdag"
    )
    council_member.post(entry_url(promise, 2023), data)
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 13))
    assert Correction.objects.get().change == "Rådets mötesdatum 2023: 2024-02-15 → 2024-02-13"


def test_an_approved_meeting_date_cannot_be_removed(council_member, promise, published):
    data = entry_page_post(promise, summary=APPROVED_TEXT, approved_on="", rattelse="Osäkert")
    response = council_member.post(entry_url(promise, 2023), data)
    assert "datumet kan rättas men inte tas bort" in response.text
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))


def test_an_approved_but_unpublished_summary_also_changes_only_with_a_rattelse(
    council_member, promise
):
    approved = YearlyFollowUpFactory(
        promise=promise, year=2023, summary=APPROVED_TEXT, approved=True
    )
    page = council_member.get(entry_url(promise, 2023)).text
    assert "Rättelse av det rådet har godkänt" in page
    data = entry_page_post(promise, summary="Ny text.", approved_on="2024-02-15")
    refused = council_member.post(entry_url(promise, 2023), data)
    assert "en ändring sparas bara som rättelse" in refused.text
    assert stored(approved) == (APPROVED_TEXT, datetime.date(2024, 2, 15))
    council_member.post(entry_url(promise, 2023), {**data, "rattelse": "Rådet ändrade texten"})
    assert stored(approved)[0] == "Ny text."
    assert Correction.objects.get().reason == "Rådet ändrade texten"


def test_a_drafts_summary_changes_freely_but_its_date_not_in_the_future(council_member, promise):
    draft = YearlyFollowUpFactory(promise=promise, year=2023, summary="Utkast.")
    data = entry_page_post(promise, summary="Bättre utkast.", approved_on=str(tomorrow()))
    refused = council_member.post(entry_url(promise, 2023), data)
    assert f"Datumet {tomorrow().isoformat()} har inte varit än." in refused.text
    assert stored(draft) == ("Utkast.", None)
    council_member.post(entry_url(promise, 2023), {**data, "arsuppfoljning-approved_on": ""})
    assert stored(draft) == ("Bättre utkast.", None)
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("meeting_date", "message"),
    [
        ("tomorrow", "har inte varit än."),
        ("1999-01-01", "Datumet 1999-01-01 ligger utanför löftets år."),
        ("2022-12-31", "från 2023-01-01 till och med 2025-12-31"),
        ("2026-01-01", "från 2023-01-01 till och med 2025-12-31"),
    ],
)
def test_the_approval_page_refuses_a_meeting_date_outside_the_years_or_in_the_future(
    coordinator, promise, meeting_date, message
):
    if meeting_date == "tomorrow":
        meeting_date = tomorrow().isoformat()
    response = coordinator.post(approve_url(promise, 2023), {"meeting_date": meeting_date})
    assert response.status_code == 200
    assert message in response.text
    assert not YearlyFollowUp.objects.exists()  # nothing approved, not even a draft left


def test_the_approval_page_accepts_the_years_first_and_the_last_allowed_day(coordinator, promise):
    coordinator.post(approve_url(promise, 2023), {"meeting_date": "2023-01-01"})
    coordinator.post(approve_url(promise, 2024), {"meeting_date": "2025-12-31"})
    approved = dict(YearlyFollowUp.objects.values_list("year", "approved_on"))
    assert approved == {2023: datetime.date(2023, 1, 1), 2024: datetime.date(2025, 12, 31)}


@pytest.mark.parametrize(
    "approved_on", ["tomorrow", "1999-01-01", "2026-01-01"], ids=["future", "1999", "after"]
)
def test_the_follow_up_admin_refuses_a_date_in_the_future_or_outside_the_years(
    admin_client, promise, approved_on
):
    if approved_on == "tomorrow":
        approved_on = tomorrow().isoformat()
    add = reverse("admin:followup_yearlyfollowup_add")
    data = {"promise": promise.pk, "year": 2023, "summary": "Text.", "approved_on": approved_on}
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "Ange datumet för rådets möte" in response.text
    assert not YearlyFollowUp.objects.exists()


def test_the_follow_up_admin_corrects_an_approved_summary_only_with_a_reason(
    admin_client, promise, published
):
    url = reverse("admin:followup_yearlyfollowup_change", args=[published.pk])
    data = {"summary": "Ändrad text.", "approved_on": "2024-02-15"}
    refused = admin_client.post(url, data)
    assert "en ändring sparas bara som rättelse" in refused.text
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))

    data_1999 = {**data, "approved_on": "1999-01-01", "correction_reason": "Fel datum"}
    refused = admin_client.post(url, data_1999)
    assert "Datumet 1999-01-01 ligger utanför löftets år." in refused.text
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))

    admin_client.post(url, {**data, "correction_reason": "Stavfel"})
    assert stored(published) == ("Ändrad text.", datetime.date(2024, 2, 15))
    correction = Correction.objects.get()
    assert (correction.year, correction.reason) == (2023, "Stavfel")


def test_an_approved_summary_sent_back_unchanged_with_browser_line_breaks_needs_no_reason(
    admin_client, promise
):
    followup = YearlyFollowUpFactory(
        promise=promise, year=2023, summary="Första stycket.\n\nAndra stycket.", published=True
    )
    url = reverse("admin:followup_yearlyfollowup_change", args=[followup.pk])
    data = {"summary": "Första stycket.\r\n\r\nAndra stycket.", "approved_on": "2024-02-15"}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert stored(followup) == ("Första stycket.\n\nAndra stycket.", datetime.date(2024, 2, 15))
    assert not Correction.objects.exists()


def test_a_drafts_admin_page_asks_for_no_correction_reason(admin_client, promise):
    draft = YearlyFollowUpFactory(promise=promise, year=2023)
    page = admin_client.get(reverse("admin:followup_yearlyfollowup_change", args=[draft.pk]))
    assert 'name="summary"' in page.text and 'name="correction_reason"' not in page.text


def test_the_database_refuses_an_approval_date_before_the_year_or_years_after(promise, published):
    for date in (datetime.date(1999, 1, 1), datetime.date(2027, 1, 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            YearlyFollowUp.objects.filter(pk=published.pk).update(approved_on=date)
    assert stored(published) == (APPROVED_TEXT, datetime.date(2024, 2, 15))


def test_a_year_not_yet_begun_cannot_be_approved(promise):
    followup = YearlyFollowUp(promise=promise, year=2024, approved_on=datetime.date(2024, 1, 1))
    message = followup.approval_date_error(today=datetime.date(2023, 12, 31))
    assert message == (
        "Uppföljningen av 2024 kan inte godkännas förrän året har börjat (2024-01-01)."
    )


def test_no_import_touches_a_yearly_follow_up(db):
    """The outcome import reads outcome columns only; the follow-ups' admin only exports."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:followup_yearlyfollowup_import")
    columns = {field.attribute for field in OutcomeResource().fields.values()}
    assert not columns & {"summary", "approved_on", "state"}
