"""The follow-up entry page: good input is saved at once, bad input saves nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Outcome, YearlyFollowUp


def entry_url(promise, year):
    return reverse("admin:promises_promise_followup", args=[promise.pk, year])


def form_data(indicators, **overrides):
    """The POST of an untouched page for these indicators, with some fields changed.

    Overrides are keyed "<indicator pk>__<field>"; the yearly follow-up fields are not sent.
    """
    data = {}
    for indicator in indicators:
        prefix = f"indikator-{indicator.pk}"
        for field in ["value", "comment", "status_override", "override_reason"]:
            data[f"{prefix}-{field}"] = ""
    for key, value in overrides.items():
        pk, field = key.split("__")
        data[f"indikator-{pk}-{field}"] = value
    return data


@pytest.fixture
def two_year_promise(make_indicator):
    """Västerås 2023–2024: traffic controls (at least 200) and a percent survey question."""
    controls = make_indicator(name="Trafikkontroller")
    survey = controls.commitment.indicators.create(
        name="Andel som känner sig trygga",
        unit="%",
        kind="percent",
        rule="at_least",
        target_value=60,
        order=2,
    )
    return controls.commitment.promise, controls, survey


def test_the_page_shows_commitment_target_baseline_and_last_years_value(admin_client, demo):
    response = admin_client.get(entry_url(demo, 2021))
    page = response.text
    assert response.status_code == 200
    assert "1. Bekämpa narkotikabrottslighet" in page
    assert "Upptäckta/anmälda narkotikabrott" in page
    assert "öka från 2\u00a0014 st (2020)" in page
    assert "2\u00a0014 st (utgångsvärde)" in page  # last year's value is the baseline here
    assert "minst 200 st" in page
    assert "Ej uppfyllt" in page
    assert "104 av 200 (52 %)" in page
    assert "2\u00a0014 → 2\u00a0483: +469, +23,3 %" in page
    assert 'value="2483.00"' in page or 'value="2483"' in page


def test_good_input_for_every_indicator_is_saved_at_once(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    data = form_data(
        [controls, survey],
        **{
            f"{controls.pk}__value": "104",
            f"{controls.pk}__comment": "Covid",
            f"{survey.pk}__value": "61,5",
        },
    )
    data["arsuppfoljning-summary"] = "Ett år med pandemi."
    response = admin_client.post(entry_url(promise, 2023), data, follow=True)
    assert "Sparat: 2 utfall." in response.text
    saved = {o.indicator_id: o for o in Outcome.objects.filter(year=2023)}
    assert saved[controls.pk].value == Decimal("104")
    assert saved[controls.pk].comment == "Covid"
    assert saved[controls.pk].entered_by == admin_client.user
    assert saved[survey.pk].value == Decimal("61.5")
    assert YearlyFollowUp.objects.get(promise=promise, year=2023).summary == "Ett år med pandemi."


def test_saving_again_updates_the_same_outcome(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    for value in ["104", "150"]:
        admin_client.post(
            entry_url(promise, 2023),
            form_data([controls, survey], **{f"{controls.pk}__value": value}),
        )
    assert list(Outcome.objects.values_list("value", flat=True)) == [Decimal("150")]


def test_last_years_value_is_shown_beside_this_years_input(admin_client, two_year_promise):
    promise, controls, _ = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=187)
    assert "187 st" in admin_client.get(entry_url(promise, 2024)).text


BAD_INPUT = [
    ("value", "många", "Fyll i ett tal."),
    ("value", "-5", "Ett utfall kan inte vara negativt."),
    ("value", "12,5", "Ett antal anges i hela tal."),
    ("percent", "140", "En andel i procent ska ligga mellan 0 och 100."),
    ("status_override", "not_carried_out", "Skriv varför bedömningen ändras."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_is_explained_and_nothing_is_saved(
    admin_client, two_year_promise, field, value, message
):
    promise, controls, survey = two_year_promise
    bad = (
        {f"{survey.pk}__value": value} if field == "percent" else {f"{controls.pk}__{field}": value}
    )
    # A good row beside the bad one must not be saved either.
    good = {f"{survey.pk}__value": "55"} if field != "percent" else {f"{controls.pk}__value": "90"}
    data = form_data([controls, survey], **good, **bad)
    data["arsuppfoljning-summary"] = "Ska inte sparas."
    response = admin_client.post(entry_url(promise, 2023), data)
    assert response.status_code == 200
    assert message in response.text
    assert "Inget sparades." in response.text
    assert not Outcome.objects.exists()
    assert not YearlyFollowUp.objects.exists()


def test_a_year_outside_the_promise_period_is_refused(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    data = form_data([controls, survey], **{f"{controls.pk}__value": "104"})
    response = admin_client.post(entry_url(promise, 2025), data, follow=True)
    assert "Året 2025 ligger utanför löftets period 2023–2024. Inget sparades." in response.text
    assert not Outcome.objects.exists()


def test_a_duplicate_outcome_is_refused_by_the_outcome_form(admin_client, two_year_promise):
    promise, controls, _ = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=104)
    data = {"indicator": controls.pk, "year": 2023, "part_of_year": "year", "value": "105"}
    response = admin_client.post(reverse("admin:followup_outcome_add"), data)
    duplicate = "Det finns redan ett utfall för den här indikatorn, året och delen av året."
    assert duplicate in response.text
    assert list(Outcome.objects.values_list("value", flat=True)) == [Decimal("104")]


def test_the_outcome_form_refuses_a_year_outside_the_period(admin_client, two_year_promise):
    _, controls, _ = two_year_promise
    data = {"indicator": controls.pk, "year": 2022, "part_of_year": "year", "value": "105"}
    response = admin_client.post(reverse("admin:followup_outcome_add"), data)
    assert "Året 2022 ligger utanför löftets period 2023–2024." in response.text
    assert not Outcome.objects.exists()


def test_a_tertial_is_entered_separately_from_the_whole_year(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=190)
    url = entry_url(promise, 2023) + "?period=t1"
    admin_client.post(url, form_data([controls, survey], **{f"{controls.pk}__value": "60"}))
    assert sorted(Outcome.objects.values_list("part_of_year", "value")) == [
        ("t1", Decimal("60")),
        ("year", Decimal("190")),
    ]


def test_an_unknown_part_of_the_year_is_explained(admin_client, two_year_promise):
    promise, _, _ = two_year_promise
    response = admin_client.get(entry_url(promise, 2023) + "?period=vecka", follow=True)
    assert "Okänd del av året" in response.text


def test_a_council_member_without_outcome_rights_cannot_open_the_page(
    client, django_user_model, demo
):
    user = django_user_model.objects.create_user("gast", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(entry_url(demo, 2021)).status_code == 403


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_runs_as_many_queries_for_fifty_commitments_as_for_one(
    admin_client, build_promise
):
    small, large = build_promise("liten", commitments=1), build_promise("stor", commitments=50)
    assert count_queries(admin_client, entry_url(small, 2024)) == count_queries(
        admin_client, entry_url(large, 2024)
    )


def test_figures_are_typed_in_text_inputs_so_a_browser_cannot_drop_a_decimal_comma(
    admin_client, demo
):
    page = admin_client.get(entry_url(demo, 2021)).text
    assert 'type="number"' not in page
    assert 'inputmode="decimal"' in page
    assert 'value="2483"' in page  # shown without trailing zeros


def test_an_untouched_page_sent_back_with_browser_line_endings_saves_nothing(admin_client, demo):
    outcomes = Outcome.objects.filter(indicator__commitment__promise=demo)
    data = {
        "arsuppfoljning-summary": YearlyFollowUp.objects.get().summary,
        "arsuppfoljning-approved_on": "",
    }
    for outcome in outcomes:
        prefix = f"indikator-{outcome.indicator_id}"
        data[f"{prefix}-value"] = "" if outcome.value is None else str(outcome.value)
        data[f"{prefix}-comment"] = outcome.comment.replace("\n", "\r\n")
        data[f"{prefix}-status_override"] = outcome.status_override
        data[f"{prefix}-override_reason"] = outcome.override_reason
    response = admin_client.post(entry_url(demo, 2021), data, follow=True)
    assert "Inga ändringar att spara." in response.text
    assert not outcomes.filter(entered_by__isnull=False).exists()


def test_a_reason_without_an_override_is_refused(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    data = form_data(
        [controls, survey],
        **{f"{controls.pk}__value": "104", f"{controls.pk}__override_reason": "Covid"},
    )
    response = admin_client.post(entry_url(promise, 2023), data)
    assert "En motivering hör till en ändrad bedömning" in response.text
    assert not Outcome.objects.exists()


def test_a_tertial_has_no_yearly_summary_fields(admin_client, two_year_promise):
    promise, _, _ = two_year_promise
    page = admin_client.get(entry_url(promise, 2023) + "?period=t2").text
    assert "arsuppfoljning-summary" not in page
    assert "Tertial 2 (maj–aug)" in page


def test_the_indicator_admin_accepts_a_decimal_comma(admin_client, two_year_promise):
    _, _, survey = two_year_promise
    url = reverse("admin:promises_indicator_change", args=[survey.pk])
    data = {
        "commitment": survey.commitment_id,
        "order": 2,
        "name": survey.name,
        "unit": "%",
        "kind": "percent",
        "rule": "at_least",
        "target_value": "61,5",
        "baseline_value": "",
        "baseline_year": "",
        "scope": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.target_value == Decimal("61.5")


def shown(data, **values):
    """The hidden copies of the values a page showed, as a browser sends them back."""
    return {
        **data,
        **{f"initial-indikator-{key.replace('__', '-')}": v for key, v in values.items()},
    }


def test_the_page_sends_back_the_values_it_showed(admin_client, two_year_promise):
    promise, controls, _survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304)
    page = admin_client.get(entry_url(promise, 2023)).text
    assert f'name="initial-indikator-{controls.pk}-value" value="304' in page


def test_a_page_opened_before_a_colleague_saved_leaves_the_colleagues_figures_alone(
    admin_client, two_year_promise
):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304)
    Outcome.objects.create(indicator=survey, year=2023, value=58)
    opened = {f"{controls.pk}__value": "304", f"{survey.pk}__value": "58"}  # what Anna sees

    # Bo corrects the traffic controls; then Anna, on her older page, changes only the survey.
    Outcome.objects.filter(indicator=controls).update(value=555)
    anna = form_data([controls, survey], **{**opened, f"{survey.pk}__value": "61"})
    response = admin_client.post(entry_url(promise, 2023), shown(anna, **opened), follow=True)

    assert "Sparat: 1 utfall." in response.text
    assert Outcome.objects.get(indicator=controls).value == 555
    assert Outcome.objects.get(indicator=survey).value == 61


def test_a_figure_two_people_changed_is_refused_with_the_current_value(
    admin_client, two_year_promise
):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304)
    opened = {f"{controls.pk}__value": "304", f"{survey.pk}__value": ""}
    Outcome.objects.filter(indicator=controls).update(value=555)  # Bo saved in between

    anna = form_data(
        [controls, survey], **{f"{controls.pk}__value": "400", f"{survey.pk}__value": "61"}
    )
    response = admin_client.post(entry_url(promise, 2023), shown(anna, **opened))

    assert "Någon annan har ändrat detta efter att du öppnade sidan (nu: 555 st)" in response.text
    assert "Inget sparades." in response.text
    assert Outcome.objects.get(indicator=controls).value == 555
    assert not Outcome.objects.filter(indicator=survey).exists()  # all or nothing


def test_a_colleagues_comment_in_the_same_row_survives_a_change_of_the_value(
    admin_client, two_year_promise
):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304, comment="Gammal")
    opened = {f"{controls.pk}__value": "304", f"{controls.pk}__comment": "Gammal"}
    Outcome.objects.filter(indicator=controls).update(comment="Kollegans nya kommentar")

    anna = form_data([controls, survey], **{**opened, f"{controls.pk}__value": "320"})
    admin_client.post(entry_url(promise, 2023), shown(anna, **opened))

    outcome = Outcome.objects.get(indicator=controls)
    assert (outcome.value, outcome.comment) == (320, "Kollegans nya kommentar")


def test_a_comment_stored_with_windows_line_endings_can_be_edited(admin_client, two_year_promise):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304, comment="Rad ett\r\nRad två")
    opened = {f"{controls.pk}__value": "304", f"{controls.pk}__comment": "Rad ett\r\nRad två"}
    anna = form_data([controls, survey], **{**opened, f"{controls.pk}__comment": "Ny\r\nkommentar"})
    response = admin_client.post(entry_url(promise, 2023), shown(anna, **opened), follow=True)
    assert "Någon annan" not in response.text
    assert Outcome.objects.get(indicator=controls).comment == "Ny\nkommentar"


def test_a_yes_no_answer_is_shown_and_kept_when_the_row_is_not_touched(
    admin_client, make_indicator
):
    done = make_indicator(name="Trygghetsvandring genomförd", kind="yes_no", rule="done", unit="")
    promise = done.commitment.promise
    Outcome.objects.create(indicator=done, year=2023, value=1)
    page = admin_client.get(entry_url(promise, 2023)).text
    assert '<option value="1" selected>' in page
    untouched = form_data([done], **{f"{done.pk}__value": "1"})
    admin_client.post(entry_url(promise, 2023), shown(untouched, **{f"{done.pk}__value": "1"}))
    assert Outcome.objects.get(indicator=done).value == 1


def test_the_yearly_summary_is_labelled_with_a_capital_letter_on_the_entry_page_and_its_admin(
    admin_client, two_year_promise
):
    promise = two_year_promise[0]
    entry = admin_client.get(entry_url(promise, promise.start_year)).text
    followup = YearlyFollowUp.objects.create(promise=promise, year=promise.start_year)
    change = admin_client.get(reverse("admin:followup_yearlyfollowup_change", args=[followup.pk]))

    for page in [entry, change.text]:
        assert ">Sammanfattning:</label>" in page
        assert ">sammanfattning:</label>" not in page


def test_saving_a_refused_figure_again_replaces_the_colleagues_figure_knowingly(
    admin_client, two_year_promise
):
    promise, controls, survey = two_year_promise
    Outcome.objects.create(indicator=controls, year=2023, value=304)
    opened = {f"{controls.pk}__value": "304", f"{survey.pk}__value": ""}
    Outcome.objects.filter(indicator=controls).update(value=555)  # Bo saved in between
    anna = form_data([controls], **{f"{controls.pk}__value": "400"})
    refused = admin_client.post(entry_url(promise, 2023), shown(anna, **opened)).text
    assert "spara igen för att ersätta det" in refused

    # The refused page, sent back as it is, now counts Bo's 555 as what Anna saw.
    shown_again = f'name="initial-indikator-{controls.pk}-value" value="555'
    assert shown_again in refused
    typed = f'name="indikator-{controls.pk}-value" value="400"'
    assert typed in refused
    again = shown(anna, **{**opened, f"{controls.pk}__value": "555"})
    response = admin_client.post(entry_url(promise, 2023), again, follow=True)
    assert "Sparat: 1 utfall." in response.text
    assert Outcome.objects.get(indicator=controls).value == 400
