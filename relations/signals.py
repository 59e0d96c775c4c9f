"""Every signal receiver of the app, connected once from `RelationsConfig.ready`, each to the record
types it is about (never to every model of the project)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from simple_history.signals import pre_create_historical_m2m_records

from . import cache, history, search
from .models import Searchable, SiteSettings


def connect():
    for model in history.models_with_history():
        label = model._meta.label
        # Any change to a record starts a new generation of the page cache.
        post_save.connect(cache.records_changed, sender=model, dispatch_uid=f"cache-save-{label}")
        post_delete.connect(cache.records_changed, sender=model, dispatch_uid=f"cache-delete-{label}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(cache.records_changed, sender=through, dispatch_uid=f"cache-m2m-{through._meta.label}")
        if issubclass(model, Searchable):
            post_save.connect(search.index_loaded_record, sender=model, dispatch_uid=f"search-loaded-{label}")
        post_save.connect(
            history.loaded_records_keep_their_history, sender=model, dispatch_uid=f"history-loaded-{label}"
        )
        pre_delete.connect(history.name_who_deletes, sender=model, dispatch_uid=f"history-deleted-by-{label}")
        if model._meta.many_to_many:
            pre_delete.connect(
                history.keep_links_of_deleted_record, sender=model, dispatch_uid=f"history-links-{label}"
            )

    for linked in {field.related_model for field in history.tracked_links()}:
        pre_delete.connect(
            history.version_records_losing_a_link, sender=linked, dispatch_uid=f"history-unlinked-{linked._meta.label}"
        )
    pre_create_historical_m2m_records.connect(history.deletion_version_keeps_the_links, dispatch_uid="history-deletion")

    # The licence and credit every page states.
    post_save.connect(cache.site_settings_changed, sender=SiteSettings, dispatch_uid="cache-save-site-settings")

    for model in search.DEPENDENTS:
        label = model._meta.label
        post_save.connect(search.reindex_dependents, sender=model, dispatch_uid=f"search-dependents-{label}")
        post_delete.connect(search.reindex_dependents, sender=model, dispatch_uid=f"search-dependents-gone-{label}")
