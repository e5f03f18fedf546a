"""The voice round trip: speech in → the assistant's turn → a spoken answer in the user's language.

A thin composition of parts that exist on their own: Whisper (``tandem.speech``) hears the request, the
assistant (``tandem.agent``) acts on it exactly as on typed text, and piper or espeak-ng speaks
``spoken.say``'s sentence for the turn, e.g. the confirmation question "Book 2 tickets for Dune at
Lichtspiel Alexanderplatz on Saturday 14 March at 8 pm for 25 euros?". When the conversation waits
for a confirmation, a spoken "yes" / "ja" / "是的" confirms what the last answer asked about and "no" /
"nein" / "不要" declines it, for a caller holding the ``confirm`` scope (from any other the turn runs, its
"yes" buys nothing and the answer says where to confirm); "yes, but only one" is no yes
(``agent.confirming``). A ``conversation_id`` must be one the server issued to the same client (an unknown
one is refused with 404); without one the turn opens a new conversation, whose id the answer carries.

    POST /v1/assistant/voice   multipart: file (the recording), conversation_id, language, voice,
                               response_format (json | wav | mp3 | opus | aac | flac | pcm), audio_format

``response_format=json`` (default) answers::

    {"object": "assistant.voice", "conversation_id": "…", "transcript": "Book two tickets for Dune tonight.",
     "language": "en", "text": "[t-…] buy_movie_tickets: … — confirm: c-…",     # as on a screen
     "tasks": [{… the tasks of this turn …}],
     "speech": {"text": "Book 2 tickets for Dune at …?", "voice": "piper:joe", "format": "wav",
                "audio": "<base64>"}}

any audio ``response_format`` answers with the spoken reply itself, and the rest in headers
(``X-Tandem-Conversation``, ``X-Tandem-Transcript`` and ``X-Tandem-Reply``, URL-encoded).
``tandem ask --audio FILE --speak OUT.wav`` is the same round trip on the command line.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from tandem.agent.assistant import Reply
from tandem.api.audio import speech_registry
from tandem.api.auth import holds, reveals
from tandem.api.bodies import ParsedRoute
from tandem.api.clients import client_of
from tandem.app.voice import Spoken, hear, listening, respond, speak, spoken_language
from tandem.errors import InvalidRequest
from tandem.speech.audio import OUTPUT_FORMATS, encode_audio
from tandem.speech.base import Transcript

__all__ = ["Spoken", "VoiceTurn", "hear", "respond", "router", "speak", "spoken_language"]

router = APIRouter(route_class=ParsedRoute, prefix="/v1/assistant", tags=["assistant"])


@dataclass(frozen=True)
class VoiceTurn:
    """One spoken turn of a conversation with the assistant."""

    transcript: Transcript  # what Whisper heard, with its language
    reply: Reply  # the assistant's turn (its tasks and screen text)
    spoken: Spoken  # the answer read out in the user's language

    def public(self, audio_format: str) -> dict[str, Any]:
        data, _ = encode_audio(self.spoken.audio, audio_format)
        return {"object": "assistant.voice", "conversation_id": self.reply.conversation_id,
                "transcript": self.transcript.text, "language": self.transcript.language, "text": self.reply.text,
                "tasks": [t.public() for t in self.reply.tasks],
                "speech": {"text": self.spoken.text, "voice": self.spoken.voice, "format": audio_format,
                           "audio": base64.b64encode(data).decode()}}


_AUDIO_FORMATS = tuple(OUTPUT_FORMATS)


@router.post("/voice", response_model=None)
async def voice(
    request: Request,
    file: Annotated[UploadFile, File()],
    conversation_id: Annotated[str | None, Form()] = None,
    language: Annotated[str | None, Form()] = None,
    voice: Annotated[str | None, Form()] = None,
    response_format: Annotated[str, Form()] = "json",
    audio_format: Annotated[str, Form()] = "wav",
) -> Response:
    """One spoken turn: transcribe, let the assistant act, and answer with speech."""
    if response_format not in ("json", *_AUDIO_FORMATS):
        raise InvalidRequest(f"response_format {response_format!r} is not supported", param="response_format",
                             hint=f"use json or one of: {', '.join(_AUDIO_FORMATS)}")
    if audio_format not in _AUDIO_FORMATS:
        raise InvalidRequest(f"audio_format {audio_format!r} is not supported", param="audio_format",
                             hint=f"use one of: {', '.join(_AUDIO_FORMATS)}")
    speech = speech_registry(request)
    data = await file.read()
    service, owner = request.app.state.assistant, client_of(request)
    # A new request is primed with how requests to the partners sound; an answer is heard unprimed, in the
    # conversation's language when unsure (tandem.app.voice.listening, as `tandem ask --audio` hears).
    heard_as = await run_in_threadpool(service.call, lambda a: listening(a, conversation_id or None, owner))
    transcript = await run_in_threadpool(hear, speech, data, language or None, heard_as)
    may, keep = holds(request, "confirm"), holds(request, "admin")  # as in a typed turn (tandem.api.agent)
    reveal = reveals(request)  # what it may hear of the user's details (agent.withhold)
    reply: Reply = await run_in_threadpool(service.call, lambda a: respond(
        a, transcript.text, conversation_id or None, owner=owner, may_answer=may, keep_profile=keep, reveal=reveal))
    spoken = await run_in_threadpool(speak, speech, reply, spoken_language(transcript), voice)
    turn = VoiceTurn(transcript, reply, spoken)
    if response_format == "json":
        return JSONResponse(await run_in_threadpool(turn.public, audio_format))
    data, media_type = await run_in_threadpool(encode_audio, spoken.audio, response_format)
    return Response(data, media_type=media_type, headers={
        "X-Tandem-Conversation": reply.conversation_id, "X-Tandem-Transcript": quote(transcript.text),
        "X-Tandem-Reply": quote(spoken.text)})
