"""The records of the Bilateral Relations CMS, one module per area.

Reference records (countries, places, people, topics, sources) are referred to
by natural key, so fixtures and CSV files carry codes and slugs, never ids.
Records that state a fact cite a Source and may quote the sentence it came from.
"""

from .base import (
    RECORD_PERMISSIONS,
    FormerName,
    Precision,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    Searchable,
    SluggedModel,
    Sourced,
)
from .jobs import Job
from .levels import LevelStep, RelationshipLevel
from .milestones import Milestone
from .missions import Mission
from .organizations import Membership, Organization, OrganizationName
from .pages import LICENCES, Licence, MissedPageCacheChange, SiteSettings
from .reference import Country, Person, Place, PlaceName, Relationship, Source, Topic
from .statistics import Indicator, LatestFigure, Statistic, format_amount
from .visits import AgendaItem, Council, CouncilMeeting, Engagement, Outcome, Result, Visit, VisitOutcome

__all__ = [
    "RECORD_PERMISSIONS",
    "AgendaItem",
    "Council",
    "CouncilMeeting",
    "Country",
    "Engagement",
    "FormerName",
    "Indicator",
    "Job",
    "LatestFigure",
    "LICENCES",
    "LevelStep",
    "Licence",
    "Membership",
    "Milestone",
    "MissedPageCacheChange",
    "Mission",
    "Organization",
    "OrganizationName",
    "Outcome",
    "Person",
    "Place",
    "PlaceName",
    "Precision",
    "Publishable",
    "PublicationStatus",
    "PublishableQuerySet",
    "Relationship",
    "RelationshipLevel",
    "Result",
    "Searchable",
    "SiteSettings",
    "SluggedModel",
    "Source",
    "Sourced",
    "Statistic",
    "Topic",
    "Visit",
    "VisitOutcome",
    "format_amount",
]
