"""What translators have left to do: every catalogue brought up to date with the strings marked in the code
(Django's `makemessages`, when GNU gettext is installed), then each entry not yet translated, or fuzzy, listed
by language. Exits with an error while any is left, so `make test` fails on a catalogue that is not complete.

The catalogues are `locale/` (ours, written by makemessages) and `locale_libraries/` (the messages the
libraries' own catalogues lack in our languages); `make messages` compiles them.
"""

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ... import languages

# What makemessages leaves out: the tests and benchmarks (no reader sees their strings), and what is not ours.
NOT_OURS = ["tests", "benchmarks", "node_modules", "static", "staticfiles", "backups", "locale", "locale_libraries"]


def catalogues():
    """(language, path) of every catalogue of the site's languages other than English."""
    for folder in settings.LOCALE_PATHS:
        for language in languages.OTHERS:
            for path in sorted((Path(folder) / language / "LC_MESSAGES").glob("*.po")):
                yield language, path


def unfinished(path):
    """The entries of a catalogue a reader would see in English: not translated (a plural form left blank
    counts), or fuzzy (makemessages' guess, never shown)."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    left = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            left.append(message)
    return left


class Command(BaseCommand):
    help = "Update the catalogues from the code (makemessages) and list what is left to translate."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-only", action="store_true", help="Read the catalogues as they are, without makemessages."
        )

    def handle(self, *args, check_only=False, **options):
        if not check_only:
            if shutil.which("xgettext") is None:
                raise CommandError("GNU gettext is not installed (apt-get install gettext): makemessages needs it.")
            call_command(
                "makemessages",
                locale=languages.OTHERS,
                ignore_patterns=NOT_OURS,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
        missing = dict.fromkeys(languages.OTHERS, 0)
        for language, path in catalogues():
            for message in unfinished(path):
                missing[language] += 1
                state = "fuzzy" if message.fuzzy else "not translated"
                self.stdout.write(f"{path.relative_to(settings.BASE_DIR)}: {state}: {message.id!r}")
        left = sum(missing.values())
        if left:
            counts = ", ".join(f"{language}: {count}" for language, count in missing.items())
            raise CommandError(f"{left} messages are left to translate ({counts}).")
        self.stdout.write("Every message is translated in " + ", ".join(languages.OTHERS) + ".")
