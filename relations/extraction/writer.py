"""An extraction written as the files `manage.py export all` writes: `NN-name.csv`, the same names and columns
(the registry's order numbers them), only the record types with rows; `import all FOLDER` reads such a folder."""

from pathlib import Path

import tablib

from ..formats import export_bytes
from ..registry import RESOURCES
from .document import headers_of


def file_name(record_type, file_format="csv"):
    position = list(RESOURCES).index(record_type) + 1
    return f"{position:02d}-{record_type}.{file_format}"


def write_folder(extraction, folder, file_format="csv"):
    """Write each record type's rows into `folder` (made if missing); the paths written, in import order."""
    return write_rows(
        {name: [row.values for row in rows] for name, rows in extraction.rows.items()}, folder, file_format
    )


def write_rows(rows, folder, file_format="csv"):
    """Write `rows` ({record type: [{header: cell}]}) into `folder` (made if missing), a file for each record type
    with rows; the paths written, in import order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for record_type in [name for name in RESOURCES if rows.get(name)]:
        headers = headers_of(record_type)
        dataset = tablib.Dataset(headers=headers)
        for values in rows[record_type]:
            dataset.append([values.get(header, "") for header in headers])
        path = folder / file_name(record_type, file_format)
        path.write_bytes(export_bytes(dataset, file_format))
        written.append(path)
    return written
