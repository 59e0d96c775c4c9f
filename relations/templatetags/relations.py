from django import template

from .. import formats

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list address with another page number, its filters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def spreadsheet_row(number):
    """An import's row number as the spreadsheet shows it (relations.formats.spreadsheet_row: its header is row 1)."""
    return formats.spreadsheet_row(number)
