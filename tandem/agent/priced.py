"""The thing a request asks the price of: "the *price of* a PS5", "Preise für *Bluetooth-Lautsprecher*", "compare *robot
vacuums*", "*水杯*什么价", "was ein *Standmixer* kostet".

Only for a capability whose own examples ask a price ("how much does {item} cost", "was kostet {item}",
"{item}多少钱"): ``priced_off`` ends a value read around the words that ask it, ``priced_thing`` reads the thing they
frame where no reader read one. The words are language data (clause_words.toml ``priced``). ``unpriced`` takes the
bound a request puts on a thing's price out of it ("a phone case *under 20 euros*"; measure_words.toml
``price_limits``).
"""

from __future__ import annotations

import re
from functools import cache

from tandem.agent.apart import article_off, lead_off
from tandem.agent.counts import counting, names_nothing
from tandem.agent.intents import IntentSpec
from tandem.agent.words import CLAUSE_WORDS, MEASURE_WORDS, alternatives, load, number_words, numeral_characters
from tandem.agent.writing import writing

__all__ = ["asks_price", "priced_off", "priced_thing", "unasked", "unpriced"]


@cache
def _frames(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The words said before the thing, at a text's start, and after it, at its end, as patterns; None for a language
    that lists none."""
    table = load(CLAUSE_WORDS).get("priced", {}).get(lang)
    if not table:
        return None
    edge = writing(lang).edge
    return (re.compile(f"^(?:{alternatives(table['before'])}){edge[1]}\\s*", re.IGNORECASE),
            re.compile(f"\\s*{edge[0]}(?:{alternatives(table['after'])})[\\s?？.。!！]*$", re.IGNORECASE))


def asks_price(spec: IntentSpec, lang: str) -> bool:
    """Do ``spec``'s examples in ``lang`` ask what a thing costs (clause_words.toml ``priced`` ``words``)?"""
    words = load(CLAUSE_WORDS).get("priced", {}).get(lang, {}).get("words", ())
    edge = writing(lang).edge
    said = re.compile(f"{edge[0]}(?:{alternatives(words)}){edge[1]}", re.IGNORECASE) if words else None
    return said is not None and any(said.search(e) for e in spec.examples.get(lang, ()))


def priced_off(value: str, lang: str) -> str:
    """``value`` without the words that ask its price before it ("Preise für *Bluetooth-Lautsprecher*") and after it
    ("*铸铁锅*的价钱"), and, where words are spaced and only the words after it were said, without what comes before
    the last article ("was ein *Natel-Ladekabel* kostet"); as it is when no thing would be left."""
    frames = _frames(lang)
    if frames is None:
        return value
    before, after = frames
    rest = before.sub("", value, count=1)
    ended = after.sub("", rest, count=1)
    if ended != rest and rest == value and writing(lang).spaced:
        words = ended.split()
        last = max((i for i, w in enumerate(words) if w.casefold() in counting(lang).articles), default=None)
        ended = " ".join(words[last + 1:]) if last is not None and last + 1 < len(words) else ended
    thing = article_off(ended.strip(" ,，"), lang)
    return thing if thing and thing != value and not names_nothing(thing, lang) else value


def priced_thing(spec: IntentSpec, text: str, lang: str) -> str:
    """The thing ``text`` (a clause, its time words cut out) asks the price of, for a capability that asks prices: the
    words framed by those that ask it (``priced_off``) in one piece of the clause between its pauses, a request word
    aside ("*水杯*什么价"; where words are spaced only after the words before it or an article: "price check on *a
    coffee grinder*", "was *ein* Standmixer kostet"); "" when no piece says such words or nothing is left."""
    frames = _frames(lang)
    if frames is None or not asks_price(spec, lang):
        return ""
    for piece in re.split(r"[,;，；。？?！!]", text):  # "有没有好一点的降噪耳机？看看价格": the thing is in its piece
        said = lead_off(piece.strip(), lang)
        thing = priced_off(said, lang)
        if thing != said and (frames[0].match(said) or not writing(lang).spaced or _article_before(said, lang)):
            return thing  # where words are spaced, the thing before "kostet" opens after an article or a frame
    return ""


def _article_before(said: str, lang: str) -> bool:
    """Does ``said`` hold an article (the thing priced opens after it: "was *ein* Standmixer kostet")?"""
    return any(w.casefold() in counting(lang).articles for w in said.split())


def unpriced(value: str, lang: str) -> str:
    """``value`` without the bound it puts on the thing's price ("a phone case *under 20 euros*", "Regenjacken *bis 120
    Euro*", "*一百块以内的*手机壳") and what follows it where the thing was said before it ("USB-C hub under 30 euros
    *what's out there*"); "" when it says nothing else (measure_words.toml ``price_limits``)."""
    value = unasked(value, lang)
    bound = _limits(lang)
    found = bound.search(value) if bound is not None else None
    if found is None:
        return value
    head, tail = value[:found.start()].strip(" ,;:，；："), value[found.end():].lstrip(" ,;:，；：的")
    if head and not names_nothing(head, lang):
        return head
    return f"{head}{writing(lang).gap}{tail}".strip()  # "一个一百块以内的手机壳": 一个手机壳


def unasked(value: str, lang: str) -> str:
    """``value`` without the words that ask its price said at its end ("headphones *cost*", "空气炸锅*多少钱*";
    measure_words.toml ``price_limits`` ``asked``), where something is said before them."""
    asked = alternatives(load(MEASURE_WORDS).get("price_limits", {}).get(lang, {}).get("asked", ()))
    if not asked:
        return value
    gap = r"\s+" if writing(lang).spaced else ""
    head = re.sub(rf"{gap}(?:{asked})[\s?？]*$", "", value, flags=re.IGNORECASE).strip()
    return head if head and head != value.strip() and not names_nothing(head, lang) else value


@cache
def _limits(lang: str) -> re.Pattern[str] | None:
    """The bound on a price said in ``lang``, as a pattern; None for a language that lists none."""
    table = load(MEASURE_WORDS).get("price_limits", {}).get(lang)
    if not table:
        return None
    spaced, edge = writing(lang).spaced, writing(lang).edge
    units = [*load(MEASURE_WORDS).get("currency", {}).get(lang, ()), *table.get("money", ())]
    gap = r"\s+" if spaced else ""
    if spaced:
        amount = rf"\d+(?:[.,]\d{{1,2}})?|{alternatives(number_words(lang)) or '$^'}"
        signs = alternatives(u for u in units if not u[-1:].isalnum()) or "$^"  # "$20", "€ 15"
        price = rf"(?:(?:{signs})\s?(?:{amount})|(?:{amount})\s?(?:{alternatives(units)}))"
    else:
        price = rf"(?:\d+(?:\.\d+)?|[{numeral_characters(lang)}百千万]+)(?:{alternatives(units)})"
    before, after = alternatives(table.get("before", ())) or "$^", alternatives(table.get("after", ())) or "$^"
    each = f"(?:{gap}(?:{alternatives(table['each'])}))?" if table.get("each") else ""
    bound = rf"{edge[0]}(?:(?:{before}){gap}{price}(?:{gap}(?:{after}))?|{price}{gap}(?:{after})){each}{edge[1]}"
    return re.compile(bound, re.IGNORECASE)
