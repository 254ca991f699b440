"""Every admin page loads, in Swedish, for a superuser; the demo login works."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERNAME

PROJECT_APPS = {"promises", "followup"}
PROJECT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in PROJECT_APPS
    and model.__name__ not in {"Membership", "PublicationEvent", "Correction", "Municipality"}
]  # Municipality is read-only known data: tests/promises/test_municipalities.py


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_is_in_the_admin():
    names = {model.__name__ for model in PROJECT_MODELS}
    assert names == {
        "Area",
        "Party",
        "Theme",
        "Promise",
        "Commitment",
        "Indicator",
        "Outcome",
        "YearlyFollowUp",
    }


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_load(admin_client, demo, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "Eskilstuna"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_the_admin_speaks_swedish(admin_client, demo):
    response = admin_client.get(admin_url(type(demo), "change", demo.pk))
    for text in ["Undertecknat den", "Åtaganden", "Mata in uppföljning 2021", "Bakgrund"]:
        assert text in response.content.decode()


def test_the_promise_list_links_to_follow_up_entry_and_filters_by_area_and_state(
    admin_client, demo
):
    response = admin_client.get(admin_url(type(demo), "changelist"), {"state__exact": "published"})
    assert reverse("admin:promises_promise_followup", args=[demo.pk, 2021]) in response.text
    assert "Medborgarlöfte Eskilstuna 2021" in response.text
    response = admin_client.get(admin_url(type(demo), "changelist"), {"state__exact": "draft"})
    assert "0 medborgarlöften" in response.text


def test_outcome_list_shows_computed_status(admin_client, demo):
    response = admin_client.get(reverse("admin:followup_outcome_changelist"))
    assert "Ej uppfyllt" in response.text
    assert "Ej genomfört" in response.text


def test_the_printed_demo_login_opens_the_admin(client, db):
    call_command("load_demo", stdout=io.StringIO())
    login = {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    client.post(reverse("admin:login"), login)
    response = client.get(reverse("admin:promises_promise_changelist"))
    assert "Medborgarlöfte Eskilstuna 2021" in response.text


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_changelists_run_as_many_queries_for_many_promises_as_for_one(
    admin_client, build_promise, model
):
    build_promise("forsta", commitments=1)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(5):
        build_promise(f"kommun-{n}", commitments=3)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_every_model_offers_an_export_in_swedish(admin_client, demo, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert "Exportera" in response.text
    assert admin_client.get(admin_url(model, "export")).status_code == 200


def test_the_export_page_names_the_columns_as_the_file_does(admin_client, demo):
    """The checkboxes of the outcome export read "Åtagande nr", as the file's header does, not
    the code name "Commitment Number"."""
    page = admin_client.get(reverse("admin:followup_outcome_export")).text
    for header in ("Område", "År", "Åtagande nr", "Indikator nr", "Del av året", "Utfall"):
        assert f"> {header}</label>" in page or f">{header}</label>" in page, header
    assert "Commitment Number" not in page
    assert "Override Reason" not in page


def test_outcomes_offer_an_import(admin_client, demo):
    assert "Importera" in admin_client.get(reverse("admin:followup_outcome_changelist")).text
    page = admin_client.get(reverse("admin:followup_outcome_import")).text
    assert "Fil att läsa in" in page
