"""One search over all public records, accent- and case-insensitive in the same way on every database.

Each searchable record keeps its names folded to plain lower-case letters
(`search_text`, see relations.text.fold); the query is folded the same way, so
"turksoy" finds TÜRKSOY, "erdogan" finds Erdoğan and "Nur-Sultan" finds Astana.
"""

from django.db.models.signals import post_delete, post_save

from . import models as records
from .text import fold

MAX_QUERY_LENGTH = 200
RESULTS_PER_GROUP = 20

# Record types in the order their results are shown, with what the public may see of each.
GROUPS = [
    ("Countries", records.Country.objects.all()),
    ("Visits", records.Visit.objects.published().select_related("guest", "host", "country", "place")),
    ("Council meetings", records.CouncilMeeting.objects.published().select_related("council", "place")),
    ("Councils", records.Council.objects.published()),
    ("Missions", records.Mission.objects.published().select_related("sender", "host", "place")),
    ("Statistics", records.Indicator.objects.all()),
    ("Organizations", records.Organization.objects.published()),
    ("Milestones", records.Milestone.objects.published()),
    ("People", records.Person.objects.select_related("country")),
    ("Places", records.Place.objects.select_related("country")),
    ("Topics", records.Topic.objects.all()),
]


def search(query):
    """Results grouped by record type: [(label, records, total)], only groups with results."""
    words = fold(query).split()
    if not words:
        return []
    groups = []
    for label, queryset in GROUPS:
        matches = queryset.all()
        for word in words:
            matches = matches.filter(search_text__contains=word)
        found = list(matches[: RESULTS_PER_GROUP + 1])
        if found:
            groups.append((label, found[:RESULTS_PER_GROUP], len(found) > RESULTS_PER_GROUP))
    return groups


def reindex(instance):
    type(instance)._default_manager.filter(pk=instance.pk).update(search_text=instance.folded_search_text())


def reindex_many(queryset):
    for instance in queryset:
        reindex(instance)


def index_loaded_record(sender, instance, raw=False, **kwargs):
    # loaddata saves without calling save(): index what it loaded.
    if raw and isinstance(instance, records.Searchable):
        reindex(instance)


def reindex_owner_of_name(sender, instance, **kwargs):
    owner = instance.place if isinstance(instance, records.PlaceName) else instance.organization
    reindex(owner)
    if isinstance(owner, records.Place):
        reindex_many(owner.missions.all())


def reindex_dependents(sender, instance, raw=False, **kwargs):
    """Names shown in other records' search text: a renamed person or place is found under the new name."""
    if raw:
        return
    if isinstance(instance, records.Person):
        reindex_many(records.Visit.objects.filter(guest=instance) | records.Visit.objects.filter(host=instance))
    elif isinstance(instance, records.Place):
        reindex_many(instance.visits.all())
        reindex_many(instance.missions.all())
        reindex_many(instance.council_meetings.all())


def connect():
    post_save.connect(index_loaded_record, dispatch_uid="relations-index-loaded")
    for model in (records.PlaceName, records.OrganizationName):
        post_save.connect(reindex_owner_of_name, sender=model, dispatch_uid=f"relations-reindex-{model.__name__}")
        post_delete.connect(reindex_owner_of_name, sender=model, dispatch_uid=f"relations-unindex-{model.__name__}")
    for model in (records.Person, records.Place):
        post_save.connect(reindex_dependents, sender=model, dispatch_uid=f"relations-dependents-{model.__name__}")


# What each record's search text reads from other tables, loaded with it.
INDEX_RELATED = {
    records.Place: (["country"], ["former_names"]),
    records.Visit: (["guest", "host", "country", "place"], []),
    records.CouncilMeeting: (["council", "place"], []),
    records.Mission: (["sender", "host", "place"], ["place__former_names"]),
    records.Organization: ([], ["former_names"]),
}


def rebuild(batch_size=2000):
    """Recompute every record's search text (after bulk writes, which bypass save()), in batches."""
    count = 0
    for _, queryset in GROUPS:
        model = queryset.model
        related, prefetched = INDEX_RELATED.get(model, ([], []))
        instances = model._default_manager.select_related(*related).prefetch_related(*prefetched).order_by("pk")
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
