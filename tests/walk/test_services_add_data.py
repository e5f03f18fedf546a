"""`tandem services add` says, before the user agrees, which personal data each tool receives and whether each call
is confirmed first (walk2 W2-9): a partner whose manifest forgot `transactional = true` on a tool that receives the
payment token was added with no word about payment, and then booked and charged without a confirmation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.manifests import manifest

TOOLS = """
[[tools]]
name = "quote_rental"

[[tools]]
name = "save_driver"
personal_data = ["name", "phone"]

[[tools]]
name = "book_rental"
idempotency = "key"
personal_data = ["name", "payment_token"]
"""


@pytest.mark.parametrize("transactional", [False, True])
def test_the_data_each_tool_receives_is_shown_before_the_user_agrees(home: Path, tmp_path: Path,
                                                                      transactional: bool) -> None:
    tools = TOOLS.replace("idempotency", "transactional = true\nidempotency") if transactional else TOOLS
    path = tmp_path / "rental.toml"
    path.write_text(manifest("walk-rental.lifestyle", tools, name="Rental", regions=("DE",)), encoding="utf-8")
    shown = subprocess.run([sys.executable, "-m", "tandem.cli", "services", "add", str(path)], input="n\n",
                           capture_output=True, text=True, env={**os.environ, "TANDEM_HOME": str(home)}, timeout=300)
    out = shown.stdout
    assert "Add this service?" in out and shown.returncode != 0, out + shown.stderr
    assert "save_driver receives your name, phone without asking you first" in out
    assert "quote_rental" not in out
    if transactional:
        assert "book_rental receives your name, payment token (each call only after you confirm it)" in out
        assert "WARNING" not in out
    else:
        assert "WARNING: book_rental receives your name, payment token WITHOUT asking you first" in out
