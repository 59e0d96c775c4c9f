"""Milestones and relationship levels: recognition, diplomatic relations established, a level reached ('elevated
to a “strategic partnership” with a 2009 agreement and further upgraded to an “enhanced strategic partnership” in
2022'), a mission opened, a change to visas, an anniversary the site cannot compute. A milestone whose date the
text does not give keeps none: its year for sorting is the article's, and it is flagged for the editor."""

import re

from ...dates import ordinal
from ...text import slugify_name
from ..document import DATE_NOT_GIVEN, DRAFT
from ..when import find_dates

RECOGNITION = re.compile(r"\brecogni[sz](?:e|ed|es|ing)\b.*\bindependence\b", re.IGNORECASE)
RELATIONS = re.compile(
    r"\bdiplomatic relations (?:(?:were|was|had been) )?(?:officially |formally )?established\b|"
    r"\bestablished diplomatic relations\b",
    re.IGNORECASE,
)
UPGRADE = re.compile(
    r"\b(?:elevated|upgraded|raised|lifted|reached|became|signed|established|brought)\b", re.IGNORECASE
)
TRAVEL = re.compile(
    r"\b(?:visa[- ]free|visa requirements?|visa regime|direct flights?)\b.*\b(?:extended|introduced|abolished|lifted|"
    r"launched|waived|resumed|opened)\b|\b(?:extended|introduced|abolished|lifted|launched|waived|resumed)\b.*"
    r"\b(?:visa[- ]free|visa requirements?|visa regime|direct flights?)\b",
    re.IGNORECASE,
)
OPENED_MISSION = re.compile(
    r"\b(?P<country>[A-Z][\w-]+) (?:opened|inaugurated) (?:its|an|the) (?P<kind>embassy|consulate(?: general)?) in "
    r"(?P<city>[A-Z][\w-]+)"
)
ANNIVERSARY = re.compile(
    r"\b(?P<count>\d+)(?:st|nd|rd|th) anniversary of (?:the )?(?:establishment of )?diplomatic relations"
)


def extract(document):
    remember_events(document)
    for sentence in document.sentences:
        text = sentence.text
        dates = [stated for stated in find_dates(text, document.published_on) if stated.date]
        if RECOGNITION.search(text):
            countries = [m.key for m in document.of(sentence, "country")]
            title = (
                f"{document.names.entity('country', countries[0]).name} recognizes the independence of "
                f"{document.names.entity('country', countries[1]).name}"
                if len(countries) > 1
                else "Recognition of independence"
            )
            after = [d for d in dates if d.start > RECOGNITION.search(text).start()]
            milestone(document, sentence, "recognition", title, after[:1])
        if RELATIONS.search(text):
            after = [d for d in dates if d.start > RELATIONS.search(text).start()]
            milestone(document, sentence, "diplomatic-relations", "Diplomatic relations established", after[:1])
        mission = OPENED_MISSION.search(text)
        if mission:
            year = [d for d in dates if d.start < mission.start()]
            when = (
                year[-1:] if re.search(r"the same year", text) else [d for d in dates if d.start > mission.start()][:1]
            )
            title = f"{mission['country']} opens its {mission['kind']} in {mission['city']}"
            milestone(document, sentence, "mission", title, when, year_only=bool(re.search(r"the same year", text)))
        levels(document, sentence, dates)
        if TRAVEL.search(text):
            title = travel_title(text)
            milestone(document, sentence, "travel", title, dates[:1])
        anniversary = ANNIVERSARY.search(text)
        if anniversary:
            stated_anniversary(document, sentence, int(anniversary["count"]), dates)


def remember_events(document):
    """Dates the article gives events other sentences count from: 'independence … on Dec. 16, 1991'."""
    for sentence in document.sentences:
        if re.search(r"\bindependence\b", sentence.text, re.IGNORECASE):
            days = [d for d in find_dates(sentence.text, document.published_on) if d.date and d.precision == "day"]
            if days:
                document.events.setdefault("independence", days[-1].date)
        if RELATIONS.search(sentence.text):
            days = [d for d in find_dates(sentence.text, document.published_on) if d.date]
            if days:
                document.events.setdefault("relations", days[0].date)


def travel_title(text):
    """'Kazakhstan extended the visa-free stay for Turkish citizens from 30 to 90 days' gives 'Visa-free stay for
    Turkish citizens extended from 30 to 90 days'."""
    match = re.search(
        r"\b(extended|introduced|abolished|lifted|launched|waived|resumed)\s+(?:the\s+)?(.+?)(\s+from\s+.+?\s+to\s+[^,.;]+)?"
        r"(?:[,.;]|$)",
        text,
    )
    if match:
        what = f"{match.group(2)[:1].upper()}{match.group(2)[1:]}"
        return f"{what} {match.group(1)}{match.group(3) or ''}"[:300]
    return "Travel and visas"


def milestone(document, sentence, kind, title, dates, year_only=False, anniversary=None):
    flags = []
    stated = dates[0] if dates else None
    if stated:
        date, precision = stated.date, stated.precision
        if year_only:
            date, precision = date.replace(month=1, day=1), "year"
        sort_year = None
        year = date.year
    else:
        date, precision = None, "day"
        sort_year = year = document.published_on.year if document.published_on else None
        flags.append(DATE_NOT_GIVEN)
    slug = slugify_name(f"{year or ''} {title}")[:120]
    return document.row(
        "milestones",
        [sentence],
        flags,
        slug=slug,
        relationship=document.relationship,
        date=date,
        date_precision=precision,
        sort_year=sort_year,
        date_wording=stated.words if stated and stated.relative else "",
        planned=False,
        title=title[:300],
        kind=kind,
        anniversary=anniversary,
        publication_status=DRAFT,
    )


def levels(document, sentence, dates):
    """'elevated to a “strategic partnership” with a 2009 agreement and further upgraded to an “enhanced strategic
    partnership” in 2022': a level each, dated by the year nearest after its name (before it when none is)."""
    text = sentence.text
    if not UPGRADE.search(text):
        return
    found = document.of(sentence, "level")
    if not found:
        return
    seen = set()
    for index, mention in enumerate(found):
        limit = found[index + 1].start if index + 1 < len(found) else len(text)
        after = [d for d in dates if mention.end <= d.start < limit]
        # "In 2022, the relations were elevated to …": a year before the only level named.
        after = after or ([d for d in dates if d.start < mention.start][-1:] if len(found) == 1 else [])
        if not after or mention.key in seen:
            continue
        seen.add(mention.key)
        stated = after[0]
        level = mention.text.strip('“”"').lower()
        level = document.names.entity(mention).key if document.names.entity(mention) else level
        document.row(
            "relationship-levels",
            [sentence],
            relationship=document.relationship,
            level=level,
            since=stated.date,
            since_precision=stated.precision,
            publication_status=DRAFT,
        )
        verb = last_verb(text[: mention.start])
        article = "an" if level[:1] in "aeiou" else "a"
        milestone(document, sentence, "partnership", f"Relations {verb} to {article} {level}", [stated])


def last_verb(text):
    verbs = UPGRADE.findall(text)
    return verbs[-1].lower() if verbs else "raised"


def stated_anniversary(document, sentence, count, dates):
    """An anniversary the text states is a milestone only when the site cannot compute it: no date of
    establishment is known (stored or in the article), or the count disagrees with it."""
    from ... import models as records

    established = document.events.get("relations")
    if established is None and document.relationship:
        stored = records.Relationship.objects.filter(slug=document.relationship).first()
        established = stored.established_on if stored else None
    published = document.published_on
    if established and published and published.year - established.year == count:
        return
    milestone(
        document,
        sentence,
        "anniversary",
        f"{ordinal(count)} anniversary of diplomatic relations",
        dates[:1],
        anniversary=count,
    )
