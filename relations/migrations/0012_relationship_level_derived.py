"""A relationship's current level is derived from its level records (0011): the fields that stored it go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0011_relationship_levels"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalrelationship",
            name="level",
        ),
        migrations.RemoveField(
            model_name="historicalrelationship",
            name="level_since",
        ),
        migrations.RemoveField(
            model_name="relationship",
            name="level",
        ),
        migrations.RemoveField(
            model_name="relationship",
            name="level_since",
        ),
    ]
