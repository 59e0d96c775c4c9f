"""Text folding shared by slugs and search, aware of Turkish and Kazakh letters."""

import functools
import unicodedata

from babel import Locale
from django.utils.text import slugify

# Letters that Unicode decomposition does not reduce to a plain Latin letter.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ə": "a",
        "Ə": "a",
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        # Kazakh letters to the nearest common Cyrillic letter, so "Қазақстан" and "казакстан" match.
        "ә": "а",
        "Ә": "а",
        "ғ": "г",
        "Ғ": "г",
        "қ": "к",
        "Қ": "к",
        "ң": "н",
        "Ң": "н",
        "ө": "о",
        "Ө": "о",
        "ұ": "у",
        "Ұ": "у",
        "ү": "у",
        "Ү": "у",
        "һ": "х",
        "Һ": "х",
        "і": "и",
        "І": "и",
    }
)


# Cyrillic to Latin for web addresses: Russian, with the letters of Kazakh (folded to their Russian
# neighbours first), Ukrainian, Serbian and Uzbek. Applied before accents are stripped, so й and ё survive.
_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya",
        "є": "ye", "ї": "yi", "ґ": "g",
        "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
        "ў": "u", "ҳ": "h",
    }
)  # fmt: skip


def fold(text):
    """Lower-case ASCII-ish form of text: 'TÜRKSOY' and 'Türksoy' both give 'turksoy'."""
    text = (text or "").translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.casefold()


def slugify_name(text):
    """A slug that keeps Turkish letters readable ('Kırşehir' gives 'kirsehir', not 'krsehir')
    and spells Cyrillic in Latin letters ('Қасым-Жомарт Тоқаев' gives 'kasym-zhomart-tokaev')."""
    # A dash between words ("Türkiye–Uzbekistan") keeps them apart, as a space does.
    spaced = "".join(" " if unicodedata.category(char) == "Pd" else char for char in text or "")
    latin = spaced.casefold().translate(_FOLD).translate(_LATIN)
    return slugify(fold(latin))


# The languages whose names of a country search knows besides the record's own: the site's countries' own
# languages and English. Babel carries CLDR's territory names, kept up to date by the Unicode consortium.
SEARCH_LANGUAGES = ("en", "tr", "kk", "ru")

# CLDR's alternative English names (its `alt="variant"` and `alt="short"` entries), which Babel's compiled
# data leaves out: readers still type the name a country was long known by. ("US" is left out: "us" is a word.)
ALTERNATIVE_COUNTRY_NAMES = {
    "CD": ["Congo (DRC)"],
    "CG": ["Congo (Republic)"],
    "CI": ["Ivory Coast"],
    "CZ": ["Czech Republic"],
    "GB": ["UK"],
    "HK": ["Hong Kong"],
    "MM": ["Myanmar"],
    "MO": ["Macao"],
    "PS": ["Palestine"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Turkey"],
}


@functools.cache
def country_names(code):
    """What readers call the country of ISO code `code` in the search languages, CLDR's alternative names
    included ('TR': Türkiye, Turkey, Түркия, Турция); none for a code CLDR does not know."""
    names = [Locale.parse(language).territories.get(code) for language in SEARCH_LANGUAGES]
    return tuple(dict.fromkeys(name for name in [*names, *ALTERNATIVE_COUNTRY_NAMES.get(code, [])] if name))
