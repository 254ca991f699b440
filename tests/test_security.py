"""A hardened site: production checks, headers, login throttling, escaping, no server errors."""

import os
import subprocess
import sys
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from followup.models import Outcome, YearlyFollowUp
from promises.models import Area, Commitment, Indicator, Party, Promise, Signatory, Theme

SCRIPT = "<script>alert('x')</script>"
FORMULA = "=1+2"
PAYLOAD = FORMULA + SCRIPT  # runs as a formula in a spreadsheet, as a script in a page


def test_production_settings_pass_the_deployment_check():
    # The browser tests' relaxed async guard is not part of a deployment.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "loften.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_send_security_headers_and_a_strict_content_security_policy(client, demo):
    response = client.get("/eskilstuna/2021/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/eskilstuna/2021/", "/loften/", "/tillganglighet/"])
def test_public_pages_have_no_inline_scripts_or_styles(client, demo, url):
    page = client.get(url).text
    assert "<script" not in page
    assert " style=" not in page and "<style" not in page


def test_logins_are_refused_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("radet", password="ett-bra-losen-42", is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "radet", "password": "fel"})
    response = client.post(url, {"username": "radet", "password": "ett-bra-losen-42"})
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.text
    assert "_auth_user_id" not in client.session


def test_weak_passwords_are_refused():
    with pytest.raises(ValidationError):
        validate_password("123456")
    validate_password("en-lång-och-ovanlig-fras-2026")


@pytest.fixture
def hostile(db):
    """A published promise with a script and a formula in every text a user can fill."""
    area = Area.objects.create(name="Ond" + PAYLOAD, slug="ond", kind="municipality")
    party = Party.objects.create(name="Part" + PAYLOAD, kind="other")
    theme = Theme.objects.create(name="Tema" + PAYLOAD, slug="tema")
    promise = Promise.objects.create(
        area=area, start_year=2021, end_year=2021, title=PAYLOAD, background=PAYLOAD,
        state="published",
    )  # fmt: skip
    Signatory.objects.create(promise=promise, name=PAYLOAD, role=PAYLOAD, party=party)
    commitment = Commitment.objects.create(
        promise=promise, order=1, title=PAYLOAD, text=PAYLOAD, purpose=PAYLOAD, theme=theme
    )
    commitment.parties.add(party)
    indicator = Indicator.objects.create(
        commitment=commitment, name=PAYLOAD, unit="st", scope=PAYLOAD, kind="count",
        rule="at_least", target_value=3,
    )  # fmt: skip
    Outcome.objects.create(
        indicator=indicator, year=2021, value=1, comment=PAYLOAD,
        status_override="partly_met", override_reason=PAYLOAD,
    )  # fmt: skip
    YearlyFollowUp.objects.create(promise=promise, year=2021, summary=PAYLOAD, state="published")
    return promise


def assert_escaped(text):
    assert SCRIPT not in text
    assert "alert" not in text or "&lt;script&gt;" in text


@pytest.mark.parametrize(
    "url", ["/", "/omraden/?q=ond", "/ond/", "/ond/2021/", "/loften/", "/oppna-data/"]
)
def test_every_public_page_escapes_what_users_typed(client, hostile, url):
    assert_escaped(client.get(url).text)


def test_the_indicator_page_and_council_pages_escape_too(admin_client, hostile):
    indicator = Indicator.objects.get()
    assert_escaped(admin_client.get(indicator.get_absolute_url()).text)
    assert_escaped(admin_client.get("/radet/").text)
    assert_escaped(admin_client.get("/ond/2021/").text)


@pytest.mark.parametrize(
    "model", [Area, Party, Theme, Promise, Commitment, Indicator, Outcome, YearlyFollowUp]
)
def test_admin_pages_escape_what_users_typed(admin_client, hostile, model):
    meta = model._meta
    base = f"admin:{meta.app_label}_{meta.model_name}"
    assert_escaped(admin_client.get(reverse(f"{base}_changelist")).text)
    obj = model.objects.get()
    assert_escaped(admin_client.get(reverse(f"{base}_change", args=[obj.pk])).text)
    entry = reverse("admin:promises_promise_followup", args=[hostile.pk, 2021])
    assert_escaped(admin_client.get(entry).text)


def test_no_export_holds_a_live_formula(admin_client, hostile):
    book = load_workbook(BytesIO(admin_client.get("/ond/2021/rapport/2021.xlsx").content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                assert not str(cell.value or "").startswith(("=", "+", "-", "@")), cell.value
    csv_text = admin_client.get("/oppna-data/utfall.csv").content.decode()
    assert ",=" not in csv_text and "\n=" not in csv_text
    export = admin_client.post(
        reverse("admin:promises_promise_export"),
        {"format": "1", "resource": "0", "promiseresource_title": "on"},
    ).content.decode()
    assert "'" + PAYLOAD in export


MALFORMED = [
    "/eskilstuna/99999/", "/eskilstuna/0000/", "/eskilstuna/2021-2020/", "/eskilstuna/-1/",
    "/eskilstuna/2021/indikator/-1/", "/eskilstuna/2021/indikator/abc/",
    "/eskilstuna/2021/indikator/99999999999999999999/", "/eskilstuna/2021/rapport/99999.xlsx",
    "/rapport/0.xlsx", "/rapport/99999999999999999999.xlsx", "/okant-omrade/", "/%00/",
    "/loften/?ar=99999&status=x&part=-1&tema=%00&omrade=%ff", "/omraden/?q=%00",
    "/admin/promises/promise/-1/change/", "/admin/promises/promise/abc/change/",
    "/admin/promises/promise/1/uppfoljning/99999/",
    "/admin/promises/promise/99999/uppfoljning/2021/",
    "/admin/promises/promise/1/uppfoljning/2021/?period=%00",
    "/admin/followup/outcome/export/?format=9", "/admin/promises/promise/export/?nope=1",
    "/admin/followup/outcome/1/history/abc/",
]  # fmt: skip


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_addresses_never_cause_a_server_error(admin_client, demo, url):
    response = admin_client.get(url)
    assert response.status_code in (200, 302, 404), response.status_code
