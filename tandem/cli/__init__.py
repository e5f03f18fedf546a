"""The ``tandem`` command. A thin shell over the library: every command maps TandemError to a one-line
message and exit code 1, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

import click

from tandem import __version__
from tandem.cli.agent import chat, confirm, decline, tasks
from tandem.cli.ask import ask
from tandem.cli.doctor import doctor
from tandem.cli.eval import eval_command
from tandem.cli.memory import memory, recommend_command
from tandem.cli.models import models
from tandem.cli.privacy import privacy
from tandem.cli.serve import serve
from tandem.cli.services import services
from tandem.errors import TandemError

__all__ = ["cli", "main"]


@click.group()
@click.version_option(__version__, prog_name="tandem")
def cli() -> None:
    """Tandem: a private, hybrid on-device/cloud assistant platform."""


for command in (serve, ask, models, doctor, services, privacy, eval_command, chat, confirm, decline, tasks, memory,
                recommend_command):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="tandem", standalone_mode=False)
    except TandemError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
