"""Grounded parameters: every value a task carries was said by the user.

After the learned tier chose a capability for a sentence no template matched, ``loose_slots`` reads its
parameters the way the examples frame them: the words after an example's anchor ("tickets *for* Dune",
"送到*办公室*", "*nach* Hause") up to the next anchor or the end, counts from number words, choices from
the words the manifest lists, times from the date/time reader. ``grounded`` checks a value any model
proposed against the utterance: a span of it (ignoring case, spaces and punctuation), a count or time
the utterance says, or a saved place it names. What is not grounded is dropped and asked for. ``ended``
(``tandem.agent.ending``, read from here too) ends a template's or a loose reading's values where the next step of
the request begins and before the words that close their clause ("Büro *liefern*", "office *please*"), and keeps a
thing apart from its count.

The readers it is made of, each its own module: ``tandem.agent.ending`` (where a value ends), ``counts`` (what a
request counts), ``apart`` (a thing apart from the words around it), ``steps`` (where the next step begins, words that
point back), ``choices`` (a choice's words). The words are language data (``tandem.agent.words``).
"""

from __future__ import annotations

import re
from itertools import pairwise

from tandem.agent.apart import (
    article_off,
    as_said,
    generic_off,
    gone_off,
    joined_off,
    lead_off,
    one_piece,
    said_as_thing,
    spelled_only,
    without_subject,
)
from tandem.agent.besides import besides
from tandem.agent.choices import choice_value, without_choices
from tandem.agent.closing import closed, trailing
from tandem.agent.counts import (
    count_in,
    count_units,
    counted_noun,
    counting,
    counts_people,
    counts_said,
    names_nothing,
)
from tandem.agent.ending import (
    called_off,
    code_in,
    codes,
    dictated,
    ended,
    priced_in,
    saved_places,
    says_word,
    timeless,
    unmarked,
    value_ended,
    venue_apart,
)
from tandem.agent.intents import LEADS, PLACE_ALIASES, IntentSpec, lead_end
from tandem.agent.skills import fold
from tandem.agent.slots import detect_language, parse_count
from tandem.agent.steps import bounded, pointers, refers_back
from tandem.agent.templates import COUNT_WORDS, Part, doubled, literal_weight, parse_example, regex_of
from tandem.agent.words import CLOSING_WORDS, MEASURE_WORDS, VERB_WORDS, alternatives, doubled_forms, load
from tandem.agent.writing import writing

__all__ = ["bounded", "choice_value", "code_in", "count_in", "count_units", "counts_said", "dictated", "ended",
           "grounded", "loose_slots", "names_nothing", "refers_back", "said_besides", "saved_places",
           "with_its_noun", "without_choices"]  # the readers split out are read from here too


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


_Loose = tuple[tuple[re.Pattern[str], bool], ...]  # each loose reading, and whether it names the thing alone
_LOOSE: dict[tuple[int, str], tuple[IntentSpec, _Loose]] = {}  # kept with their spec


def _loose_patterns(spec: IntentSpec, lang: str) -> _Loose:
    known = _LOOSE.get((id(spec), lang))
    if known is None or known[0] is not spec:
        known = _LOOSE[(id(spec), lang)] = (spec, _compile_tails(spec, lang))
    return known[1]


def _compile_tails(spec: IntentSpec, lang: str) -> _Loose:
    patterns: list[tuple[re.Pattern[str], bool]] = []
    spaced, boundary = writing(lang).spaced, writing(lang).edge[0]
    for example in spec.examples.get(lang, ()):
        parts = _with_forms(unmarked(timeless(parse_example(example), spec), writing(lang).marks), lang)
        whole = [doubled(p, doubled_forms(lang)) for p in _unjoined(parts, lang)]
        parts = doubled(parts, doubled_forms(lang))
        for tail, alone in [*((t, False) for t in _tails(parts, spec)), *((w, True) for w in whole)]:
            for said in (tail, *(_closing_word_only(tail, spec) if spaced else [])):
                patterns.append((re.compile(f"{boundary}{regex_of(said, spec.slots)}$", re.IGNORECASE), alone))
    return tuple(dict.fromkeys(patterns))


def _unjoined(parts: tuple[Part, ...], lang: str) -> list[tuple[Part, ...]]:
    """An example that opens with its verb and ends in the noun its value is joined to (measure_words.toml ``joins``:
    "取消[我的]{event}*的(日程|会议)*"), also read without that noun, where words are not spaced: a request names the
    thing alone ("取消瑜伽课"). Not from an anchor inside it: "关于{topic}" would read "路由器记了什么"."""
    joins = counting(lang).joins
    if writing(lang).spaced or len(parts) < 4 or parts[0].kind != "text" or not parts[0].text.strip():
        return []
    join, noun = parts[-2], parts[-1]
    if join.kind != "text" or join.text.strip() not in joins or noun.kind != "choice" or noun.optional \
            or parts[-3].kind != "slot":
        return []
    return [parts[:-2]]


def _with_forms(parts: tuple[Part, ...], lang: str) -> tuple[Part, ...]:
    """``parts`` with the verb they open with also said in the language's other forms (verb_words.toml ``forms``:
    "(bestell|bestelle)" also reads "bestellt", "bestellen Sie"), as the one choice that opens them."""
    endings = load(VERB_WORDS).get("forms", {}).get(lang, ())
    if not endings or not parts:
        return parts
    first, rest = parts[0], parts[1:]
    if first.kind == "text" and first.text.strip():
        verb, _, after = first.text.lstrip().partition(" ")
        words, rest = [verb], ((Part("text", " " + after),) if after else ()) + rest
    elif first.kind == "choice" and not first.optional and all(
            len(o) == 1 and o[0].kind == "text" and " " not in o[0].text.strip() for o in first.options):
        words = [o[0].text.strip() for o in first.options]
    else:
        return parts
    stems = dict.fromkeys(w.removesuffix("e") if len(w) > 3 else w for w in words)
    said = dict.fromkeys([*words, *(stem + ending for stem in stems for ending in endings)])
    return (Part("choice", options=tuple((Part("text", w),) for w in said)), *rest)


def _closing_word_only(tail: tuple[Part, ...], spec: IntentSpec) -> list[tuple[Part, ...]]:
    """``tail`` with the words after its last free-text parameter left out but the last one, which closes the clause
    ("trag mir {title} in den Kalender *ein*" also reads "trag mir ein Teammeeting *ein*"): a loosely read request
    says less than the example around its value. None when nothing is left out."""
    last = max((i for i, part in enumerate(tail) if part.kind == "slot" and spec.slots.get(part.text) == "text"),
               default=None)
    if last is None or last == len(tail) - 1 or tail[-1].kind != "text" or len(tail) - last < 3:
        return []
    return [(*tail[:last + 1], Part("text", " " + tail[-1].text.split()[-1]))] if tail[-1].text.split() else []


def loose_slots(spec: IntentSpec, clause: str, lang: str, paused: str | None = None) -> dict[str, str]:
    """Parameters of ``spec`` read from a clause (its time words already cut out) no template matched. ``paused``: the
    clause as said, with its pauses, when ``clause`` lost them: a count said alone after the last one is no part of a
    value before it ("tickets to the jazz concert, two please")."""
    text = clause.strip()[lead_end(clause.strip(), lang):]
    text = _written_out(spec, re.sub(trailing(lang), "", text, flags=re.IGNORECASE).strip(" ,，。.!?！？"), lang)
    after = _count_after_pause(spec, paused, lang) if paused else ""
    reading = text[:-len(after)].rstrip(" ,，") if after and text.endswith(after) and len(text) > len(after) else text
    best, chosen = _best_tail(spec, reading, lang), {}
    apart, said = without_choices(spec, reading, lang)  # "zu Fuß" said mid-clause: no part of a value
    other = _best_tail(spec, apart, lang) if said else None
    if other is not None and _reads_more(spec, other, said, best, reading, lang):  # "to the car wash" stays
        text, best, chosen = apart, other, said
    raw = {**{k: v.strip() for k, v in (best.groupdict() if best else {}).items() if v and v.strip()}, **chosen}
    raw = {k: v for k, v in ended(spec, raw, lang, paused).items() if v}  # running into a second request: dropped
    raw = saved_places(spec, raw, text)
    if paused:
        _pointed_at(spec, raw, paused, lang)
    _counted_thing(spec, raw, text, lang, best.start() if best else None, paused)
    _attended(spec, raw, paused or text, lang)
    called_off(spec, raw, text, paused, lang)
    priced_in(spec, raw, text, lang)
    code = code_in(text, lang) if spec.own else ""
    for own in (k for k in spec.own if k not in raw and code):  # "show cin-504fed8651, my booking"
        raw[own] = code
    taken = _taken(spec, raw, text)
    count = count_in(spec, text, lang, taken)
    slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
    if count is not None and slot is not None:
        raw[slot] = str(count)
    free = text  # the words no value holds: a saved place or a choice is never read from inside another value
    for start, end in taken:  # ("to the car wash" says no car; "zum Büro" is no origin too)
        free = free[:start] + " " * (end - start) + free[end:]
    for slot, kind in spec.slots.items():
        if kind == "place" and slot not in raw:
            free = _saved_place_in(raw, slot, free, lang)
        if kind == "choice" and slot not in raw:
            value = next((v for v in spec.choices.get(slot, {}) if choice_value(spec, slot, free) == v), None)
            if value:
                raw[slot] = value
    raw = {k: besides(spec, v, lang) if spec.slots.get(k) == "text" and not dictated(spec) else v
           for k, v in raw.items()}  # a thing read around the frames: "那场的流浪地球2还有票吗？有的话"
    raw = {k: v for k, v in venue_apart(spec, dict(raw), lang).items() if v}  # "国家大剧院的胡桃夹子"
    return _titled(spec, raw, clause, lang)


def _titled(spec: IntentSpec, raw: dict[str, str], clause: str, lang: str) -> dict[str, str]:
    """``raw`` with the one title ``clause`` writes between marks (writing.toml ``marks``: "看《长津湖》") as the value
    of the first required free-text parameter, when no value holds it ("帮我把票买*了*" read as the film), and as the
    value that holds it with other words before or after it ("我女朋友想看《哪吒》": 哪吒; "《天鹅湖》芭蕾舞剧": 天鹅湖,
    the kind of show after the marks is no part of its name, and a value "天鹅湖》芭蕾舞剧" found nothing); a note's
    values stay as said."""
    marks = writing(lang).marks
    titles = [t for opening, closing in zip(marks[::2], marks[1::2], strict=False)
              for t in re.findall(f"{re.escape(opening)}([^{re.escape(closing)}]+){re.escape(closing)}", clause)]
    slot = next((k for k in spec.required if spec.slots.get(k) == "text"), None)
    if len(titles) != 1 or slot is None or dictated(spec):  # a note keeps its words as said
        return raw
    title = titles[0].strip()
    raw = {k: title if title in v else v for k, v in raw.items()}  # "《沙丘》", "想看《哪吒》", "《猫》音乐剧"
    return raw if any(title in v for v in raw.values()) else {**raw, slot: title}


def _saved_place_in(found: dict[str, str], slot: str, free: str, lang: str) -> str:
    """The saved place ``free`` (the words no value holds) names, into ``found[slot]``; ``free`` without its name (one
    word fills one place: "zum Büro" is the destination, no origin too)."""
    place = next(((k, w) for k, words in PLACE_ALIASES.items()
                  for w in sorted(words, key=len, reverse=True) if says_word(free, w, lang)), None)
    if place is None:
        return free
    found[slot] = place[0]
    edge = writing(lang).edge
    return re.sub(f"{edge[0]}{re.escape(place[1])}{edge[1]}", lambda m: " " * len(m.group()), free, count=1,
                  flags=re.I)


def _taken(spec: IntentSpec, raw: dict[str, str], text: str) -> list[tuple[int, int]]:
    """Where in ``text`` the text and place values of ``raw`` stand."""
    return [(at, at + len(v)) for k, v in raw.items() if spec.slots.get(k) in ("text", "place")
            for at in (text.find(v),) if at >= 0]


def with_its_noun(spec: IntentSpec, raw: dict[str, str], text: str, lang: str) -> dict[str, str]:
    """``raw`` with each free-text value given back the noun it is joined to where ``text`` says it and an example of
    ``spec`` frames it so: a value that opens with a joining word (closing_words.toml ``joined``: "*with* Anna") gets
    the example's optional noun right before it ("add a *meeting* with Anna to my calendar": "meeting with Anna",
    which "(add|…) [a] [appointment|meeting|event] {title} …" read as "with Anna"); a value framed right after a noun
    and a word that says who or what it is with (``companions``) gets both ("add a *meeting with* Anna": "meeting with
    Anna"; "the entry *for* the parents' evening" stays the evening), unless the value is what a thing is looked up by
    ("cancel the meeting with Anna" searches "Anna", which finds the added "meeting with Anna")."""
    words = load(CLOSING_WORDS)
    joins = tuple(words.get("joined", {}).get(lang, ()))
    companions = tuple(words.get("companions", {}).get(lang, ()))
    out = dict(raw)
    for key, value in raw.items():
        if spec.slots.get(key) != "text" or not value:
            continue
        if value.split(" ", 1)[0].casefold() in joins:
            found = re.search(rf"(?<!\w)(\w+) {re.escape(value)}", text, re.IGNORECASE)
            if found and found.group(1).casefold() in _optional_before(spec, lang, key):
                out[key] = f"{found.group(1)} {value}"
        elif companions and not _searched(spec, key):  # a search by "meeting with Anna" lets "meeting" outvote Anna
            found = re.search(rf"(?<!\w)(\w+) ({alternatives(companions)}) {re.escape(value)}", text, re.IGNORECASE)
            if found and found.group(1).casefold() in _framed_before(spec, lang, key, companions):
                out[key] = found.group()
    return out


def _searched(spec: IntentSpec, slot: str) -> bool:
    """Is ``slot`` the words ``spec`` looks its thing up by before the call (a ``resolve`` step's argument: the event
    to cancel)? Then it keeps the words that tell the thing apart ("Anna"), which find the added "meeting with Anna"
    too (review R18-4: "Termin mit Anna" found "Termin mit Herrn Keller")."""
    return any(f"{{{slot}}}" in str(step.get("arguments", {})) for step in spec.resolve)


def _optional_before(spec: IntentSpec, lang: str, slot: str) -> set[str]:
    """The words an example of ``spec`` may leave out right before ``slot`` ("[appointment|meeting|event] {title}")."""
    words: set[str] = set()
    for example in spec.examples.get(lang, ()):
        parts = [p for p in parse_example(example) if not (p.kind == "text" and not p.text.strip())]
        for before, part in pairwise(parts):
            if part.kind == "slot" and part.text == slot and before.kind == "choice" and before.optional:
                words |= {o[0].text.strip().casefold() for o in before.options if len(o) == 1 and o[0].kind == "text"}
    return words


def _framed_before(spec: IntentSpec, lang: str, slot: str, companions: tuple[str, ...]) -> set[str]:
    """The nouns an example of ``spec`` says right before a word of ``companions`` that stands right before ``slot``
    ("(appointment|meeting|event) (with|for|about|at) {event}": appointment, meeting, event)."""
    words: set[str] = set()
    for example in spec.examples.get(lang, ()):
        parts = [p for p in parse_example(example) if not (p.kind == "text" and not p.text.strip())]
        for noun, join, part in zip(parts, parts[1:], parts[2:], strict=False):
            if part.kind == "slot" and part.text == slot and _last_words(join) & set(companions):
                words |= _last_words(noun)
    return words


def _last_words(part: Part) -> set[str]:
    """The word each way of saying ``part`` ends in (literal words: their last one), lower case."""
    said = [part.text] if part.kind == "text" else \
        [o[-1].text for o in part.options if o and o[-1].kind == "text"] if part.kind == "choice" else []
    return {w.split()[-1].casefold() for w in said if w.split()}


def said_besides(spec: IntentSpec, raw: dict[str, str], text: str, lang: str) -> dict[str, str]:
    """The count, the choices and the saved places ``text`` says outside the values ``raw`` holds, for the parameters
    ``raw`` lacks. A template frames a request's thing; the words it ended the thing before may still count it, choose
    or say where it goes ("Barbie im Kino sehen, *drei Plätze*", "the way to the old harbour *on foot*",
    "民谣演唱会的门票*来三张*", "三根HDMI线*寄到公司*")."""
    taken, found = _taken(spec, raw, text), {}
    slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
    count = count_in(spec, text, lang, taken) if slot is not None and not raw.get(slot) else None
    if slot is not None and count is not None:
        found[slot] = str(count)
    free = text
    for start, end in taken:
        free = free[:start] + " " * (end - start) + free[end:]
    for choice in spec.choices:
        value = choice_value(spec, choice, free) if not raw.get(choice) else None
        if value:
            found[choice] = value
    for place in (k for k, kind in spec.slots.items() if kind == "place" and not raw.get(k)):  # "饺子*到家*"
        free = _saved_place_in(found, place, free, lang)
    return found


def _written_out(spec: IntentSpec, text: str, lang: str) -> str:
    """``text`` read the way an example frames most of it: as said, with its contractions written out ("fürs
    Jazzkonzert" → "für das Jazzkonzert"), and, where the request gets a thing or goes to a place, without the verbs
    that close it ("einen Bus für drei Tage *reservieren*": the examples end in "für {days} tage"). As said when no
    other reading frames more ("zum Hauptbahnhof" is what the examples say)."""
    counts, place = "count" in spec.slots.values(), "place" in spec.slots.values()
    cut = closed(text, lang, place=place and not counts, counts=counts) if counts or place else text
    best, chosen = _best_tail(spec, text, lang), text
    for other in dict.fromkeys((writing(lang).written_out(text), cut, writing(lang).written_out(cut))):
        found = _best_tail(spec, other, lang) if other != text else None
        if found is not None and (best is None or _frames(found) > _frames(best)):
            best, chosen = found, other
    return chosen


def _reads_more(spec: IntentSpec, apart: re.Match[str], chosen: dict[str, str], whole: re.Match[str] | None,
                text: str, lang: str) -> bool:
    """Does the reading with the choice words taken out fill more parameters than the one of the whole clause (which
    finds a choice said anywhere too), or as many with more of the example spelled out? A value that ends in the
    choice's words also says it was swallowed ("公司步行")."""
    if whole is None:
        return True
    filled = {k for k, v in whole.groupdict().items() if v and v.strip()}
    filled |= {k for k in spec.choices if choice_value(spec, k, text)}
    spaced = writing(lang).spaced
    ends = any(choice_value(spec, c, v.split()[-1] if spaced else v[-2:]) for k, v in whole.groupdict().items()
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
    for pattern, alone in _loose_patterns(spec, lang):
        match = pattern.search(text)
        if match and alone and _only_points_back(match, lang):  # "取消它": the thing another turn named, no event "它"
            continue
        if match and (best is None or (*_frames(match), _nearest(match)) > (*_frames(best), _nearest(best))):
            best = match
    return best


def _only_points_back(match: re.Match[str], lang: str) -> bool:
    """Is every value ``match`` reads only a word pointing back ("它", "这个": refer_back.toml)?"""
    values = [v for v in match.groupdict().values() if v and v.strip()]
    return bool(values) and all(refers_back(v, lang) for v in values)


def _nearest(match: re.Match[str]) -> int:
    """Where the first value of ``match`` begins: of readings that spell out as much, the one whose anchor stands
    nearest its value reads no other words into it ("订三个座位*看*星际穿越": the film is what is seen)."""
    return min((match.start(k) for k, v in match.groupdict().items() if v and v.strip()), default=-1)


def _frames(match: re.Match[str]) -> tuple[bool, int]:
    """How well a loose match reads its clause: whether it frames any value that names something ("tickets" alone at
    the end frames none, nor "买*五张*", a count), then how much of it the example spells out (a value made of the
    capability's own words, "for *the cinema*", is then dropped and asked, never traded for a longer guess: "want *to*
    buy tickets for the cinema"). A number alone names nothing either: "buy us *two* cinema tickets" after "watch
    Wicked" frames the count, "watch {film}" the film."""
    return any(v and v.strip() and not names_nothing(v) and not re.fullmatch(COUNT_WORDS, v.strip(), re.IGNORECASE)
               for v in match.groupdict().values()), literal_weight(match)


def _counted_thing(spec: IntentSpec, raw: dict[str, str], text: str, lang: str, framed: int | None,
                   paused: str | None = None) -> None:
    """The one required free-text parameter the examples did not frame, read as what a count and unit said count
    ("Hätte gern zwei Portionen Falafel", "把两根充电线…"), up to where the words the examples frame begin
    (``framed``: "… gebratene Nudeln *ins Büro*"), when it names something."""
    missing = [k for k in spec.required if spec.slots[k] == "text" and (k not in raw or names_nothing(raw[k], lang))]
    if len(missing) != 1 or "count" not in spec.slots.values():  # a to-do counts nothing (review R38)
        return
    own = count_units(spec, lang)
    mine = counts_said(text, lang, people=False, own=own)
    others = [c for c in counts_said(text, lang, people=False) if not any(m.start == c.start for m in mine)]
    party = [c for c in counts_said(text, lang) if c.party]  # "我们三个人": people, not a thing to get
    for said in (c for c in [*mine, *others] if c.unit and not any(p.start <= c.start < p.end for p in party)):
        end = framed if framed is not None and framed >= said.end else len(text)
        thing = text[said.end:end] if writing(lang).spaced else re.split(r"[，,；;]", text[said.end:end])[0]  # a pause
        thing = joined_off(gone_off(thing, lang), lang)
        if said.own and not said_as_thing(thing, own, lang):  # "for 4 days starting": days measure no thing
            continue
        thing = value_ended(generic_off(article_off(thing, lang), lang), lang, False, True)
        if thing and not names_nothing(thing, lang) and not refers_back(thing, lang):
            raw[missing[0]] = thing
            slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
            if slot is not None and (said.own or not own):
                raw.setdefault(slot, str(said.count))
            return
    if not _phrased_thing(spec, raw, missing[0], text, lang, framed, paused):
        _fronted_thing(spec, raw, missing[0], text, lang)


def _phrased_thing(spec: IntentSpec, raw: dict[str, str], slot: str, text: str, lang: str, framed: int | None,
                   paused: str | None) -> bool:
    """The thing said as a noun phrase after an article or a count, whatever verb (or none) said it and in whatever
    form ("*Eine* Pizza ins Büro, bitte", "Bestellt mir *eine* Pizza", "two pizzas to the office", "ich möchte *eine*
    Pizza in das Büro bestellen"), or in Chinese said first, before where it goes ("披萨送到办公室"): the words up to
    where the words the examples frame begin (``framed``), a saved place is named ("have a pizza delivered *home*") or
    a pause (``paused``: the clause as said), without the verbs that close the clause. A count of a unit or of what any
    ticket request gets counts a thing said elsewhere ("zwei Portionen Falafel", "two cinema tickets"), and where the
    request counts people (tickets) its film or event is never one counted, nor where it counts what no thing is
    ("{days} days": "zwei Transporter" are no days) but after an article. A phrase that runs over a count is none
    ("a compact car for 4 days starting"). Whether it found one."""
    if counts_people(spec):
        return False
    words, end = counting(lang), min(framed if framed is not None else len(text), _place_at(spec, raw, text, lang))
    if writing(lang).spaced:
        leads = re.finditer(rf"(?<![\w.:])(?:{COUNT_WORDS}|{alternatives(words.articles)})\s+(?=\w)", text[:end],
                            re.IGNORECASE)
        own = count_units(spec, lang)
        things = not own or bool(own & (words.units | words.generic))  # "{days} days" counts no thing
        said = [text[lead.end():end].strip() for lead in leads
                if things or lead.group().strip().casefold() in words.articles]
        said = [s for s in said if s and counted_noun(s.split()[0], words) is None
                and s.split()[0].casefold() not in own]
    else:
        goes = framed is not None and words.goes is not None and words.goes.match(text, framed)
        said = [lead_off(text[:end].strip(" ，,"), lang)] if goes else []
    for phrase in said:
        piece = one_piece(spec, as_said(phrase, paused) if paused else phrase, lang)
        thing = value_ended(generic_off(piece, lang), lang, False, True)
        if thing and not names_nothing(thing, lang) and not refers_back(thing, lang) and \
                not spelled_only(spec, thing, lang) and not _runs_over_count(spec, slot, thing, lang) and \
                not _says_how_it_is(thing, lang):
            raw[slot] = thing
            return True
    return False


def _says_how_it_is(words: str, lang: str) -> bool:
    """Do ``words`` hold a verb that says what a thing is or how it is (verb_words.toml ``copulas``: "Zahnbürste *ist*
    kaputt")? Then they say something about a thing, they name none to get."""
    said = set(load(VERB_WORDS).get("copulas", {}).get(lang, ()))
    return bool(said) and any(w.casefold() in said for w in words.split())


def _place_at(spec: IntentSpec, raw: dict[str, str], text: str, lang: str) -> int:
    """Where ``text`` first names a saved place a place parameter ``raw`` lacks will be read from, or its end."""
    if not writing(lang).spaced or not any(k not in raw for k, kind in spec.slots.items() if kind == "place"):
        return len(text)
    edge = writing(lang).edge
    names = alternatives(w for words in PLACE_ALIASES.values() for w in words)
    found = re.search(f"{edge[0]}(?:{names}){edge[1]}", text, re.IGNORECASE)
    return found.start() if found else len(text)


def _pointed_at(spec: IntentSpec, raw: dict[str, str], paused: str, lang: str) -> None:
    """The thing a request after a pause points back at ("I fancy a burrito, could you have *one* brought …", "我想要
    一个新的手机壳，帮我买一个"): where the one required free-text parameter is missing or only points back and the
    last piece says a word that points back, the thing said after a count or an article in a piece before it."""
    slots = [k for k in spec.required if spec.slots[k] == "text"]
    pieces = [p for p in re.split(r"[,;，；]", paused) if p.strip()]
    if len(slots) != 1 or len(pieces) < 2 or not _points_back(pieces[-1], lang):
        return
    if raw.get(slots[0]) and not (refers_back(raw[slots[0]], lang) or names_nothing(raw[slots[0]], lang)):
        return
    for piece in pieces[:-1]:
        found: dict[str, str] = {}
        _counted_thing(spec, found, piece.strip(), lang, None)
        thing = found.get(slots[0]) or _after_article(piece, lang)
        if thing and not (names_nothing(thing, lang) or refers_back(thing, lang) or spelled_only(spec, thing, lang)):
            raw[slots[0]] = thing
            return


def _points_back(piece: str, lang: str) -> bool:
    """Does ``piece`` say a word that only points back ("one", "eine", "一个")?"""
    words = pointers().get(lang, frozenset())
    if not writing(lang).spaced:
        return any(w in piece for w in words)
    return any(fold(w) in words for w in piece.split())


def _after_article(piece: str, lang: str) -> str:
    """The words after the last article of ``piece`` ("I fancy *a* burrito" → "burrito"), or ""."""
    said = piece.split()
    at = max((i for i, w in enumerate(said) if w.casefold() in counting(lang).articles), default=None)
    return " ".join(said[at + 1:]) if at is not None else ""


def _fronted_thing(spec: IntentSpec, raw: dict[str, str], slot: str, text: str, lang: str) -> None:
    """The thing said first, before who asks and the count that ends the clause ("沙丘我要两张票", "Dune brauchen wir
    drei Karten"): the words before the subject, when a subject stands there and they name something."""
    said = counts_said(text, lang, people=False, own=count_units(spec, lang))
    last = max(said, key=lambda c: c.end, default=None)
    if last is None or not names_nothing(text[last.start:], lang):
        return
    before = text[:last.start].strip(" ,，")
    if re.search(r"[，,；;]", before):  # "话剧茶馆，来三张票": the one piece naming something, said first
        piece = one_piece(spec, before, lang, alone=True)
        first = value_ended(re.sub(trailing(lang), "", piece, flags=re.I), lang, False, True) \
            if before.startswith(piece) and piece != before else None
        if first and not refers_back(first, lang) and not spelled_only(spec, first, lang):  # no "一起看场电影吧"
            raw[slot] = first
        return
    thing = _modal_off(_lead_off(without_subject(before, lang), before, lang), lang)
    if thing != before and thing and not names_nothing(thing, lang) and not refers_back(thing, lang) and \
            not _says_who_asks(thing, lang):
        raw[slot] = thing


def _attended(spec: IntentSpec, raw: dict[str, str], paused: str, lang: str) -> None:
    """The show a ticket request names before the verb of going to see it said last in a piece of the sentence
    (verb_words.toml ``attending_last``: "Ich will Wicked *sehen*, 3 Tickets bitte"): the words in capitals or digits
    right before it, for the one required free-text parameter no reader filled."""
    verbs = set(load(VERB_WORDS).get("attending_last", {}).get(lang, ()))
    missing = [k for k in spec.required if spec.slots[k] == "text" and not raw.get(k)]
    if not verbs or len(missing) != 1 or not counts_people(spec):
        return
    for piece in re.split(r"[,;:]", paused):
        words = piece.split()
        if len(words) < 2 or words[-1].casefold() not in verbs:
            continue
        first = len(words) - 1
        while first > 0 and (words[first - 1][:1].isupper() or words[first - 1][:1].isdigit()):
            first -= 1
        show = " ".join(words[first:-1])
        if show and not names_nothing(show, lang) and not spelled_only(spec, show, lang):
            raw[missing[0]] = show
            return


def _modal_off(thing: str, lang: str) -> str:
    """``thing`` without a modal verb at its end (verb_words.toml ``modals``: "沙丘能" → "沙丘"); "" when the words
    before it say who is asked (``asked``: "谁能")."""
    words = load(VERB_WORDS)
    modal = next((m for m in sorted(words.get("modals", {}).get(lang, ()), key=len, reverse=True)
                  if thing.endswith(m)), "")
    rest = thing[:len(thing) - len(modal)].strip()
    return thing if not modal else "" if not rest or rest in words.get("asked", {}).get(lang, ()) else rest


def _lead_off(thing: str, before: str, lang: str) -> str:
    """``thing`` (``before`` without who asks at its end) ended where a polite opening begins inside ``before`` ("瑜伽垫
    *帮我*下单一个": the mat, not "瑜伽垫帮"; ``intents.LEADS``), where words are not spaced."""
    if writing(lang).spaced or not LEADS.get(lang):
        return thing
    at = next((m.start() for m in re.finditer(LEADS[lang], before) if m.start() > 0 and m.end() > m.start()), None)
    return before[:at].strip() if at is not None and at < len(thing) else thing


def _says_who_asks(words: str, lang: str) -> bool:
    """Do the words fronted before a subject say who asks and whom the request is for, no thing: they end in a word
    joining someone to them (measure_words.toml ``together``: "给我和我老婆订两张票" fronts "给我和", or "和" once the
    lead "给我" is off)? A title that holds a subject is still a title ("我不是药神我要两张票", review RR-3)."""
    together = tuple(load(MEASURE_WORDS).get("together", {}).get(lang, ()))
    said = words.strip(" ,，").casefold()
    return said.endswith(together) and (not writing(lang).spaced or said.split()[-1] in together)


def grounded(spec: IntentSpec, slot: str, value: object, text: str) -> bool:
    """Whether a proposed value was said in ``text``: a span, a count said, a saved place named, a choice's
    words. Times are grounded by the date/time reader, never by a model. A counted request's text that runs on over
    its count is no value ("Sieben Laternen brauche ich vier Kinokarten"), nor a text made only of the words the
    capability's examples spell themselves ("cancel *my food order*": no order number; "tickets for *the cinema*": no
    film), which a loose reading drops too (``ended``)."""
    kind = spec.slots.get(slot)
    said = str(value).strip()
    if not said or kind is None:
        return False
    if kind == "count":
        return parse_count(said) is not None and parse_count(said) == count_in(spec, text, detect_language(text))
    if kind == "choice":
        return choice_value(spec, slot, text) == said
    if kind == "place" and said in PLACE_ALIASES:
        return any(says_word(text, w, "") for w in PLACE_ALIASES[said])
    lang = detect_language(text)
    if slot in spec.own and (code_in(said, lang) != said or said not in codes(text, lang)):  # no "my food order"
        return False
    return bool(fold(said)) and fold(said) in fold(text) and bounded(said, lang) == said and not _runs_over_count(
        spec, slot, said, lang) and not _runs_over_pause(spec, slot, said, text, lang) and not (
        kind == "text" and spelled_only(spec, said, lang))  # "my food order", "the cinema": the capability's words


def _runs_over_pause(spec: IntentSpec, slot: str, value: str, text: str, lang: str) -> bool:
    """Does a counted request's thing run over a pause of ``text`` into words that name nothing ("rental van, I need
    it", "Oppenheimer, wenn möglich")? A loose reading ends it there (``ended``); a model's such value is not grounded,
    and asked. (A place may go on after a pause: "Friedrichstraße 12, Berlin".)"""
    if spec.slots.get(slot) != "text" or "count" not in spec.slots.values():
        return False
    as_in = _span_of(value, text)
    return one_piece(spec, as_in, lang) != as_in


def _span_of(value: str, text: str) -> str:
    """``value`` as ``text`` says it, with the pauses and spaces a model left out or changed between its letters
    ("Oppenheimer wenn möglich" → "Oppenheimer, wenn möglich", "奥本海默如果可以" → "奥本海默，如果可以"); as it is
    when ``text`` does not spell it so."""
    letters = [re.escape(c) for c in value if c.isalnum()]
    found = re.search(r"[\W_]*".join(letters), text, re.IGNORECASE) if letters else None
    return found.group() if found else value


def _runs_over_count(spec: IntentSpec, slot: str, value: str, lang: str) -> bool:
    """Does a counted request's free-text ``value`` run on over the count said after it ("Sieben Laternen brauche ich
    vier Kinokarten")? Such a value holds other words than the thing: not grounded, asked."""
    if spec.slots.get(slot) != "text" or "count" not in spec.slots.values():
        return False
    return any(c.start > 0 for c in counts_said(value, lang, people=counts_people(spec), own=count_units(spec, lang)))
