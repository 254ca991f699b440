"""Revisions per scope: the existing row (id 1) becomes the global token, which every kept page
is filed under; area and national tokens are added as edits renew them (promises/revision.py)."""

from django.core.management.color import no_style
from django.db import migrations, models


def reset_id_sequence(apps, schema_editor):
    """Row 1 was always written with its id given, so PostgreSQL's id sequence never moved: the
    first scope created would take id 1 and fail."""
    model = apps.get_model("promises", "PublicRevision")
    connection = schema_editor.connection
    for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0009_municipalities"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicrevision",
            name="scope",
            field=models.CharField(default="global", max_length=120, verbose_name="omfattning"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="publicrevision",
            name="scope",
            field=models.CharField(max_length=120, unique=True, verbose_name="omfattning"),
        ),
        migrations.RunPython(reset_id_sequence, migrations.RunPython.noop),
    ]
