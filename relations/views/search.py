"""The search page, over `relations.search`."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import search
from ..search import MAX_QUERY_LENGTH


class SearchView(TemplateView):
    template_name = "relations/search.html"
    query_parameters = ("q",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        if len(query) > MAX_QUERY_LENGTH:
            raise BadRequest(_("A search can be at most %(length)s characters long.") % {"length": MAX_QUERY_LENGTH})
        query = "".join(char for char in query if char.isprintable())
        # results: search.Results — groups of Hits (title, url, kind, date, marked snippet), the query as
        # understood (its suggestion when a word was a typo) and the total.
        found = search.results(query)
        context.update(
            query=query,
            results=found,
            groups=found.groups,
            result_total=found.total,
            has_words=bool(found.query.words),
            suggestion=found.query.suggestion,
        )
        return context
