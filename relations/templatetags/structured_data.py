"""`{% json_ld record %}`: a record's schema.org description (relations.structured_data) as a JSON-LD block.

A data block (`type="application/ld+json"`) is never run, so the Content Security Policy (script-src 'self')
allows it; its text is still escaped as Django's json_script escapes it (`<`, `>`, `&` written as \\u003C …), so
that an editor's `</script>` or `<!--` in a summary cannot end the element or change how it is read.
"""

import json

from django import template
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json_script(data):
    """The script element holding `data` as JSON, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def json_ld(context, record):
    """The JSON-LD block describing `record`'s page (its type chooses how), or nothing for a type with none."""
    page = {name: context.get(name) for name in ("relationship", "page_obj", "figures")}
    data = structured_data.describe(record, context["request"], **{k: v for k, v in page.items() if v is not None})
    return ld_json_script(data) if data else ""
