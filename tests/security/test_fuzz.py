"""Schemathesis against the live server's own /openapi.json with a small budget (bench/fuzz.py with a larger
one): generated valid and invalid requests to every operation but the few that load heavy models on first
use; no answer may be a 5xx and none may hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"


@pytest.mark.timeout(400)
def test_generated_requests_get_no_server_error_and_no_hang(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--max-examples", "4", "--max-time", "90",
                           "--phases", "examples,fuzzing", "--skip-heavy", "--request-timeout", "30", "--json"],
                          capture_output=True, text=True, timeout=360, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["requests"] > 50  # operations were reached, several times
    assert result["server_errors"] == 0 and result["timeouts"] == 0, result["failures"]
    assert result["server_exceptions"] == 0, result["failures"]
    assert result["returncode"] == 0, result["failures"]
