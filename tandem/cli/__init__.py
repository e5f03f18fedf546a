"""The ``tandem`` command. A thin shell over the library: every command maps TandemError, an error the operating
system reports (a TANDEM_HOME that is a file, a full disk) and a store's file that is no database, to a one-line
message and exit code 1, never a traceback."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import Any

import click

from tandem import __version__
from tandem.cli.terminal import show_visibly
from tandem.config import keep_private, tandem_home
from tandem.errors import ConfigError, TandemError

__all__ = ["cli", "main"]

# Command name -> "module:attribute". Commands are imported only when run, so `tandem models list` does not
# pay for the MCP client, the agent or the speech stack (about 1.8 s of imports together).
_COMMANDS = {
    "serve": "tandem.cli.serve:serve", "ask": "tandem.cli.ask:ask", "models": "tandem.cli.models:models",
    "doctor": "tandem.cli.doctor:doctor", "services": "tandem.cli.services:services",
    "privacy": "tandem.cli.privacy:privacy", "eval": "tandem.cli.eval:eval_command", "chat": "tandem.cli.agent:chat",
    "confirm": "tandem.cli.agent:confirm", "decline": "tandem.cli.agent:decline", "tasks": "tandem.cli.agent:tasks",
    "memory": "tandem.cli.memory:memory", "recommend": "tandem.cli.memory:recommend_command",
    "profile": "tandem.cli.profile:profile", "keys": "tandem.cli.keys:keys",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=_LazyGroup)
@click.version_option(__version__, prog_name="tandem")
def cli() -> None:
    """Tandem: a private, hybrid on-device/cloud assistant platform."""
    _usable_home()  # here, not in main: --help and --version need no home


def _usable_home() -> None:
    home = tandem_home()
    if home.exists() and not home.is_dir():  # else each store fails its own way (sqlite: "unable to open database")
        raise ConfigError(f"TANDEM_HOME {home} is not a directory", hint="point TANDEM_HOME at a directory")


def main(argv: list[str] | None = None) -> Any:
    keep_private()  # before anything under TANDEM_HOME is created: files 0600, directories 0700
    show_visibly()  # a partner's text cannot steer the terminal (a concealed price in a confirmation prompt)
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
    except OverflowError:  # an integer too large for a store ("memory delete 99999999999999999999"), as the API's 400
        click.echo("error: a number in the command is out of range", err=True)
        sys.exit(2)
    except OSError as exc:  # the machine's answer (a TANDEM_HOME that is a file, a full disk): said, not a traceback
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where} (TANDEM_HOME is {tandem_home()})", err=True)
        sys.exit(1)
    except sqlite3.DatabaseError as exc:  # a store's file damaged or overwritten ("file is not a database")
        click.echo(f"error: a store under TANDEM_HOME ({tandem_home()}) cannot be read: {exc}", err=True)
        sys.exit(1)
