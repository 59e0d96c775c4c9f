from django import template

from relations.dates import format_partial_date

register = template.Library()


@register.filter
def partial_date(value, precision="day"):
    """A date at the precision it is known: '2 March 1992', 'March 1992' or '1992'."""
    return format_partial_date(value, precision)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list address with another page number, its filters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
