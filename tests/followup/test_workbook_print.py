"""The yearly report as it prints: converted to PDF by LibreOffice, a client nobody here wrote,
as an official would print it for the council meeting.

`make test` skips these, saying why, when LibreOffice or poppler's tools are absent; CI installs
them (.ci/run) and sets REQUIRE_BROWSER=1, so that a missing one fails the run instead.
"""

import os
import re
import shutil
import statistics
import subprocess

import pytest

from followup.models import YearlyFollowUp
from promises.models import Promise

A4 = {(595, 842), (842, 595)}  # points, portrait or landscape
TOOLS = ("soffice", "pdfinfo", "pdftotext")


@pytest.fixture
def office():
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        reason = (
            f"{', '.join(missing)} not found: install them with "
            "`apt-get install -y libreoffice-calc-nogui poppler-utils`"
        )
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason + " (REQUIRE_BROWSER is set)")
        pytest.skip(reason)


def printed(content, folder):
    """The PDF LibreOffice prints of an xlsx file, with a profile of its own (two conversions
    sharing one profile wait for each other or fail)."""
    source = folder / "rapport.xlsx"
    source.write_bytes(content)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "rapport.pdf"


def page_sizes(pdf):
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(round(float(width)), round(float(height))) for width, height in sizes]


def words(pdf):
    """Every printed word with its height in points (its box's yMax − yMin)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    return [(text, float(y_max) - float(y_min)) for y_min, y_max, text in re.findall(pattern, html)]


def figures_and_words(printed_words):
    """The printed words with thousands separators taken out of numbers ("2,483", "2 483")."""
    text = " ".join(word for word, _height in printed_words)
    text = re.sub(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}\b)", "", text)
    return set(text.split())


def assert_legible_a4(pdf):
    sizes = page_sizes(pdf)
    assert sizes and set(sizes) <= A4, sizes
    printed_words = words(pdf)
    heights = [height for _word, height in printed_words]
    assert statistics.median(heights) >= 7, statistics.median(heights)
    return printed_words


def test_the_promise_report_prints_on_a4_at_a_readable_size(client, demo, office, tmp_path):
    content = client.get("/eskilstuna/2021/rapport/2021.xlsx").content
    printed_words = assert_legible_a4(printed(content, tmp_path))
    found = figures_and_words(printed_words)
    for commitment in demo.commitments.all():
        assert set(commitment.title.split()) <= found, commitment.title
    # baseline, outcomes and change of the seed's follow-up, and the council's comment
    assert {"2014", "2483", "469", "104", "696", "5", "136"} <= found
    assert {"COVID", "Uppfyllt", "genomfört", "Coronapandemin"} <= found
    for signatory in demo.signatories.all():  # every signatory printed whole, none cut off
        assert set(f"{signatory.name}, {signatory.role}".split()) <= found, signatory.name
    text = " ".join(word for word, _height in printed_words)
    assert "Sida 1 av" in text and "Eskilstuna kommun" in text


def test_the_national_report_prints_on_a4_at_a_readable_size(
    client, demo, build_promise, office, tmp_path
):
    for slug in ("norrkoping", "vasteras", "orebro"):
        other = build_promise(slug, commitments=3, start_year=2021, end_year=2022)
        Promise.objects.filter(pk=other.pk).update(state="published")
        YearlyFollowUp.objects.create(
            promise=other, year=2021, state="published", summary=f"Året i {slug.title()}."
        )
    content = client.get("/rapport/2021.xlsx").content
    printed_words = assert_legible_a4(printed(content, tmp_path))
    found = figures_and_words(printed_words)
    assert {"Norrkoping", "Vasteras", "Orebro", "Eskilstuna", "Alla"} <= found
    assert {"2483", "136"} <= found
