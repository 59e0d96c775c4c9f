"""The editors' side, one module per area as in `relations.models`: importing them registers their admins."""

# Django's autodiscover imports this package; the areas register their record types as they load.
from . import jobs, levels, milestones, missions, organizations, reference, site, statistics, visits  # noqa: F401
