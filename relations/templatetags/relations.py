from django import template

from relations.dates import format_partial_date

register = template.Library()


@register.filter
def partial_date(value, precision="day"):
    """A date at the precision it is known: '2 March 1992', 'March 1992' or '1992'."""
    return format_partial_date(value, precision)


@register.simple_tag
def page_url(query, number):
    """The current list address with another page number, filters kept."""
    query = query.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
