"""Figures: observed values, targets, changes and ranks.

Each amount of a clause is given the indicator whose name the clause names (words compared by their first five
letters, so 'investors' names 'Investment'), its description breaking ties ('qualified for … Scholarships' is
the scholarships, not the students); an amount no indicator is named beside is left for the editor (a note),
never guessed. The period is the clause's ('In 2024', 'between January and May', 'currently', 'in the same
period'), else the sentence's; a figure with none has the period 'not stated' and a flag. The direction of an
indicator that has one: 'from X to Y', else the country whose adjective qualifies the counted ('Kazakh
students'), else the clause's subject; the other country of the pair is the destination.
"""

import datetime
import re

from ...text import slugify_name
from ..amounts import ORDINAL, find_amounts, ordinal_value, plain
from ..when import Period, find_dates, find_periods

STOP = {"of", "the", "one", "country", "other", "in", "into", "from", "to", "and", "between", "two", "with", "for", "a"}
# A target: a word of intent before the amount, in its clause ("aim to bring trade to $10 billion by 2030").
TARGET = re.compile(
    r"\b(?:targets?|targeted|goal|aims?|aimed|aiming|plans?|planned|intends?|seeks?|agreed|pledged|want|wants|strive|"
    r"instructed|tasked)\b"
    r"[^.;]{0,80}$",
    re.IGNORECASE,
)
# Counts that are not figures of an indicator: "the two countries", "from 30 to 90 days".
NOT_A_FIGURE = re.compile(
    r"^\s*(?:(?:to|-|–|and)\s*[\d,.]+\s*)?(?:days?|weeks?|months?|years?|hours?|countries|nations|sides|peoples|states|"
    r"leaders|delegations|presidents|ministers|times? (?:a|per) year)\b",
    re.IGNORECASE,
)
HORIZON = re.compile(
    r"\b(?:by|until|before) (?:the end of )?(?P<y>(?:19|20)\d\d)\b|\bin the (?:coming|next few) years\b|"
    r"\bin the (?:medium|short|long) term\b|\bin the near future\b",
    re.IGNORECASE,
)
CHANGE = re.compile(
    r"\b(?P<down>fell|dropped|declined|decreased|down|contracted|shrank)\b|"
    r"\b(?P<up>rose|grew|increased|climbed|jumped|up|surged|expanded|growth|increase)\b",
    re.IGNORECASE,
)
BASE = re.compile(
    r"\b(?:on|from|over|compared (?:with|to)|against|than in|relative to)\s+(?:the\s+)?"
    r"(?:same period of\s+|level of\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b|\b(?P<yoy>year[- ]on[- ]year|year[- ]over[- ]year|annually)\b",
    re.IGNORECASE,
)
RANK = re.compile(
    r"\b(?:ranks?|ranked|is|was|remains|became|placed)\s+(?:the\s+)?(?P<ordinal>\w+)\s+"
    r"(?P<wording>(?:among|(?:largest|biggest|leading|top|most important)\b)[^,.;]*?)(?=[,.;]|$)",
    re.IGNORECASE,
)
DIRECTION = re.compile(r"\bfrom (?P<a>[\w'’ -]+?) to (?P<b>[\w'’ -]+?)\b", re.IGNORECASE)
UNSTATED = "Period not given in the text: the figure is kept with the period “not stated”."


def stem(word):
    return word.lower()[:5]


def words(text):
    return [stem(word) for word in re.findall(r"[^\W\d_]+", text) if word.lower() not in STOP and len(word) > 2]


def is_currency(unit):
    return len(unit) == 3 and unit.isupper()


def fitting(document, amount, text):
    """The indicators an amount may be a figure of: an amount of money only those counted in a currency, a count
    only those counted in things; and a count followed by a plural noun no indicator names ('14 agreements',
    '18 documents') none."""
    if amount.currency in ("%", "times"):
        return document.names.indicators
    if amount.currency:
        return [indicator for indicator in document.names.indicators if is_currency(indicator.unit)]
    counted = [indicator for indicator in document.names.indicators if not is_currency(indicator.unit)]
    following = re.match(r"\s+([^\W\d_]+)", text[amount.end :])
    if following and following.group(1).endswith("s") and len(following.group(1)) > 3:
        noun = stem(following.group(1))
        return [i for i in counted if noun in set(words(i.name)) | set(words(i.unit))]
    return counted


def indicator_for(document, clause, indicators=None):
    """The indicator named by a clause: its name's words count three, its description's one."""
    said = set(words(clause))
    best, best_score = None, 0
    for indicator in document.names.indicators if indicators is None else indicators:
        name = set(words(indicator.name)) | set(words(indicator.unit))
        named = len(name & said)
        if not named:
            continue
        score = 3 * named / len(name) + len(set(words(indicator.description)) & said) * 0.5
        if score > best_score:
            best, best_score = indicator, score
    return best


def clause_of(sentence, position):
    for start, end in sentence.clauses():
        if start <= position < end:
            return start, end
    return 0, len(sentence.text)


def extract(document):
    previous = None
    for sentence in document.sentences:
        text = sentence.text
        dates = find_dates(text, document.published_on)
        excluded = [(stated.start, stated.end) for stated in dates]
        excluded += [(m.start(), m.end()) for m in ORDINAL.finditer(text)]
        excluded += [(m.start(), m.end()) for m in re.finditer(r"\b(?:19|20)\d\d\s?[-–/]\s?(?:(?:19|20)?\d\d)\b", text)]
        amounts = find_amounts(text, excluded)
        used = set()
        for index, amount in enumerate(amounts):
            if index in used:
                continue
            # "$5 billion (TL 202.86 billion)": the second is the first's equivalent.
            equivalent = None
            if index + 1 < len(amounts):
                following = amounts[index + 1]
                between = text[amount.end : following.start]
                if re.fullmatch(r"\s*\(\s*", between) and following.currency and following.currency != amount.currency:
                    equivalent = following
                    used.add(index + 1)
            if amount.is_count and NOT_A_FIGURE.match(text[amount.end :]):
                continue
            start, end = clause_of(sentence, amount.start)
            clause = text[start:end]
            fits = fitting(document, amount, text)
            indicator = indicator_for(document, clause, fits) or indicator_for(document, text, fits)
            if indicator is None:
                document.note(sentence, f"“{amount.text}”: no indicator of the site is named beside it.")
                continue
            row = figure(document, sentence, clause, start, amount, equivalent, indicator, previous)
            if row is not None and row.values["Kind"] == "figure":
                previous = row.period
        ranks(document, sentence)


def figure(document, sentence, clause, clause_start, amount, equivalent, indicator, previous):
    text = sentence.text
    kind = "figure"
    value = amount.value
    unit = amount.currency or indicator.unit
    base_year = None
    horizon_words = ""
    before = clause[: amount.start - clause_start]
    if amount.currency in ("%", "times"):
        change = CHANGE.search(clause)
        if not change:
            return None
        kind = "change"
        if change.group("down") and amount.currency == "%":
            value = -value
        base = BASE.search(clause)
        if base and base.group("y"):
            base_year = int(base.group("y"))
    elif TARGET.search(before):
        kind = "target"
    periods = find_periods(clause, document.published_on, document.events, previous) or find_periods(
        text, document.published_on, document.events, previous
    )
    flags = []
    stated_on = None
    if kind == "target":
        stated_on = document.published_on
        horizon = HORIZON.search(clause)
        horizon_words = horizon.group() if horizon else ""
        if horizon and horizon.group("y"):
            year = int(horizon.group("y"))
            period = ("year", f"{year}-01-01", f"{year}-12-31")
        else:
            period = ("unstated", "", "")
    elif periods:
        chosen = periods[0]
        if kind == "change" and base_year and chosen.start and chosen.start.year == base_year and len(periods) > 1:
            chosen = periods[1]
        period = (chosen.kind, chosen.start.isoformat(), chosen.end.isoformat())
        if kind == "change" and base_year is None and BASE.search(clause) and chosen.start:
            base_year = chosen.start.year - 1
    else:
        period = ("unstated", "", "")
        flags.append(UNSTATED)
    source = document.source
    according = re.search(
        r"(?i:\baccording to )(?:the )?((?:[A-Z][\w'’-]*|of|and|for|the)(?:\s+(?:[A-Z][\w'’-]*|of|and|for|the))*)", text
    )
    if according:
        source = reported_source(document, sentence, according.group(1).strip())
    origin, destination = direction(document, sentence, clause, clause_start, indicator)
    row = document.row(
        "statistics",
        [sentence],
        flags,
        indicator=indicator.slug,
        relationship=document.relationship,
        kind=kind,
        period_kind=period[0],
        period_start=period[1],
        period_end=period[2],
        from_country=origin,
        to_country=destination,
        stated_on=stated_on,
        stated_on_precision="day",
        horizon_wording=horizon_words,
        base_year=base_year,
        qualifier=amount.qualifier,
        value=plain(value),
        unit="" if kind == "rank" else unit,
        equivalent_value=plain(equivalent.value) if equivalent else "",
        equivalent_unit=equivalent.currency if equivalent else "",
        is_preferred=kind == "figure",
        source=source,
    )
    row.period = Period(period[0], *(datetime.date.fromisoformat(day) if day else None for day in period[1:]))
    return row


def reported_source(document, sentence, publisher):
    """A source the article reports ('according to the Kazakh Ministry of Trade and Integration'): a source of its
    own, reported in the article."""
    publisher = re.sub(r"^(?:the)\s+", "", publisher)
    slug = slugify_name(publisher)[:100]
    title = f"{publisher}, as reported in {document.source_row.get('Title') or document.source}"
    document.propose(
        "sources",
        slug,
        sentence,
        slug=slug,
        title=title[:300],
        publisher=publisher,
        published_on_precision="day",
        reported_in=document.source,
    )
    return slug


def direction(document, sentence, clause, clause_start, indicator):
    """(from, to) of a figure of an indicator that has a direction, by country code."""
    if not indicator.has_direction:
        return "", ""
    mentions = [
        m for m in document.of(sentence, "country", "adjective") if clause_start <= m.start < clause_start + len(clause)
    ]
    if not mentions:
        mentions = document.of(sentence, "country", "adjective")
    explicit = DIRECTION.search(clause)
    if explicit:
        a = [
            m
            for m in mentions
            if m.start - clause_start >= explicit.start("a") and m.end - clause_start <= explicit.end("a")
        ]
        b = [
            m
            for m in mentions
            if m.start - clause_start >= explicit.start("b") and m.end - clause_start <= explicit.end("b")
        ]
        if a and b:
            return a[0].key, b[0].key
    adjectives = [m for m in mentions if m.kind == "adjective"]
    origin = adjectives[0].key if adjectives else (mentions[0].key if mentions else "")
    if not origin:
        return "", ""
    return origin, document.other(origin)


def ranks(document, sentence):
    """'Türkiye ranks fifth among investors in Kazakhstan': a rank of the indicator named."""
    for match in RANK.finditer(sentence.text):
        value = ordinal_value(match.group("ordinal"))
        if not value:
            continue
        wording = " ".join(match.group("wording").split())
        indicator = indicator_for(document, wording) or indicator_for(document, sentence.text)
        if indicator is None:
            continue
        subject = [m for m in document.of(sentence, "country", "adjective") if m.start < match.start()]
        origin = subject[-1].key if subject and indicator.has_direction else ""
        periods = find_periods(match.group(), document.published_on, document.events)
        period = periods[0] if periods else None
        document.row(
            "statistics",
            [sentence],
            [] if period else [UNSTATED],
            indicator=indicator.slug,
            relationship=document.relationship,
            kind="rank",
            period_kind=period.kind if period else "unstated",
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            from_country=origin,
            to_country=document.other(origin) if origin else "",
            stated_on_precision="day",
            qualifier="exact",
            value=str(value),
            wording=wording[:200],
            is_preferred=False,
        )
