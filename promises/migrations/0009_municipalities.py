"""Sweden's municipalities as known data; areas cover municipalities, and a municipality that is
a party is linked to its municipality.

Existing rows are mapped by name: "Eskilstuna kommun", "Göteborgs stad", "Region Gotland" and
"Lokalpolisområde Eskilstuna" find their municipality; a district takes its former parent's,
a police area those of the municipality areas it covered. What cannot be mapped is left for a
coordinator to fill in (an area without municipalities), except a party of kind municipality
without a municipality, which the new rule forbids: it becomes an "other" party.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from promises.municipalities import add_missing

NOISE_WORDS = {"kommun", "stad", "region", "lokalpolisområde", "lokalpolisområdet", "lpo"}


def load_municipalities(apps, schema_editor):
    add_missing(apps.get_model("promises", "Municipality"), schema_editor.connection.alias)


def municipality_named(name, by_name):
    """The municipality a name such as "Göteborgs stad" or "Falu kommun" refers to, or None."""
    base = " ".join(w for w in name.lower().split() if w not in NOISE_WORDS)
    for candidate in (base, base.removesuffix("s"), base + "n"):
        if candidate in by_name:
            return by_name[candidate]
    return None


def map_existing(apps, schema_editor):
    db = schema_editor.connection.alias
    Municipality = apps.get_model("promises", "Municipality")
    Area = apps.get_model("promises", "Area")
    Party = apps.get_model("promises", "Party")
    by_name = {m.name.lower(): m for m in Municipality.objects.using(db)}
    areas = list(Area.objects.using(db).order_by("pk"))
    covered = {}
    for area in areas:
        if area.kind == "municipality":
            found = municipality_named(area.name, by_name)
            covered[area.pk] = [found] if found else []
    for area in areas:
        if area.kind == "district":
            found = covered.get(area.parent_id) or [municipality_named(area.name, by_name)]
            covered[area.pk] = [m for m in found if m]
        elif area.kind == "police_area":
            found = [m for old in area.municipalities.all() for m in covered.get(old.pk, [])]
            found = found or [municipality_named(area.name, by_name)]
            covered[area.pk] = list({m.pk: m for m in found if m}.values())
    for area in areas:
        area.covered.set(covered.get(area.pk, []))
    taken = set()
    for party in Party.objects.using(db).filter(kind="municipality").order_by("pk"):
        found = municipality_named(party.name, by_name)
        if found and found.pk not in taken:
            taken.add(found.pk)
            party.municipality = found
        else:
            party.kind = "other"
        party.save(update_fields=["municipality", "kind"])


class Migration(migrations.Migration):

    dependencies = [
        ("promises", "0008_parts_year_from_parts"),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(help_text="SCB:s fyrsiffriga kod, till exempel 0484 för Eskilstuna.", max_length=4, unique=True, validators=[django.core.validators.RegexValidator("^[0-9]{4}\\Z", "En kommunkod har fyra siffror.")], verbose_name="kommunkod")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="namn")),
            ],
            options={
                "verbose_name": "kommun",
                "verbose_name_plural": "kommuner",
                "ordering": ["name"],
            },
        ),
        migrations.RunPython(load_municipalities, migrations.RunPython.noop),
        migrations.AddField(
            model_name="area",
            name="covered",
            field=models.ManyToManyField(blank=True, related_name="+", to="promises.municipality"),
        ),
        migrations.AddField(
            model_name="party",
            name="municipality",
            field=models.ForeignKey(blank=True, help_text="För en part av typen kommun: vilken av Sveriges kommuner det är.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="parties", to="promises.municipality", verbose_name="kommun"),
        ),
        migrations.RunPython(map_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="area", name="municipalities"),
        migrations.RemoveField(model_name="area", name="parent"),
        migrations.RenameField(model_name="area", old_name="covered", new_name="municipalities"),
        migrations.AlterField(
            model_name="area",
            name="municipalities",
            field=models.ManyToManyField(blank=True, help_text="En kommun: kommunen själv. En stadsdel: den kommun den ligger i. Ett lokalpolisområde: de kommuner det omfattar.", related_name="areas", to="promises.municipality", verbose_name="omfattar kommuner"),
        ),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.UniqueConstraint(fields=("municipality",), name="party_one_per_municipality", violation_error_message="Kommunen finns redan som part."),
        ),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("kind", "municipality"), ("municipality__isnull", False)), models.Q(models.Q(("kind", "municipality"), _negated=True), ("municipality__isnull", True)), _connector="OR"), name="party_municipality_iff_kind_municipality", violation_error_message="En part av typen kommun ska ha sin kommun vald, och bara en sådan part."),
        ),
    ]
