"""Limits on logins and on anonymous problem reports, by the visitor's address behind a proxy."""

import json
import logging
import socket
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from accessibility.models import ProblemReport
from medborgarloften.logs import JsonFormatter
from promises.factories import UserFactory
from tests.conftest import redis_cache_settings

PASSWORD = "ett-bra-losen-42"
# Addresses as a load balancer would append them (documentation ranges: nobody's real address).
HOME, OFFICE, STRANGER = "198.51.100.10", "198.51.100.20", "203.0.113.66"


@pytest.fixture
def behind_a_load_balancer(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def colleague(db):
    return UserFactory(username="radet", raw_password=PASSWORD, is_staff=True)


def log_in(client, username, password, forwarded_for=None, **data):
    client.logout()
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, **data},
        headers=headers,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, forwarded_for, times=1):
    for _ in range(times):
        response = log_in(client, username, "fel-losen", forwarded_for)
        assert response.status_code in (200, 429)


def test_five_failures_lock_a_user_name_only_from_the_address_they_came_from(
    client, colleague, behind_a_load_balancer
):
    fail(client, "radet", STRANGER, times=5)
    refused = log_in(client, "radet", PASSWORD, STRANGER)
    assert refused.status_code == 429 and "För många inloggningsförsök" in refused.text
    assert not logged_in(client)
    # The stranger's guesses did not lock the colleague out at home.
    assert log_in(client, "radet", PASSWORD, HOME).status_code == 302
    assert logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}


def test_failures_for_one_user_name_from_different_addresses_are_counted_apart(
    client, colleague, behind_a_load_balancer
):
    fail(client, "radet", HOME, times=4)
    fail(client, "radet", OFFICE, times=4)
    assert log_in(client, "radet", PASSWORD, OFFICE).status_code == 302
    assert logged_in(client)


def test_one_address_trying_many_user_names_is_locked_after_twenty_failures(
    client, colleague, behind_a_load_balancer
):
    for number in range(19):
        fail(client, f"gissning-{number}", STRANGER)
    # Nineteen: a colleague behind the same address still logs in, and their login does not
    # clear the failures of the other names.
    assert log_in(client, "radet", PASSWORD, STRANGER).status_code == 302
    fail(client, "gissning-19", STRANGER)
    refused = log_in(client, "radet", PASSWORD, STRANGER)
    assert refused.status_code == 429 and not logged_in(client)
    assert log_in(client, "radet", PASSWORD, OFFICE).status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, colleague, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):  # a new made-up address for each guess
        fail(client, "radet", f"192.0.2.{number}")
    assert log_in(client, "radet", PASSWORD, "192.0.2.99").status_code == 429
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_addresses_a_visitor_puts_in_front_of_the_proxys_entry_are_ignored(
    client, colleague, behind_a_load_balancer
):
    for number in range(5):
        fail(client, "radet", f"192.0.2.{number}, {STRANGER}")
    assert log_in(client, "radet", PASSWORD, f"192.0.2.99, {STRANGER}").status_code == 429
    assert log_in(client, "radet", PASSWORD, HOME).status_code == 302


def test_an_unsafe_next_after_login_leads_to_the_admin_start_page(client, colleague):
    response = log_in(client, "radet", PASSWORD, next="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


@pytest.fixture
def no_reports_counted():
    cache.clear()
    yield
    cache.clear()


def report(client, forwarded_for, description="Diagrammet saknar textalternativ."):
    return client.post(
        reverse("accessibility"),
        {"page": "/eskilstuna/2021/", "description": description},
        headers={"x-forwarded-for": forwarded_for},
    )


def test_the_eleventh_report_from_one_address_within_an_hour_is_refused(
    client, db, behind_a_load_balancer, no_reports_counted
):
    for _ in range(10):
        assert report(client, STRANGER).status_code == 302
    refused = report(client, STRANGER, description="En rapport för mycket")
    assert refused.status_code == 429
    assert "Du har skickat för många rapporter på kort tid" in refused.text
    assert "En rapport för mycket" in refused.text  # kept in the form, to send later
    assert ProblemReport.objects.count() == 10
    assert not ProblemReport.objects.filter(description="En rapport för mycket").exists()
    # Someone else behind the same load balancer still can.
    assert report(client, HOME, description="Från en annan adress").status_code == 302
    assert ProblemReport.objects.filter(description="Från en annan adress").exists()


def test_a_refused_report_is_shown_in_english_too(
    client, db, settings, behind_a_load_balancer, no_reports_counted
):
    settings.PROBLEM_REPORTS_PER_HOUR = 0
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = report(client, STRANGER)
    assert refused.status_code == 429
    assert "You have sent too many reports in a short time" in refused.text
    assert not ProblemReport.objects.exists()


def test_with_redis_the_reports_of_an_address_are_counted_for_an_hour_from_the_first(
    client, db, settings, behind_a_load_balancer, redis_cache
):
    settings.PROBLEM_REPORTS_PER_HOUR = 2
    assert report(client, STRANGER).status_code == 302
    assert report(client, STRANGER).status_code == 302
    assert report(client, STRANGER).status_code == 429
    assert ProblemReport.objects.count() == 2
    (key,) = redis_cache.keys("*")
    assert 3590 < redis_cache.ttl(key) <= 3600  # counting on did not extend the hour


def test_while_redis_does_not_answer_reports_are_taken(
    client, db, settings, behind_a_load_balancer, caplog
):
    with socket.socket() as closed:  # a port nothing listens on once the socket is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CACHES = {"default": redis_cache_settings(f"redis://127.0.0.1:{port}/0")}
    caplog.set_level(logging.WARNING, logger="accessibility.limits")
    assert report(client, STRANGER).status_code == 302
    assert ProblemReport.objects.count() == 1
    assert "problem report not counted" in caplog.text


def access_log(trusted_proxies, settings, **atoms):
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    atoms = {"m": "POST", "U": "/admin/login/", "s": 200, **atoms}
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", atoms, None)
    return json.loads(JsonFormatter().format(record))


def test_the_access_log_names_the_visitor_as_the_login_limits_see_them(settings):
    forwarded = {"h": "10.0.0.1", "{x-forwarded-for}i": f"192.0.2.1, {STRANGER}"}
    entry = access_log(1, settings, **forwarded)
    assert entry["remote_addr"] == "10.0.0.1" and entry["client_addr"] == STRANGER
    assert access_log(0, settings, **forwarded)["client_addr"] == "10.0.0.1"
    assert access_log(1, settings, h="10.0.0.1")["client_addr"] == "10.0.0.1"


def trusted_proxies(value):
    """TRUSTED_PROXY_COUNT as a server started with `value` in its environment reads it."""
    code = "import django; from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "medborgarloften.settings"}
    if value is not None:
        env["TRUSTED_PROXY_COUNT"] = value
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1] if result.returncode == 0 else result.stderr


def test_the_trusted_proxies_are_read_from_the_environment():
    assert trusted_proxies(None) == "0"
    assert trusted_proxies("2") == "2"
    for wrong in ("-1", "ett", ""):
        assert f"TRUSTED_PROXY_COUNT={wrong!r} is not a number of proxies" in trusted_proxies(wrong)
