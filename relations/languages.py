"""Records' names and texts in the site's languages.

A translated field keeps its text in the default language (English) in its own column, and each other language
in a column beside it named by the language's code (`name_tr`, `name_kk`, `name_ru`): plain columns of the same
table, so imports and exports, history, backups and the shell see them as any other field. Reading a record in
the reader's language goes through `translated()`, which falls back to English where an editor gave no
translation; the page marks such a text as English (the `translated` template tag).

Written here rather than with django-modeltranslation: its fields' descriptors answer the active language and
write to it when assigned, and its managers rewrite `filter(name=…)` to the active language's column, so an
import run from the Turkish admin would look records up by their Turkish names and export Turkish names as the
English ones. Here `record.name` is always the stored English text, whatever the language of the request.
"""

from django.conf import settings
from django.middleware import locale
from django.utils import translation
from django.utils.text import format_lazy

DEFAULT = settings.LANGUAGE_CODE
CODES = [code for code, _ in settings.LANGUAGES]
# The languages a translated field has a column for besides its own (English).
OTHERS = [code for code in CODES if code != DEFAULT]


def translations(field):
    """The columns of `field`'s translations, one per other language, to unpack in a model's body beside it:
    `name_tr, name_kk, name_ru = translations(name)`. Each is optional and never unique (a translation may be
    given for some records only), and is named after the field with the language's code: 'name (tr)'."""
    _, _, args, kwargs = field.deconstruct()
    for option in ("unique", "db_index", "default", "choices"):
        kwargs.pop(option, None)
    columns = []
    for code in OTHERS:
        options = {**kwargs, "blank": True, "verbose_name": format_lazy("{} ({})", field.verbose_name, code)}
        options.pop("help_text", None)
        columns.append(field.__class__(*args, **options))
    return columns


def is_translation(field_name):
    """Whether `field_name` names a translation's column ('summary_tr')."""
    return field_name.endswith(tuple(f"_{code}" for code in OTHERS))


def current():
    """The language of the request (or of `translation.override`), as one of the site's codes."""
    # A regional variant ("ru-ru", from a browser) is its language's.
    code = (translation.get_language() or DEFAULT).split("-")[0]
    return code if code in CODES else DEFAULT


def translated_or_default(record, name, language=None):
    """(text, language) of `record`'s field `name` in `language` (the current one by default): its translation,
    else what the record offers for that language of its own (a country's name from CLDR), else the English text,
    with the language it is in."""
    language = language or current()
    if language != DEFAULT:
        text = getattr(record, f"{name}_{language}", "")
        if text:
            return text, language
        own = getattr(record, "default_translation", None)
        text = own(name, language) if own else ""
        if text:
            return text, language
    return getattr(record, name), DEFAULT


def translated(record, name, language=None):
    """`record`'s field `name` in `language` (the current one by default), in English where no translation is given."""
    return translated_or_default(record, name, language)[0]


def in_each_language(function):
    """What `function()` gives in each of the site's languages, each once, in the order of the languages."""
    found = []
    for code in CODES:
        with translation.override(code):
            found.append(function())
    return list(dict.fromkeys(found))


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, without `Vary: Accept-Language` on the addresses without a prefix. Those are English whatever
    the browser asks for (`i18n_patterns(prefix_default_language=False)`), but Django still names the header,
    so every shared cache in front of the site would keep a copy of each English page per browser language."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if translation.get_language_from_path(request.path_info) is None and response.has_header("Vary"):
            kept = [name.strip() for name in response["Vary"].split(",") if name.strip().lower() != "accept-language"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
