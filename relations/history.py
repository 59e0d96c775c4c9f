"""What makes a version of a record: the one place that decides it.

django-simple-history keeps a version of a record each time it is saved or deleted
(`HistoricalRecords` on every model). On top of that, this module makes sure that:

- one save is one version, its many-to-many values (topics, co-chairs, members) included,
  on the change form, on restoring an earlier version and for each imported row
  (`one_history_entry`);
- a deletion's version keeps the record's many-to-many values (`keep_links_of_deleted_record`,
  `deletion_version_keeps_the_links`);
- deleting a topic (a co-chair, a member country) gives each record linked to it a version
  without it, its reason naming what was deleted (`version_records_losing_a_link`);
- a bulk action on a list (publish, withdraw) gives each record one version, the action as its
  reason (`update_with_history`); a deletion run by a worker names who asked for it and why (`acting_as`);
- a revert in the admin gives the record a version whose reason names the version it went back to and
  who reverted it (`revert_reason`);
- loading fixtures or a backup adds no version of its own: a backup brings its history
  (`loaded_records_keep_their_history`); then every record still without a version gets a first one
  (`give_first_versions`), so there is always a version to return to.

Every many-to-many field of a record with history is part of its versions
(`HistoricalRecords(m2m_fields=[...])` on each model).
"""

import contextlib
import contextvars

from django.apps import apps
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from simple_history.models import HistoricalChanges, to_historic
from simple_history.utils import bulk_update_with_history, get_m2m_field_name, get_m2m_reverse_field_name

from .cache import records_changed


def models_with_history():
    """The app's record types (each keeps a history), without the history models simple-history adds beside them."""
    return [
        model
        for model in apps.get_app_config("relations").get_models()
        if not issubclass(model, HistoricalChanges) and hasattr(model._meta, "simple_history_manager_attribute")
    ]


def tracked_links():
    """The many-to-many fields whose values each version keeps, such as Visit.topics."""
    return [field for model in models_with_history() for field in model._meta.many_to_many]


def links_of(instance, field):
    """The through rows linking `instance` by the many-to-many `field` (Visit.topics: its visit–topic rows)."""
    return getattr(instance, field.name).through.objects.filter(**{get_m2m_field_name(field): instance})


def link_versions(versions_model, entry, links):
    """Rows of a version's many-to-many history, one per through row, as simple-history writes them."""
    return [
        versions_model(history=entry, **{f.attname: getattr(link, f.attname) for f in link._meta.fields})
        for link in links
    ]


@contextlib.contextmanager
def one_history_entry(instance):
    """Many-to-many values are set after their record is saved: keep them in that save's version,
    instead of one more version for each value removed and added."""
    # A record being saved without history (a fixture) stays without it.
    if not instance._meta.many_to_many or hasattr(instance, "skip_history_when_saving"):
        yield
        return
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    entry = instance.history.first()
    if entry is not None:
        store_links_in_version(entry, instance)


def store_links_in_version(entry, instance):
    """Make the version `entry` hold `instance`'s many-to-many values as they are now.

    simple-history writes them itself only when a record is saved alone, or one version per change;
    it has no public way to put them in a version afterwards, nor does its bulk helper write them.
    They are written here through the version's own many-to-many history (`version.topics`), as the
    library writes them."""
    for field in instance._meta.many_to_many:
        versions = getattr(entry, field.name)
        versions.all().delete()
        versions.model.objects.bulk_create(link_versions(versions.model, entry, links_of(instance, field)))


# The links of the records a bulk deletion removes, read for all of them at once (deleting_in_bulk).
links_of_deleted = contextvars.ContextVar("links_of_deleted", default=None)


@contextlib.contextmanager
def deleting_in_bulk(queryset):
    """Delete thousands of records (a list action): what the signal receivers below would read once for each
    record, one query per link field each time (20,000 queries for 10,000 topics), is read here in one query
    per link field, before Django's deletion sends them their per-record signals."""
    model = queryset.model
    links = {}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        for link in through.objects.filter(**{f"{get_m2m_field_name(field)}__in": queryset.values("pk")}):
            links.setdefault((field.name, getattr(link, f"{get_m2m_field_name(field)}_id")), []).append(link)
    for field in tracked_links():
        if field.related_model is model:
            through = field.remote_field.through
            target = get_m2m_reverse_field_name(field)
            rows = through.objects.filter(**{f"{target}__in": queryset.values("pk")})
            for record_id, target_id in rows.values_list(f"{get_m2m_field_name(field)}_id", f"{target}_id"):
                links.setdefault((field, target_id), []).append(record_id)
    token = links_of_deleted.set((model, links))
    try:
        yield
    finally:
        links_of_deleted.reset(token)


# Who deletes records, and why, where no request says it (a task run by a worker): (user, reason).
deleted_by = contextvars.ContextVar("deleted_by", default=None)


@contextlib.contextmanager
def acting_as(user, reason):
    """Deletions made meanwhile get versions naming `user` and `reason`, as the admin's own do from its request."""
    token = deleted_by.set((user, reason))
    try:
        yield
    finally:
        deleted_by.reset(token)


def name_who_deletes(sender, instance, **kwargs):
    """pre_delete: the deletion's version names the user and reason acting_as gives (simple-history reads them
    from the record, and Django's deletion loads records of its own)."""
    acting = deleted_by.get()
    if acting is not None:
        instance._history_user, instance._change_reason = acting


def read_in_bulk(model):
    """The links deleting_in_bulk read, when a bulk deletion of `model`'s records is under way."""
    known = links_of_deleted.get()
    return known[1] if known is not None and known[0] is model else None


def keep_links_of_deleted_record(sender, instance, **kwargs):
    """pre_delete: Django removes a record's many-to-many links before the record itself, so the version
    simple-history writes for the deletion would hold none. They are read here, while they exist, and
    added to that version through the library's signal for it (deletion_version_keeps_the_links)."""
    known = read_in_bulk(sender)
    instance.links_at_deletion = {
        field.name: known.get((field.name, instance.pk), []) if known is not None else list(links_of(instance, field))
        for field in sender._meta.many_to_many
    }


def deletion_version_keeps_the_links(sender, rows, history_instance, instance, field, **kwargs):
    """pre_create_historical_m2m_records: the many-to-many rows of a deletion's version."""
    links = getattr(instance, "links_at_deletion", {}).get(field.name)
    if history_instance.history_type == "-" and links:
        rows.extend(link_versions(sender, history_instance, links))


def version_records_losing_a_link(sender, instance, **kwargs):
    """pre_delete of a topic (co-chair, member country): each record linked to it gets one version
    without it, its reason naming what is deleted."""
    reason = f"{capfirst(sender._meta.verbose_name)} “{instance}” deleted"
    known = read_in_bulk(sender)
    for field in tracked_links():
        if field.related_model is not sender:
            continue
        if known is None:
            linked = field.model._default_manager.filter(**{field.name: instance})
        else:
            # An empty list asks the database nothing.
            linked = field.model._default_manager.filter(pk__in=known.get((field, instance.pk), []))
        for record in linked:
            # The removal alone makes no version; the save after it makes one, its links read then.
            record.skip_history_when_saving = True
            getattr(record, field.name).remove(instance)
            del record.skip_history_when_saving
            record._change_reason = reason
            record.save()


def loaded_records_keep_their_history(sender, instance, raw=False, **kwargs):
    """post_save: fixtures and backups load records as they were (a backup brings its own history);
    their many-to-many values, set after the raw save, add no version either."""
    if raw:
        instance.skip_history_when_saving = True


def give_first_versions(reason, batch_size=1000):
    """A first version for every record without one (loaded from fixtures, restored from a backup without
    history, written in bulk), its many-to-many values included, through simple-history's bulk helper.
    Returns how many were made."""
    made = 0
    for model in models_with_history():
        pk = model._meta.pk.attname
        without = model._default_manager.exclude(pk__in=model.history.values(pk)).order_by(pk)
        batch = []
        for record in without.iterator(chunk_size=batch_size):
            batch.append(record)
            if len(batch) == batch_size:
                made += first_versions_of(model, batch, reason)
                batch = []
        made += first_versions_of(model, batch, reason)
    return made


def first_versions_of(model, batch, reason):
    if not batch:
        return 0
    model.history.bulk_history_create(batch, default_change_reason=reason)
    if model._meta.many_to_many:
        pk = model._meta.pk.attname
        entries = {getattr(entry, pk): entry for entry in model.history.filter(**{f"{pk}__in": [r.pk for r in batch]})}
        for field in model._meta.many_to_many:
            through = getattr(model, field.name).through
            versions_model = getattr(next(iter(entries.values())), field.name).model
            links = through.objects.filter(**{f"{get_m2m_field_name(field)}__in": batch})
            versions_model.objects.bulk_create(
                version
                for link in links
                for version in link_versions(
                    versions_model, entries[getattr(link, f"{get_m2m_field_name(field)}_id")], [link]
                )
            )
    return len(batch)


def update_with_history(queryset, user, reason, **values):
    """Set `values` on every record of `queryset` in bulk, giving each one version with `reason`."""
    records = list(queryset)
    for record in records:
        for name, value in values.items():
            setattr(record, name, value)
    bulk_update_with_history(
        records, queryset.model, list(values), default_user=user, default_change_reason=reason, batch_size=500
    )
    if queryset.model._meta.many_to_many:
        for record in records:
            store_links_in_version(record.history.first(), record)
    # Bulk writes send no signal: tell the page cache.
    records_changed()
    return len(records)


def revert_reason(instance, user):
    """The reason of the version a revert makes, for a record built from an earlier version (the admin's Revert
    page): "Reverted to the version of Dec. 4, 2026, 7:59 p.m. by ayse", the version's date and time as the admin's
    list of versions shows them; None for a record of today."""
    version = to_historic(instance)
    if version is None:
        return None
    # Stored with the version and read by editors of every language: in English, as the other reasons are.
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.localize(timezone.template_localtime(version.history_date))
    reason = f"Reverted to the version of {when} by {user.get_username()}"
    # A long user name is cut to the length the reason's column holds.
    limit = version._meta.get_field("history_change_reason").max_length
    return reason if limit is None or len(reason) <= limit else f"{reason[: limit - 1]}…"


def restored_links(instance):
    """For a record built from an earlier version (the admin's Revert page): that version's many-to-many
    values by field name, as ids; None for a record of today."""
    version = to_historic(instance)
    if version is None:
        return None
    return {
        field.name: [
            getattr(row, f"{get_m2m_reverse_field_name(field)}_id") for row in getattr(version, field.name).all()
        ]
        for field in instance._meta.many_to_many
    }
