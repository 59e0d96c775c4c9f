"""Visits and other contacts, council meetings with their agendas and outcomes, parts of a visit's programme.

A visit is found where a sentence names a person and a word of visiting ('visiting', 'is on an official visit',
'arrived in', 'paid a visit'); the sentences about the same guest are one visit (its kind from one, its date from
another, its host from a third). A council meeting is an ordinal and a council ('the fifth meeting of the …
Council'); its agenda and outcomes follow it in the text.
"""

import re

from ...text import slugify_name
from ..amounts import ordinal_value, words_to_number
from ..document import DATE_NOT_GIVEN, DRAFT
from ..names import Mention
from ..when import find_dates

VISIT_WORDS = re.compile(
    r"\b(?:visit(?:s|ing|ed)?|arriv(?:ed|es|ing)|welcom(?:ed|es|ing)|host(?:ed|s|ing)|received|"
    r"phone (?:call|conversation|talk)|telephone|spoke by phone|on the sidelines)\b",
    re.IGNORECASE,
)
KINDS = [
    (r"\bstate visit", "state"),
    (r"\bofficial visit", "official"),
    (r"\bworking visit", "working"),
    (r"\bprivate visit", "private"),
    (r"\b(?:phone|telephone) (?:call|conversation|talk)|\bspoke by (?:tele)?phone|\bby telephone\b", "phone-call"),
    (r"\bon the sidelines of\b", "sidelines"),
]
PLANNED = re.compile(
    r"\b(?:will (?:visit|pay|travel|arrive)|is (?:expected|scheduled|set|due) to (?:visit|pay|arrive))"
)
# Before a guest: "visiting Kazakh President X"; after one: "X's visit", "X is on an official visit", "X arrived".
GUEST_BEFORE = re.compile(r"\b(?:visiting|visit of|visit by|welcomed|received|hosted)\b[^.,;]{0,60}$", re.IGNORECASE)
GUEST_AFTER = re.compile(
    r"^(?:'s)?[^.;]{0,40}?\b(?:'s (?:\w+ )?visit|is on (?:a|an|his|her) \w+ visit|(?:paid|pays|made|makes|will pay|"
    r"began|begins|started) (?:a|an|his|her) (?:\w+ )?(?:\w+ )?visit|visited|will visit|arrived|arrives|travell?ed)",
    re.IGNORECASE,
)
HOST_AFTER = re.compile(r"^\s*(?:hosted|welcomed|received|greeted|met)\b", re.IGNORECASE)
HOST_BEFORE = re.compile(r"\b(?:meeting|met|met with|hosted by|received by|talks with)\s+(?:[A-Z]\w+\s){0,3}$")
LEAVING = re.compile(
    r"\b(?:will leave|left|leaves|returned|returns|will return|departed|concluded|ended)\b", re.IGNORECASE
)
INVITED = re.compile(r"at the invitation of\s*$", re.IGNORECASE)
MEETING = re.compile(r"\b(?P<ordinal>\w+) (?:meeting|session)\b", re.IGNORECASE)
CO_CHAIR = re.compile(r"\bco-?chair", re.IGNORECASE)
SCHEDULED = re.compile(r"\b(?:scheduled|will|expected|is to|are to|set to|due to|planned)\b", re.IGNORECASE)
HELD = re.compile(r"\b(?:held|took place|co-?chaired|convened|met)\b", re.IGNORECASE)
AGENDA = re.compile(
    r"\b(?:agenda (?:includes?|included|covers?|covered)|"
    r"discussions? (?:will )?(?:also )?(?:focus(?:ed)?|centred|centered)"
    r" on|(?:sides|parties|leaders|presidents) (?:also )?discussed|talks (?:focused|centred|centered) on|"
    r"(?:also )?(?:discussed|reviewed|considered)|will (?:also )?(?:discuss|review|consider))\b",
    re.IGNORECASE,
)
GERUND_CUT = re.compile(r"(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)(?=[a-z]+ing\b)")
DOCUMENTS = [
    (r"memorand(?:um|a)(?: of understanding)?|\bMoUs?\b", "memorandum"),
    (r"agreements?|treaty|treaties|accords?", "agreement"),
    (r"(?:joint )?declarations?|joint statements?", "declaration"),
    (r"protocols?", "protocol"),
    (r"(?:action )?plans?|road ?maps?|programmes?|programs?", "programme"),
    (r"documents?", "documents"),
]
SIGNING = re.compile(r"\bsign(?:ed|ing|s)?\b", re.IGNORECASE)
NOT_YET_SIGNED = re.compile(r"\b(?:expected|will|to be signed|are to|set to|plan(?:ned)? to|would)\b", re.IGNORECASE)
PROGRAMME = [
    (r"\b(?:held|hold) (?:talks|negotiations)\b", "talks"),
    (r"\bcourtesy call\b", "courtesy-call"),
    (r"\b(?:laid a wreath|attended (?:a|the) (?:ceremony|forum|opening)|wreath-laying|opened the)\b", "ceremony"),
    (r"\b(?:met with|meets with|met|will meet|also met|held a meeting with)\b", "meeting"),
]


TITLED = re.compile(
    r"\b(?P<title>(?:Vice |Deputy )?(?:President|Prime Minister|Foreign Minister|"
    r"Minister of [A-Z]\w+(?: and [A-Z]\w+)?|"
    r"Senate Chairman|Speaker|Ambassador|Chairman))\s+(?P<name>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){1,2})"
)


def people(document, visits_country=""):
    """People named with a title the site does not know ('Vice President Cevdet Yılmaz'): proposed as new people
    of the country their title names ('Kazakh President …', '… of Azerbaijan'), else of the country visited."""
    for sentence in document.sentences:
        known = document.mentions[sentence.index]
        for match in TITLED.finditer(sentence.text):
            start, end = match.span("name")
            if any(m.start < end and start < m.end for m in known):
                continue
            before = [m for m in document.of(sentence, "adjective") if 0 <= match.start() - m.end <= 2]
            after = re.match(r"\s+of\s+", sentence.text[end:])
            of = [m for m in document.of(sentence, "country") if after and m.start == end + after.end()]
            country = (before or of)[0].key if (before or of) else visits_country
            if not country:
                continue
            name = match["name"]
            slug = slugify_name(name)
            country_name = document.names.entity("country", country).name
            document.propose(
                "people",
                slug,
                sentence,
                slug=slug,
                name=name,
                country=document.country(country),
                role=f"{match['title']} of {country_name}",
                in_office_since_precision="year",
                source=document.source,
            )
            known.append(Mention(start, end, "person", slug, name, True, (("person", slug),)))
            known.sort(key=lambda mention: mention.start)


def extract(document):
    visits = find_visits(document)
    if visits:
        countries = [row.values["Destination country"] for row in visits.values() if row.values["Destination country"]]
        people(document, countries[0] if countries else "")
    meetings = find_meetings(document, visits)
    find_programmes(document, visits, meetings)
    return visits, meetings


# Visits ------------------------------------------------------------------------------------------------------------


def persons(document, sentence):
    return document.of(sentence, "person")


def kind_of(text):
    for pattern, kind in KINDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return ""


def guest_in(document, sentence):
    """(guest, host, invited by) of a visit sentence, as person slugs ('' when not said)."""
    text = sentence.text
    guest = host = invited = ""
    for mention in persons(document, sentence):
        before, after = text[: mention.start], text[mention.end :]
        if INVITED.search(before):
            invited = mention.key
        elif not guest and (GUEST_BEFORE.search(before) or GUEST_AFTER.search(after)):
            if GUEST_BEFORE.search(before) and re.search(r"\b(?:welcomed|received|hosted)\b[^.,;]{0,60}$", before):
                guest = mention.key
            else:
                guest = mention.key
        elif not host and (HOST_AFTER.search(after) or (guest and HOST_BEFORE.search(before))):
            host = mention.key
    if not guest and kind_of(text) in ("phone-call", "sidelines"):
        named = list(dict.fromkeys(mention.key for mention in persons(document, sentence)))
        if len(named) >= 2:
            guest, host = named[0], named[1]
    if host == guest:
        host = ""
    return guest, host, invited


def find_visits(document):
    """{guest slug: visit row}: one visit per guest (and kind of contact) in the article."""
    visits = {}
    for sentence in document.sentences:
        text = sentence.text
        leaving(document, sentence, visits)
        if not VISIT_WORDS.search(text):
            continue
        guest, host, invited = guest_in(document, sentence)
        known = [key for key in visits if key[0] in {m.key for m in persons(document, sentence)}]
        if not guest and not known:
            continue
        kind = kind_of(text)
        if not guest:
            key = known[0]
            guest = key[0]
        else:
            key = next((k for k in visits if k[0] == guest and (not kind or k[1] in ("", kind))), (guest, kind))
        visit = visits.setdefault(key, {"guest": guest, "kind": "", "sentences": [], "host": "", "invited": ""})
        visit["sentences"].append(sentence)
        if kind and not visit["kind"]:
            visit["kind"] = kind
        visit["host"] = visit["host"] or host or invited
        visit["invited"] = visit["invited"] or invited
        planned = bool(PLANNED.search(text))
        visit["planned"] = visit.get("planned", planned) and planned
        if "date" not in visit:
            for stated in find_dates(text, document.published_on, ahead=planned):
                if stated.date and stated.precision == "day" or stated.relative:
                    visit.update(date=stated.date, precision=stated.precision, words=stated.words)
                    visit["end"] = stated.end_date
                    break
        if "place" not in visit:
            for mention in document.of(sentence, "place"):
                visit["place"] = mention.key
                visit["place_country"] = document.names.country_of(mention)
                break
        if kind == "sidelines" and "occasion" not in visit:
            occasion = re.search(r"on the sidelines of (?:the )?(.+?)(?: in [A-Z][\w-]+)?(?:[,.;]|$)", text)
            if occasion:
                visit["occasion"] = f"the {occasion.group(1)}"
        if "country" not in visit:
            for mention in document.of(sentence, "country"):
                if re.search(r"\b(?:visit|trip|to|in|arrived in)\s+$", text[: mention.start]):
                    visit["country"] = document.country(mention.key)
                    break
    rows = {}
    for (guest, _), visit in visits.items():
        rows[guest] = visit_row(document, visit)
    return rows


def leaving(document, sentence, visits):
    """'President Aliyev will leave Ankara on Saturday': the end of a guest's visit, and its city."""
    if not LEAVING.search(sentence.text):
        return
    named = {mention.key for mention in persons(document, sentence)}
    for (guest, _), visit in visits.items():
        if guest not in named or visit.get("end"):
            continue
        dates = [d for d in find_dates(sentence.text, document.published_on, ahead=True) if d.precision == "day"]
        if dates and visit.get("date") and dates[0].date >= visit["date"]:
            visit["end"] = dates[0].date
        places = document.of(sentence, "place")
        if places and "place" not in visit and not re.search(r"\breturn", sentence.text, re.IGNORECASE):
            visit["place"] = places[0].key
            visit["place_country"] = document.names.country_of(places[0])


def visit_row(document, visit):
    names = document.names
    guest = visit["guest"]
    host = visit["host"]
    kind = visit["kind"]
    country = visit.get("place_country") or visit.get("country") or ""
    if not country and host and kind not in ("phone-call",):
        country = names.entity("person", host).country if names.entity("person", host) else ""
    flags = []
    date = visit.get("date")
    if date is None:
        flags.append(DATE_NOT_GIVEN)
    surname = slugify_name(names.entity("person", guest).name.split()[-1]) if names.entity("person", guest) else guest
    if kind in ("phone-call", "sidelines"):
        other = names.entity("person", host)
        label = f"{kind}-{slugify_name(other.name.split()[-1])}" if other else kind
    else:
        label = f"{kind + '-' if kind else ''}visit-{names.country_slug(country) if country else ''}".rstrip("-")
    slug = f"{surname}-{label}-{date.isoformat() if date else 'undated'}"
    row = document.row(
        "visits",
        visit["sentences"],
        flags,
        slug=slug,
        guest=guest,
        host=host,
        country=country,
        place=visit.get("place", "") if country == visit.get("place_country") else "",
        start_date=date,
        start_date_precision=visit.get("precision", "day"),
        date_wording=visit.get("words", "") if visit.get("date") and visit.get("words") else "",
        end_date=visit.get("end"),
        kind=kind,
        planned=bool(visit.get("planned")),
        occasion=visit.get("occasion", ""),
        invited_by=visit["invited"],
    )
    row.meta = {"date": date, "country": country, "place": visit.get("place", ""), "guest": guest, "host": host}
    return row


# Councils and their meetings ---------------------------------------------------------------------------------------

COUNCIL_NAME = re.compile(
    r"\b(?:meeting|session) of the ((?:[A-Z][\w'’-]*\s)+?(?:Council|Commission|Committee|Board))\b"
)


def find_meetings(document, visits):
    """Council meetings and, after each, its agenda items and outcomes."""
    meetings = []
    for sentence in document.sentences:
        text = sentence.text
        councils = document.of(sentence, "council")
        council = councils[0].key if councils else ""
        if not council:
            unknown = COUNCIL_NAME.search(text)
            if unknown and MEETING.search(text):
                name = unknown.group(1).strip()
                council = slugify_name(name)
                document.propose(
                    "councils",
                    council,
                    sentence,
                    slug=council,
                    name=name,
                    members=sorted(document.pair),
                    publication_status=DRAFT,
                )
        match = MEETING.search(text)
        number = ordinal_value(match.group("ordinal")) if match else None
        if council and number:
            meetings.append(meeting_row(document, sentence, council, number, visits))
            agenda(document, sentence, meetings[-1])
            continue
        if meetings:
            agenda(document, sentence, meetings[-1])
            outcome(document, sentence, meetings[-1], "outcomes")
        elif visits:
            outcome(document, sentence, next(iter(visits.values())), "visit-outcomes")
    return meetings


def meeting_row(document, sentence, council, number, visits):
    text = sentence.text
    dates = [stated for stated in find_dates(text, document.published_on) if stated.date]
    date = dates[0] if dates else None
    chairs = []
    if CO_CHAIR.search(text):
        chairs = sorted(dict.fromkeys(mention.key for mention in persons(document, sentence)))
    places = document.of(sentence, "place")
    place = places[0].key if places else ""
    during = ""
    for visit in visits.values():
        same_day = date and visit.meta["date"] and visit.meta["date"] <= date.date
        # Co-chaired by the guest and the host, without a date of its own: held during the visit (its date is not
        # invented: it stays empty, flagged).
        chaired = not date and visit.meta["guest"] in chairs
        if same_day or chaired:
            during = visit.values["Slug"]
            place = place or visit.meta["place"]
    status = "scheduled" if SCHEDULED.search(text) else ("held" if HELD.search(text) else "")
    flags = [] if date else [DATE_NOT_GIVEN]
    row = document.row(
        "council-meetings",
        [sentence],
        flags,
        council=council,
        number=number,
        date=date.date if date else None,
        date_precision=date.precision if date else "day",
        date_wording=date.words if date and date.relative else "",
        place=place,
        co_chairs=chairs,
        status=status,
        visit=during,
    )
    row.meta = {"council": council, "number": number, "agenda": 0, "outcomes": 0}
    return row


def agenda(document, sentence, meeting):
    text = sentence.text
    cue = AGENDA.search(text)
    if not cue:
        return
    rest = text[cue.end() :].strip().rstrip(".")
    pieces = [piece.strip() for piece in GERUND_CUT.split(rest) if piece.strip()]
    previous_topic = ""
    for piece in pieces:
        topics = document.names.find_kinds(piece, "topic")
        if len(topics) > 1 or (topics and re.search(r"\bsectors?\b|\bfields?\b|\bareas?\b", piece)):
            verb = piece.split(" in ")[0] if " in " in piece else piece.split()[0]
            for topic in dict.fromkeys(m.key for m in topics):
                name = document.names.entity("topic", topic).name.split(" / ")[-1].lower()
                add_item(document, sentence, meeting, f"{capital(verb)} in {name}", topic)
            previous_topic = topics[-1].key
            continue
        topic = topics[0].key if topics else previous_topic
        add_item(document, sentence, meeting, capital(piece), topic)
        previous_topic = topic


def capital(text):
    return text[:1].upper() + text[1:]


def add_item(document, sentence, meeting, title, topic):
    meeting.meta["agenda"] += 1
    document.row(
        "agenda-items",
        [sentence],
        council=meeting.meta["council"],
        meeting=meeting.meta["number"],
        position=meeting.meta["agenda"],
        title=title[:300],
        topic=topic,
    )


COUNT = (
    r"(?P<count>\d+|numerous|several|"
    + "|".join(
        (
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "fifteen",
            "twenty",
        )
    )
    + r")"
)
DECISION = re.compile(r"\b(?:decided|agreed) to (?P<what>[^.;]+)", re.IGNORECASE)


def outcome(document, sentence, parent, record_type):
    text = sentence.text
    decision = DECISION.search(text)
    if decision:
        add_outcome(document, sentence, parent, record_type, f"To {decision['what']}", "decision", False, None)
    if not SIGNING.search(text):
        return
    signing = SIGNING.search(text).start()
    match, kind = None, ""
    for pattern, document_kind in DOCUMENTS:
        expression = re.compile(rf"(?:{COUNT} )?(?:\w+ )?(?:{pattern})", re.IGNORECASE)
        match = expression.search(text[signing:]) or expression.search(text)
        if match:
            kind = document_kind
            break
    if not match:
        return
    count_word = (match.group("count") or "").lower()
    count = int(count_word) if count_word.isdigit() else words_to_number(count_word) if count_word else None
    title_match = re.search(
        rf"((?:\d+|\w+ )?(?:\w+ )?(?:{dict(DOCUMENTS_BY_KIND)[kind]})[^.;]*)", text[match.start() :], re.IGNORECASE
    )
    title = capital(re.sub(r"^(?:of|the|a|an)\s+", "", title_match.group(1).strip())) if title_match else kind
    signed = not NOT_YET_SIGNED.search(text)
    add_outcome(document, sentence, parent, record_type, title, kind, signed, count)


def add_outcome(document, sentence, parent, record_type, title, kind, signed, count):
    parent.meta.setdefault("outcomes", 0)
    parent.meta["outcomes"] += 1
    key = (
        {"council": parent.meta["council"], "meeting": parent.meta["number"]}
        if record_type == "outcomes"
        else {"visit": parent.values["Slug"]}
    )
    document.row(
        record_type,
        [sentence],
        position=parent.meta["outcomes"],
        title=title[:300],
        kind=kind,
        signed=signed,
        count=count,
        source="",
        quote="",
        **key,
    )


DOCUMENTS_BY_KIND = [(kind, pattern) for pattern, kind in DOCUMENTS]


# A visit's programme ---------------------------------------------------------------------------------------------


def find_programmes(document, visits, meetings):
    """Parts of a visit's programme: the guest meeting someone else, talks, a courtesy call, a ceremony."""
    for guest, visit in visits.items():
        position = 0
        for sentence in document.sentences:
            mentioned = [mention.key for mention in persons(document, sentence)]
            if guest not in mentioned:
                continue
            kind = next((kind for pattern, kind in PROGRAMME if re.search(pattern, sentence.text, re.IGNORECASE)), None)
            if kind is None:
                continue
            others = [key for key in dict.fromkeys(mentioned) if key != guest]
            if kind == "meeting" and not others:
                continue
            if visit.values["Kind"] in ("phone-call", "sidelines") or CO_CHAIR.search(sentence.text):
                continue
            dates = [stated for stated in find_dates(sentence.text, document.published_on) if stated.date]
            places = document.of(sentence, "place")
            position += 1
            document.row(
                "visit-programmes",
                [sentence],
                [] if dates else [DATE_NOT_GIVEN],
                visit=visit.values["Slug"],
                position=position,
                kind=kind,
                title=capital(sentence.text.rstrip("."))[:300],
                people=sorted(others),
                place=places[0].key if places else "",
                date=dates[0].date if dates else None,
                date_precision=dates[0].precision if dates else "day",
                date_wording=dates[0].words if dates and dates[0].relative else "",
                source="",
                quote="",
            )
