"""The site's own names, found in a text: a gazetteer read from the database.

Every name a record is known by — its current name, former names, names in other languages (CLDR's, through
Babel), acronyms, a person's surname — is folded (accents and case aside, `relations.text.fold`) and compiled
into one regular expression, longest name first, so "Türkiye-Kazakhstan High-Level Strategic Cooperation Council"
is one council and not two countries. Acronyms ("OTS", "UN") are matched as written, in capitals only, so the
word "un" is not the United Nations.
"""

import re
from dataclasses import dataclass, field, replace

from babel import Locale

from .. import models as records
from ..text import country_names, fold, slugify_name

# Typographic letters read as their plain forms, one character for one, so offsets stay those of the text.
PLAIN = str.maketrans({"’": "'", "‘": "'", "‛": "'", "–": "-", "—": "-", "‑": "-", "“": '"', "”": '"', "\u00a0": " "})

# CLDR's territories that are not countries ("United Nations" is an organization).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"}

# Levels of a relationship named even before the site stores one of them.
KNOWN_LEVELS = (
    "strategic partnership",
    "enhanced strategic partnership",
    "comprehensive strategic partnership",
    "expanded strategic partnership",
    "strategic alliance",
    "allied relations",
    "alliance",
    "strategic cooperation",
    "comprehensive partnership",
)


@dataclass(frozen=True)
class Mention:
    """A name found in the text: where, what kind of record, and the record's natural key."""

    start: int
    end: int
    kind: str  # country, adjective, place, person, organization, council, topic, level
    key: str
    text: str
    known: bool = True  # False: a country CLDR knows and the site does not (yet)
    # Every record the same words name ("strategic partnership": a topic and a level), as (kind, key).
    alternatives: tuple = ()


@dataclass
class Entity:
    kind: str
    key: str
    name: str
    country: str = ""  # a place's or a person's country, by code
    extra: dict = field(default_factory=dict)


def folded_with_offsets(text):
    """`text` folded (accents and case aside), and for each folded character the offset of the character of
    `text` it came from: 'İstanbul' folds to 'istanbul', a match in the one maps back to the other."""
    chars, offsets = [], []
    for position, char in enumerate(text.translate(PLAIN)):
        for folded in fold(char):
            chars.append(folded)
            offsets.append(position)
    return "".join(chars), offsets


class Gazetteer:
    """Names of the countries, places, people, organizations, councils, topics and levels the site knows."""

    def __init__(self):
        self.entities = {}  # (kind, key) -> Entity
        self.patterns = {}
        self.names = {}  # folded name -> [(kind, key), …]: a name may be a topic and a level
        self.acronyms = {}  # acronym as written -> (kind, key)
        self.load()
        self.compile()

    # Reading the database -------------------------------------------------------------------------------------

    def add(self, entity, *names):
        self.entities[(entity.kind, entity.key)] = entity
        for name in names:
            folded = " ".join(fold((name or "").translate(PLAIN)).split())
            # A name of one or two letters is an acronym or noise; never a name on its own.
            named = self.names.setdefault(folded, []) if len(folded) > 2 else []
            if len(folded) > 2 and (entity.kind, entity.key) not in named:
                named.append((entity.kind, entity.key))

    def add_acronym(self, entity, acronym):
        if acronym and len(acronym) >= 2:
            self.acronyms.setdefault(acronym, (entity.kind, entity.key))
            self.acronyms.setdefault(fold(acronym).upper(), (entity.kind, entity.key))

    def load(self):
        for country in records.Country.objects.all():
            entity = Entity("country", country.code, country.name, country.code, {"slug": country.slug})
            self.add(entity, country.name, country.official_name, *country_names(country.code))
            if country.adjective:
                adjective = Entity("adjective", country.code, country.adjective, country.code)
                self.add(adjective, country.adjective)
        for place in records.Place.objects.select_related("country").prefetch_related("former_names"):
            entity = Entity("place", place.slug, place.name, place.country.code, {"capital": place.is_capital})
            self.add(entity, place.name, *(former.name for former in place.former_names.all()))
        for person in records.Person.objects.select_related("country"):
            entity = Entity("person", person.slug, person.name, person.country.code, {"role": person.role})
            parts = person.name.split()
            self.add(entity, person.name, f"{parts[0]} {parts[-1]}" if len(parts) > 2 else "")
            self.surnames.setdefault(fold(parts[-1]), []).append(person.slug)
        for organization in records.Organization.objects.prefetch_related("former_names"):
            entity = Entity("organization", organization.slug, organization.name)
            self.add(entity, organization.name, *(former.name for former in organization.former_names.all()))
            self.add_acronym(entity, organization.acronym)
        for council in records.Council.objects.prefetch_related("members"):
            members = sorted(member.code for member in council.members.all())
            entity = Entity("council", council.slug, council.name, extra={"members": members})
            self.add(entity, council.name)
            self.add_acronym(entity, council.short_name)
        for topic in records.Topic.objects.all():
            entity = Entity("topic", topic.slug, topic.name)
            self.add(entity, *topic_names(topic.name))
        levels = {*KNOWN_LEVELS, *records.RelationshipLevel.objects.values_list("level", flat=True)}
        for level in levels:
            self.add(Entity("level", level, level), level)
        self.relationships = {
            frozenset((relationship.country_a.code, relationship.country_b.code)): relationship.slug
            for relationship in records.Relationship.objects.select_related("country_a", "country_b")
        }
        self.indicators = list(records.Indicator.objects.all())
        # Every other country CLDR knows, by its English name: named in a text, it is proposed as a new country.
        for code, name in Locale.parse("en").territories.items():
            if (
                len(code) == 2
                and code.isalpha()
                and code not in NOT_COUNTRIES
                and ("country", code) not in self.entities
            ):
                entity = Entity("country", code, name, code, {"unknown": True})
                if fold(name) not in self.names:
                    self.add(entity, name)

    @property
    def surnames(self):
        if not hasattr(self, "_surnames"):
            self._surnames = {}
        return self._surnames

    def compile(self):
        # A surname alone names a person only when one person of the site bears it.
        for surname, slugs in self.surnames.items():
            if len(slugs) == 1 and surname not in self.names:
                self.names[surname] = [("person", slugs[0])]
        names = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?:'s)?(?!\w)")
        acronyms = sorted(self.acronyms, key=len, reverse=True)
        self.acronym_pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in acronyms) + r")(?!\w)")
            if acronyms
            else None
        )

    # Finding names ---------------------------------------------------------------------------------------------

    def pattern_of(self, kinds):
        """The expression of the names of records of `kinds` only (None: every name)."""
        if kinds is None:
            return self.pattern
        if kinds not in self.patterns:
            names = sorted(
                (name for name, named in self.names.items() if any(kind in kinds for kind, _ in named)),
                key=len,
                reverse=True,
            )
            body = "|".join(re.escape(name) for name in names) or "(?!)"
            self.patterns[kinds] = re.compile(r"(?<!\w)(?:" + body + r")(?:'s)?(?!\w)")
        return self.patterns[kinds]

    def find(self, text, kinds=None):
        """Every name of the gazetteer in `text` (of records of `kinds`, a tuple), in order, none inside another."""
        folded, offsets = folded_with_offsets(text)
        found = []
        for match in self.pattern_of(kinds).finditer(folded):
            name = match.group()
            name = name[:-2] if name.endswith("'s") and name not in self.names else name
            (kind, key), *others = self.names[name]
            start, end = offsets[match.start()], offsets[match.start() + len(name) - 1] + 1
            entity = self.entities[(kind, key)]
            known = not entity.extra.get("unknown")
            found.append(Mention(start, end, kind, key, text[start:end], known, ((kind, key), *others)))
        if self.acronym_pattern and kinds is None:
            for match in self.acronym_pattern.finditer(text):
                kind, key = self.acronyms[match.group()]
                found.append(Mention(match.start(), match.end(), kind, key, match.group(), True, ((kind, key),)))
        found.sort(key=lambda mention: (mention.start, -(mention.end - mention.start)))
        kept = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept

    def find_kinds(self, text, *kinds):
        """The names of `text` that name records of `kinds`, each as the record of that kind."""
        return [found for mention in self.find(text, kinds) if (found := as_kind(mention, kinds))]

    def entity(self, mention_or_kind, key=None):
        if key is None:
            return self.entities[(mention_or_kind.kind, mention_or_kind.key)]
        return self.entities.get((mention_or_kind, key))

    def country_of(self, mention):
        """The country code a mention of a country, its adjective, a place or a person stands for."""
        entity = self.entity(mention)
        return entity.country or (entity.key if entity.kind in ("country", "adjective") else "")

    def relationship_slug(self, first, second):
        return self.relationships.get(frozenset((first, second)))

    def country_slug(self, code):
        entity = self.entities.get(("country", code))
        return (entity.extra.get("slug") if entity else None) or slugify_name(entity.name if entity else code)


def topic_names(name):
    """What a topic may be called in a text: 'Transport / Middle Corridor' is 'transport' and 'middle corridor';
    'Culture' is 'cultural' too, 'Education' 'educational', 'Defense industry' 'defence industry'."""
    names = []
    for part in re.split(r"\s*/\s*", name):
        names.append(part)
        words = part.split()
        last = words[-1]
        stem = last[:-1] if last.endswith("e") else last
        for ending in ("al", "s"):
            names.append(" ".join([*words[:-1], stem + ending if ending == "al" else last + ending]))
        names.append(part.replace("defense", "defence").replace("Defense", "Defence"))
    return names


def as_kind(mention, kinds):
    """The mention as a name of a record of one of `kinds` (a topic's words as a level), or None."""
    for kind, key in mention.alternatives or ((mention.kind, mention.key),):
        if kind in kinds:
            return replace(mention, kind=kind, key=key)
    return None
