"""Revisions per scope: the existing row (id 1) becomes the global token, which every kept page
is filed under; area and national tokens are added as edits renew them (promises/revision.py)."""

from django.db import migrations, models


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
    ]
