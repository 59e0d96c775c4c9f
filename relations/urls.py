from django.urls import path

from . import views
from .views import read_only

app_name = "relations"

urlpatterns = [
    path("", read_only(views.HomeView.as_view()), name="home"),
    path("relationships/<slug:slug>/", read_only(views.RelationshipDetailView.as_view()), name="relationship-detail"),
    path("countries/<slug:slug>/", read_only(views.CountryDetailView.as_view()), name="country-detail"),
    path("visits/", read_only(views.VisitListView.as_view()), name="visit-list"),
    path("visits/<slug:slug>/", read_only(views.VisitDetailView.as_view()), name="visit-detail"),
    path("councils/", read_only(views.CouncilListView.as_view()), name="council-list"),
    path("councils/<slug:slug>/", read_only(views.CouncilDetailView.as_view()), name="council-detail"),
    path("councils/<slug:slug>/<int:number>/", read_only(views.MeetingDetailView.as_view()), name="meeting-detail"),
    path("missions/", read_only(views.MissionListView.as_view()), name="mission-list"),
    path("missions/<slug:slug>/", read_only(views.MissionDetailView.as_view()), name="mission-detail"),
    path("statistics/", read_only(views.IndicatorListView.as_view()), name="indicator-list"),
    path("statistics/<slug:slug>/", read_only(views.IndicatorDetailView.as_view()), name="indicator-detail"),
    path("organizations/", read_only(views.OrganizationListView.as_view()), name="organization-list"),
    path("organizations/<slug:slug>/", read_only(views.OrganizationDetailView.as_view()), name="organization-detail"),
    path("sources/<slug:slug>/", read_only(views.SourceDetailView.as_view()), name="source-detail"),
    path("timeline/", read_only(views.TimelineView.as_view()), name="timeline"),
    path("search/", read_only(views.SearchView.as_view()), name="search"),
]
