"""Examples that claim too much. A partner's example templates become the fast tier's patterns, and a template
that matches a whole sentence turns it into that partner's task. So a partner is refused when one of its
templates, in the fast tier as it runs (``TemplateParser``, the new partner first so it wins every tie),

- takes small talk in its own words (at least ``CLAIM`` of the sentence said by the template, not by its
  parameters), or ``BROAD`` sentences of one language in any share: the chat examples (``chat_examples.toml``)
  and everyday sentences (``everyday.toml``: greetings, thanks, yes/no, plain statements);
- takes, in its own words, another installed capability's request away from it: that capability's examples
  spelled out with its sample values, and its phrasings (what the learned tier learns it from);
- takes a sentence of its own that another capability's template reads with a value that capability names
  itself in its samples or phrasings ("order a pizza to {place}" from a florist: the food partner reads
  "pizza" as a dish);
- says no word of its own: only parameters and optional parts ("{x}", "[please] {x}").

Its ``phrasings`` teach the learned tier what its requests sound like, so a partner is refused too when one of
them is small talk (equal to, or all of it inside, a chat example or everyday sentence, case, spaces and
punctuation aside: "thank you so much", "how are you"), too short to be a request with its value (fewer than
``FEWEST`` words, or Han characters: "thanks", "你好"), or a request another installed capability's template
reads in its own words (``CLAIM`` of it, with the new partner merged in as it runs).

Partners are checked in the order the assistant trusts them (shipped, then as added): the earlier partner keeps
what it claimed. Small talk or another partner's request a phrasing says in other words than any of these is left to
the learned half (``tandem.agent.overreach_learned``, at ``tandem services add``: it trains the learned tier). Not
checked: weak matches as broad as the shipped one-verb templates ("order {dish}"), which the learned tier confirms.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.capabilities import capabilities
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import chat_examples, spelled
from tandem.agent.slots import detect_language
from tandem.agent.spoken import languages
from tandem.agent.templates import Part, parse_example
from tandem.agent.understand import Intent, TemplateParser
from tandem.observe import count
from tandem.partners import builtin_manifests
from tandem.privacy.dictionaries import stop_words
from tandem.text import inside

__all__ = ["BROAD", "CLAIM", "EVERYDAY", "FEWEST", "everyday", "overreach", "refused", "vetted", "vetted_cache"]

log = logging.getLogger("tandem.agent")

EVERYDAY = Path(__file__).with_name("everyday.toml")
_SPELLINGS = 16  # sentences spelled out of each example of the other partners (the learned tier uses 6)
CLAIM = 0.5  # a template claims a sentence when it says at least this share of it in its own words
BROAD = 3  # a template that takes this many small-talk sentences of one language, in any share, is too broad
FEWEST = {"words": 3, "han": 4}  # a phrasing says at least this much: a request and its value (shipped: 4 and 7)
_NOW = dt.datetime(2026, 1, 5, 12, 0)  # parsing needs a "now"; times are cut off the same way whatever it is


@cache
def everyday() -> dict[str, tuple[str, ...]]:
    """Everyday sentences per language that no example may match."""
    data = tomllib.loads(EVERYDAY.read_text(encoding="utf-8"))
    return {lang: tuple(found) for lang, found in data["sentences"].items()}


def _own_words(parts: tuple[Part, ...]) -> bool:
    """Does every sentence the parts stand for say a word of the example's own?"""
    for part in parts:
        if part.kind == "text" and part.text.strip():
            return True
        if part.kind == "choice" and not part.optional and all(_own_words(o) for o in part.options):
            return True
    return False


def _bare(specs: Sequence[IntentSpec]) -> str | None:
    for spec in specs:
        for lang, examples in spec.examples.items():
            for example in examples:
                if not _own_words(parse_example(example)):
                    return f"tool {spec.tool}: example {example!r} ({lang}) has no words of its own, only " \
                           "parameters and optional parts: it would match almost anything"
    return None


def _share(intent: Intent) -> float:
    """How much of the clause the template said in its own words (parameter values not counted)."""
    said = sum(3 if "\u4e00" <= c <= "\u9fff" else 1 for c in intent.text if c.isalnum())
    return intent.weight / said if said else 1.0


def _taken(parser: TemplateParser, text: str, lang: str, names: set[str], owner: str = "") -> Intent | None:
    """The task of ``names`` the fast tier makes of ``text`` (in its own language or the one detected) instead of
    one of ``owner``'s, if any."""
    for said_in in dict.fromkeys((lang, detect_language(text))):
        intents = parser.parse(text, _NOW, lang=said_in).intents
        found = [i for i in intents if i.name in names]
        if found and not any(i.name == owner for i in intents):
            return max(found, key=_share)
    return None


def _culprit(new: Sequence[IntentSpec], others: Sequence[IntentSpec], text: str, lang: str) -> str:
    """The example that takes ``text``, tried one at a time against the others."""
    for spec in new:
        for example_lang, examples in spec.examples.items():
            for example in examples:
                alone = replace(spec, examples={example_lang: (example,)})
                if _taken(TemplateParser((alone, *others)), text, lang, {spec.name}):
                    return f"tool {spec.tool}: example {example!r} ({example_lang})"
    return "its examples together"


def _small_talk(parser: TemplateParser, names: set[str]) -> tuple[str, str, str] | None:
    """Small talk the new templates claim in their own words, or so much of it that they are too broad."""
    for source, label in ((chat_examples(), "small talk"), (everyday(), "everyday talk")):
        for lang, sentences in source.items():
            taken = [(text, found) for text in sentences if (found := _taken(parser, text, lang, names))]
            claimed = next((text for text, found in taken if _share(found) >= CLAIM), None)
            if claimed is not None:
                return claimed, lang, label
            if len(taken) >= BROAD:
                return taken[0][0], lang, f"{label}, and {len(taken) - 1} more: too broad"
    return None


def _requests(parser: TemplateParser, others: Sequence[IntentSpec], names: set[str]) -> tuple[str, str, str] | None:
    """Another capability's requests (its examples spelled out with its samples, its phrasings) taken over."""
    for spec in others:
        for lang in dict.fromkeys((*spec.examples, *spec.phrasings)):
            for text in spelled(spec, lang, _SPELLINGS):
                found = _taken(parser, text, lang, names, spec.name)
                if found is not None and _share(found) >= CLAIM:
                    return text, lang, f"a request for {spec.name}"
    return None


def _tokens(text: str) -> tuple[str, ...]:
    """Words (a Han character is one), case and punctuation aside."""
    return tuple(re.findall(r"[\u4e00-\u9fff]|[^\W_\u4e00-\u9fff]+", text.casefold()))


def _short(said: tuple[str, ...]) -> bool:
    """Too short to be a request and its value: fewer than FEWEST Han characters when it is all Chinese, else
    fewer than FEWEST words (a Han character counting as one: "iPhone 多少钱" is long enough)."""
    if all("\u4e00" <= t <= "\u9fff" for t in said):
        return len(said) < FEWEST["han"]
    return len(said) < FEWEST["words"]


def _phrasing(new: Sequence[IntentSpec], others: Sequence[IntentSpec], parser: TemplateParser) -> str | None:
    """A phrasing that is small talk, too short to be a request, or another capability's request (the fast tier,
    with the new partner merged in, reads it as theirs in its own words, and as no task of the new one's)."""
    talk = [(said, text) for source in (chat_examples(), everyday()) for sentences in source.values()
            for text in sentences if (said := _tokens(text))]
    theirs = {s.name for s in others}
    for spec in new:
        for lang, phrasings in spec.phrasings.items():
            for phrasing in phrasings:
                said, where = _tokens(phrasing), f"tool {spec.tool}: phrasing {phrasing!r} ({lang})"
                if _short(said):
                    return f"{where} is too short to be a request (fewer than {FEWEST['words']} words or " \
                           f"{FEWEST['han']} characters)"
                chat = next((text for words, text in talk if inside(said, words)), None)
                if chat is not None:
                    return f"{where} is small talk: {chat!r}"
                found = _taken(parser, phrasing, lang, theirs, spec.name)
                if found is not None and _share(found) >= CLAIM:
                    return f"{where} is a request for {found.name}"
    return None


def _vocabulary(spec: IntentSpec) -> str:
    return " ".join((*(v for values in spec.samples.values() for v in values),
                     *(p for said in spec.phrasings.values() for p in said))).lower()


def _theirs(intent: Intent, spec: IntentSpec) -> bool:
    """Does ``spec``'s template read a value of its own in ``intent``'s sentence (a dish its partner names in
    its samples or phrasings), not only a place, a number or a time any request has? A Latin word counts from four
    letters, a run of Chinese characters from one (面 is a dish), and no function word ("nach", "with", 的; of every
    language the assistant speaks, say.toml's): those are in every partner's phrasings and nobody's value."""
    known, function_words = _vocabulary(spec), stop_words(*languages())
    for name, value in intent.spans.items():
        if spec.slots.get(name) not in ("text", "choice"):
            continue
        words = [w for w in re.findall(r"[\u4e00-\u9fff]+|\w{4,}", str(value).lower()) if w not in function_words]
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)" if w.isascii() else re.escape(w), known) for w in words):
            return True
    return False


def _claimed(new: Sequence[IntentSpec], others: Sequence[IntentSpec], parser: TemplateParser,
             names: set[str]) -> tuple[str, str, str] | None:
    """A sentence of the new partner's own that an installed capability reads as its own request, taken over."""
    theirs, by_name = TemplateParser(tuple(others)), {s.name: s for s in others}
    for spec in new:
        for lang in spec.examples:
            for text in spelled(spec, lang, _SPELLINGS):
                before = [i for i in theirs.parse(text, _NOW, lang=lang).intents if _theirs(i, by_name[i.name])]
                if before and _taken(parser, text, lang, names):
                    return text, lang, f"a request for {before[0].name}"
    return None


def overreach(doc: dict[str, Any], installed: Iterable[dict[str, Any]]) -> str | None:
    """Why the partner manifest ``doc`` claims too much next to the ``installed`` ones (one line), or None."""
    try:
        return _overreach(doc, installed)
    except (ValueError, re.error) as exc:  # an example that does not compile: it cannot be checked, nor used
        return f"its examples cannot be read: {exc}"


def _overreach(doc: dict[str, Any], installed: Iterable[dict[str, Any]]) -> str | None:
    installed = list(installed)
    new = capabilities([doc])
    names = {s.name for s in new}
    # The same capability is merged, not taken; a capability that names the new one as its fallback invited it.
    others = tuple(s for s in capabilities(installed)
                   if s.name not in names and not (s.instead and s.instead[0] in names))
    bare = _bare(new)
    if bare is not None:
        return bare
    parser = TemplateParser((*new, *others))
    phrasing = _phrasing(new, others, TemplateParser(capabilities([doc, *installed])))  # merged, as they run
    if phrasing is not None:
        return phrasing
    if not any(any(s.examples.values()) for s in new):
        return None  # templates are its examples (``IntentSpec.patterns``): with none, it takes no sentence
    found = _small_talk(parser, names) or _requests(parser, others, names) or _claimed(new, others, parser, names)
    if found is None:
        return None
    text, lang, whose = found
    return f"{_culprit(new, others, text, lang)} matches {text!r} ({whose})"


def refused(docs: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Partner id -> why its examples claim too much, for the manifest documents in the order the assistant
    trusts them (shipped, then as added). The shipped manifests as shipped are checked by the tests, not here."""
    kept: list[dict[str, Any]] = []
    out: dict[str, str] = {}
    for doc in docs:
        why = None if doc in builtin_manifests() else overreach(doc, kept)
        if why is None:
            kept.append(doc)
        else:
            out[str(doc.get("id", "?"))] = why
    return out


def vetted_cache(home: Path) -> Path:
    """Where the verdict on the user's partners is kept between processes."""
    return home / "cache" / "partners-vetted.json"


def _digest(docs: Sequence[dict[str, Any]]) -> str:
    """What a verdict depends on: the documents in trust order, Tandem's code and data that read them (the whole
    package: the check reads text, privacy and partner modules too) and the spaCy whose function words it uses."""
    digest = hashlib.sha256(json.dumps(docs, sort_keys=True, default=str).encode())
    package = Path(__file__).parents[1]
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml", ".json", ".txt")):
        digest.update(str(path.relative_to(package)).encode() + path.read_bytes())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):  # then stop_words fails closed
        digest.update(importlib.metadata.version("spacy").encode())
    return digest.hexdigest()


def _remembered(docs: Sequence[dict[str, Any]], cache: Path | None) -> dict[str, str]:
    """``refused(docs)``, read from ``cache`` when these documents were checked by this code before: the check
    runs the fast tier over thousands of sentences, and every process that opens the assistant needs it."""
    if cache is None or all(d in builtin_manifests() for d in docs):
        return refused(docs)
    key = _digest(docs)
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("refused"), dict):
            return {str(k): str(v) for k, v in stored["refused"].items()}
    except (OSError, ValueError):
        pass  # none yet, or damaged: check again and write it anew
    out = refused(docs)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        written = cache.with_name(f"{cache.name}.{os.getpid()}")  # two processes may check at once
        written.write_text(json.dumps({"key": key, "refused": out}), encoding="utf-8")
        os.replace(written, cache)
    except OSError as exc:
        log.warning("partner check not remembered at %s: %s", cache, exc)
    return out


def vetted(docs: Iterable[dict[str, Any]], cache: Path | None = None) -> list[dict[str, Any]]:
    """The manifest documents (in trust order) whose examples claim no more than their own; each one refused
    is logged and counted, never raised: an installed partner must not stop the app. With ``cache`` (a file
    under TANDEM_HOME), the verdict on the same documents by the same code is checked once, not per process."""
    docs = list(docs)
    out = _remembered(docs, cache)
    for service_id, why in out.items():
        count("partners_refused", "examples")
        log.warning("partner %s is not used: %s", service_id, why,
                    extra={"event": "partner_refused", "reason": "examples"})
    return [d for d in docs if str(d.get("id", "?")) not in out]
