"""A backup keeps every record, version and account to the microsecond; a restore gives them back exactly."""

import datetime
import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from relations import models as records
from relations.history import one_history_entry
from relations.management.commands.backup import backed_up_models

EDITED_AT = datetime.datetime(2025, 7, 29, 10, 11, 12, 345678, tzinfo=datetime.UTC)
JOINED_AT = datetime.datetime(2024, 2, 3, 4, 5, 6, 123456, tzinfo=datetime.UTC)
SIGNED_IN_AT = datetime.datetime(2025, 8, 1, 9, 0, 0, 999999, tzinfo=datetime.UTC)


def everything():
    """Every backed-up table, serialized with the python serializer: its datetimes stay datetimes, whole."""
    models, history = backed_up_models()
    return {
        model._meta.label: serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=model._meta.label == "auth.Group",  # a restore matches groups by name
        )
        for model in models + history
    }


def times(user_model):
    """Every version's time (the tables of versions' many-to-many values have none), and every account's."""
    _, history = backed_up_models()
    versions = {
        model._meta.label: list(model.objects.order_by("pk").values_list("pk", "history_date"))
        for model in history
        if hasattr(model, "history_date")
    }
    accounts = user_model.objects.order_by("pk").values_list("username", "date_joined", "last_login")
    return versions, list(accounts)


# Restoring needs an empty database, made here with `flush`: outside a test transaction (PostgreSQL
# refuses to truncate inside one).
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_keeps_the_microseconds_of_history_and_accounts(world, tmp_path, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "a-long-test-password")
    editor.date_joined, editor.last_login = JOINED_AT, SIGNED_IN_AT
    editor.save()
    visit = world["visit"]
    visit.summary = "Talks on energy."
    visit._history_date, visit._history_user = EDITED_AT, editor
    visit.save()
    with one_history_entry(visit):
        visit.topics.set([world["energy"]])
    assert records.Visit.history.filter(history_date=EDITED_AT, history_user=editor).count() == 1
    before, times_before = everything(), times(django_user_model)

    backup = tmp_path / "backup.json"
    call_command("backup", "--output", str(backup), stdout=io.StringIO())
    call_command("flush", "--no-input")
    assert not records.Visit.history.model.objects.exists()
    call_command("restore", str(backup), stdout=io.StringIO())

    assert times(django_user_model) == times_before
    assert records.Visit.history.get(history_user__username="editor").history_date == EDITED_AT
    restored = django_user_model.objects.get(username="editor")
    assert (restored.date_joined, restored.last_login) == (JOINED_AT, SIGNED_IN_AT)
    assert everything() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_history_restores_with_a_first_version_of_every_record(world, tmp_path):
    from relations.history import models_with_history

    backup = tmp_path / "backup.json"
    call_command("backup", "--output", str(backup), stdout=io.StringIO())
    # A backup written elsewhere, without the history part.
    objects = json.loads(backup.read_text(encoding="utf-8"))
    backup.write_text(json.dumps([o for o in objects if ".historical" not in o["model"]]), encoding="utf-8")
    call_command("flush", "--no-input", verbosity=0)
    output = io.StringIO()
    call_command("restore", str(backup), stdout=output)
    assert "were given a first one" in output.getvalue()
    for model in models_with_history():
        assert model.history.count() == model._default_manager.count() > 0, model.__name__
    visit = records.Visit.objects.get()
    assert {row.topic_id for row in visit.history.get().topics.all()} == set(visit.topics.values_list("pk", flat=True))
