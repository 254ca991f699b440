"""Swedish is the source language; English comes from the committed translation file."""

from django.urls import reverse
from django.utils import translation

from followup.models import Outcome
from followup.status import Status
from promises.models import Commitment


def test_swedish_is_the_default_language_of_the_admin(admin_client, demo):
    response = admin_client.get(reverse("admin:followup_outcome_changelist"))
    assert response.headers["Content-Language"] == "sv"
    assert "Välj utfall att ändra" in response.text
    assert "Medborgarlöften – administration" in response.text


def test_models_fields_and_statuses_read_in_english_when_english_is_active():
    with translation.override("en"):
        assert str(Commitment._meta.verbose_name) == "commitment"
        assert str(Outcome._meta.verbose_name_plural) == "outcomes"
        reason = Outcome._meta.get_field("override_reason")
        assert str(reason.verbose_name) == "reason for status override"
        assert str(Status.NOT_CARRIED_OUT.label) == "Not carried out"


def test_the_admin_switches_to_english_with_the_language_cookie(admin_client, demo):
    admin_client.post(reverse("set_language"), {"language": "en"})
    response = admin_client.get(reverse("admin:promises_promise_followup", args=[demo.pk, 2021]))
    assert "Save all outcomes" in response.text
    assert "Not met" in response.text


def test_every_model_and_field_has_a_translatable_swedish_name():
    from django.apps import apps
    from django.utils.functional import Promise as LazyText

    for config in (apps.get_app_config(app) for app in ("promises", "followup", "public")):
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's audit tables, named by the library
            assert isinstance(model._meta.verbose_name, LazyText), model
            assert isinstance(model._meta.verbose_name_plural, LazyText), model
            for field in model._meta.get_fields(include_hidden=False):
                if field.auto_created or not field.concrete:
                    continue
                assert isinstance(field.verbose_name, LazyText), f"{model.__name__}.{field.name}"


def test_every_swedish_text_has_an_english_translation():
    from pathlib import Path

    from django.conf import settings

    po = (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    entries = [entry for entry in po.split("\n\n") if "\nmsgid " in "\n" + entry]
    missing = []
    for entry in entries[1:]:  # the first entry is the header
        lines = entry.splitlines()
        assert not any(line.startswith("#, fuzzy") for line in lines), entry
        start = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        translated = "".join(line.split('"', 1)[1].rstrip('"') for line in lines[start:])
        if not translated:
            missing.append(entry)
    assert missing == []
