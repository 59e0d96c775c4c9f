"""Restore a backup written by `make backup` into a database that holds no records yet."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relations.history import give_first_versions

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
        with transaction.atomic():
            call_command("loaddata", backup_file, verbosity=0)
            # A backup with history gives back the database as it was; one without (written elsewhere,
            # or by hand) still leaves every record a version to return to.
            with_history = any(model._default_manager.exists() for model in history)
            given = 0 if with_history else give_first_versions("Restored from a backup without its history")
        self.stdout.write(self.style.SUCCESS(f"Restored {backup_file}."))
        if given:
            self.stdout.write(f"{given} records had no version in the backup and were given a first one.")
