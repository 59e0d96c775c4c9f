"""An import's upload, kept between its preview and its confirmation, and removed once abandoned."""

import datetime

from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.tmp_storages import MediaStorage

# An upload waits in MEDIA_ROOT between its preview and its confirmation; one older than this
# was abandoned (the page closed, another file chosen) and is removed.
PREVIEW_LIFETIME = datetime.timedelta(days=1)

ALREADY_IMPORTED = _("This file has already been imported, or its preview has expired: upload it again.")
UPLOAD_NOT_STORED = _(
    "The file could not be stored for its preview: the server's upload folder cannot be written to. "
    "Nothing was imported; please tell the site's administrator."
)


class UploadNotStored(Exception):
    """The upload folder (MEDIA_ROOT) is full or cannot be written to."""


def remove_abandoned_previews():
    """Remove the uploads of previews older than PREVIEW_LIFETIME from the library's MediaStorage folder.

    Called whenever an import page is shown or posted: that is when uploads arrive, so the folder
    holds at most a day of them, with no scheduled job for the site to run.
    """
    storage = storages["import_export"] if "import_export" in storages.backends else storages["default"]
    folder = MediaStorage().MEDIA_FOLDER
    if not storage.exists(folder):
        return
    cutoff = timezone.now() - PREVIEW_LIFETIME
    for name in storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
        except FileNotFoundError:
            continue  # confirmed, or removed by another request, since the folder was listed
