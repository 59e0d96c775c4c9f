"""What the site keeps about its own public pages, beside the records."""

from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MissedPageCacheChange(models.Model):
    """A change to the records that could not start a new generation of the page cache (Redis unreachable).

    Kept in the database, which every process and host shares, so that the change is announced once the
    cache answers again, whichever process notices first, even after the one that made it (an import, a
    shell session, a cron job) has exited.
    """

    noticed_at = models.DateTimeField(_("noticed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missed page cache change")
        default_permissions = ()

    def __str__(self):
        return gettext("Change not announced to the page cache, %(time)s") % {
            "time": f"{self.noticed_at:%Y-%m-%d %H:%M:%S}"
        }


@dataclass(frozen=True)
class Licence:
    """A licence the site's data may be given under, named as SPDX and the Data Package standard name it."""

    spdx: str
    short: str
    title: str
    url: str


LICENCES = [
    Licence(
        "CC-BY-4.0",
        "CC BY 4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence(
        "CC-BY-SA-4.0",
        "CC BY-SA 4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    Licence(
        "CC0-1.0",
        "CC0 1.0",
        "Creative Commons Zero 1.0 Universal (public domain dedication)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    Licence(
        "ODbL-1.0",
        "ODbL 1.0",
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    Licence(
        "PDDL-1.0",
        "PDDL 1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
]
LICENCES_BY_SPDX = {licence.spdx: licence for licence in LICENCES}


class SiteSettings(models.Model):
    """What editors set for the whole site: one row, made the first time an editor saves it; until then the
    defaults hold. Saving it starts a new generation of the page cache (signals.py), as a record's change does,
    so every page states it at once.
    """

    ONE = 1

    data_licence = models.CharField(
        _("licence of the data"),
        max_length=20,
        choices=[(licence.spdx, f"{licence.short} — {licence.title}") for licence in LICENCES],
        default="CC-BY-4.0",
        help_text=_(
            "Stated in every page's footer, in the API's answers and in the data downloads. Readers may reuse "
            "the records under it; the sources quoted keep their own terms."
        ),
    )
    data_publisher = models.CharField(
        _("publisher of the data"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who readers should credit when they reuse the data (an institute, a newsroom); the site's name "
            "when left blank."
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        default_permissions = ("change", "view")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_one_row")]

    def __str__(self):
        return str(_("Site settings"))

    @classmethod
    def current(cls):
        """The row editors saved, or the defaults when none has been: reading a page writes nothing."""
        return cls.objects.filter(pk=cls.ONE).first() or cls(pk=cls.ONE)

    @property
    def licence(self):
        return LICENCES_BY_SPDX[self.data_licence]

    @property
    def publisher(self):
        return self.data_publisher or django_settings.SITE_NAME
