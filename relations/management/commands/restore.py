"""Restore a backup written by `make backup` into a database that holds no records yet."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from .backup import backed_up_models


class Command(BaseCommand):
    help = "Load a backup (JSON from `make backup`) into a database that holds no records or history yet."

    def add_arguments(self, parser):
        parser.add_argument("backup_file")

    def handle(self, backup_file, **options):
        if not Path(backup_file).is_file():
            raise CommandError(f"No backup file at {backup_file}.")
        records, history = backed_up_models()
        if any(model._default_manager.exists() for model in records + history if model._meta.app_label == "relations"):
            raise CommandError(
                "This database already holds records or their history: restore only into an empty database "
                "(a new DATABASE_URL, or delete db.sqlite3 for the default SQLite file)."
            )
        call_command("loaddata", backup_file, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {backup_file}."))
