"""The privacy bench never prints report-half items: its figures are read, its texts are not (review R19)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "privacy.py"


def test_the_bench_refuses_to_show_report_half_texts() -> None:
    run = subprocess.run([sys.executable, str(BENCH), "--show", "1", "--sets", "no-such-set"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 2 and "--half tune only" in run.stderr


def test_the_second_split_is_of_the_tune_half_only() -> None:
    """``--split A|B`` divides the tune half to choose a change on A and check it on B; the report half stays whole."""
    run = subprocess.run([sys.executable, str(BENCH), "--split", "A", "--sets", "no-such-set"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 2 and "--half tune only" in run.stderr
