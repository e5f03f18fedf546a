"""A voice turn, for both shells: hear a recording (Whisper), let the assistant answer what was said (a yes or
no to its last question, or a request), and speak the reply in the user's language (piper, espeak-ng).
``POST /v1/assistant/voice`` and ``tandem ask --audio ... --speak ...`` are thin shells over these.
Needs the ``speech`` extra."""

from __future__ import annotations

import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.agent.assistant import Assistant, Reply
from tandem.agent.confirming import take_turn
from tandem.agent.slots import detect_language
from tandem.agent.spoken import elsewhere, say_all, unclear
from tandem.agent.understand import Understanding
from tandem.config import Settings
from tandem.errors import InvalidRequest, TandemError
from tandem.partners import builtin_manifest_paths
from tandem.services.registry import ServiceRegistry
from tandem.speech.audio import decode_audio
from tandem.speech.base import Audio, Segment, Transcript
from tandem.speech.registry import SpeechRegistry

logger = logging.getLogger("tandem.app")

__all__ = ["LANGUAGES", "Spoken", "conversation_language", "domain_context", "hear", "listed_words",
           "partner_vocabulary", "respond", "speak", "spoken_context", "spoken_language"]

LANGUAGES = ("en", "de", "zh")  # what the assistant understands and speaks: a voice turn is heard as one of them

_SORRY = {"en": "Sorry, I did not get that.", "de": "Das habe ich nicht verstanden.", "zh": "抱歉，我没听懂。"}


@dataclass(frozen=True)
class Spoken:
    """A sentence and its audio."""

    text: str  # what was synthesised
    audio: Audio
    voice: str  # "piper:joe", "espeak:de" ...


def spoken_context(manifests: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Per language, what the partners offer in their own words (each tool's description in the manifests):
    the words a spoken request to them is likely to use."""
    found: dict[str, dict[str, None]] = {}
    for doc in manifests:
        for tool in doc.get("tools", ()):
            for language, text in tool.get("description", {}).items():
                found.setdefault(language, {})[text.strip()] = None
    return {language: " ".join(texts) for language, texts in found.items()}


def domain_context(settings: Settings) -> dict[str, str]:
    """``spoken_context`` of the partners offered to this user, in the languages of the ``asr_context``
    setting. Kept between voice turns (``_PartnerWords``): the registry is opened again only when its files
    or the shipped manifests change."""
    languages = {code.strip() for code in settings.asr_context.split(",") if code.strip()}
    if not languages:
        return {}
    found = _PARTNER_WORDS.get(settings)
    return {language: text for language, text in found.items() if language in languages}


_Stamp = tuple[tuple[str, int, int, int] | None, ...]


def _registry_stamp(home: Path) -> _Stamp:
    """What changes when the partners offered may have changed: the registry's SQLite file and its
    write-ahead log (any process adding, removing or switching a service writes one of them) and the shipped
    manifests (an upgrade brings new ones, synced when a registry opens). A few ``stat`` calls."""
    def stat(path: Path) -> tuple[str, int, int, int] | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return path.name, st.st_ino, st.st_mtime_ns, st.st_size

    db = home / "services.db"
    return tuple(stat(p) for p in (db, db.with_name("services.db-wal"), *builtin_manifest_paths()))


class _PartnerWords:
    """``spoken_context`` of every partner offered, per home and region, read again only when
    ``_registry_stamp`` changes. Opening the registry costs 40-200 ms (migrations, syncing the shipped
    manifests in a write transaction, validating every manifest), once per voice turn before this."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[Path, str], tuple[_Stamp, dict[str, str]]] = {}

    def get(self, settings: Settings) -> dict[str, str]:
        key = (settings.home, settings.region)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == _registry_stamp(settings.home):
            return kept[1]
        # Opening may write (the first open, new shipped manifests), so the stamp is taken again after
        # reading; a change by another process while we read shows as two stamps that differ: read again.
        for _ in range(2):
            before = _registry_stamp(settings.home)
            words = _read_partner_words(settings)
            after = _registry_stamp(settings.home)
            if before == after:
                with self._lock:
                    self._kept[key] = (after, words)
                break
        return words


def _read_partner_words(settings: Settings) -> dict[str, str]:
    registry = ServiceRegistry(settings)
    try:
        return spoken_context(r.manifest.raw for r in registry.available())
    finally:
        registry.close()


_PARTNER_WORDS = _PartnerWords()


def listed_words(data: Any) -> list[str]:
    """The names in a partner's list answer: each item's text fields but its ids ("Dune", "沙丘", not
    "f-dune" or a number)."""
    items = data if isinstance(data, list) else [data]
    return list(dict.fromkeys(v.strip() for item in items if isinstance(item, dict) for k, v in item.items()
                              if isinstance(v, str) and v.strip() and not k.lower().endswith("id")
                              and re.search(r"[^\W\d_]", v)))


def _vocabulary_by_language(words: Iterable[str]) -> dict[str, str]:
    """Names in Chinese script for Chinese speech, the others for English and German (a title such as "Dune"
    is said as written in both)."""
    chinese = [w for w in words if re.search(r"[\u4e00-\u9fff]", w)]
    latin = [w for w in words if w not in chinese]
    found = {"zh": "、".join(chinese)} if chinese else {}
    return found | ({"en": ", ".join(latin), "de": ", ".join(latin)} if latin else {})


_LISTED_TTL_S = 600.0  # what a partner lists (the films showing) changes by the day, not by the minute


class _Vocabulary:
    """``partner_vocabulary`` per assistant, read again after ``_LISTED_TTL_S``, and kept no longer than the
    assistant lives (by ``id()``, a new assistant at a closed one's address got the closed one's names)."""

    def __init__(self) -> None:
        self._kept: weakref.WeakKeyDictionary[Assistant, tuple[float, dict[str, str]]] = weakref.WeakKeyDictionary()

    async def get(self, assistant: Assistant) -> dict[str, str]:
        kept = self._kept.get(assistant)
        if kept is not None and time.monotonic() - kept[0] < _LISTED_TTL_S:
            return kept[1]
        words = _vocabulary_by_language(await _listed(assistant))
        self._kept[assistant] = (time.monotonic(), words)
        return words


async def _listed(assistant: Assistant) -> list[str]:
    """The answers of every lookup step the capabilities declare (``resolve``) that needs no arguments."""
    tools = await assistant.tools()
    found: list[str] = []
    for spec in assistant.intents.values():
        for step in spec.resolve:
            tool = next((t for t in tools if t.tool == step["tool"] and spec.category in t.categories
                         and t.idempotency == "safe" and not t.parameters.get("required")
                         and not step.get("arguments")), None)
            if tool is None:
                continue
            try:
                result = await assistant.toolset.call(tool.name, {})
            except TandemError as exc:  # a partner that is away: its names are missing from the prompt, no more
                logger.info("no vocabulary from %s: %s", tool.name, exc)
                continue
            if result.ok:
                found += listed_words(result.data)
            else:
                logger.info("no vocabulary from %s: %s", tool.name, result.text[:120])
    return found


_VOCABULARY = _Vocabulary()


async def partner_vocabulary(assistant: Assistant) -> dict[str, str]:
    """Per language, the names the user's partners list now and a request names: the answers of each
    capability's lookup steps (``resolve`` in its manifest) that need no arguments, e.g. the films a cinema
    shows. Whisper primed with them writes the title it hears ("Dune", not "Bune"); kept for ten minutes."""
    return await _VOCABULARY.get(assistant)


def hear(speech: SpeechRegistry, data: bytes, language: str | None = None, *, primed: bool = True,
         expected: str | None = None, on_segment: Callable[[Segment, Audio], None] | None = None,
         vocabulary: Mapping[str, str] | None = None) -> Transcript:
    """Transcribe an uploaded recording with the multilingual Whisper, primed with what the user's partners offer
    in that language where the ``asr_context`` setting says so (``domain_context``; docs/results/speech.md).
    Unless given, the language is detected among those the assistant speaks (``LANGUAGES``); when detection is
    unsure, as on a 1 s "Ja.", it is ``expected`` (the conversation's: ``conversation_language``).
    A turn that continues a conversation may answer a confirmation: it is heard unprimed (``primed=False``),
    since the partners' words are theirs and Whisper copies its prompt when it hears little, so a description
    such as "Yes, confirmed." could become a yes. ``on_segment(segment, audio)`` is called as long audio is
    decoded, for progress. A language's ``vocabulary`` (``partner_vocabulary``: the films showing ...) is its
    prompt instead of the partners' descriptions: with the descriptions Whisper heard Pico's "Bestell mir eine
    Pizza ins Büro." as "Wir stellen mir ...", and "Dune" as "Bune" or "Donne"; with the names, both exactly
    (docs/results/speech.md)."""
    audio = decode_audio(data, max_seconds=speech.settings.max_audio_seconds)
    transcriber = speech.transcriber(speech.stt_model("auto", language))
    result = None
    context = {**domain_context(speech.settings), **(vocabulary or {})} if primed else {}
    for piece in transcriber.transcribe(audio, language=language, context=context or None, languages=LANGUAGES,
                                        expected=expected):
        if isinstance(piece, Segment) and on_segment is not None:
            on_segment(piece, audio)
        elif isinstance(piece, Transcript):
            result = piece
    assert result is not None, "a Transcriber yields its Transcript last"
    if not result.text.strip():
        raise InvalidRequest("no speech was heard in the recording", param="file")
    return result


async def conversation_language(assistant: Assistant, conversation_id: str, owner: str | None = None) -> str | None:
    """The language of the conversation's latest task: the one its next short answer is most likely in. With
    ``owner``, the conversation must be that client's (as in ``respond``)."""
    if owner is not None:
        assistant.journal.check_owner(conversation_id, owner)
    tasks = assistant.journal.tasks(conversation_id)
    return tasks[-1].language if tasks else None


async def respond(assistant: Assistant, text: str, conversation_id: str | None = None,
                  understanding: Understanding | None = None, owner: str | None = None, *,
                  may_answer: bool = True, keep_profile: bool = True) -> Reply:
    """The assistant's turn for what was said: a yes or no to the confirmations its last answer asked
    about, or a request (a new one, or the answer to a question a task asked; ``understanding`` when the
    caller already understood it, e.g. with a poster's slots filled in). With ``owner``, the conversation
    must be that client's, and a new one is opened for it. A caller that may not confirm (``may_answer``)
    or change the profile (``keep_profile``) is treated as in a typed turn (``take_turn``): its spoken "yes"
    buys nothing and says where to confirm."""
    if owner is not None:
        if conversation_id is None:
            conversation_id = assistant.journal.conversation(None, detect_language(text), owner)
        else:
            assistant.journal.check_owner(conversation_id, owner)
    return await take_turn(assistant, text, conversation_id, understanding=understanding, may_answer=may_answer,
                           keep_profile=keep_profile)


def speak(speech: SpeechRegistry, reply: Reply, language: str, voice: str | None = None) -> Spoken:
    """The reply as one spoken sentence per task, in the tasks' language (else ``language``), with the best
    voice for it unless ``voice`` names one."""
    language = reply.tasks[0].language if reply.tasks else language
    text = say_all(reply.tasks, _SORRY.get(language, _SORRY["en"]))
    # "yes, but ..." or a yes from a client that may not confirm: say why nothing was bought, then ask again
    said = next((lead for lead in (unclear(language), elsewhere(language)) if reply.text.startswith(lead)), None)
    if said is not None:
        text = f"{said} {text}"
    choice = speech.choose(voice or language, text)
    audio = speech.synthesizer(choice).synthesize(text)
    return Spoken(text, audio, f"{choice.backend}:{choice.voice}")


def spoken_language(transcript: Transcript) -> str:
    """Whisper's language when it is one the assistant speaks, else what the words look like."""
    return transcript.language if transcript.language in LANGUAGES else detect_language(transcript.text)
