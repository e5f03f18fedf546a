"""``tandem ask``: one question to the on-device model, answer streamed to stdout."""

from __future__ import annotations

import json
import sys

import click

from tandem.cli.progress import StderrProgress
from tandem.config import load_settings
from tandem.types import ChatRequest, Message


@click.command()
@click.argument("prompt")
@click.option("--model", "model_id", default=None, help="Model id (default: the configured one).")
@click.option("--system", default=None, help="A system prompt.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=512, show_default=True)
@click.option("--temperature", type=click.FloatRange(0, 2), default=0.7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as one JSON object.")
def ask(prompt: str, model_id: str | None, system: str | None, max_tokens: int, temperature: float,
        as_json: bool) -> None:
    """Ask the on-device model PROMPT and print the answer."""
    from tandem.models.base import complete
    from tandem.models.registry import ModelRegistry

    if not prompt.strip():
        raise click.UsageError("PROMPT is empty")
    settings = load_settings(default_model=model_id)
    model = ModelRegistry(settings, progress=StderrProgress()).get(settings.default_model)
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
