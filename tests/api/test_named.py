"""tandem.api.named reads a body's model and images as json.loads would give them, without parsing it, and gives up
(None) on what it cannot read cheaply: outcomes on random bodies, escapes, repeated keys and hostile shapes."""

from __future__ import annotations

import json
import random
from typing import Any

from tandem.api.named import QUOTES, Named, named

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
        body = json.dumps(doc, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2])).encode()
        assert named(body) == _expected(doc), body


def test_escapes_and_repeated_keys_as_json_loads() -> None:
    body = b'{"\\u006dodel": "cloud:x", "model": "cloud:y", "\\u006dodel" :\n "cloud:\\u007a"}'
    assert json.loads(body)["model"] == "cloud:z" and named(body) == Named("cloud:z", False)
    assert named(b'{"model": "cloud:y", "model": 3}') == Named(None, False)  # the last one, as json.loads keeps
    assert named(b'{"model": "cloud:y", "x": {"model": "device:q"}}') == Named("cloud:y", False)
    assert named(b'{"x": "\\"model\\": \\"cloud:y\\""}') == Named(None, False)  # inside a string: no key
    typed = b'[{"\\u0074ype": "input_\\u0069mage"}]'
    assert named(typed) == Named(None, True)
    assert named(b'{"type": "text", "text": "an image_url"}') == Named(None, False)


def test_what_is_not_read_cheaply_is_none() -> None:
    assert named(b'{"model": "cloud:x", "x": [' + b'"",' * QUOTES + b'""]}') is None  # too many quotes
    assert named(b'{"model": "cloud:x", "text": "never ends') is None
    assert named(b'{"model": "cloud:x", "x": [' + b'[],' * 500_000 + b'[]]}') == Named("cloud:x", False)
    backslashes = b'{"x": "' + b"\\" * 100_001 + b'", "model": "cloud:x"}'  # an odd run: the quote is escaped
    assert named(backslashes) is None
    assert named(b'{"x": "' + b"\\" * 100_000 + b'", "model": "cloud:x"}') == Named("cloud:x", False)
