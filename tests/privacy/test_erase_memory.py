"""An erasure also empties what the process keeps in memory from the user's texts (``tandem.forget``): a
running server remembers the findings of the last 512 texts it checked before a cloud call, the words of
the last texts it split, the words of past prompts; after ``DELETE /v1/privacy/data`` none of them may
hold anything the user wrote."""

from __future__ import annotations

import gc
import random
import re
import string
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.forget import forget_all, forgets
from tandem.models.registry import ModelRegistry
from tandem.privacy.detect import Finding, Remembered
from tandem.privacy.erase import erase_user_data
from tandem.privacy.ner import SpacyDetector
from tandem.router.wiring import register_routing
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud


def _made_up_name() -> str:
    """A name no module, dictionary or earlier test holds: whatever holds it after the request got it from it."""
    return "Zy" + "".join(random.choice(string.ascii_lowercase) for _ in range(9))


def _held_in_memory(marker: str) -> list[str]:
    """Every string in this process (reachable from a container the garbage collector tracks) that holds
    ``marker`` in any case, other than ``marker`` itself."""
    gc.collect()
    needle, found, seen = marker.lower(), [], set()
    todo: list[Any] = gc.get_objects()
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for inner in gc.get_referents(obj):
            if isinstance(inner, str):
                if inner is not marker and len(inner) >= len(needle) and needle in inner.lower():
                    found.append(inner[:80])
            elif not gc.is_tracked(inner) and isinstance(inner, (tuple, dict, frozenset)):
                todo.append(inner)  # untracked containers (of strings only) are not in gc.get_objects()
    return found


@pytest.fixture
def tandem(tiny_registry: ModelRegistry, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """Tandem with its routing wired to a recording cloud on loopback, as ``tandem serve`` runs it."""
    from tandem.api.app import create_app

    with LiveServer(RecordingCloud().app()) as cloud:
        monkeypatch.setenv("TANDEM_CLOUD_URL", cloud.url + "/v1")
        monkeypatch.setenv("TANDEM_CLOUD_REGION", "DE")
        register_routing(tiny_registry, TINY)
        with LiveServer(create_app(tiny_registry)) as server:
            yield server


def _chat(server: LiveServer, name: str) -> bool:
    """One chat turn through the cloud (the egress check runs); True if the answer came back restored."""
    text = f"Please write to {name} Okafor at {name.lower()}@example.org about Friday."
    body = {"model": "tandem:cloud-allowed", "messages": [{"role": "user", "content": text}], "max_tokens": 16}
    answer = httpx.post(server.url + "/v1/chat/completions", json=body, timeout=120)
    return answer.status_code == 200 and name in answer.json()["choices"][0]["message"]["content"]


def test_erasing_through_the_api_leaves_no_text_of_the_user_in_the_servers_memory(tandem: LiveServer) -> None:
    name = _made_up_name()
    assert _chat(tandem, name)
    assert _held_in_memory(name), "the egress check's cache should hold the text before the erasure"
    erased = httpx.delete(tandem.url + "/v1/privacy/data", headers=tandem.local, timeout=60)
    assert erased.status_code == 200
    assert _held_in_memory(name) == []
    assert _chat(tandem, _made_up_name())  # the caches fill again: the server still serves


class _Counting:
    def __init__(self) -> None:
        self.calls = 0

    def detect(self, text: str, language: str) -> list[Finding]:
        self.calls += 1
        return [Finding(0, 4, "PERSON", text[:4])]


def test_erasing_without_a_server_empties_the_caches_too(tmp_path: Path) -> None:
    counting = _Counting()
    remembered = Remembered(counting)
    remembered.detect("Anna is here", "en")
    erase_user_data(tmp_path)
    remembered.detect("Anna is here", "en")
    assert counting.calls == 2  # checked again: nothing was kept across the erasure


def test_a_check_under_way_during_an_erasure_is_not_kept() -> None:
    inside, go_on = threading.Event(), threading.Event()

    class Slow(_Counting):
        def detect(self, text: str, language: str) -> list[Finding]:
            inside.set()
            go_on.wait(timeout=30)
            return super().detect(text, language)

    slow = Slow()
    remembered = Remembered(slow)
    worker = threading.Thread(target=remembered.detect, args=("Anna is here", "en"))
    worker.start()
    assert inside.wait(timeout=30)
    forget_all()  # the erasure happens while the text is being checked
    go_on.set()
    worker.join(timeout=30)
    remembered.detect("Anna is here", "en")
    assert slow.calls == 2


def test_only_caches_can_enrol_and_enrolling_keeps_nothing_alive() -> None:
    with pytest.raises(TypeError):
        forgets(object())
    remembered = Remembered(_Counting())
    gc.collect()
    before = forget_all()
    del remembered
    gc.collect()
    assert forget_all() == before - 1


def test_spacy_forgets_the_words_it_read(tmp_path: Path) -> None:
    # spaCy's vocabulary keeps every word its pipeline has read; the strings live outside Python's objects
    detector, name = SpacyDetector(), _made_up_name()
    detector.detect(f"Yesterday {name} Okafor met Lucia.", "en")
    assert name in detector._pipeline().vocab.strings
    erase_user_data(tmp_path)
    assert name not in detector._pipeline().vocab.strings


class _Busy:
    """A cache that cannot be emptied the first time (a model still generating: ``LlamaCppModel.forget``)."""

    def __init__(self) -> None:
        self.generating = True

    def forget(self) -> None:
        if self.generating:
            self.generating = False
            raise RuntimeError("still generating")


def test_a_cache_that_fails_fails_the_erasure_after_the_others_are_emptied() -> None:
    counting, busy = _Counting(), _Busy()
    remembered = Remembered(counting)
    forgets(busy)
    remembered.detect("Anna is here", "en")
    pattern = re.compile(f"{_made_up_name()}|Anna")  # as the vault's pattern of the values it replaced
    with pytest.raises(RuntimeError, match="still generating"):
        forget_all()
    assert re.compile(pattern.pattern) is not pattern  # re's cache was emptied all the same
    remembered.detect("Anna is here", "en")
    assert counting.calls == 2  # and so was the check's
    forget_all()  # the erasure said to erase again: now it succeeds
    assert not busy.generating


def test_what_is_computed_across_an_erasure_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value computed from a text read before an erasure and stored after it would stay (review R5): the
    words of a text being split, the vector of a sentence being embedded. Here the erasure comes in the
    middle of the computation itself."""
    from tandem.agent import learned
    from tandem.privacy import names

    word = names._WORD

    class Erasing:
        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            forget_all()  # the erasure arrives while the text is being split
            return word.finditer(text)

    text = "Zyxwvut Anna was here"
    monkeypatch.setattr(names, "_WORD", Erasing())
    names._split(text)
    monkeypatch.setattr(names, "_WORD", word)
    assert not _held_in_memory("zyxwvut")

    class ErasingEmbedder:
        def embed_query(self, texts: list[str]) -> list[list[float]]:
            forget_all()  # the erasure arrives while the sentence is embedded
            return [[1.0, 0.0, 0.0] for _ in texts]

    tier = learned.LearnedTier(ErasingEmbedder(), (), negatives=None)
    tier._embed(["remind Zyqponmlk to call"])
    assert learned._VECTORS.get(("ErasingEmbedder", "remind Zyqponmlk to call")) is None


def test_a_remembered_function_keeps_nothing_computed_across_an_erasure() -> None:
    from tandem.forget import remembered

    calls: list[str] = []

    @remembered(4)
    def upper(text: str) -> str:
        calls.append(text)
        if text == "erased":
            forget_all()
        return text.upper()

    assert upper("kept") == upper("kept") == "KEPT" and calls == ["kept"]
    assert upper("erased") == upper("erased") == "ERASED" and calls == ["kept", "erased", "erased"]
    forget_all()
    upper("kept")
    assert calls[-1] == "kept" and len(calls) == 4  # emptied by the erasure
