from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse

from .registry import LISTED


def site(request):
    try:
        canonical_url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page for a request to a host this site does not serve: no address to name as canonical.
        canonical_url = request.path
    return {"site_name": settings.SITE_NAME, "canonical_url": canonical_url, "sections": sections()}


def sections():
    """The site's navigation: each record type's public list, as the registry names them: [(label, address)]."""
    return [(record_type.list_label, reverse(record_type.list_url)) for record_type in LISTED]
