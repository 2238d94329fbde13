"""The benchmark keeps working: ``benchmarks/run.py --quick`` runs end to end at tiny sizes.

Not a timed test: it checks that every stage, product and ratio is printed, never the figures.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_quick_benchmark_prints_its_tables() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for stage in ("load", "validate", "model", "charts", "render timeline", "render brief", "write", "peak memory"):
        assert f"  {stage}" in out, stage
    assert out.count("timeline PDF") == out.count("brief PDF") == 2  # one table per input
    assert "ratios (medians of 1" in out
    for ratio in ("cold build of the sample", "timeline at 60", "one ReportLab Table", "WeasyPrint", "watch rebuild", "peak memory at 60", "tagged ÷ untagged", "load of the 60-event workbook"):
        assert ratio in out, ratio
