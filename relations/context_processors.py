from django.conf import settings
from django.core.exceptions import DisallowedHost


def site(request):
    try:
        canonical_url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page for a request to a host this site does not serve: no address to name as canonical.
        canonical_url = request.path
    return {"site_name": settings.SITE_NAME, "canonical_url": canonical_url}
