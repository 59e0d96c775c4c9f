"""Files saved by LibreOffice Calc in Turkish, uploaded through the admin as an editor uploads them:
UTF-8 CSV, Windows-1254 CSV with semicolons, and XLSX (tests/files/libreoffice/, made by make_files.py
there). Each previews with its Turkish letters, dates at the precision typed and numbers as typed, and,
confirmed, stores them so."""

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relations import models as records
from relations.formats import FORMATS
from relations.resources.widgets import PlainDecimalWidget, YesNoWidget

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files" / "libreoffice"
SAVED_AS = ["utf8.csv", "windows1254.csv", "xlsx"]
INS = "<ins>"


def upload(client, model_name, path):
    format_name = "XLSX" if path.suffix == ".xlsx" else "CSV"
    return client.post(
        reverse(f"admin:relations_{model_name}_import"),
        {
            "format": str([f.__name__ for f in FORMATS].index(format_name)),
            "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )


def confirm(client, model_name, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:relations_{model_name}_process_import"), form.initial, follow=True)


def saved(name, saved_as):
    return FILES / (f"{name}.xlsx" if saved_as == "xlsx" else f"{name}-{saved_as}")


def preview_of(client, model_name, path):
    preview = upload(client, model_name, path)
    page = preview.content.decode()
    assert preview.context.get("confirm_form") is not None, page
    return preview, page


def test_the_files_are_as_libreoffice_saved_them():
    """What the tests below read: LibreOffice's own ways of writing cells, not this site's."""
    utf8 = saved("statistics", "utf8.csv").read_bytes()
    assert not utf8.startswith(b"\xef\xbb\xbf")
    assert '"1.234.567.890,50"' in utf8.decode("utf-8")
    windows = saved("statistics", "windows1254.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        windows.decode("utf-8")
    assert ";1.234,50;" in windows.decode("cp1254")
    assert ";29.07.2025;" in saved("visits", "windows1254.csv").read_bytes().decode("cp1254")
    assert b"xl/worksheets/sheet1.xml" in saved("visits", "xlsx").read_bytes()
    # Amounts formatted past the last record, and two shaded columns: saved as rows and columns of nothing.
    sheet = openpyxl.load_workbook(saved("statistics", "xlsx"), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (len(rows), len(rows[0]), rows[0][-2:], set(rows[-1])) == (45, 19, (None, None), {None})


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_places_with_turkish_letters_and_decimal_commas(editor_client, world, saved_as):
    preview, page = preview_of(editor_client, "place", saved("places", saved_as))
    assert "5 new, 0 changed, 0 unchanged, 0 refused" in page
    for name in ("Iğdır", "Şanlıurfa", "Çanakkale", "Ödemiş", "İnegöl"):
        assert f"{INS}{name}</ins>" in page
    assert f"{INS}39.9237</ins>" in page and f"{INS}44.045</ins>" in page

    confirm(editor_client, "place", preview)
    stored = {place.slug: place for place in records.Place.objects.filter(slug__in=["igdir", "inegol", "canakkale"])}
    assert (stored["igdir"].name, stored["igdir"].latitude, stored["igdir"].longitude) == (
        "Iğdır",
        Decimal("39.9237"),
        Decimal("44.045"),
    )
    # “YANLIŞ” (false), typed in LibreOffice in Turkish: a logical cell, saved as YANLIŞ or as false.
    assert stored["inegol"].name == "İnegöl" and stored["inegol"].country.code == "NA"
    assert stored["inegol"].is_capital is False
    assert stored["canakkale"].name == "Çanakkale" and not stored["canakkale"].is_capital


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_visits_with_turkish_text_and_dates_as_typed(editor_client, world, saved_as):
    preview, page = preview_of(editor_client, "visit", saved("visits", saved_as))
    assert "3 new, 0 changed, 1 unchanged, 0 refused" not in page  # the world's visit is not in the file
    assert "3 new, 0 changed, 0 unchanged, 0 refused" in page
    assert f"{INS}2025-07-29</ins>" in page and f"{INS}2025-07-31</ins>" in page
    # A year typed alone, and a month, are kept at their precision.
    assert f"{INS}2012-01-01</ins>" in page and f"{INS}year</ins>" in page
    assert f"{INS}2024-03-01</ins>" in page and f"{INS}month</ins>" in page
    assert "Görüşmelerde enerji, ulaştırma ve eğitim işbirliği ele alındı" in page

    confirm(editor_client, "visit", preview)
    working = records.Visit.objects.get(slug="calisma-ziyareti-sudby")
    assert (working.start_date, working.start_date_precision, working.end_date) == (
        datetime.date(2025, 7, 29),
        "day",
        datetime.date(2025, 7, 31),
    )
    assert working.kind == "working" and working.invited_by.slug == "bo-host"
    assert working.summary == (
        "Görüşmelerde enerji, ulaştırma ve eğitim işbirliği ele alındı; iki taraf çalışma grubu kurdu."
    )
    assert working.protocol == "Konuk, havalimanında Dışişleri Bakanı tarafından karşılandı (istisnai uygulama)."
    assert working.quote == "“İşbirliğimiz her alanda güçleniyor,” dedi Bo Host."
    assert sorted(topic.slug for topic in working.topics.all()) == ["energy", "trade"]
    assert working.publication_status == "published"

    state = records.Visit.objects.get(slug="devlet-ziyareti-nordby-2012")
    assert (state.start_date, state.start_date_precision, state.end_date) == (datetime.date(2012, 1, 1), "year", None)
    assert state.kind == "state" and state.publication_status == "draft"
    assert "çarşıdaki çiçekçi Gülşen Öztürk" in state.summary and "ağır kış şartlarına" in state.summary

    official = records.Visit.objects.get(slug="resmi-ziyaret-sudby-2024-03")
    assert (official.start_date, official.start_date_precision) == (datetime.date(2024, 3, 1), "month")
    assert official.summary == "Mart ayında yapılan resmî ziyaret: Iğdır, Şanlıurfa ve Çeşme'den heyetler katıldı."
    assert official.source.slug == "ministry"


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_figures_with_thousands_separators_and_decimal_commas(editor_client, world, saved_as):
    preview, page = preview_of(editor_client, "statistic", saved("statistics", saved_as))
    # The first row is the world's stored figure, typed again: 5.000.000.000,00 is 5000000000.
    assert "2 new, 0 changed, 1 unchanged, 0 refused" in page
    assert f"{INS}1234567890.5</ins>" in page and f"{INS}49382715620.25</ins>" in page
    assert f"{INS}1234.5</ins>" in page
    assert f"{INS}2025-05-31</ins>" in page and f"{INS}months</ins>" in page
    assert "Ocak–Mayıs dönemi; geçici (ön) veri, ihracat ağırlıklı." in page

    confirm(editor_client, "statistic", preview)
    assert records.Statistic.objects.count() == 3
    months = records.Statistic.objects.get(period_start=datetime.date(2025, 1, 1))
    assert (months.value, months.equivalent_value, months.equivalent_unit) == (
        Decimal("1234567890.50"),
        Decimal("49382715620.25"),
        "TRY",
    )
    assert (months.period_kind, months.period_end, months.qualifier) == (
        "months",
        datetime.date(2025, 5, 31),
        "exceeded",
    )
    assert (months.from_country.code, months.to_country.code, months.is_preferred) == ("NA", "SA", True)
    assert months.note == "Ocak–Mayıs dönemi; geçici (ön) veri, ihracat ağırlıklı."
    small = records.Statistic.objects.get(period_start=datetime.date(2023, 1, 1))
    assert (small.value, small.qualifier, small.is_preferred, small.publication_status) == (
        Decimal("1234.50"),
        "about",
        False,
        "draft",
    )
    assert small.note == "Küçük ölçekli ticaret; şüpheli kalemler çıkarıldı."
    stored = records.Statistic.objects.get(period_start=datetime.date(2024, 1, 1))
    assert (stored.value, stored.equivalent_value) == (Decimal("5000000000"), Decimal("202860000000"))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("202860000000", "202860000000"),
        ("1.5", "1.5"),
        ("2,5", "2.5"),
        ("-3,75", "-3.75"),
        ("1.234,5", "1234.5"),
        ("5.000.000.000,00", "5000000000"),
        ("1,234.5", "1234.5"),
        ("1,000,000", "1000000"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234\u00a0567,25", "1234567.25"),
        ("2,0286E+11", "202860000000"),
        ("0,500", "0.5"),
        # One separator before three digits, in a column that shows nothing else: a decimal separator.
        ("12.500", "12.5"),
        ("1,234", "1.234"),
    ],
)
def test_numbers_are_read_as_spreadsheets_write_them(text, number):
    assert PlainDecimalWidget().clean(text) == Decimal(number)


@pytest.mark.parametrize("text", ["1.2.3", "1,23,456", "12.3456,7", "1.234,567.8", "12,5 kg", "1."])
def test_what_is_not_a_number_is_refused_saying_how_to_write_one(text):
    with pytest.raises(ValueError, match="is not a number: write digits, with a decimal point or comma"):
        PlainDecimalWidget().clean(text)


def test_a_number_that_could_be_read_two_ways_is_read_as_its_column_writes_decimals():
    widget = PlainDecimalWidget()
    column = widget.read_column(["1.234,50", "12.500", "", None, 7])
    assert (widget.clean("12.500", column=column), widget.clean("1,234", column=column)) == (
        Decimal("12500"),
        Decimal("1.234"),
    )
    column = widget.read_column(["1,234.50", "12.500"])
    assert (widget.clean("12.500", column=column), widget.clean("1,234", column=column)) == (
        Decimal("12.5"),
        Decimal("1234"),
    )
    column = widget.read_column(["1.5", "2,5", "12.500"])
    with pytest.raises(ValueError, match="“12.500” could be 12500 or 12.5: this column writes decimals both"):
        widget.clean("12.500", column=column)
    assert widget.clean("2,5", column=column) == Decimal("2.5")


def test_a_turkish_file_of_figures_grouped_by_thousands_imports_them_whole(superuser_client, world):
    """12.500 beside 1.234,50 in a Value column is twelve thousand five hundred, not twelve and a half."""
    text = saved("statistics", "windows1254.csv").read_bytes().decode("cp1254").replace(";1.234,50;", ";12.500;")
    preview = upload_text(superuser_client, "statistic", text.encode("cp1254"))
    assert f"{INS}12500</ins>" in preview.content.decode()
    confirm(superuser_client, "statistic", preview)
    assert records.Statistic.objects.get(period_start=datetime.date(2023, 1, 1)).value == 12500


def upload_text(client, model_name, data):
    return client.post(
        reverse(f"admin:relations_{model_name}_import"),
        {
            "format": str([f.__name__ for f in FORMATS].index("CSV")),
            "import_file": SimpleUploadedFile(f"{model_name}.csv", data),
        },
    )


def test_cells_a_spreadsheet_saved_only_because_they_are_formatted_are_left_out(superuser_client, world):
    text = "Slug,Name,Description,,\r\nspace,Space,,,\r\nsea,Sea,Deniz ve liman,,\r\n,,,,\r\n,,,,\r\n"
    page = upload_text(superuser_client, "topic", text.encode()).content.decode()
    assert "2 new, 0 changed, 0 unchanged, 0 refused" in page
    # A blank row between records is still a row of the file, refused, so that rows keep their numbers.
    text = "Slug,Name\r\nspace,Space\r\n,\r\nsea,Sea\r\n"
    page = upload_text(superuser_client, "topic", text.encode()).content.decode()
    assert "2 new, 0 changed, 0 unchanged, 1 refused" in page
    refusals = page.split('class="import-preview import-refusals"')[1].split("</table>")[0]
    assert "<td>3</td>" in refusals


@pytest.mark.parametrize(
    ("text", "answer"),
    [("DOĞRU", True), ("Doğru", True), ("YANLIŞ", False), ("yanlış", False), ("EVET", True), ("HAYIR", False)]
    + [("TRUE", True), ("FALSE", False), ("YANLIS", False), ("Yes", True), ("", False)],
)
def test_yes_and_no_as_spreadsheets_in_turkish_write_them(text, answer):
    assert YesNoWidget().clean(text) is answer
