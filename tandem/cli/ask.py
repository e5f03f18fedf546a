"""``tandem ask``: one request to the assistant; what it cannot act on goes to the on-device model, streamed.

``--audio`` turns speech into the request (Whisper). ``--image`` reads pictures (OCR): a request that
points at one ("book two tickets for this") takes the event's title, date, time and venue from it (see
``tandem.agent.poster``); anything else gets the image's text in the prompt. ``--speak OUT.wav`` makes it
a voice turn: the assistant's answer, e.g. its confirmation question, is spoken into OUT in the user's
language, and ``--conversation ID`` continues that conversation, so a recorded "yes" confirms::

    tandem ask --audio book.wav --speak question.wav --json     # → conversation_id, awaiting-confirmation
    tandem ask --audio yes.wav --conversation ID --speak done.wav
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import click

from tandem.cli.numbers import FiniteRange
from tandem.cli.progress import StderrProgress
from tandem.config import Settings, load_settings
from tandem.types import ChatRequest, Message

_SPOKEN_FORMATS = {".wav": "wav", ".mp3": "mp3", ".ogg": "opus", ".opus": "opus", ".flac": "flac", ".aac": "aac"}


def _heard(path: Path, language: str | None, settings: Settings, progress: StderrProgress,
           conversation: str | None) -> Any:
    """The recording's transcript (a ``Transcript``), heard as a voice turn hears it (``listening``: a new
    request primed with how requests to the user's partners sound), with progress on long audio."""
    from tandem.app.assistant import open_assistant
    from tandem.app.voice import hear, listening
    from tandem.speech.registry import SpeechRegistry

    async def listen() -> Any:
        async with open_assistant(settings) as assistant:
            return await listening(assistant, conversation)

    def on_segment(segment: Any, audio: Any) -> None:  # long audio: show how far Whisper got
        progress(f"transcribing {path.name}", round(segment.end), max(1, round(audio.seconds)))

    transcript = hear(SpeechRegistry(settings, progress=progress), path.read_bytes(), language, anyio.run(listen),
                      on_segment=on_segment)
    click.echo(f"heard: {transcript.text}", err=True)
    return transcript


def _read(paths: tuple[Path, ...], settings: Settings, progress: StderrProgress) -> list[Any]:
    """The ``ImageAnalysis`` of each image."""
    from tandem.vision.image import load_image
    from tandem.vision.registry import VisionRegistry

    registry, analyses = VisionRegistry(settings, progress=progress), []
    for path in paths:
        analysis = registry.analyze(load_image(path.read_bytes(), max_pixels=settings.max_image_pixels))
        click.echo(f"read from {path.name}: {analysis.text or '(no text)'}".replace("\n", " | "), err=True)
        analyses.append(analysis)
    return analyses


def _with_poster(understanding: Any, analyses: list[Any], region: str) -> Any:
    """The request's slots that point at the images ("this") filled from what they show; a date printed in digits
    alone is read in the order ``region``'s users write it."""
    from tandem.agent.poster import apply_poster, read_poster

    lines = [(line.text, float(line.box[3][1] - line.box[0][1])) for a in analyses for line in a.lines]
    poster = read_poster(lines, dt.datetime.now(), region)
    click.echo(f"poster: {poster.title or '-'} | {poster.when.iso if poster.when else '-'} | {poster.venue or '-'}",
               err=True)
    return apply_poster(understanding, poster)


def _voice_turn(settings: Settings, text: str, language: str, conversation: str | None, speak_to: Path | None,
                understanding: Any, as_json: bool) -> None:
    """One turn in a conversation with the assistant, spoken into ``speak_to`` when given."""
    from tandem.app.assistant import LazyModel, open_assistant
    from tandem.app.voice import respond, speak
    from tandem.cli.agent import how_to_answer
    from tandem.models.registry import ModelRegistry
    from tandem.speech.audio import encode_audio
    from tandem.speech.registry import SpeechRegistry

    device = LazyModel(ModelRegistry(settings, progress=StderrProgress()), settings.default_model)

    async def turn() -> Any:
        async with open_assistant(settings, device=device) as assistant:
            return await respond(assistant, text, conversation, understanding)

    reply = anyio.run(turn)
    spoken = None
    if speak_to is not None:
        spoken = speak(SpeechRegistry(settings, progress=StderrProgress()), reply, language)
        speak_to.write_bytes(encode_audio(spoken.audio, _SPOKEN_FORMATS[speak_to.suffix.lower()])[0])
        click.echo(f"said ({spoken.voice}) into {speak_to}: {spoken.text}", err=True)
    if as_json:
        speech = {"text": spoken.text, "voice": spoken.voice, "file": str(speak_to)} if spoken else None
        click.echo(json.dumps({**reply.public(), "heard": text, "speech": speech}, ensure_ascii=False))
    else:
        click.echo(reply.text)
        how_to_answer(reply)


@click.command()
@click.argument("prompt", default="")
@click.option("--audio", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Transcribe this recording; the transcript is the question (PROMPT, if given, follows it).")
@click.option("--image", "images", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read this image (OCR): an event on it fills a request like 'book two tickets for this'; "
                   "else its text joins the question. May be repeated.")
@click.option("--speak", "speak_to", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Speak the assistant's answer into this file (.wav, .mp3, .ogg, .flac, .aac).")
@click.option("--conversation", default=None, help="Continue this conversation (e.g. answer 'yes' to a question).")
@click.option("--language", default=None, help="Language of --audio (e.g. en, de, zh); detected if omitted.")
@click.option("--model", "model_id", default=None, help="Model id (default: the configured one).")
@click.option("--system", default=None, help="A system prompt.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=512, show_default=True)
@click.option("--temperature", type=FiniteRange(0, 2), default=0.7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as one JSON object.")
def ask(prompt: str, audio: Path | None, images: tuple[Path, ...], speak_to: Path | None, conversation: str | None,
        language: str | None, model_id: str | None, system: str | None, max_tokens: int, temperature: float,
        as_json: bool) -> None:
    """Ask the assistant: a request it can act on becomes tasks (confirmed on a terminal, or listed with
    their confirmation ids under --json or without a terminal); anything else is answered by the
    on-device model. With --speak or --conversation every turn goes to the assistant."""
    from tandem.agent.own_orders_again import said_again
    from tandem.agent.slots import detect_language
    from tandem.app.assistant import LazyModel
    from tandem.cli.agent import agent_turn
    from tandem.cli.models import device_model
    from tandem.models.registry import ModelRegistry
    from tandem.vision.analyze import describe

    if not prompt.strip() and audio is None:
        raise click.UsageError("PROMPT is empty")
    if speak_to is not None and speak_to.suffix.lower() not in _SPOKEN_FORMATS:
        raise click.UsageError(f"--speak: use a file ending in {', '.join(_SPOKEN_FORMATS)}")
    settings = load_settings(default_model=model_id)
    device_model(settings)  # an unknown model is said before any work (reading images, hearing, understanding)
    analyses = _read(images, settings, StderrProgress())
    transcript = _heard(audio, language, settings, StderrProgress(), conversation) if audio is not None else None
    words = " ".join(w for w in (transcript.text if transcript else "", prompt.strip()) if w)
    registry = ModelRegistry(settings, progress=StderrProgress())
    understanding = _understander(settings, LazyModel(registry, settings.default_model)).understand(words)
    if understanding.matched and analyses:
        understanding = _with_poster(understanding, analyses, settings.region)
    if speak_to is not None or conversation is not None:
        from tandem.app.voice import spoken_language  # the voice stack (PyAV) only for voice turns: +0.15 s CPU per ask

        said = spoken_language(transcript) if transcript else detect_language(words)
        _voice_turn(settings, words, said, conversation, speak_to, understanding if understanding.matched else None,
                    as_json)
        return
    # something to do (a request, or an earlier order asked for again without naming anything: "same again"; "try
    # again" or "explain that again" name no order and are chatted about, reread24 M1): the assistant takes it from here
    again = said_again(words, dt.datetime.now())
    if understanding.matched or (again is not None and not again.naming):
        agent_turn(settings, words, understanding, as_json=as_json)
        return
    question = "\n\n".join([*(describe(a, p.name) for a, p in zip(analyses, images, strict=True)), words])
    _chat(registry, settings.default_model, question, system, max_tokens, temperature, as_json)


def _understander(settings: Settings, device: Any) -> Any:
    """Understanding over the capabilities of the user's installed partners (their manifests), with the
    learned tier on the device and the device model filling parameters."""
    from tandem.agent.capabilities import capabilities
    from tandem.agent.learned import on_device
    from tandem.agent.overreach import vetted, vetted_cache
    from tandem.agent.profile import load_profile
    from tandem.agent.understand import Understander
    from tandem.services.registry import ServiceRegistry

    services = ServiceRegistry(settings)
    try:
        docs = [r.manifest.raw for r in services.available()]
        intents = capabilities(vetted(docs, cache=vetted_cache(settings.home)))
    finally:
        services.close()
    return Understander(intents=intents, device=device, learned=on_device(intents, settings.home),
                        city=load_profile(settings.home).city, region=settings.region)


def _chat(registry: Any, model_id: str, prompt: str, system: str | None, max_tokens: int, temperature: float,
          as_json: bool) -> None:
    """The on-device model's answer to what the assistant made no task of (``guarded_chat``: told it cannot act, and
    an answer claiming an act gets the fact after it), streamed (or as one JSON object)."""
    from tandem.app.assistant import guarded_chat
    from tandem.models.base import complete

    model = registry.get(model_id)
    messages = ((Message("system", system),) if system else ()) + (Message("user", prompt),)
    request, closing = guarded_chat(ChatRequest(messages=messages, max_tokens=max_tokens, temperature=temperature))
    if as_json:
        result = complete(model, request)
        click.echo(json.dumps({"model": model.info.id, "content": closing(result.message.content or ""),
                               "finish_reason": result.finish_reason,
                               "usage": {"prompt_tokens": result.usage.prompt_tokens,
                                         "completion_tokens": result.usage.completion_tokens}},
                              ensure_ascii=False))
        return
    said = ""
    for chunk in model.stream(request):
        said += chunk.text
        sys.stdout.write(chunk.text)
        sys.stdout.flush()
    sys.stdout.write(closing(said)[len(said):] + "\n")
