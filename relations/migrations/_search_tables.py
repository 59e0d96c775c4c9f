"""The tables search reads (each record type with a search text), indexed by migrations 0021 and 0022.
Fixed here as they were then: a migration never reads today's models."""

SEARCHED_TABLES = [
    "relations_country",
    "relations_place",
    "relations_person",
    "relations_topic",
    "relations_relationship",
    "relations_milestone",
    "relations_mission",
    "relations_organization",
    "relations_indicator",
    "relations_visit",
    "relations_council",
    "relations_councilmeeting",
]
