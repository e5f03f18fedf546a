"""A voice turn, for both shells: hear a recording (Whisper), let the assistant answer what was said (a yes or
no to its last question, or a request), and speak the reply in the user's language (piper, espeak-ng).
``POST /v1/assistant/voice`` and ``tandem ask --audio ... --speak ...`` are thin shells over these.
Needs the ``speech`` extra."""

from __future__ import annotations

import functools
import logging
import re
import time
import tomllib
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio

from tandem.agent.assistant import Assistant, Reply
from tandem.agent.confirming import take_turn
from tandem.agent.intents import IntentSpec
from tandem.agent.slots import detect_language
from tandem.agent.spoken import say_all, sorry
from tandem.agent.templates import Part, parse_example
from tandem.agent.understand import Understanding
from tandem.agent.withhold import EVERYTHING, withhold
from tandem.app.assistant import guarded_chat
from tandem.errors import InvalidRequest, TandemError
from tandem.models.base import complete
from tandem.observe import count
from tandem.speech.audio import decode_audio
from tandem.speech.base import Audio, Segment, Transcript
from tandem.speech.registry import SpeechRegistry
from tandem.speech.respell import respell
from tandem.text import HAN, without_controls
from tandem.types import ChatRequest, Message

logger = logging.getLogger("tandem.app")

__all__ = ["LANGUAGES", "Listening", "Spoken", "conversation_language", "hear", "listed_words", "listening",
           "request_context", "request_words", "respond", "said_first", "speak", "speakable", "spoken_language",
           "spoken_words"]

LANGUAGES = ("en", "de", "zh")  # what the assistant understands and speaks: a voice turn is heard as one of them


@dataclass(frozen=True)
class Spoken:
    """A sentence and its audio."""

    text: str  # what was synthesised
    audio: Audio
    voice: str  # "piper:joe", "espeak:de" ...


def listed_words(data: Any) -> list[str]:
    """The names in a partner's list answer: each item's text fields but its ids ("Dune", "沙丘", not
    "f-dune" or a number)."""
    items = data if isinstance(data, list) else [data]
    return list(dict.fromkeys(v.strip() for item in items if isinstance(item, dict) for k, v in item.items()
                              if isinstance(v, str) and v.strip() and not k.lower().endswith("id")
                              and re.search(r"[^\W\d_]", v)))


_LISTED_TTL_S = 600.0  # what a partner lists (the films showing) changes by the day, not by the minute


class _Listed:
    """The names the partners of each assistant list (``_listed``), read again after ``_LISTED_TTL_S``, and kept
    no longer than the assistant lives (by ``id()``, a new assistant at a closed one's address got the closed
    one's names)."""

    def __init__(self) -> None:
        self._kept: weakref.WeakKeyDictionary[Assistant, tuple[float, list[str]]] = weakref.WeakKeyDictionary()

    async def get(self, assistant: Assistant) -> list[str]:
        kept = self._kept.get(assistant)
        if kept is not None and time.monotonic() - kept[0] < _LISTED_TTL_S:
            return kept[1]
        names = await _listed(assistant)
        self._kept[assistant] = (time.monotonic(), names)
        return names


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
    return list(dict.fromkeys(found))


_LISTED = _Listed()


_WORDS_FILE = Path(__file__).with_name("spoken_words.toml")
_SEPARATOR = {"zh": ("、", "。", "")}  # between listed words, after a sentence, between sentences
_LATIN = (", ", ".", " ")


@functools.cache
def spoken_words() -> dict[str, dict[str, tuple[str, ...]]]:
    """Per language, the words of ``spoken_words.toml``: ``counts`` (numbers of things) and ``days``."""
    data = tomllib.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    return {language: {kind: tuple(words) for kind, words in table.items()} for language, table in data.items()}


def _written_in(value: str, language: str) -> bool:
    """Whether ``value`` is in the script ``language`` is written in (Chinese characters or not)."""
    return bool(HAN.search(value)) == (language == "zh")


def _values(spec: IntentSpec, language: str) -> dict[str, tuple[str, ...]]:
    """What a user might say for each of the capability's parameters in ``language``: the manifest's samples
    written in that language's script, its choices' words, and the language's count and day words."""
    words = spoken_words().get(language, {})
    found = {}
    for slot, kind in spec.slots.items():
        values = words.get("counts", ()) if kind == "count" else words.get("days", ()) if kind == "when" else \
            tuple(w for said in spec.choices.get(slot, {}).values() for w in said) or spec.samples.get(slot, ())
        written = tuple(v for v in values if _written_in(v, language))
        # Latin script is English or German: a sample that reads as the language ("einen Wasserkocher", not
        # "a kettle") is preferred, a name that reads as neither ("Nosferatu") serves both
        found[slot] = tuple(v for v in written if detect_language(v) == language) or written
    return found


def _spelled(parts: Iterable[Part], values: Mapping[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """An example as its author wrote it first: the first choice of each group, an optional group only where it
    says a parameter, with ``{name}`` left for each parameter, and how many there are; None when it needs a
    parameter that has no value to say."""
    out, slots = "", 0
    for part in parts:
        if part.kind == "text":
            out += part.text
        elif part.kind == "slot":
            if not values.get(part.text):
                return None
            out, slots = out + "{" + part.text + "}", slots + 1
        else:
            options = [spelled for option in part.options if (spelled := _spelled(option, values))]
            if part.optional:
                options = [spelled for spelled in options if spelled[1]]
            if options:
                out, slots = out + options[0][0], slots + options[0][1]
            elif not part.optional:
                return None
    return out, slots


def _sentence(spec: IntentSpec, language: str, turn: int) -> str | None:
    """The capability's example in ``language`` that says the most parameters, spelled out (``_spelled``) with
    things a user might say for them (``_values``)."""
    values = _values(spec, language)
    spellings = [spelled for example in spec.examples.get(language, ())
                 if (spelled := _spelled(parse_example(example), values))]
    if not spellings:
        return None
    said = re.sub(r"\s+", " ", max(spellings, key=lambda spelled: spelled[1])[0]).strip()
    text = re.sub(r"\{(\w+)\}", lambda m: values[m[1]][turn % len(values[m[1]])], said)
    return text[:1].upper() + text[1:] + _SEPARATOR.get(language, _LATIN)[1]


def request_context(intents: Iterable[IntentSpec], names: Iterable[str] = (),
                    languages: Iterable[str] = LANGUAGES) -> dict[str, str]:
    """Per language a capability can be asked in (its manifest has examples in it), Whisper's prompt for a new
    spoken request: the language's day words and the ``names`` the partners list now (``_listed``: the films
    showing) written in that language's script. Nothing is written for a request. Whisper primed so writes the
    days and names as the agent reads them (Baker's 今晚 came out 金碗, 沙丘 砂秋; Pico's "Dune" "Bune").
    The partners' example sentences are not in it: spelled from a grammar of alternatives they read "Buch zwei
    karte für ...", "Kauf eine einen Wasserkocher", and on the tune half of the held-apart requests they heard
    no better than days and names alone (docs/results/speech.md). They are ``respell``'s vocabulary
    (``request_words``)."""
    intents, names = tuple(intents), list(names)
    found = {}
    for language in languages:
        if not any(spec.examples.get(language) for spec in intents):
            continue
        between, end, joined = _SEPARATOR.get(language, _LATIN)
        days = spoken_words().get(language, {}).get("days", ())
        listed = [n for n in names if _written_in(n, language)]
        lists = [(text := between.join(words))[:1].upper() + text[1:] + end for words in (days, listed) if words]
        if lists:
            found[language] = joined.join(lists)
    return found


def request_words(intents: Iterable[IntentSpec], names: Iterable[str] = (),
                  languages: Iterable[str] = LANGUAGES) -> dict[str, str]:
    """Per language, the words a new spoken request may be written with (``respell``'s vocabulary): the
    ``request_context`` and each capability's sentence with every value of its parameters in turn ("订一张",
    "订两张" ...: one of its examples spelled out with declared values)."""
    intents, names = tuple(intents), list(names)
    found = request_context(intents, names, languages)
    for language in found:
        for spec in intents:
            turns = max((len(v) for v in _values(spec, language).values()), default=1)
            said = dict.fromkeys(s for turn in range(turns) if (s := _sentence(spec, language, turn)))
            found[language] += _SEPARATOR.get(language, _LATIN)[2].join(["", *said])
    return found


@dataclass(frozen=True)
class Listening:
    """What is known before a voice turn is heard (``listening``)."""

    context: Mapping[str, str] = field(default_factory=dict)  # language -> Whisper's prompt (a new request)
    expected: str | None = None  # the conversation's language: taken when detection is unsure (a 1 s "Ja.")
    words: Mapping[str, str] = field(default_factory=dict)  # language -> what is respelled to (``request_words``)


async def listening(assistant: Assistant, conversation_id: str | None = None, owner: str | None = None) -> Listening:
    """How a voice turn is heard, the same for every shell. A new request is primed with ``request_context`` of
    the capabilities the user's partners offer now. A turn that continues a conversation may answer its
    question: it is heard unprimed, since Whisper copies its prompt when it hears little, so a prompt could
    become a yes; and in the conversation's language when detection is unsure. With ``owner``, the
    conversation must be that client's."""
    if conversation_id:
        return Listening(expected=await conversation_language(assistant, conversation_id, owner))
    live = assistant.live(await assistant.tools())
    intents = [spec for name, spec in assistant.intents.items() if name in live]
    names = await _LISTED.get(assistant)
    return Listening(context=request_context(intents, names), words=request_words(intents, names))


def hear(speech: SpeechRegistry, data: bytes, language: str | None = None, listening: Listening | None = None, *,
         on_segment: Callable[[Segment, Audio], None] | None = None) -> Transcript:
    """Transcribe an uploaded recording with the multilingual Whisper as ``listening`` says (a new request
    primed with ``request_context``, in the languages of the ``asr_context`` setting; docs/results/speech.md).
    Unless given, the language is detected among those the assistant speaks (``LANGUAGES``); when detection is
    unsure, as on a 1 s "Ja.", it is ``listening.expected`` (the conversation's). Chinese heard with a prompt is
    written with the prompt's words where it sounds exactly like them (``respell``: the transcript's ``text``;
    its segments keep what Whisper wrote). ``on_segment(segment, audio)`` is called as long audio is decoded, for
    progress."""
    listening = listening or Listening()
    audio = decode_audio(data, max_seconds=speech.settings.max_audio_seconds)
    transcriber = speech.transcriber(speech.stt_model("auto", language))
    primed = {code.strip() for code in speech.settings.asr_context.split(",")}
    context = {code: text for code, text in listening.context.items() if code in primed}
    result = None
    for piece in transcriber.transcribe(audio, language=language, context=context or None, languages=LANGUAGES,
                                        expected=listening.expected):
        if isinstance(piece, Segment) and on_segment is not None:
            on_segment(piece, audio)
        elif isinstance(piece, Transcript):
            result = piece
    assert result is not None, "a Transcriber yields its Transcript last"
    if not result.text.strip():
        raise InvalidRequest("no speech was heard in the recording", param="file")
    if context.get(result.language):  # Chinese homophones of the words it was primed with: 金碗 → 今晚
        words = listening.words.get(result.language) or context[result.language]
        result = replace(result, text=respell(result.text, words))
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
                  may_answer: bool = True, keep_profile: bool = True, reveal: frozenset[str] = EVERYTHING) -> Reply:
    """The assistant's turn for what was said: a yes or no to the confirmations its last answer asked
    about, or a request (a new one, or the answer to a question a task asked; ``understanding`` when the
    caller already understood it, e.g. with a poster's slots filled in). With ``owner``, the conversation
    must be that client's, and a new one is opened for it. A caller that may not confirm (``may_answer``)
    or change the profile (``keep_profile``) is treated as in a typed turn (``take_turn``): its spoken "yes"
    buys nothing and says where to confirm. What the reply says and shows is what a caller that may read
    ``reveal`` may see (``agent.withhold``: "to your saved office address" for one without the profile)."""
    if owner is not None:
        if conversation_id is None:
            conversation_id = assistant.journal.conversation(None, detect_language(text), owner)
        else:
            assistant.journal.check_owner(conversation_id, owner)
    reply = await take_turn(assistant, text, conversation_id, understanding=understanding, may_answer=may_answer,
                            keep_profile=keep_profile)
    # nothing to act on: chatted (with a chat model), as `tandem ask` and the API do; a reply without an
    # understanding answered about earlier work ("same again" with no order to repeat) and is said as it is
    if not reply.tasks and reply.understanding is not None:
        reply = await _chatted(assistant, reply, text)
    return withhold(assistant, reply, reveal)


_CHAT_TOKENS = 400  # a spoken or typed turn's chat answer: a few sentences


async def _chatted(assistant: Assistant, reply: Reply, text: str) -> Reply:
    """``reply`` (no task came of ``text``: a question, small talk) with the assistant's chat model's answer to
    ``text`` alone instead of "Sorry, I did not get that." (``guarded_chat``: told it cannot act, and an answer that
    claims an act gets the fact after it), kept in the journal as that turn's words; as it was when the model fails or
    says nothing (logged). Only the turn's own words go to the model, as in the one-shot `tandem ask`: no partner's
    text from earlier turns."""
    chat = assistant.chat
    if chat is None:
        return reply
    request, closing = guarded_chat(ChatRequest(messages=(Message("user", text),), max_tokens=_CHAT_TOKENS,
                                                temperature=0.3))
    try:
        said = await anyio.to_thread.run_sync(lambda: (complete(chat, request).message.content or "").strip())
    except TandemError as exc:
        logger.warning("chat answer to a turn without tasks failed: %s", type(exc).__name__)
        count("fallbacks", "turn-chat-failed")
        return reply
    if not said:
        return reply
    answer = closing(said)
    if reply.turn is not None:
        assistant.journal.retell_turn(reply.turn, answer)
    return replace(reply, text=answer)


def speakable(text: str) -> str:
    """``text`` as any voice may be given it: control characters but tab and line breaks become spaces (a voice
    cannot say them, and a NUL ends the C string espeak-ng's and piper's phonemizers are given: once a 500)."""
    return without_controls(text, keep="\t\n\r")


def speak(speech: SpeechRegistry, reply: Reply, language: str, voice: str | None = None) -> Spoken:
    """The reply as one spoken sentence per task, in the tasks' language (else ``language``), with the best
    voice for it unless ``voice`` names one."""
    language = reply.tasks[0].language if reply.tasks else language
    text = say_all(reply.tasks, reply.text or sorry(language))  # no task: what was answered (chat, or sorry)
    if lead := said_first(reply):
        text = f"{lead} {text}"
    text = speakable(text)  # a partner's values are in it
    choice = speech.choose(voice or language, text)
    audio = speech.synthesizer(choice).synthesize(text)
    return Spoken(text, audio, f"{choice.backend}:{choice.voice}")


def said_first(reply: Reply) -> str:
    """The lines ``reply`` says before the line of its first task: why nothing was bought ("yes, but ..."; a yes from
    a client that may not confirm), that the shop of an earlier order is gone and which one the order goes to now.
    Empty when the reply opens with a task's line or names none of its tasks."""
    marks = tuple(f"[{task.id}]" for task in reply.tasks)
    lines = (reply.text or "").splitlines()
    at = next((i for i, line in enumerate(lines) if any(mark in line for mark in marks)), 0)
    return " ".join(line.strip() for line in lines[:at] if line.strip())


def spoken_language(transcript: Transcript) -> str:
    """Whisper's language when it is one the assistant speaks, else what the words look like."""
    return transcript.language if transcript.language in LANGUAGES else detect_language(transcript.text)
