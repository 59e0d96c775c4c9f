"""New from an article, as an editor uses it: paste the text, review the facts beside their sentences, correct and
drop, save as drafts with a first version naming the article; and the same through the command line."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from relations import models as records
from tests.test_extraction import article_text, without_facts

pytestmark = pytest.mark.django_db

NEW = "/admin/relations/article/new/"
TITLE = "Erdoğan hosts Kazakh President Tokayev in Ankara"


def paste(client, text=None, **fields):
    data = {
        "text": text if text is not None else article_text(),
        "title": TITLE,
        "publisher": "Daily Sabah",
        "url": "https://example.org/erdogan-hosts-tokayev",
        "published_on": "29.07.2025",
        **fields,
    }
    return client.post(NEW, data)


def review_form(html):
    """The review page's form as the browser would post it: ticked boxes and every cell."""
    data = dict.fromkeys(re.findall(r'<input type="checkbox" name="([^"]+)" checked>', html), "on")
    for name, value in re.findall(r'<input type="text" name="(cell-[^"]+)" value="([^"]*)">', html):
        data[name] = value.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    for name, value in re.findall(r'<textarea name="(cell-[^"]+)" rows="3">(.*?)</textarea>', html, re.S):
        data[name] = value.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    return data


def cell_name(html, record_type, header, value):
    """The name of the review's cell of `header` holding `value`, in a row of `record_type`."""
    headers = re.findall(
        r'<label class="article-cell"><span>([^<]+)</span>\s*<(?:input|textarea)[^>]*name="(cell-([a-z-]+)-(\d+)-(\d+))"',
        html,
    )
    for shown, name, row_type, _index, _column in headers:
        if row_type == record_type and shown == header:
            field = re.search(rf'name="{name}" value="([^"]*)"', html)
            if field and field.group(1) == value:
                return name
    raise AssertionError(f"no {record_type} cell {header} = {value}")


def test_an_editor_pastes_the_article_corrects_a_figure_drops_one_and_saves_drafts(editor_client, article):
    without_facts()
    assert "New from an article" in editor_client.get("/admin/").content.decode()

    response = paste(editor_client)
    assert response.status_code == 302
    review_url = response["Location"]
    html = editor_client.get(review_url).content.decode()
    # Each fact beside its sentence, which is marked in the article's text.
    assert "Review the facts found in “Erdoğan hosts Kazakh President Tokayev in Ankara”" in html
    assert '<mark id="sentence-' in html and 'href="#sentence-' in html
    assert "<h2>Missions <span" in html and "<h2>Statistics <span" in html
    assert re.search(r"\d+ new", html)

    form = review_form(html)
    trade = cell_name(html, "statistics", "Value", "5000000000")
    form[trade] = "5100000000"  # corrected by the editor
    dropped = cell_name(html, "missions", "City", "bitlis")
    del form["keep-" + dropped.removeprefix("cell-").rsplit("-", 1)[0]]
    form["_save"] = "Save as drafts"
    saved = editor_client.post(review_url, form)

    assert saved.status_code == 200
    page = saved.content.decode()
    assert "each a draft" in page and "History naming the article" in page
    source = records.Source.objects.get(title=TITLE)
    assert source.publisher == "Daily Sabah" and source.url == "https://example.org/erdogan-hosts-tokayev"
    trade_figure = records.Statistic.objects.get(indicator__slug="bilateral-trade", period_start__year=2024)
    assert trade_figure.value == Decimal("5100000000")
    assert trade_figure.source == source and "$5 billion" in trade_figure.quote
    assert not records.Mission.objects.filter(place__slug="bitlis").exists()
    assert records.Mission.objects.count() == 15
    for model in (records.Statistic, records.Mission, records.Visit, records.CouncilMeeting, records.Milestone):
        assert model.objects.exists(), model
        assert set(model.objects.values_list("publication_status", flat=True)) == {"draft"}, model
    visit = records.Visit.objects.get()
    first = visit.history.get()
    assert first.history_change_reason == f"From the article “{TITLE}”"
    assert first.history_user.username == "editor"
    assert editor_client.get(f"/admin/relations/visit/{visit.pk}/history/").status_code == 200
    # The review has ended: its address answers 404.
    assert editor_client.get(review_url).status_code == 404


def test_facts_already_on_the_site_are_left_unticked_and_never_changed(editor_client, article):
    published_before = set(records.Mission.objects.published().values_list("pk", flat=True))
    review_url = paste(editor_client)["Location"]
    html = editor_client.get(review_url).content.decode()
    assert "Already on the site, unchanged: left out." in html
    # The figures are the article's, from a new source: proposed beside the stored ones, not preferred.
    assert "proposed beside it, not preferred" in html

    form = review_form(html)
    form["_save"] = "Save as drafts"
    assert editor_client.post(review_url, form).status_code == 200
    assert set(records.Mission.objects.published().values_list("pk", flat=True)) == published_before
    assert records.Visit.objects.get().is_published
    new_figures = records.Statistic.objects.filter(source__title=TITLE)
    assert new_figures.exists() and not new_figures.filter(is_preferred=True).exists()


def test_a_refused_row_stops_the_save_with_the_models_words_until_it_is_corrected(editor_client, article):
    without_facts()
    review_url = paste(editor_client)["Location"]
    html = editor_client.get(review_url).content.decode()
    form = review_form(html)
    form[cell_name(html, "statistics", "Value", "5000000000")] = "five"
    form["_save"] = "Save as drafts"

    response = editor_client.post(review_url, form)

    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "refused" in page
    assert not records.Statistic.objects.exists() and not records.Source.objects.filter(title=TITLE).exists()


def test_the_text_and_a_source_or_its_title_and_date_are_asked_for(editor_client, article):
    response = paste(editor_client, text="", title="", published_on="")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Give it, or choose a source already on the site.") == 2
    assert "This field is required." in page
    assert "05/03/2024" not in page
    # Day first, as editors type it.
    assert paste(editor_client, published_on="29/07/2025").status_code == 302


def test_an_existing_source_may_be_chosen_instead(editor_client, article):
    without_facts()
    source = records.Source.objects.get(slug="article-2025-07-29")
    response = paste(editor_client, source=source.pk, title="", published_on="")
    assert response.status_code == 302
    html = editor_client.get(response["Location"]).content.decode()
    assert "article-2025-07-29" in html
    assert records.Source.objects.count() == records.Source.objects.filter(pk__gte=0).count()


def test_someone_without_the_right_to_import_cannot_draft_from_an_article(client, django_user_model, article):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    assert client.get(NEW).status_code == 403
    assert "New from an article" not in client.get("/admin/").content.decode()


def test_an_unknown_review_answers_404(editor_client):
    assert editor_client.get("/admin/relations/article/no-such-review/").status_code == 404


# The command line -------------------------------------------------------------------------------------------


def test_the_command_writes_files_that_import_all_previews_and_saves_as_drafts(article, tmp_path):
    without_facts()
    text = tmp_path / "article.txt"
    text.write_text(article_text(), encoding="utf-8")
    out = tmp_path / "drafts"
    said = io.StringIO()
    call_command(
        "draft_from_article",
        str(text),
        "--title",
        TITLE,
        "--publisher",
        "Daily Sabah",
        "--url",
        "https://example.org/erdogan-hosts-tokayev",
        "--published",
        "2025-07-29",
        "--out",
        str(out),
        stdout=said,
        stderr=io.StringIO(),
    )
    assert "statistics: 11" in said.getvalue()
    assert (out / "02-sources.csv").exists() and (out / "18-statistics.csv").exists()

    preview = io.StringIO()
    call_command("import", "all", str(out), "--dry-run", stdout=preview)
    assert "Dry run: the file is valid" in preview.getvalue()
    assert not records.Statistic.objects.exists()
    call_command("import", "all", str(out), stdout=io.StringIO())
    assert records.Source.objects.filter(title=TITLE, publisher="Daily Sabah").exists()
    assert set(records.Statistic.objects.values_list("publication_status", flat=True)) == {"draft"}
    assert records.Mission.objects.count() == 16


def test_the_command_leaves_out_what_the_site_has_and_says_what_it_found(article, tmp_path):
    text = tmp_path / "article.txt"
    text.write_text(article_text(), encoding="utf-8")
    said = io.StringIO()
    call_command("draft_from_article", str(text), "--title", TITLE, "--published", "2025-07-29", stdout=said)
    assert "16 left out: already on the site" in said.getvalue()
    assert "not preferred" in said.getvalue()
    assert not (tmp_path / "drafts").exists()


def test_the_command_refuses_a_date_it_cannot_read(tmp_path):
    text = tmp_path / "article.txt"
    text.write_text("Nothing.", encoding="utf-8")
    with pytest.raises(CommandError, match="not a date"):
        call_command("draft_from_article", str(text), "--title", "T", "--published", "29.07.2025")


def test_a_long_text_is_read_by_a_worker_whose_job_leads_to_the_review(editor_client, article, run_worker, monkeypatch):
    from relations import tasks

    without_facts()
    monkeypatch.setattr(tasks, "BACKGROUND_ARTICLE_WORDS", 100)
    response = paste(editor_client)
    job = records.Job.objects.get(kind="article")
    assert response["Location"] == job.get_absolute_url()
    assert "Waiting for a worker" in editor_client.get(job.get_absolute_url()).content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.status == "done" and job.outcome["counts"]["new"] > 50
    page = editor_client.get(job.get_absolute_url()).content.decode()
    review_link = re.search(r'href="(/admin/relations/article/job/\d+/)">Review the facts found', page).group(1)
    review_url = editor_client.get(review_link)["Location"]
    html = editor_client.get(review_url).content.decode()
    assert "<h2>Missions <span" in html
    assert not records.Mission.objects.exists(), "nothing is written before the editor saves"


def test_the_saved_page_links_every_draft_the_figures_too(editor_client, article):
    without_facts()
    review_url = paste(editor_client)["Location"]
    form = review_form(editor_client.get(review_url).content.decode())
    form["_save"] = "Save as drafts"
    page = editor_client.post(review_url, form).content.decode()
    links = re.findall(r'<a href="/admin/relations/(\w+)/(\d+)/change/">', page)
    # Every figure found is new here: ten cite the article, one the ministry it reports (a source of its own).
    figures = {int(pk) for model, pk in links if model == "statistic"}
    assert figures == set(records.Statistic.objects.values_list("pk", flat=True)) and len(figures) == 11
    assert sum(1 for model, _pk in links if model == "mission") == 16


def test_no_fact_kept_for_saving_names_a_record_already_on_the_site(article):
    from relations.extraction.review import Review, source_row

    half = records.Mission.objects.filter(place__slug__in=["almaty", "aktau", "bitlis"])
    half.delete()
    published = datetime.date(2025, 7, 29)
    review = Review.of_article(
        article_text() + "\n\n" + article_text(),  # every fact stated twice
        title=TITLE,
        published_on=published,
        source=source_row(TITLE, "", "", published),
    )
    kept = [row for row in review.all_rows() if row.keep]
    assert kept and not [row for row in kept if row.status != "new"]
    assert {row.values["City"] for row in kept if row.record_type == "missions"} == {"almaty", "aktau", "bitlis"}
