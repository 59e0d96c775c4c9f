"""The benchmark runs end to end at a tiny size, so `make bench` cannot rot."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    assert report["imports"]["500"]["new_rate"] > 0
    (ROOT / written).unlink()
