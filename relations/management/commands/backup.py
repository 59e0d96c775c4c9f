"""Write the whole site's data as one JSON file (`make backup`); `manage.py restore` loads it."""

import datetime
import itertools
import json

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from simple_history.models import HistoricalChanges

from relations.history import models_with_history

# Records read (and the records they name prefetched) this many at a time. Below 1,000: Django 5.2 writes a
# foreign key's prefetch as one OR per id on SQLite, which refuses an expression deeper than 1,000 (ticket #36116).
CHUNK = 500
# Groups exist before a restore (the Editors group comes with the database's migrations): matched by name.
MATCHED_BY_NAME = {"auth.Group"}


class FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to milliseconds, as JavaScript's dates)."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backed_up_models():
    """The records, with editors' groups and accounts, in dependency order; then their history."""
    history = [model for model in apps.get_app_config("relations").get_models() if issubclass(model, HistoricalChanges)]
    # The records alone: what the site keeps about its own pages (MissedPageCacheChange) is not data.
    records = models_with_history()
    records += [apps.get_model("auth", "Group"), apps.get_model("auth", "User")]
    return serializers.sort_dependencies([(None, records)], allow_cycles=True), history


class Command(BaseCommand):
    help = "Write every record, its history, and the editors' groups and accounts as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The JSON file to write.")

    def handle(self, output, **options):
        records, history = backed_up_models()
        written = 0
        with open(output, "w", encoding="utf-8") as file:
            file.write("[")
            # Records name one another by natural key and keep their ids, which their history refers to.
            # History keeps plain ids: it may name records deleted since, which have no natural key left.
            for models, natural in ((records, True), (history, False)):
                for model in models:
                    for obj in serialized(model, natural, by_name=model._meta.label in MATCHED_BY_NAME):
                        file.write(",\n" if written else "\n")
                        json.dump(obj, file, cls=FullPrecisionEncoder, ensure_ascii=False)
                        written += 1
            file.write("\n]\n")
        self.stdout.write(f"{output}: {written} objects.")


def serialized(model, natural, by_name):
    rows = model._default_manager.order_by("pk")
    if natural:
        rows = rows.prefetch_related(*natural_key_lookups(model))
    rows = rows.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield from serializers.serialize(
            "python", chunk, use_natural_foreign_keys=natural, use_natural_primary_keys=by_name
        )


def natural_key_lookups(model):
    """What serializing a record with natural keys reads of others: the records it names that have a natural
    key, and what their keys are made of (their `natural_key.dependencies`). Prefetched for a chunk at once,
    they take a few queries a chunk, not a few for each record."""
    lookups = []
    for field in named_records(model):
        lookups.append(field.name)
        inside = {label.lower() for label in getattr(field.related_model.natural_key, "dependencies", [])}
        lookups += [
            f"{field.name}__{inner.name}"
            for inner in named_records(field.related_model)
            if inner.related_model._meta.label_lower in inside
        ]
    return lookups


def named_records(model):
    return [
        field
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if field.is_relation and hasattr(field.related_model, "natural_key")
    ]
