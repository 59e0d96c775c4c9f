"""Facts found in articles, scored against what an editor entered: recall and precision per record type, and the
time to extract a 1,000-word text.

    python benchmarks/extraction.py [--floor 0.9] [--json]

The article of the fixtures (tests/articles/article-2025-07-29.txt: `fixtures/` holds its every fact) is scored on a
database holding the fixtures only; each article of tests/articles/ on the fixtures plus the reference records its
key names (`reference`), against its key (`expected`). Exits 1 when the fixtures' article scores below the floor
in recall or precision on any record type. Runs in a scratch SQLite database of its own.
"""

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="relations-bench-extraction-")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from relations.extraction import Gazetteer, extract, scoring  # noqa: E402
from relations.management.commands.bootstrap import fixture_files  # noqa: E402

ARTICLES = ROOT / "tests" / "articles"
FIXTURES_ARTICLE = ARTICLES / "article-2025-07-29.txt"


class Rollback(Exception):
    pass


def fixtures_article_text():
    return FIXTURES_ARTICLE.read_text(encoding="utf-8")


def thousand_words(text):
    """A text of about 1,000 words made of the article's paragraphs, repeated."""
    words = []
    while len(words) < 1000:
        words += text.split()
    return " ".join(words[:1000])


def timed_review(text):
    """Seconds to find a 1,000-word text's facts and check them as an import (what an editor waits for in the admin),
    on the fixtures' reference records without their facts, so that every fact is new; rolled back."""
    from relations import models as records
    from relations.extraction.review import Review, source_row

    published = datetime.date(2025, 7, 29)
    try:
        with transaction.atomic():
            for model in (
                records.Statistic,
                records.CouncilMeeting,
                records.Visit,
                records.Mission,
                records.Membership,
            ):
                model.objects.all().delete()
            started = time.perf_counter()
            Review.of_article(
                text, title="Bench", published_on=published, source=source_row("Bench", "", "", published)
            )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=0.9)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("loaddata", *fixture_files(), verbosity=0)
    results = {}
    text = fixtures_article_text()
    key = scoring.key_from_database()
    gazetteer = Gazetteer()
    started = time.perf_counter()
    found = extract(
        text, published_on=datetime.date(2025, 7, 29), source_row=scoring.ARTICLE_SOURCE, gazetteer=gazetteer
    )
    article_seconds = time.perf_counter() - started
    results[scoring.ARTICLE] = scoring.score_extraction(found, key)
    long_text = thousand_words(text)
    started = time.perf_counter()
    extract(long_text, published_on=datetime.date(2025, 7, 29), source_row=scoring.ARTICLE_SOURCE)
    thousand_seconds = time.perf_counter() - started
    review_seconds = timed_review(long_text)
    for path in sorted(ARTICLES.glob("*.json")):
        article = scoring.read_key(path)
        try:
            with transaction.atomic():
                scoring.load_reference(article["reference"])
                extraction = extract(
                    path.with_suffix(".txt").read_text(encoding="utf-8"),
                    published_on=datetime.date.fromisoformat(article["published_on"]),
                    source_row=article["source"],
                )
                results[path.stem] = scoring.score_extraction(extraction, article["expected"])
                raise Rollback
        except Rollback:
            pass
    if options.json:
        print(
            json.dumps(
                {
                    "seconds_article": article_seconds,
                    "seconds_1000_words": thousand_seconds,
                    "seconds_review_1000_words": review_seconds,
                    "scores": {
                        name: {
                            kind: {"key": s.expected, "found": s.proposed, "right": s.matched}
                            for kind, s in scores.items()
                            if s.expected or s.proposed
                        }
                        for name, scores in results.items()
                    },
                },
                indent=1,
            )
        )
    else:
        for name, scores in results.items():
            print(scoring.table(scores, f"\n{name}"))
        print(f"\nExtraction of the article: {article_seconds:.2f} s; of a 1,000-word text: {thousand_seconds:.2f} s")
        print(f"Review of a 1,000-word text (found, then checked twice as an import): {review_seconds:.2f} s")
    below = [
        name
        for name, result in results[scoring.ARTICLE].items()
        if result.recall < options.floor or result.precision < options.floor
    ]
    if below:
        print(f"Below the floor of {options.floor:.0%} on the fixtures' article: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
