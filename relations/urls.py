from django.urls import path

from . import views

app_name = "relations"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("relationships/<slug:slug>/", views.RelationshipDetailView.as_view(), name="relationship-detail"),
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/<slug:slug>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("councils/<slug:slug>/<int:number>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("missions/", views.MissionListView.as_view(), name="mission-list"),
    path("missions/<slug:slug>/", views.MissionDetailView.as_view(), name="mission-detail"),
    path("statistics/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("statistics/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("search/", views.SearchView.as_view(), name="search"),
]
