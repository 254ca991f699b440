"""A page opened before a colleague saved never overwrites the colleague's save unseen: the admin's
change forms refuse a stale version with a message, and the entry page's write is conditional
on the version it compared with."""

from decimal import Decimal

import lxml.html
import pytest
from django.db import transaction
from django.urls import reverse

from followup.entry import SavedMeanwhile, build_forms, save_all
from followup.models import Outcome, PartOfYear, StaleVersion, YearlyFollowUp
from tests.followup.test_concurrent_saves import opened
from tests.followup.test_outcome_import import confirm, row, upload, xlsx

REFUSED = "Någon annan har sparat detta efter att du öppnade sidan. Inget sparades."


@pytest.fixture
def outcome(make_indicator):
    indicator = make_indicator(name="Trafikkontroller")
    return Outcome.objects.create(indicator=indicator, year=2023, value=104, comment="Gammal")


def colleague_saves(row, **values):
    """A colleague's save, through the model as every form does."""
    stored = type(row).objects.get(pk=row.pk)
    for name, value in values.items():
        setattr(stored, name, value)
    stored.save()


def test_an_outcome_form_opened_before_a_colleague_saved_is_refused_naming_the_change(
    admin_client, outcome
):
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    mine = opened(admin_client, url, "outcome_form")
    colleague_saves(outcome, comment="Kollegans kommentar")

    response = admin_client.post(url, {**mine, "comment": "Min kommentar", "value": "120"})

    assert response.status_code == 200
    assert REFUSED in response.text
    assert "Ändrat: kommentar (nu: Kollegans kommentar)." in response.text
    assert "Min kommentar</textarea>" in response.text  # what was typed is still there
    outcome.refresh_from_db()
    assert (outcome.value, outcome.comment) == (104, "Kollegans kommentar")


def test_saving_the_refused_outcome_form_again_replaces_the_colleagues_save_knowingly(
    admin_client, outcome
):
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    mine = opened(admin_client, url, "outcome_form")
    colleague_saves(outcome, comment="Kollegans kommentar")
    refused = admin_client.post(url, {**mine, "comment": "Min kommentar"})
    page = refused.text

    again = {**mine, "comment": "Min kommentar"}
    again["seen_version"] = page.split('name="seen_version" value="')[1].split('"')[0]
    assert admin_client.post(url, again).status_code == 302
    outcome.refresh_from_db()
    assert outcome.comment == "Min kommentar"


def test_saving_the_refused_form_again_keeps_the_colleagues_change_to_a_field_left_untouched(
    admin_client, outcome
):
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    mine = opened(admin_client, url, "outcome_form")
    colleague_saves(outcome, comment="Kollegans kommentar")
    refused_page = admin_client.post(url, {**mine, "value": "120"})  # the comment changed

    again = form_values(refused_page.text)
    assert again["value"] == "120"  # what was typed is still there
    assert again["comment"] == "Kollegans kommentar"  # and the colleague's comment is shown
    saved = admin_client.post(url, again)
    assert saved.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.value, outcome.comment) == (Decimal("120"), "Kollegans kommentar")


def form_values(page):
    """The refused page's form as a browser would send it back."""
    form = lxml.html.fromstring(page).get_element_by_id("outcome_form")
    values = dict(form.form_values())
    for element in form.inputs:
        if element.tag == "textarea":  # a browser drops the newline that starts its content
            values[element.name] = (element.text or "").removeprefix("\n")
        elif element.get("type", "text") == "text":
            values.setdefault(element.name, "")
    return values


def test_a_yearly_follow_up_form_opened_before_a_colleague_saved_is_refused(admin_client, outcome):
    followup = YearlyFollowUp.objects.create(
        promise=outcome.indicator.commitment.promise, year=2023, summary="Gammal"
    )
    url = reverse("admin:followup_yearlyfollowup_change", args=[followup.pk])
    mine = opened(admin_client, url, "yearlyfollowup_form")
    colleague_saves(followup, summary="Kollegans sammanfattning")

    response = admin_client.post(url, {**mine, "summary": "Min sammanfattning"})

    assert REFUSED in response.text
    assert "sammanfattning (nu: Kollegans sammanfattning)" in response.text
    assert "Min sammanfattning</textarea>" in response.text
    followup.refresh_from_db()
    assert followup.summary == "Kollegans sammanfattning"


def test_an_outcome_form_sent_with_a_forged_version_is_refused(admin_client, outcome):
    url = reverse("admin:followup_outcome_change", args=[outcome.pk])
    mine = opened(admin_client, url, "outcome_form")
    response = admin_client.post(url, {**mine, "seen_version": "7", "comment": "Min kommentar"})
    assert REFUSED in response.text
    outcome.refresh_from_db()
    assert outcome.comment == "Gammal"


def test_an_outcome_form_opened_before_an_import_does_not_overwrite_the_imported_figure(
    admin_client, build_promise
):
    build_promise("vasteras", commitments=1)
    imported = Outcome.objects.get(year=2023, indicator__order=1, indicator__commitment__order=1)
    url = reverse("admin:followup_outcome_change", args=[imported.pk])
    mine = opened(admin_client, url, "outcome_form")

    confirm(admin_client, upload(admin_client, xlsx([row("187")])))
    imported.refresh_from_db()
    assert imported.value == 187

    response = admin_client.post(url, {**mine, "comment": "Min kommentar"})
    assert REFUSED in response.text
    assert "värde (nu: 187 st)" in response.text
    imported.refresh_from_db()
    assert (imported.value, imported.comment) == (187, "")


def test_a_stale_copy_of_a_row_is_never_saved_or_deleted(outcome):
    stale = Outcome.objects.get(pk=outcome.pk)
    colleague_saves(outcome, comment="Kollegans kommentar")
    stale.comment = "Min kommentar"
    with pytest.raises(StaleVersion), transaction.atomic():
        stale.save()
    with pytest.raises(StaleVersion), transaction.atomic():
        stale.delete()
    outcome.refresh_from_db()
    assert outcome.comment == "Kollegans kommentar"


def test_the_entry_pages_write_is_refused_if_a_row_changed_after_its_check(admin_user, outcome):
    """Inside the saving transaction the rows are locked, so this cannot happen on PostgreSQL or
    in an SQLite transaction; the write's own check holds where a lock does not."""
    controls = outcome.indicator
    survey = controls.commitment.indicators.create(
        name="Trygga", unit="%", kind="percent", rule="at_least", target_value=60, order=2
    )
    answers = Outcome.objects.create(indicator=survey, year=2023, value=58)
    data = {}
    for indicator, value, shown in [(controls, "120", "104"), (survey, "61", "58")]:
        prefix = f"indikator-{indicator.pk}"
        comment = "Gammal" if indicator == controls else ""
        data |= {
            f"{prefix}-value": value,
            f"{prefix}-comment": comment,
            f"{prefix}-status_override": "",
            f"{prefix}-override_reason": "",
            f"initial-{prefix}-value": shown,
            f"initial-{prefix}-comment": comment,
        }
    promise = controls.commitment.promise
    rows, _followup_form = build_forms(promise, 2023, PartOfYear.YEAR, data, for_saving=False)
    assert all(form.is_valid() for form in rows)
    colleague_saves(answers, comment="Kollegans kommentar")

    with pytest.raises(SavedMeanwhile) as refusal:
        save_all(rows, None, admin_user)

    assert str(refusal.value) == (
        "Inget sparades: någon annan sparade samtidigt som du: Åtagande 1: Trygga "
        "(nu: kommentar ”Kollegans kommentar”). Det du skrev står kvar: spara igen så jämförs "
        "det med det som nu är sparat."
    )
    outcome.refresh_from_db()
    answers.refresh_from_db()
    assert (outcome.value, answers.value, answers.comment) == (104, 58, "Kollegans kommentar")
    # The page is shown again as it was read, not as the rolled-back save left it.
    assert [form.instance.version for form in rows] == [1, 1]
