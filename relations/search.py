"""One search over all public records, accent- and case-insensitive in the same way on every database.

Each searchable record keeps its names folded to plain lower-case letters
(`search_text`, see relations.text.fold); the query is folded the same way, so
"turksoy" finds TÜRKSOY, "erdogan" finds Erdoğan and "Nur-Sultan" finds Astana.
"""

from django.db.models import Q

from . import models as records
from .registry import SEARCHED
from .text import fold

MAX_QUERY_LENGTH = 200
RESULTS_PER_GROUP = 20


def searched_records(record_type):
    """What the public may find of a record type, with what its results name."""
    return record_type.public().select_related(*record_type.named_with)


def search(query):
    """Results grouped by record type: [(label, records, total)], only groups with results."""
    words = fold(query).split()
    if not words:
        return []
    groups = []
    for record_type in SEARCHED:
        matches = searched_records(record_type)
        for word in words:
            matches = matches.filter(search_text__contains=word)
        found = list(matches[: RESULTS_PER_GROUP + 1])
        if found:
            groups.append((record_type.search_group, found[:RESULTS_PER_GROUP], len(found) > RESULTS_PER_GROUP))
    return groups


def reindex(instance):
    type(instance)._default_manager.filter(pk=instance.pk).update(search_text=instance.folded_search_text())


def reindex_many(queryset):
    for instance in queryset:
        reindex(instance)


def index_loaded_record(sender, instance, raw=False, **kwargs):
    # loaddata saves without calling save(): index what it loaded.
    if raw:
        reindex(instance)


def reindex_owner_of_name(sender, instance, **kwargs):
    owner = instance.place if isinstance(instance, records.PlaceName) else instance.organization
    reindex(owner)
    if isinstance(owner, records.Place):
        reindex_many(owner.missions.all())


def reindex_relationship_of_level(sender, instance, **kwargs):
    """A relationship is found by its published levels ("strategic partnership"): saving or deleting one,
    or loading it from a fixture, changes the relationship's search text."""
    reindex(instance.relationship)


def reindex_dependents(sender, instance, raw=False, **kwargs):
    """Names shown in other records' search text: a renamed person or place is found under the new name."""
    if raw:
        return
    if isinstance(instance, records.Country):
        reindex_many(records.Relationship.objects.filter(Q(country_a=instance) | Q(country_b=instance)))
    elif isinstance(instance, records.Person):
        reindex_many(records.Visit.objects.filter(guest=instance) | records.Visit.objects.filter(host=instance))
    elif isinstance(instance, records.Place):
        reindex_many(instance.visits.all())
        reindex_many(instance.missions.all())
        reindex_many(instance.council_meetings.all())


def rebuild(batch_size=2000):
    """Recompute every record's search text (after bulk writes, which bypass save()), in batches."""
    count = 0
    for record_type in SEARCHED:
        model = record_type.model
        instances = (
            model._default_manager.select_related(*record_type.indexed_with)
            .prefetch_related(*record_type.indexed_with_many)
            .order_by("pk")
        )
        batch = []
        for instance in instances.iterator(chunk_size=batch_size):
            instance.search_text = instance.folded_search_text()
            batch.append(instance)
            if len(batch) == batch_size:
                model._default_manager.bulk_update(batch, ["search_text"])
                count += len(batch)
                batch = []
        model._default_manager.bulk_update(batch, ["search_text"])
        count += len(batch)
    return count
