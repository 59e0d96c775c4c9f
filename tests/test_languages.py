"""Readers and editors in English, Turkish, Kazakh and Russian: addresses per language, the interface from the
catalogues, records' translations with English as fallback, dates, numbers and names by each language's rules,
search in any language, and files with a column per language."""

import datetime
import html
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from relations import models as records
from relations.dates import format_partial_date, ordinal
from relations.models import format_amount
from relations.registry import RESOURCES

pytestmark = pytest.mark.django_db

PAIR = "/relationships/turkiye-kazakhstan/"
VISIT = "/visits/tokayev-official-visit-turkiye-2025-07-29/"
OTHER_LANGUAGES = ("tr", "kk", "ru")


class VisibleText(HTMLParser):
    """The text a reader sees, without scripts, styles and the parts marked as in English (records' texts shown
    in English for want of a translation, and the language switcher's names)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], []

    def handle_starttag(self, tag, attrs):
        skipped = self.skipping or tag in ("script", "style") or dict(attrs).get("lang")
        if skipped and tag not in ("br", "img", "input", "meta", "link"):
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(page):
    body = page.split("<body", 1)[1]
    parser = VisibleText()
    parser.feed(body)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def interface_sentences():
    """Our catalogue's English sentences of three words or more, with no placeholder: what an English page
    shows of the interface, and a page in another language must not."""
    with (Path(settings.BASE_DIR) / "locale" / "tr" / "LC_MESSAGES" / "django.po").open("rb") as file:
        catalogue = read_po(file)
    sentences = set()
    for message in catalogue:
        text = message.id[0] if isinstance(message.id, tuple) else message.id
        if text and "%" not in text and "{" not in text and "<" not in text and len(text.split()) >= 3:
            sentences.add(" ".join(text.split()))
    return sentences


def public_pages():
    return [
        "/",
        PAIR,
        "/countries/kazakhstan/",
        "/visits/",
        VISIT,
        "/councils/",
        "/missions/",
        "/statistics/",
        "/organizations/",
        "/timeline/",
        "/search/?q=Astana",
        "/data/",
        "/sources/article-2025-07-29/",
    ]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_public_page_answers_in_each_language_with_no_english_interface_sentence_left(
    client, article, language, interface_sentences
):
    for address in public_pages():
        page = client.get(f"/{language}{address}")
        assert page.status_code == 200, address
        text = page.content.decode()
        assert f'<html lang="{language}"' in text, address
        seen = visible_text(text)
        left = [sentence for sentence in interface_sentences if sentence in seen]
        assert not left, f"{address} in {language} still says in English: {left[:5]}"


def test_english_stays_at_the_root_and_an_unknown_prefix_is_a_404(client, article):
    english = client.get(PAIR)
    assert english.status_code == 200
    assert '<html lang="en"' in english.content.decode()
    assert client.get(f"/xx{PAIR}").status_code == 404
    assert client.get(f"/en{PAIR}").status_code == 404


def test_the_language_switcher_keeps_the_page_and_its_filters(client, article):
    page = client.get("/kk/visits/?country=TR").content.decode()
    assert 'href="/visits/?country=TR"' in page
    assert 'href="/tr/visits/?country=TR"' in page
    assert 'href="/ru/visits/?country=TR"' in page
    assert re.search(r'<a href="/kk/visits/\?country=TR"[^>]*aria-current="true"', page)


def test_pages_name_their_other_languages_with_hreflang(client, article):
    page = client.get(f"/ru{PAIR}").content.decode()
    for code, prefix in (("en", ""), ("tr", "/tr"), ("kk", "/kk"), ("ru", "/ru")):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver{prefix}{PAIR}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{PAIR}">' in page


def test_the_sitemap_lists_each_page_in_each_language(client, article):
    response = client.get("/sitemap-relationships.xml")
    text = response.content.decode()
    assert f"<loc>http://testserver/kk{PAIR}</loc>" in text
    assert f'hreflang="tr" href="http://testserver/tr{PAIR}"' in text


def test_the_page_cache_keeps_each_language_apart(client, article):
    assert '<html lang="en"' in client.get("/visits/").content.decode()
    assert '<html lang="tr"' in client.get("/tr/visits/").content.decode()
    assert '<html lang="en"' in client.get("/visits/").content.decode()


def test_dates_by_each_languages_rules_at_their_precision():
    day, month = datetime.date(2025, 7, 29), datetime.date(2024, 3, 1)
    shown = {}
    for language in ("en", "tr", "kk", "ru"):
        with translation.override(language):
            shown[language] = (
                format_partial_date(day),
                format_partial_date(month, "month"),
                format_partial_date(datetime.date(2009, 1, 1), "year"),
            )
    assert shown["en"] == ("29 July 2025", "March 2024", "2009")
    assert shown["tr"] == ("29 Temmuz 2025", "Mart 2024", "2009")
    # CLDR puts a narrow no-break space between the year and its "ж." or "г.".
    assert shown["kk"] == ("2025\u202fж. 29 шілде", "2024\u202fж. наурыз", "2009")
    assert shown["ru"] == ("29 июля 2025\u202fг.", "март 2024\u202fг.", "2009")


def test_amounts_and_ordinals_by_each_languages_rules():
    shown = {}
    for language in ("en", "tr", "kk", "ru"):
        with translation.override(language):
            shown[language] = (
                format_amount(Decimal("5000000000"), "USD"),
                format_amount(Decimal("202860000000"), "TRY"),
                format_amount(Decimal("12000"), "persons"),
                ordinal(33),
            )
    assert shown["en"] == ("$5 billion", "TL 202.86 billion", "12,000 persons", "33rd")
    assert shown["tr"] == ("5 milyar $", "202,86 milyar ₺", "12.000 persons", "33.")
    # Kazakh and Russian group digits with a no-break space; CLDR gives Kazakh and Russian no sign of the lira.
    assert shown["kk"] == ("5 миллиард $", "202,86 миллиард TL", "12\xa0000 persons", "33-ші")
    assert shown["ru"] == ("5 млрд $", "202,86 млрд TL", "12\xa0000 persons", "33-я")


def test_a_kazakh_reader_reads_the_pair_in_kazakh(client, article):
    page = client.get(f"/kk{PAIR}").content.decode()
    # The countries' names from CLDR, as no editor gave a Kazakh one.
    assert "Қазақстан" in page
    assert "Түркия" in page
    # Dates and amounts by Kazakh rules.
    assert "\u202fж." in page
    assert "миллиард" in page


def test_a_translation_is_shown_and_a_missing_one_falls_back_to_english_marked_as_such(client, article):
    visit = records.Visit.objects.get(slug="tokayev-official-visit-turkiye-2025-07-29")
    visit.summary_tr = "Tokayev'in Türkiye'ye resmî ziyareti."
    visit.save()
    turkish = client.get(f"/tr{VISIT}").content.decode()
    assert "Tokayev'in Türkiye'ye resmî ziyareti." in html.unescape(turkish)
    russian = client.get(f"/ru{VISIT}").content.decode()
    assert re.search(r'<span lang="en" class="untranslated" title="[^"]+">', russian)
    english = client.get(VISIT).content.decode()
    assert "untranslated" not in english


@pytest.mark.parametrize("query", ["Казахстан", "Kazakistan", "Қазақстан", "Türkiye", "Turkey", "Түркия", "Турция"])
@pytest.mark.parametrize("language", ["", "/tr", "/kk", "/ru"])
def test_search_finds_the_countries_in_any_language_whatever_the_pages_language(client, article, query, language):
    page = client.get(f"{language}/search/", {"q": query})
    assert page.status_code == 200
    found = page.content.decode()
    assert "/countries/kazakhstan/" in found or "/countries/turkiye/" in found


def test_a_records_translation_is_found_by_search_from_a_page_in_any_language(client, article):
    organization = records.Organization.objects.get(slug="ots")
    organization.name_kk = "Түркі мемлекеттері ұйымы"
    organization.save()
    for language in ("", "/kk", "/ru"):
        page = client.get(f"{language}/search/", {"q": "түркі мемлекеттері"}).content.decode()
        assert f"{language}/organizations/ots/" in page, language


def export_rows(name):
    resource = RESOURCES[name]()
    return resource.export()


def test_a_file_with_language_columns_round_trips(world):
    visit = world["visit"]
    visit.summary = "Talks on energy."
    visit.summary_tr = "Enerji görüşmeleri."
    visit.summary_ru = "Переговоры по энергетике."
    visit.save()
    dataset = export_rows("visits")
    assert {"Summary", "Summary (tr)", "Summary (kk)", "Summary (ru)"} <= set(dataset.headers)
    records.Visit.objects.filter(pk=visit.pk).update(summary_tr="", summary_ru="")
    result = RESOURCES["visits"]().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    visit.refresh_from_db()
    assert (visit.summary_tr, visit.summary_ru, visit.summary_kk) == (
        "Enerji görüşmeleri.",
        "Переговоры по энергетике.",
        "",
    )


def test_an_older_file_without_language_columns_imports_unchanged_and_keeps_the_translations(world):
    country = world["north"]
    country.name_tr = "Kuzeyülke"
    country.save()
    dataset = export_rows("countries")
    for header in [header for header in dataset.headers if header.endswith(("(tr)", "(kk)", "(ru)"))]:
        del dataset[header]
    dataset.append(["XL", "Extraland", "", "", ""][: len(dataset.headers)])
    result = RESOURCES["countries"]().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    country.refresh_from_db()
    assert country.name_tr == "Kuzeyülke"
    assert records.Country.objects.filter(code="XL", name="Extraland").exists()


def test_a_turkish_editor_imports_a_file_with_turkish_names_in_the_turkish_admin(editor_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_admin_import_export import CSV_INDEX

    text = "ISO code,Short name,Short name (tr),Adjective\r\nNA,Northland,Kuzeyülke,Northern\r\n"
    with translation.override("tr"):
        import_url = reverse("admin:relations_country_import")
        process_url = reverse("admin:relations_country_process_import")
    assert import_url.startswith("/tr/admin/")
    preview = editor_client.post(
        import_url,
        {"format": CSV_INDEX, "import_file": SimpleUploadedFile("countries.csv", text.encode(), "text/csv")},
    )
    assert preview.status_code == 200
    assert '<html lang="tr"' in preview.content.decode()
    confirmed = editor_client.post(process_url, preview.context["confirm_form"].initial, follow=True)
    assert confirmed.status_code == 200
    north = records.Country.objects.get(code="NA")
    assert (north.name, north.name_tr) == ("Northland", "Kuzeyülke")


def test_the_admin_speaks_each_language(editor_client):
    for language, words in (
        ("tr", ("Son eylemler", "Oturumu kapat")),
        ("kk", ("Соңғы әрекеттер", "Шығу")),
        ("ru", ("Последние действия", "Выйти")),
    ):
        page = editor_client.get(f"/{language}/admin/").content.decode()
        assert f'lang="{language}"' in page
        assert all(word in page for word in words), language
        assert "Recent actions" not in page


def test_every_catalogue_is_translated_and_none_is_fuzzy():
    call_command("translations", check_only=True, verbosity=0)


def test_a_revert_from_the_turkish_admin_stores_its_reason_in_english(superuser_client, world):
    country = world["north"]
    country.name_tr = "Kuzeyülke"
    country.save()
    first = country.history.earliest()
    with translation.override("tr"):
        revert = reverse("admin:relations_country_simple_history", args=[country.pk, first.history_id])
    page = superuser_client.get(revert)
    assert page.status_code == 200
    superuser_client.post(revert, {**page.context["adminform"].form.initial, "code": "NA", "name": "Northland"})
    reason = country.history.latest().history_change_reason
    assert reason.startswith("Reverted to the version of ")
    assert "Aralık" not in reason and "Ocak" not in reason


def test_english_pages_do_not_vary_by_the_browsers_language(client, article):
    english = client.get("/visits/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="en"' in english.content.decode()
    assert "accept-language" not in english.get("Vary", "").lower()
    assert english["Content-Language"] == "en"
    assert client.get("/ru/visits/")["Content-Language"] == "ru"
