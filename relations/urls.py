from django.urls import path

from . import feeds
from .views import countries, data, missions, organizations, overview, reference, search, statistics, timeline, visits
from .views.base import read_only

app_name = "relations"

urlpatterns = [
    path("", read_only(overview.HomeView.as_view()), name="home"),
    path(
        "relationships/<slug:slug>/", read_only(overview.RelationshipDetailView.as_view()), name="relationship-detail"
    ),
    path("countries/<slug:slug>/", read_only(countries.CountryDetailView.as_view()), name="country-detail"),
    path("visits/", read_only(visits.VisitListView.as_view()), name="visit-list"),
    path("visits/<slug:slug>/", read_only(visits.VisitDetailView.as_view()), name="visit-detail"),
    path("councils/", read_only(visits.CouncilListView.as_view()), name="council-list"),
    path("councils/<slug:slug>/", read_only(visits.CouncilDetailView.as_view()), name="council-detail"),
    path("councils/<slug:slug>/<int:number>/", read_only(visits.MeetingDetailView.as_view()), name="meeting-detail"),
    path("missions/", read_only(missions.MissionListView.as_view()), name="mission-list"),
    path("missions/<slug:slug>/", read_only(missions.MissionDetailView.as_view()), name="mission-detail"),
    path("statistics/", read_only(statistics.IndicatorListView.as_view()), name="indicator-list"),
    path("statistics/<slug:slug>/", read_only(statistics.IndicatorDetailView.as_view()), name="indicator-detail"),
    path("organizations/", read_only(organizations.OrganizationListView.as_view()), name="organization-list"),
    path(
        "organizations/<slug:slug>/",
        read_only(organizations.OrganizationDetailView.as_view()),
        name="organization-detail",
    ),
    path("sources/<slug:slug>/", read_only(reference.SourceDetailView.as_view()), name="source-detail"),
    path("timeline/", read_only(timeline.TimelineView.as_view()), name="timeline"),
    path("search/", read_only(search.SearchView.as_view()), name="search"),
    # Bulk downloads: the published records as zips of CSV files with a data package (views/data.py, downloads.py).
    path("data/", read_only(data.DataView.as_view()), name="data"),
    path("data/all.zip", read_only(data.DownloadView.as_view()), name="data-all"),
    path("data/relationships/<slug:slug>.zip", read_only(data.DownloadView.as_view()), name="data-relationship"),
    # Atom feeds of the latest records, of every pair and of one (feeds.py).
    path("feeds/visits/", read_only(feeds.VisitFeed()), name="visit-feed"),
    path("feeds/meetings/", read_only(feeds.MeetingFeed()), name="meeting-feed"),
    path("feeds/figures/", read_only(feeds.FigureFeed()), name="figure-feed"),
    path("relationships/<slug:slug>/feeds/visits/", read_only(feeds.VisitFeed()), name="relationship-visit-feed"),
    path("relationships/<slug:slug>/feeds/meetings/", read_only(feeds.MeetingFeed()), name="relationship-meeting-feed"),
    path("relationships/<slug:slug>/feeds/figures/", read_only(feeds.FigureFeed()), name="relationship-figure-feed"),
]
