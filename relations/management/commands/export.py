"""Export records to CSV, XLSX or JSON with the same resources as the admin."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relations.formats import FORMATS_BY_NAME, export_bytes, keeps_native_types
from relations.registry import RESOURCES


class Command(BaseCommand):
    help = (
        "Export one record type (or 'all', one file per type into a folder) with natural keys. "
        "Record types: " + ", ".join(RESOURCES)
    )

    def add_arguments(self, parser):
        parser.add_argument("record_type", help="A record type such as 'missions', or 'all'.")
        parser.add_argument("--format", default="csv", choices=sorted(FORMATS_BY_NAME))
        parser.add_argument("-o", "--output", help="File to write (folder for 'all'); standard output when left out.")

    def handle(self, record_type, format, output, **options):
        if record_type == "all":
            if not output:
                raise CommandError("Give a folder with --output to export every record type.")
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            for position, name in enumerate(RESOURCES, 1):
                path = folder / f"{position:02d}-{name}.{format}"
                path.write_bytes(export_bytes(exported(name, format), format))
                self.stderr.write(f"Wrote {path}")
            return
        if record_type not in RESOURCES:
            raise CommandError(f"Unknown record type “{record_type}”. Choose one of: all, {', '.join(RESOURCES)}.")
        data = export_bytes(exported(record_type, format), format)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output}")
        else:
            sys.stdout.buffer.write(data)


def exported(record_type, format_name):
    """The record type's rows; a workbook keeps numbers and dates as such, as the admin's export does."""
    return RESOURCES[record_type]().export(force_native_type=keeps_native_types(FORMATS_BY_NAME[format_name]))
