"""xSID's intents declared as capabilities, from xSID's public English training material only.

xSID trains on English and tests everywhere else (zero-shot). Its English training data merges the
Snips 2017 benchmark (read here from the Snips folder of the evaluation data, renamed as xSID's own
``scripts/mapping.txt`` does: ``GetWeather`` is ``weather/find``, cities are ``location``, ...) and the
Facebook multilingual task-oriented data (alarms, reminders, weather; an excerpt ships beside this
module as ``xsid_train.tsv``, since the evaluation data holds only xSID's validation split).

From these, ``choose`` takes ``per_intent`` examples of every intent, evenly spread over its training
sentences (deterministic: no sampling), and ``manifest`` writes them the way a partner would: one tool
per intent with English example templates (slot values become ``{parameters}``; dates and times are cut
out, since Tandem's date reader handles them), parameter samples taken from the same sentences, and
no German or Chinese examples at all. ``manifest`` returns a manifest document and the name maps back
to xSID's labels, so ``tandem.eval`` never imports the agent that reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError

__all__ = ["EXCERPT", "SNIPS_TO_XSID", "Declared", "Example", "choose", "excerpt_examples", "manifest",
           "snips_examples", "template"]

EXCERPT = Path(__file__).with_name("xsid_train.tsv")
# mainlp/xsid scripts/mapping.txt: Snips labels as xSID renamed them (anything else keeps its name).
SNIPS_TO_XSID = {"current_location": "location", "country": "location", "city": "location",
                 "geographic_poi": "location", "location_name": "location", "poi": "location",
                 "spatial_relation": "location", "state": "location", "timeRange": "datetime",
                 "year": "datetime", "playlist_owner": "reference", "GetWeather": "weather/find"}
_TIME = "datetime"  # xSID's date/time slot: Tandem reads it with its date reader, as a "when" parameter
_BEFORE_TIME = {"for", "at", "on", "by", "in", "until", "till", "from"}
_SYNTAX = re.compile(r"[()\[\]{}|]")  # template syntax; literal words must not contain it


@dataclass(frozen=True)
class Example:
    """One training sentence, tokenised, with one BIO tag per token."""

    intent: str
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Declared:
    """xSID's intents as one manifest document, and the way back from Tandem's names to xSID's."""

    document: dict[str, Any]  # a partner manifest: one tool per intent, with English examples
    intents: dict[str, str] = field(default_factory=dict)  # capability name -> xSID intent
    slots: dict[str, str] = field(default_factory=dict)  # parameter name -> xSID slot type
    examples: int = 0  # training sentences used


def snips_examples(folder: Path) -> Iterator[Example]:
    """Every ``train_*_full.json`` sentence below ``folder``, with xSID's intent and slot names."""
    files = sorted(folder.glob("**/train_*_full.json"))
    if not files:
        raise ConfigError(f"no Snips train_*_full.json below {folder}", hint="pass --train DIR")
    for path in files:
        # the files are UTF-8 with a few stray Latin-1 bytes; those words are not what is learned from
        for name, utterances in json.loads(path.read_bytes().decode("utf-8", errors="replace")).items():
            for utterance in utterances:
                tokens: list[str] = []
                tags: list[str] = []
                for part in utterance["data"]:
                    slot = SNIPS_TO_XSID.get(part.get("entity", ""), part.get("entity"))
                    for i, word in enumerate(part["text"].split()):
                        tokens.append(word)
                        tags.append(f"{'I' if i else 'B'}-{slot}" if slot else "O")
                yield Example(SNIPS_TO_XSID.get(name, name), tuple(tokens), tuple(tags))


def excerpt_examples(path: Path = EXCERPT) -> Iterator[Example]:
    """Sentences of a ``text<TAB>tags<TAB>intent`` file (``#`` lines are comments)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, tags, intent = line.split("\t")
            yield Example(intent, tuple(text.split()), tuple(tags.split()))


def choose(examples: Iterable[Example], per_intent: int) -> dict[str, list[Example]]:
    """``per_intent`` distinct sentences of each intent, evenly spread over its sentences in file order."""
    grouped: dict[str, dict[str, Example]] = {}
    for example in examples:
        grouped.setdefault(example.intent, {}).setdefault(example.text.casefold(), example)
    chosen = {}
    for intent, found in grouped.items():
        items = list(found.values())
        chosen[intent] = items[::max(1, len(items) // per_intent)][:per_intent]
    return chosen


def _name(label: str) -> str:
    return "when" if label == _TIME else re.sub(r"\W+", "_", label).strip("_")


def _spans(tags: tuple[str, ...]) -> list[tuple[str | None, int, int]]:
    """(slot, or None for plain words; start; end) runs covering every token."""
    runs: list[tuple[str | None, int, int]] = []
    for i, tag in enumerate(tags):
        slot = tag[2:] if tag != "O" else None
        if runs and runs[-1][0] == slot and (slot is None or tag.startswith("I-")):
            runs[-1] = (slot, runs[-1][1], i + 1)
        else:
            runs.append((slot, i, i + 1))
    return runs


def template(example: Example) -> tuple[str, dict[str, str]]:
    """The sentence as a template ("add {artist} to {playlist}") and its slot values by parameter.
    Date/time words are left out: the date reader cuts them from a request before templates match."""
    pieces: list[str] = []
    values: dict[str, str] = {}
    for slot, start, end in _spans(example.tags):
        words = " ".join(example.tokens[start:end])
        if slot is None:
            pieces.append(_SYNTAX.sub(" ", words))
        elif slot == _TIME:  # "set an alarm for [830]": the preposition goes with the time
            if pieces and pieces[-1].split() and pieces[-1].split()[-1].lower() in _BEFORE_TIME:
                pieces[-1] = pieces[-1].rsplit(" ", 1)[0] if " " in pieces[-1] else ""
        else:
            pieces.append("{" + _name(slot) + "}")
            values.setdefault(_name(slot), words)
    return " ".join(" ".join(pieces).split()), values


def _description(intent: str) -> str:
    return " ".join(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", intent).replace("/", " ").replace("_", " ").lower().split())


def _tool(intent: str, examples: list[Example], slot_names: dict[str, str]) -> dict[str, Any]:
    templates: dict[str, None] = {}
    samples: dict[str, dict[str, None]] = {}
    for example in examples:
        said, values = template(example)
        if said.strip("{} "):
            templates.setdefault(said)
        for name, value in values.items():
            samples.setdefault(name, {}).setdefault(value)
        for slot in {t[2:] for t in example.tags if t != "O"}:
            slot_names[_name(slot)] = slot
    counts = {name: sum(any(t[2:] == slot for t in e.tags) for e in examples) for name, slot in slot_names.items()}
    params = {name: {"kind": "when" if name == "when" else "text", "samples": list(samples.get(name, {}))[:4],
                     # a parameter most of the intent's sentences give is one the task would ask for
                     "required": name != "when" and counts[name] * 2 > len(examples)}
              for name in dict.fromkeys(n for e in examples for n in (_name(t[2:]) for t in e.tags if t != "O"))}
    return {"name": _name(intent), "intent": _name(intent), "description": {"en": _description(intent)},
            "parameters": params, "examples": {"en": list(templates)}}


def manifest(chosen: dict[str, list[Example]]) -> Declared:
    """One partner manifest declaring every chosen intent as a capability with English examples."""
    slots: dict[str, str] = {}
    tools = [_tool(intent, examples, slots) for intent, examples in chosen.items()]
    document = {"name": "xsid", "title": "xSID intents", "categories": ["xsid"], "tools": tools}
    return Declared(document, {_name(i): i for i in chosen}, slots, sum(len(e) for e in chosen.values()))
