"""The migration to known municipalities keeps what existing areas and parties meant."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from promises.models import Area, Party, Promise

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("promises", "0007_delete_publicfile")]


def migrate(targets=None):
    """Migrates to `targets` (by default the latest state) and returns the models of then."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def codes(slug):
    return sorted(Area.objects.get(slug=slug).municipalities.values_list("code", flat=True))


def test_existing_areas_and_parties_are_mapped_to_municipalities_by_name():
    old = migrate(BEFORE)
    OldArea, OldParty = old.get_model("promises", "Area"), old.get_model("promises", "Party")
    OldPromise = old.get_model("promises", "Promise")
    eskilstuna = OldArea.objects.create(
        name="Eskilstuna kommun", slug="eskilstuna", kind="municipality"
    )
    fagersta = OldArea.objects.create(name="Fagersta kommun", slug="fagersta", kind="municipality")
    norberg = OldArea.objects.create(name="Norbergs kommun", slug="norberg", kind="municipality")
    OldArea.objects.create(name="Göteborgs stad", slug="goteborg", kind="municipality")
    OldArea.objects.create(name="Region Gotland", slug="gotland", kind="municipality")
    OldArea.objects.create(name="Torshälla", slug="torshalla", kind="district", parent=eskilstuna)
    lpo = OldArea.objects.create(name="LPO Bergslagen", slug="lpo-bergslagen", kind="police_area")
    lpo.municipalities.set([fagersta, norberg])
    OldArea.objects.create(name="Lokalpolisområde Kiruna", slug="lpo-kiruna", kind="police_area")
    OldArea.objects.create(name="Okänt område", slug="okant", kind="municipality")
    OldPromise.objects.create(area=eskilstuna, start_year=2021, end_year=2021, state="published")
    OldParty.objects.create(name="Eskilstuna kommun", kind="municipality")
    OldParty.objects.create(name="Falu kommun", kind="municipality")
    OldParty.objects.create(name="Eskilstuna kommunen", kind="municipality")  # a second record
    OldParty.objects.create(name="Polismyndigheten", kind="police")

    migrate()

    assert codes("eskilstuna") == ["0484"]
    assert codes("goteborg") == ["1480"]
    assert codes("gotland") == ["0980"]
    assert codes("torshalla") == ["0484"]  # the district's former parent
    assert codes("lpo-bergslagen") == ["1962", "1982"]  # the municipality areas it covered
    assert codes("lpo-kiruna") == ["2584"]  # by its own name
    assert codes("okant") == []  # left for a coordinator to choose
    parties = {
        p.name: (p.kind, p.municipality and p.municipality.code) for p in Party.objects.all()
    }
    assert parties == {
        "Eskilstuna kommun": ("municipality", "0484"),
        "Falu kommun": ("municipality", "2080"),
        "Eskilstuna kommunen": ("other", None),  # Eskilstuna is already a party
        "Polismyndigheten": ("police", None),
    }
    promise = Promise.objects.get()
    assert (promise.area.slug, promise.state) == ("eskilstuna", "published")
