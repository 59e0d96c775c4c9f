"""Text folding shared by slugs and search, aware of Turkish and Kazakh letters."""

import unicodedata

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
        # Kazakh Cyrillic, transliterated as in the 2021 Latin alphabet.
        "ә": "a",
        "Ә": "a",
        "ғ": "g",
        "Ғ": "g",
        "қ": "q",
        "Қ": "q",
        "ң": "n",
        "Ң": "n",
        "ө": "o",
        "Ө": "o",
        "ұ": "u",
        "Ұ": "u",
        "ү": "u",
        "Ү": "u",
        "һ": "h",
        "Һ": "h",
        "і": "i",
        "І": "i",
    }
)


def fold(text):
    """Lower-case ASCII-ish form of text: 'TÜRKSOY' and 'Türksoy' both give 'turksoy'."""
    text = (text or "").translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.casefold()


def slugify_name(text):
    """A slug that keeps Turkish letters readable: 'Kırşehir' gives 'kirsehir', not 'krsehir'."""
    return slugify(fold(text))
