"""The year's follow-up as a PDF: the hand-written document of the seed, read back as text."""

import datetime
import os
import re
import shutil
import subprocess
import zlib

import pytest
from django.test import Client

from followup.models import Correction, Outcome, YearlyFollowUp
from promises.models import Commitment, Promise
from promises.roles import grant

URL = "/eskilstuna/2021/rapport/2021.pdf"


@pytest.fixture(autouse=True)
def pdf_tools():
    """pdftotext and pdfinfo (poppler-utils) read the PDFs: a test skips without them, saying
    so, except in CI, where .ci/run installs them and a missing one fails the run."""
    missing = [tool for tool in ("pdftotext", "pdfinfo") if not shutil.which(tool)]
    if missing:
        reason = f"{', '.join(missing)} not found: install poppler-utils"
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason + " (CI)")
        pytest.skip(reason)


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def pages_of(content, tmp_path):
    """The text of each page, its whitespace made single spaces."""
    path = tmp_path / "followup.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def catalog_of(content):
    """The document catalog, from the compressed object stream WeasyPrint writes it in."""
    for start in re.finditer(rb"stream\r?\n", content):
        try:
            objects = zlib.decompressobj().decompress(content[start.end() :])
        except zlib.error:
            continue
        if b"/Type /Catalog" in objects:
            return objects[objects.index(b"/Type /Catalog") :]
    raise AssertionError("no catalog found")


def info_of(content, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def approved(demo):
    YearlyFollowUp.objects.filter(promise=demo, year=2021).update(
        approved_on=datetime.date(2022, 2, 15)
    )
    return demo


def test_the_eskilstuna_pdf_holds_every_figure_of_the_handwritten_followup(
    client, approved, tmp_path
):
    text = " ".join(pages_of(pdf_of(client.get(URL)), tmp_path))
    # The heading: area, period, year; who signed, when; the council's summary and approval.
    assert "Medborgarlöfte Eskilstuna 2021" in text
    assert "Område Eskilstuna kommun" in text
    assert "Period 2021 Uppföljningsår 2021" in text
    assert "Undertecknat 31 mars 2021 av:" in text
    assert "Jimmy Jansson (S), kommunstyrelsens ordförande (Eskilstuna kommun)" in text
    assert "Christer Sjöqvist, lokalpolisområdeschef (Polismyndigheten)" in text
    assert "Coronapandemin har under 2021 påverkat alla aktiviteter" in text
    assert "3 av 5 åtaganden uppfyllda 2021" in text
    assert "Godkänd av det lokala brottsförebyggande rådet 15 februari 2022." in text
    # Drugs: 2 014 in 2020, 2 483 in 2021, against the baseline.
    assert "Mål: öka från 2 014 st (2020)" in text
    assert "2 014 → 2 483: +469, +23,3 %" in text
    # Traffic controls: 104 of at least 200 in the priority districts, 696 in the whole town.
    assert "Mål: minst 200 st" in text
    assert "104 av 200 (52 %)" in text
    assert "Ej uppfyllt" in text
    assert "696 st" in text and "Inget mål" in text
    assert "restriktionerna kring alkoholutandningsprov" in text
    # Mopeds: 5 of at least 4; the DAP about the EPA tractors at Tuna Park.
    assert "5 av 4 (125 %)" in text
    assert "DAP (dokumentation av problembild)" in text and "EPA-problematiken" in text
    # Social media: 136 of at least 120.
    assert "136 av 120 (113 %)" in text
    # The citizens' meetings were not held.
    assert "Mål: minst 3 möten" in text and "Ej genomfört" in text
    assert "Torshälla" in text
    assert text.count("Uppfyllt") >= 3
    assert "Ansvariga: Eskilstuna kommun, Polismyndigheten" in text


def test_the_pdf_is_a4_numbered_and_tagged_with_its_language(client, demo, tmp_path):
    content = pdf_of(client.get(URL))
    info = info_of(content, tmp_path)
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    assert sizes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in sizes)
    assert re.search(r"Tagged: +yes", info)
    assert "Title: Uppföljning 2021 av Medborgarlöfte Eskilstuna 2021" in " ".join(info.split())
    assert b"/Lang (sv)" in catalog_of(content)
    pages = pages_of(content, tmp_path)
    assert [f"Sida {n} av {len(pages)}" in page for n, page in enumerate(pages, 1)] == [True] * len(
        pages
    )
    assert "UTKAST" not in " ".join(pages)


def test_the_english_pdf_is_in_english_and_tagged_so(client, demo, tmp_path):
    client.post("/i18n/setlang/", {"language": "en"})
    content = pdf_of(client.get(URL))
    assert b"/Lang (en)" in catalog_of(content)
    text = " ".join(pages_of(content, tmp_path))
    assert "Page 1 of" in text and "Not met" in text


def test_the_promise_page_links_the_pdf_beside_the_excel_report(client, demo):
    page = client.get("/eskilstuna/2021/").text
    assert f'href="{URL}"' in page
    assert "Ladda ner uppföljningen 2021 (PDF)" in page


def test_corrections_of_the_year_are_in_the_pdf(client, demo, tmp_path):
    Correction.objects.create(
        promise=demo, year=2021, change="Inlägg: 130 → 136", reason="Felräknat i december"
    )
    text = " ".join(pages_of(pdf_of(client.get(URL)), tmp_path))
    assert "Rättelser" in text
    assert "Inlägg: 130 → 136. Skäl: Felräknat i december" in text


@pytest.fixture
def council_client(db, django_user_model):
    user = django_user_model.objects.create_user("radet", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_a_draft_year_is_not_found_by_the_public_and_marked_for_the_council(
    client, council_client, demo, tmp_path
):
    YearlyFollowUp.objects.filter(promise=demo).update(state="draft")
    Outcome.objects.filter(indicator__commitment__order=4, year=2021).update(value=137)
    assert client.get(URL).status_code == 404
    grant(council_client.user, demo.area, "council_member")
    response = council_client.get(URL)
    assert "private" in response["Cache-Control"]
    assert 'filename="medborgarlofte-eskilstuna-2021-utkast.pdf"' in response["Content-Disposition"]
    assert re.search(
        r"^Title:\s+UTKAST – Uppföljning 2021", info_of(response.content, tmp_path), re.M
    )
    pages = pages_of(pdf_of(response), tmp_path)
    assert all("UTKAST – EJ PUBLICERAT" in page for page in pages)
    assert "137 av 120" in " ".join(pages)


def test_an_unpublished_promise_or_an_uncovered_year_is_not_found(client, demo):
    assert client.get("/eskilstuna/2021/rapport/2022.pdf").status_code == 404
    assert client.get("/eskilstuna/2022/rapport/2022.pdf").status_code == 404
    Promise.objects.filter(pk=demo.pk).update(state="draft")
    assert client.get(URL).status_code == 404


def test_building_the_pdf_runs_a_fixed_number_of_queries(
    client, build_promise, django_assert_num_queries
):
    """The promise with its area, commitments (with their themes), their parties, indicators,
    outcomes, follow-ups, signatories, corrections and the area's municipalities, as the promise
    page reads them: nine, for 1 commitment or 10."""
    for slug, commitments in (("liten", 1), ("stor", 10)):
        promise = build_promise(slug, commitments=commitments)
        Promise.objects.filter(pk=promise.pk).update(state="published")
        YearlyFollowUp.objects.create(promise=promise, year=2023, state="published")
        with django_assert_num_queries(9):
            pdf_of(client.get(f"/{slug}/2023-2024/rapport/2023.pdf"))


def test_a_title_cannot_restyle_the_pdf_through_its_running_head(client, demo, tmp_path):
    """The running head is a CSS string: a line break of any kind (\\r as well as \\n), a quote
    or a backslash in the promise's title must not end it and let the rest act as CSS."""
    hostile = 'Otrygghet\r} } h1, h2, h3 { display: none } @page { @top-left { content: "x" } }'
    Promise.objects.filter(pk=demo.pk).update(title=hostile)
    pages = pages_of(pdf_of(client.get(URL)), tmp_path)
    assert "Narkotika" in pages[0]  # a theme's heading (h2) is still printed
    assert "display: none" in pages[1]  # the title is text in the running head, not CSS


def test_the_pdf_fetches_nothing_a_text_may_point_at(tmp_path):
    """An image a document points at is left out: WeasyPrint reads no file and no address."""
    from PIL import Image

    from public.printing import pdf_from_html

    picture = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    html = f'<html lang="sv"><p>Text</p><img src="{picture.as_uri()}"></html>'
    assert b"/Subtype /Image" not in pdf_from_html(html, base_url=tmp_path.as_uri() + "/")

    from weasyprint import HTML  # the same page printed with WeasyPrint's own fetcher

    assert b"/Subtype /Image" in HTML(string=html).write_pdf()


@pytest.mark.django_db(transaction=True)
def test_the_public_pdf_is_built_once_per_revision_and_a_draft_never_kept(
    client, council_client, settings, django_assert_num_queries
):
    """Real commits: only a committed edit renews the revision the builds are filed under."""
    from django.core.management import call_command

    from public.models import PublicFile

    settings.KEEP_BUILT_FILES = True
    call_command("loaddata", "eskilstuna-2021", verbosity=0)
    first = pdf_of(client.get(URL))
    with django_assert_num_queries(2):  # the revision and the kept file
        assert pdf_of(client.get(URL)) == first
    assert PublicFile.objects.filter(name="rapport/eskilstuna/2021/2021.pdf:sv").count() == 1

    YearlyFollowUp.objects.filter(year=2021).update(state="draft")
    Promise.objects.get().save()  # an edit through the models renews the revision
    assert client.get(URL).status_code == 404
    grant(council_client.user, Promise.objects.get().area, "council_member")
    assert pdf_of(council_client.get(URL))
    stored = PublicFile.objects.get(name="rapport/eskilstuna/2021/2021.pdf:sv")
    assert bytes(stored.content) == first  # the council's draft copy replaced nothing


def test_no_table_title_is_left_alone_at_the_foot_of_a_page(client, demo, tmp_path):
    """Texts of growing length push the tables down the pages: a table's title always goes
    to the next page with its table, never stays at the foot of the page before it."""
    first = Commitment.objects.filter(promise=demo).order_by("order").first()
    for lines in range(0, 24, 2):
        first.purpose = "Syftet förklaras närmare.\n\n" * lines
        first.save()
        for page in pages_of(pdf_of(client.get(URL)), tmp_path):
            before_number = re.sub(r"\s*Sida \d+ av \d+\s*$", "", page)
            assert not before_number.endswith(("mål och utfall per år", "mot årets mål")), lines
