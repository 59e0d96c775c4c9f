"""Prepare a fresh site: load the article's fixtures into an empty database and make a first admin account."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from relations.history import give_first_versions
from relations.models import Country

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# How the hints below run a command: with the project's own Python, as `make run` does (from the project folder).
MANAGE = ".venv/bin/python manage.py"


def fixture_files():
    """The fixtures, in the order their natural keys depend on each other (by file name)."""
    return sorted(str(path) for path in FIXTURES_DIR.glob("*.json"))


class Command(BaseCommand):
    help = "Load the fixtures into an empty database and make sure an admin account exists. Safe to run again."

    def handle(self, *args, **options):
        if Country.objects.exists():
            self.stdout.write("The database already holds records: fixtures not loaded again.")
        else:
            with transaction.atomic():
                call_command("loaddata", *fixture_files(), verbosity=0)
                give_first_versions("Loaded from the fixtures")
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(fixture_files())} fixture files."))

        port = os.environ.get("PORT", "8000")
        admin_url = f"http://127.0.0.1:{port}/admin/"
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"Sign in at {admin_url} with your superuser account "
                f"(forgotten password: {MANAGE} changepassword USERNAME)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "", password)
        self.stdout.write(
            self.style.SUCCESS(f"Created the superuser 'admin' with the password {password}\n")
            + f"Sign in at {admin_url}; change the password with: {MANAGE} changepassword admin"
        )
