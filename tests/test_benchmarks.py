"""The benchmark runs end to end at a tiny size, so `make bench` cannot rot; the records its scale seeder
writes each get a first version, as after any command that creates records."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from relations import models as records
from relations.history import models_with_history

ROOT = Path(__file__).resolve().parent.parent


# The longest test of the suite: first, so that it does not end a parallel run alone (tests/conftest.py). Its
# `collectstatic` rewrites staticfiles/, which a server started with production settings reads as it starts: never
# beside one (the xdist group keeps them on one worker, one after the other).
@pytest.mark.starts_first
@pytest.mark.xdist_group("staticfiles")
def test_benchmark_runs_at_a_tiny_size():
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| /missions/ |" in result.stdout
    assert "import of statistics" in result.stdout
    written = result.stdout.strip().splitlines()[-1].removeprefix("Written to ")
    report = json.loads((ROOT / written).read_text())
    assert report["pages_scale"]["/"]["queries"] == report["pages_article"]["/"]["queries"]
    imports = report["imports"]["500"]
    assert imports["new_rate"] > 0 and imports["history_rate"] > 0 and imports["driver_rate"] > 0
    assert set(imports["ratios"]) == {"new_vs_history", "unchanged_vs_history", "changed_vs_new"}
    # A file went through a real worker three times (new, unchanged, changed rows), its progress seen in the cache.
    assert "Statistics through a worker" in result.stdout
    jobs = report["background"]["sizes"]["200"]["jobs"]
    assert set(jobs) == {"new", "unchanged", "changed"}
    for job in jobs.values():
        assert job["import_rate"] > 0 and job["worker_peak_mb"] > 0 and job["errors"] == 0
        assert job["requests"] > 0
    (ROOT / written).unlink()


def test_every_seeded_record_has_a_first_version(db):
    call_command("seed_scale", "--pairs", "1", stdout=io.StringIO())
    without_version = {
        model.__name__: model._default_manager.exclude(pk__in=model.history.values(model._meta.pk.attname)).count()
        for model in models_with_history()
    }
    assert set(without_version.values()) == {0}
    version = records.Visit.objects.order_by("pk").first().history.get()
    assert version.history_change_reason == "Synthetic data for benchmarks"
    assert version.topics.count() == 2
