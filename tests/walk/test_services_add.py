"""``tandem services add`` asks before it checks: the check of a partner's examples trains the learned tier
(two minutes on a busy 2-core box), and a user without a terminal, or one who says no, should not wait for it
(walkthrough W13: without a terminal it checked for 1m56s, then asked and aborted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.manifests import manifest

MANIFEST = manifest("walk-parrot.lifestyle", """
[[tools]]
name = "repeat_words"
intent = "repeat_words"

[tools.examples]
en = ["thanks"]
""", name="Parrot", regions=("DE",))


def _add(home: Path, path: Path, answer: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANDEM_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tandem.cli", "services", "add", str(path)], input=answer,
                          capture_output=True, text=True, env=env, timeout=300)


def test_the_user_is_asked_before_the_examples_are_checked(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "parrot.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    declined = _add(home, path, "n\n")
    assert declined.returncode != 0 and "Add this service?" in declined.stdout, declined.stdout + declined.stderr
    assert "is refused" not in declined.stderr, "said no: nothing was checked"
    accepted = _add(home, path, "y\n")
    assert accepted.returncode != 0 and "walk-parrot.lifestyle is refused" in accepted.stderr, accepted.stderr
    assert "'thanks'" in accepted.stderr
