"""A page's title and description said again in its link-preview tags (Open Graph, Twitter cards).

Django renders a block once, where base.html places it; `{% block_text "title" %}` renders the page's
block of that name (its template's own, or base.html's default) a second time, on one line.
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The rendered text of the page's block `name`, its whitespace folded; empty outside an extended template."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks else None
    if block is None:
        return ""
    # Rendered by the template engine, so already escaped: only its whitespace changes.
    return mark_safe(" ".join(block.render(context).split()))
