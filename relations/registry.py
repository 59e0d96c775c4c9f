"""Every record type of the site, written once.

The order is the order of dependency: a file of each type, imported in this order,
finds the records it names (`export all` numbers its files so; `import all` reads them so).
Imports and exports, search, the sitemap, source pages and the commands all read this list.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import models as records
from . import resources


@dataclass(frozen=True)
class RecordType:
    # The command line's name for the type, and the name of its file in `export all`.
    name: str
    model: type
    resource: type
    # Heading of its records among the facts citing a source, on a source page (None: it cites none there).
    cites_as: str | None = None
    # What the names of its records are made of, loaded with them where they are listed.
    named_with: tuple = ()
    # Heading of its group of search results (None: not searched) and the group's place on the page.
    search_group: str | None = None
    search_position: int = 0
    # Loaded with each record to build its search text.
    indexed_with: tuple = ()
    indexed_with_many: tuple = ()
    # The sitemap's section of its record pages (`/sitemap-<section>.xml`), None when not listed.
    sitemap_section: str | None = None
    # Its public list page, by URL name, and the page's label in the site's navigation (None: no list page).
    list_url: str | None = None
    list_label: str | None = None

    def public(self):
        """Its records as readers see them: published only, where the type has drafts or hangs from records
        that do (an outcome is public when its meeting is; an agenda item, a former name of an organization,
        when the record it belongs to is)."""
        manager = self.model._default_manager
        if hasattr(manager, "published"):
            return manager.published()
        records = manager.all()
        for field in self.model._meta.concrete_fields:
            parent = field.related_model
            if field.many_to_one and not field.null and hasattr(parent, "published_condition"):
                records = records.filter(parent.published_condition(f"{field.name}__"))
        return records


RECORD_TYPES = [
    RecordType(
        "countries",
        records.Country,
        resources.CountryResource,
        search_group=_("Countries"),
        search_position=1,
        sitemap_section="countries",
    ),
    RecordType("sources", records.Source, resources.SourceResource, sitemap_section="sources"),
    RecordType("topics", records.Topic, resources.TopicResource, search_group=_("Topics"), search_position=11),
    RecordType(
        "places",
        records.Place,
        resources.PlaceResource,
        named_with=("country",),
        search_group=_("Places"),
        search_position=10,
        indexed_with=("country",),
        indexed_with_many=("former_names",),
    ),
    RecordType("place-names", records.PlaceName, resources.PlaceNameResource),
    RecordType(
        "people",
        records.Person,
        resources.PersonResource,
        named_with=("country",),
        search_group=_("People"),
        search_position=9,
    ),
    RecordType(
        "relationships",
        records.Relationship,
        resources.RelationshipResource,
        cites_as=_("Relationships"),
        named_with=("country_a", "country_b"),
        search_group=_("Relationships"),
        search_position=0,
        indexed_with=("country_a", "country_b"),
        indexed_with_many=("levels",),
        sitemap_section="relationships",
    ),
    RecordType(
        "relationship-levels",
        records.RelationshipLevel,
        resources.RelationshipLevelResource,
        cites_as=_("Relationship levels"),
        named_with=("relationship__country_a", "relationship__country_b"),
    ),
    RecordType(
        "visits",
        records.Visit,
        resources.VisitResource,
        cites_as=_("Visits"),
        named_with=("guest", "host", "country", "place"),
        search_group=_("Visits"),
        search_position=2,
        indexed_with=("guest", "host", "country", "place"),
        sitemap_section="visits",
        list_url="relations:visit-list",
        list_label=_("Visits"),
    ),
    RecordType(
        "councils",
        records.Council,
        resources.CouncilResource,
        cites_as=_("Councils"),
        search_group=_("Councils"),
        search_position=4,
        sitemap_section="councils",
        list_url="relations:council-list",
        list_label=_("Councils"),
    ),
    RecordType(
        "council-meetings",
        records.CouncilMeeting,
        resources.CouncilMeetingResource,
        cites_as=_("Council meetings"),
        named_with=("council", "place"),
        search_group=_("Council meetings"),
        search_position=3,
        indexed_with=("council", "place"),
        sitemap_section="meetings",
    ),
    RecordType("agenda-items", records.AgendaItem, resources.AgendaItemResource),
    RecordType(
        "outcomes",
        records.Outcome,
        resources.OutcomeResource,
        cites_as=_("Council meeting outcomes"),
        named_with=("meeting__council",),
    ),
    # After the visits and the council meetings, which a visit's programme and outcomes may follow from.
    RecordType(
        "visit-outcomes",
        records.VisitOutcome,
        resources.VisitOutcomeResource,
        cites_as=_("Visit outcomes"),
        named_with=("visit",),
    ),
    RecordType(
        "visit-programmes",
        records.Engagement,
        resources.EngagementResource,
        cites_as=_("Parts of visits' programmes"),
        named_with=("visit",),
    ),
    RecordType(
        "missions",
        records.Mission,
        resources.MissionResource,
        cites_as=_("Diplomatic missions"),
        named_with=("sender", "host", "place"),
        search_group=_("Missions"),
        search_position=5,
        indexed_with=("sender", "host", "place"),
        indexed_with_many=("place__former_names",),
        sitemap_section="missions",
        list_url="relations:mission-list",
        list_label=_("Missions"),
    ),
    RecordType(
        "indicators",
        records.Indicator,
        resources.IndicatorResource,
        search_group=_("Statistics"),
        search_position=6,
        sitemap_section="indicators",
        list_url="relations:indicator-list",
        list_label=_("Statistics"),
    ),
    RecordType(
        "statistics",
        records.Statistic,
        resources.StatisticResource,
        cites_as=_("Statistics"),
        named_with=("indicator", "from_country", "to_country"),
    ),
    RecordType(
        "organizations",
        records.Organization,
        resources.OrganizationResource,
        cites_as=_("Organizations"),
        search_group=_("Organizations"),
        search_position=7,
        indexed_with_many=("former_names",),
        sitemap_section="organizations",
        list_url="relations:organization-list",
        list_label=_("Organizations"),
    ),
    RecordType("organization-names", records.OrganizationName, resources.OrganizationNameResource),
    RecordType(
        "memberships",
        records.Membership,
        resources.MembershipResource,
        cites_as=_("Memberships"),
        named_with=("country", "organization"),
    ),
    RecordType(
        "milestones",
        records.Milestone,
        resources.MilestoneResource,
        cites_as=_("Milestones"),
        search_group=_("Milestones"),
        search_position=8,
    ),
]

RESOURCES = {record_type.name: record_type.resource for record_type in RECORD_TYPES}
BY_NAME = {record_type.name: record_type for record_type in RECORD_TYPES}
OF_MODEL = {record_type.model: record_type for record_type in RECORD_TYPES}
LISTED = [record_type for record_type in RECORD_TYPES if record_type.list_url]
SEARCHED = sorted((t for t in RECORD_TYPES if t.search_group), key=lambda record_type: record_type.search_position)


def published_facts():
    """Each kind of record that cites a source, as readers see it: [(heading, queryset)]."""
    return [(record_type.cites_as, record_type.public()) for record_type in RECORD_TYPES if record_type.cites_as]


# The admin's home: record types grouped as editors think of them, in this order.
ADMIN_GROUPS = [
    (
        _("The relationship"),
        [
            records.Relationship,
            records.RelationshipLevel,
            records.Milestone,
            records.Visit,
            records.Engagement,
            records.VisitOutcome,
            records.Council,
            records.CouncilMeeting,
            records.AgendaItem,
            records.Outcome,
        ],
    ),
    (_("Diplomatic missions"), [records.Mission]),
    (_("Statistics"), [records.Indicator, records.Statistic]),
    (_("International organizations"), [records.Organization, records.Membership, records.OrganizationName]),
    (
        _("Reference lists"),
        [records.Country, records.Place, records.PlaceName, records.Person, records.Topic, records.Source],
    ),
    (_("Your work"), [records.Job]),
    (_("This site"), [records.SiteSettings]),
]
