"""A command's JSON result on stdout, or with ``--output/-o FILE`` in a file (the GDPR exports)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["output_option", "write_json"]

F = TypeVar("F", bound=Callable[..., Any])


def output_option(command: F) -> F:
    """The ``--output/-o FILE`` option, passed to the command as ``output`` (None: stdout)."""
    option = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
    return option(command)


def write_json(data: Any, output: Path | None) -> None:
    """``data`` as indented JSON on stdout, or in ``output`` with a note on stderr. A new file is readable by
    its owner only: an export holds the user's data in clear."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"exported to {output}", err=True)
