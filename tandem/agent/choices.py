"""A capability's choices said in a request: the value a choice's words stand for ("U-Bahn" → "metro"), and a
clause with them taken out where no example frames them ("Wie komme ich *zu Fuß* vom Büro zum Hauptbahnhof").
"""

from __future__ import annotations

import re

from tandem.agent.intents import IntentSpec
from tandem.agent.skills import fold
from tandem.agent.templates import Part, parse_example, regex_of
from tandem.agent.words import alternatives
from tandem.agent.writing import writing

__all__ = ["choice_value", "without_choices"]


def choice_value(spec: IntentSpec, slot: str, said: str) -> str | None:
    """The choice a slot's words stand for ("U-Bahn" → "metro"), or None."""
    words = fold(said)
    for value, synonyms in spec.choices.get(slot, {}).items():
        if fold(value) == words or any(fold(s) and fold(s) in words for s in synonyms):
            return value
    return None


def without_choices(spec: IntentSpec, text: str, lang: str) -> tuple[str, dict[str, str]]:
    """``text`` without the words of ``spec``'s choices said in it, with the words the examples lead them with ("zu
    Fuß", "mit der U-Bahn", "by subway", "坐地铁"), and the choices they stand for. Said in the middle of a request,
    where no example frames them, they would run into a value ("Wie komme ich zu Fuß vom Büro zum Hauptbahnhof": no
    destination "Fuß vom Büro zum Hauptbahnhof"); a template reading the rest then frames the values around them."""
    chosen: dict[str, str] = {}
    edge = writing(lang).edge
    for slot, values in spec.choices.items():
        words = alternatives(w for synonyms in values.values() for w in synonyms if w)
        if not words:
            continue
        leads = "|".join(_choice_leads(spec, slot, lang))
        found = re.search(f"{edge[0]}(?:(?:{leads})\\s*)?(?P<said>{words}){edge[1]}" if leads else
                          f"{edge[0]}(?P<said>{words}){edge[1]}", text, re.IGNORECASE)
        value = choice_value(spec, slot, found.group("said")) if found else None
        if found and value:
            chosen[slot] = value
            text = text[:found.start()] + writing(lang).gap + text[found.end():]
            text = re.sub(r"\s+", " ", text).strip(" ,，;；")  # a choice after the last pause leaves it: "…，坐地铁"
    return text, chosen


def _choice_leads(spec: IntentSpec, slot: str, lang: str) -> list[str]:
    """Patterns of the words ``spec``'s examples say right before a choice ("by", "mit [der|dem]", "坐")."""
    return list(dict.fromkeys(lead for example in spec.examples.get(lang, ())
                              for lead in _leads_in(parse_example(example), spec, slot)))


def _leads_in(parts: tuple[Part, ...], spec: IntentSpec, slot: str) -> list[str]:
    leads: list[str] = []
    for i, part in enumerate(parts):
        if part.kind == "choice":
            leads += [lead for option in part.options for lead in _leads_in(option, spec, slot)]
        if part.kind != "slot" or part.text != slot:
            continue
        j = i - 1
        while j >= 0 and ((parts[j].kind == "choice" and parts[j].optional) or
                          (parts[j].kind == "text" and not parts[j].text.strip())):
            j -= 1
        if j >= 0 and parts[j].kind == "text":
            lead = (Part("text", parts[j].text.strip().split(" ")[-1] + " "), *parts[j + 1:i])
            leads.append(regex_of(lead, spec.slots).removesuffix(r"\s+"))
    return leads
