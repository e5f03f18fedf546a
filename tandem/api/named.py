"""The model a JSON request body names, and whether it holds images, read without parsing the body.

Admission must know which line a model request waits in (``tandem.api.clouds``) before the route parses its body,
and parsing a large body on the event loop is what it must not do (``tandem.api.bodies``: a few ms per 10,000 values).
``named`` reads only what that needs: the top-level ``"model"`` (the last one, as ``json.loads`` keeps the last of
keys said twice) and whether any object anywhere has a ``"type"`` naming an image (``image_url``, ``input_image``, …).

It walks the body string by string: ``bytes.find`` jumps to the next quote (C, memchr), and the text between two strings
(punctuation, numbers, brackets) is counted in C, so a long text costs one search however long it is, and a body of
many brackets costs a count. What costs a step of Python is a string, so a body with more than ``QUOTES`` quotes that
end or open one (at least its quotes less its backslashes, ``bytes.count`` before any step; else counted as read), or
of more than ``BYTES``, is not read: ``None``, as for a body that is no JSON object (an unclosed string). A string with
an escaped quote is skipped by json's own scanner (C), so the escaped quotes of JSON text held in an agent's tool
outputs cost no step (at most ``ESCAPES`` backslashes in the body, else ``None``).
Keys and values written with escapes (``"\\u006dodel"``) are decoded as ``json.loads`` decodes them. Where the body is
not valid JSON its reading may differ from nothing at all; the route refuses such a body (400) wherever it waited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]

__all__ = ["BYTES", "ESCAPES", "QUOTES", "Named", "named"]

# Quotes read at most, two a string (escaped ones are not read): each string is a step of Python (~1-1.5 µs), so
# ~10 ms on the loaded 2-core box. A chat of a few hundred messages with tools holds a few thousand; a long text two.
QUOTES = 8_192
# Bytes read at most: the C passes over a body cost ~1-4 ms a MiB on that box, so a body above the default body limit
# (4 MiB, ``max_body_bytes``) by more than twice, allowed by a higher setting, is not read
BYTES = 8 << 20
# Backslashes read at most, when a string holds an escaped quote: json's scanner costs ~5-15 ns an escape on that box,
# so ~1-4 ms. JSON text in the tool outputs of an agent's history escapes each of its quotes: 4 MiB of it holds ~200k.
ESCAPES = 1 << 18
_SPACE = b" \t\n\r"  # JSON's whitespace (bytes.strip() would take more than json.loads does)
_SHORT = 64  # a key or model longer than this, in its written form, is none of the names sought


@dataclass(frozen=True)
class Named:
    """What a request body names: ``model`` (``None`` when it names none, or not as a string) and whether any part
    of it is typed as an image (``images``: read by OCR on the device)."""

    model: str | None
    images: bool


def named(body: bytes) -> Named | None:
    """The model ``body`` names and whether it holds images, or ``None`` when it has too many strings to read
    (``QUOTES``), too many bytes (``BYTES``), is not UTF-8 or has a string that does not end."""
    if len(body) > BYTES or json.detect_encoding(body) not in ("utf-8", "utf-8-sig"):  # reread27 M1
        return None  # json.loads reads UTF-16 and UTF-32 too, whose bytes this does not (as in the device's line)
    quotes, backslashes = body.count(b'"'), None  # C; a quote after a backslash may be escaped, no other is
    if quotes > QUOTES and quotes - (backslashes := body.count(b"\\")) > QUOTES:  # that many strings at least
        return None
    strings = _Strings(body, backslashes)
    depth, pos = 0, 0
    model: str | None = None
    images = False
    key: tuple[str | None, int] | None = None  # the key whose value comes next, and its depth
    last: tuple[int, int, int] | None = None  # the string before: start, end, depth
    for _ in range(QUOTES // 2 + 1):
        start = body.find(b'"', pos)
        gap = body[pos:] if start < 0 else body[pos:start]  # between two strings: each byte copied once, in C
        if last is not None and gap.lstrip(_SPACE)[:1] == b":":  # the string before was a key
            key = (_text(body, last[0], last[1]), last[2])
            if key == ("model", 1):
                model = None  # unless its value is this string
        if key is not None and (start < 0 or gap.strip(_SPACE) != b":"):  # its value is no string
            key = None
        depth += len(gap.translate(None, b"]}")) - len(gap.translate(None, b"[{"))  # opened less closed (2 C passes)
        if start < 0:
            return Named(model, images)
        end = strings.end(start)
        if end < 0:
            return None
        if key is not None:
            text = _text(body, start, end)
            if key == ("model", 1):
                model = text
            elif key[0] == "type":
                images = images or "image" in (text if text is not None else _long(body, start, end))
            key, last = None, None
        else:
            last = (start, end, depth)
        pos = end + 1
    return None  # more strings than are read (backslashes that escape none hid them from the count)


class _Strings:
    """Where the strings of a body end. A string whose first quote after it is escaped (JSON text in a tool's output,
    a quoted word) is skipped by json's own scanner, in C, over the body read as Latin-1: one character a byte, so its
    indices are the body's (no UTF-8 sequence holds a quote or a backslash byte); every escaped quote cost a step of
    Python before, and such bodies soon had more than ``QUOTES``."""

    def __init__(self, body: bytes, backslashes: int | None) -> None:
        self.body, self.backslashes = body, backslashes  # how many it holds, when counted
        self.latin: str | None = None  # the body as Latin-1, made at the first escaped quote (~0.1 ms a MiB)

    def end(self, start: int) -> int:
        """The index of the quote closing the string opened at ``start``; -1 when none does, where json.loads would
        refuse the string (a bad escape, a control character) or the body holds more than ``ESCAPES`` backslashes."""
        end = self.body.find(b'"', start + 1)
        if end < 0 or self.body[end - 1] != 0x5C:  # no backslash before it: its end
            return end
        if self.latin is None:
            if self.backslashes is None:
                self.backslashes = self.body.count(b"\\")
            if self.backslashes > ESCAPES:
                return -1
            self.latin = self.body.decode("latin-1")
        try:
            return int(scanstring(self.latin, start + 1)[1]) - 1
        except ValueError:
            return -1


def _text(body: bytes, start: int, end: int) -> str | None:
    """The string from ``start`` to ``end`` (its quotes), decoded as json.loads does; None when it is long or bad."""
    if end - start > _SHORT:
        return None
    token = body[start:end + 1]
    try:
        return token[1:-1].decode() if b"\\" not in token else str(json.loads(token))
    except ValueError:  # a bad escape or UTF-8 (json.loads refuses the body)
        return None


def _long(body: bytes, start: int, end: int) -> str:
    """What a long string may say, for the image test: "image" when it holds that or any escape (the safe side)."""
    inner = body[start + 1:end]
    return "image" if b"image" in inner or b"\\" in inner else ""
