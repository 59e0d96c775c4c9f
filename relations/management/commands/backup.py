"""Write the whole site's data as one JSON file (`make backup`); `manage.py restore` loads it."""

import itertools
import json

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from simple_history.models import HistoricalChanges

CHUNK = 2000
# Groups exist before a restore (the Editors group comes with the database's migrations): matched by name.
MATCHED_BY_NAME = {"auth.Group"}


def backed_up_models():
    """The records, with editors' groups and accounts, in dependency order; then their history."""
    relations = list(apps.get_app_config("relations").get_models())
    history = [model for model in relations if issubclass(model, HistoricalChanges)]
    records = [model for model in relations if model not in history]
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
                        json.dump(obj, file, cls=DjangoJSONEncoder, ensure_ascii=False)
                        written += 1
            file.write("\n]\n")
        self.stdout.write(f"{output}: {written} objects.")


def serialized(model, natural, by_name):
    rows = model._default_manager.order_by("pk").iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield from serializers.serialize(
            "python", chunk, use_natural_foreign_keys=natural, use_natural_primary_keys=by_name
        )
