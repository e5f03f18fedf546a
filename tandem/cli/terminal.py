"""What a terminal shows is what the text says.

Many commands print a partner's data (a film title, a car's name, a price, a partner's error) and the model's words.
A control character in them is an instruction to the terminal, not text: ``ESC[8m`` conceals the rest of the line,
``ESC[1A`` moves up a line, a carriage return or a right-to-left override rewrites what came before. A partner could
so make the confirmation prompt read "1 day, 9.99 EUR" over a booking for three days at 117 EUR. On a terminal
every such character is written as a visible escape (``\\x1b``) instead; output to a pipe or a file is left as it is
(JSON escapes them anyway).
"""

from __future__ import annotations

import io
import re
import sys
from typing import Any, TextIO

from tandem.text import controls

__all__ = ["Visible", "show_visibly", "visible"]

_TEXT = "\t\n"  # what tandem.text counts as control but a terminal shows as text


def _escaped(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with each control character but those in ``keep`` written as an escape a reader can see."""
    return controls(_TEXT + keep).sub(_escaped, text)


class Visible(io.TextIOBase):
    """A text stream that writes to ``inner`` what ``visible`` makes of the text; ``keep`` may pass some controls
    (stderr's progress line redraws itself with a carriage return)."""

    def __init__(self, inner: TextIO, keep: str = "") -> None:
        self.inner, self._hidden = inner, controls(_TEXT + keep)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors

    def write(self, text: str) -> int:
        self.inner.write(self._hidden.sub(_escaped, text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        # Without a descriptor, input() writes its prompt (click.prompt's "... [y/N]") through write() as well:
        # with one, it hands the prompt to readline, which writes it to the terminal unseen by this stream.
        raise io.UnsupportedOperation("fileno")

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def show_visibly() -> None:
    """Put ``Visible`` in front of stdout and stderr where they are terminals."""
    if sys.stdout.isatty() and not isinstance(sys.stdout, Visible):
        sys.stdout = Visible(sys.stdout)
    if sys.stderr.isatty() and not isinstance(sys.stderr, Visible):
        sys.stderr = Visible(sys.stderr, keep="\r")
