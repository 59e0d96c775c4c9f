"""Only an observed figure is the preferred one of its period: a target or a change is stored with its
"preferred value" cleared (Statistic.clean and save clear it from now on), and its form says the box applies
to figures. Targets and changes stored ticked (the field's default) are cleared here, each with a version
saying why, so that their history shows the change where it was made and not in an editor's next edit."""

from django.db import migrations, models
from django.utils import timezone

REASON = "Preferred value cleared: only an observed figure is preferred"
HELP_TEXT = (
    "Observed figures only: when sources disagree on a period, the figure shown first; the others are "
    "shown beside it. A target or a change is never preferred (the box is cleared on saving)."
)


def clear_preference_of_targets_and_changes(apps, schema_editor):
    Statistic = apps.get_model("relations", "Statistic")
    HistoricalStatistic = apps.get_model("relations", "HistoricalStatistic")
    ticked = Statistic.objects.exclude(kind="figure").filter(is_preferred=True).order_by("pk")
    now = timezone.now()
    columns = [field.attname for field in Statistic._meta.concrete_fields]
    versions = []
    for statistic in ticked.iterator(chunk_size=1000):
        statistic.is_preferred = False
        versions.append(
            HistoricalStatistic(
                **{column: getattr(statistic, column) for column in columns},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
        )
    ticked.update(is_preferred=False)
    HistoricalStatistic.objects.bulk_create(versions, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0015_outcomes_with_their_own_source"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalstatistic",
            name="is_preferred",
            field=models.BooleanField(default=True, help_text=HELP_TEXT, verbose_name="preferred value"),
        ),
        migrations.AlterField(
            model_name="statistic",
            name="is_preferred",
            field=models.BooleanField(default=True, help_text=HELP_TEXT, verbose_name="preferred value"),
        ),
        # Nothing to undo going back: the flag of a target or a change was never read.
        migrations.RunPython(clear_preference_of_targets_and_changes, migrations.RunPython.noop),
    ]
