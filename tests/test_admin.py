"""The admin an editor works in: every page answers, search and filters narrow, rules show as messages."""

import pytest
from django.contrib import admin
from django.urls import reverse

from relations import models as records

pytestmark = pytest.mark.django_db

# The record types' admins (the jobs' list, "Your imports and exports", is not a record type: test_background_jobs;
# nor are the site's settings: test_open_data_licence).
REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label == "relations" and model not in (records.Job, records.SiteSettings)
    ),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:relations_{model._meta.model_name}_{view}", args=args)


def test_every_record_type_is_in_the_admin():
    from relations.history import models_with_history

    assert set(models_with_history()) == set(REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_answer(superuser_client, world, model):
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None, "the world fixture has one of each"
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def result_count(response):
    return response.context["cl"].result_count


def test_search_finds_a_place_by_its_former_name(superuser_client, world):
    response = superuser_client.get(admin_url(records.Place, "changelist"), {"q": "Old Sudby"})
    assert result_count(response) == 1
    assert "Sudby" in response.content.decode()


def test_search_finds_an_organization_by_acronym(superuser_client, world):
    response = superuser_client.get(admin_url(records.Organization, "changelist"), {"q": "UL"})
    assert [org.acronym for org in response.context["cl"].result_list] == ["UL"]


def test_filter_narrows_the_mission_list(superuser_client, world):
    records.Mission.objects.create(
        sender=world["south"], host=world["north"], place=world["capital"], kind="consulate", source=world["source"]
    )
    url = admin_url(records.Mission, "changelist")
    assert result_count(superuser_client.get(url)) == 2
    assert result_count(superuser_client.get(url, {"kind__exact": "consulate"})) == 1
    assert result_count(superuser_client.get(url, {"sender__id__exact": world["north"].pk})) == 1


def test_autocomplete_answers_for_a_foreign_key(superuser_client, world):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "relations", "model_name": "mission", "field_name": "place", "term": "Sud"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Sudby"]


def mission_form(world, **changes):
    data = {
        "slug": "new-mission",
        "kind": "consulate",
        "sender": world["north"].pk,
        "host": world["north"].pk,
        "place": world["capital"].pk,
        "opened_on_precision": "day",
        "source": world["source"].pk,
        "publication_status": "published",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_mission_hosted_by_its_sender_is_refused_with_a_message(superuser_client, world):
    response = superuser_client.post(admin_url(records.Mission, "add"), mission_form(world))
    assert response.status_code == 200
    assert "A country cannot host its own diplomatic mission." in response.content.decode()
    assert not records.Mission.objects.filter(slug="new-mission").exists()


def test_mission_in_a_city_of_another_country_is_refused(superuser_client, world):
    response = superuser_client.post(admin_url(records.Mission, "add"), mission_form(world, host=world["south"].pk))
    assert "Nordby is not in Southland." in response.content.decode()
    assert not records.Mission.objects.filter(slug="new-mission").exists()


def test_visit_ending_before_it_starts_is_refused(superuser_client, world):
    visit = world["visit"]
    data = {
        "slug": visit.slug,
        "kind": "official",
        "guest": visit.guest_id,
        "host": visit.host_id,
        "country": visit.country_id,
        "place": visit.place_id,
        "start_date": "2025-07-29",
        "start_date_precision": "day",
        "end_date": "2025-07-01",
        "topics": [world["energy"].pk],
        "source": world["source"].pk,
        "publication_status": "published",
    }
    response = superuser_client.post(admin_url(records.Visit, "change", visit.pk), data)
    assert "A visit cannot end before it starts." in response.content.decode()
    visit.refresh_from_db()
    assert visit.end_date is None


def test_publish_and_unpublish_actions(superuser_client, world):
    url = admin_url(records.Mission, "changelist")
    mission = records.Mission.objects.get()
    superuser_client.post(url, {"action": "unpublish", "_selected_action": [mission.pk]})
    mission.refresh_from_db()
    assert mission.publication_status == "draft"
    superuser_client.post(url, {"action": "publish", "_selected_action": [mission.pk]})
    mission.refresh_from_db()
    assert mission.publication_status == "published"


def test_relationship_page_shows_the_computed_anniversary(superuser_client, world):
    response = superuser_client.get(admin_url(records.Relationship, "change", world["pair"].pk))
    assert "year of diplomatic relations" in response.content.decode()


@pytest.mark.parametrize("model", [records.Visit, records.Milestone], ids=["visit", "milestone"])
def test_add_form_without_a_date_says_so_rather_than_failing(superuser_client, world, model):
    response = superuser_client.post(admin_url(model, "add"), {"slug": "given", "title": "Something"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


# Dates as editors type them ------------------------------------------------------------------------


def milestone_form(superuser_client, milestone, **changes):
    from tests.admin_pages import admin_form

    return admin_form(superuser_client, admin_url(records.Milestone, "change", milestone.pk), **changes)


@pytest.mark.parametrize(
    ("typed", "stored", "precision", "shown"),
    [
        ("2012", "2012-01-01", "year", "2012"),
        ("2024-03", "2024-03-01", "month", "March 2024"),
        ("March 2024", "2024-03-01", "month", "March 2024"),
        ("Mart 2024", "2024-03-01", "month", "March 2024"),
        ("29.07.2025", "2025-07-29", "day", "29 July 2025"),
        ("29/07/2025", "2025-07-29", "day", "29 July 2025"),
        ("2025-07-29", "2025-07-29", "day", "29 July 2025"),
    ],
)
def test_a_date_is_typed_as_it_is_known_and_keeps_that_precision(
    superuser_client, world, typed, stored, precision, shown
):
    milestone = world["milestone"]
    url = admin_url(records.Milestone, "change", milestone.pk)
    response = superuser_client.post(url, milestone_form(superuser_client, milestone, date=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone.refresh_from_db()
    assert (milestone.date.isoformat(), milestone.date_precision) == (stored, precision)
    assert shown in superuser_client.get(admin_url(records.Milestone, "changelist")).content.decode()


def test_a_coarser_precision_chosen_beside_a_full_date_is_kept(superuser_client, world):
    milestone = world["milestone"]
    url = admin_url(records.Milestone, "change", milestone.pk)
    superuser_client.post(url, milestone_form(superuser_client, milestone, date="2025-07-29", date_precision="year"))
    milestone.refresh_from_db()
    assert (milestone.date.isoformat(), milestone.date_precision) == ("2025-07-29", "year")


def test_a_date_is_shown_in_its_form_at_its_precision(superuser_client, world):
    milestone = world["milestone"]  # 2009, known to the year
    page = superuser_client.get(admin_url(records.Milestone, "change", milestone.pk)).content.decode()
    assert 'value="2009"' in page
    listed = superuser_client.get(admin_url(records.Visit, "changelist")).content.decode()
    assert "29 July 2025" in listed


def test_a_date_that_cannot_be_read_says_how_to_write_it(superuser_client, world):
    milestone = world["milestone"]
    url = admin_url(records.Milestone, "change", milestone.pk)
    response = superuser_client.post(url, milestone_form(superuser_client, milestone, date="31.02.2025"))
    assert response.status_code == 200
    assert "“31.02.2025” is not a date" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.date.isoformat() == "2009-01-01"


def test_agenda_items_added_together_each_take_the_next_position(superuser_client, world):
    from tests.admin_pages import admin_form

    meeting = world["meeting"]  # one agenda item, at position 1
    url = admin_url(records.CouncilMeeting, "change", meeting.pk)
    form = admin_form(superuser_client, url)
    prefix = "agenda_items"
    existing = int(form[f"{prefix}-INITIAL_FORMS"][0])
    for index, title in enumerate(["Transport corridors", "Digital trade", "Tourism"], start=existing):
        form[f"{prefix}-{index}-title"] = [title]
        form[f"{prefix}-{index}-position"] = [""]
        form[f"{prefix}-{index}-meeting"] = [str(meeting.pk)]
        form[f"{prefix}-{index}-id"] = [""]
    form[f"{prefix}-TOTAL_FORMS"] = [str(existing + 3)]
    form = {name: values for name, values in form.items() if "__prefix__" not in name}
    response = superuser_client.post(url, form)
    assert response.status_code == 302, (
        response.context["errors"],
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert list(meeting.agenda_items.values_list("position", "title")) == [
        (1, "Energy cooperation"),
        (2, "Transport corridors"),
        (3, "Digital trade"),
        (4, "Tourism"),
    ]


def test_the_admin_home_groups_record_types_as_editors_think_of_them(superuser_client):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    headings = [
        "The relationship",
        "Diplomatic missions",
        "Statistics",
        "International organizations",
        "Reference lists",
    ]
    positions = [page.index(f">{heading}<") for heading in headings]
    assert positions == sorted(positions)
    relationship_group = page[positions[0] : positions[1]]
    assert relationship_group.index("Relationships") < relationship_group.index("Visits")
    assert relationship_group.index("Visits") < relationship_group.index("Agenda items")
    assert page.index("Countries") > positions[4]


def test_a_new_record_starts_as_a_draft(superuser_client, world):
    page = superuser_client.get(admin_url(records.Visit, "add")).content.decode()
    assert '<option value="draft" selected>' in page
