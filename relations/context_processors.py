from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject

from .cache import site_settings
from .dates import format_partial_date, today
from .registry import LISTED


def site(request):
    try:
        canonical_url = request.build_absolute_uri(request.path)
        card_image_url = request.build_absolute_uri(static("img/card.png"))
    except DisallowedHost:
        # The 400 page for a request to a host this site does not serve: no address to name as canonical.
        canonical_url, card_image_url = request.path, static("img/card.png")
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": canonical_url,
        "card_image_url": card_image_url,
        "alternate_languages": [(code, translate_url(canonical_url, code)) for code, _name in settings.LANGUAGES],
        # The page in the default language (English), for readers whose language the site does not speak.
        "default_language_url": translate_url(canonical_url, settings.LANGUAGE_CODE),
        # The language switcher: this page, its filters kept, in each language, each named in itself.
        "language_links": [
            (code, name, translate_url(request.get_full_path(), code)) for code, name in settings.LANGUAGES
        ],
        "sections": sections(),
        # Read when a page's footer names the licence, not for the admin's pages, which do not.
        "site_settings": SimpleLazyObject(site_settings),
        "cited_on": format_partial_date(today()),
    }


def sections():
    """The site's navigation: each record type's public list, as the registry names them: [(label, address)]."""
    return [(record_type.list_label, reverse(record_type.list_url)) for record_type in LISTED]
