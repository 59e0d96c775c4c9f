"""Amounts in a text: '$5 billion', 'TL 202.86 billion', 'more than 12,000', 'Seventy-eight', '72%', '1.5 times',
'24th'; with the qualifier the text gives them ('more than', 'exceeded', 'about') and their currency.

Plain Python: the forms of amounts in news about relations are few, and a rule here is one line to read.
quantulum3 and number-parser were not installed nor measured (see the README).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
# Currency signs and words, to ISO 4217 codes.
CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "tl": "TRY",
    "₺": "TRY",
    "try": "TRY",
    "lira": "TRY",
    "liras": "TRY",
    "turkish lira": "TRY",
    "₸": "KZT",
    "kzt": "KZT",
    "tenge": "KZT",
    "₽": "RUB",
    "rub": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "roubles": "RUB",
    "azn": "AZN",
    "manat": "AZN",
    "manats": "AZN",
    "uzs": "UZS",
    "soum": "UZS",
    "sum": "UZS",
    "cny": "CNY",
    "yuan": "CNY",
}
UNITS = {"%": "%", "percent": "%", "per cent": "%", "times": "times", "fold": "times"}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

# The words before an amount that qualify it, and the qualifier they make.
QUALIFIERS = [
    (r"more than|over|above|upwards of|in excess of", "more-than"),
    (r"exceed(?:ed|s|ing)?|surpass(?:ed|es)?|topped", "exceeded"),
    (r"about|around|approximately|roughly|some|an estimated|close to|circa", "about"),
    (r"nearly|almost|just under|just short of", "nearly"),
    (r"at least|no less than", "at-least"),
    (r"less than|under|fewer than|below", "less-than"),
]
QUALIFIER_BEFORE = re.compile(
    r"(?:"
    + "|".join(f"(?P<q{index}>{words})" for index, (words, _) in enumerate(QUALIFIERS))
    + r")\s+(?:a total of\s+)?$",
    re.IGNORECASE,
)

_CURRENCY_SIGN = r"(?:US\$|\$|€|£|₺|₸|₽|\b(?:TL|USD|EUR|TRY|KZT|RUB|AZN|GBP|UZS|CNY)\b)"
_CURRENCY_WORD = r"(?:US dollars|dollars?|euros?|Turkish lira|liras?|tenge|rubles?|roubles?|manats?|soum|yuan|" + (
    r"USD|EUR|TRY|KZT|RUB|AZN|GBP|UZS|CNY)"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD = "|".join(sorted([*NUMBER_WORDS, *MULTIPLIERS], key=len, reverse=True))
_WORDS = rf"(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*"

AMOUNT = re.compile(
    rf"(?P<sign>{_CURRENCY_SIGN})?\s?"
    rf"(?:(?P<number>{_NUMBER})|(?P<words>\b{_WORDS}\b))"
    r"(?:\s?(?P<scale>thousand|million|mln|billion|bln|bn|trillion)\b)?"
    rf"(?:\s?(?P<unit>%|percent\b|per cent\b|times\b|-fold\b)|\s(?P<word>{_CURRENCY_WORD})\b)?",
    re.IGNORECASE,
)
ORDINAL = re.compile(
    r"\b(?:(?P<digits>\d{1,3})(?:st|nd|rd|th)|(?P<word>" + "|".join(ORDINALS) + r"))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: Decimal
    currency: str  # ISO code, '%' or 'times', or '' for a count
    qualifier: str
    text: str

    @property
    def is_count(self):
        return not self.currency


def words_to_number(words):
    """'seventy-eight' 78, 'three hundred' 300, 'two thousand five hundred' 2500; None for a lone 'one'-less
    multiplier ('hundred')."""
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
            seen = True
        elif word in MULTIPLIERS:
            if not seen:
                return None
            if MULTIPLIERS[word] == 100:
                current *= 100
            else:
                total += current * MULTIPLIERS[word]
                current = 0
    return total + current if seen else None


def qualifier_before(text, start):
    match = QUALIFIER_BEFORE.search(text[max(0, start - 40) : start])
    if not match:
        return "exact"
    for index, (_, qualifier) in enumerate(QUALIFIERS):
        if match.group(f"q{index}"):
            return qualifier
    return "exact"


def find_amounts(text, excluded=()):
    """The amounts of `text` (a sentence), skipping the spans `excluded` (its dates) and bare years."""
    found = []
    for match in AMOUNT.finditer(text):
        if not match.group().strip() or any(a < match.end() and match.start() < b for a, b in excluded):
            continue
        if match.group("number"):
            value = Decimal(match.group("number").replace(",", ""))
            # A figure glued to letters is a name or an ordinal ("G20", "33rd"), not an amount.
            after = text[match.end("number") : match.end("number") + 2]
            before = text[max(0, match.start("number") - 1) : match.start("number")]
            glued = re.match(r"[a-zA-Z]", after) and not re.match(r"(?:bn|m\b|k\b)", after)
            if glued and not match.group("scale") and not match.group("unit"):
                continue
            if before.isalpha() or before in "-–/" and before:
                continue
        else:
            value = words_to_number(match.group("words"))
            if value is None or match.group("words").lower() in ("one", "a"):
                continue
            value = Decimal(value)
        sign = (match.group("sign") or "").strip()
        scale = (match.group("scale") or "").lower()
        unit = (match.group("unit") or "").lower().lstrip("-")
        word = (match.group("word") or "").lower()
        is_year = match.group("number") and re.fullmatch(r"(1[89]|20)\d\d", match.group("number"))
        if is_year and not (sign or scale or unit or word):
            continue
        if scale:
            value *= SCALES[scale]
        currency = CURRENCIES.get(sign.lower()) or CURRENCIES.get(word) or UNITS.get(unit, "")
        start = match.start() if sign else match.start("number" if match.group("number") else "words")
        found.append(Amount(start, match.end(), value, currency, qualifier_before(text, start), match.group().strip()))
    return found


def plain(value):
    """A value as the import files write it: '5000000000', '202860000000', '1.5'."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def ordinal_value(text):
    match = ORDINAL.fullmatch(text.strip())
    if not match:
        return None
    return int(match["digits"]) if match["digits"] else ORDINALS[match["word"].lower()]
