"""Memberships: 'Both countries are founding members of the Organization of Turkic States (OTS) and actively
cooperate through … the Turkic Academy', 'Kazakhstan joined the WTO in 2015'. The members are the countries the
sentence names, or the pair when it says 'both countries' or 'they'; the role is 'founding member' for the
organizations right after 'founding members of', 'observer' after 'observer', else 'member'. An organization the
site does not know ('the Caspian Cooperation Council (CCC)') is proposed as a new one, a draft."""

import re

from ...text import slugify_name
from ..document import DRAFT
from ..when import find_dates

CUE = re.compile(
    r"\b(?:members?|membership|cooperat\w*|collaborat\w*|join(?:ed|s)?|acceded|observers?|partners?|within|"
    r"founders?|founding)\b",
    re.IGNORECASE,
)
BOTH = re.compile(r"\b(?:both countries|the two countries|both sides|they|both states|the two states)\b", re.IGNORECASE)
FOUNDING = re.compile(
    r"\b(?:founding members?|founders?) of\s*(?:the\s+)?$|\bco-?founded\s*(?:the\s+)?$", re.IGNORECASE
)
OBSERVER = re.compile(r"\bobservers? (?:status )?(?:in|of|at|to)\s*(?:the\s*)?$", re.IGNORECASE)
NEW_ORGANIZATION = re.compile(
    r"\b(?:the )?((?:[A-Z][\w'’-]*\s(?:(?:of|for|and|on|in)\s)?)+(?:Organization|Organisation|Union|Council|Assembly|"
    r"Conference|Forum|Bank|Community|Academy|Foundation|Association|Cooperation|Agency))(?:\s\((?P<acronym>[A-ZÜÖÇŞ]{2,})\))?"
)


def extract(document):
    rows = {}
    for sentence in document.sentences:
        text = sentence.text
        if not CUE.search(text):
            continue
        organizations = document.of(sentence, "organization")
        organizations += propose_unknown(document, sentence, organizations)
        if not organizations:
            continue
        countries = [m.key for m in document.of(sentence, "country") if m.start < organizations[0].start]
        if BOTH.search(text[: organizations[0].start]) or (not countries and BOTH.search(text)):
            countries = list(document.pair)
        if not countries:
            continue
        dates = [stated for stated in find_dates(text, document.published_on) if stated.date]
        joining = re.search(r"\b(?:joined|acceded|became a member)\b", text, re.IGNORECASE)
        joined = dates[0] if dates and joining else None
        # "where Uzbekistan joined in 2019": the date of the country named before the word, of the organizations
        # named before it.
        joiner = [m.key for m in document.of(sentence, "country") if joining and 0 <= joining.start() - m.end <= 2]
        founding = next((m.start for m in organizations if FOUNDING.search(text[: m.start])), None)
        for mention in organizations:
            before = text[: mention.start]
            if founding is not None and mention.start == founding:
                role = "founding-member"
            elif OBSERVER.search(before):
                role = "observer"
            else:
                role = "member"
            for country in dict.fromkeys(countries):
                key = (mention.key, country)
                if key in rows:
                    continue
                dated = joined and (not joiner or (country in joiner and mention.start < joining.start()))
                rows[key] = document.row(
                    "memberships",
                    [sentence],
                    organization=mention.key,
                    country=document.country(country),
                    role=role,
                    joined_on=joined.date if dated else None,
                    joined_on_precision=joined.precision if dated else "year",
                    publication_status=DRAFT,
                )
    return rows


class Found:
    def __init__(self, start, key):
        self.start, self.key, self.kind = start, key, "organization"


def propose_unknown(document, sentence, known):
    found = []
    covered = [(m.start, m.end) for m in document.mentions[sentence.index]]
    for match in NEW_ORGANIZATION.finditer(sentence.text):
        name = match.group(1).strip()
        if any(a <= match.start(1) < b for a, b in covered) or len(name.split()) < 2:
            continue
        slug = (match.group("acronym") or slugify_name(name)).lower()
        slug = slugify_name(slug)
        document.propose(
            "organizations",
            slug,
            sentence,
            slug=slug,
            name=name,
            acronym=match.group("acronym") or "",
            kind="intergovernmental",
            founded_on_precision="year",
            source=document.source,
            publication_status=DRAFT,
        )
        found.append(Found(match.start(1), slug))
    return found
