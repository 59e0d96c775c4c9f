"""Atom feeds of the site's new records: visits and other contacts, council meetings and figures, of every pair
(`/feeds/<kind>/`) or of one (`/relationships/<slug>/feeds/<kind>/`).

Only published records, the latest 50 by the record's own date (a figure by when it was added: a figure of an
old period added today is news too). A record's dates are at their precision, not moments: an entry's
`published` and `updated` are when it was added to the site and last changed, read from its history in the same
query as the records, so a feed costs the same few queries however many entries it has.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed, add_domain
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from . import languages
from . import models as records

FEED_SIZE = 50


def with_history_dates(queryset):
    """`queryset` with `added` and `changed`, the first and latest times in each record's history (None for a
    record without one), as subqueries of its own query."""
    versions = queryset.model.history.model.objects.filter(id=OuterRef("pk")).values("history_date")
    return queryset.annotate(
        added=Subquery(versions.order_by("history_date")[:1]),
        changed=Subquery(versions.order_by("-history_date")[:1]),
    )


def pair_name(relationship):
    """'Türkiye and Kazakhstan', in the feed's language."""
    return _("%(a)s and %(b)s") % {
        "a": languages.translated(relationship.country_a, "name"),
        "b": languages.translated(relationship.country_b, "name"),
    }


def summary(*parts):
    """An entry's summary (Atom's type="html"): its parts as sentences, escaped."""
    sentences = [part.strip() for part in parts if part and part.strip()]
    return escape(" ".join(part if part[-1] in ".!?…" else f"{part}." for part in sentences))


class RecordFeed(Feed):
    """A feed of one kind of record, site-wide (no slug) or of the published pair named by `slug`."""

    feed_type = Atom1Feed
    # Its title ('%(name)s' the site's or the pair's), its subtitle site-wide and of a pair ('%(pair)s', and
    # '%(count)s' its size), and the URL names of its two addresses and of the list it follows.
    heading = ""
    subtitle_of_all = ""
    subtitle_of_pair = ""
    url_name = ""
    pair_url_name = ""
    list_url_name = ""

    def __init__(self):
        super().__init__()
        # The page cache asks the view for the query parameters it reads (cache.declared_parameters): none. Set on
        # the instance, so that the wrappers of urls.read_only copy it with the instance's attributes.
        self.query_parameters = ()

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # The pair named the other way round leads to its feed, as its page does.
            slug = kwargs.get("slug")
            found = slug and records.Relationship.objects.published().named_by_countries(slug)
            if not found or found.slug == slug:
                raise
            return HttpResponsePermanentRedirect(reverse(self.pair_url_name, kwargs={"slug": found.slug}))

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        # A draft pair is no more found here than its page is.
        published = records.Relationship.objects.published().select_related("country_a", "country_b")
        return get_object_or_404(published, slug=slug)

    def title(self, relationship):
        return self.heading % {"name": pair_name(relationship) if relationship else settings.SITE_NAME}

    def subtitle(self, relationship):
        if relationship:
            return self.subtitle_of_pair % {"count": FEED_SIZE, "pair": pair_name(relationship)}
        return self.subtitle_of_all % {"count": FEED_SIZE}

    def link(self, relationship):
        if relationship:
            return relationship.get_absolute_url()
        return reverse(self.list_url_name)

    def feed_url(self, relationship):
        if relationship:
            return reverse(self.pair_url_name, kwargs={"slug": relationship.slug})
        return reverse(self.url_name)

    def items(self, relationship):
        queryset = self.model.objects.published()
        if relationship:
            queryset = queryset.of_relationship(relationship)
        return with_history_dates(self.ordered(queryset))[:FEED_SIZE]

    def item_pubdate(self, item):
        return item.added

    def item_updateddate(self, item):
        return item.changed

    def item_guid(self, item):
        # Made absolute in get_feed, as links are.
        return self.item_link(item)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Atom ids are absolute and unique: the feed's is its own address (a pair's three feeds share their link,
        # the pair's page), an entry's its page's address (a figure's, with the figure named after '#').
        feed.feed["id"] = feed.feed["feed_url"]
        domain = request.get_host()
        for item in feed.items:
            item["unique_id"] = add_domain(domain, item["unique_id"], request.is_secure())
        return feed


class VisitFeed(RecordFeed):
    model = records.Visit
    heading = gettext_lazy("%(name)s: visits and other contacts")
    subtitle_of_all = ngettext_lazy(
        "The latest %(count)s visit or other contact of every pair of countries, each with its source.",
        "The latest %(count)s visits and other contacts of every pair of countries, each with its source.",
        "count",
    )
    subtitle_of_pair = ngettext_lazy(
        "The latest %(count)s visit or other contact between %(pair)s, each with its source.",
        "The latest %(count)s visits and other contacts between %(pair)s, each with its source.",
        "count",
    )
    url_name = "relations:visit-feed"
    pair_url_name = "relations:relationship-visit-feed"
    list_url_name = "relations:visit-list"

    def ordered(self, queryset):
        return queryset.select_related("guest", "host", "country", "place", "source").order_by("-start_date", "slug")

    def item_title(self, visit):
        # Atom titles are plain text: not escaped here (Feed.item_title escapes them for RSS).
        if visit.planned:
            return _("Planned: %(title)s, %(dates)s") % {"title": visit.title(), "dates": visit.dates_display()}
        return f"{visit.title()}, {visit.dates_display()}"

    def item_description(self, visit):
        place = languages.translated(visit.place, "name") if visit.place_id else ""
        where = ", ".join(part for part in (place, languages.translated(visit.country, "name")) if part)
        return summary(
            f"{visit.dates_display()}, {where}",
            languages.translated(visit, "summary"),
            _("Source: %(title)s") % {"title": visit.source.title},
        )

    def item_link(self, visit):
        return visit.get_absolute_url()


class MeetingFeed(RecordFeed):
    model = records.CouncilMeeting
    heading = gettext_lazy("%(name)s: council meetings")
    subtitle_of_all = ngettext_lazy(
        "The latest %(count)s council meeting of every pair of countries, each with its source.",
        "The latest %(count)s council meetings of every pair of countries, each with its source.",
        "count",
    )
    subtitle_of_pair = ngettext_lazy(
        "The latest %(count)s council meeting between %(pair)s, each with its source.",
        "The latest %(count)s council meetings between %(pair)s, each with its source.",
        "count",
    )
    url_name = "relations:meeting-feed"
    pair_url_name = "relations:relationship-meeting-feed"
    list_url_name = "relations:council-list"

    def ordered(self, queryset):
        return queryset.select_related("council", "place", "source").order_by("-date", "-number")

    def item_title(self, meeting):
        if meeting.status == records.CouncilMeeting.Status.SCHEDULED:
            return _("Scheduled: %(meeting)s, %(date)s") % {"meeting": meeting, "date": meeting.date_display()}
        return f"{meeting}, {meeting.date_display()}"

    def item_description(self, meeting):
        where = f", {languages.translated(meeting.place, 'name')}" if meeting.place_id else ""
        return summary(
            f"{meeting.date_display()}{where}",
            languages.translated(meeting, "summary"),
            _("Source: %(title)s") % {"title": meeting.source.title},
        )

    def item_link(self, meeting):
        return meeting.get_absolute_url()


class FigureFeed(RecordFeed):
    model = records.Statistic
    heading = gettext_lazy("%(name)s: figures")
    subtitle_of_all = ngettext_lazy(
        "The latest %(count)s figure of every pair of countries, each with its source.",
        "The latest %(count)s figures of every pair of countries, each with its source.",
        "count",
    )
    subtitle_of_pair = ngettext_lazy(
        "The latest %(count)s figure between %(pair)s, each with its source.",
        "The latest %(count)s figures between %(pair)s, each with its source.",
        "count",
    )
    url_name = "relations:figure-feed"
    pair_url_name = "relations:relationship-figure-feed"
    list_url_name = "relations:indicator-list"

    def ordered(self, queryset):
        return queryset.select_related(
            "indicator", "relationship__country_a", "relationship__country_b", "source", "from_country", "to_country"
        ).order_by("-pk")

    def item_title(self, figure):
        circumstances = figure.circumstances_display()
        return (
            f"{languages.translated(figure.indicator, 'name')}, {pair_name(figure.relationship)}"
            f"{f', {circumstances}' if circumstances else ''}: {figure.statement_display()}"
        )

    def item_description(self, figure):
        return summary(
            f"{figure.get_kind_display()}: {figure.statement_display()}",
            figure.circumstances_display(),
            figure.reader_note,
            _("Source: %(title)s") % {"title": figure.source.title},
        )

    def item_link(self, figure):
        # Its indicator's page, narrowed to its pair.
        return f"{figure.indicator.get_absolute_url()}?relationship={figure.relationship.slug}"

    def item_guid(self, figure):
        return f"{self.item_link(figure)}#statistic-{figure.pk}"
