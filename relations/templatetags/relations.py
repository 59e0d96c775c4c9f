from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from .. import dates, formats, languages

register = template.Library()

# What a public page says of a meeting still marked scheduled after its date (CouncilMeeting's queryset
# finds them for editors: date_passed_still_scheduled).
DATE_PASSED = gettext_lazy("date passed, outcome not yet recorded")


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list address with another page number, its filters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def meeting_status(meeting):
    """A council meeting's status as readers are told it, in lower case: 'held', 'scheduled'; a meeting
    still marked scheduled once its date (at the precision it is known) has passed is 'date passed,
    outcome not yet recorded', never 'scheduled'. '' when the source does not say."""
    if meeting.status == meeting.Status.SCHEDULED and dates.has_passed(meeting.date, meeting.date_precision):
        return DATE_PASSED
    return meeting.get_status_display().lower() if meeting.status else ""


@register.filter
def spreadsheet_row(number):
    """An import's row number as the spreadsheet shows it (relations.formats.spreadsheet_row: its header is row 1)."""
    return formats.spreadsheet_row(number)


@register.filter
def link_items(links):
    """Each (address, name) of `links` as a list item linking to it. Written here, not in a template loop: an
    index of hundreds of names would cost a page's whole budget there."""
    return mark_safe("".join(f'<li><a href="{escape(address)}">{escape(name)}</a></li>' for address, name in links))


# The fields whose text, shown in English for want of a translation, a reader is told is in English: prose.
# A name left as given (a person's, a city's) is only marked as English for the browser.
PROSE = ("summary", "description", "quote", "role")


@register.simple_tag
def translated(record, name):
    """`record`'s field `name` in the page's language; where no translation is given, the English text marked
    as English (`lang`, for the browser's hyphenation and screen readers) and, for prose, for readers too
    (the stylesheet's `.untranslated`)."""
    text, language = languages.translated_or_default(record, name)
    if language == languages.current() or not text:
        return text
    if name not in PROSE:
        return format_html('<span lang="{}">{}</span>', language, text)
    return format_html(
        '<span lang="{}" class="untranslated" title="{}">{}</span>', language, gettext("Not yet translated"), text
    )
