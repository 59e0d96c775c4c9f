"""A milestone is placed on the timeline by its date or, when it has none, by its year for sorting, never by
both (Milestone.clean and a rule in the database). A dated milestone stored with a year for sorting too, as
files imported before the rule could store it, has the year cleared here: the date already placed it and gave
its slug its year, so nothing a reader sees changes. Each such milestone gets a version saying why, with its
topics, so that its history shows the change where it was made and not in an editor's next edit."""

from django.db import migrations, models
from django.utils import timezone

REASON = "Year for sorting cleared: a milestone with a date stands on the timeline at that date"


def clear_sort_year_of_dated_milestones(apps, schema_editor):
    Milestone = apps.get_model("relations", "Milestone")
    HistoricalMilestone = apps.get_model("relations", "HistoricalMilestone")
    HistoricalTopics = apps.get_model("relations", "HistoricalMilestone_topics")
    Links = Milestone.topics.through
    both = Milestone.objects.filter(date__isnull=False, sort_year__isnull=False).order_by("pk")
    now = timezone.now()
    columns = [field.attname for field in Milestone._meta.concrete_fields]
    for milestone in both.iterator(chunk_size=1000):
        milestone.sort_year = None
        version = HistoricalMilestone.objects.create(
            **{column: getattr(milestone, column) for column in columns},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )
        # The version's topics, as simple-history records them: a copy of each link, under the link's id.
        HistoricalTopics.objects.bulk_create(
            HistoricalTopics(id=link.pk, history=version, milestone_id=milestone.pk, topic_id=link.topic_id)
            for link in Links.objects.filter(milestone_id=milestone.pk).order_by("pk")
        )
    both.update(sort_year=None)


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0017_missed_page_cache_changes"),
    ]

    operations = [
        # Nothing to undo going back: the year of a dated milestone was never read.
        migrations.RunPython(clear_sort_year_of_dated_milestones, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("date__isnull", True), ("sort_year__isnull", True), _connector="OR"),
                name="milestone_dated_or_placed_not_both",
                violation_error_message="A milestone with a date stands on the timeline at that date: "
                "leave the year for sorting blank.",
            ),
        ),
    ]
