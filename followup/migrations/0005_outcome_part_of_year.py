# Written by hand: "period" is a promise's years; the part of a year an outcome covers (whole
# year, tertial, quarter) is now "part_of_year". The column is renamed, not removed and added,
# so every outcome and history row keeps its value. The unique constraint is dropped before
# the rename and created again under a name (and message) without "period".

from django.db import migrations, models

PARTS_OF_YEAR = [
    ("year", "Helår"),
    ("t1", "Tertial 1 (jan–apr)"),
    ("t2", "Tertial 2 (maj–aug)"),
    ("t3", "Tertial 3 (sep–dec)"),
    ("q1", "Kvartal 1 (jan–mar)"),
    ("q2", "Kvartal 2 (apr–jun)"),
    ("q3", "Kvartal 3 (jul–sep)"),
    ("q4", "Kvartal 4 (okt–dec)"),
]


def part_of_year_field():
    return models.CharField(
        choices=PARTS_OF_YEAR,
        default="year",
        help_text="Helår, eller ett tertial eller kvartal vid delårsuppföljning.",
        max_length=10,
        verbose_name="del av året",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_publication_workflow"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="outcome",
            name="outcome_one_per_indicator_and_period",
        ),
        migrations.RenameField(
            model_name="outcome",
            old_name="period",
            new_name="part_of_year",
        ),
        migrations.RenameField(
            model_name="historicaloutcome",
            old_name="period",
            new_name="part_of_year",
        ),
        migrations.AlterField(
            model_name="outcome",
            name="part_of_year",
            field=part_of_year_field(),
        ),
        migrations.AlterField(
            model_name="historicaloutcome",
            name="part_of_year",
            field=part_of_year_field(),
        ),
        migrations.AlterModelOptions(
            name="outcome",
            options={
                "ordering": ["indicator", "year", "part_of_year"],
                "verbose_name": "utfall",
                "verbose_name_plural": "utfall",
            },
        ),
        migrations.AddConstraint(
            model_name="outcome",
            constraint=models.UniqueConstraint(
                fields=("indicator", "year", "part_of_year"),
                name="outcome_one_per_indicator_year_and_part",
                violation_error_message=(
                    "Det finns redan ett utfall för den här indikatorn, året och delen av året."
                ),
            ),
        ),
    ]
