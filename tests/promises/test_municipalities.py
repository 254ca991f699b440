"""Sweden's 290 municipalities as known data; areas cover them; a municipality party is one."""

import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management.sql import emit_post_migrate_signal
from django.db import IntegrityError, transaction
from django.urls import reverse

from promises.models import Area, Municipality, Party
from promises.municipalities import DATA_FILE, read

ROOT = Path(__file__).resolve().parents[2]
COUNTY_CODES = {
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
    "20", "21", "22", "23", "24", "25",
}  # fmt: skip
KNOWN = {
    "0180": "Stockholm",
    "0331": "Heby",
    "0484": "Eskilstuna",
    "0980": "Gotland",
    "1280": "Malmö",
    "1480": "Göteborg",
    "1904": "Skinnskatteberg",
    "1962": "Norberg",
    "1982": "Fagersta",
    "2584": "Kiruna",
}


def test_the_data_file_lists_sweden_s_290_municipalities_once_each():
    rows = read()
    codes = [code for code, _name in rows]
    names = [name for _code, name in rows]
    assert len(rows) == 290
    assert len(set(codes)) == 290 and len(set(names)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert {code[:2] for code in codes} == COUNTY_CODES
    assert {code: name for code, name in rows if code in KNOWN} == KNOWN


def test_the_data_file_names_its_source():
    header = DATA_FILE.read_text(encoding="utf-8").splitlines()[:4]
    assert any("SCB" in line for line in header)


def test_the_data_file_is_packaged_with_the_app():
    """A wheel holds only the package data pyproject.toml names; the migration reads the file."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["promises"]
    relative = DATA_FILE.relative_to(ROOT / "promises").as_posix()
    assert any(fnmatchcase(relative, pattern) for pattern in patterns)


def test_the_migrated_database_knows_every_municipality(db):
    assert Municipality.objects.count() == 290
    assert str(Municipality.objects.get(code="0484")) == "Eskilstuna (0484)"
    assert Municipality.objects.first().name == "Ale"  # ordered by name


def test_municipalities_come_back_after_a_flush(db):
    Municipality.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as `flush` does
    assert Municipality.objects.count() == 290


def test_a_code_has_four_digits(db):
    with pytest.raises(ValidationError, match="fyra siffror"):
        Municipality(code="484", name="Fel").full_clean()


# Parties ------------------------------------------------------------------------------------


def test_a_municipality_party_must_name_its_municipality(db):
    party = Party(name="Fagersta kommun", kind=Party.Kind.MUNICIPALITY)
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "Välj vilken kommun parten är" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        party.save()


def test_only_a_municipality_party_names_a_municipality(db):
    fagersta = Municipality.objects.get(code="1982")
    party = Party(name="Polismyndigheten", kind=Party.Kind.POLICE, municipality=fagersta)
    with pytest.raises(ValidationError, match="Bara en part av typen kommun"):
        party.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        party.save()


def test_a_municipality_is_one_party_not_two(db):
    fagersta = Municipality.objects.get(code="1982")
    Party.objects.create(name="Fagersta kommun", kind="municipality", municipality=fagersta)
    second = Party(name="Fagerstas kommun", kind="municipality", municipality=fagersta)
    with pytest.raises(ValidationError, match="Kommunen finns redan som part"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_demo_party_is_the_municipality_eskilstuna(demo):
    party = Party.objects.get(name="Eskilstuna kommun")
    assert party.municipality.code == "0484"
    assert list(demo.area.municipalities.values_list("code", flat=True)) == ["0484"]


# The admin ----------------------------------------------------------------------------------


def area_form(kind, *codes, name="Lokalpolisområde Fagersta"):
    ids = Municipality.objects.filter(code__in=codes).values_list("pk", flat=True)
    return {"name": name, "slug": "lpo-fagersta", "kind": kind, "municipalities": list(ids)}


@pytest.mark.parametrize(
    "kind, codes, message",
    [
        ("municipality", ["1982", "1962"], "En kommun omfattar precis en kommun"),
        ("municipality", [], "En kommun omfattar precis en kommun"),
        ("district", ["1982", "1962"], "En stadsdel ligger i precis en kommun"),
        ("police_area", [], "Välj de kommuner som lokalpolisområdet omfattar"),
    ],
)
def test_the_admin_refuses_an_area_that_covers_the_wrong_number(admin_client, kind, codes, message):
    response = admin_client.post(reverse("admin:promises_area_add"), area_form(kind, *codes))
    assert response.status_code == 200
    assert message in response.text
    assert not Area.objects.exists()


def test_the_admin_saves_a_police_area_over_three_municipalities(admin_client):
    data = area_form("police_area", "1982", "1962", "1904")
    response = admin_client.post(reverse("admin:promises_area_add"), data)
    assert response.status_code == 302
    area = Area.objects.get(slug="lpo-fagersta")
    assert area.municipalities_label == "Fagersta (1982), Norberg (1962), Skinnskatteberg (1904)"
    listing = admin_client.get(reverse("admin:promises_area_changelist")).text
    assert "Fagersta (1982), Norberg (1962), Skinnskatteberg (1904)" in listing


@pytest.mark.parametrize("query", ["Norberg", "norberg", "1962"])
def test_the_area_list_in_the_admin_finds_an_area_by_a_covered_municipality(admin_client, query):
    admin_client.post(reverse("admin:promises_area_add"), area_form("police_area", "1982", "1962"))
    url = reverse("admin:promises_area_changelist")
    assert "Lokalpolisområde Fagersta" in admin_client.get(url, {"q": query}).text
    assert "Lokalpolisområde Fagersta" not in admin_client.get(url, {"q": "Kiruna"}).text


def test_the_municipality_admin_is_read_only_and_searchable(admin_client):
    url = reverse("admin:promises_municipality_changelist")
    page = admin_client.get(url, {"q": "0484"}).text
    assert "Eskilstuna" in page and "Fagersta" not in page
    assert "Fagersta" in admin_client.get(url, {"q": "fager"}).text
    assert admin_client.get(reverse("admin:promises_municipality_add")).status_code == 403
    fagersta = Municipality.objects.get(code="1982")
    change = admin_client.post(
        reverse("admin:promises_municipality_change", args=[fagersta.pk]),
        {"code": "9999", "name": "Ändrad"},
    )
    assert change.status_code == 403
    assert Municipality.objects.get(pk=fagersta.pk).name == "Fagersta"


@pytest.mark.parametrize("term", ["Eskil", "0484"])
def test_a_municipality_party_is_picked_by_name_or_code(admin_client, term):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "promises",
            "model_name": "party",
            "field_name": "municipality",
            "term": term,
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Eskilstuna (0484)"]


def test_the_party_admin_saves_a_municipality_party_with_its_municipality(admin_client):
    fagersta = Municipality.objects.get(code="1982")
    url = reverse("admin:promises_party_add")
    refused = admin_client.post(url, {"name": "Fagersta kommun", "kind": "municipality"})
    assert "Välj vilken kommun parten är" in refused.text
    admin_client.post(
        url, {"name": "Fagersta kommun", "kind": "municipality", "municipality": fagersta.pk}
    )
    assert Party.objects.get(name="Fagersta kommun").municipality == fagersta


def test_a_coordinator_may_search_the_municipalities(client, demo, django_user_model):
    from promises.roles import grant

    user = django_user_model.objects.create_user("samordnare", password="x")
    grant(user, demo.area, "coordinator")
    client.force_login(user)
    page = client.get(reverse("admin:promises_municipality_changelist"), {"q": "1982"})
    assert page.status_code == 200 and "Fagersta" in page.text
