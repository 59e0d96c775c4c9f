"""CSV, XLSX and JSON in and out: natural keys, round trips, all-or-nothing, encodings, formula escaping."""

import io

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations import models as records
from relations.formats import UnreadableFile, export_bytes, read_dataset
from relations.registry import RESOURCES
from relations.resources import describe_errors, import_file
from tests.test_admin_import_export import confirm, upload

pytestmark = pytest.mark.django_db

TURKISH_AND_KAZAKH = "İğdır Iğdır Şişli Öğretmen Ülkü Çağ Әлем Ғалым Қазақ Ңң Өнер Ұлы Үміт Һ Іле"


def export_all(format_name="csv"):
    return {name: export_bytes(resource().export(), format_name) for name, resource in RESOURCES.items()}


def import_bytes(name, data, format_name="csv", dry_run=False):
    return import_file(RESOURCES[name], read_dataset(data, format_name), dry_run=dry_run)


def snapshot():
    """Every record of every type, as its export: what the database holds, ids aside."""
    return {name: resource().export().csv for name, resource in RESOURCES.items()}


def wipe():
    records.Source.objects.update(reported_in=None)
    for name in reversed(RESOURCES):
        RESOURCES[name]._meta.model.objects.all().delete()


def csv_of(name, rows):
    resource = RESOURCES[name]()
    headers = [field.column_name for field in resource.get_export_fields()]
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    return dataset


def mission_rows(**changes):
    row = {
        "Slug": "",
        "Sending country": "SA",
        "Host country": "NA",
        "City": "nordby",
        "Kind": "embassy",
        "Source": "report",
        "Publication status": "published",
    }
    row.update(changes)
    return row


# Round trip -----------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["csv", "xlsx", "json"])
def test_every_record_type_round_trips_into_an_empty_database(world, format_name):
    before = snapshot()
    files = export_all(format_name)
    wipe()
    for name, data in files.items():
        result = import_bytes(name, data, format_name)
        assert describe_errors(result) == [], name
    assert snapshot() == before


def test_importing_the_same_file_again_reports_every_row_unchanged(world):
    before = snapshot()
    for name, data in export_all().items():
        result = import_bytes(name, data)
        assert describe_errors(result) == []
        assert result.totals["skip"] == len(result.rows), name
        assert result.totals["new"] == result.totals["update"] == 0
    assert snapshot() == before


def test_export_names_other_records_by_natural_key_not_id(world):
    text = export_bytes(RESOURCES["missions"]().export(), "csv").decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Slug,Sending country,Host country,City,Kind")
    assert ",NA,SA,sudby,embassy," in row
    meetings = export_bytes(RESOURCES["council-meetings"]().export(), "csv").decode("utf-8-sig")
    assert "joint-council,5,2025-07-29" in meetings
    assert "ana-guest, bo-host" in meetings


def test_changed_row_is_reported_as_update(world):
    dataset = RESOURCES["places"]().export()
    dataset[0] = tuple("Nordby Town" if value == "Nordby" else value for value in dataset[0])
    result = import_file(RESOURCES["places"], dataset)
    assert result.totals["update"] == 1
    assert records.Place.objects.get(slug="nordby").name == "Nordby Town"


# All or nothing ----------------------------------------------------------------


def assert_refused(result, *expected):
    problems = describe_errors(result)
    for text in expected:
        assert any(text in line for line in problems), (text, problems)
    return problems


def test_unknown_country_code_refuses_the_whole_file(world):
    before = snapshot()
    dataset = csv_of("missions", [mission_rows(), mission_rows(**{"Sending country": "XX", "City": "sudby"})])
    result = import_file(RESOURCES["missions"], dataset)
    assert_refused(result, "Row 3, column “Sending country”: No country has the ISO code “XX”.")
    assert snapshot() == before


def test_mission_breaking_a_database_rule_refuses_the_file(world):
    before = snapshot()
    own = mission_rows(**{"Slug": "own", "Host country": "SA", "City": "sudby"})
    result = import_file(RESOURCES["missions"], csv_of("missions", [mission_rows(), own]))
    assert_refused(result, "Row 3", "A country cannot host its own diplomatic mission.")
    assert snapshot() == before


def test_duplicate_mission_refused_with_the_database_rule_message(world):
    before = snapshot()
    twin = mission_rows(**{"Slug": "twin", "Sending country": "NA", "Host country": "SA", "City": "sudby"})
    result = import_file(RESOURCES["missions"], csv_of("missions", [twin]))
    assert_refused(result, "Row 2", "This country already has a mission of this kind in this city.")
    assert snapshot() == before


def test_bad_date_and_negative_figure_are_named_by_row_and_column(world):
    before = snapshot()
    rows = RESOURCES["statistics"]().export().dict
    bad_date = dict(rows[0], **{"Period start": "2024-02-30", "Source": "ministry"})
    negative = dict(rows[0], **{"Value": "-5", "Source": "ministry", "Preferred value": "no"})
    dataset = csv_of("statistics", [bad_date, negative])
    result = import_file(RESOURCES["statistics"], dataset)
    assert_refused(
        result,
        "Row 2, column “Period start”: “2024-02-30” is not a date",
        "Row 3, column “Value”: A figure or a target cannot be negative: a fall is a change (kind “change”), such as -5.4 %.",
    )
    assert snapshot() == before


def test_second_preferred_figure_for_a_period_is_refused(world):
    rows = RESOURCES["statistics"]().export().dict
    rival = dict(rows[0], **{"Source": "ministry", "Value": "6300000000"})
    result = import_file(RESOURCES["statistics"], csv_of("statistics", [rival]))
    assert_refused(result, "Row 2, column “Preferred value”: Another figure is already preferred")
    assert records.Statistic.objects.count() == 1


def preferred_sources():
    return dict(records.Statistic.objects.values_list("source__slug", "is_preferred"))


@pytest.mark.parametrize("new_figure_first", [True, False])
def test_one_file_moves_the_preference_from_a_stored_figure_to_a_new_one(world, new_figure_first):
    stored = RESOURCES["statistics"]().export().dict[0]
    revised = dict(stored, **{"Source": "ministry", "Value": "6300000000"})
    stored["Preferred value"] = "no"
    rows = [revised, stored] if new_figure_first else [stored, revised]
    result = import_file(RESOURCES["statistics"], csv_of("statistics", rows))
    assert describe_errors(result) == []
    assert preferred_sources() == {"ministry": True, "report": False}
    revised_figure = records.Statistic.objects.get(source__slug="ministry")
    assert revised_figure.history.get().is_preferred, "the history entry records the figure as preferred"


def test_one_file_swaps_the_preference_between_two_stored_figures(world):
    stored = RESOURCES["statistics"]().export().dict[0]
    import_file(
        RESOURCES["statistics"], csv_of("statistics", [dict(stored, **{"Source": "ministry", "Preferred value": "no"})])
    )
    rows = RESOURCES["statistics"]().export().dict
    for row in rows:
        row["Preferred value"] = "yes" if row["Source"] == "ministry" else "no"
    result = import_file(RESOURCES["statistics"], csv_of("statistics", rows))
    assert describe_errors(result) == []
    assert preferred_sources() == {"ministry": True, "report": False}
    latest = records.Statistic.objects.get(source__slug="ministry").history.first()
    assert (latest.history_type, latest.is_preferred) == ("~", True)


def test_preference_taken_from_a_figure_the_file_keeps_preferred_is_refused_whole(world):
    stored = RESOURCES["statistics"]().export().dict[0]
    revised = dict(stored, **{"Source": "ministry", "Value": "6300000000"})
    other_period = dict(revised, **{"Period start": "2023-01-01", "Period end": "2023-12-31"})
    result = import_file(RESOURCES["statistics"], csv_of("statistics", [other_period, stored, revised]))
    assert describe_errors(result) == ["Row 4, column “Preferred value”: " + RESOURCES["statistics"].PREFERRED_TWICE]
    assert result.totals["invalid"] == 1
    assert preferred_sources() == {"report": True}


def test_two_rows_preferring_figures_for_the_same_period_are_refused(world):
    stored = RESOURCES["statistics"]().export().dict[0]
    stored["Preferred value"] = "no"
    first = dict(stored, **{"Source": "ministry", "Preferred value": "yes"})
    second = dict(first, **{"Period start": "2024-01-01", "Source": "report", "Value": "1", "Preferred value": "yes"})
    result = import_file(RESOURCES["statistics"], csv_of("statistics", [first, second]))
    assert_refused(result, "Row 3, column “Preferred value”: Another figure is already preferred")
    assert preferred_sources() == {"report": True}


def figures_file(count):
    """`count` new yearly figures from the ministry for the world's indicator."""
    stored = RESOURCES["statistics"]().export().dict[0]
    years = range(1900, 1900 + count)
    changes = [{"Period start": f"{year}-01-01", "Period end": f"{year}-12-31", "Source": "ministry"} for year in years]
    return csv_of("statistics", [dict(stored, **change) for change in changes])


def test_statistics_import_runs_no_query_per_row(world):
    reads, writes = [], []
    for count in (5, 50):
        records.Statistic.objects.filter(source__slug="ministry").delete()
        with CaptureQueriesContext(connection) as captured:
            result = import_file(RESOURCES["statistics"], figures_file(count))
        assert describe_errors(result) == [] and result.totals["new"] == count
        inserts = [query for query in captured if "INSERT INTO" in query["sql"]]
        reads.append(len(captured) - len(inserts))
        writes.append(len(inserts))
        figures = records.Statistic.objects.filter(source__slug="ministry").values("pk")
        assert records.Statistic.history.filter(id__in=figures, history_type="+").count() == count
    assert reads[0] == reads[1]
    # The figures and their versions are written in one statement per table however many rows there are
    # (executemany on SQLite; on PostgreSQL a COPY, which Django's query log does not see).
    assert writes[0] == writes[1] <= 2


def test_unknown_and_missing_columns_refuse_the_file(world):
    before = snapshot()
    dataset = tablib.Dataset(headers=["Slug", "Sending country", "Colour"])
    dataset.append(["x", "NA", "blue"])
    result = import_file(RESOURCES["missions"], dataset)
    assert_refused(result, "Unknown columns: “Colour”.", "Missing columns:", "“City”")
    assert snapshot() == before


def test_unknown_topic_in_a_list_is_an_error_not_dropped(world):
    rows = RESOURCES["visits"]().export().dict
    rows[0]["Topics"] = "energy, space-travel"
    result = import_file(RESOURCES["visits"], csv_of("visits", rows))
    assert_refused(result, "Row 2, column “Topics”: No topics with these keys: “space-travel”.")
    assert set(records.Visit.objects.get().topics.values_list("slug", flat=True)) == {"energy", "trade"}


def test_two_rows_for_the_same_record_are_refused(world):
    rows = [mission_rows(Slug="a"), mission_rows(Slug="a", Kind="consulate")]
    result = import_file(RESOURCES["missions"], csv_of("missions", rows))
    assert_refused(result, "Row 3: This row names the same record as row 2.")
    assert records.Mission.objects.count() == 1


# Files as editors have them ------------------------------------------------------


def place_file_text(delimiter=","):
    lines = [
        delimiter.join(["Slug", "Current name", "Country", "Capital city"]),
        delimiter.join(["igdir", "Iğdır", "NA", "no"]),
        delimiter.join(["sisli", "Şişli Öğretmen Ülkü Çağ İzmir", "NA", "no"]),
    ]
    return "\r\n".join(lines) + "\r\n"


def assert_places_imported(result, *names):
    assert describe_errors(result) == []
    assert set(
        records.Place.objects.filter(slug__in=["igdir", "sisli", "kazakh"]).values_list("name", flat=True)
    ) == set(names)


def test_utf8_file_with_kazakh_letters_imports_intact(world):
    text = place_file_text() + f"kazakh,{TURKISH_AND_KAZAKH},SA,no\r\n"
    result = import_bytes("places", text.encode("utf-8"))
    assert_places_imported(result, "Iğdır", "Şişli Öğretmen Ülkü Çağ İzmir", TURKISH_AND_KAZAKH)


def test_excel_csv_utf8_with_byte_order_mark_imports(world):
    result = import_bytes("places", ("\ufeff" + place_file_text()).encode("utf-8"))
    assert_places_imported(result, "Iğdır", "Şişli Öğretmen Ülkü Çağ İzmir")


def test_turkish_excel_windows_1254_with_semicolons_imports(world):
    result = import_bytes("places", place_file_text(";").encode("cp1254"))
    assert_places_imported(result, "Iğdır", "Şişli Öğretmen Ülkü Çağ İzmir")


def test_xlsx_with_turkish_and_kazakh_letters_imports(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Slug", "Current name", "Country", "Capital city"])
    sheet.append(["kazakh", TURKISH_AND_KAZAKH, "SA", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_bytes("places", buffer.getvalue(), "xlsx")
    assert_places_imported(result, TURKISH_AND_KAZAKH)


def test_file_in_an_unreadable_encoding_is_refused_with_a_message(world):
    cyrillic_windows = "Slug,Current name,Country\r\nalmaty,Алматы Қала,SA\r\n".encode("cp1251", errors="replace")
    with pytest.raises(UnreadableFile, match="CSV UTF-8"):
        read_dataset(cyrillic_windows, "csv")
    assert not records.Place.objects.filter(slug="almaty").exists()


# Safe export ------------------------------------------------------------------------


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_cells_that_look_like_formulas_are_escaped_and_round_trip(world, dangerous):
    records.Topic.objects.filter(slug="energy").update(description=dangerous)
    exported = export_bytes(RESOURCES["topics"]().export(), "csv")
    assert f"'{dangerous}" in exported.decode("utf-8-sig").replace('""', '"')
    workbook_bytes = export_bytes(RESOURCES["topics"]().export(), "xlsx")
    cells = [
        cell.value for row in openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active.iter_rows() for cell in row
    ]
    assert f"'{dangerous}" in cells
    result = import_bytes("topics", exported)
    assert result.totals["skip"] == 2
    assert records.Topic.objects.get(slug="energy").description == dangerous


# Command line -----------------------------------------------------------------------------


def test_command_line_round_trip_of_everything(world, tmp_path):
    before = snapshot()
    call_command("export", "all", "--output", str(tmp_path))
    wipe()
    out = io.StringIO()
    call_command("import", "all", str(tmp_path), stdout=out)
    assert "statistics.csv: statistics: 1 new" in out.getvalue()
    assert snapshot() == before


def test_command_line_dry_run_changes_nothing(world, tmp_path):
    path = tmp_path / "missions.csv"
    path.write_bytes(export_bytes(csv_of("missions", [mission_rows(Slug="new-one")]), "csv"))
    out = io.StringIO()
    call_command("import", "missions", str(path), "--dry-run", stdout=out)
    assert "nothing was changed" in out.getvalue()
    assert not records.Mission.objects.filter(slug="new-one").exists()
    call_command("import", "missions", str(path), stdout=io.StringIO())
    assert records.Mission.objects.filter(slug="new-one").exists()


def test_command_line_refuses_a_bad_file_with_row_messages(world, tmp_path):
    path = tmp_path / "missions.csv"
    rows = [mission_rows(Slug="fine"), mission_rows(Slug="bad", **{"Sending country": "XX"})]
    path.write_bytes(export_bytes(csv_of("missions", rows), "csv"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "missions", str(path), stderr=err)
    assert "Row 3, column “Sending country”: No country has the ISO code “XX”." in err.getvalue()
    assert not records.Mission.objects.filter(slug="fine").exists()


SUDBY_CONSULATE = {"Sending country": "NA", "Host country": "SA", "City": "sudby", "Kind": "consulate"}


def test_a_row_refused_on_confirm_and_by_the_command_is_named_by_the_row_number_the_preview_shows(
    superuser_client, world, tmp_path
):
    rows = [
        mission_rows(Slug="fine"),
        mission_rows(Slug="later-taken", **SUDBY_CONSULATE),
    ]
    data = export_bytes(csv_of("missions", rows), "csv")
    preview = upload(superuser_client, "mission", data)
    new_rows = preview.content.decode().split("<h3>New rows</h3>")[1].split("</table>")[0]
    # The header is the spreadsheet's row 1, the fine row its row 2: the preview shows the second as row 3.
    assert '<td class="import-type">2</td>' in new_rows and '<td class="import-type">3</td>' in new_rows
    # Before the editor confirms, another records the same mission: the file's row 3 now breaks a rule.
    taken = mission_rows(Slug="taken", **SUDBY_CONSULATE)
    assert describe_errors(import_file(RESOURCES["missions"], csv_of("missions", [taken]))) == []
    expected = "Row 3: This country already has a mission of this kind in this city."

    refused = confirm(superuser_client, "mission", preview)
    assert [str(message) for message in refused.context["messages"]] == [
        expected,
        "Nothing was imported: correct the file and import it again.",
    ]
    again = upload(superuser_client, "mission", data).content.decode()
    refusals = again.split('class="import-preview import-refusals"')[1].split("</table>")[0]
    assert refusals.count("<td>3</td>") == 1 and "<td>2</td>" not in refusals
    assert "This country already has a mission of this kind in this city." in refusals
    path = tmp_path / "missions.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "missions", str(path), stderr=err)
    assert err.getvalue().splitlines()[1:] == [f"  {expected}"]
    assert not records.Mission.objects.filter(slug__in=["fine", "later-taken"]).exists()


def test_rows_imported_after_the_parent_they_name_are_still_named_by_their_row_in_the_file(world):
    # The file's row 2 names the source of its row 3, so row 3 is imported first; the messages must still
    # name each row where the editor sees it in the file.
    rows = [
        {"Slug": "agency-story", "Title": "Agency story", "Reported in": "agency-wire"},
        {"Slug": "agency-wire", "Title": "Agency wire", "Publication date": "not a date"},
        {"Slug": "agency-story", "Title": "Agency story again"},
    ]
    result = import_file(RESOURCES["sources"], csv_of("sources", rows))
    problems = describe_errors(result)
    # Row 4 is read before row 2, which names the source of row 3: either may be told of the other.
    assert problems[0] == "Row 2: This row names the same record as row 4."
    assert problems[1].startswith("Row 3, column “Publication date”: “not a date” is not a date.")
    assert len(problems) == 2
    assert not records.Source.objects.filter(slug__startswith="agency-").exists()


def test_command_line_honours_the_encoding_option(world, tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(place_file_text(";").encode("iso-8859-9"))
    call_command("import", "places", str(path), "--encoding", "iso-8859-9", stdout=io.StringIO())
    assert records.Place.objects.get(slug="igdir").name == "Iğdır"


def test_the_article_data_round_trips_through_csv(article):
    before = snapshot()
    files = export_all()
    wipe()
    for name, data in files.items():
        assert describe_errors(import_bytes(name, data)) == [], name
    assert snapshot() == before
    for name, data in files.items():
        result = import_bytes(name, data)
        assert result.totals["skip"] == len(result.rows), name


def test_dates_in_a_file_are_read_as_editors_type_them_and_fill_a_blank_precision(world):
    rows = RESOURCES["milestones"]().export().dict
    stored = rows[0]
    changes = [
        ("2012", "", "2012-01-01", "year"),
        ("01.03.2019", "", "2019-03-01", "day"),
        ("March 2024", "", "2024-03-01", "month"),
    ]
    for typed, precision, date, expected in changes:
        row = dict(stored, **{"Date": typed, "Date precision": precision})
        result = import_file(RESOURCES["milestones"], csv_of("milestones", [row]))
        assert describe_errors(result) == [], typed
        milestone = records.Milestone.objects.get(slug=stored["Slug"])
        assert (milestone.date.isoformat(), milestone.date_precision) == (date, expected), typed


def test_a_figures_period_typed_as_a_year_covers_the_year(world):
    row = dict(RESOURCES["statistics"]().export().dict[0], **{"Period start": "2024", "Period end": "2024"})
    result = import_file(RESOURCES["statistics"], csv_of("statistics", [row]))
    assert describe_errors(result) == []
    assert [row.import_type for row in result.rows] == ["skip"]


def test_a_workbook_export_keeps_numbers_and_dates_and_names_its_sheet(world, tmp_path):

    path = tmp_path / "statistics.xlsx"
    call_command("export", "statistics", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Statistics"
    headers = [cell.value for cell in sheet[1]]
    first = {header: cell.value for header, cell in zip(headers, sheet[2], strict=True)}
    assert first["Value"] == 5_000_000_000
    assert first["Period start"].date().isoformat() == "2024-01-01"
    # The same workbook imports back unchanged.
    result = import_file(RESOURCES["statistics"], read_dataset(path.read_bytes(), "xlsx"))
    assert describe_errors(result) == []
    assert all(row.import_type == "skip" for row in result.rows)
