"""``tandem ask --audio``, run as a user runs it: the transcript is the request the assistant acts on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TINY, register_tiny
from tests.speech.conftest import DUNE, wer
from tests.test_cli import tandem


@pytest.mark.usefixtures("judged_home")  # what it tests is not a fresh home training its judge
def test_ask_with_audio_feeds_the_transcript_to_the_model(home: Path, tiny_gguf: Path, dune_mp3: bytes,
                                                          tmp_path: Path) -> None:
    register_tiny(home, tiny_gguf)
    recording = tmp_path / "dune.mp3"
    recording.write_bytes(dune_mp3)
    out = tandem("ask", "--audio", str(recording), "--model", TINY, "--max-tokens", "3", "--json", home=home)
    assert out.returncode == 0, out.stderr
    heard = next(line for line in out.stderr.splitlines() if line.startswith("heard: "))
    assert wer(DUNE, heard.removeprefix("heard: ")) <= 0.10, heard
    assert "loading device:whisper-base" in out.stderr and "transcribing dune.mp3" in out.stderr, "progress shown"
    # the assistant acts on what was heard: a ticket order for two, for Dune
    task = json.loads(out.stdout)["tasks"][0]
    assert task["intent"] == "buy_movie_tickets" and task["text"] == heard.removeprefix("heard: ")
    assert task["slots"]["count"] == 2 and task["slots"]["film"].lower() == "dune", task


def test_ask_with_bad_audio_is_a_one_line_error(home: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "note.mp3"
    bogus.write_text("not audio at all " * 20)
    out = tandem("ask", "--audio", str(bogus), home=home)
    assert out.returncode == 1 and "not audio we can read" in out.stderr and "Traceback" not in out.stderr
