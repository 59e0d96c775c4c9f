"""Restore a backup written by `make backup` into a database that holds no records yet."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from relations.models import Country


class Command(BaseCommand):
    help = "Load a backup (JSON with natural keys, from `make backup`) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("backup_file")

    def handle(self, backup_file, **options):
        if not Path(backup_file).is_file():
            raise CommandError(f"No backup file at {backup_file}.")
        if Country.objects.exists():
            raise CommandError(
                "This database already holds records: restore only into an empty database "
                "(a new DATABASE_URL, or delete db.sqlite3 for the default SQLite file)."
            )
        call_command("loaddata", backup_file, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {backup_file}."))
