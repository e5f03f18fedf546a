"""Where a value ends: ``ended`` ends a template's or a loose reading's values where the next step of the request
begins and before the words that close their clause (``tandem.agent.closing``: "Büro *liefern*", "office *please*"),
keeps a thing apart from its count, its price, its venue and the words that call it off, and gives back what a
capability's own words framed ("tickets *for*"); ``dictated`` capabilities (a note's text) keep their words. Also
the pieces of a sentence a value is checked against: order codes (``code_in``), saved places (``saved_places``) and
the example parts without their times and marks (``timeless``, ``unmarked``). Split out of ``tandem.agent.ground``
(which reads values loosely and checks them: ``loose_slots``, ``grounded``) and read from there too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cache

from tandem.agent.apart import (
    apart,
    article_off,
    as_said,
    one_piece,
    spelled_only,
)
from tandem.agent.besides import besides, month_only
from tandem.agent.closing import closed, named_off
from tandem.agent.counts import (
    counting,
    counts_people,
    names_nothing,
    vague_at,
)
from tandem.agent.intents import PLACE_ALIASES, IntentSpec, follows, place_key
from tandem.agent.priced import asks_price, priced_off, priced_thing, unasked, unpriced
from tandem.agent.skills import fold
from tandem.agent.slots import dated, detect_language
from tandem.agent.steps import bounded, refers_back
from tandem.agent.templates import COUNT_WORDS, Part, parse_example, said_before
from tandem.agent.words import CLAUSE_WORDS, CLOSING_WORDS, MEASURE_WORDS, VERB_WORDS, alternatives, load
from tandem.agent.writing import PAUSED, PAUSES, segmenter, writing

__all__ = ["called_off", "code_in", "codes", "dictated", "ended", "priced_in", "saved_places", "says_word", "timeless",
           "unmarked", "value_ended", "venue_apart"]


def unmarked(parts: tuple[Part, ...], marks: tuple[str, ...]) -> tuple[Part, ...]:
    """``parts`` without the marks a title is written between ("我想看《{film}》" also reads "我想看沙丘")."""
    if not marks:
        return parts
    return tuple(Part("text", re.sub("|".join(map(re.escape, marks)), "", part.text)) if part.kind == "text" else
                 Part("choice", options=tuple(unmarked(o, marks) for o in part.options), optional=part.optional)
                 if part.kind == "choice" else part for part in parts)


def timeless(parts: tuple[Part, ...], spec: IntentSpec, top: bool = True) -> tuple[Part, ...]:
    """``parts`` without the parameters of kind "when": a loosely read clause has its time words cut out already, so
    there they frame nothing ("rent a {vehicle} {pickup} for {days} days" reads "rent a van for three days")."""
    kept: list[Part] = []
    for part in parts:
        if part.kind == "slot" and spec.slots.get(part.text) == "when":
            continue
        if part.kind == "choice":
            part = Part("choice", options=tuple(timeless(o, spec, top=False) for o in part.options),
                        optional=part.optional)
        if part.kind == "text" and kept and kept[-1].kind == "text":
            part = Part("text", re.sub(" +", " ", kept.pop().text + part.text))
        kept.append(part)
    if top and kept and kept[-1].kind == "text" and not kept[-1].text.strip():
        kept.pop()
    elif top and kept and kept[-1].kind == "text":  # "… {days} days {pickup}": the example ends after "days"
        kept[-1] = Part("text", kept[-1].text.rstrip())
    return tuple(kept)


_BEFORE: dict[tuple[int, str, str], tuple[IntentSpec, frozenset[str]]] = {}  # kept with their spec


def _said_before(spec: IntentSpec, slot: str, lang: str) -> frozenset[str]:
    """The words (lower case, their last ones) an example of ``spec`` says right before ``slot``."""
    known = _BEFORE.get((id(spec), lang, slot))
    if known is None or known[0] is not spec:
        said = frozenset(b.strip().casefold() for e in spec.examples.get(lang, ())
                         for b in said_before(unmarked(timeless(parse_example(e), spec), writing(lang).marks), slot))
        known = _BEFORE[(id(spec), lang, slot)] = (spec, said - {""})
    return known[1]


def _own_words_off(spec: IntentSpec, slot: str, value: str, lang: str) -> str:
    """``value`` without the words at its start that an example of ``spec`` says right before ``slot`` (their end:
    "[在日历上](添加|加){title}" read by another example's "日历{title}" as "*上添加*季度总结会"; "(want|'d like) to
    (see|watch) {event}" by "to {event}" as "*see* Hamilton"), when what is left names something: the example says
    them around the value, not in it. Where words are spaced, whole words in lower case (a title opens in capitals:
    "Watch Dogs"), not articles alone; else two characters or more ("加" alone may open a name)."""
    befores = _said_before(spec, slot, lang)
    if writing(lang).spaced:
        words = value.split()
        heads = [" ".join(words[:n]) for n in range(min(len(words) - 1, 4), 0, -1)]
        articles = counting(lang).articles  # an article alone stays (the bench compares without one)
        cut = next((h for h in heads if h.islower() and any(f" {b}".endswith(f" {h}") for b in befores)
                    and not set(h.casefold().split()) <= articles), "")
    else:
        cut = next((value[:n] for n in range(min(len(value) - 1, 8), 1, -1)
                    if any(b.endswith(value[:n]) for b in befores)), "")
    rest = value[len(cut):].strip()
    rest = (_one_of(rest, lang) or rest) if cut else rest  # "加个和房东通电话": 和房东通电话
    return rest if cut and rest and not names_nothing(rest, lang) else value


_CODE = re.compile(r"(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}[A-Za-z0-9](?![A-Za-z0-9-])")


def code_in(text: str, lang: str | None = None) -> str:
    """The first order number ``text`` says: a word of four or more Latin letters, digits and hyphens with a digit
    ("FD-4EAD253413", "cin-504fed8651", "4711"), in any script around it ("订单SH-0F79B30A62的状态"), that is no time
    (``dated``: "the order from 2025", "12.03.2025"); "" when none. A parameter the user's own orders hold
    (``IntentSpec.own``) takes only such a number: the words around it ("please", "I placed earlier") name no order,
    and without one the task takes the user's own order."""
    return next(iter(codes(text, lang or detect_language(text))), "")


def codes(text: str, lang: str) -> list[str]:
    return [m.group() for m in _CODE.finditer(text) if not dated(text, m.start(), m.end(), lang)]


def saved_places(spec: IntentSpec, raw: dict[str, str], text: str) -> dict[str, str]:
    """``raw`` with each place value that is the end of a saved place's name ``text`` says whole read as that name
    ("to *my place*": an example's "[the|my] {place}" left "place", no saved place; it is home)."""
    out = dict(raw)
    for key, value in raw.items():
        if spec.slots.get(key) != "place" or not value or place_key(value) in PLACE_ALIASES:
            continue
        said = next((name for names in PLACE_ALIASES.values() for name in names
                     if name.endswith(" " + value.strip().casefold()) and says_word(text, name, "")), None)
        out[key] = said or value
    return out


def says_word(text: str, words: str, lang: str) -> bool:
    if not writing(lang).spaced or re.search(r"[\u4e00-\u9fff]", words):  # a word written without spaces
        return words in text
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


def _asked_off(value: str, paused: str | None, lang: str) -> str:
    """``value`` up to the pause after which it (as ``paused`` says it, when its pauses were read out) asks about it
    (closing_words.toml ``questions``: "wifi router, what did it say" → "wifi router"); as it is when no question
    follows a pause in it."""
    said = as_said(value, paused) if paused else value
    asks = tuple(load(CLOSING_WORDS).get("questions", {}).get(lang, ()))
    for pause in re.finditer(PAUSED, said):
        after = said[pause.end():]
        first = after.split()[0].casefold() if writing(lang).spaced and after.split() else ""
        if (first in asks if writing(lang).spaced else any(q in after for q in asks)) and said[:pause.start()]:
            return said[:pause.start()]
    return value


def dictated(spec: IntentSpec) -> bool:
    """Does ``spec`` keep what it is told as said (a note): it takes no time, count or place, and looks nothing up (a
    list its manifest's ``items`` show, the user's ``own`` order)? Its values then keep the times said in them
    ("passport expires 2031-05-02", review R17-4), as no parameter takes them instead."""
    return not ({"when", "count", "place"} & set(spec.slots.values()) or spec.listed or spec.own)


def ended(spec: IntentSpec, raw: dict[str, str], lang: str, paused: str | None = None) -> dict[str, str | None]:
    """``raw``'s text and place values each ``bounded`` (None: it runs into a step of its own) and ``closed``, the
    others as they are. Where ``spec`` counts what it gets, a text value is also kept apart from a count said in it
    ("Sieben Laternen brauche ich vier Karten", "两碗牛肉面"), which becomes the count when none was read. A value that
    swallowed a choice's words with others is None too (``_swallows``). ``paused``: the clause as said, when the
    values were read without its pauses: every value keeps them as said, trimmed at its ends ("note: buy milk, eggs,
    bread"), and a place or a counted thing ends at one (``one_piece``: "ins Büro, aber schnell")."""
    counts = "count" in spec.slots.values()
    back = {k for k, v in raw.items() if v and counts and spec.slots.get(k) == "text" and not dictated(spec) and (
        _gives_back(spec, v, lang) or _said_none(v, lang))}  # a purchase's "退掉…", "bloß keine Pizza": no thing
    out = _counted_apart(spec, _values_ended(spec, _framing_off(spec, raw, lang, paused), lang, paused), lang)
    return {k: None if k in back else v for k, v in out.items()}


def _framing_off(spec: IntentSpec, raw: dict[str, str], lang: str, paused: str | None) -> dict[str, str]:
    """``raw``'s text values without the words around the thing that frame the request, not the thing: what is
    removed ("Telefonat mit Priya *fällt aus*"), an example's verb ("to *see* Moana 2"), a title's article taken by an
    example's "[the]", what tickets are for, what follows, how it is sent, a price limit, a list's question."""
    raw = {k: _off_cut(v, lang) if v and spec.removes and spec.slots.get(k) == "text" and not dictated(spec) else v
           for k, v in raw.items()}  # removing "Telefonat mit Priya *fällt aus, bitte entfernen*"
    raw = {k: _framed_off(spec, k, v, lang) if v and spec.slots.get(k) == "text" and not dictated(spec) else v
           for k, v in raw.items()}  # "to *see* Moana 2": the example's "(see|watch) {film}"; "Preise für X"
    if paused and writing(lang).spaced:  # "tickets to *The* Mousetrap": an example's "[the]" took the title's own
        raw = {k: _title_article(v, paused, lang) if v and spec.slots.get(k) == "text" else v for k, v in raw.items()}
    if counts_people(spec):  # "to *see* Hamilton", "to *catch* Past Lives": what the tickets are for follows
        raw = {k: _attending_off(v, lang) if v and spec.slots.get(k) == "text" else v for k, v in raw.items()}
    raw = _followed(spec, raw, lang)
    raw = _unpriced(spec, _sent_off(spec, raw, lang), lang)  # "butter chicken *delivered home*", "*under 20 euros*"
    if spec.listed:  # a list looked up ("the wifi router, what did it say?"): what is looked up ends at its question
        raw = {k: _asked_off(v, paused, lang) if spec.slots.get(k) == "text" else v for k, v in raw.items()}
    return raw


def _values_ended(spec: IntentSpec, raw: dict[str, str], lang: str, paused: str | None) -> dict[str, str | None]:
    """``raw``'s text and place values as said (``paused``), each ended where the thing ends: a name said, a verb
    completed, a vague or headed word, what is besides it, a price asked, a month alone, a venue apart."""
    counts = "count" in spec.slots.values()
    said = {k: as_said(v, paused) if paused and v else v for k, v in raw.items()}
    looked = {k: _looked_up(v, lang) if spec.listed and not counts and v and spec.slots.get(k) == "text" else (v, True)
              for k, v in said.items()}  # "Notizen über Auto waschen": the topic's own verb
    out = {k: value_ended(looked[k][0], lang, spec.slots[k] == "place", counts or (spec.listed and looked[k][1]))
           if spec.slots.get(k) in ("text", "place") else v for k, v in raw.items()}
    out = {k: named_off(v, lang, counts) if v and spec.slots.get(k) == "text" else v  # "called X", "that X"
           for k, v in out.items()}
    out = {k: None if v and spec.slots.get(k) in ("text", "place") and _completes_a_verb(v, lang) else v
           for k, v in out.items()}  # "取消*了*，日程里删掉": no event
    out = {k: _vague_off(_headed_off(v, lang), lang) if v and spec.slots.get(k) == "text" and not dictated(spec)
           else v for k, v in out.items()}  # "ein paar Saugroboter": the robots; "日历里加一下：读书会": 读书会
    out = {k: besides(spec, v, lang) if v and spec.slots.get(k) == "text" and not dictated(spec) else v
           for k, v in out.items()}  # "现在充电钻", "phone cases from the shop", "流浪地球2还有票吗"
    out = {k: unasked(v, lang) if v and spec.slots.get(k) == "text" and _looks_up_prices(spec, lang) else v
           for k, v in out.items()}  # "how much do headphones cost *in the shop*": once the shop is cut, "cost" ends it
    out = {k: "" if v and spec.slots.get(k) in ("text", "place") and not dictated(spec) and month_only(v, lang) and (
        not month_only(v, lang, bare=True) or _thing_before(spec, out, k))
           else v for k, v in out.items()}  # "Kebekus im Dezember": no venue; "Karten für August im Delphi": the film
    return venue_apart(spec, out, lang)  # "国家大剧院的胡桃夹子芭蕾舞": where it is on, and what


def _counted_apart(spec: IntentSpec, out: dict[str, str | None], lang: str) -> dict[str, str | None]:
    """``out`` with a count said in a counted thing kept apart from it (and the count when none was read), a place
    closed, an own order's number alone, and a value that swallowed a choice's words or names only the capability's
    own words emptied."""
    out = dict(out)
    slot = next((k for k, kind in spec.slots.items() if kind == "count"), None)
    for key, value in list(out.items()):
        if slot is not None and value and spec.slots.get(key) == "text" and _only_people(value, lang):
            out[key] = None  # "Bring *mich* nach Hause": who is brought, no thing to order (review R17-8)
        elif slot is not None and value and spec.slots.get(key) == "text":
            out[key], count = apart(spec, value, lang)
            thing = _one_of(out[key] or "", lang)  # "点个汉堡": one burger
            if thing:
                out[key], count = thing, count or 1
            if count is not None and not out.get(slot):
                out[slot] = str(count)
        elif value and spec.slots.get(key) == "place":
            out[key] = closed(one_piece(spec, value, lang), lang, place=True)  # "Hause bitte, wie komm ich hin"
    for key, value in list(out.items()):
        if key in spec.own and value:  # "FD-4EAD253413 please": the number; "pls": none (the user's own order)
            out[key] = code_in(value, lang) or ""
    for key, value in list(out.items()):
        if value and _swallows(spec, key, value, lang):
            out[key] = None
        elif value and spec.slots.get(key) == "text" and not names_nothing(value, lang) and \
                spelled_only(spec, value, lang):  # (a count alone stays, for a later clause to join the one before)
            out[key] = ""  # "tickets for the cinema": the capability's own words name no film; asked
    return out


def _sent_off(spec: IntentSpec, raw: dict[str, str], lang: str) -> dict[str, str]:
    """``raw`` with each thing ``spec`` brings to the user (it counts what it gets and takes a place) without the words
    after it that say how it is sent and where (closing_words.toml ``sent``: "butter chicken *delivered home*", "a
    screen protector *and ship it home*", "a tikka masala *for delivery*"); a thing they open stays as it is."""
    words = load(CLOSING_WORDS).get("sent", {}).get(lang)
    if not words or not {"count", "place"} <= set(spec.slots.values()):
        return raw
    sent = re.compile(rf"(?<=\S)\s+(?:{alternatives(words)})(?![\w-])", re.IGNORECASE)
    found = {k: sent.search(v) if v and spec.slots.get(k) == "text" else None for k, v in raw.items()}
    return {k: v[:f.start()].rstrip(" ," + PAUSES) if (f := found[k]) else v for k, v in raw.items()}


def _unpriced(spec: IntentSpec, raw: dict[str, str], lang: str) -> dict[str, str]:
    """``raw`` with each thing ``spec`` looks up (its examples ask prices; it commits nothing) without the bound said on
    its price (``priced.unpriced``: "a phone case *under 20 euros*"). A purchase keeps it (review30 R30-11: "order a
    pizza under 5 euros" put a 12.70 EUR pizza on the card, the bound used nowhere): nothing is found; it is asked."""
    if not _looks_up_prices(spec, lang):
        return raw
    return {k: unpriced(v, lang) if v and spec.slots.get(k) == "text" else v for k, v in raw.items()}


def _looks_up_prices(spec: IntentSpec, lang: str) -> bool:
    """Does ``spec`` look things up and ask their prices (its examples do), committing nothing?"""
    return not spec.transactional and asks_price(spec, lang)


@cache
def _off(lang: str) -> re.Pattern[str] | None:
    """The words that say a thing will not take place (verb_words.toml ``off``), as a pattern, or None."""
    words, edge = load(VERB_WORDS).get("off", {}).get(lang), writing(lang).edge
    return re.compile(f"{edge[0]}(?:{alternatives(words)}){edge[1]}", re.IGNORECASE) if words else None


def called_off(spec: IntentSpec, raw: dict[str, str], text: str, paused: str | None, lang: str) -> None:
    """The thing a piece of the sentence says will not take place, said first in it ("*Das Telefonat mit Priya* fällt
    aus, bitte entfernen", "*the board review* is off, delete it", "*董事会*取消了"; verb_words.toml ``off``), for the
    one free-text parameter of a capability that removes it (``IntentSpec.removes``; a reminder "to tell Anna the trip
    is off" keeps all its words: reread24 H1), when no reader filled it, or filled it with words of that thing only
    ("mit *Priya*") or with words that point back ("delete *it*")."""
    texts = [k for k, kind in spec.slots.items() if kind == "text" and k not in spec.own]  # no order's number
    off = _off(lang)
    found = off.search(text) if off is not None and spec.removes and len(texts) == 1 and not dictated(spec) else None
    if found is None or not re.fullmatch(f"[\\s{PAUSES}。.!！]?", text[found.end():][:1]):
        return
    before = text[:found.start()].strip()
    piece = re.split(f"[{PAUSES}]", as_said(before, paused) if paused else before)[-1].strip()
    thing = _own_words_off(spec, texts[0], _owner_off(article_off(piece, lang), lang), lang)
    now = raw.get(texts[0], "")
    if thing and not names_nothing(thing, lang) and not refers_back(thing, lang) and \
            not spelled_only(spec, thing, lang) and (not now or refers_back(now, lang) or now in thing):
        raw[texts[0]] = thing


def _framed_off(spec: IntentSpec, slot: str, value: str, lang: str) -> str:
    """``value`` without the words an example of ``spec`` says right before ``slot`` (``_own_words_off``) and, where
    ``spec`` asks prices, the words that ask one ("Preise für Bluetooth-Lautsprecher", "铸铁锅的价钱"; ``priced_off``).
    """
    value = _own_words_off(spec, slot, value, lang)
    return priced_off(value, lang) if asks_price(spec, lang) else value


def _thing_before(spec: IntentSpec, values: Mapping[str, object], key: str) -> bool:
    """Whether a text parameter the capability declares before ``key`` (the thing: a film before its cinema, an event
    before its venue) holds a value: then a month's bare name in ``key`` is when, not where ("Kebekus im Dezember"); in
    the thing itself it is a title ("zwei Karten für August im Delphi": reread25 L1b)."""
    order = list(spec.slots)
    return key in order and any(values.get(j) and spec.slots[j] == "text" for j in order[:order.index(key)])


def _gives_back(spec: IntentSpec, value: str, lang: str) -> bool:
    """Does ``value`` open with a verb that gives back what was bought (verb_words.toml ``gives_back``: "*退掉*"), one
    ``spec``'s own examples never say? Then it read a request to give a thing back, no thing. Where words are spaced
    only a word in lower case ("Return to Seoul" is a title) that acts on what follows ("return *the* seats"; "return
    of the king" is a title: review25 R25-6); in Chinese the segmenter's first word."""
    verbs = load(VERB_WORDS).get("gives_back", {}).get(lang, ())
    if not verbs or not value.strip():
        return False
    words = value.split() if writing(lang).spaced else segmenter().lcut(value.strip())
    first = words[0]
    if first not in verbs:
        return False
    if writing(lang).spaced and not (len(words) > 1 and _names_next(words[1], lang)):  # "return of the king": a title
        return False
    return not any(first in e.casefold() for e in spec.examples.get(lang, ()))


def _names_next(word: str, lang: str) -> bool:
    """Does ``word`` open what a verb acts on: an article, a word of whose it is or a count ("return *the* seats",
    "refund *my* tickets", "storniere *die* Karten", "return *two* tickets")?"""
    said = word.casefold()
    owners = load(MEASURE_WORDS).get("owners", {}).get(lang, ())
    return said in counting(lang).articles or said in owners or re.fullmatch(COUNT_WORDS, said) is not None


def _said_none(value: str, lang: str) -> bool:
    """Does ``value`` open by saying that not one of its thing is wanted, a word that stresses it first
    (measure_words.toml ``none``: "*bloß keine* Pizza", "*ja keinen* Toaster"; not "keine zeit zu sterben", "a pizza,
    no onions")?"""
    table = load(MEASURE_WORDS).get("none", {}).get(lang)
    words = value.lower().split()  # lower, not casefold: "bloß" stays "bloß"
    return bool(table) and len(words) > 2 and words[0] in table["particles"] and words[1] in table["words"]


def priced_in(spec: IntentSpec, raw: dict[str, str], text: str, lang: str) -> None:
    """The thing ``text`` asks the price of ("price check on an electric toothbrush", "水杯什么价"; ``priced_thing``),
    for the one required free-text parameter no reader filled, of a capability whose examples ask prices."""
    missing = [k for k in spec.required if spec.slots[k] == "text" and not raw.get(k)]
    thing = priced_thing(spec, text, lang) if len(missing) == 1 else ""
    thing = value_ended(thing, lang, False, True) or "" if thing else ""  # "Playstation 5 *nachschauen*"
    if thing and not names_nothing(thing, lang) and not spelled_only(spec, thing, lang):
        raw[missing[0]] = thing


def _owner_off(thing: str, lang: str) -> str:
    """``thing`` without the word that says whose it is at its start ("*my* meeting", "*我的*会议"; measure_words.toml
    ``owners``), when something is left."""
    owner = next((w for w in load(MEASURE_WORDS).get("owners", {}).get(lang, ())
                  if thing.casefold().startswith(w + writing(lang).gap) and len(thing) > len(w) + 1), "")
    return thing[len(owner):].strip() if owner else thing


def _off_cut(value: str, lang: str) -> str:
    """``value`` before the words that say its thing will not take place (verb_words.toml ``off``: "Priya *fällt aus*,
    bitte entfernen" → "Priya"), when words are left before them."""
    off = _off(lang)
    found = off.search(value) if off is not None else None
    return value[:found.start()].rstrip(" ,，") if found and value[:found.start()].strip(" ,，") else value


def venue_apart(spec: IntentSpec, out: dict[str, str | None], lang: str) -> dict[str, str | None]:
    """``out`` with a place a free-text value opens with, joined to the thing after it ("*国家大剧院的*胡桃夹子芭蕾舞";
    clause_words.toml ``venues``), as the value of ``spec``'s parameter whose samples name such a places ("体育馆"),
    when it has one no value fills; the thing stays."""
    table = load(CLAUSE_WORDS).get("venues", {}).get(lang)
    if not table:
        return out
    ends = tuple(table["words"])
    venue = next((k for k, kind in spec.slots.items() if kind == "text" and not out.get(k)
                  and any(s.endswith(ends) for s in spec.samples.get(k, ()))), None)
    said = re.compile(f"(.+?(?:{alternatives(ends)}))(?:{alternatives(table['joins'])})(.+)")
    for key, value in out.items() if venue is not None else ():
        found = said.fullmatch(value or "") if key != venue and spec.slots.get(key) == "text" else None
        if found and not names_nothing(found.group(2), lang):
            return {**out, key: found.group(2), venue: found.group(1)}  # type: ignore[dict-item]
    return out


def _followed(spec: IntentSpec, raw: dict[str, str], lang: str) -> dict[str, str]:
    """``raw`` with a free-text value that runs over the words an example says after it before another free-text
    parameter ``raw`` lacks ("{film} [(im|in der|in) {cinema}]": "Barbie im Delphi") ended there, and the rest that
    parameter's: the partner's examples say how its parameters follow each other, whichever example read the clause.
    Not where that rest opens in lower case, as a title goes on ("Zurück in die Zukunft", "Der Junge im gestreiften
    Pyjama"); a name opens in capitals. Where words are spaced; a place has readers of its own (``saved_places``)."""
    if not writing(lang).spaced:
        return raw
    out = dict(raw)
    for slot, anchors, other in follows(spec, lang):
        value = out.get(slot) or ""
        if out.get(other) or spec.slots.get(slot) != "text" or spec.slots.get(other) != "text":
            continue
        found = re.search(rf"(?<=\S)\s+(?:{alternatives(anchors)})\s+(?=\S)", value, re.IGNORECASE)
        if found and not value[found.end():][:1].islower():  # "Zurück in *die* Zukunft" is a title (review R21-1)
            out[slot], out[other] = value[:found.start()], value[found.end():]
    return out


def _title_article(value: str, paused: str, lang: str) -> str:
    """``value`` with the article ``paused`` says right before it in capitals inside the sentence ("tickets to *The*
    Mousetrap", "ein Ticket für *Die* Zauberflöte"): a title's own, which an example's optional article read as its
    own. As it is at the sentence's start, in lower case or before a value in lower case."""
    if not value[:1].isupper():
        return value
    found = re.search(rf"(?<=\S )(\w+) {re.escape(value)}", paused)
    said = found.group(1) if found else ""
    return f"{said} {value}" if said[:1].isupper() and said.casefold() in counting(lang).articles else value


def _attending_off(value: str, lang: str) -> str:
    """``value`` without a verb of going to see or hear a show in lower case at its start (verb_words.toml
    ``attending``: "see Hamilton" → "Hamilton"), when what is left names something."""
    verbs = sorted(load(VERB_WORDS).get("attending", {}).get(lang, ()), key=len, reverse=True)
    said = next((v for v in verbs if value.startswith(v + " ")), None)
    rest = value[len(said):].strip() if said else ""
    return rest if rest and not names_nothing(rest, lang) else value


def _completes_a_verb(value: str, lang: str) -> bool:
    """Does ``value`` open with a word said right after a verb for its aspect or result (verb_words.toml
    ``complements``: "*了*，日程里删掉", "*掉*")? Then it is the rest of the verb's clause, no value."""
    said = load(VERB_WORDS).get("complements", {}).get(lang, ())
    first = value.split(maxsplit=1)[0].casefold() if writing(lang).spaced else value
    return any(first == w if writing(lang).spaced else first.startswith(w) for w in said)


def _headed_off(value: str, lang: str) -> str:
    """``value`` after the last colon in it that ends a heading or a command ("日历里加一下：读书会" → "读书会", "neuer
    Termin: Elternabend"): what a colon introduces is the value; a colon between digits is a time's ("9:40"). As it is
    when nothing that names something follows. A note keeps its colons (``dictated``: "Rezept: 500 g Mehl")."""
    heads = list(re.finditer(r"(?<!\d)\s*[:：]\s*|\s*[:：]\s*(?!\d)", value))
    rest = value[heads[-1].end():].strip() if heads else ""
    return rest if rest and not names_nothing(rest, lang) else value


def _vague_off(value: str, lang: str) -> str:
    """``value`` without the words at its start that say "a few" without a number (``counts.vague_at``: "ein paar
    Saugroboter" → "Saugroboter"; in Chinese with the measure word after them: "几个电池" → "电池"), when a thing is
    left; a to-do or a note keeps them (``dictated``)."""
    said = next((end for start, end in vague_at(value, lang, capitals=False) if start == 0), 0)
    rest = value[said:].strip()
    if said and not writing(lang).spaced:
        rest = rest[1:] if rest[:1] in load(MEASURE_WORDS).get("classifiers", {}).get(lang, ()) else rest
    return rest if said and rest and not names_nothing(rest, lang) else value


def _one_of(value: str, lang: str) -> str | None:
    """The thing a Chinese value names after a measure word said without a number, which counts one ("点*个*汉堡",
    "买*个*杯子", "来*份*饺子"; measure_words.toml ``classifiers``), when the measure word is a word of its own there
    (jieba's segmentation: "个性T恤" and "本书" open with none); else None."""
    classifiers = load(MEASURE_WORDS).get("classifiers", {}).get(lang, ())
    if writing(lang).spaced or value[:1] not in classifiers or len(value) < 2:
        return None
    words = segmenter().lcut(value)
    rest = value[len(words[0]):].strip()
    return rest if words[0] in classifiers and rest and not names_nothing(rest, lang) else None


def _only_people(value: str, lang: str) -> bool:
    """Is ``value`` only a word that names who asks (closing_words.toml ``people`` ``askers``: "mich", "us"), no thing?
    ("schick *sie* ins Büro" points back at the thing.)"""
    askers = load(CLOSING_WORDS).get("people", {}).get(lang, {}).get("askers", ())
    return value.strip().casefold() in askers


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
        return len(re.findall(r"\w+" if writing(lang).spaced else r"\w", value.casefold().replace(said, " ", 1))) >= 2
    if kind not in ("text", "place"):
        return False
    words = {fold(w) for c in spec.choices for ws in spec.choices[c].values() for w in ws if fold(w)}
    if not writing(lang).spaced:
        return len(value) > 2 and any(value[-n:] in words for n in (2, 3))
    tokens = value.split()
    return any(fold(" ".join(tokens[-n:])) in words and not spelled_only(spec, " ".join(tokens[:-n]), lang)
               for n in (1, 2, 3) if len(tokens) > n)  # "Potsdamer Platz on foot"; "the car" is a car


def _looked_up(value: str, lang: str) -> tuple[str, bool]:
    """A thing looked up (a capability whose answer is a list) and whether it ends before the verbs closing its clause
    as a thing got does: it does where they are verbs of looking (verb_words.toml ``looking``: "Urlaub *suchen*",
    "Einkauf anzeigen *lassen*"), participles ("zum Urlaub *gemacht*": the request's perfect) or there are none; an
    infinitive of another verb is the thing's own ("Notizen über Auto *waschen*", "Thema Wohnung *streichen*"), and
    only the verbs of looking after it are cut ("Fenster putzen *anzeigen*")."""
    if not value or not writing(lang).spaced:
        return value, True
    verbs = load(VERB_WORDS)
    looking = {w.casefold() for w in verbs.get("looking", {}).get(lang, ())}
    infinitive = verbs.get("infinitives", {}).get(lang, {})
    words, kept = value.split(), value_ended(value, lang, False, True) or ""
    said = [w.casefold().strip(PAUSES + "?!.") for w in words]
    start = len(kept.split()) if kept and value.strip().startswith(kept) else len(words)
    own = [i for i in range(start, len(words)) if said[i] not in looking
           and any(fnmatchcase(said[i], s) for s in infinitive.get("shapes", ()))
           and not any(fnmatchcase(said[i], s) for s in infinitive.get("participles", ()))]
    if not own:
        return value, True
    return " ".join(w for i, w in enumerate(words) if i <= own[-1] or said[i] not in looking), False


def value_ended(value: str, lang: str, place: bool, counts: bool) -> str | None:
    cut = bounded(value, lang, dictated=not (place or counts))
    cut = cut[:_asks_apart(cut, lang)] if cut is not None and (place or counts) else cut
    return None if cut is None else closed(cut, lang, place=place, counts=counts).strip(" " + PAUSES)


def _asks_apart(value: str, lang: str) -> int:
    """Where ``value`` runs over a word that cuts a sentence's clauses (clause_words.toml ``words``) into a clause that
    asks the assistant something else: a question ("office and *what* is the capital of France"; closing_words.toml
    ``questions``) or a verb said to it ("curry home and *tell me* a joke": one word, then who asks). The value ends
    there; that clause is no part of it (and, read alone, the learned tier's). Its length when it runs over none
    ("fish and chips for me"). Only where words are spaced."""
    if not writing(lang).spaced:
        return len(value)
    joins = alternatives(load(CLAUSE_WORDS).get("words", {}).get(lang, ()))
    asks = set(load(CLOSING_WORDS).get("questions", {}).get(lang, ()))
    askers = set(load(CLOSING_WORDS).get("people", {}).get(lang, {}).get("askers", ()))
    for found in re.finditer(rf"(?<=\S)\s+(?:{joins})\s+(\S+)(?:\s+(\S+))?", value, re.IGNORECASE) if joins else ():
        first, second = found.group(1).casefold(), (found.group(2) or "").casefold()
        if first in asks or second in askers:
            return found.start()
    return len(value)
