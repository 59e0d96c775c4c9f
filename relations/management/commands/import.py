"""Import records from CSV, XLSX or JSON: the whole file, or nothing if any row is bad."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import ngettext

from relations.formats import FORMATS_BY_NAME, UnreadableFile, read_dataset
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

FILE_NAME = re.compile(r"^(?:\d+-)?(?P<record_type>[a-z-]+)\.(?P<format>csv|xlsx|json)$")


class DryRunDone(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import one file of a record type, or 'all' files of a folder written by `export all`, "
        "in one transaction: any bad row refuses everything. Record types: " + ", ".join(RESOURCES)
    )

    def add_arguments(self, parser):
        parser.add_argument("record_type", help="A record type such as 'missions', or 'all'.")
        parser.add_argument("path", help="The file to import (a folder for 'all').")
        parser.add_argument("--format", choices=sorted(FORMATS_BY_NAME), help="Default: from the file extension.")
        parser.add_argument(
            "--encoding",
            help="Text encoding of a CSV or JSON file (default: UTF-8 with or without BOM, else Windows-1254).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but change nothing.")

    def handle(self, record_type, path, format, encoding, dry_run, **options):
        jobs = self.plan(record_type, Path(path), format)
        try:
            with transaction.atomic():
                failed = False
                # A folder holding relationship levels of their own: the relationships file's level columns,
                # which show the current one, are left to that file.
                levels_apart = record_type == "all" and any(name == "relationship-levels" for name, *_ in jobs)
                for name, file_path, file_format in jobs:
                    options = {"levels_in_their_own_file": True} if levels_apart and name == "relationships" else {}
                    failed |= not self.import_one(name, file_path, file_format, encoding, **options)
                if failed:
                    raise CommandError("Nothing was imported: correct the rows above and import the file again.")
                if dry_run:
                    raise DryRunDone
        except DryRunDone:
            self.stdout.write("Dry run: the file is valid; nothing was changed.")

    def plan(self, record_type, path, file_format):
        if record_type == "all":
            if not path.is_dir():
                raise CommandError(f"{path} is not a folder.")
            found = {}
            for file_path in sorted(path.iterdir()):
                match = FILE_NAME.match(file_path.name)
                if match and match["record_type"] in RESOURCES:
                    found[match["record_type"]] = (file_path, match["format"])
            if not found:
                raise CommandError(f"No file in {path} is named after a record type, such as 02-sources.csv.")
            return [(name, *found[name]) for name in RESOURCES if name in found]
        if record_type not in RESOURCES:
            raise CommandError(f"Unknown record type “{record_type}”. Choose one of: all, {', '.join(RESOURCES)}.")
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        file_format = file_format or path.suffix.lstrip(".").lower()
        if file_format not in FORMATS_BY_NAME:
            raise CommandError(f"Cannot tell the format of {path.name}: give --format csv, xlsx or json.")
        return [(record_type, path, file_format)]

    def import_one(self, record_type, path, file_format, encoding, **options):
        data = path.read_bytes()
        if encoding and file_format != "xlsx":
            try:
                data = data.decode(encoding)
            except (LookupError, UnicodeDecodeError) as error:
                raise CommandError(f"{path.name}: cannot be read as {encoding}: {error}.") from None
        try:
            dataset = read_dataset(data, file_format)
        except UnreadableFile as error:
            raise CommandError(f"{path.name}: {error}") from None
        result = import_file(RESOURCES[record_type], dataset, **options)
        problems = describe_errors(result)
        if problems:
            self.stderr.write(
                f"{path.name}: refused, "
                + ngettext("%(count)d problem:", "%(count)d problems:", len(problems)) % {"count": len(problems)}
            )
            for line in problems:
                self.stderr.write(f"  {line}")
            return False
        totals = ", ".join(f"{count} {kind}" for kind, count in result.totals.items() if count)
        self.stdout.write(f"{path.name}: {record_type}: {totals or 'no rows'}.")
        return True
