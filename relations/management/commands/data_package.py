"""Write the bulk downloads of /data/: a zip of the published records with its datapackage.json, into a folder, or
every zip of /data/ into the site's storage (after a large import, or from cron, so no reader waits for a worker)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relations import downloads
from relations import models as records


class Command(BaseCommand):
    help = (
        "Write the zip of every published record (or of one relationship's) with its datapackage.json into a "
        "folder, named with today's date as /data/ names it; or, with --store, build every download of /data/ now."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Folder (or .zip file) to write the zip into.")
        parser.add_argument("--relationship", help="The slug of a published relationship: its records only.")
        parser.add_argument("--store", action="store_true", help="Build every download of /data/ into the storage.")
        parser.add_argument(
            "--site-address", default="", help="The site's address (https://…), named in the data package as its home."
        )

    def handle(self, output, relationship, store, site_address, **options):
        started = time.monotonic()
        site_address = site_address.rstrip("/")
        if store:
            build = downloads.build(downloads.current_generation(), site_address)
            self.stderr.write(
                f"Built {len(build.downloads)} zip files ({build.whole.rows:,} rows in the whole data set) "
                f"in {time.monotonic() - started:.1f} s."
            )
            return
        if not output:
            raise CommandError("Give a folder with --output, or --store to build the downloads of /data/.")
        if relationship:
            pair = records.Relationship.objects.published().filter(slug=relationship).first()
            if pair is None:
                raise CommandError(f"No published relationship has the slug “{relationship}”.")
            scope = downloads.of_pair(pair)
        else:
            scope = downloads.everything()
        path = Path(output)
        if path.suffix != ".zip":
            path.mkdir(parents=True, exist_ok=True)
        site = records.SiteSettings.current()
        created = timezone.now()
        with downloads.one_moment(), (path / "partial.zip" if path.is_dir() else path).open("wb") as file:
            filename, tables = downloads.write_zip(scope, created, site_address, site.licence, site.publisher, file)
        if path.is_dir():
            path = (path / "partial.zip").replace(path / filename)
        rows = sum(table.rows for table in tables)
        self.stderr.write(f"Wrote {path}: {rows:,} rows in {time.monotonic() - started:.1f} s.")
