from django.views.generic import DetailView, ListView, TemplateView

from .models import Council, CouncilMeeting, Indicator, Mission, Organization, Relationship, Visit


class HomeView(TemplateView):
    template_name = "relations/home.html"


class RelationshipDetailView(DetailView):
    model = Relationship


class VisitListView(ListView):
    queryset = Visit.objects.published()


class VisitDetailView(DetailView):
    queryset = Visit.objects.published()


class CouncilListView(ListView):
    queryset = Council.objects.published()


class CouncilDetailView(DetailView):
    queryset = Council.objects.published()


class MeetingDetailView(DetailView):
    queryset = CouncilMeeting.objects.published()


class MissionListView(ListView):
    queryset = Mission.objects.published()


class MissionDetailView(DetailView):
    queryset = Mission.objects.published()


class IndicatorListView(ListView):
    model = Indicator


class IndicatorDetailView(DetailView):
    model = Indicator


class OrganizationListView(ListView):
    queryset = Organization.objects.published()


class OrganizationDetailView(DetailView):
    queryset = Organization.objects.published()


class TimelineView(TemplateView):
    template_name = "relations/timeline.html"


class SearchView(TemplateView):
    template_name = "relations/search.html"
