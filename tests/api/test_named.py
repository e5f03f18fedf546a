"""tandem.api.named reads a body's model and images as json.loads would give them, without parsing it, and gives up
(None) on what it cannot read cheaply: outcomes on random bodies, escapes, repeated keys and hostile shapes."""

from __future__ import annotations

import json
import random
from typing import Any

from tandem.api.named import BYTES, ESCAPES, QUOTES, Named, named

_WORDS = ["model", "type", "image_url", "input_image", "cloud:x", 'a"b', "\\", '\\"', "x\\", "messages", "ü", "图",
          "\u2028", "image", "text", ":", "{", "]"]


def _expected(doc: Any) -> Named:
    """What json.loads gives: the top-level model when it is a string; any object typed as an image."""
    model = doc.get("model") if isinstance(doc, dict) else None
    images, stack = False, [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            images = images or (isinstance(value.get("type"), str) and "image" in value["type"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return Named(model if isinstance(model, str) else None, images)


def _value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.3:
        return rng.choice([rng.choice(_WORDS), 1, -2.5e3, None, True, ""])
    if roll < 0.6:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(_WORDS): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_random_bodies_read_as_json_loads_gives_them() -> None:
    rng = random.Random(27)
    for _ in range(3000):
        doc: Any = {rng.choice(_WORDS): _value(rng, 1) for _ in range(rng.randint(0, 5))}
        if rng.random() < 0.5:
            doc["model"] = rng.choice([*_WORDS, [], {"model": "cloud:x"}, 3])
        if rng.random() < 0.1:
            doc = [doc]  # no object at the top: no model
        colon = rng.choice([": ", ":", " " * 300 + ":\n"])  # long runs of whitespace too (review27 R27-1)
        body = json.dumps(doc, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]),
                          separators=(",", colon)).encode()
        assert named(body) == _expected(doc), body


def test_escapes_and_repeated_keys_as_json_loads() -> None:
    body = b'{"\\u006dodel": "cloud:x", "model": "cloud:y", "\\u006dodel" :\n "cloud:\\u007a"}'
    assert json.loads(body)["model"] == "cloud:z" and named(body) == Named("cloud:z", False)
    assert named(b'{"model": "cloud:y", "model": 3}') == Named(None, False)  # the last one, as json.loads keeps
    assert named(b'{"model": "cloud:y", "x": {"model": "device:q"}}') == Named("cloud:y", False)
    assert named(b'{"x": "\\"model\\": \\"cloud:y\\""}') == Named(None, False)  # inside a string: no key
    spaced = b'{"model": "cloud:x", "messages": [], "model"' + b" " * 300 + b': "device:q"}'  # review27 R27-1
    assert named(spaced) == Named("device:q", False)
    spaced = b'{"model": "cloud:x", "messages": [{"type"' + b"\n" * 300 + b":" + b" " * 300 + b'"image_url"}]}'
    assert json.loads(spaced)["messages"][0]["type"] == "image_url" and named(spaced) == Named("cloud:x", True)
    typed = b'[{"\\u0074ype": "input_\\u0069mage"}]'
    assert named(typed) == Named(None, True)
    assert named(b'{"type": "text", "text": "an image_url"}') == Named(None, False)


def test_what_is_not_read_cheaply_is_none() -> None:
    assert named(b'{"model": "cloud:x", "x": [' + b'"",' * QUOTES + b'""]}') is None  # too many quotes
    assert named(b'{"model": "cloud:x", "text": "never ends') is None
    for encoding in ("utf-16-le", "utf-16-be", "utf-32", "utf-16"):  # reread27 M1: json.loads reads these too
        assert named('{"model": "cloud:x"}'.encode(encoding)) is None
    hidden = '{"model": "device:q", "x": "' + b'"model": "cloud:x", "y": "'.decode("utf-16-le") + '"}'
    assert json.loads(hidden.encode("utf-16-le"))["model"] == "device:q" and named(hidden.encode("utf-16-le")) is None
    assert named(b'\xef\xbb\xbf{"model": "cloud:x"}') == Named("cloud:x", False)  # UTF-8 with its mark, as json.loads
    assert named(b'{"model": "cloud:x", "text": "' + b"x" * BYTES + b'"}') is None  # more bytes than are read
    assert named(b'{"model": "cloud:x", "x": [' + b'[],' * 500_000 + b'[]]}') == Named("cloud:x", False)
    for run in (63, 62, 1001, 1000):  # an odd run escapes the quote after it; an even one does not
        body = b'{"x": "' + b"\\" * run + b'"' * (run % 2) + b'", "model": "cloud:x"}'
        assert json.loads(body)["model"] == "cloud:x" and named(body) == Named("cloud:x", False)
    assert named(b'{"x": "' + b"\\" * 4_000_000 + b'", "model": "cloud:x"}') is None  # more than ESCAPES
    hidden = b'{"model": "cloud:x", "x": [' + b'"\\\\",' * QUOTES + b'""]}'  # each string's end after a backslash
    assert hidden.count(b'"') - hidden.count(b"\\") < QUOTES and named(hidden) is None  # too many strings, found
    assert named(b'{"model": "cloud:x", "x": "\\"' + b"\\n" * ESCAPES + b'"}') is None  # too many escapes to scan
    assert named(b'{"model": "cloud:x", "x": "\\"\x01"}') is None  # a control character: json.loads refuses it


def test_an_agent_history_whose_tool_outputs_are_json_text_is_read() -> None:
    """Each quote of the JSON text a tool gave back is escaped: skipped by json's scanner (C), it no longer counts
    toward QUOTES (such histories waited in the device's line before)."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": "find me a hotel"}]
    for turn in range(40):
        call = {"id": f"c{turn}", "type": "function",
                "function": {"name": "search", "arguments": json.dumps({"city": "Berlin", "page": turn})}}
        found = [{"name": f"Hotel {n}", "type": "image_url", "stars": n % 5, "tags": ["wifi", '"quiet"']}
                 for n in range(20)]
        messages += [{"role": "assistant", "content": None, "tool_calls": [call]},
                     {"role": "tool", "tool_call_id": f"c{turn}", "content": json.dumps(found)}]
    for pictured in (False, True):
        if pictured:
            messages.append({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:,"}}]})
        body = json.dumps({"model": "cloud:x", "messages": messages}).encode()
        assert body.count(b'"') > QUOTES and named(body) == _expected(json.loads(body)) == Named("cloud:x", pictured)
