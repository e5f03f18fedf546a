"""Reversible pseudonymisation: real values become stable placeholders before a request leaves the
device, and placeholders in what comes back (text, streamed chunks, tool-call arguments) become real
values again on the device.

The vault that maps one to the other lives in memory on the device, one per conversation. Numbering
follows first appearance in the conversation, so the same history always yields the same placeholders
and a growing conversation keeps its earlier ones stable.

Replacement is by value, not by span: once a value is known anywhere in the conversation, every other
mention of it (in any message, in any case) is replaced too, and a person's single first or last name is
replaced along with the full name. What one detector pass misses in one message cannot slip through in
another.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tandem.errors import PolicyDenied
from tandem.privacy import structured
from tandem.privacy.detect import Detector, Finding, Rereader, guess_language, merge_findings, rereading
from tandem.types import ChatRequest, Message, ToolCall

__all__ = ["Analysis", "Redaction", "StreamRestorer", "Vault", "analyse", "redact", "restore_value", "warm"]

log = logging.getLogger("tandem.privacy")

_TOKEN = re.compile(r"<\s*([A-Z]+(?:_[A-Z]+)*_\d+)\s*>|\b([A-Z]+(?:_[A-Z]+)*_\d+)\b>?")
_ALNUM = r"A-Za-z0-9\u00C0-\u024F"  # Latin letters and digits: a value must not sit inside a longer word
_PARTIAL = re.compile(r"(?:<\s*[A-Z_]*\d*\s*|\b[A-Z][A-Z_]*\d*)$")
_EDGE = re.compile(rf"[{_ALNUM}]")
_MIN_PART = 3  # shorter name parts ("Li", "Al") would be replaced inside unrelated text


class Vault:
    """Real value ↔ placeholder for one conversation. Kept on the device, never sent."""

    def __init__(self) -> None:
        self._by_value: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._count: Counter[str] = Counter()
        # Single-word names match only as written: "Will" is a name, "will" is a verb.
        self._exact: set[str] = set()
        # the pattern of ``pattern`` for the number of values it was built for: replacing in each value of a JSON
        # table built it again for each, as long as the vault (minutes for a table of a few thousand names)
        self._built: tuple[int, re.Pattern[str] | None] = (0, None)

    def __len__(self) -> int:
        return len(self._by_token)

    def placeholder(self, category: str, value: str) -> str:
        """The placeholder for ``value``, minted on first sight (e.g. ``<PERSON_1>``)."""
        key = value.casefold()
        if key not in self._by_value:
            self._count[category] += 1
            token = f"{category}_{self._count[category]}"
            self._by_value[key], self._by_token[token] = token, value
            if category == "PERSON" and len(value.split()) == 1:
                self._exact.add(value)
        return f"<{self._by_value[key]}>"

    def values(self) -> list[str]:
        return list(self._by_token.values())

    def restore(self, text: str) -> str:
        """Placeholders → real values. Tolerates a model that drops or spaces the angle brackets."""
        def swap(match: re.Match[str]) -> str:
            return self._by_token.get(match.group(1) or match.group(2), match.group(0))

        return _TOKEN.sub(swap, text) if self._by_token else text

    def pattern(self) -> re.Pattern[str] | None:
        """One regex for every known value, longest first, not inside a longer word."""
        if not self._by_value:
            return None
        if self._built[0] == len(self._by_token):
            return self._built[1]
        values = sorted(self._by_token.values(), key=len, reverse=True)
        # Only a Latin letter or digit at a value's edge can be part of a longer word: a Chinese name runs
        # into the date after it ("达恩·蒂雄2月26日") and is still that name.
        parts = [(rf"(?<![{_ALNUM}])" if _EDGE.match(v[0]) else "")
                 + (f"(?-i:{re.escape(v)})" if v in self._exact else re.escape(v))
                 + (rf"(?![{_ALNUM}])" if _EDGE.match(v[-1]) else "") for v in values]
        pattern = re.compile("|".join(parts), re.I)
        self._built = (len(self._by_token), pattern)
        return pattern

    def replace_known(self, text: str) -> str:
        pattern = self.pattern()
        if pattern is None:
            return text
        def swap(match: re.Match[str]) -> str:
            token = self._by_value.get(match.group(0).casefold())
            # Case-insensitive matching can pair letters casefold() does not (rare); never leave them.
            return f"<{token}>" if token else self.placeholder("PII", match.group(0))

        return pattern.sub(swap, text)


@dataclass(frozen=True)
class Analysis:
    """What the detector found in a request, before anything is replaced."""

    findings: tuple[Finding, ...]  # in conversation order
    identifiers: frozenset[str]  # categories that will be replaced
    topics: frozenset[str]  # sensitive topics (health, finance) that cannot be replaced

    @property
    def categories(self) -> frozenset[str]:
        return self.identifiers | self.topics


@dataclass(frozen=True)
class Redaction:
    """A request ready to leave the device, and what was taken out of it."""

    request: ChatRequest  # every known real value replaced by a placeholder
    categories: frozenset[str]  # identifier categories that were replaced
    replaced: int  # how many values the vault holds for this conversation


def _texts(request: ChatRequest) -> Iterator[structured.Reading]:
    """Every text the request would send, with the spans of JSON keys kept as they are (``structured``)."""
    for message in request.messages:
        if (value := structured.parsed(message.content)) is not None:
            yield structured.read(value)
        elif message.content:
            yield message.content, None, ()
        if message.name:
            yield message.name, None, ()
        for call in message.tool_calls:
            yield structured.read(call.arguments)
    # What the request sends besides its messages, written by the client or a partner's manifest: a tool's
    # description and parameter schema (an enum of the user's contacts, a default address), the answer's schema, the
    # stop strings. The cloud reads them as it reads the messages, so they are checked and replaced alike.
    for tool in request.tools:
        if tool.description:
            yield tool.description, None, ()
        yield structured.read(tool.parameters)
    if request.response_format.schema is not None:
        yield structured.read(request.response_format.schema)
    for stop in request.stop:
        yield stop, None, ()


def analyse(request: ChatRequest, detector: Detector) -> Analysis:
    """Run the detector over every text the request would send, then read each text again for the persons
    named anywhere in the request (a ``Rereader``: a given name alone in one message names the person named
    in full in another). Raises if the detector cannot run."""
    readings = list(_texts(request))
    texts = [(text, guess_language(text)) for text, _, _ in readings]
    _bounded(texts, detector)
    found = [_outside(kept, [_whole_words(f, text) for f in detector.detect(text, language)] + list(declared))
             for (text, language), (_, kept, declared) in zip(texts, readings, strict=True)]
    names = frozenset(n for fs in found for f in fs if f.category == "PERSON" for n in (f.text, *f.readings))
    if names and len(texts) > 1 and isinstance(detector, Rereader):
        _bounded_again(texts, detector, names)
        for i, (text, language) in enumerate(texts):
            again = [_whole_words(f, text) for f in detector.again(text, language, names)]
            if again := _outside(readings[i][1], again):
                found[i] = merge_findings([*found[i], *again])
    findings = [f for fs in found for f in fs]
    identifiers = frozenset(f.category for f in findings if f.replaceable)
    topics = frozenset(f.category for f in findings if not f.replaceable)
    return Analysis(tuple(findings), identifiers, topics)


# One message of each language the detectors read, Chinese's second with the Latin words and the e-mail address a
# Chinese text may hold: reading them loads every model the detectors load on first use (spaCy's pipelines, jieba,
# LAC, Jiagu, the transliteration table; seconds in all), which a user's first message would otherwise wait for.
_WARM_TEXTS = {"en": ("Call Anna Smith at +1 212 555 0100 about the invoice.",),
               "de": ("Ruf Anna Schmidt an, sie wohnt in der Hauptstraße 5 in Berlin.",),
               "zh": ("请给张伟打电话，告诉他明天的会议改到三点。",
                      "请把报告发给 Anna Schmidt，邮箱 anna.schmidt@example.com。")}
_REGION_LANGUAGES = tomllib.loads((Path(__file__).parent / "region_languages.toml").read_text(encoding="utf-8"))


def warm(detector: Detector, region: str | None = None) -> None:
    """Read one message of each language through ``detector``, so what it loads on first use is loaded (a server
    runs this in a background thread when it starts). Pass a detector without the on-device LLM. ``region``: only
    English and the languages of that region (``region_languages.toml``; a German user's server does not hold the
    Chinese models, hundreds of MB, until a Chinese message comes); None: every language. A detector that cannot
    load is logged: each request it would check is refused then (fail closed), with the fix in its error."""
    languages = [language for language in _WARM_TEXTS if region is None or language == "en"
                 or region.upper() in _REGION_LANGUAGES.get(language, ())]
    try:
        for text in (text for language in languages for text in _WARM_TEXTS[language]):
            analyse(ChatRequest(messages=(Message("user", text),)), detector)
    except PolicyDenied as exc:
        log.warning("privacy detectors not warmed: %s", exc)


def _bounded(texts: list[tuple[str, str]], detector: Detector) -> None:
    """Refuse a request with more text than the detectors may read for it (``structured.MAX_CHARS``), before they
    read any: what is not checked does not leave the device. A text the detector remembers costs nothing (a
    conversation sends its earlier turns again each turn)."""
    remembers = getattr(detector, "remembers", None)
    new = sum(len(text) for text, language in texts if not (remembers and remembers(text, language)))
    if new > structured.MAX_CHARS:
        raise structured.TooLarge(
            f"a request with {new:,} characters to check (more than {structured.MAX_CHARS:,}) is too large for the "
            "privacy check; nothing of it is sent to the cloud", hint="send less text at once, or use the device model")


def _bounded_again(texts: list[tuple[str, str]], detector: Detector, names: frozenset[str]) -> None:
    """Refuse a request whose texts naming its persons again hold more than ``structured.MAX_CHARS`` characters
    the detector would read anew (``detect.rereading``: a long conversation's earlier turns, no longer remembered,
    each naming a person found): what is not read again does not leave the device. A conversation's next turn
    naming the same persons reads nothing anew."""
    again = sum(rereading(detector, text, language, names) for text, language in texts)
    if again > structured.MAX_CHARS:
        raise structured.TooLarge(
            f"a request with {again:,} characters to read again for the persons it names (more than "
            f"{structured.MAX_CHARS:,}) is too large for the privacy check; nothing of it is sent to the cloud",
            hint="send less of the conversation at once, or use the device model")


def _outside(kept: tuple[tuple[int, int], ...] | None, findings: list[Finding]) -> list[Finding]:
    """In a JSON reading (``kept``: its program keys' spans), each finding cut into its lines, for each line is
    one value ("street: …" / "city: …": an address read across both is replaced as two values), and the keys
    kept as they are cut out of them ("name: Klaus" -> "Klaus"; a finding on a key alone is none)."""
    if kept is None:
        return findings
    begins = [begin for begin, _ in kept]  # in the order of the text, apart from one another (``structured.read``)
    out = []
    for f in findings:
        at = f.start
        for line in f.text.split("\n"):
            key = bisect.bisect_right(begins, at) - 1
            start = max(at, kept[key][1]) if key >= 0 and at < kept[key][1] else at
            piece = f.text[start - f.start:at - f.start + len(line)]
            lead, piece = len(piece) - len(piece.lstrip(": ")), piece.lstrip(": ").rstrip()
            if piece:
                out.append(f if piece == f.text else replace(f, start=start + lead, end=start + lead + len(piece),
                                                              text=piece))
            at += len(line) + 1
    return out


_WORD_INSIDE = re.compile(rf"[{_ALNUM}]")


def _whole_words(finding: Finding, text: str) -> Finding:
    """A finding that starts or ends inside a word or number grows to that word's edges. Values are
    replaced only where they stand as whole words, so a finding ending in "010-6" of "010-67201818" would
    otherwise replace nothing at all."""
    start, end = finding.start, finding.end
    while start > 0 and _WORD_INSIDE.match(text, start - 1) and _WORD_INSIDE.match(text, start):
        start -= 1
    while end < len(text) and _WORD_INSIDE.match(text, end) and _WORD_INSIDE.match(text, end - 1):
        end += 1
    if (start, end) == (finding.start, finding.end):
        return finding
    return replace(finding, start=start, end=end, text=text[start:end])


def _learn(vault: Vault, analysis: Analysis) -> None:
    for finding in analysis.findings:
        if finding.replaceable:
            vault.placeholder(finding.category, finding.text)
    for finding in analysis.findings:
        if finding.category == "PERSON":
            for part in re.split(r"[\s.,]+", finding.text):
                if len(part) >= _MIN_PART and part[:1].isupper():
                    vault.placeholder("PERSON", part)


def restore_value(value: Any, vault: Vault) -> Any:
    """Placeholders → real values inside any JSON-like value (tool-call arguments)."""
    if isinstance(value, str):
        return vault.restore(value)
    if isinstance(value, dict):
        return {k: restore_value(v, vault) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_value(v, vault) for v in value]
    return value


def _redact_content(content: str | None, vault: Vault) -> str | None:
    """The text with known values replaced; JSON value by value, its program keys kept, and written out again
    decoded, as it was read (``structured``)."""
    if (value := structured.parsed(content)) is not None:
        return json.dumps(structured.replaced(value, vault.replace_known), ensure_ascii=False)
    return vault.replace_known(content) if content else content


def _redact_message(message: Message, vault: Vault) -> Message:
    calls = tuple(ToolCall(c.id, c.name, structured.replaced(c.arguments, vault.replace_known))
                  for c in message.tool_calls)
    return replace(message, content=_redact_content(message.content, vault),
                   name=vault.replace_known(message.name) if message.name else message.name, tool_calls=calls)


def redact(request: ChatRequest, analysis: Analysis, vault: Vault) -> Redaction:
    """Replace every value the analysis (or an earlier turn) put in the vault, in every message, tool and schema."""
    _learn(vault, analysis)
    messages = tuple(_redact_message(m, vault) for m in request.messages)
    tools = tuple(replace(t, description=vault.replace_known(t.description),
                          parameters=structured.replaced(t.parameters, vault.replace_known)) for t in request.tools)
    answer = request.response_format
    if answer.schema is not None:
        answer = replace(answer, schema=structured.replaced(answer.schema, vault.replace_known))
    stop = tuple(vault.replace_known(s) for s in request.stop)
    return Redaction(replace(request, messages=messages, tools=tools, response_format=answer, stop=stop),
                     analysis.identifiers, len(vault))


class StreamRestorer:
    """Restores placeholders in streamed text. A placeholder can be split across chunks ("<PERS" +
    "ON_1>"), so a tail that could still grow into one is held back until the next chunk decides."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._pending = ""

    def feed(self, text: str) -> str:
        buffered = self._pending + text
        partial = _PARTIAL.search(buffered)
        cut = partial.start() if partial and len(buffered) - partial.start() < 40 else len(buffered)
        self._pending = buffered[cut:]
        return self.vault.restore(buffered[:cut])

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return self.vault.restore(rest)
