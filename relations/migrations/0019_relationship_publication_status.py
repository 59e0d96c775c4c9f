"""Relationships get a publication status, as every record with a public page: the existing ones stay published
(the default), and the admin starts a new one as a draft."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0018_milestone_dated_or_placed_not_both"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrelationship",
            name="publication_status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="published",
                help_text="Drafts are hidden from public pages, search, the sitemap and public downloads.",
                max_length=10,
                verbose_name="publication status",
            ),
        ),
        migrations.AddField(
            model_name="relationship",
            name="publication_status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="published",
                help_text="Drafts are hidden from public pages, search, the sitemap and public downloads.",
                max_length=10,
                verbose_name="publication status",
            ),
        ),
    ]
