"""The model a JSON request body names, and whether it holds images, read without parsing the body.

Admission must know which line a model request waits in (``tandem.api.clouds``) before the route parses its body,
and parsing a large body on the event loop is what it must not do (``tandem.api.bodies``: a few ms per 10,000 values).
``named`` reads only what that needs: the top-level ``"model"`` (the last one, as ``json.loads`` keeps the last of
keys said twice) and whether any object anywhere has a ``"type"`` naming an image (``image_url``, ``input_image``, …).

It walks the body string by string: ``bytes.find`` jumps to the next quote (C, memchr), and the text between two strings
(punctuation, numbers, brackets) is counted in C, so a long text costs one search however long it is, and a body of
many brackets costs a count. What costs a step of Python is a quote, so a body with more than ``QUOTES`` of them
(``bytes.count``, before any step), or of more than ``BYTES``, is not read: ``None``, as for a body that is no JSON
object (an unclosed string).
Keys and values written with escapes (``"\\u006dodel"``) are decoded as ``json.loads`` decodes them; a run of more
than 64 backslashes before a quote is not measured (``None``). Where the body is
not valid JSON its reading may differ from nothing at all; the route refuses such a body (400) wherever it waited."""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["BYTES", "QUOTES", "Named", "named"]

# Quotes read at most, two a string: each is a step of Python (~1-1.5 µs), so ~10 ms on the loaded 2-core box. A chat
# of a few hundred messages with tools holds a few thousand; a long text holds two however long it is.
QUOTES = 8_192
# Bytes read at most: the C passes over a body cost ~1-4 ms a MiB on that box, so a body above the default body limit
# (4 MiB, ``max_body_bytes``) by more than twice, allowed by a higher setting, is not read
BYTES = 8 << 20
_SPACE = b" \t\n\r"  # JSON's whitespace (bytes.strip() would take more than json.loads does)
_RUN = 64  # backslashes before a quote measured at most
_SHORT = 64  # a key or model longer than this, in its written form, is none of the names sought


@dataclass(frozen=True)
class Named:
    """What a request body names: ``model`` (``None`` when it names none, or not as a string) and whether any part
    of it is typed as an image (``images``: read by OCR on the device)."""

    model: str | None
    images: bool


def named(body: bytes) -> Named | None:
    """The model ``body`` names and whether it holds images, or ``None`` when it has too many quotes to read
    (``QUOTES``), too many bytes (``BYTES``), is not UTF-8 or has a string that does not end."""
    if len(body) > BYTES or json.detect_encoding(body) not in ("utf-8", "utf-8-sig"):  # reread27 M1
        return None  # json.loads reads UTF-16 and UTF-32 too, whose bytes this does not (as in the device's line)
    if body.count(b'"') > QUOTES:
        return None
    depth, pos = 0, 0
    model: str | None = None
    images = False
    key: tuple[str | None, int] | None = None  # the key whose value comes next, and its depth
    last: tuple[int, int, int] | None = None  # the string before: start, end, depth
    while True:
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
        end = _end(body, start)
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


def _end(body: bytes, start: int) -> int:
    """The index of the quote closing the string opened at ``start``; -1 when none does, or when a run of ``_RUN``
    backslashes comes before a quote (not measured: no real text has one)."""
    searched, end = start + 1, body.find(b'"', start + 1)
    while end > 0 and body[end - 1] == 0x5C:  # a backslash before it: escaped when their run is odd
        run = body[max(searched, end - _RUN):end]
        backslashes = len(run) - len(run.rstrip(b"\\"))
        if backslashes == _RUN:
            return -1
        if backslashes % 2 == 0:
            break
        searched, end = end + 1, body.find(b'"', end + 1)
    return end


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
