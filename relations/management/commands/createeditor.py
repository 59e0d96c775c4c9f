"""Create an editor: a staff account in the Editors group, able to edit, import and export the records."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

EDITORS = "Editors"


def editors_group():
    """The Editors group, made again as migration 0002 makes it if it was removed (a flushed database):
    every right on the records, import and export included; their history is read through those rights."""
    group, created = Group.objects.get_or_create(name=EDITORS)
    if created:
        rights = Permission.objects.filter(content_type__app_label="relations")
        group.permissions.set(rights.exclude(content_type__model__startswith="historical"))
    return group


class Command(BaseCommand):
    help = "Create a staff account in the Editors group and print its password (or set one with --password)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Default: a random password, printed once.")

    def handle(self, username, email, password, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named “{username}” already exists.")
        group = editors_group()
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_user(username, email, password, is_staff=True)
        user.groups.add(group)
        self.stdout.write(f"Created the editor “{username}” with the password {password}")
