"""Checks `manage.py check --deploy` (and so `make serve`) runs: what a site on several hosts must share."""

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, default_storage


@checks.register(checks.Tags.caches, deploy=True)
def several_hosts_share_their_state(app_configs, **kwargs):
    """With more than one host (DJANGO_SEVERAL_HOSTS), the page cache, the jobs' progress and the files waiting for
    a worker must be where every host finds them; a folder of one machine is not."""
    if not settings.SEVERAL_HOSTS:
        return []
    problems = []
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        problems.append(
            checks.Error(
                "Several hosts share no page cache or job progress through a folder of one machine.",
                hint="Set REDIS_URL to a Redis every host reaches.",
                id="relations.E001",
            )
        )
    if isinstance(default_storage, FileSystemStorage):
        problems.append(
            checks.Warning(
                "Uploads and exports are kept in a folder of one machine (DJANGO_MEDIA_ROOT).",
                hint="Make it a folder every host mounts, or set STORAGES['default'] to a shared store "
                "(django-storages with an S3-compatible bucket).",
                id="relations.W001",
            )
        )
    return problems
