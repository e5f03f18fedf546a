"""Example sentences as templates: the small syntax partners write their capability examples in.

    (book|order) [me] a {vehicle} to {destination} [please]

``(a|b)`` is a choice, ``[a|b]`` an optional choice, ``{name}`` a parameter. Everything else is said
as written (case and runs of spaces do not matter). The same examples serve two tiers: compiled to a
regular expression for the fast tier (``compile_example``) and spelled out as plain sentences for the
learned tier (``spell_out``). The syntax follows Home Assistant's hassil sentence templates.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandem.agent.words import count_pattern, vague_pattern

__all__ = ["COUNT_WORDS", "Part", "compile_example", "doubled", "literal_weight", "parse_example", "regex_of",
           "said_before", "spell_out"]

COUNT_WORDS = count_pattern()  # a count in any language (measure_words.toml)
_SAID_COUNT = rf"(?!{vague_pattern()}(?!\w))(?:{COUNT_WORDS})"  # a count parameter: no "ein" of "ein paar" (a few)


@dataclass(frozen=True)
class Part:
    """One piece of a parsed example: literal words, a parameter, or a choice between sequences."""

    kind: str  # "text", "slot", "choice"
    text: str = ""  # text: the words; slot: the parameter name
    options: tuple[tuple[Part, ...], ...] = ()  # choice: the alternatives
    optional: bool = False  # choice: may be left out


def _parse(text: str, pos: int, closing: str | None) -> tuple[list[list[Part]], int]:
    """Alternatives (split at ``|``) up to ``closing``; returns them and the position after it."""
    options: list[list[Part]] = [[]]
    buffer = ""
    while pos < len(text):
        char = text[pos]
        if (char in "([{" or char == "|" or char == closing) and buffer:
            options[-1].append(Part("text", buffer))
            buffer = ""
        if char == closing:
            return options, pos + 1
        if char == "|":
            options.append([])
        elif char in "([":
            inner, pos = _parse(text, pos + 1, ")" if char == "(" else "]")
            options[-1].append(Part("choice", options=tuple(tuple(o) for o in inner), optional=char == "["))
            continue
        elif char == "{":
            end = text.index("}", pos)
            options[-1].append(Part("slot", text[pos + 1:end].strip()))
            pos = end
        else:
            buffer += char
        pos += 1
    if closing is not None:
        raise ValueError(f"unclosed {closing!r} in example {text!r}")
    if buffer:
        options[-1].append(Part("text", buffer))
    return options, pos


@functools.lru_cache(maxsize=8192)
def parse_example(example: str) -> tuple[Part, ...]:
    """The example as parts; raises ValueError on unbalanced brackets. Kept per example (pure, and its parts are
    frozen): the same examples are read again for every sentence checked against them (``tandem services add``
    parsed them ~52,000 times)."""
    options, _ = _parse(re.sub(r"\s+", " ", example.strip()), 0, None)
    if len(options) != 1:
        return (Part("choice", options=tuple(tuple(o) for o in options)),)
    return tuple(options[0])


def doubled(parts: tuple[Part, ...], forms: Sequence[str]) -> tuple[Part, ...]:
    """``parts`` with each word of one character also said in ``forms``, a language's doubled verbs ("{verb}{verb}",
    "{verb}一{verb}": "找" also reads "找找" and "找一找"), and a word written in one of them ("看看") in the others
    ("看一看"); the doubled forms first, so the verb is never read into the value after it. No ``forms``: ``parts``."""
    if not forms:
        return parts
    kept: list[Part] = []
    for part in parts:
        if part.kind == "choice":
            part = Part("choice", options=tuple(doubled(o, forms) for o in part.options), optional=part.optional)
        elif part.kind == "text" and (said := _doubled_word(part.text, forms)):
            part = Part("choice", options=tuple((Part("text", w),) for w in said))
        kept.append(part)
    return tuple(kept)


def _doubled_word(text: str, forms: Sequence[str]) -> list[str]:
    """The forms ``text`` is said in when it is one verb of one character, alone or doubled; [] when it is not."""
    word = text.strip()
    if not word or word != text or not word.isalpha():
        return []
    verb = word[0]
    said = [form.format(verb=verb) for form in forms]
    if len(word) == 1:
        return [*said, word]
    return said if word in said else []


def regex_of(parts: tuple[Part, ...], kinds: dict[str, str], seen: set[str] | None = None,
             words: Mapping[str, Sequence[str]] | None = None) -> str:
    """A regular expression for a sequence. A space next to an optional part goes into that part, so
    "book [me] {film}" never reads "me" off the front of "Memento". A parameter with declared ``words`` (a
    choice's values and synonyms) matches only a phrase that ends in one of them: "坐{mode}去…" reads no mode, and
    so no route, out of "坐出租车去…" when taxis are none of the partner's modes."""
    seen = set() if seen is None else seen
    words = words or {}
    out, queue = "", list(parts)
    while queue:
        part = queue.pop(0)
        if part.kind == "choice" and part.optional:
            body = "|".join(regex_of(o, kinds, seen, words) for o in part.options)
            nxt = queue[0] if queue else None
            attached = nxt is not None and not (nxt.kind == "text" and nxt.text.startswith(" "))
            if out.endswith(r"\s+") and not attached:  # "tickets [for {film}]": the space goes with the words
                out = out[:-3] + rf"(?:\s+(?:{body}))?"
            elif not out and nxt is not None and nxt.kind == "text" and nxt.text.startswith(" "):
                out += rf"(?:(?:{body})\s+)?"  # "[please] book": at the start it is the space after
                queue[0] = Part("text", nxt.text[1:])
            else:
                out += rf"(?:{body})?"
        elif part.kind == "choice":
            out += "(?:" + "|".join(regex_of(o, kinds, seen, words) for o in part.options) + ")"
        elif part.kind == "slot":
            name = part.text
            body = (_SAID_COUNT if kinds.get(name) == "count" else
                    _said_one_of(words[name]) if words.get(name) else ".+?")
            out += f"(?P<{name}>{body})" if name not in seen else f"(?:{body})"
            seen.add(name)
        elif part.text:
            out += r"\s+".join(re.escape(w) for w in part.text.split(" "))
    return out


def _said_one_of(words: Sequence[str]) -> str:
    """A phrase ending in one of ``words`` (longest first; a few words before it, as "den öffentlichen
    Verkehrsmitteln" ends in a declared "öffentlichen verkehrsmitteln")."""
    spelled = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in spelled)
    return rf"(?:\w+\s+){{0,2}}?(?:{alternatives})"


def compile_example(example: str, kinds: dict[str, str], lead: str = "",
                    words: Mapping[str, Sequence[str]] | None = None, forms: Sequence[str] = ()) -> re.Pattern[str]:
    """The fast tier's pattern for one example; ``lead`` is a language's optional polite opening
    ("please", "bitte", "帮我") that every example may start with; ``words``: the phrases a parameter may be
    (a choice's values and synonyms), see ``regex_of``; ``forms``: the language's doubled verbs (``doubled``)."""
    body = regex_of(doubled(parse_example(example), forms), kinds, set(), words)
    return re.compile(f"(?:{lead})?{body}" if lead else body, re.IGNORECASE)


def literal_weight(match: re.Match[str]) -> int:
    """How much of a match was said in the example's own words (not parameter values): the better a
    template fits, the more of the clause it spells out. A Chinese character counts like three letters."""
    said, start = "", match.start()
    for name in sorted((n for n, v in match.groupdict().items() if v), key=match.start):
        said += match.string[start:match.start(name)]
        start = max(start, match.end(name))
    said += match.string[start:match.end()]
    return sum(3 if "\u4e00" <= c <= "\u9fff" else 1 for c in said if not c.isspace())


def said_before(parts: tuple[Part, ...], slot: str, keep: int = 24) -> frozenset[str]:
    """The words each way of saying ``parts`` puts right before the parameter ``slot`` (since the parameter before it),
    their last ``keep`` characters, spaces as one ("[在日历上](添加|加){title}": "在日历上添加", "加", …)."""
    return frozenset(re.sub(r"\s+", " ", s).lstrip() for s in _before(parts, slot, frozenset({""}), keep)[1])


def _before(parts: tuple[Part, ...], slot: str, said: frozenset[str], keep: int) -> tuple[frozenset[str], set[str]]:
    """The words said since the last parameter after each way of saying ``parts`` (from ``said``), and those said
    right before ``slot`` in them."""
    found: set[str] = set()
    for part in parts:
        if part.kind == "text":
            said = frozenset((s + part.text)[-keep:] for s in said)
        elif part.kind == "slot":
            found |= said if part.text == slot else set()
            said = frozenset({""})
        else:
            after: set[str] = set(said) if part.optional else set()
            for option in part.options:
                ways, there = _before(option, slot, said, keep)
                after |= ways
                found |= there
            said = frozenset(after)
    return said, found


def _spellings(parts: tuple[Part, ...], limit: int) -> list[str]:
    pieces: list[list[str]] = []
    for part in parts:
        if part.kind == "text":
            pieces.append([part.text])
        elif part.kind == "slot":
            pieces.append(["{" + part.text + "}"])
        else:
            choices = [s for o in part.options for s in _spellings(o, limit)]
            pieces.append([*choices[:3], ""] if part.optional else choices[:4])
    return ["".join(p) for p in itertools.islice(itertools.product(*pieces), limit)]


def spell_out(example: str, limit: int = 4, samples: dict[str, list[str]] | None = None) -> list[str]:
    """A few plain sentences an example stands for, spread over its choices, with parameters filled from
    ``samples`` (name → values, used in turn) or else spelled as their names; for the learned tier."""
    said = sorted({re.sub(r"\s+", " ", s).strip() for s in _spellings(parse_example(example), 256)} - {""})
    step = max(1, len(said) // limit)
    chosen = said[::step][:limit]
    samples = samples or {}

    def fill(sentence: str, turn: int) -> str:
        def one(match: re.Match[str]) -> str:
            values = samples.get(match.group(1)) or [match.group(1).replace("_", " ")]
            return values[turn % len(values)]
        return re.sub(r"\{(\w+)\}", one, sentence)

    return [fill(s, i) for i, s in enumerate(chosen)]
