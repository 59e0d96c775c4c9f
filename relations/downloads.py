"""Bulk downloads (`/data/`): the published records as zip files of the CSV files `export all` writes, each with
a `datapackage.json` (Frictionless Data's tabular data package) describing every column and the licence.

One zip holds the whole data set; one per published relationship holds its records and the reference records
they name. A zip holds what readers see: published records only (a record of a draft parent is a draft too); a
source only in a download when a record in it cites it; a link to a draft (a meeting held during a draft visit) left
blank; and no editors' notes. Its files import into an empty site with `manage.py import all FOLDER`.

A build makes every zip of one generation of the page cache (relations.cache), the data as it was at one moment,
and keeps them in Django's default storage under `downloads/<generation>/`, its manifest written last. `/data/`
serves the latest build; when the data changed since, the previous build is served while a worker makes the next
(build_downloads), or the request makes it when the data set is small (BUILD_IN_REQUEST_WORK).
"""

import csv
import hashlib
import inspect
import io
import json
import logging
import tempfile
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache as once

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst, slugify
from django_tasks import task

from . import cache as page_caching
from . import models as records
from .formats import export_bytes
from .registry import BY_NAME, OF_MODEL, RECORD_TYPES
from .resources.columns import natural_key_field
from .resources.widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    MeetingCouncilWidget,
    MeetingWidget,
    NaturalKeyManyWidget,
    NaturalKeyWidget,
    PlainDecimalWidget,
    YesNoWidget,
)

logger = logging.getLogger(__name__)

# Where builds are kept in the default storage: downloads/<generation>/<zip files> and its MANIFEST, written last.
DOWNLOADS = "downloads"
MANIFEST = "manifest.json"
# Builds kept: the latest, and the one before it, which a reader may still be downloading.
BUILDS_KEPT = 2
# A data set of at most this much work is built in the request that finds its build out of date, a larger one by a
# worker. Work is counted in rows: each published row, and ZIP_WORK for each zip (finding a pair's records takes as
# long as writing a thousand rows). Measured on 2 cores with SQLite: at seed_scale size, 28 s for the whole data set's
# 170,000 rows and 50 s with its 100 pairs; the article's 124 rows and one pair, 0.3 s, are built in the request.
BUILD_IN_REQUEST_WORK = 10_000
ZIP_WORK = 1_000
# One build at a time: queued or running while this key is in the cache; a worker that died (or a queued build lost
# with its request's transaction) frees it after this long, five times the build at seed_scale size.
BUILDING_KEY = "relations:downloads-building"
BUILD_TIMEOUT = 10 * 60
# Records read a page at a time. Below 1,000: Django 5.2 prefetches a page's foreign keys on SQLite as one OR'd
# condition per record named, and SQLite refuses more than 1,000 (`export all` fails so at seed_scale size).
PAGE = 500
# Ids listed in a query at most; a longer list is matched while reading the table in order.
IDS_IN_A_QUERY = 500

# Columns for editors only, left out of the public files (the import reads files without them).
EDITORS_ONLY = {(records.Statistic, "note")}
# Links a download does not follow to the record they name: a person's source backs an editor's entry, not a fact
# readers see (reference.citing_models), so it is in a download only when a published fact cites it; otherwise
# the cell is left blank, as is any link to a record the download leaves out (a draft).
NOT_FOLLOWED = {(records.Person, "source")}
# Record types that only name the record they belong to: a download holds those of the records it holds.
NAMES_OF = {"place-names": "place", "organization-names": "organization"}

# What the columns that are no field of the model say (a relationships file's level, derived from its levels).
DERIVED_COLUMNS = {
    "stated_level": "The relationship's current level, derived from its published levels (the relationship levels "
    "file has each of them with its source). Left blank when none is recorded.",
    "stated_level_since": "The year the relationship reached its current level, when known.",
}

PACKAGE_DESCRIPTION = (
    "Each CSV file is what `manage.py export all` writes for one record type, published records only, in the order "
    "`manage.py import all FOLDER` reads them back into a site. Rows name other records by natural key (a country's "
    "ISO code, a slug); a cell naming several holds their keys separated by commas. Dates are written in full "
    "(YYYY-MM-DD) with a precision column beside them: a date known to its year is written as its 1 January. Text "
    "a spreadsheet would run as a formula (starting with =, +, - or @), negative numbers included, is written with a "
    "leading apostrophe. Drafts, records of drafts and editors' notes are left out. Every fact cites its source "
    "(the sources file); the sources keep their own terms."
)


def file_name(record_type):
    """'09-visits.csv', as `export all` names the file."""
    return f"{RECORD_TYPES.index(record_type) + 1:02d}-{record_type.name}.csv"


def chunks(items, size):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


# What a download holds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one zip is about: its key in /data/ ('all', or a relationship's slug), its file name before the date,
    its name on /data/, the title of its package, and its own records by record type (the records they name are
    found by Selection)."""

    key: str
    name: str
    label: str
    title: str
    records: dict


def everything():
    """Every published record: the records of each type as readers see them; sources as the records cite them."""
    own = {record_type.name: record_type.public() for record_type in RECORD_TYPES}
    own.pop("sources")
    for name in NAMES_OF:
        own.pop(name)
    title = f"{settings.SITE_NAME}: every published record"
    return Scope("all", slugify(settings.SITE_NAME), "The whole data set", title, own)


def of_pair(relationship):
    """A published relationship's records, as its page lists them: its levels, figures and milestones; the visits
    and contacts between its countries with their programmes and outcomes; the councils both sit on with their
    meetings; the missions of each in the other; the organizations both belong to, with the two countries'
    memberships."""
    visits = records.Visit.objects.published().of_relationship(relationship)
    councils = records.Council.objects.published().of_relationship(relationship)
    meetings = records.CouncilMeeting.objects.published().filter(council__in=councils)
    organizations = records.Organization.objects.published().of_relationship(relationship)
    countries = (relationship.country_a_id, relationship.country_b_id)
    own = {
        "relationships": records.Relationship.objects.filter(pk=relationship.pk),
        "relationship-levels": records.RelationshipLevel.objects.published().filter(relationship=relationship),
        "visits": visits,
        "councils": councils,
        "council-meetings": meetings,
        "agenda-items": records.AgendaItem.objects.filter(meeting__in=meetings),
        "outcomes": records.Outcome.objects.filter(meeting__in=meetings),
        "visit-outcomes": records.VisitOutcome.objects.filter(visit__in=visits),
        "visit-programmes": records.Engagement.objects.filter(visit__in=visits),
        "missions": records.Mission.objects.published().of_relationship(relationship),
        "statistics": records.Statistic.objects.published().filter(relationship=relationship),
        "organizations": organizations,
        "memberships": records.Membership.objects.published().filter(
            organization__in=organizations, country__in=countries
        ),
        "milestones": records.Milestone.objects.published().filter(relationship=relationship),
    }
    label = f"{relationship.country_a.name} and {relationship.country_b.name}"
    return Scope(relationship.slug, relationship.slug, label, f"{label}: published records", own)


@once
def resource_of(record_type):
    """The type's resource, made once (a resource copies its columns as it is made: 2 ms each)."""
    return record_type.resource()


@once
def public_columns(record_type):
    """The columns of the type's file, those for editors only left out (EDITORS_ONLY)."""
    model = record_type.model
    return [
        column
        for column in resource_of(record_type).get_export_fields()
        if (model, column.attribute) not in EDITORS_ONLY
    ]


@once
def links(record_type):
    """The columns naming other records: [(column, model field, record type named)]."""
    return list(named_columns(record_type))


def named_columns(record_type):
    for column in resource_of(record_type).get_export_fields():
        if column.readonly or not isinstance(column.widget, NaturalKeyWidget | NaturalKeyManyWidget):
            continue
        model_field = record_type.model._meta.get_field(column.attribute)
        yield column, model_field, OF_MODEL[model_field.related_model]


class Selection:
    """The records of one download, by record type: the scope's own, and the records they name, link by link until
    none is missing (a figure's source, the source it was reported in, a visit's guest and the guest's country); a
    link to a record readers do not see is not followed. `ids` holds the ids of every record selected."""

    def __init__(self, scope):
        none = {record_type.name: record_type.model._default_manager.none() for record_type in RECORD_TYPES}
        self.own = {**none, **scope.records}
        self.ids = {name: set(rows.order_by().values_list("pk", flat=True)) for name, rows in self.own.items()}
        # A few records are read again by their ids, not by the conditions that found them (a pair's visits, on
        # PostgreSQL 20 ms a query each time their parts are asked for).
        for name, ids in self.ids.items():
            if len(ids) <= IDS_IN_A_QUERY:
                self.own[name] = BY_NAME[name].model._default_manager.filter(pk__in=sorted(ids))
        self.added = defaultdict(set)
        self.follow_links()
        self.add_names()

    def follow_links(self):
        # Each pass reads the links of the records the pass before found; the first, of the scope's own.
        found = dict.fromkeys(self.own)
        while found:
            named = defaultdict(set)
            for name, ids in found.items():
                record_type = BY_NAME[name]
                for _column, model_field, target in links(record_type):
                    if (record_type.model, model_field.name) in NOT_FOLLOWED:
                        continue
                    keys = self.named_by(record_type, model_field.name, ids) - self.ids[target.name]
                    if keys and hasattr(target.model._default_manager, "published"):
                        keys = self.public_among(target, keys)
                    named[target.name] |= keys
            for name, keys in named.items():
                self.ids[name] |= keys
                self.added[name] |= keys
            found = {name: keys for name, keys in named.items() if keys}

    def named_by(self, record_type, link, ids):
        """The ids a link of the records (`ids`, or the scope's own when None) names."""
        if not self.ids[record_type.name]:
            return set()
        if ids is None:
            keys = set(self.own[record_type.name].order_by().values_list(link, flat=True).distinct())
        else:
            keys = set()
            for part in chunks(sorted(ids), IDS_IN_A_QUERY):
                keys |= set(record_type.model._default_manager.filter(pk__in=part).values_list(link, flat=True))
        keys.discard(None)
        return keys

    def public_among(self, record_type, ids):
        public = set()
        for part in chunks(sorted(ids), IDS_IN_A_QUERY):
            public |= set(record_type.public().filter(pk__in=part).values_list("pk", flat=True))
        return public

    def add_names(self):
        for name, link in NAMES_OF.items():
            record_type = BY_NAME[name]
            parent = OF_MODEL[record_type.model._meta.get_field(link).related_model]
            for part in chunks(sorted(self.ids[parent.name]), IDS_IN_A_QUERY):
                found = record_type.model._default_manager.filter(**{f"{link}__in": part}).values_list("pk", flat=True)
                self.added[name] |= set(found)
            self.ids[name] = set(self.added[name])

    def ordered_ids(self, record_type, resource):
        """The ids of the type's records, in the order `export all` writes them (the resource's natural keys)."""
        name, model = record_type.name, record_type.model
        own, added = self.own[name], self.added[name]
        if len(added) > IDS_IN_A_QUERY:
            ids = self.ids[name]
            every = resource.filter_export(model._default_manager.all()).prefetch_related(None)
            return [pk for pk in every.values_list("pk", flat=True).iterator(chunk_size=5000) if pk in ids]
        rows = own
        if added:
            rows = model._default_manager.filter(Q(pk__in=own.values("pk")) | Q(pk__in=sorted(added)))
        return list(resource.filter_export(rows).prefetch_related(None).values_list("pk", flat=True))

    def table(self, record_type, lines):
        """The type's file as `export all` writes it, of the selected records, without EDITORS_ONLY columns, a link
        to a record the download leaves out blank: (CSV bytes, rows). Each record's line is rendered once a build
        (Lines), the zips after the first taking it from there."""
        name = record_type.name
        ordered = self.ordered_ids(record_type, resource_of(record_type)) if self.ids[name] else []
        lines.render(record_type, [pk for pk in ordered if pk not in lines.of[name]])
        optional = [self.ids[target.name] for _position, _attname, target in optional_links(record_type)]
        text = []
        for pk in ordered:
            line, keys = lines.of[name][pk]
            blank = [
                position
                for (position, key), ids in zip(keys, optional, strict=True)
                if key is not None and key not in ids
            ]
            text.append(lines.blanked(line, blank) if blank else line)
        headers = [column.column_name for column in public_columns(record_type)]
        return export_bytes(tablib.Dataset(headers=headers), "csv") + "".join(text).encode(), len(ordered)


@once
def optional_links(record_type):
    """The columns that may name no record, and so may be left blank (a meeting's visit, a person's source):
    [(position, attname of the id, record type named)]. A link that must name one names a record the download
    holds: Selection follows it, and a record of a draft parent is a draft too."""
    columns = public_columns(record_type)
    return [
        (columns.index(column), model_field.attname, target)
        for column, model_field, target in links(record_type)
        if model_field.null and column in columns
    ]


class Lines:
    """Each record's line of its CSV file, rendered once for every zip of a build (a pair's records are among the
    whole data set's), with the ids its optional links name: {record type name: {id: (line, ((position, id), …))}}."""

    def __init__(self):
        self.of = defaultdict(dict)
        self.buffer = io.StringIO()
        # As tablib writes a dataset's rows (formats.CSV): the csv module's Excel dialect.
        self.writer = csv.writer(self.buffer)

    def line(self, cells):
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()

    def blanked(self, line, positions):
        cells = next(csv.reader([line]))
        for position in positions:
            cells[position] = ""
        return self.line(cells)

    def render(self, record_type, ids):
        resource, model = resource_of(record_type), record_type.model
        columns, optional = public_columns(record_type), optional_links(record_type)
        for page in chunks(ids, PAGE):
            # The library's cell for each column (export_field), without its per-row overhead (export_resource reads
            # the columns again for each row): the figures of seed_scale are written in half the time.
            for record in resource.filter_export(model._default_manager.filter(pk__in=page)):
                cells = [resource.export_field(column, record) for column in columns]
                keys = tuple((position, getattr(record, attname)) for position, attname, _target in optional)
                self.of[record_type.name][record.pk] = (self.line(cells), keys)


# datapackage.json ----------------------------------------------------------------------------------------------


def key_columns(record_type):
    """The columns of a record type's natural key (its import key), a meeting as its council and number."""
    resource = resource_of(record_type)
    keys = []
    for column in resource.id_fields:
        if isinstance(column.widget, MeetingWidget):
            keys.append(resource.fields["council"].column_name)
        keys.append(column.column_name)
    return keys


def has_primary_key(record_type):
    """Whether every column of the natural key is always filled (a figure's period may not be)."""
    model = record_type.model
    return all(not model._meta.get_field(column.attribute).null for column in resource_of(record_type).id_fields)


def column_type(column):
    """The Table Schema type and options of a column, as its widget writes it."""
    widget = column.widget
    if isinstance(widget, MeetingCouncilWidget | NaturalKeyManyWidget):
        return {"type": "string"}
    if isinstance(widget, MeetingWidget):
        return {"type": "integer"}
    if isinstance(widget, YesNoWidget):
        return {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}
    if isinstance(widget, PlainDecimalWidget):
        # A negative number is written formula-safe ('-5.4): not a bare number, its apostrophe is not part of it.
        return {"type": "number", "bareNumber": False}
    if isinstance(widget, IntegerWidget):
        if "year" in column.attribute or "year" in column.column_name.lower():
            return {"type": "year"}
        return {"type": "integer", "bareNumber": False}
    if isinstance(widget, DateWidget):
        return {"type": "date"}
    return {"type": "string"}


def column_description(record_type, column, resource):
    """What a column means, in the words of its model field (help text, or verbose name), and how it is written."""
    model = record_type.model
    if column.attribute in DERIVED_COLUMNS:
        return DERIVED_COLUMNS[column.attribute]
    model_field = model._meta.get_field(column.attribute)
    widget = column.widget
    if isinstance(widget, MeetingCouncilWidget):
        return f"The council of the meeting, by its slug ({file_name(BY_NAME['councils'])})."
    text = str(model_field.help_text) or f"The {model_field.verbose_name} of the {model._meta.verbose_name}."
    parts = [text if text.endswith(".") else f"{text}."]
    if isinstance(widget, MeetingWidget):
        parts.append(
            f"The meeting's number, of the council in the column “Council” ({file_name(BY_NAME['council-meetings'])})."
        )
    elif isinstance(widget, NaturalKeyWidget | NaturalKeyManyWidget):
        target = OF_MODEL[model_field.related_model]
        key = resource_of(target).fields[natural_key_field(target.model)].column_name
        if isinstance(widget, NaturalKeyManyWidget):
            parts.append(f"Names records of {file_name(target)} by their {key}, separated by commas.")
        else:
            parts.append(f"Names a record of {file_name(target)} by its {key}.")
    elif isinstance(widget, ChoiceWidget):
        choices = [f"{value} ({label})" for value, label in model_field.choices if value]
        parts.append("One of: " + ", ".join(choices) + ".")
        if any(value == "" for value, _label in model_field.choices):
            parts.append("Blank when the source does not say.")
    elif isinstance(widget, DateWidget):
        precision = resource.fields.get(f"{column.attribute}_precision")
        if precision is not None:
            parts.append(f"Written in full (YYYY-MM-DD); “{precision.column_name}” says how much of it is known.")
    elif isinstance(widget, PlainDecimalWidget):
        parts.append("Written with a decimal point and no thousands separator.")
    return " ".join(parts)


@once
def table_schema(record_type):
    """The Table Schema of a type's file: each column's name, type and description, its keys."""
    resource, columns = resource_of(record_type), public_columns(record_type)
    fields = [
        {
            "name": column.column_name,
            **column_type(column),
            "description": column_description(record_type, column, resource),
        }
        for column in columns
    ]
    for described, column in zip(fields, columns, strict=True):
        if isinstance(column.widget, ChoiceWidget):
            model_field = record_type.model._meta.get_field(column.attribute)
            described["constraints"] = {"enum": [str(value) for value, _label in model_field.choices if value]}
    schema = {"fields": fields, "missingValues": [""]}
    if has_primary_key(record_type):
        schema["primaryKey"] = key_columns(record_type)
    foreign_keys = []
    for column, model_field, target in links(record_type):
        if model_field.many_to_many:
            continue
        if isinstance(column.widget, MeetingWidget):
            names = [resource.fields["council"].column_name, column.column_name]
        else:
            names = [column.column_name]
        reference = {"resource": "" if target is record_type else target.name, "fields": key_columns(target)}
        foreign_keys.append({"fields": names, "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def first_paragraph(model):
    return " ".join((inspect.getdoc(model) or "").split("\n\n")[0].split())


def descriptor(scope, tables, created, site_address, licence, publisher):
    """The Data Package of a zip: what it is, when it was made, under which licence, and each file's columns."""
    homepage = f"{site_address}{reverse('relations:data')}" if site_address else None
    package = {
        "profile": "tabular-data-package",
        "name": scope.name,
        "title": scope.title,
        "description": PACKAGE_DESCRIPTION,
        "version": timezone.localdate(created).isoformat(),
        "created": created.isoformat().replace("+00:00", "Z"),
        "licenses": [{"name": licence.spdx, "path": licence.url, "title": licence.title}],
        "sources": [{"title": settings.SITE_NAME, **({"path": homepage} if homepage else {})}],
        "contributors": [{"title": publisher, "role": "publisher"}],
        "keywords": ["bilateral relations", "diplomacy", "international relations"],
    }
    if homepage:
        package["homepage"] = homepage
    package["resources"] = [
        {
            "profile": "tabular-data-resource",
            "name": table.record_type.name,
            "title": table_title(table.record_type),
            "description": first_paragraph(table.record_type.model),
            "path": table.path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(table.data),
            "hash": f"sha256:{hashlib.sha256(table.data).hexdigest()}",
            "schema": table_schema(table.record_type),
        }
        for table in tables
    ]
    return package


# Building and keeping --------------------------------------------------------------------------------------------


@dataclass
class Written:
    """One file of a zip as it is being written."""

    record_type: object
    path: str
    data: bytes
    rows: int


@dataclass
class Table:
    """One CSV file of a zip, as /data/ lists it."""

    path: str
    title: str
    rows: int


@dataclass
class Download:
    """One zip of a build: its key in /data/ ('all' or a relationship's slug), name on /data/, the file name a reader
    saves it under (dated), where the storage keeps it, its size, and its files with their rows."""

    key: str
    label: str
    filename: str
    stored_as: str
    bytes: int
    tables: list = field(default_factory=list)

    @property
    def rows(self):
        return sum(table.rows for table in self.tables)


@dataclass
class Build:
    """The zips of one generation of the data, made at `created`: the whole data set first, then each pair's."""

    generation: int
    created: object
    licence: str
    downloads: list

    @property
    def whole(self):
        return self.downloads[0]

    @property
    def pairs(self):
        return self.downloads[1:]

    @property
    def rows(self):
        return self.whole.rows

    def download(self, key):
        return next((download for download in self.downloads if download.key == key), None)

    def to_json(self):
        return json.dumps({**asdict(self), "created": self.created.isoformat()}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        downloads = [
            Download(**{**download, "tables": [Table(**table) for table in download["tables"]]})
            for download in data["downloads"]
        ]
        return cls(data["generation"], parse_datetime(data["created"]), data["licence"], downloads)


def write_zip(scope, created, site_address, licence, publisher, file, lines=None):
    """Write the zip of a scope into `file`: its dated file name and its CSV files (Table). `lines`: those rendered
    for the build's other zips."""
    selection, lines = Selection(scope), lines or Lines()
    tables = []
    for record_type in RECORD_TYPES:
        data, rows = selection.table(record_type, lines)
        tables.append(Written(record_type, file_name(record_type), data, rows))
    package = descriptor(scope, tables, created, site_address, licence, publisher)
    moment = timezone.localtime(created).timetuple()[:6]
    members = [("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2).encode())]
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members + [(table.path, table.data) for table in tables]:
            # Each file dated as the package is (`created`), not 1980 as zipfile would date it.
            member = zipfile.ZipInfo(name, date_time=moment)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, data)
    filename = f"{scope.name}-{timezone.localdate(created).isoformat()}.zip"
    return filename, [Table(table.path, table_title(table.record_type), table.rows) for table in tables]


def table_title(record_type):
    return capfirst(str(record_type.model._meta.verbose_name_plural))


def store(scope, created, site_address, site, folder, lines):
    """Write a scope's zip into the storage's `folder`: its Download."""
    with tempfile.TemporaryFile() as file:
        filename, tables = write_zip(scope, created, site_address, site.licence, site.publisher, file, lines)
        size = file.tell()
        file.seek(0)
        stored_as = default_storage.save(f"{folder}/{filename}", File(file, name=filename))
    return Download(scope.key, scope.label, filename, stored_as, size, tables)


@contextmanager
def one_moment():
    """The data as it is at one moment, whatever is saved while it is read: one transaction, on PostgreSQL a
    repeatable read, read only (SQLite's read transaction keeps one snapshot already).

    Django sets a connection's isolation level once, for every transaction (DATABASES' OPTIONS): this one
    transaction asks for its own through the driver's documented attributes (psycopg's `isolation_level` and
    `read_only`, which Django's backend uses itself), set while no transaction is open and put back after."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    from psycopg import IsolationLevel

    connection.ensure_connection()
    driver = connection.connection
    before = driver.isolation_level, driver.read_only
    driver.isolation_level, driver.read_only = IsolationLevel.REPEATABLE_READ, True
    try:
        with transaction.atomic():
            yield
    finally:
        driver.isolation_level, driver.read_only = before


def build(generation, site_address=""):
    """Make every zip of the data as it is now, keep them under the generation they are of, and remove the builds
    before the previous one: the Build. In English whatever the language of the request that makes it: the files'
    columns and descriptions and the manifest's names are the data set's own, not a page's (/data/ names the
    tables and pairs in its reader's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return build_in_english(generation, site_address)


def build_in_english(generation, site_address):
    created = timezone.now()
    site = records.SiteSettings.current()
    folder = f"{DOWNLOADS}/{generation}"
    with one_moment():
        pairs = records.Relationship.objects.published().select_related("country_a", "country_b")
        scopes = [everything(), *(of_pair(relationship) for relationship in pairs)]
        lines = Lines()
        downloads = [store(scope, created, site_address, site, folder, lines) for scope in scopes]
    made = Build(generation, created, site.licence.spdx, downloads)
    default_storage.save(f"{folder}/{MANIFEST}", ContentFile(made.to_json().encode()))
    remove_old_builds()
    logger.info("Built the downloads of generation %s: %s zip files.", generation, len(downloads))
    return made


def build_folders():
    """The folders of builds in the storage, newest generation first."""
    try:
        folders, _files = default_storage.listdir(DOWNLOADS)
    except FileNotFoundError:
        return []
    return sorted((folder for folder in folders if folder.isdigit()), key=int, reverse=True)


def read_build(folder):
    try:
        with default_storage.open(f"{DOWNLOADS}/{folder}/{MANIFEST}") as manifest:
            return Build.from_json(manifest.read().decode())
    except FileNotFoundError:
        return None


def latest_build():
    """The latest complete build (its manifest written), or None."""
    for folder in build_folders():
        if (found := read_build(folder)) is not None:
            return found
    return None


def remove_old_builds():
    """Remove the builds older than the BUILDS_KEPT latest complete ones (and the incomplete ones among them)."""
    folders = build_folders()
    complete = [folder for folder in folders if default_storage.exists(f"{DOWNLOADS}/{folder}/{MANIFEST}")]
    if len(complete) < BUILDS_KEPT:
        return
    oldest_kept = int(complete[BUILDS_KEPT - 1])
    for folder in folders:
        if int(folder) < oldest_kept:
            path = f"{DOWNLOADS}/{folder}"
            for name in default_storage.listdir(path)[1]:
                default_storage.delete(f"{path}/{name}")
            default_storage.delete(path)


def current_generation():
    """The page cache's generation, which moves on with every committed change; 0 when the cache cannot be reached."""
    return page_caching.page_cache.generation() or 0


def work(latest):
    """The work of a build (BUILD_IN_REQUEST_WORK), as the latest build measured it, or counted."""
    if latest is not None:
        return latest.rows + ZIP_WORK * len(latest.downloads)
    rows = sum(record_type.public().count() for record_type in RECORD_TYPES)
    return rows + ZIP_WORK * (1 + records.Relationship.objects.published().count())


def ready(site_address=""):
    """(the build to serve, whether it is of the data as it is now). An out-of-date build is made again at once when
    the data set is small, otherwise by a worker, the previous build served meanwhile; (None, False) when there is
    none yet."""
    generation = current_generation()
    latest = latest_build()
    if latest is not None and latest.generation == generation:
        return latest, True
    small = work(latest) <= BUILD_IN_REQUEST_WORK
    if small and page_caching.page_cache.call(cache.add, BUILDING_KEY, generation, BUILD_TIMEOUT):
        try:
            return build(generation, site_address), True
        finally:
            page_caching.page_cache.call(cache.delete, BUILDING_KEY)
    if not small:
        queue_build(site_address)
    return latest, False


def queue_build(site_address=""):
    """Queue a build unless one is queued or running (one at a time: it builds the data as it is when it starts).
    A queue that cannot be written to (SQLite locked by a long import for longer than its busy timeout) leaves it to
    the next reader: this one is served the previous build."""
    if not page_caching.page_cache.call(cache.add, BUILDING_KEY, "queued", BUILD_TIMEOUT):
        return
    try:
        with transaction.atomic():
            build_downloads.enqueue(site_address)
    except DatabaseError as error:
        logger.warning("The downloads' build could not be queued (%s): the previous build is served.", error)
        page_caching.page_cache.call(cache.delete, BUILDING_KEY)


@task()
def build_downloads(site_address=""):
    """Build the downloads of the data as it is now, unless the latest build is of it already."""
    # The time a build may take counts from its start, not from its queueing.
    page_caching.page_cache.call(cache.set, BUILDING_KEY, "running", BUILD_TIMEOUT)
    try:
        generation = current_generation()
        latest = latest_build()
        if latest is None or latest.generation != generation:
            build(generation, site_address)
    finally:
        page_caching.page_cache.call(cache.delete, BUILDING_KEY)
