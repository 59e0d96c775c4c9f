"""Dates a source gives in its own words ("on Friday", "last year", "in April"), worked out from its publication
date to the precision the words allow, the words kept beside the date; words that give no date invent none."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from relations import models as records
from relations.dates import Precision, read_stated_date, stated_date_display
from relations.languages import is_translation
from relations.registry import OF_MODEL

# A Saturday's paper.
SATURDAY = datetime.date(2024, 5, 25)


@pytest.mark.parametrize(
    ("words", "date", "precision"),
    [
        ("on Friday", datetime.date(2024, 5, 24), Precision.DAY),
        ("last Friday", datetime.date(2024, 5, 24), Precision.DAY),
        ("on Saturday", SATURDAY, Precision.DAY),
        ("last Saturday", datetime.date(2024, 5, 18), Precision.DAY),
        ("next Monday", datetime.date(2024, 5, 27), Precision.DAY),
        ("today", SATURDAY, Precision.DAY),
        ("yesterday", datetime.date(2024, 5, 24), Precision.DAY),
        ("three days ago", datetime.date(2024, 5, 22), Precision.DAY),
        ("on 24 May", datetime.date(2024, 5, 24), Precision.DAY),
        ("May 2", datetime.date(2024, 5, 2), Precision.DAY),
        ("in April", datetime.date(2024, 4, 1), Precision.MONTH),
        ("in December", datetime.date(2023, 12, 1), Precision.MONTH),
        ("by February this year", datetime.date(2024, 2, 1), Precision.MONTH),
        ("in early March last year", datetime.date(2023, 3, 1), Precision.MONTH),
        ("earlier this month", datetime.date(2024, 5, 1), Precision.MONTH),
        ("last month", datetime.date(2024, 4, 1), Precision.MONTH),
        ("two months ago", datetime.date(2024, 3, 1), Precision.MONTH),
        ("this time three years ago", datetime.date(2021, 5, 1), Precision.MONTH),
        ("last year", datetime.date(2023, 1, 1), Precision.YEAR),
        ("This year", datetime.date(2024, 1, 1), Precision.YEAR),
        ("next year", datetime.date(2025, 1, 1), Precision.YEAR),
        ("five years ago", datetime.date(2019, 1, 1), Precision.YEAR),
        ("in 2019", datetime.date(2019, 1, 1), Precision.YEAR),
        ("in March 2023", datetime.date(2023, 3, 1), Precision.MONTH),
    ],
)
def test_the_source_s_words_give_a_date_at_the_precision_they_allow(words, date, precision):
    assert read_stated_date(words, SATURDAY) == (date, precision)


@pytest.mark.parametrize("words", ["recently", "last week", "in recent years", "soon", "before 1992", "in the spring"])
def test_words_that_give_no_date_give_none(words):
    assert read_stated_date(words, SATURDAY) is None


def test_what_is_planned_is_read_forward():
    assert read_stated_date("on Friday", SATURDAY, ahead=True) == (datetime.date(2024, 5, 31), Precision.DAY)
    assert read_stated_date("in April", SATURDAY, ahead=True) == (datetime.date(2025, 4, 1), Precision.MONTH)
    assert read_stated_date("in December", SATURDAY, ahead=True) == (datetime.date(2024, 12, 1), Precision.MONTH)


def test_what_is_planned_for_the_weekday_of_publication_is_that_day_and_next_means_the_week_after():
    assert read_stated_date("on Saturday", SATURDAY, ahead=True) == (SATURDAY, Precision.DAY)
    assert read_stated_date("next Saturday", SATURDAY, ahead=True) == (SATURDAY + datetime.timedelta(days=7), "day")
    assert read_stated_date("on Saturday", SATURDAY) == (SATURDAY, Precision.DAY)


def test_relative_words_need_a_publication_date_and_a_date_stated_outright_does_not():
    assert read_stated_date("last year", None) is None
    assert read_stated_date("in 2019", None) == (datetime.date(2019, 1, 1), Precision.YEAR)


def test_a_date_is_shown_with_the_words_beside_it_and_words_alone_when_they_give_none():
    assert stated_date_display(datetime.date(2024, 5, 24), Precision.DAY, "on Friday") == (
        "Friday, 24 May 2024 — “on Friday”"
    )
    assert stated_date_display(datetime.date(2023, 1, 1), Precision.YEAR, "last year") == "2023 — “last year”"
    assert stated_date_display(None, Precision.DAY, "in recent years") == "in recent years"
    assert stated_date_display(datetime.date(2024, 4, 1), Precision.MONTH) == "April 2024"


@pytest.fixture
def pair(db):
    north = records.Country.objects.create(code="NA", name="Northland")
    south = records.Country.objects.create(code="SA", name="Southland")
    paper = records.Source.objects.create(slug="paper", title="Saturday paper", published_on=SATURDAY)
    return {
        "north": north,
        "south": south,
        "guest": records.Person.objects.create(name="Ana Guest", country=north),
        "paper": paper,
        "monthly": records.Source.objects.create(
            slug="monthly",
            title="Monthly review",
            published_on=datetime.date(2024, 5, 1),
            published_on_precision="month",
        ),
        "relationship": records.Relationship.objects.create(country_a=north, country_b=south, source=paper),
    }


def visit_with_words(pair, words, source="paper"):
    visit = records.Visit(guest=pair["guest"], country=pair["south"], date_wording=words, source=pair[source])
    visit.full_clean()
    visit.save()
    return visit


def test_a_visit_dated_by_its_source_s_words_is_dated_and_addressed_at_their_precision(pair):
    visit = visit_with_words(pair, "last year")
    visit.refresh_from_db()
    assert (visit.start_date, visit.start_date_precision) == (datetime.date(2023, 1, 1), Precision.YEAR)
    assert visit.slug == "ana-guest-southland-2023"
    assert visit.dates_display() == "2023 — “last year”"
    friday = visit_with_words(pair, "on Friday")
    assert friday.slug == "ana-guest-southland-2024-05-24"
    assert friday.dates_display() == "Friday, 24 May 2024 — “on Friday”"


def test_a_visit_whose_words_give_no_date_is_refused_saying_why(pair):
    with pytest.raises(ValidationError) as refused:
        visit_with_words(pair, "recently")
    assert refused.value.message_dict["start_date"] == [
        "“recently” gives no date the site can work out: type the date at the precision the source gives, "
        "such as 2024, 2024-04 or 24.05.2024."
    ]
    with pytest.raises(ValidationError) as refused:
        visit_with_words(pair, "on Friday", source="monthly")
    assert "no publication date known to the day" in refused.value.message_dict["start_date"][0]
    assert not records.Visit.objects.exists()


def test_a_visit_with_neither_date_nor_words_is_refused(pair):
    with pytest.raises(ValidationError) as refused:
        visit_with_words(pair, "")
    assert refused.value.message_dict["start_date"] == [
        "Give the start date, or the source's words for it ('on Friday', 'in April')."
    ]


def test_a_date_typed_outright_wins_over_the_words_which_stay_beside_it(pair):
    visit = records.Visit(
        guest=pair["guest"], country=pair["south"], date_wording="on Friday", source=pair["paper"],
        start_date=datetime.date(2024, 5, 23), start_date_precision="day",
    )  # fmt: skip
    visit.full_clean()
    assert visit.start_date == datetime.date(2024, 5, 23)
    assert visit.dates_display() == "Thursday, 23 May 2024 — “on Friday”"


def test_a_milestone_of_last_year_is_dated_to_the_year_and_words_giving_none_keep_its_year_for_sorting(pair):
    milestone = records.Milestone(
        relationship=pair["relationship"], title="Joint year launched", date_wording="last year", source=pair["paper"]
    )
    milestone.full_clean()
    milestone.save()
    assert (milestone.date, milestone.date_precision) == (datetime.date(2023, 1, 1), Precision.YEAR)
    assert milestone.slug == "2023-joint-year-launched"
    assert str(milestone) == "2023 — “last year”: Joint year launched"
    vague = records.Milestone(
        relationship=pair["relationship"], title="Trade grows", date_wording="in recent years", source=pair["paper"]
    )
    with pytest.raises(ValidationError) as refused:
        vague.full_clean()
    assert "year for sorting" in refused.value.message_dict["sort_year"][0]
    vague.sort_year = 2020
    vague.full_clean()
    assert vague.date is None and vague.date_display() == "in recent years"


def test_a_council_meeting_in_april_is_dated_to_the_month(pair):
    council = records.Council.objects.create(name="Joint Council", source=pair["paper"])
    meeting = records.CouncilMeeting(council=council, number=1, date_wording="in April", source=pair["paper"])
    meeting.full_clean()
    assert (meeting.date, meeting.date_precision) == (datetime.date(2024, 4, 1), Precision.MONTH)
    assert meeting.date_display() == "April 2024 — “in April”"


def test_a_planned_visit_s_weekday_is_the_next_one(pair):
    visit = records.Visit(
        guest=pair["guest"], country=pair["south"], date_wording="on Friday", source=pair["paper"], planned=True
    )
    visit.full_clean()
    assert visit.start_date == datetime.date(2024, 5, 31)


class Editor:
    """A user allowed everything, for reading the admin's forms without a database."""

    is_active = is_staff = is_superuser = True

    def has_perm(self, permission, obj=None):
        return True


def inline_columns():
    """(inline, the columns of its record type's file that the inline does not show). Translations aside: a row
    of a table would take a column per language of each, so they are given on the record's own page (its
    Translations fieldset) and in files."""
    request = RequestFactory().get("/")
    request.user = Editor()
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            record_type = OF_MODEL.get(inline.model)
            if record_type is None:
                continue
            resource = record_type.resource()
            parent = {field.name for field in inline.model._meta.fields if field.related_model is model}
            columns = {field.attribute.split("__")[0] for field in resource.fields.values() if field.attribute}
            shown = set(inline(model, admin.site).get_formset(request).form.base_fields)
            translations = {name for name in columns if is_translation(name)}
            yield inline, sorted(columns - shown - parent - translations - {"id"})


@pytest.mark.parametrize(
    ("inline", "missing"), list(inline_columns()), ids=lambda value: getattr(value, "__name__", "")
)
def test_every_inline_shows_every_column_its_file_has(inline, missing):
    assert missing == []


def test_a_part_of_a_programme_the_same_day_is_dated_by_its_visit(pair):
    visit = visit_with_words(pair, "on Friday")
    courtesy = records.Engagement(
        visit=visit, kind="courtesy-call", title="Call on the Speaker", date_wording="The same day"
    )
    courtesy.full_clean()
    assert (courtesy.date, courtesy.date_precision) == (datetime.date(2024, 5, 24), Precision.DAY)
    vague = records.Engagement(visit=visit, kind="meeting", title="Met students", date_wording="during the visit")
    vague.full_clean()
    assert vague.date is None and vague.date_display() == "during the visit"
