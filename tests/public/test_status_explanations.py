"""Every status in a promise's indicator tables says how it was reached, in plain text under
its badge: read with the status by a screen reader and printed with the page."""

import html
import re

from promises.models import Indicator

PROMISE_URL = "/eskilstuna/2021/"


def explanations(page):
    """The explanations as a reader sees them, in the order of the page."""
    found = re.findall(r'<span class="explanation">(.*?)</span>', page, re.S)
    return [html.unescape(text).replace("\u00a0", " ") for text in found]


def status_cells(page):
    return re.findall(r'<td data-label="[^"]*" class="status-cell">(.*?)</td>', page, re.S)


def test_the_promise_page_explains_every_status_of_the_eskilstuna_demo(client, demo):
    page = client.get(PROMISE_URL).text
    assert explanations(page) == [
        "Målet var att öka från 2 014 st (2020). Utfallet 2 483 st är +469 st (+23,3 %) "
        "jämfört med utgångsvärdet, alltså uppfyllt.",
        "Målet var minst 200 st. Utfallet 104 st är 52 % av målet, alltså ej uppfyllt.",
        "Måttet har inget mål: siffran visas som sammanhang och bedöms inte.",
        "Målet var minst 4 st. Utfallet 5 st är 125 % av målet, alltså uppfyllt.",
        "Målet var minst 120 st. Utfallet 136 st är 113 % av målet, alltså uppfyllt.",
        "Målet var minst 3 möten. Inget utfall rapporterades, alltså ej rapporterat. "
        "Rådet har i stället bedömt det som ej genomfört. Motivering: Ej genomförts på grund "
        "av covid – däremot har polisen deltagit digitalt på medborgardialog med Eskilstuna "
        "kommun i Torshälla.",
    ]
    # Each one sits in its status's cell, after the badge: not a tooltip.
    cells = status_cells(page)
    assert len(cells) == 6
    assert all(cell.index("badge") < cell.index('class="explanation"') for cell in cells)
    assert "title=" not in "".join(cells)


def test_the_promise_page_explains_in_english(client, demo):
    client.cookies["django_language"] = "en"
    page = client.get(PROMISE_URL).text
    assert (
        "The target was at least 200 st. The outcome, 104 st, is 52 % of the target, so not met."
        in explanations(page)
    )
    assert explanations(page)[-1].startswith(
        "The target was at least 3 möten. No outcome was reported, so not reported. "
        "The council judged it not carried out instead. Reason: Ej genomförts på grund av covid"
    )


def test_the_indicator_page_explains_its_status(client, demo):
    controls = Indicator.objects.get(
        commitment__promise=demo, name__startswith="Trafikkontroller i prioriterade"
    )
    page = client.get(controls.get_absolute_url()).text
    assert explanations(page) == [
        "Målet var minst 200 st. Utfallet 104 st är 52 % av målet, alltså ej uppfyllt."
    ]
