"""What the site keeps about its own public pages, beside the records."""

from django.db import models


class MissedPageCacheChange(models.Model):
    """A change to the records that could not start a new generation of the page cache (Redis unreachable).

    Kept in the database, which every process and host shares, so that the change is announced once the
    cache answers again, whichever process notices first, even after the one that made it (an import, a
    shell session, a cron job) has exited.
    """

    noticed_at = models.DateTimeField("noticed at", auto_now_add=True)

    class Meta:
        verbose_name = "missed page cache change"
        default_permissions = ()

    def __str__(self):
        return f"Change not announced to the page cache, {self.noticed_at:%Y-%m-%d %H:%M:%S}"
