"""A meeting's outcomes as sources state them: documents counted and signed (or expected to be), decisions and
targets that are no documents, each with a source of its own or the meeting's."""

import datetime

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file

pytestmark = pytest.mark.django_db

NOT_SIGNED = "A decision or a target is not signed: untick “signed”."


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def outcomes(world):
    """The world's meeting (held during its visit) with outcomes as a press release and a news agency state them."""
    meeting = world["meeting"]
    release = records.Source.objects.create(
        slug="joint-statement", title="Joint statement of the Joint Council", published_on=datetime.date(2025, 7, 30)
    )
    agency = records.Source.objects.create(slug="agency", title="Lands News Agency")
    return {
        "meeting": meeting,
        "release": release,
        "agreements": records.Outcome.objects.create(
            meeting=meeting,
            title="Agreements on energy, trade and education",
            kind="agreement",
            signed=True,
            count=25,
            source=agency,
            quote="25 agreements were signed after the talks.",
        ),
        "yearly": records.Outcome.objects.create(
            meeting=meeting,
            title="The council will meet every year",
            kind="decision",
            source=release,
            quote="The Parties agreed that the Council shall meet annually.",
        ),
        "portfolio": records.Outcome.objects.create(
            meeting=meeting, title="A $10 billion portfolio of joint projects", kind="target", source=release
        ),
    }


# The model ------------------------------------------------------------------------------------


def test_decisions_and_targets_are_never_signed(world):
    decision = records.Outcome(
        meeting=world["meeting"], position=9, title="Meet every year", kind="decision", signed=True
    )
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert error.value.message_dict == {"signed": [NOT_SIGNED]}
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_a_count_starts_at_one(world):
    counted = records.Outcome(meeting=world["meeting"], position=9, title="Agreements", count=0)
    with pytest.raises(ValidationError) as error:
        counted.full_clean()
    assert list(error.value.message_dict) == ["count"]


def test_outcomes_read_as_their_source_states_them(outcomes, world):
    assert outcomes["agreements"].status_display() == "25 agreements, signed"
    assert outcomes["yearly"].status_display() == "decision"
    assert outcomes["portfolio"].status_display() == "target"
    documents = records.Outcome.objects.get(title="Documents")
    assert documents.status_display() == "set of documents, expected to be signed"
    assert documents.cited_source() == world["source"] and outcomes["yearly"].cited_source() == outcomes["release"]


# Public pages ---------------------------------------------------------------------------------


def test_the_meeting_page_cites_each_outcome(client, outcomes, world):
    html = page(client, outcomes["meeting"].get_absolute_url()).split("<h2>Outcomes</h2>")[1]
    items = html.split("<li>")[1:]
    agreements, documents = (
        next(i for i in items if "Agreements on energy" in i),
        next(i for i in items if "Documents" in i),
    )
    assert "Agreements on energy, trade and education — 25 agreements, signed" in agreements
    assert 'href="/sources/agency/">Lands News Agency</a>' in agreements
    assert "25 agreements were signed after the talks." in agreements
    assert 'href="/sources/report/">Annual report</a>' in documents
    assert "expected to be signed" in documents
    yearly = next(i for i in items if "every year" in i)
    assert "The council will meet every year — decision" in yearly and "expected to be signed" not in yearly
    assert "Joint statement of the Joint Council</a>, 30 July 2025" in yearly
    portfolio = next(i for i in items if "$10 billion" in i)
    assert "— target" in portfolio and "signed" not in portfolio


def test_the_visit_page_shows_the_outcomes_of_the_meeting_held_during_it(client, outcomes, world):
    html = page(client, world["visit"].get_absolute_url())
    during = html.split("Council meetings during the visit")[1]
    assert "Agreements on energy, trade and education — 25 agreements, signed" in during
    assert "The council will meet every year — decision" in during
    assert 'href="/sources/joint-statement/"' in during and 'href="/sources/agency/"' in during


# A cached page is replaced once a change is committed: this test commits its changes.
@pytest.mark.django_db(transaction=True)
def test_a_source_only_an_outcome_cites_has_its_page_while_the_meeting_is_published(client, outcomes):
    html = page(client, "/sources/joint-statement/")
    assert "Council meeting outcomes (2)" in html and "The council will meet every year" in html
    outcomes["meeting"].publication_status = "draft"
    outcomes["meeting"].save()
    assert client.get("/sources/joint-statement/").status_code == 404
    assert "every year" not in page(client, "/sources/report/")


def test_outcome_pages_read_the_same_number_of_queries_however_many_outcomes_and_sources(client, outcomes, world):
    def count(url):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            page(client, url)
        return len(captured)

    urls = [outcomes["meeting"].get_absolute_url(), world["visit"].get_absolute_url()]
    before = [count(url) for url in urls]
    for n in range(6):
        source = records.Source.objects.create(slug=f"wire-{n}", title=f"Wire {n}")
        records.Outcome.objects.create(
            meeting=outcomes["meeting"], title=f"Memorandum {n}", kind="memorandum", source=source
        )
    assert [count(url) for url in urls] == before


def test_the_council_page_shows_when_it_was_established(client, world):
    council = world["council"]
    council.established_on, council.established_on_precision = datetime.date(2009, 1, 1), "year"
    council.save()
    assert "Established: 2009." in page(client, council.get_absolute_url())


# Import and export ----------------------------------------------------------------------------


def test_an_outcomes_file_from_before_imports_unchanged_and_the_new_columns_round_trip(outcomes):
    exported = RESOURCES["outcomes"]().export()
    row = next(row for row in exported.dict if row["Title"].startswith("Agreements"))
    assert (row["Number"], row["Source"], row["Kind"]) == ("25", "agency", "agreement")
    assert import_file(RESOURCES["outcomes"], exported).totals["skip"] == len(exported)
    older = tablib.Dataset(headers=[h for h in exported.headers if h not in ("Number", "Source", "Quotation")])
    for values in exported.dict:
        older.append([values[header] for header in older.headers])
    result = import_file(RESOURCES["outcomes"], older)
    assert describe_errors(result) == [] and result.totals["skip"] == len(exported)
    outcomes["agreements"].refresh_from_db()
    assert (outcomes["agreements"].count, outcomes["agreements"].source.slug) == (25, "agency")


def test_a_signed_decision_in_a_file_is_refused_in_the_models_words(outcomes):
    dataset = tablib.Dataset(headers=["Council", "Meeting", "Position", "Title", "Kind", "Signed"])
    dataset.append([outcomes["meeting"].council.slug, "5", "", "Meet every year", "Decision", "yes"])
    result = import_file(RESOURCES["outcomes"], dataset)
    assert describe_errors(result) == [f"Row 2, column “Signed”: {NOT_SIGNED}"]
