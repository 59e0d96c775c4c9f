"""The facts an article states, as the files `export all` writes, for `import all` to preview and save as drafts."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relations.extraction.review import Review, source_row
from relations.registry import BY_NAME


class Command(BaseCommand):
    help = (
        "Find the facts of a news article (a text file) and write them as the import files `export all` writes, "
        "drafts citing the article, into --out; without --out, say what was found. Facts already on the site "
        "are left out; what an import would refuse is said, row by row, for the editor to correct in the files."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article's text, UTF-8.")
        parser.add_argument("--title", required=True)
        parser.add_argument("--publisher", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--published", required=True, help="Its publication date, YYYY-MM-DD.")
        parser.add_argument("--source", default="", help="The slug of its source (default: from title and date).")
        parser.add_argument("--out", help="A folder to write the files into; `import all FOLDER` reads it.")

    def handle(self, file, title, publisher, url, published, source, out, **options):
        try:
            published_on = datetime.date.fromisoformat(published)
        except ValueError:
            raise CommandError(f"--published “{published}” is not a date such as 2025-07-29.") from None
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} cannot be read as UTF-8 text: {error}") from None
        review = Review.of_article(
            text,
            title=title,
            published_on=published_on,
            source=source_row(title, publisher, url, published_on, slug=source),
        )
        for name, rows in review.rows.items():
            kept = [row for row in rows if row.keep]
            label = BY_NAME[name].model._meta.verbose_name_plural
            left_out = len(rows) - len(kept)
            already = f" ({left_out} left out: already on the site)" if left_out else ""
            self.stdout.write(f"{label}: {len(kept)}{already}")
            for row in kept:
                quoted = row.quotation[:80] or ", ".join(value for value in row.values.values() if value)[:80]
                for flag in row.flags:
                    self.stdout.write(f"  check “{quoted}”: {flag}")
                for message in row.messages:
                    self.stdout.write(f"  refused as it is, “{quoted}”: {message}")
        for note in review.notes:
            self.stdout.write(f"  not made a row: {note}")
        if out:
            for path in review.write_folder(out):
                self.stderr.write(f"Wrote {path}")
            self.stdout.write(
                f"Preview: manage.py import all {out} --dry-run; save as drafts: manage.py import all {out}"
            )
