"""New from an article: the editor pastes a news text, reviews the facts found in it beside their sentences,
corrects or drops each, and saves the rest as drafts citing the article (relations.extraction.review)."""

import datetime
import secrets

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import models as records
from .. import tasks
from ..extraction.review import Review, counted, source_row, source_row_of
from ..registry import BY_NAME
from .forms import WholeDateField

# Reviews an editor has open, each under its own token in their session (several tabs, several articles).
SESSION_KEY = "article-reviews"
# The longest text taken: about 15,000 words, several times the longest news article.
MAX_TEXT = 100_000


class ArticleForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the article"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        max_length=MAX_TEXT,
        help_text=_("Paste the article's text as published, headline and dateline aside."),
    )
    source = forms.ModelChoiceField(
        label=_("A source already on the site"),
        queryset=records.Source.objects.all(),
        required=False,
        help_text=_("Or give the article's title, publisher, address and date below: it is saved as a new source."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    url = forms.URLField(label=_("Web address"), max_length=500, required=False, assume_scheme="https")
    published_on = WholeDateField(
        label=_("Publication date"),
        required=False,
        help_text=_("“On Tuesday”, “last year” are read from this date: 29.07.2025 or 2025-07-29."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        source.widget = AutocompleteSelect(records.Visit._meta.get_field("source"), admin_site)
        source.widget.choices = source.choices

    def clean(self):
        data = super().clean()
        if data.get("source"):
            if data["source"].published_on is None or data["source"].published_on_precision != "day":
                self.add_error(
                    "source", gettext("This source has no whole publication date, which relative dates are read from.")
                )
            return data
        for name in ("title", "published_on"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, gettext("Give it, or choose a source already on the site."))
        return data

    def article(self):
        """The text, its title and publication date, and its row of the sources file."""
        data = self.cleaned_data
        if data["source"]:
            source = data["source"]
            row, title, published_on = source_row_of(source), source.title, source.published_on
        else:
            title, published_on = data["title"], data["published_on"]
            row = source_row(title, data["publisher"], data["url"], published_on)
        return {"text": data["text"], "title": title, "published_on": published_on.isoformat(), "source": row}

    def long(self):
        return len(self.cleaned_data["text"].split()) > tasks.BACKGROUND_ARTICLE_WORDS


def urls(admin_site):
    return [
        path("relations/article/new/", admin_site.admin_view(new_article(admin_site)), name="relations_article_new"),
        path(
            "relations/article/job/<int:pk>/",
            admin_site.admin_view(review_from_job),
            name="relations_article_from_job",
        ),
        path(
            "relations/article/<slug:token>/",
            admin_site.admin_view(review_article(admin_site)),
            name="relations_article_review",
        ),
    ]


def may_draft_from_articles(user):
    return user.has_perm("relations.import_source")


def new_article(admin_site):
    def view(request):
        if not may_draft_from_articles(request.user):
            raise PermissionDenied
        form = ArticleForm(request.POST or None, admin_site=admin_site)
        if request.method == "POST" and form.is_valid():
            article = form.article()
            if form.long():
                job = tasks.enqueue(
                    kind=records.Job.Kind.ARTICLE,
                    record_type="sources",
                    user=request.user,
                    file_name=article["title"][:255],
                    outcome={"article": article},
                )
                return HttpResponseRedirect(job.get_absolute_url())
            review = Review.of_article(
                article["text"],
                title=article["title"],
                published_on=datetime.date.fromisoformat(article["published_on"]),
                source=article["source"],
                user=request.user,
            )
            return to_review(request, review.as_data())
        context = {
            **admin_site.each_context(request),
            "title": gettext("New from an article"),
            "form": form,
            "media": form.media,
        }
        return TemplateResponse(request, "admin/relations/article/new.html", context)

    return view


def to_review(request, data):
    """Keep a review in the editor's session under a token of its own, and go to its page."""
    token = secrets.token_urlsafe(9)
    reviews = request.session.get(SESSION_KEY, {})
    reviews[token] = data
    request.session[SESSION_KEY] = reviews
    return HttpResponseRedirect(reverse("admin:relations_article_review", args=[token]))


def review_from_job(request, pk):
    """The review a worker made of a long article, opened by the editor who started it."""
    if not may_draft_from_articles(request.user):
        raise PermissionDenied
    job = get_object_or_404(
        records.Job.objects.started_by(request.user),
        pk=pk,
        kind=records.Job.Kind.ARTICLE,
        status=records.Job.Status.DONE,
    )
    return to_review(request, job.outcome["review"])


def review_article(admin_site):
    def view(request, token):
        if not may_draft_from_articles(request.user):
            raise PermissionDenied
        reviews = request.session.get(SESSION_KEY, {})
        if token not in reviews:
            raise Http404(gettext("This review has ended, or was opened in another session."))
        review = Review.from_data(reviews[token])
        if request.method == "POST":
            read_corrections(review, request.POST)
            refused_rights = types_not_importable(review, request.user)
            if refused_rights:
                messages.error(
                    request,
                    gettext("You may not import: %(record_types)s.") % {"record_types": ", ".join(refused_rights)},
                )
            elif "_save" in request.POST:
                if review.save(request.user):
                    saved = [row for row in review.all_rows() if row.saved]
                    del reviews[token]
                    request.session[SESSION_KEY] = reviews
                    return saved_page(request, admin_site, review, saved)
                messages.error(
                    request, gettext("Nothing was saved: correct or drop the refused rows, then save again.")
                )
            else:
                review.check(request.user)
            reviews[token] = review.as_data()
            request.session[SESSION_KEY] = reviews
        else:
            review.check(request.user)
        context = {
            **admin_site.each_context(request),
            "title": gettext("Review the facts found in “%(title)s”") % {"title": review.title},
            "review": review,
            "token": token,
            "article_html": highlighted(review),
            "groups": [
                (
                    record_type,
                    capfirst(record_type.model._meta.verbose_name_plural),
                    list(rows_with_cells(review.text, rows, headers)),
                )
                for record_type, rows, headers in review.groups()
            ],
            # Each count in the editor's words ("3 new"), its status kept for the page's CSS class.
            "counts": [(status, counted(status, count)) for status, count in review.counts().items()],
        }
        return TemplateResponse(request, "admin/relations/article/review.html", context)

    return view


def rows_with_cells(text, rows, headers):
    """Each row with its position, the sentence it came from, and its cells as (index, header, value), for the
    form's field names."""
    for index, row in enumerate(rows):
        sentence = text[row.spans[0][0] : row.spans[0][1]] if row.spans else ""
        cells = [(column, header, row.values.get(header, "")) for column, header in enumerate(headers)]
        yield index, row, sentence, cells


def read_corrections(review, data):
    """The editor's ticks and corrected cells, as the review page posted them."""
    for record_type, rows, headers in review.groups():
        for index, row in enumerate(rows):
            prefix = f"{record_type.name}-{index}"
            row.keep = data.get(f"keep-{prefix}") == "on"
            for column, header in enumerate(headers):
                name = f"cell-{prefix}-{column}"
                if name in data:
                    row.values[header] = data[name].strip()


def types_not_importable(review, user):
    return [
        str(record_type.model._meta.verbose_name_plural)
        for record_type, rows, _headers in review.groups()
        if any(row.keep for row in rows) and not user.has_perm(f"relations.import_{record_type.model._meta.model_name}")
    ]


def saved_page(request, admin_site, review, saved):
    messages.success(
        request,
        ngettext(
            "Saved %(count)d record from “%(title)s” as a draft.",
            "Saved %(count)d records from “%(title)s”, each a draft.",
            len(saved),
        )
        % {"count": len(saved), "title": review.title},
    )
    context = {
        **admin_site.each_context(request),
        "title": gettext("Saved from “%(title)s”") % {"title": review.title},
        "saved": [(capfirst(BY_NAME[row.record_type].model._meta.verbose_name), row, change_url(row)) for row in saved],
    }
    return TemplateResponse(request, "admin/relations/article/saved.html", context)


def change_url(row):
    model = BY_NAME[row.record_type].model
    try:
        return reverse(f"admin:relations_{model._meta.model_name}_change", args=[row.saved[0]])
    except NoReverseMatch:
        return ""


def highlighted(review):
    """The article's text with every sentence a kept or dropped row came from marked, each with an id the rows
    link to; paragraphs kept."""
    spans = sorted({tuple(span) for row in review.all_rows() for span in row.spans})
    text, parts, position = review.text, [], 0
    for start, end in spans:
        if start < position:
            continue
        parts.append(escape(text[position:start]))
        parts.append(f'<mark id="sentence-{start}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    paragraphs = "".join(parts).split("\n\n")
    return mark_safe("".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph.strip()))
