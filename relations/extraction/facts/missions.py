"""Diplomatic missions: 'Türkiye has an embassy in Nur-Sultan, consulates general in Almaty, Aktau and Turkistan,
and an honorary consulate in Shymkent'. The sending country is the last country named before the first kind of
mission; each kind takes the cities named until the next kind; the host is each city's country. A city the site
does not know, in such a list, is proposed as a new place of the host country."""

import re

from ...text import slugify_name
from ..document import DRAFT
from ..when import find_dates

KIND = re.compile(
    r"\b(?P<honorary>honorary )?(?:(?P<general>consulates?[- ]general|consulates general)|(?P<embassy>embass(?:y|ies))|"
    r"(?P<consulate>consulates?))\b",
    re.IGNORECASE,
)
OPENED = re.compile(r"\b(?:opened|opens|inaugurated|established|set up)\b", re.IGNORECASE)
SAME_YEAR = re.compile(r"\bthe same year\b", re.IGNORECASE)
CAPITALISED = re.compile(r"\b[A-Z][a-zçğıöşüəâîû]+(?:[- ][A-Z][a-zçğıöşüəâîû]+)*\b")
NOT_PLACES = {"The", "And", "In", "Currently", "Its", "As", "Well", "Both", "It", "Kazakh", "Turkish"}


def kind_of(match):
    if match["honorary"]:
        return "honorary-consulate"
    if match["general"]:
        return "consulate-general"
    if match["embassy"]:
        return "embassy"
    return "consulate"


def extract(document):
    found = {}  # (sender, kind, place) -> row
    for sentence in document.sentences:
        text = sentence.text
        kinds = list(KIND.finditer(text))
        if not kinds:
            continue
        countries = [m for m in document.of(sentence, "country", "adjective") if m.start < kinds[0].start()]
        if not countries:
            continue
        sender = document.country(countries[-1].key)
        opened = opening_date(document, sentence)
        host_hint = ""
        for index, match in enumerate(kinds):
            segment_end = kinds[index + 1].start() if index + 1 < len(kinds) else len(text)
            places = [m for m in document.of(sentence, "place") if match.end() <= m.start < segment_end]
            named = {m.start for m in document.mentions[sentence.index]}
            for place in dict.fromkeys(m.key for m in places):
                mention = next(m for m in places if m.key == place)
                host = document.names.country_of(mention)
                host_hint = host_hint or host
                add(document, found, sentence, sender, host, place, kind_of(match), opened)
            # Cities the site does not know, in a list after "in": proposed as new places of the host country.
            segment = text[match.end() : segment_end]
            listed = re.match(r"\s+in\s+(.*)", segment)
            if not listed:
                continue
            offset = match.end() + listed.start(1)
            for word in CAPITALISED.finditer(listed.group(1)):
                start = offset + word.start()
                if (
                    start in named
                    or word.group() in NOT_PLACES
                    or any(m.start <= start < m.end for m in document.mentions[sentence.index])
                ):
                    continue
                host = host_hint or host_of(document, sentence, sender)
                if not host or host == sender:
                    continue
                slug = slugify_name(word.group())
                document.propose("places", slug, sentence, slug=slug, name=word.group(), country=host)
                add(document, found, sentence, sender, host, slug, kind_of(match), opened)
    return found


def host_of(document, sentence, sender):
    for mention in document.of(sentence, "country"):
        if mention.key != sender:
            return mention.key
    return document.other(sender)


def opening_date(document, sentence):
    """(date, precision) a sentence gives the opening of a mission: 'opened its embassy in 1992'; 'the same year
    Kazakhstan opened its embassy' is the year of the date before."""
    if not OPENED.search(sentence.text):
        return None
    dates = [stated for stated in find_dates(sentence.text, document.published_on) if stated.date]
    if not dates:
        return None
    if SAME_YEAR.search(sentence.text):
        return dates[0].date.replace(month=1, day=1), "year"
    return dates[0].date, dates[0].precision


def add(document, found, sentence, sender, host, place, kind, opened):
    key = (sender, kind, place)
    if sender == host:
        return
    if key in found:
        row = found[key]
        if sentence.text not in row.values["Quotation"]:
            row.values["Quotation"] += " " + sentence.text
            row.spans.append((sentence.start, sentence.end))
        if opened and not row.values["Opened"]:
            row.values["Opened"], row.values["Precision of the opening date"] = opened[0].isoformat(), opened[1]
        return
    found[key] = document.row(
        "missions",
        [sentence],
        slug=f"{sender.lower()}-{kind}-{place}",
        sender=sender,
        host=host,
        place=place,
        kind=kind,
        opened_on=opened[0] if opened else None,
        opened_on_precision=opened[1] if opened else "year",
        publication_status=DRAFT,
    )
