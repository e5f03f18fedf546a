"""``tandem ask``: one request to the assistant; what it cannot act on goes to the on-device model, streamed.
``--audio`` and ``--image`` turn speech and pictures into text first (Whisper, OCR), since the on-device
models read text only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tandem.cli.progress import StderrProgress
from tandem.config import Settings, load_settings
from tandem.types import ChatRequest, Message


def _heard(path: Path, language: str | None, settings: Settings, progress: StderrProgress) -> str:
    from tandem.speech.audio import decode_audio
    from tandem.speech.base import Segment
    from tandem.speech.registry import SpeechRegistry, resolve_stt_model

    audio = decode_audio(path.read_bytes(), max_seconds=settings.max_audio_seconds)
    registry = SpeechRegistry(settings, progress=progress)
    transcriber = registry.transcriber(resolve_stt_model("auto", language))
    text = ""
    for piece in transcriber.transcribe(audio, language=language):
        if isinstance(piece, Segment):  # long audio: show how far Whisper got
            progress(f"transcribing {path.name}", round(piece.end), max(1, round(audio.seconds)))
        else:
            text = piece.text
    click.echo(f"heard: {text}", err=True)
    return text


def _read(paths: tuple[Path, ...], settings: Settings, progress: StderrProgress) -> list[str]:
    from tandem.vision.analyze import describe
    from tandem.vision.image import load_image
    from tandem.vision.registry import VisionRegistry

    registry, blocks = VisionRegistry(settings, progress=progress), []
    for path in paths:
        analysis = registry.analyze(load_image(path.read_bytes(), max_pixels=settings.max_image_pixels))
        click.echo(f"read from {path.name}: {analysis.text or '(no text)'}".replace("\n", " | "), err=True)
        blocks.append(describe(analysis, path.name))
    return blocks


@click.command()
@click.argument("prompt", default="")
@click.option("--audio", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Transcribe this recording; the transcript is the question (PROMPT, if given, follows it).")
@click.option("--image", "images", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read this image's text (OCR) into the question; may be repeated.")
@click.option("--language", default=None, help="Language of --audio (e.g. en, de, zh); detected if omitted.")
@click.option("--model", "model_id", default=None, help="Model id (default: the configured one).")
@click.option("--system", default=None, help="A system prompt.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=512, show_default=True)
@click.option("--temperature", type=click.FloatRange(0, 2), default=0.7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as one JSON object.")
def ask(prompt: str, audio: Path | None, images: tuple[Path, ...], language: str | None, model_id: str | None,
        system: str | None, max_tokens: int, temperature: float, as_json: bool) -> None:
    """Ask the assistant: a request it can act on becomes tasks (confirmed on a terminal, or listed with
    their confirmation ids under --json or without a terminal); anything else is answered by the
    on-device model."""
    from tandem.agent.understand import Understander
    from tandem.api.assistant import LazyModel
    from tandem.cli.agent import agent_turn
    from tandem.models.base import complete
    from tandem.models.registry import ModelRegistry

    if not prompt.strip() and audio is None:
        raise click.UsageError("PROMPT is empty")
    settings = load_settings(default_model=model_id)
    if images or audio:
        media = _read(images, settings, StderrProgress())
        if audio is not None:
            media.append(_heard(audio, language, settings, StderrProgress()))
        prompt = "\n\n".join([*media, prompt.strip()]).strip()
    registry = ModelRegistry(settings, progress=StderrProgress())
    understanding = Understander(device=LazyModel(registry, settings.default_model)).understand(prompt)
    if understanding.matched:  # something to do: the assistant takes it from here
        agent_turn(settings, prompt, understanding, as_json=as_json)
        return
    model = registry.get(settings.default_model)
    messages = ((Message("system", system),) if system else ()) + (Message("user", prompt),)
    request = ChatRequest(messages=messages, max_tokens=max_tokens, temperature=temperature)
    if as_json:
        result = complete(model, request)
        click.echo(json.dumps({"model": model.info.id, "content": result.message.content,
                               "finish_reason": result.finish_reason,
                               "usage": {"prompt_tokens": result.usage.prompt_tokens,
                                         "completion_tokens": result.usage.completion_tokens}},
                              ensure_ascii=False))
        return
    for chunk in model.stream(request):
        sys.stdout.write(chunk.text)
        sys.stdout.flush()
    sys.stdout.write("\n")
