"""Grounded parameters: every value a task carries was said by the user.

After the learned tier chose a capability for a sentence no template matched, ``loose_slots`` reads its
parameters the way the examples frame them: the words after an example's anchor ("tickets *for* Dune",
"送到*办公室*", "*nach* Hause") up to the next anchor or the end, counts from number words, choices from
the words the manifest lists, times from the date/time reader. ``grounded`` checks a value any model
proposed against the utterance: a span of it (ignoring case, spaces and punctuation), a count or time
the utterance says, or a saved place it names. What is not grounded is dropped and asked for. ``refers_back``
tells a value that only points at another clause's words ("get *it* delivered") from one said in its own right;
``bounded`` ends a value where the next step of the request begins ("披萨，然后把它送到..."), ``ended`` also before
the words that close its clause (``tandem.agent.closing``: "Büro *liefern*", "office *please*"), and
``names_nothing`` tells a count or measure ("张票", "two tickets") from a thing. Where a request counts what it gets,
``counts_said`` finds the counts said before a counted noun or as a party's size ("vier *Kinokarten*", "两*碗*", "wir
sind zu dritt"): the count is one of them, never a number inside another value ("Für *Sieben* Laternen brauche ich
vier Karten"), and a value is kept apart from them. The words are language data (``tandem.agent.words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tandem.agent.closing import closed, trailing
from tandem.agent.intents import LEADS, PLACE_ALIASES, IntentSpec
from tandem.agent.skills import fold
from tandem.agent.slots import detect_language, parse_count
from tandem.agent.templates import COUNT_WORDS, Part, literal_weight, parse_example, regex_of
from tandem.agent.words import MEASURE_WORDS, NEXT_STEP, REFER_BACK, alternatives, load

__all__ = ["Counted", "bounded", "choice_value", "count_in", "count_units", "counts_said", "ended", "grounded",
           "loose_slots", "names_nothing", "refers_back", "without_choices"]


def _has_text_slot(parts: tuple[Part, ...], spec: IntentSpec) -> bool:
    for part in parts:
        if part.kind == "slot" and spec.slots.get(part.text) in ("text", "place", "choice"):
            return True
        if part.kind == "choice" and any(_has_text_slot(o, spec) for o in part.options):
            return True
    return False


def _tails(parts: tuple[Part, ...], spec: IntentSpec) -> list[tuple[Part, ...]]:
    """The parts of an example from each anchor word before a parameter to its end."""
    found: list[tuple[Part, ...]] = []
    for i, part in enumerate(parts):
        rest = parts[i + 1:]
        if part.kind == "text" and part.text.strip() and _has_text_slot(rest, spec):
            anchor = part.text.strip().split(" ")[-1] if " " in part.text.strip() else part.text.strip()
            found.append((Part("text", anchor + (" " if part.text.endswith(" ") else "")), *rest))
        elif part.kind == "choice" and not part.optional and not _has_text_slot((part,), spec) \
                and _has_text_slot(rest, spec):  # "(taxi|cab) to {destination}", "(去|到){destination}"
            found.append((part, *rest))
        elif part.kind == "choice" and _has_text_slot((part,), spec):
            for option in part.options:
                if option and option[0].kind != "slot" and _has_text_slot((*option, *rest), spec):
                    found.append((*option, *rest))
                    found.extend((*t, *rest) for t in _tails(option, spec)[1:])
    return found


_LOOSE: dict[tuple[int, str], tuple[IntentSpec, tuple[re.Pattern[str], ...]]] = {}  # kept with their spec


def _loose_patterns(spec: IntentSpec, lang: str) -> tuple[re.Pattern[str], ...]:
    known = _LOOSE.get((id(spec), lang))
    if known is None or known[0] is not spec:
        known = _LOOSE[(id(spec), lang)] = (spec, _compile_tails(spec, lang))
    return known[1]


def _compile_tails(spec: IntentSpec, lang: str) -> tuple[re.Pattern[str], ...]:
    patterns = []
    boundary = "" if lang == "zh" else r"(?<!\w)"
    for example in spec.examples.get(lang, ()):
        for tail in _tails(_timeless(parse_example(example), spec), spec):
            for said in (tail, *([] if lang == "zh" else _closing_word_only(tail, spec))):
                patterns.append(re.compile(f"{boundary}{regex_of(said, spec.slots)}$", re.IGNORECASE))
    return tuple(dict.fromkeys(patterns))


def _timeless(parts: tuple[Part, ...], spec: IntentSpec, top: bool = True) -> tuple[Part, ...]:
    """``parts`` without the parameters of kind "when": a loosely read clause has its time words cut out already, so
    there they frame nothing ("rent a {vehicle} {pickup} for {days} days" reads "rent a van for three days")."""
    kept: list[Part] = []
    for part in parts:
        if part.kind == "slot" and spec.slots.get(part.text) == "when":
            continue
        if part.kind == "choice":
            part = Part("choice", options=tuple(_timeless(o, spec, top=False) for o in part.options),
                        optional=part.optional)
        if part.kind == "text" and kept and kept[-1].kind == "text":
            part = Part("text", re.sub(" +", " ", kept.pop().text + part.text))
        kept.append(part)
    if top and kept and kept[-1].kind == "text" and not kept[-1].text.strip():
        kept.pop()
    elif top and kept and kept[-1].kind == "text":  # "… {days} days {pickup}": the example ends after "days"
        kept[-1] = Part("text", kept[-1].text.rstrip())
    return tuple(kept)


def _closing_word_only(tail: tuple[Part, ...], spec: IntentSpec) -> list[tuple[Part, ...]]:
    """``tail`` with the words after its last free-text parameter left out but the last one, which closes the clause
    ("trag mir {title} in den Kalender *ein*" also reads "trag mir ein Teammeeting *ein*"): a loosely read request
    says less than the example around its value. None when nothing is left out."""
    last = max((i for i, part in enumerate(tail) if part.kind == "slot" and spec.slots.get(part.text) == "text"),
               default=None)
    if last is None or last == len(tail) - 1 or tail[-1].kind != "text" or len(tail) - last < 3:
        return []
    return [(*tail[:last + 1], Part("text", " " + tail[-1].text.split()[-1]))] if tail[-1].text.split() else []


def choice_value(spec: IntentSpec, slot: str, said: str) -> str | None:
    """The choice a slot's words stand for ("U-Bahn" → "metro"), or None."""
    words = fold(said)
    for value, synonyms in spec.choices.get(slot, {}).items():
        if fold(value) == words or any(fold(s) and fold(s) in words for s in synonyms):
            return value
    return None


def count_in(spec: IntentSpec, text: str, lang: str, taken: Iterable[tuple[int, int]] = ()) -> int | None:
    """The count ``text`` says where ``spec`` takes one ("两张票" → 2, "two tickets" → 2; an article alone is no count):
    the first one said before a counted noun or as the party's size (``counts_said``), else the first number word
    (not where the capability counts only in units of its own: "zwei Transporter" are no days);
    never one inside a span another parameter holds (``taken``: "Für *Sieben Laternen* brauche ich vier Karten")."""
    if "count" not in spec.slots.values():
        return None
    people = _counts_people(spec)
    spans = (*taken, *((c.start, c.end) for c in counts_said(text, lang) if c.party and not people))  # for whom

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in spans)

    own = count_units(spec, lang)
    said = next((c for c in counts_said(text, lang, people=people, own=own) if free(c.start, c.end)), None)
    if said is not None or (own and not own & (_counting(lang).units | _counting(lang).generic)):
        return said.count if said is not None else None  # "zwei Transporter" counts no days
    money = _counting(lang).currency
    for match in re.finditer(rf"(?<![\w.:])({COUNT_WORDS})(?![\w:])" if lang != "zh" else
                             r"(\d{1,2}|[一二两三四五六七八九十]{1,2})(?=[张个份位杯只件本台双])", text, re.IGNORECASE):
        priced = money is not None and money.match(text, match.end(1)) is not None  # "zu 12 Euro": a price
        if match.group(1).lower() not in _counting(lang).one and free(*match.span(1)) and not priced:
            return parse_count(match.group(1))
    return None


def loose_slots(spec: IntentSpec, clause: str, lang: str, paused: str | None = None) -> dict[str, str]:
    """Parameters of ``spec`` read from a clause (its time words already cut out) no template matched. ``paused``: the
    clause as said, with its pauses, when ``clause`` lost them: a count said alone after the last one is no part of a
    value before it ("tickets to the jazz concert, two please")."""
    text = re.sub(r"^" + LEADS.get(lang, ""), "", clause.strip(), flags=re.IGNORECASE)
    text = re.sub(trailing(lang), "", text, flags=re.IGNORECASE).strip(" ,，。.!?！？")
    after = _count_after_pause(spec, paused, lang) if paused else ""
    reading = text[:-len(after)].rstrip(" ,，") if after and text.endswith(after) and len(text) > len(after) else text
    best, chosen = _best_tail(spec, reading, lang), {}
    apart, said = without_choices(spec, reading, lang)  # "zu Fuß" said mid-clause: no part of a value
    other = _best_tail(spec, apart, lang) if said else None
    if other is not None and _reads_more(spec, other, said, best, reading, lang):  # "to the car wash" stays
        text, best, chosen = apart, other, said
    raw = {**{k: v.strip() for k, v in (best.groupdict() if best else {}).items() if v and v.strip()}, **chosen}
    raw = {k: v for k, v in ended(spec, raw, lang, paused).items() if v}  # running into a second request: dropped
    _counted_thing(spec, raw, text, lang, best.start() if best else None)
    taken = [(at, at + len(v)) for k, v in raw.items() if spec.slots.get(k) in ("text", "place")
             for at in (text.find(v),) if at >= 0]
    count = count_in(spec, text, lang, taken)
    slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
    if count is not None and slot is not None:
        raw[slot] = str(count)
    free = text  # the words no value holds: a saved place or a choice is never read from inside another value
    for start, end in taken:  # ("to the car wash" says no car; "zum Büro" is no origin too)
        free = free[:start] + " " * (end - start) + free[end:]
    for slot, kind in spec.slots.items():
        if kind == "place" and slot not in raw:
            place = next(((k, w) for k, words in PLACE_ALIASES.items()
                          for w in sorted(words, key=len, reverse=True) if _says(free, w, lang)), None)
            if place:  # one word fills one place ("zum Büro": the destination, no origin too)
                raw[slot] = place[0]
                edge = ("", "") if lang == "zh" else (r"(?<!\w)", r"(?!\w)")
                free = re.sub(f"{edge[0]}{re.escape(place[1])}{edge[1]}", lambda m: " " * len(m.group()), free,
                              count=1, flags=re.I)
        if kind == "choice" and slot not in raw:
            value = next((v for v in spec.choices.get(slot, {}) if choice_value(spec, slot, free) == v), None)
            if value:
                raw[slot] = value
    return raw


def _reads_more(spec: IntentSpec, apart: re.Match[str], chosen: dict[str, str], whole: re.Match[str] | None,
                text: str, lang: str) -> bool:
    """Does the reading with the choice words taken out fill more parameters than the one of the whole clause (which
    finds a choice said anywhere too), or as many with more of the example spelled out? A value that ends in the
    choice's words also says it was swallowed ("公司步行")."""
    if whole is None:
        return True
    filled = {k for k, v in whole.groupdict().items() if v and v.strip()}
    filled |= {k for k in spec.choices if choice_value(spec, k, text)}
    ends = any(choice_value(spec, c, v.split()[-1] if lang != "zh" else v[-2:]) for k, v in whole.groupdict().items()
               if v and v.strip() and spec.slots.get(k) in ("text", "place") for c in spec.choices)
    mine = (len({k for k, v in apart.groupdict().items() if v and v.strip()} | set(chosen)), ends,
            _frames(apart)[1])
    return mine > (len(filled), False, _frames(whole)[1])


def _count_after_pause(spec: IntentSpec, paused: str, lang: str) -> str:
    """What a counted request says after the last pause of ``paused`` when it only counts ("…, two please", "…，三张"),
    its polite words aside; else ""."""
    if "count" not in spec.slots.values():
        return ""
    parts = re.split(r"[,;，；]", paused.strip().rstrip(" .!?。！？"))
    after = re.sub(trailing(lang), "", parts[-1].strip(), flags=re.IGNORECASE).strip() if len(parts) > 1 else ""
    counts = re.fullmatch(COUNT_WORDS, after, re.IGNORECASE) or (names_nothing(after, lang) and count_in(
        spec, after, lang) is not None)
    return after if after and counts else ""


def _best_tail(spec: IntentSpec, text: str, lang: str) -> re.Match[str] | None:
    """The loose reading that frames a value and spells out most of the words."""
    best: re.Match[str] | None = None
    for pattern in _loose_patterns(spec, lang):
        match = pattern.search(text)
        if match and (best is None or _frames(match) > _frames(best)):
            best = match
    return best


def _frames(match: re.Match[str]) -> tuple[bool, int]:
    """How well a loose match reads its clause: whether it frames any value ("tickets" alone at the end frames none),
    then how much of it the example spells out (a value that names nothing, "for *the cinema*", is then dropped and
    asked, never traded for a longer guess: "want *to* buy tickets for the cinema")."""
    return any(v and v.strip() for v in match.groupdict().values()), literal_weight(match)


def _counted_thing(spec: IntentSpec, raw: dict[str, str], text: str, lang: str, framed: int | None) -> None:
    """The one required free-text parameter the examples did not frame, read as what a count and unit said count
    ("Hätte gern zwei Portionen Falafel", "把两根充电线…"), up to where the words the examples frame begin
    (``framed``: "… gebratene Nudeln *ins Büro*"), when it names something."""
    missing = [k for k in spec.required if spec.slots[k] == "text" and k not in raw]
    if len(missing) != 1 or "count" not in spec.slots.values():  # a to-do counts nothing (review R38)
        return
    own = count_units(spec, lang)
    mine = counts_said(text, lang, people=False, own=own)
    others = [c for c in counts_said(text, lang, people=False) if not any(m.start == c.start for m in mine)]
    party = [c for c in counts_said(text, lang) if c.party]  # "我们三个人": people, not a thing to get
    for said in (c for c in [*mine, *others] if c.unit and not any(p.start <= c.start < p.end for p in party)):
        end = framed if framed is not None and framed >= said.end else len(text)
        thing = re.split(r"[，,；;]", text[said.end:end])[0] if lang == "zh" else text[said.end:end]  # up to a pause
        thing = _joined_off(_gone_off(thing, lang), lang)
        if said.own and not _said_as_thing(thing, own, lang):  # "for 4 days starting": days measure no thing
            continue
        thing = _ended(_generic_off(_article_off(thing, lang), lang), lang, False, True)
        if thing and not names_nothing(thing, lang) and not refers_back(thing, lang):
            raw[missing[0]] = thing
            slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
            if slot is not None and (said.own or not own):
                raw.setdefault(slot, str(said.count))
            return
    _fronted_thing(spec, raw, missing[0], text, lang)


def _fronted_thing(spec: IntentSpec, raw: dict[str, str], slot: str, text: str, lang: str) -> None:
    """The thing said first, before who asks and the count that ends the clause ("沙丘我要两张票", "Dune brauchen wir
    drei Karten"): the words before the subject, when a subject stands there and they name something."""
    said = counts_said(text, lang, people=False, own=count_units(spec, lang))
    last = max(said, key=lambda c: c.end, default=None)
    if last is None or not names_nothing(text[last.start:], lang):
        return
    before = text[:last.start].strip(" ,，")
    if re.search(r"[，,；;]", before):  # one clause only: "看奥本海默，给我们订三张" says for whom, not who asks
        return
    thing = _without_subject(before, lang)
    if thing != before and thing and not names_nothing(thing, lang) and not refers_back(thing, lang):
        raw[slot] = thing


def _article_off(text: str, lang: str) -> str:
    """``text`` without an article at its start ("einen Kombi" after "für fünf Tage"), when something is left."""
    said = text.split(maxsplit=1)
    return said[1] if len(said) == 2 and said[0].casefold() in _counting(lang).articles else text


def _said_as_thing(words: str, own: frozenset[str], lang: str) -> bool:
    """Are the ``words`` after a count of the capability's ``own`` unit said as a thing is? After a unit that measures
    things ("zwei Portionen Falafel") they are; after one that measures no thing ("für fünf Tage") only when they begin
    with an article, in a language that has them ("einen Kombi", not "starting" left over from "starting Monday")."""
    counting = _counting(lang)
    if own & (counting.units | counting.generic) or not counting.articles:
        return True
    said = words.split(maxsplit=1)
    return bool(said) and said[0].casefold() in counting.articles


def _says(text: str, words: str, lang: str) -> bool:
    if lang == "zh" or re.search(r"[\u4e00-\u9fff]", words):
        return words in text
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


def grounded(spec: IntentSpec, slot: str, value: object, text: str) -> bool:
    """Whether a proposed value was said in ``text``: a span, a count said, a saved place named, a choice's
    words. Times are grounded by the date/time reader, never by a model. A counted request's text that runs on over
    its count is no value ("Sieben Laternen brauche ich vier Kinokarten")."""
    kind = spec.slots.get(slot)
    said = str(value).strip()
    if not said or kind is None:
        return False
    if kind == "count":
        return parse_count(said) is not None and parse_count(said) == count_in(spec, text, detect_language(text))
    if kind == "choice":
        return choice_value(spec, slot, text) == said
    if kind == "place" and said in PLACE_ALIASES:
        return any(_says(text, w, "") for w in PLACE_ALIASES[said])
    lang = detect_language(text)
    return bool(fold(said)) and fold(said) in fold(text) and bounded(said, lang) == said and not _runs_over_count(
        spec, slot, said, lang)


def _runs_over_count(spec: IntentSpec, slot: str, value: str, lang: str) -> bool:
    """Does a counted request's free-text ``value`` run on over the count said after it ("Sieben Laternen brauche ich
    vier Kinokarten")? Such a value holds other words than the thing: not grounded, asked."""
    if spec.slots.get(slot) != "text" or "count" not in spec.slots.values():
        return False
    return any(c.start > 0 for c in counts_said(value, lang, people=_counts_people(spec), own=count_units(spec, lang)))


@cache
def _pointers() -> dict[str, frozenset[str]]:
    data = load(REFER_BACK)
    return {lang: frozenset(fold(w) for w in words) for lang, words in data["words"].items()}


def refers_back(value: object, lang: str) -> bool:
    """Is ``value`` only a word that points back at what another clause said ("it", "es", "它", "这个"), not a
    value of its own? (Case, spaces and punctuation aside; a language with no list refers back with no word.)"""
    said = fold(str(value))
    return bool(said) and said in _pointers().get(lang, frozenset())


def _words(value: str, lang: str) -> list[str]:
    return [] if lang == "zh" else re.findall(r"\w+", value.casefold())


def _has_words(value: str, words: frozenset[str], lang: str) -> bool:
    """Does ``value`` say one of ``words`` as whole words (up to three in a row; not for Chinese)?"""
    tokens = _words(value, lang)
    return any(" ".join(tokens[i:i + n]) in words for n in (1, 2, 3) for i in range(len(tokens)))


@cache
def _steps() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """Per language: where the next step of a request begins, and where it begins in a dictated to-do or note (not
    at the `again` words without a pause: "提醒我给妈妈买一个杯子顺便买点水果" is one to-do)."""
    data = load(NEXT_STEP)
    found: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
    for lang in data["anywhere"].keys() | data["after_pause"].keys():
        anywhere, paused, again, request = (alternatives(data.get(key, {}).get(lang, ()))
                                            for key in ("anywhere", "after_pause", "again", "request"))
        edge = ("", "") if lang == "zh" else (r"(?<!\w)", r"(?!\w)")
        options = ([f"[,，;；、]?\\s*(?:{anywhere})" if lang == "zh" else f",?\\s*{edge[0]}(?:{anywhere}){edge[1]}"]
                   if anywhere else []) + ([f"[,，;；]\\s*(?:{paused}){edge[1]}"] if paused else [])
        pauseless = [f"{edge[0]}(?:{again})(?=\\s*(?:{request}){edge[1]})"] if again and request else []
        found[lang] = (re.compile("|".join(options + pauseless), re.IGNORECASE),
                       re.compile("|".join(options) or "$^", re.IGNORECASE))
    return found


def ended(spec: IntentSpec, raw: dict[str, str], lang: str, paused: str | None = None) -> dict[str, str | None]:
    """``raw``'s text and place values each ``bounded`` (None: it runs into a step of its own) and ``closed``, the
    others as they are. Where ``spec`` counts what it gets, a text value is also kept apart from a count said in it
    ("Sieben Laternen brauche ich vier Karten", "两碗牛肉面"), which becomes the count when none was read. A value that
    swallowed a choice's words with others is None too (``_swallows``). ``paused``: the clause as said, when the
    values were read without its pauses: a place or a counted thing ends at a pause (``_one_piece``: "ins Büro, aber
    schnell")."""
    counts = "count" in spec.slots.values()
    pieced = {k for k, v in raw.items() if spec.slots.get(k) == "place" or (counts and spec.slots.get(k) == "text")}
    out = {k: _ended(_as_said(v, paused) if paused and k in pieced else v, lang, spec.slots[k] == "place", counts)
           if spec.slots.get(k) in ("text", "place") else v for k, v in raw.items()}
    slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
    for key, value in list(out.items()):
        if slot is not None and value and spec.slots.get(key) == "text":
            out[key], count = _apart(spec, value, lang)
            if count is not None and not out.get(slot):
                out[slot] = str(count)
        elif value and spec.slots.get(key) == "place":
            out[key] = _one_piece(spec, value, lang)
    for key, value in list(out.items()):
        if value and _swallows(spec, key, value, lang):
            out[key] = None
        elif value and spec.slots.get(key) == "text" and not names_nothing(value, lang) and \
                _spelled_only(spec, value, lang):  # (a count alone stays, for a later clause to join the one before)
            out[key] = ""  # "tickets for the cinema": the capability's own words name no film; asked
    return out


def _spelled_only(spec: IntentSpec, value: str, lang: str, also: frozenset[str] = frozenset()) -> bool:
    """Is ``value`` made only of words ``spec``'s examples spell themselves (and measure words, and ``also``): "the
    cinema", "einen Film", "买" for the cinema partner? Such a value names nothing the user chose."""
    said, words = value.casefold().strip(), _literals(spec, lang) | _measures().get(lang, frozenset()) | also
    if lang != "zh":
        tokens = re.findall(r"\w+", said)
        return bool(tokens) and all(t in words for t in tokens)
    for word in sorted(words, key=len, reverse=True):
        said = said.replace(word, "")
    return not re.sub(r"[\s,，、。的]", "", said)


def _literals(spec: IntentSpec, lang: str) -> frozenset[str]:
    """The words ``spec``'s examples in ``lang`` spell as text (Chinese: the runs of text between their parts)."""
    found: set[str] = set()

    def walk(parts: tuple[Part, ...]) -> None:
        for part in parts:
            if part.kind == "text":
                found.update([part.text.strip().casefold()] if lang == "zh" else part.text.casefold().split())
            for option in part.options:
                walk(option)
    for example in spec.examples.get(lang, ()):
        walk(parse_example(example))
    return frozenset(w for w in found if w)


def _swallows(spec: IntentSpec, slot: str, value: str, lang: str) -> bool:
    """Does ``value`` hold a choice's words and run on past them ("mit der {mode}" reading "U-Bahn vom Büro"), or a
    text or place value end in them after words that name something ("从{origin}到…" reading "公司步行", "Museumsinsel
    zu Fuß")? Then the words around the choice
    were read into the wrong parameter: no value (the clause is read another way, without the choice words)."""
    kind = spec.slots.get(slot)
    if kind == "choice":
        said = next((w.casefold() for synonyms in spec.choices.get(slot, {}).values()
                     for w in sorted(synonyms, key=len, reverse=True) if w and w.casefold() in value.casefold()), None)
        if said is None:
            return False
        return len(re.findall(r"\w" if lang == "zh" else r"\w+", value.casefold().replace(said, " ", 1))) >= 2
    if kind not in ("text", "place"):
        return False
    words = {fold(w) for c in spec.choices for ws in spec.choices[c].values() for w in ws if fold(w)}
    if lang == "zh":
        return len(value) > 2 and any(value[-n:] in words for n in (2, 3))
    tokens = value.split()
    return any(fold(" ".join(tokens[-n:])) in words and not _spelled_only(spec, " ".join(tokens[:-n]), lang)
               for n in (1, 2, 3) if len(tokens) > n)  # "Potsdamer Platz on foot"; "the car" is a car


def _ended(value: str, lang: str, place: bool, counts: bool) -> str | None:
    cut = bounded(value, lang, dictated=not (place or counts))
    return None if cut is None else closed(cut, lang, place=place, counts=counts)


def bounded(value: str, lang: str, *, dictated: bool = False) -> str | None:
    """``value`` up to where the next step of the request begins ("披萨，然后把它" → "披萨", "Pizza und lass sie" →
    "Pizza") when that step only points back at it; None when the value runs into a step of its own ("pizza and
    then call mom": a second request, no value); the value itself when it holds no step (one needs words on both
    sides: "Now and Then" and "Then She Found Me" are titles). A ``dictated`` value (a to-do, a note: no count, no
    place) runs on over 再/顺便 said without a pause ("给妈妈买一个杯子顺便买点水果")."""
    steps = _steps().get(lang)
    step = None if steps is None else steps[1] if dictated else steps[0]
    for found in step.finditer(value) if step is not None else ():
        before, after = value[:found.start()].strip(" ,，;；、"), value[found.end():].strip(" ,，;；、")
        if before and after:
            return before if _points_at(after, lang) else None
    return value


def _points_at(step: str, lang: str) -> bool:
    """Does the next ``step`` of a request point back at the thing before it ("lass *sie* liefern", "把*它*送到")?
    In Chinese a pointer that ends in a measure word and goes on into a word that begins no step counts a thing of
    its own ("顺便买一个杯子": a cup; "再买一个", "把这个送到" point back)."""
    pointers = _pointers().get(lang, frozenset())
    if lang != "zh":
        return _has_words(step, pointers, lang)
    measures = tuple(load(MEASURE_WORDS)["measure"].get(lang, ()))
    begins = tuple(load(NEXT_STEP).get("request", {}).get(lang, ()))
    return any(not (word.endswith(measures) and rest and not rest.startswith(begins))
               for word in pointers for found in re.finditer(re.escape(word), step)
               for rest in (step[found.end():],))


@cache
def _measures() -> dict[str, frozenset[str]]:
    data = load(MEASURE_WORDS)
    return {lang: frozenset(w.casefold() for key in ("measure", "generic", "units") for w in data[key].get(lang, ()))
            for lang in data["measure"].keys() | data["generic"].keys()}


def names_nothing(value: object, lang: str | None = None) -> bool:
    """Is ``value`` only counts and measures ("张票", "两张", "two tickets", "ein Paar"), naming no thing? Without a
    language, by its script: Chinese, or every other language's words."""
    said = str(value).strip()
    chinese = lang == "zh" or (lang is None and re.search(r"[\u4e00-\u9fff]", said) is not None)
    words = _measures().get("zh") if chinese else _measures().get(lang) if lang else \
        frozenset().union(*(w for k, w in _measures().items() if k != "zh"))
    if not said or not words:
        return False
    if chinese:  # a number alone ("七", "Seven") may be a title: a measure must be said
        rest = said
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(word, "")
        return rest != said and not re.sub(r"[\d一二两三四五六七八九十\s,，、。]", "", rest)
    tokens = _words(said, "")
    counted = lang is not None and any(re.fullmatch(COUNT_WORDS, w, re.IGNORECASE) for w in tokens)
    tokens = [w if w in words or not counted or _counted_noun(w, _counting(lang or "")) is None else next(iter(words))
              for w in tokens]  # "vier Kinokarten": a counted compound that ends in "karten" counts like it
    return any(w in words for w in tokens) and \
        all(w in words or re.fullmatch(COUNT_WORDS, w, re.IGNORECASE) for w in tokens)


@dataclass(frozen=True)
class Counted:
    """A count said for what a request gets: "vier Kinokarten", "两碗", "wir sind zu dritt"."""

    start: int  # where its words begin in the text
    end: int  # where they end
    count: int  # the number said
    unit: bool  # said before a unit or measure ("zwei Portionen", "两碗"): the thing counted may follow
    party: bool = False  # how many people the request is for ("there are three of us")
    own: bool = False  # said before a unit the capability's own examples count in ("{days} days"): read first


@dataclass(frozen=True)
class _Counting:
    """A language's words for what a request counts (measure_words.toml)."""

    generic: frozenset[str]  # what any ticket or order request gets ("tickets", "票"); a compound may end in one
    units: frozenset[str]  # units, and Chinese measures ("portions", "碗")
    joins: frozenset[str]  # between a unit and the thing ("of")
    compounds: bool  # a counted noun may end a longer word ("Kinokarten")
    inverted: bool  # the verb comes before the subject after a fronted thing ("brauche ich")
    subjects: tuple[str, ...]  # who asks ("ich", "I", "我")
    party: tuple[re.Pattern[str], ...]  # a party's size, its number in group "n"
    ordinals: dict[str, int]  # numbers a party's size is said with ("zu dritt")
    goes: re.Pattern[str] | None  # where the thing goes, said after it ("加到", "送到")
    currency: re.Pattern[str] | None  # a price's unit right after a number ("12 Euro", "€"): no count
    articles: frozenset[str]  # the words that say a thing is named next ("a", "einen"); none in Chinese
    one: frozenset[str]  # the articles that say "one" ("a", "ein"): a count only where an example puts one


@cache
def _counting(lang: str) -> _Counting:
    data = load(MEASURE_WORDS)

    def words(key: str) -> list[str]:
        return [w.casefold() for w in data.get(key, {}).get(lang, ())]

    units = words("units") or words("measure") if lang == "zh" else words("units")
    goes = data.get("goes", {}).get(lang)
    ordinals = {k.casefold(): v for k, v in data.get("ordinals", {}).get(lang, {}).items()}
    gap, edge = ("", ("", "")) if lang == "zh" else (r"\s+", (r"(?<!\w)", r"(?!\w)"))
    number = {"{n}": f"(?P<n>{COUNT_WORDS})", "{nth}": f"(?P<n>{alternatives(ordinals) or '$^'})"}
    phrases = [gap.join(number.get(w, re.escape(w)) for w in re.split(r"\s+|(\{nth\}|\{n\})", p) if w)
               for p in words("party")]
    return _Counting(frozenset(words("generic")), frozenset(units), frozenset(words("joins")),
                     lang in data.get("compounds", ()), lang in data.get("inverted", ()),
                     tuple(sorted(words("subjects"), key=len, reverse=True)),
                     tuple(re.compile(f"{edge[0]}{p}{edge[1]}", re.IGNORECASE) for p in phrases),
                     ordinals, re.compile(f"(?:{alternatives(goes['verbs'])})(?:{alternatives(goes['to'])})")
                     if goes else None,
                     re.compile(rf"\s*(?:{alternatives(words('currency'))}){edge[1]}", re.IGNORECASE)
                     if words("currency") else None,
                     frozenset(words("articles")), frozenset(w for w in words("articles") if parse_count(w) == 1))


def _counted_noun(word: str, words: _Counting) -> bool | None:
    """Is ``word`` a noun a count stands before: True for a unit ("Portionen"), False for what is got ("Kinokarten"),
    None for neither."""
    said = word.casefold()
    if said in words.units:
        return True
    return False if said in words.generic or (words.compounds and any(
        said.endswith(g) and len(g) > 3 for g in words.generic)) else None


def counts_said(text: str, lang: str, *, people: bool = True, own: frozenset[str] = frozenset()) -> list[Counted]:
    """The counts ``text`` says before a counted noun ("vier Kinokarten", "two portions", "两碗", "三张") or before one
    of a capability's ``own`` units (``count_units``: "for five *days*", "租三*天*"; those first, and only those when
    none of them counts things: "一辆面包车" is no count of days) and, where a request counts ``people``, a party's
    size ("wir sind zu dritt"), in the order said."""
    words, found = _counting(lang), []
    if lang == "zh":
        named = frozenset(u for u in own if any(u.endswith(g) for g in words.generic))  # "张票": tickets are got
        units, generic = alternatives(words.units | (own - named)), alternatives(words.generic | named)
        said = rf"(\d{{1,2}}|[一二两三四五六七八九十]{{1,2}})({units})?({generic})?"
        for match in re.finditer(said, text) if units else ():
            if match.group(2) or match.group(3):  # "两碗", "两张票", "两个座位": the seats are what is got
                found.append(Counted(match.start(), match.end(), parse_count(match.group(1)) or 0,
                                     match.group(3) is None, own=(match.group(3) or match.group(2)) in own))
    else:
        for match in re.finditer(rf"(?<![\w.:])({COUNT_WORDS})\s+([\w-]+)", text, re.IGNORECASE):
            noun = match.group(2).casefold()
            unit = True if noun in own and noun not in words.generic else _counted_noun(noun, words)
            if unit is not None:
                found.append(Counted(match.start(), match.end(), parse_count(match.group(1)) or 0, unit,
                                     own=noun in own))
    for match in (m for p in words.party if people for m in p.finditer(text)):
        n = match.group("n")
        found.append(Counted(match.start(), match.end(), words.ordinals.get(n.casefold()) or parse_count(n) or 0,
                             False, party=True))
    only = bool(own) and not own & (words.units | words.generic)  # "{days} days": no count of things counts here
    return sorted((c for c in found if c.count > 0 and (c.own or not only)), key=lambda c: (not c.own, c.start))


def count_units(spec: IntentSpec, lang: str) -> frozenset[str]:
    """The words ``spec``'s examples in ``lang`` put right after a count ("{days} days", "{count} tickets",
    "{days}天", "{count}(份|个|杯|碗)"): what its count counts, in its own words."""
    return frozenset(w.casefold() for example in spec.examples.get(lang, ())
                     for w in _after_count(parse_example(example), spec, lang))


def _after_count(parts: tuple[Part, ...], spec: IntentSpec, lang: str) -> list[str]:
    found: list[str] = []
    for i, part in enumerate(parts):
        if part.kind == "choice":
            found += [w for option in part.options for w in _after_count((*option, *parts[i + 1:]), spec, lang)]
        if part.kind == "slot" and spec.slots.get(part.text) == "count" and i + 1 < len(parts):
            found += _first_words(parts[i + 1], lang)
    return found


def _first_words(part: Part, lang: str) -> list[str]:
    if part.kind == "choice":
        return [w for option in part.options if option for w in _first_words(option[0], lang)]
    said = part.text.strip() if part.kind == "text" else ""
    return ([said] if lang == "zh" else said.split()[:1]) if said else []


def _counts_people(spec: IntentSpec) -> bool:
    """Does ``spec`` count people: do its examples name what lets one person in ("tickets", "Karten", "票")?"""
    for lang, examples in spec.examples.items():
        generic = frozenset(w.casefold() for w in load(MEASURE_WORDS).get("admits", {}).get(lang, ()))
        for example in examples:
            said = example.casefold()
            if any(g in said if lang == "zh" else re.search(rf"(?<!\w){re.escape(g)}(?!\w)", said) for g in generic):
                return True
    return False


def _apart(spec: IntentSpec, value: str, lang: str) -> tuple[str, int | None]:
    """A counted request's free-text ``value`` apart from its count, and that count (None: none said in it). A
    value that runs over pauses is its one piece that names something (``_one_piece``);
    a count before a unit at its start is the count of what follows ("两碗牛肉面", "zwei Portionen Falafel"; a request
    word may lead it: "要两碗"; a value that only counts stays as said, to be known as naming nothing: "两张票"); a
    count said inside it ends it, with who asks ("Sieben Laternen brauche ich vier
    Karten" → "Sieben Laternen", 4); a unit left at its start goes ("Portionen Falafel" → "Falafel")."""
    value = _one_piece(spec, _gone_off(value, lang), lang)
    said = counts_said(value, lang)  # a party's size ends a value even where it is no count ("pizza for the 3 of us")
    first = said[0] if said else None
    count = None if first is None or (first.party and not _counts_people(spec)) else first.count
    if first is not None and not _lead_off(value[:first.start], lang).strip():
        rest = _generic_off(_joined_off(value[first.end:], lang) if first.unit else value[first.end:].strip(), lang)
        return (rest or value, count) if not rest or not names_nothing(rest, lang) else (value, None)
    if first is not None:
        before = _generic_off(_without_subject(value[:first.start].strip(" ,，"), lang), lang)
        return (before, count) if before else (value, None)
    return _generic_off(_after_unit(value, lang) or value, lang), None


def _one_piece(spec: IntentSpec, value: str, lang: str) -> str:
    """A value said over pauses as its first piece that names something ("个外卖，要两碗牛肉面" → "要两碗牛肉面",
    "rental van, I need it" → "rental van", "Büro, aber schnell" → "Büro": who asks, the capability's own words and
    a word that points back name nothing); as it is when no piece does."""
    pieces = [p.strip() for p in re.split(r"[，,；;、]", value)]
    if len(pieces) < 2:
        return value
    said = _counting(lang).subjects + tuple(_pointers().get(lang, ()))
    named = [p for p in pieces if p and not names_nothing(_lead_off(p, lang), lang)
             and not _spelled_only(spec, p, lang, frozenset(said))]
    return named[0] if named else re.sub(r"\s*[,;:]\s+", " ", value)


def _as_said(value: str, paused: str) -> str:
    """``value`` as ``paused`` says it, with the pauses between its words that reading the clause took out."""
    words = value.split()
    found = re.search(r"(?<!\w)" + r"(?:\s*[,;:]\s*|\s+)".join(map(re.escape, words)) + r"(?!\w)", paused,
                      re.IGNORECASE) if len(words) > 1 else None
    return found.group() if found else value


def _generic_off(value: str, lang: str) -> str:
    """``value`` without what any ticket or order request gets at its end ("沙丘的票" → "沙丘", "Dune tickets" →
    "Dune"), when something is left."""
    words = _counting(lang)
    joins = alternatives(words.joins)
    edge = "" if lang == "zh" else r"(?<!\w)"
    found = re.search(rf"(?:{joins})?{edge}(?:{alternatives(words.generic)})$" if joins else
                      rf"{edge}(?:{alternatives(words.generic)})$", value, re.IGNORECASE) if words.generic else None
    rest = value[:found.start()].strip() if found else value
    return rest if rest and len(rest) > 1 else value


def _gone_off(value: str, lang: str) -> str:
    """``value`` up to where it says where the thing goes ("充电线加到购物车" → "充电线"), two characters at least."""
    goes = _counting(lang).goes
    found = goes.search(value, 2) if goes is not None else None
    return value[:found.start()].rstrip(" ，,") if found else value


def _lead_off(text: str, lang: str) -> str:
    """``text`` without the Chinese request word that may lead a count ("要两碗", "来一份")."""
    if lang != "zh":
        return text
    begins = sorted(load(NEXT_STEP).get("request", {}).get(lang, ()), key=len, reverse=True)
    return next((text[len(b):] for b in begins if text.startswith(b)), text)


def _after_unit(text: str, lang: str) -> str:
    """``text`` without a unit at its start and the word that joins it to the thing ("portions of falafel" →
    "falafel"); Chinese keeps it ("台灯" is a lamp)."""
    words, said = _counting(lang), text.split()
    if lang == "zh" or not said or said[0].casefold() not in words.units:
        return text.strip()
    return _joined_off(" ".join(said[1:]), lang)


def _joined_off(text: str, lang: str) -> str:
    """``text`` after a unit, without the word that joins it to the thing ("of falafel" → "falafel")."""
    said = text.split(maxsplit=1)
    return said[1] if len(said) == 2 and said[0].casefold() in _counting(lang).joins else text.strip()


def _without_subject(text: str, lang: str) -> str:
    """``text`` without who asks at its end, with the verb beside it ("Sieben Laternen brauche ich" → "Sieben
    Laternen", "Dune I need" → "Dune", "沙丘我要" → "沙丘"); as it is when no subject is among its last words."""
    words = _counting(lang)
    if lang == "zh":
        at = max((text.rfind(s) for s in words.subjects), default=-1)
        return text[:at].strip() if at > 0 and len(text) - at <= 4 else text
    said = text.split()
    found = next((i for i in range(len(said) - 1, max(len(said) - 4, 0), -1)
                  if said[i].casefold().split("'")[0] in words.subjects), None)  # "I'd like"
    if found is None:
        return text
    at = found
    if words.inverted and at > 1 and said[at - 1].islower():
        at -= 1
    return " ".join(said[:at])


def without_choices(spec: IntentSpec, text: str, lang: str) -> tuple[str, dict[str, str]]:
    """``text`` without the words of ``spec``'s choices said in it, with the words the examples lead them with ("zu
    Fuß", "mit der U-Bahn", "by subway", "坐地铁"), and the choices they stand for. Said in the middle of a request,
    where no example frames them, they would run into a value ("Wie komme ich zu Fuß vom Büro zum Hauptbahnhof": no
    destination "Fuß vom Büro zum Hauptbahnhof"); a template reading the rest then frames the values around them."""
    chosen: dict[str, str] = {}
    edge = ("", "") if lang == "zh" else (r"(?<!\w)", r"(?!\w)")
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
            gap = "" if lang == "zh" else " "
            text = re.sub(r"\s+", " ", text[:found.start()] + gap + text[found.end():]).strip(" ,，;；")  # "…，坐地铁"
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
