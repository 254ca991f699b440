"""Two council members saving the same follow-up at the same moment: nobody's edit is lost.

Each editor is a client of their own, and the saves race for real: each runs in a thread with
its own database connection, and a barrier lets both pages go at the same moment, after both
were opened. Whoever comes second is compared with what the first saved, inside its own saving
transaction: a field both changed is refused with a message, a field only one changed is kept.
The rounds repeat, since one round may by chance run one save after the other.
"""

import threading

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from followup.models import Outcome, YearlyFollowUp
from promises.factories import UserFactory
from promises.roles import grant

# Real commits, seen by the other connections.
pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5


def at_once(*saves):
    """Runs each save in a thread of its own (each thread opens its own database connection),
    released together by a barrier; returns their results in order."""
    barrier = threading.Barrier(len(saves))
    results, errors = [None] * len(saves), []

    def run(index, save):
        try:
            barrier.wait(timeout=10)
            results[index] = save()
        except BaseException as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def opened(client, url, form_id=None):
    """The form of the page as a browser would send it back: {name: value}."""
    page = lxml.html.fromstring(client.get(url).text)
    form = page.get_element_by_id(form_id) if form_id else page.forms[-1]
    values = dict(form.form_values())
    for element in form.inputs:  # a browser sends an input without a value as empty; lxml not
        kind = element.get("type", "text")
        if element.tag == "input" and kind not in UNSENT_WHEN_EMPTY and element.name:
            values.setdefault(element.name, "")
    return values


UNSENT_WHEN_EMPTY = {"checkbox", "radio", "submit", "button", "image", "file"}


def post(client, url, data):
    return lambda: client.post(url, data)


@pytest.fixture
def editors(make_indicator):
    """Anna and Bo, council members of the same area, each with a browser of their own."""
    indicator = make_indicator(name="Trafikkontroller")
    area = indicator.commitment.promise.area
    clients = []
    for name in ["anna", "bo"]:
        user = UserFactory(username=name, is_staff=True)
        grant(user, area, "council_member")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return indicator, clients


def entry_url(promise, year=2023):
    return reverse("admin:promises_promise_followup", args=[promise.pk, year])


def saved(response):
    return response.status_code == 302


def test_two_comments_saved_at_the_same_moment_one_is_saved_and_the_other_told(editors):
    indicator, (anna, bo) = editors
    promise = indicator.commitment.promise
    url = entry_url(promise)
    prefix = f"indikator-{indicator.pk}"
    outcome = Outcome.objects.create(indicator=indicator, year=2023, value=104, comment="Gammal")
    for turn in range(ROUNDS):
        annas, bos = opened(anna, url), opened(bo, url)
        annas[f"{prefix}-comment"] = f"Annas kommentar {turn}"
        bos[f"{prefix}-comment"] = f"Bos kommentar {turn}"

        results = at_once(post(anna, url, annas), post(bo, url, bos))

        assert sorted(saved(response) for response in results) == [False, True]
        winner, loser = ("Anna", "Bo") if saved(results[0]) else ("Bo", "Anna")
        outcome.refresh_from_db()
        assert outcome.comment == f"{winner}s kommentar {turn}"
        refusal = results[1 if winner == "Anna" else 0].text
        assert (
            "Någon annan har ändrat detta efter att du öppnade sidan "
            f"(nu: {winner}s kommentar {turn})" in refusal
        )
        assert f"{loser}s kommentar {turn}</textarea>" in refusal  # kept in the page


def test_a_value_and_a_comment_saved_at_the_same_moment_are_both_kept(editors):
    indicator, (anna, bo) = editors
    promise = indicator.commitment.promise
    url = entry_url(promise)
    prefix = f"indikator-{indicator.pk}"
    outcome = Outcome.objects.create(indicator=indicator, year=2023, value=100, comment="Gammal")
    for turn in range(ROUNDS):
        annas, bos = opened(anna, url), opened(bo, url)
        annas[f"{prefix}-value"] = str(200 + turn)
        bos[f"{prefix}-comment"] = f"Bos kommentar {turn}"

        results = at_once(post(anna, url, annas), post(bo, url, bos))

        assert [saved(response) for response in results] == [True, True]
        outcome.refresh_from_db()
        assert (outcome.value, outcome.comment) == (200 + turn, f"Bos kommentar {turn}")


def test_two_summaries_saved_at_the_same_moment_one_is_saved_and_the_other_told(editors):
    indicator, (anna, bo) = editors
    promise = indicator.commitment.promise
    url = entry_url(promise)
    followup = YearlyFollowUp.objects.create(promise=promise, year=2023, summary="Gammal")
    for turn in range(ROUNDS):
        annas, bos = opened(anna, url), opened(bo, url)
        annas["arsuppfoljning-summary"] = f"Annas år {turn}"
        bos["arsuppfoljning-summary"] = f"Bos år {turn}"

        results = at_once(post(anna, url, annas), post(bo, url, bos))

        assert sorted(saved(response) for response in results) == [False, True]
        winner = "Anna" if saved(results[0]) else "Bo"
        followup.refresh_from_db()
        assert followup.summary == f"{winner}s år {turn}"


def test_two_first_figures_for_the_same_row_at_the_same_moment_one_is_saved_and_the_other_told(
    editors,
):
    indicator, (anna, bo) = editors
    promise = indicator.commitment.promise
    url = entry_url(promise)
    prefix = f"indikator-{indicator.pk}"
    for _turn in range(ROUNDS):
        Outcome.objects.filter(indicator=indicator).delete()
        annas, bos = opened(anna, url), opened(bo, url)
        annas[f"{prefix}-value"] = "111"
        bos[f"{prefix}-value"] = "222"

        results = at_once(post(anna, url, annas), post(bo, url, bos))

        assert sorted(saved(response) for response in results) == [False, True]
        winner = "111" if saved(results[0]) else "222"
        assert Outcome.objects.get(indicator=indicator).value == int(winner)


def change_url(outcome):
    return reverse("admin:followup_outcome_change", args=[outcome.pk])


def test_two_admin_saves_of_an_outcome_at_the_same_moment_one_is_saved_and_the_other_told(
    editors,
):
    indicator, (anna, bo) = editors
    outcome = Outcome.objects.create(indicator=indicator, year=2023, value=104, comment="Gammal")
    url = change_url(outcome)
    for turn in range(ROUNDS):
        annas, bos = opened(anna, url, "outcome_form"), opened(bo, url, "outcome_form")
        annas["comment"] = f"Annas kommentar {turn}"
        bos["comment"] = f"Bos kommentar {turn}"

        results = at_once(post(anna, url, annas), post(bo, url, bos))

        assert sorted(saved(response) for response in results) == [False, True]
        winner, loser = ("Anna", "Bo") if saved(results[0]) else ("Bo", "Anna")
        outcome.refresh_from_db()
        assert outcome.comment == f"{winner}s kommentar {turn}"
        refusal = results[1 if winner == "Anna" else 0].text
        assert "Någon annan har sparat detta efter att du öppnade sidan." in refusal
        assert f"kommentar (nu: {winner}s kommentar {turn})" in refusal
        assert f"{loser}s kommentar {turn}</textarea>" in refusal
