"""One search over all public records, accent- and case-insensitive in the same way on every database.

Each searchable record keeps its names folded to plain lower-case letters
(`search_text`, see relations.text.fold); the query is folded the same way, so
"turksoy" finds TÜRKSOY, "erdogan" finds Erdoğan and "Nur-Sultan" finds Astana.

A query is read before it is searched (`understand`): a word no record holds is taken for a typo of the
nearest word of the names of countries, relationships, places and people ("kazakstan": Kazakhstan; a
trigram index narrows the candidates on PostgreSQL, the whole vocabulary is compared on SQLite); a word or
words naming a country by any of its names ("turkey", "Казахстан") stand for all of them; two countries
named are their relationship, listed first, with its visits, meetings, missions and figures.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, Value
from django.db.models.signals import post_delete
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import models as records
from .registry import RECORD_TYPES, SEARCHED
from .text import country_names, fold

MAX_QUERY_LENGTH = 200
RESULTS_PER_GROUP = 20
# Words of a query beyond these are not searched: each costs a few queries.
MAX_WORDS = 8
# A word shorter than this is never taken for a typo ("of", "tr").
SHORTEST_CORRECTED = 4
# How close a typo is to the word it is taken for (difflib's ratio: "kazakstan"/"kazakhstan" is 0.95).
CLOSENESS = 0.8
# How close a record's names must be, by pg_trgm word similarity, for their words to be compared.
TRIGRAM_CLOSENESS = 0.4
SNIPPET_LENGTH = 160
WORD = re.compile(r"[^\W_]+")
# Whose names make the vocabulary typos are corrected to: no drafts among them, so none leaks.
VOCABULARY = (records.Country, records.Relationship, records.Place, records.Person)
# A dated record's date at its precision, by its own display method.
DATE_DISPLAY = {
    records.Relationship: "established_display",
    records.Visit: "dates_display",
    records.CouncilMeeting: "date_display",
    records.Council: "established_display",
    records.Mission: "opened_display",
    records.Milestone: "date_display",
    records.Statistic: "timing_display",
}
# The pair's figures, a group of their own after its meetings (search_position 3).
FIGURES_GROUP, FIGURES_POSITION = _("Figures"), 3.5


@dataclass(frozen=True)
class Query:
    """What a query asks for: its words as searched (typos corrected), each country it names with the folded
    names it goes by, the relationship of the two countries it names, and the corrections made."""

    words: tuple = ()
    countries: tuple = ()
    pair: object = None
    corrections: tuple = ()
    # {country id: its folded names}, and the words that name no country.
    country_words: dict = field(default_factory=dict)
    rest: tuple = ()

    @property
    def suggestion(self):
        """'kazakhstan turkiye' for 'kazakstan turkiye': the query with its typos corrected, or ''."""
        return " ".join(self.words) if self.corrections else ""

    @property
    def marked_words(self):
        """The words a result's snippet marks: the query's, and every name of a country it names."""
        names = [name for country in self.countries for name in self.country_words[country.pk]]
        return sorted({*self.words, *names}, key=len, reverse=True)


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it: its title and address, its type, its date at its precision, and a
    snippet of its text with the words searched marked (escaped, then marked: safe to show)."""

    record: object
    title: str
    url: str
    kind: str
    date: str
    snippet: str


@dataclass(frozen=True)
class Group:
    label: str
    hits: list
    more: bool


@dataclass(frozen=True)
class Results:
    query: Query
    groups: list

    @property
    def total(self):
        return sum(len(group.hits) for group in self.groups)


def query_words(query):
    """The folded words of a query, each once, punctuation aside: '“Nur-Sultan”!' gives ['nur', 'sultan']."""
    return list(dict.fromkeys(WORD.findall(fold(query))))[:MAX_WORDS]


def understand(query):
    """The Query that `query` (the reader's words) asks for."""
    words = query_words(query)
    if not words:
        return Query()
    names = country_name_index()
    corrections = []
    for position, word in enumerate(words):
        if len(word) >= SHORTEST_CORRECTED and not names.get((word,)) and not is_known(word):
            meant = closest_known_word(word)
            if meant:
                corrections.append((word, meant))
                words[position] = meant
    countries, rest = named_countries(words, names)
    pair = None
    if len(countries) == 2:
        pair = (
            public_of(records.Relationship)
            .filter(
                Q(country_a=countries[0], country_b=countries[1]) | Q(country_a=countries[1], country_b=countries[0])
            )
            .first()
        )
    return Query(
        words=tuple(words),
        countries=tuple(countries),
        pair=pair,
        corrections=tuple(corrections),
        country_words={country.pk: folded_country_names(country) for country in countries},
        rest=tuple(rest),
    )


def folded_country_names(country):
    names = [country.name, country.official_name, *country_names(country.code)]
    return sorted({" ".join(WORD.findall(fold(name))) for name in names if name} - {""})


def country_name_index():
    """{folded words of a name: country} for every name of every country ('turkey',) → Türkiye."""
    index = {}
    for country in records.Country.objects.all():
        for name in folded_country_names(country):
            index.setdefault(tuple(name.split()), country)
    return index


def named_countries(words, names):
    """The countries that runs of `words` name (longest names first), and the words left over."""
    longest = max((len(name) for name in names), default=0)
    countries, rest, position = [], [], 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            country = names.get(tuple(words[position : position + length]))
            if country:
                if country not in countries:
                    countries.append(country)
                position += length
                break
        else:
            rest.append(words[position])
            position += 1
    return countries, rest


def is_known(word):
    """Whether any public record holds `word` (the names first: they answer most)."""
    searched = sorted(SEARCHED, key=lambda record_type: record_type.model not in VOCABULARY)
    return any(record_type.public().filter(search_text__contains=word).exists() for record_type in searched)


def closest_known_word(word):
    """The word of the names of countries, relationships, places and people that `word` is a typo of, or None.
    Of equally close words, the one in most names ("kazakhstan" before the Turkish "kazakistan")."""
    counts = Counter(
        candidate
        for text in vocabulary_texts(word)
        for candidate in WORD.findall(text)
        if len(candidate) >= SHORTEST_CORRECTED and not candidate.isdigit()
    )
    matcher = difflib.SequenceMatcher(b=word)
    scored = []
    for candidate, count in counts.items():
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= CLOSENESS and matcher.quick_ratio() >= CLOSENESS:
            ratio = matcher.ratio()
            if ratio >= CLOSENESS:
                scored.append((round(ratio, 2), count, candidate))
    return max(scored)[2] if scored else None


def vocabulary_texts(word):
    """The search texts whose words a typo is compared with: on PostgreSQL only those close to it by
    pg_trgm's word similarity; elsewhere all of them."""
    texts = []
    for model in VOCABULARY:
        names = public_of(model).order_by()
        if connection.vendor == "postgresql":
            names = names.annotate(closeness=TrigramWordSimilarity(Value(word), "search_text")).filter(
                closeness__gte=TRIGRAM_CLOSENESS
            )
        texts.extend(names.values_list("search_text", flat=True))
    return texts


def public_of(model):
    """A model's records as readers see them (its record type's `public`)."""
    return next(record_type for record_type in RECORD_TYPES if record_type.model is model).public()


def searched_records(record_type):
    """What the public may find of a record type, with what its results name and their snippets show."""
    return record_type.public().select_related(*record_type.named_with).prefetch_related(*record_type.indexed_with_many)


def text_condition(understood):
    """Records holding every word of the query; a country named stands for its name as other records hold it
    (its short or official name), its own record holding all its names."""
    condition = rest_condition(understood)
    for country in understood.countries:
        named = Q()
        for name in {fold(country.name), fold(country.official_name)} - {""}:
            named |= Q(search_text__contains=name)
        condition &= named
    return condition


def rest_condition(understood, field_name="search_text"):
    condition = Q()
    for word in understood.rest:
        condition &= Q(**{f"{field_name}__contains": word})
    return condition


def matching(record_type, understood):
    """A record type's records the query finds, as querysets listed one after the other: the records of the
    pair it names first, then those holding its words; for relationships, those of every country it names."""
    model = record_type.model
    found = text_condition(understood)
    if model is records.Relationship and understood.countries:
        of_countries = Q()
        for country in understood.countries:
            of_countries &= Q(country_a=country) | Q(country_b=country)
        found |= of_countries & rest_condition(understood)
    elif understood.pair and hasattr(model, "pair_condition"):
        # Two queries, not one ordered by "of the pair": each reads its own rows, none sorts all of them.
        pair = understood.pair
        of_pair = model.pair_condition(pair.country_a_id, pair.country_b_id) & rest_condition(understood)
        return [
            searched_records(record_type).filter(of_pair),
            searched_records(record_type).filter(found).exclude(of_pair),
        ]
    return [searched_records(record_type).filter(found)]


def pair_figures(understood):
    """The preferred published figures of the pair the query names, its other words found in their indicator."""
    return (
        records.Statistic.objects.published()
        .preferred()
        .of_relationship(understood.pair)
        .filter(rest_condition(understood, "indicator__search_text"))
        .select_related("indicator", "from_country", "to_country", "relationship")
    )


def found_groups(understood):
    """[(label, records, more)] of the groups with results, in their order on the page."""
    if not understood.words:
        return []
    queries = [(t.search_position, t.search_group, matching(t, understood)) for t in SEARCHED]
    if understood.pair:
        queries.append((FIGURES_POSITION, FIGURES_GROUP, [pair_figures(understood)]))
    groups = []
    for _position, label, querysets in sorted(queries, key=lambda query: query[0]):
        found = []
        for matches in querysets:
            if len(found) <= RESULTS_PER_GROUP:
                found += matches[: RESULTS_PER_GROUP + 1 - len(found)]
        if found:
            groups.append((str(label), found[:RESULTS_PER_GROUP], len(found) > RESULTS_PER_GROUP))
    return groups


def search(query):
    """Results grouped by record type: [(label, records, more)], only groups with results."""
    return found_groups(understand(query))


def results(query):
    """The search page's results: each group's hits with their type, date and marked snippet."""
    understood = understand(query)
    groups = [
        Group(label, [hit(record, understood) for record in found], more)
        for label, found, more in found_groups(understood)
    ]
    return Results(understood, groups)


def hit(record, understood):
    date = getattr(record, DATE_DISPLAY[type(record)])() if type(record) in DATE_DISPLAY else ""
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    terms = record.search_terms() if hasattr(record, "search_terms") else [str(record)]
    text = " · ".join(dict.fromkeys(str(term) for term in terms if term))
    return Hit(
        record=record,
        title=str(record),
        url=url,
        kind=str(record._meta.verbose_name),
        date=date,
        snippet=snippet(text, understood.marked_words),
    )


def snippet(text, words, length=SNIPPET_LENGTH):
    """Up to `length` characters of `text` around its first match, each match of `words` (folded) in <mark>,
    the rest escaped: "Turkish <mark>embassy</mark> in Astana"."""
    # fold() may change a character's length ("ß": "ss"): fold one character at a time (an ASCII one is only
    # lowered, as fold would), remembering where each folded character came from.
    folded, origin = [], []
    for position, char in enumerate(text):
        for folded_char in char.lower() if char.isascii() else fold(char):
            folded.append(folded_char)
            origin.append(position)
    folded = "".join(folded)
    spans = []
    for word in words:
        for found in re.finditer(re.escape(word), folded):
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            if not any(start < other_end and other_start < end for other_start, other_end in spans):
                spans.append((start, end))
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, min(first - length // 4, len(text) - length))
    finish = min(len(text), begin + length)
    parts = ["…" if begin else ""]
    cursor = begin
    for start, end in spans:
        if start < begin or end > finish:
            continue
        parts += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    parts += [escape(text[cursor:finish]), "…" if finish < len(text) else ""]
    return mark_safe("".join(parts))


def reindex(instance):
    type(instance)._default_manager.filter(pk=instance.pk).update(search_text=instance.folded_search_text())


def reindex_many(record_type, queryset, batch_size=2000):
    """Recompute the search text of the records of `queryset` (of `record_type`), reading what it is made of
    with them and writing it in batches: a renamed country rewrites thousands of visits in a few queries.
    Returns how many."""
    model = record_type.model
    instances = (
        queryset.select_related(*record_type.indexed_with)
        .prefetch_related(*record_type.indexed_with_many)
        .order_by("pk")
    )
    count = 0
    batch = []
    for instance in instances.iterator(chunk_size=batch_size):
        instance.search_text = instance.folded_search_text()
        batch.append(instance)
        if len(batch) == batch_size:
            count += model._default_manager.bulk_update(batch, ["search_text"])
            batch = []
    return count + model._default_manager.bulk_update(batch, ["search_text"])


def index_loaded_record(sender, instance, raw=False, **kwargs):
    # loaddata saves without calling save(): index what it loaded.
    if raw:
        reindex(instance)


@dataclass(frozen=True)
class Dependent:
    """Records of a searched type whose search text holds a record of another type (`indexed_with`,
    `indexed_with_many` in the registry): a visit holds its guest's name, a place its former names."""

    record_type: object
    # The filter on the searched type naming the saved record, and the saved record's attribute it takes.
    lookup: str
    attname: str
    # A record listed under another (a former name, a level) changes that one's text when it is loaded,
    # saved or deleted; a record named by a key (a renamed person) when it is saved by an editor.
    listed: bool


def dependents_by_model():
    """{model: [Dependent]}: which search texts a record of each model is part of, from the registry."""
    found = {}
    for record_type in SEARCHED:
        for path in record_type.indexed_with:
            model = record_type.model._meta.get_field(path).related_model
            found.setdefault(model, []).append(Dependent(record_type, path, "pk", listed=False))
        for path in record_type.indexed_with_many:
            *owner_path, last = path.split("__")
            owner = record_type.model
            for step in owner_path:
                owner = owner._meta.get_field(step).related_model
            key = owner._meta.get_field(last).field
            lookup = "__".join(owner_path) or "pk"
            found.setdefault(key.model, []).append(Dependent(record_type, lookup, key.attname, listed=True))
    return found


DEPENDENTS = dependents_by_model()


def reindex_dependents(sender, instance, raw=False, signal=None, **kwargs):
    """Rewrite the search texts a saved or deleted record is part of: a renamed person or place is found under
    the new name, a relationship by a level just published."""
    for dependent in DEPENDENTS[sender]:
        if not dependent.listed and (raw or signal is post_delete):
            continue
        dependents = dependent.record_type.model._default_manager.filter(
            **{dependent.lookup: getattr(instance, dependent.attname)}
        )
        reindex_many(dependent.record_type, dependents)


def rebuild(batch_size=2000):
    """Recompute every record's search text (after bulk writes, which bypass save()), in batches."""
    return sum(
        reindex_many(record_type, record_type.model._default_manager.all(), batch_size) for record_type in SEARCHED
    )
