"""A public list's own query as data: `{% data_links "visit_list" %}` links the API's list (relations/api/) with the
page's filters, as JSON and as CSV."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

# What the page reads that is not a filter: its own page number and format.
NOT_FILTERS = {"page", "format"}


@register.simple_tag(takes_context=True)
def data_links(context, api_list, **fixed):
    """'This list as data: JSON · CSV', to the API's list named `api_list` (its URL name) with the filters of the
    page (the API's lists read them under the same names) and the `fixed` ones (`latest=1`)."""
    query = {name: value for name, value in context["request"].GET.items() if name not in NOT_FILTERS}
    query.update((name, str(value)) for name, value in fixed.items())
    address = reverse(f"api:{api_list}")
    as_json = f"{address}?{urlencode(query, safe=':')}" if query else address
    as_csv = f"{address}?{urlencode({**query, 'format': 'csv'}, safe=':')}"
    return format_html(
        '<p class="feed">{} <a href="{}" type="application/json">JSON</a> · <a href="{}" type="text/csv">CSV</a></p>',
        _("This list as data:"),
        as_json,
        as_csv,
    )
