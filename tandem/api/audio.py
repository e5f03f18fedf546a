"""OpenAI's audio API on the device: ``POST /v1/audio/transcriptions`` (Whisper) and ``POST /v1/audio/speech``
(piper, espeak-ng), plus ``GET /v1/audio/voices``. The official ``openai`` client works against it unchanged.

Transcriptions take multipart form fields as OpenAI documents them: ``file``, ``model``, ``language``,
``prompt``, ``temperature``, ``response_format`` (json, text, verbose_json, srt, vtt),
``timestamp_granularities[]`` (segment, word) and ``stream`` (server-sent ``transcript.text.delta`` events
as each ~30 s window is decoded, then ``transcript.text.done``).
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tandem.api.bodies import ParsedRoute
from tandem.api.errors import status_of
from tandem.api.schemas import OpenAIBody
from tandem.api.state import app_singleton
from tandem.app.voice import speakable
from tandem.errors import InvalidRequest, ModelNotFound, TandemError
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Segment, Transcript
from tandem.speech.registry import SpeechRegistry, resolve_stt_model
from tandem.speech.voices import list_voices

__all__ = ["SpeechBody", "VoiceRef", "router", "speech_registry"]

router = APIRouter(route_class=ParsedRoute)
_TTS_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "device:piper", "device:espeak")
_FORMATS = ("json", "text", "verbose_json", "srt", "vtt")
_LANGUAGE_NAMES = {"en": "english", "de": "german", "zh": "chinese", "fr": "french", "es": "spanish",
                   "it": "italian", "ja": "japanese", "ko": "korean", "ru": "russian", "pt": "portuguese",
                   "nl": "dutch", "pl": "polish", "tr": "turkish", "ar": "arabic"}


def speech_registry(request: Request) -> SpeechRegistry:
    """The app's speech models, created on first use from the chat registry's settings."""
    return app_singleton(request, "speech", SpeechRegistry)


def _clock(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _subtitles(transcript: Transcript, fmt: str) -> str:
    sep = "," if fmt == "srt" else "."
    cues = [f"{_clock(s.start, sep)} --> {_clock(s.end, sep)}\n{s.text.strip()}\n" for s in transcript.segments]
    if fmt == "srt":
        return "\n".join(f"{i}\n{cue}" for i, cue in enumerate(cues, 1))
    return "WEBVTT\n\n" + "\n".join(cues)


def _segment_json(s: Segment) -> dict[str, Any]:
    return {"id": s.id, "seek": int(s.start * 100), "start": s.start, "end": s.end, "text": s.text,
            "tokens": list(s.tokens), "temperature": s.temperature, "avg_logprob": s.avg_logprob,
            "compression_ratio": s.compression_ratio, "no_speech_prob": s.no_speech_prob}


def _duration(transcript: Transcript) -> dict[str, Any]:
    return {"type": "duration", "seconds": math.ceil(transcript.duration)}


def _verbose(transcript: Transcript, words: bool, task: str = "transcribe") -> dict[str, Any]:
    body: dict[str, Any] = {
        "task": task, "language": _LANGUAGE_NAMES.get(transcript.language, transcript.language),
        "duration": transcript.duration, "text": transcript.text,
        "segments": [_segment_json(s) for s in transcript.segments]}
    if task == "transcribe":  # OpenAI's translations carry no usage
        body["usage"] = _duration(transcript)
    if words:
        body["words"] = [{"word": w.word.strip(), "start": w.start, "end": w.end}
                         for s in transcript.segments for w in s.words]
    return body


def _render(transcript: Transcript, fmt: str, words: bool, task: str = "transcribe") -> Response:
    if fmt == "json":
        usage = {"usage": _duration(transcript)} if task == "transcribe" else {}
        return JSONResponse({"text": transcript.text, **usage})
    if fmt == "verbose_json":
        return JSONResponse(_verbose(transcript, words, task))
    if fmt == "text":
        return PlainTextResponse(transcript.text + "\n")
    return PlainTextResponse(_subtitles(transcript, fmt), media_type="text/vtt" if fmt == "vtt" else "text/plain")


def _check_format(response_format: str) -> None:
    if response_format not in _FORMATS:
        raise InvalidRequest(f"response_format {response_format!r} is not supported", param="response_format",
                             hint=f"use one of: {', '.join(_FORMATS)}")


def _last(pieces: Iterator[Segment | Transcript]) -> Transcript:
    *_, result = pieces
    assert isinstance(result, Transcript), "a Transcriber yields its Transcript last"
    return result


async def _deltas(pieces: Iterator[Segment | Transcript]) -> AsyncIterator[str]:
    try:
        while (piece := await run_in_threadpool(next, pieces, None)) is not None:
            if isinstance(piece, Segment):
                event = {"type": "transcript.text.delta", "delta": piece.text}
            else:
                event = {"type": "transcript.text.done", "text": piece.text}
            yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    except TandemError as exc:
        yield f"data: {json.dumps(status_of(exc)[1])}\n\n"
    finally:
        getattr(pieces, "close", lambda: None)()  # frees the model if the client went away


@router.post("/v1/audio/transcriptions", response_model=None)
async def transcriptions(
    request: Request,
    file: Annotated[UploadFile, File()],
    model: Annotated[str, Form()],
    language: Annotated[str | None, Form()] = None,
    prompt: Annotated[str | None, Form()] = None,
    response_format: Annotated[str, Form()] = "json",
    temperature: Annotated[float, Form(ge=0, le=1)] = 0.0,
    granularities: Annotated[list[str] | None, Form(alias="timestamp_granularities[]")] = None,
    stream: Annotated[bool, Form()] = False,
) -> Response:
    """Transcribe an uploaded audio file (OpenAI-compatible)."""
    _check_format(response_format)
    language = language or None
    model_id = resolve_stt_model(model, language, speech_registry(request).settings.asr_model)
    registry = speech_registry(request)
    audio = await run_in_threadpool(decode_audio, await file.read(), max_seconds=registry.settings.max_audio_seconds)
    transcriber = await run_in_threadpool(registry.transcriber, model_id)
    words = "word" in (granularities or [])
    pieces = transcriber.transcribe(audio, language=language, prompt=prompt, temperature=temperature, words=words)
    if stream:
        return StreamingResponse(_deltas(pieces), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    transcript = await run_in_threadpool(_last, pieces)
    return _render(transcript, response_format, words)


@router.post("/v1/audio/translations", response_model=None)
async def translations(
    request: Request,
    file: Annotated[UploadFile, File()],
    model: Annotated[str, Form()],
    prompt: Annotated[str | None, Form()] = None,
    response_format: Annotated[str, Form()] = "json",
    temperature: Annotated[float, Form(ge=0, le=1)] = 0.0,
) -> Response:
    """Translate speech in any language Whisper knows into English text (OpenAI-compatible)."""
    _check_format(response_format)
    registry = speech_registry(request)
    audio = await run_in_threadpool(decode_audio, await file.read(), max_seconds=registry.settings.max_audio_seconds)
    transcriber = await run_in_threadpool(registry.transcriber, resolve_stt_model(model, None))
    pieces = transcriber.transcribe(audio, prompt=prompt, temperature=temperature, task="translate")
    transcript = await run_in_threadpool(_last, pieces)
    return _render(transcript, response_format, False, "translate")


class VoiceRef(BaseModel):
    id: str


class SpeechBody(OpenAIBody):
    """``POST /v1/audio/speech`` as OpenAI documents it; ``instructions`` is accepted and ignored (neither
    piper nor espeak-ng can act on it)."""

    model: str
    input: str = Field(min_length=1)
    voice: str | VoiceRef
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    speed: float = Field(default=1.0, ge=0.25, le=4.0)
    instructions: str | None = None
    stream_format: Literal["audio", "sse"] = "audio"

    @property
    def voice_name(self) -> str:
        return self.voice.id if isinstance(self.voice, VoiceRef) else self.voice


@router.post("/v1/audio/speech", response_model=None)
async def speech(body: SpeechBody, request: Request) -> Response:
    """Speak ``input`` and return the encoded audio (OpenAI-compatible)."""
    if body.model not in _TTS_MODELS:
        raise ModelNotFound(f"unknown speech model {body.model!r}", hint=f"use one of: {', '.join(_TTS_MODELS)}")
    registry = speech_registry(request)
    if len(body.input) > registry.settings.max_speech_chars:
        raise InvalidRequest(f"input is longer than {registry.settings.max_speech_chars} characters", param="input")
    text = speakable(body.input)
    if not text.strip():
        raise InvalidRequest("input contains nothing to speak", param="input")
    if body.stream_format == "sse":
        raise InvalidRequest("stream_format 'sse' is not supported", param="stream_format", hint="use 'audio'")
    choice = await run_in_threadpool(registry.choose, body.voice_name, text)
    synthesizer = await run_in_threadpool(registry.synthesizer, choice)
    audio = await run_in_threadpool(lambda: synthesizer.synthesize(text, speed=body.speed))
    data, media_type = await run_in_threadpool(encode_audio, audio, body.response_format)
    return Response(data, media_type=media_type, headers={"X-Tandem-Voice": f"{choice.backend}:{choice.voice}"})


@router.get("/v1/audio/voices")
async def voices(request: Request) -> dict[str, Any]:
    """The voices this device can speak with."""
    codes = await run_in_threadpool(speech_registry(request).espeak_codes)
    return {"object": "list", "data": list_voices(codes)}
