"""Frames said first: the words that ask for a calendar entry, a reminder or a note before what it is to hold.

"add to my calendar: buy two tickets for Dune tonight at 8", "in den Kalender: zwei Karten für Dune morgen um 20 Uhr
kaufen", "帮我在日历上记一下，明晚八点买两张沙丘的电影票", "tell me at 7 to order a pizza to the office": what follows
the frame is the entry's title, the reminder's to-do, whatever it asks for (review31 R31-14: a yes bought the tickets).
A frame is read as structure, not learned: the fast tier matches it as a template that wins over the others
(``TemplateParser``), and the Understander lets its reading stand without the learned tier, whose judge stays as it is.

Most frames are a capability's own examples said with the value last: "(put|add|enter) {title} (to|in|into|on) [my|the]
calendar" is also said "add to my calendar: {title}", "{title}(加到|记到|放进)日历[里|上]" also "记到日历里：{title}".
Only the examples of a capability that keeps the user's words (``keeps_words``) are turned so, and only those whose one
parameter is that value and whose words after it are no part of it (``joins``: "{todo}的提醒" is no frame). The frames
no example says are language data (clause_words.toml ``[framed.<lang>]``, by the parameter the rest fills; ``marked``:
those that must end with a mark), as are the marks that may end a frame (``marks``: "-", "："). A frame holds the
whole sentence from where it begins: its pieces are still cut where a second request begins ("… and order a pizza"),
as a dictated to-do's are. Its value is all that follows it (no noun before it is taken in: ``ground.with_its_noun``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from tandem.agent.intents import LEADS, IntentSpec
from tandem.agent.reworded import familiar
from tandem.agent.templates import compile_example
from tandem.agent.words import CLAUSE_WORDS, doubled_forms, load
from tandem.agent.writing import writing

__all__ = ["frames", "keeps_words"]


def keeps_words(spec: IntentSpec) -> bool:
    """Does ``spec`` keep the user's words and commit nothing (a note, a reminder's to-do, a calendar entry's title):
    what those words say is no request of its own ("remind me to book two tickets for Dune tonight at 8": review30
    R30-8, e5 read the booking and its yes bought the tickets)?"""
    return "text" in spec.slots.values() and not ({"count", "place"} & set(spec.slots.values()) or spec.listed or
                                                  spec.own or spec.transactional)


@cache
def _said(lang: str) -> dict[str, Any]:
    """clause_words.toml's ``[framed.<lang>]``: the marks, the joining words and the frames by parameter."""
    return load(CLAUSE_WORDS).get("framed", {}).get(lang, {})


def _turned(example: str, value: str, lang: str) -> str | None:
    """``example`` said with the parameter ``value`` last ("add {title} to my calendar" -> "add to my calendar
    {title}"); None where it is last already (or only optional words follow it), where the example holds another
    parameter or the value inside a choice, where the words after it join it to them (``joins``: "{title}的日程") or
    point back at it (``back``: "{title} put *it* in my calendar" said last is "put it in my calendar too")."""
    slot = f"{{{value}}}"
    if example.count("{") != 1 or slot not in example:
        return None
    before, after = example.split(slot)
    said = _said(lang)
    if not _required(after) or any(before.count(a) != before.count(b) for a, b in ("[]", "()")) or \
            after.strip().startswith(tuple(said.get("joins", ()))) or set(after.split()) & set(said.get("back", ())):
        return None
    return " ".join(f"{before} {after}".split()) if writing(lang).spaced else before + after


def _required(words: str) -> str:
    """``words`` of a template without its optional parts ("[an]"): what must be said."""
    while (shorter := re.sub(r"\[[^\[\]]*\]", "", words)) != words:
        words = shorter
    return words.strip()


def _framed(head: str, value: str, lang: str, marked: bool = False) -> str:
    """A frame's template: its ``head``, a mark that may end it (``marks``; must, where ``marked``) and the ``value``
    after."""
    marks = "|".join(_said(lang).get("marks", ()))
    mark = (f"({marks})" if marked else f"[{marks}]") if marks else ""
    gap = " " if writing(lang).spaced else ""
    return gap.join(part for part in (head, mark, f"{{{value}}}") if part)


def frames(spec: IntentSpec, lang: str) -> tuple[tuple[re.Pattern[str], bool], ...]:
    """``spec``'s frames in ``lang`` as the fast tier's patterns (none where it does not keep the user's words), each
    with whether it must end with a mark: its examples with their one free-text value turned last, and the frames
    clause_words.toml adds for that parameter. A turned example that opens with none of the verbs the capability's
    examples open with ("in den Kalender", "记到日历里") is a frame only where a mark ends it ("in den Kalender: zwei
    Karten … kaufen", not "in den Kalender gucken, was morgen ansteht")."""
    if not keeps_words(spec):
        return ()
    values = [name for name, kind in spec.slots.items() if kind == "text" and name in spec.required]
    verbs = familiar([spec], lang)[0]
    turned = [(head, value) for value in values for example in spec.examples.get(lang, ())
              if (head := _turned(example, value, lang)) is not None]
    heads = {_framed(head, value, lang, marked := not _opening(spec, head, lang) <= verbs): marked
             for head, value in turned}
    heads.update({_framed(head, value, lang): False for value in values for head in _said(lang).get(value, ())})
    heads.update({_framed(head, value, lang, True): True
                  for value in values for head in _said(lang).get("marked", {}).get(value, ())})
    return tuple((compile_example(head, spec.slots, LEADS.get(lang, ""), None, doubled_forms(lang)), marked)
                 for head, marked in heads.items())


def _opening(spec: IntentSpec, head: str, lang: str) -> frozenset[str]:
    """The words the template ``head`` opens with (``familiar`` of ``spec`` with it as its one example)."""
    return familiar([replace(spec, examples={lang: (head,)})], lang)[0]
