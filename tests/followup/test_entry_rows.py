"""The entry page marks only the rows in error, and lets a council member withdraw a figure."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followup.factories import OutcomeFactory
from followup.models import Correction, Outcome, YearlyFollowUp
from promises.roles import grant

from .test_followup_entry import entry_url, form_data, shown


@pytest.fixture
def rows(make_indicator):
    """Västerås 2023–2024: a count, a yes/no, a percentage and a text indicator, all empty."""
    controls = make_indicator(name="Trafikkontroller")
    commitment = controls.commitment
    done = commitment.indicators.create(name="Plan upprättad", kind="yes_no", rule="done", order=2)
    survey = commitment.indicators.create(
        name="Andel trygga", unit="%", kind="percent", rule="at_least", target_value=60, order=3
    )
    notes = commitment.indicators.create(name="Iakttagelser", kind="text", rule="none", order=4)
    return commitment.promise, [controls, done, survey, notes]


def opened(indicators, **values):
    """What the page sent back as shown when it was opened with these values (others empty)."""
    blank = {f"{i.pk}__{f}": "" for i in indicators for f in ("value", "comment")}
    return {**blank, **values}


def post(client, promise, indicators, year=2023, shown_values=None, **changes):
    data = form_data(indicators, **{**(shown_values or {}), **changes})
    data = shown(data, **opened(indicators, **(shown_values or {})))
    return client.post(entry_url(promise, year), data, follow=True)


def test_a_bad_value_marks_only_its_own_row_and_names_it_at_the_top(admin_client, rows):
    promise, (controls, done, survey, notes) = rows
    response = post(admin_client, promise, [controls, done, survey, notes], **{
        f"{survey.pk}__value": "140",
    })  # fmt: skip
    page = response.text
    assert page.count('class="has-errors') == 1
    assert f'<tr id="indikator-{survey.pk}" class="has-errors' in page
    assert "Ange ett värde, en kommentar eller en bedömning." not in page
    assert "Inget sparades. Rätta raden och spara igen:" in page
    assert f'<a href="#indikator-{survey.pk}">Åtagande 1: Andel trygga</a>' in page
    assert not Outcome.objects.exists()


def test_every_row_with_an_error_is_named(admin_client, rows):
    promise, (controls, done, survey, notes) = rows
    response = post(admin_client, promise, [controls, done, survey, notes], **{
        f"{controls.pk}__value": "många", f"{survey.pk}__value": "140",
    })  # fmt: skip
    assert response.text.count('class="has-errors') == 2
    assert "Rätta raderna och spara igen:" in response.text
    assert "Åtagande 1: Trafikkontroller</a>, <a" in response.text


def test_untouched_empty_rows_are_not_errors_on_a_page_sent_without_shown_values(
    admin_client, rows
):
    promise, indicators = rows
    data = form_data(indicators, **{f"{indicators[0].pk}__value": "104"})
    response = admin_client.post(entry_url(promise, 2023), data, follow=True)
    assert "Sparat: 1 utfall." in response.text
    assert list(Outcome.objects.values_list("indicator", "value")) == [
        (indicators[0].pk, Decimal(104))
    ]


def test_a_typed_comment_alone_is_saved_and_a_reason_alone_is_an_error(admin_client, rows):
    promise, (controls, done, survey, notes) = rows
    response = post(admin_client, promise, [controls, done, survey, notes], **{
        f"{notes.pk}__comment": "Lugnt i centrum.", f"{done.pk}__override_reason": "Covid",
    })  # fmt: skip
    assert f'<tr id="indikator-{done.pk}" class="has-errors' in response.text
    assert response.text.count('class="has-errors') == 1
    assert not Outcome.objects.exists()


# Withdrawing a figure


@pytest.fixture
def entered(rows):
    promise, (controls, done, survey, notes) = rows
    Outcome.objects.create(indicator=controls, year=2023, value=104)
    Outcome.objects.create(indicator=survey, year=2023, value=Decimal("61.5"))
    return promise, [controls, done, survey, notes]


def withdraw_data(indicators, controls, **extra):
    shown_values = {f"{controls.pk}__value": "104", f"{indicators[2].pk}__value": "61,5"}
    data = form_data(indicators, **{**shown_values, **extra})
    data[f"indikator-{controls.pk}-ta_bort"] = "1"
    return shown(data, **opened(indicators, **shown_values))


def test_withdrawing_asks_for_a_confirmation_first(admin_client, entered):
    promise, indicators = entered
    controls = indicators[0]
    response = admin_client.post(entry_url(promise, 2023), withdraw_data(indicators, controls))
    assert "Inget sparades ännu. Du håller på att ta bort utfall" in response.text
    assert "Åtagande 1: Trafikkontroller</a>: 104 st" in response.text
    assert f'name="bekrafta_borttagning" value="{controls.pk}"' in response.text
    assert Outcome.objects.filter(indicator=controls).exists()


def test_a_confirmed_withdrawal_deletes_the_outcome_and_keeps_it_in_the_history(
    admin_client, entered
):
    promise, indicators = entered
    controls = indicators[0]
    data = withdraw_data(indicators, controls)
    data["bekrafta_borttagning"] = str(controls.pk)
    response = admin_client.post(entry_url(promise, 2023), data, follow=True)
    assert "Borttaget: 1 utfall." in response.text
    assert not Outcome.objects.filter(indicator=controls).exists()
    assert Outcome.objects.filter(indicator=indicators[2]).exists()  # the other row stays
    deletion = Outcome.history.filter(indicator_id=controls.pk).latest()
    assert (deletion.history_type, deletion.value) == ("-", 104)
    assert deletion.history_user == admin_client.user
    assert not Correction.objects.exists()  # a draft year: nothing public to correct


def test_a_confirmation_of_other_rows_withdraws_nothing(admin_client, entered):
    promise, indicators = entered
    controls, survey = indicators[0], indicators[2]
    data = withdraw_data(indicators, controls)
    data["bekrafta_borttagning"] = str(survey.pk)
    response = admin_client.post(entry_url(promise, 2023), data)
    assert "Du håller på att ta bort utfall" in response.text
    assert Outcome.objects.filter(indicator=controls).exists()


def test_clearing_every_field_of_a_row_is_understood_as_withdrawing_it(admin_client, entered):
    promise, indicators = entered
    controls, survey = indicators[0], indicators[2]
    shown_values = {f"{controls.pk}__value": "104", f"{survey.pk}__value": "61,5"}
    data = form_data(indicators, **{f"{controls.pk}__value": "104"})  # survey cleared
    data = shown(data, **opened(indicators, **shown_values))
    asked = admin_client.post(entry_url(promise, 2023), data)
    assert "Ange ett värde, en kommentar eller en bedömning." not in asked.text
    assert "Åtagande 1: Andel trygga</a>: 61,5 %" in asked.text
    data["bekrafta_borttagning"] = str(survey.pk)
    admin_client.post(entry_url(promise, 2023), data)
    assert list(Outcome.objects.values_list("indicator", flat=True)) == [controls.pk]


def test_a_bad_value_elsewhere_stops_the_withdrawal_too(admin_client, entered):
    promise, indicators = entered
    controls, survey = indicators[0], indicators[2]
    data = withdraw_data(indicators, controls, **{f"{survey.pk}__value": "140"})
    data["bekrafta_borttagning"] = str(controls.pk)
    response = admin_client.post(entry_url(promise, 2023), data)
    assert "Inget sparades." in response.text
    assert Outcome.objects.filter(indicator=controls).exists()
    assert Outcome.objects.get(indicator=survey).value == Decimal("61.5")


def test_a_figure_a_colleague_changed_since_is_not_withdrawn(admin_client, entered):
    promise, indicators = entered
    controls = indicators[0]
    Outcome.objects.filter(indicator=controls).update(value=120)
    data = withdraw_data(indicators, controls)
    data["bekrafta_borttagning"] = str(controls.pk)
    response = admin_client.post(entry_url(promise, 2023), data)
    conflict = "Någon annan har ändrat utfallet efter att du öppnade sidan (nu: 120 st)"
    assert conflict in response.text
    assert Outcome.objects.get(indicator=controls).value == 120


def test_a_council_member_of_the_area_may_withdraw(client, django_user_model, entered):
    promise, indicators = entered
    member = django_user_model.objects.create_user("radet", password="x")
    grant(member, promise.area, "council_member")
    client.force_login(member)
    controls = indicators[0]
    page = client.get(entry_url(promise, 2023)).text
    assert f'name="indikator-{controls.pk}-ta_bort"' in page
    assert f'name="indikator-{indicators[1].pk}-ta_bort"' not in page  # nothing to withdraw
    data = withdraw_data(indicators, controls)
    data["bekrafta_borttagning"] = str(controls.pk)
    client.post(entry_url(promise, 2023), data)
    assert not Outcome.objects.filter(indicator=controls).exists()


def test_withdrawing_a_published_figure_is_a_correction_with_a_reason(admin_client, demo):
    indicator = demo.commitments.get(order=4).indicators.get()
    url = entry_url(demo, 2021)
    data = {"arsuppfoljning-summary": YearlyFollowUp.objects.get().summary}
    for outcome in Outcome.objects.filter(indicator__commitment__promise=demo):
        prefix = f"indikator-{outcome.indicator_id}"
        data[f"{prefix}-value"] = "" if outcome.value is None else str(outcome.value)
        data[f"{prefix}-comment"] = outcome.comment
        data[f"{prefix}-status_override"] = outcome.status_override
        data[f"{prefix}-override_reason"] = outcome.override_reason
    data[f"indikator-{indicator.pk}-ta_bort"] = "1"
    data["bekrafta_borttagning"] = str(indicator.pk)

    refused = admin_client.post(url, data)
    assert "Siffrorna är publicerade: skriv skälet till rättelsen." in refused.text
    assert Outcome.objects.filter(indicator=indicator).exists()

    admin_client.post(url, {**data, "rattelse": "Inläggen räknades två gånger"})
    assert not Outcome.objects.filter(indicator=indicator).exists()
    correction = Correction.objects.get()
    assert correction.change == (
        "Utfallet 136 st för Inlägg på Polisen Eskilstunas sociala medier 2021 togs bort"
    )
    public = admin_client.get("/eskilstuna/2021/").text
    assert "togs bort" in public and "Inläggen räknades två gånger" in public


def test_the_outcome_admin_lets_a_council_member_delete_a_draft_figure(
    client, django_user_model, entered
):
    promise, indicators = entered
    member = django_user_model.objects.create_user("radet", password="x")
    grant(member, promise.area, "council_member")
    client.force_login(member)
    outcome = Outcome.objects.get(indicator=indicators[0])
    client.post(reverse("admin:followup_outcome_delete", args=[outcome.pk]), {"post": "yes"})
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


# Numbers as people type them


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("1\u00a0234", 1234), ("1 234", 1234), ("2\u202f483", 2483), ("12 %", 12), ("1234.0", 1234)],
)
def test_the_entry_page_reads_a_count_as_typed(admin_client, rows, typed, saved):
    promise, indicators = rows
    response = post(admin_client, promise, indicators, **{f"{indicators[0].pk}__value": typed})
    assert "Sparat: 1 utfall." in response.text
    assert Outcome.objects.get().value == saved


def test_the_entry_page_reads_a_percentage_with_a_decimal_comma_and_a_sign(admin_client, rows):
    promise, indicators = rows
    survey = indicators[2]
    post(admin_client, promise, indicators, **{f"{survey.pk}__value": "61,5 %"})
    assert Outcome.objects.get().value == Decimal("61.5")


def test_a_typographic_minus_gets_the_message_about_negative_figures(admin_client, rows):
    promise, indicators = rows
    response = post(admin_client, promise, indicators, **{f"{indicators[0].pk}__value": "−3"})
    assert "Ett utfall kan inte vara negativt." in response.text
    assert "Fyll i ett tal." not in response.text
    assert not Outcome.objects.exists()


def test_the_admins_decimal_inputs_read_numbers_as_typed(admin_client, rows):
    promise, indicators = rows
    controls = indicators[0]
    url = reverse("admin:followup_outcome_add")
    data = {"indicator": controls.pk, "year": 2023, "part_of_year": "year", "value": "1 234"}
    admin_client.post(url, data)
    assert Outcome.objects.get().value == 1234
    refused = admin_client.post(url, {**data, "year": 2024, "value": "−5"})
    assert "Ett utfall kan inte vara negativt." in refused.text


def test_figures_shown_in_english_are_read_back_unchanged(admin_client, rows):
    promise, indicators = rows
    controls, survey = indicators[0], indicators[2]
    Outcome.objects.create(indicator=controls, year=2023, value=Decimal("1234"))
    Outcome.objects.create(indicator=survey, year=2023, value=Decimal("61.5"))
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(entry_url(promise, 2023)).text
    assert f'name="indikator-{controls.pk}-value" value="1234"' in page  # no "1,234" to misread
    assert f'name="indikator-{survey.pk}-value" value="61.5"' in page
    values = {f"{controls.pk}__value": "1234", f"{survey.pk}__value": "61.5"}
    data = shown(form_data(indicators, **values), **opened(indicators, **values))
    response = admin_client.post(entry_url(promise, 2023), data, follow=True)
    assert "No changes to save." in response.text
    assert sorted(Outcome.objects.values_list("value", flat=True)) == [Decimal("61.5"), 1234]


def test_last_years_figure_made_of_its_tertials_is_shown_beside_the_field(admin_client, rows):
    """A count reported per tertial in 2023 has a 2023 figure (their sum): the 2024 page shows it
    as last year's figure instead of "–"."""
    promise, (controls, done, survey, notes) = rows
    for part, value in (("t1", 40), ("t2", 50), ("t3", 34)):
        Outcome.objects.create(indicator=controls, year=2023, part_of_year=part, value=value)
    Outcome.objects.create(indicator=survey, year=2023, part_of_year="t1", value=Decimal("61.5"))
    page = admin_client.get(entry_url(promise, 2024)).text
    assert '<td class="previous">124 st (summa av T1–T3)</td>' in page
    assert '<td class="previous">61,5 % (senaste: T1)</td>' in page


def test_a_one_off_done_last_year_shows_done_on_this_years_entry_page(admin_client, rows):
    """A plan drawn up in 2023 is not "Pågående" with an empty field in 2024, which would
    invite the council to enter it again: it is done, with the year it was done."""
    promise, (controls, done, survey, notes) = rows
    Outcome.objects.create(indicator=done, year=2023, value=1)
    page = admin_client.get(entry_url(promise, 2024)).text
    row = page.split(f'<tr id="indikator-{done.pk}"')[1].split("</tr>")[0]
    assert 'class="status status-met"' in row
    assert "<div>genomfört 2023</div>" in row
    other = page.split(f'<tr id="indikator-{controls.pk}"')[1].split("</tr>")[0]
    assert "<div>genomfört" not in other


def test_the_full_year_row_says_where_the_years_figure_comes_from(admin_client, rows):
    promise, (controls, *_others) = rows
    for part, value in (("t1", 30), ("t2", 40)):
        OutcomeFactory(indicator=controls, year=2023, part_of_year=part, value=value)
    page = admin_client.get(entry_url(promise, 2023)).content.decode()
    assert "Årets siffra: summa av T1, T2." in page
    assert "Helårssiffran gäller" not in page

    OutcomeFactory(indicator=controls, year=2023, value=43)
    page = admin_client.get(entry_url(promise, 2023)).content.decode()
    assert "Helårssiffran gäller i stället för delårssiffrorna." in page
    assert "Årets siffra:" not in page
