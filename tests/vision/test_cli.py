"""``tandem ask --image``, run as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TINY, register_tiny
from tests.test_cli import tandem


@pytest.mark.usefixtures("judged_home")
def test_ask_with_image_reads_the_poster_into_the_prompt(home: Path, tiny_gguf: Path, poster_png: bytes,
                                                         tmp_path: Path) -> None:
    """A question that is no request to act on goes to the model, with the image's text in the prompt (a
    request that points at the poster is booked: see test_poster.py)."""
    register_tiny(home, tiny_gguf)
    poster = tmp_path / "poster.png"
    poster.write_bytes(poster_png)
    out = tandem("ask", "--image", str(poster), "what is on this poster?", "--model", TINY, "--max-tokens", "3",
                 "--json", home=home)
    assert out.returncode == 0, out.stderr
    assert ("read from poster.png: DUNE: PART TWO | Saturday 14 March 2026, 20:00 | Kino International, Berlin"
            in out.stderr)
    answer = json.loads(out.stdout)
    if answer.get("tasks"):  # the tiny random model called an intent: the request's words are what it read
        assert answer["tasks"][0]["text"] == "what is on this poster?", answer
    else:  # answered by the model, with the poster's text in the prompt
        assert answer["usage"]["prompt_tokens"] > 40, answer
