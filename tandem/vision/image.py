"""Decode uploaded images safely: known formats only, a pixel limit checked before the pixels are decoded
(a 50 kB PNG can claim to be 100 000 x 100 000), and data URLs as chat messages carry them.

Reading the header already decompresses a PNG's text chunks: PIL allows 64 MB of them, so an 80 kB PNG
of ``zTXt`` chunks cost 68 MB before it failed; here text is capped at 1 MiB in all (we never read it).
Whatever the decoder raises on damaged bytes, while reading the header or the pixels, is a 400.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct

from PIL import Image, PngImagePlugin, UnidentifiedImageError

from tandem.errors import InvalidRequest

__all__ = ["FORMATS", "decode_data_url", "load_image"]

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
# Process-wide, on purpose: nothing in Tandem reads PNG text, and every image it opens comes from a user.
PngImagePlugin.MAX_TEXT_MEMORY = 1 << 20
# What PIL's decoders raise on damaged input (found by mutating valid files of each format: a TIFF tag of
# the wrong type gives TypeError, a short table struct.error).
_DAMAGED = (OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError, KeyError, ArithmeticError,
            struct.error)
_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^;,]*)*?);base64,(?P<data>.*)$", re.S)


def load_image(data: bytes, *, max_pixels: int, param: str = "file") -> Image.Image:
    """An RGB image from encoded bytes; ``InvalidRequest`` for empty, corrupt, unsupported or oversized input."""
    if not data:
        raise InvalidRequest("the image is empty", param=param)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError as exc:  # PIL's own, far higher limit, checked when it reads the header
        raise InvalidRequest(f"the image has more pixels than the limit of {max_pixels}", param=param,
                             hint="scale it down or raise max_image_pixels") from exc
    except UnidentifiedImageError as exc:
        raise InvalidRequest("the file is not an image we can read (corrupt or an unsupported format)", param=param,
                             hint=f"send one of: {', '.join(f.lower() for f in FORMATS)}") from exc
    except _DAMAGED as exc:  # a known format whose header is damaged
        raise InvalidRequest(f"the image is corrupt: {exc}", param=param) from exc
    width, height = image.size
    if width * height > max_pixels:
        raise InvalidRequest(f"the image has {width}x{height} pixels, more than the limit of {max_pixels}",
                             param=param, hint="scale it down or raise max_image_pixels")
    try:
        image.load()
        return image.convert("RGB")
    except _DAMAGED as exc:  # truncated or damaged pixel data
        raise InvalidRequest(f"the {image.format} image is corrupt: {exc}", param=param) from exc


def decode_data_url(url: str, *, param: str) -> bytes:
    """The bytes of a ``data:image/...;base64,...`` URL. Remote URLs are refused: nothing leaves the device."""
    match = _DATA_URL.match(url.strip())
    if match is None:
        what = "remote image URLs are not fetched" if url.startswith(("http:", "https:")) else "not a data URL"
        raise InvalidRequest(f"image_url: {what}", param=param, hint="send the image as data:image/png;base64,...")
    try:
        return base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidRequest("image_url: the base64 data is invalid", param=param) from exc
