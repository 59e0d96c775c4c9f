"""schema.org descriptions of a record's page, as dicts for a JSON-LD block in its head (the `json_ld` tag).

Each function reads only what the page's view has already loaded (its select_related and prefetch_related): a
page gains no query by describing itself. Dates are written at the precision they are known ('2024', '2024-03',
'2024-03-05'), never with a day or a month the source did not give. Facts cite their source through `subjectOf`
(a CreativeWork about the record: the source's own address, or its page here when it has none), the property
schema.org gives every Thing; a Dataset, a CreativeWork itself, names its sources with `isBasedOn`.
"""

from django.utils.translation import gettext as _

from . import models as records
from .dates import typed_form
from .languages import translated

CONTEXT = "https://schema.org"

# A council meeting's status as schema.org's EventStatusType; a meeting held, or of no stated status, has none.
MEETING_STATUS = {
    records.CouncilMeeting.Status.SCHEDULED: "https://schema.org/EventScheduled",
    records.CouncilMeeting.Status.POSTPONED: "https://schema.org/EventPostponed",
    records.CouncilMeeting.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def describe(record, request, **page):
    """The schema.org dict of `record`'s page, or None for a record type with none. `page`: what the page shows
    besides the record (an indicator's `relationship`, `page_obj` and `figures`)."""
    describer = DESCRIBERS.get(type(record))
    return describer(record, request, **page) if describer else None


def absolute(request, address):
    return request.build_absolute_uri(address)


def compact(data):
    """`data` without its empty values: schema.org has no use for an empty name or list."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def place(city, country):
    """A city of a country as a schema.org Place, its address the city and the country's ISO code."""
    address = compact(
        {
            "@type": "PostalAddress",
            "addressLocality": translated(city, "name") if city else "",
            "addressCountry": country.code if country else "",
        }
    )
    return compact({"@type": "Place", "name": translated(city or country, "name"), "address": address})


def person(someone):
    return compact({"@type": "Person", "name": translated(someone, "name"), "jobTitle": translated(someone, "role")})


def cited(source, request):
    """What a record's facts come from: the source's title, publisher, date and address (its own, or its page
    on this site when it has none)."""
    if source is None:
        return None
    publisher = {"@type": "Organization", "name": source.publisher} if source.publisher else None
    return compact(
        {
            "@type": "CreativeWork",
            "name": source.title,
            "url": source.url or absolute(request, source.get_absolute_url()),
            "datePublished": typed_form(source.published_on, source.published_on_precision),
            "publisher": publisher,
        }
    )


def visit_data(visit, request, **page):
    """A visit or contact as an Event: its dates at their precision, where it was held (no place for a phone
    call), its host as organizer and both people as attendees; announced but not yet held, EventScheduled."""
    people = [visit.guest, *([visit.host] if visit.host_id else [])]
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": visit.title(),
            "description": translated(visit, "summary"),
            "url": absolute(request, request.path),
            "startDate": typed_form(visit.start_date, visit.start_date_precision),
            # An end date is recorded to the day.
            "endDate": visit.end_date.isoformat() if visit.end_date else "",
            "eventStatus": "https://schema.org/EventScheduled" if visit.planned else "",
            "location": None if visit.kind == visit.Kind.PHONE_CALL else place(visit.place, visit.country),
            "organizer": person(visit.host) if visit.host_id else None,
            "attendee": [person(someone) for someone in people],
            "subjectOf": cited(visit.source, request),
        }
    )


def meeting_data(meeting, request, **page):
    """A council meeting as an Event organized by its council, its status as an EventStatusType."""
    council = meeting.council
    organizer = {
        "@type": "Organization",
        "name": translated(council, "name"),
        "url": absolute(request, council.get_absolute_url()),
    }
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": str(meeting)[:1].upper() + str(meeting)[1:],
            "description": translated(meeting, "summary"),
            "url": absolute(request, request.path),
            "startDate": typed_form(meeting.date, meeting.date_precision),
            "eventStatus": MEETING_STATUS.get(meeting.status, ""),
            "location": place(meeting.place, meeting.place.country) if meeting.place_id else None,
            "organizer": organizer,
            "attendee": [person(someone) for someone in meeting.co_chairs.all()],
            "subjectOf": cited(meeting.source, request),
        }
    )


def mission_data(mission, request, **page):
    """An embassy as schema.org's Embassy (a government building), any other mission as a
    GovernmentOrganization; either with its address in its city and host country."""
    embassy = mission.kind == mission.Kind.EMBASSY
    address = compact(
        {
            "@type": "PostalAddress",
            "streetAddress": " ".join(mission.address.split()),
            "addressLocality": translated(mission.place, "name"),
            "addressCountry": mission.host.code,
        }
    )
    name = str(mission)
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Embassy" if embassy else "GovernmentOrganization",
            "name": name[:1].upper() + name[1:],
            "url": absolute(request, request.path),
            "sameAs": mission.website,
            "address": address,
            # An organization's founding; a building has none in schema.org.
            "foundingDate": "" if embassy else typed_form(mission.opened_on, mission.opened_on_precision),
            "subjectOf": cited(mission.source, request),
        }
    )


def organization_data(organization, request, **page):
    """An organization with its acronym and former names as alternate names, founded at the precision known."""
    parent = organization.parent
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Organization",
            "name": translated(organization, "name"),
            "alternateName": [
                *([organization.acronym] if organization.acronym else []),
                *(former.name for former in organization.former_names.all()),
            ],
            "description": translated(organization, "description"),
            "url": absolute(request, request.path),
            "sameAs": organization.website,
            "foundingDate": typed_form(organization.founded_on, organization.founded_on_precision),
            "parentOrganization": (
                {
                    "@type": "Organization",
                    "name": translated(parent, "name"),
                    "url": absolute(request, parent.get_absolute_url()),
                }
                if parent is not None and parent.is_published
                else None
            ),
            "subjectOf": cited(organization.source, request),
        }
    )


def indicator_data(indicator, request, relationship=None, page_obj=None, figures=(), **page):
    """An indicator's figures, or one pair's (?relationship=), as a Dataset downloadable as CSV. When the page's
    table holds every figure (a single page), also the span of their periods and their sources."""
    narrowed = f"?relationship={relationship.slug}" if relationship else ""
    address = absolute(request, indicator.get_absolute_url())
    name = translated(indicator, "name")
    if relationship:
        pair = _("%(a)s and %(b)s") % {
            "a": translated(relationship.country_a, "name"),
            "b": translated(relationship.country_b, "name"),
        }
        name = _("%(indicator)s: %(pair)s") % {"indicator": name, "pair": pair}
    coverage, sources = "", []
    if page_obj is not None and page_obj.paginator.num_pages == 1:
        coverage = temporal_coverage(figures)
        seen = {}
        for figure in figures:
            seen.setdefault(figure.source_id, figure.source)
        sources = [cited(source, request) for source in seen.values()]
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "name": name,
            "description": translated(indicator, "description")
            or _("%(name)s: every sourced figure, with its period, direction, unit and source.") % {"name": name},
            "url": address + narrowed,
            "temporalCoverage": coverage,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "text/csv",
                    "contentUrl": f"{address}{narrowed}{'&' if narrowed else '?'}format=csv",
                }
            ],
            "isBasedOn": sources,
        }
    )


def temporal_coverage(figures):
    """'2011-01-01/2024-12-31': from the first day of the earliest period of these figures to the last day of
    the latest; '' when none has a stated period."""
    kinds = records.Statistic
    bounds = [
        (figure.period_start or figure.period_end, figure.period_end or figure.period_start)
        for figure in figures
        if figure.kind == kinds.Kind.FIGURE
        and figure.period_kind != kinds.PeriodKind.UNSTATED
        and (figure.period_start or figure.period_end)
    ]
    if not bounds:
        return ""
    return f"{min(start for start, _ in bounds).isoformat()}/{max(end for _, end in bounds).isoformat()}"


DESCRIBERS = {
    records.Visit: visit_data,
    records.CouncilMeeting: meeting_data,
    records.Mission: mission_data,
    records.Organization: organization_data,
    records.Indicator: indicator_data,
}
