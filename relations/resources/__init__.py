"""Import and export of every record type, with natural keys instead of database ids: one module
per area, as in `relations.models`. The registry of record types is `relations.registry`."""

from .base import ImportRefused, MessageOnlyError, RecordResource, describe_errors, import_file
from .levels import RelationshipLevelResource
from .milestones import MilestoneResource
from .missions import MissionResource
from .organizations import MembershipResource, OrganizationNameResource, OrganizationResource
from .reference import (
    CountryResource,
    PersonResource,
    PlaceNameResource,
    PlaceResource,
    RelationshipResource,
    SourceResource,
    TopicResource,
)
from .statistics import IndicatorResource, StatisticResource
from .visits import (
    AgendaItemResource,
    CouncilMeetingResource,
    CouncilResource,
    EngagementResource,
    OutcomeResource,
    VisitOutcomeResource,
    VisitResource,
)

__all__ = [
    "AgendaItemResource",
    "CouncilMeetingResource",
    "CouncilResource",
    "CountryResource",
    "EngagementResource",
    "ImportRefused",
    "IndicatorResource",
    "MembershipResource",
    "MessageOnlyError",
    "MilestoneResource",
    "MissionResource",
    "OrganizationNameResource",
    "OrganizationResource",
    "OutcomeResource",
    "PersonResource",
    "PlaceNameResource",
    "PlaceResource",
    "RecordResource",
    "RelationshipLevelResource",
    "RelationshipResource",
    "SourceResource",
    "StatisticResource",
    "TopicResource",
    "VisitOutcomeResource",
    "VisitResource",
    "describe_errors",
    "import_file",
]
