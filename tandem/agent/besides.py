"""What a value of a thing says besides the thing: when, where it is sold, which one, whether it can still be had.

A thing looked up or counted is read by an example's frame up to the end of its clause, so it may hold words that
say the present ("a cordless drill *at the moment*", "*现在*充电钻"; time_words.toml ``present``), the shop the
capability's own examples name ("phone cases *from the shop*", "*网上的*空气净化器", "扫地机器人*网上*卖";
clause_words.toml ``sources``), which showing ("*那场的*流浪地球2"; measure_words.toml ``demonstratives``) or a
question whether it can still be had ("流浪地球2*还有票吗？有的话*"; clause_words.toml ``available``), or that it is
the one meant ("看牙医*那个约*"). ``besides`` takes them off; what is left must still name something.
"""

from __future__ import annotations

import re

from tandem.agent.apart import spelled_only
from tandem.agent.counts import counting, counts_people, names_nothing
from tandem.agent.intents import IntentSpec
from tandem.agent.words import CLAUSE_WORDS, MEASURE_WORDS, TIME_WORDS, load
from tandem.agent.writing import writing

__all__ = ["besides", "month_only"]

_ENDS = "？?！!。"  # a sentence ends: what follows is no part of a value before it


def besides(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` without the words around its thing that say the present, the shop, which one or ask whether it can
    still be had; as it is when nothing that names something would be left."""
    for off in (_asked_whether, _shop_off, _present_off, _month_off, _which_off, _that_one_off):
        rest = off(spec, value, lang).strip(" ,，")
        value = rest if rest and not names_nothing(rest, lang) else value
    return value


def _asked_whether(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` up to the end of its sentence, and before the words that ask whether it can still be had there."""
    if writing(lang).spaced:
        return value
    said = re.split(f"[{_ENDS}]", value)[0]
    words = load(CLAUSE_WORDS)
    available = sorted(words.get("available", {}).get(lang, ()), key=len, reverse=True)
    closing = set(words.get("available_closing", {}).get(lang, ()))
    at = min((said.find(w) for w in available if said.find(w) > 0), default=-1)
    asked = said[at:].removeprefix(_word_at(said, at, available)) if at > 0 else "?"
    return said[:at] if all(c in closing for c in asked) else said


def _word_at(said: str, at: int, words: list[str]) -> str:
    return next(w for w in words if said.startswith(w, at))


def _present_off(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` without a word of the present at its start or end."""
    words = sorted(load(TIME_WORDS).get("present", {}).get(lang, ()), key=len, reverse=True)
    gap = " " if writing(lang).spaced else ""
    folded = value.casefold()
    for word in words:
        if folded.startswith(word + gap) and len(value) > len(word):
            return value[len(word):]
        if folded.endswith(gap + word) and len(value) > len(word):
            return value[:-len(word)]
    return value


def month_only(value: str, lang: str, *, bare: bool = False) -> bool:
    """Is ``value`` only a month's name ("Dezember", "December"; time_words.toml ``dates`` months, their full names),
    or one and the words that lead it ("im Mai": ``month_leads``)? ``bare``: only a name, without such words (which may
    be a title: "August"; reread25 L1)."""
    leads = load(TIME_WORDS).get("month_leads", {}).get(lang, ())
    said = value.strip()
    lead = next((w for w in sorted(leads, key=len, reverse=True) if said.casefold().startswith(w + " ")), "")
    return (not bare or not lead) and _month(said[len(lead):].strip(), lang)


def _month(word: str, lang: str) -> bool:
    """Is ``word`` a month's full name (no shortening of a longer one: "jan", "mar"; one of three letters in capitals
    only: "May", never "may")?"""
    months = load(TIME_WORDS).get("dates", {}).get(lang, {}).get("months", {})
    said = word.casefold()
    if said not in months or any(o != said and o.startswith(said) and months[o] == months[said] for o in months):
        return False
    return len(said) > 3 or word[:1].isupper()


def _month_off(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` without a month said alone at its end after the words that lead one (time_words.toml ``month_leads``:
    "Staatsoper *in December*", "Kebekus *im Dezember*")."""
    leads = load(TIME_WORDS).get("month_leads", {}).get(lang, ())
    words = value.split()
    if not leads or len(words) < 3 or not writing(lang).spaced or not _month(words[-1], lang):
        return value
    lead = next((w for w in sorted(leads, key=len, reverse=True)
                 if " ".join(words[:-1]).casefold().endswith(" " + w)), None)
    return " ".join(words[:-1])[:-len(lead)].rstrip() if lead else value


def _which_off(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` without a word that points at one of several and its measure word at its start ("那场的")."""
    data = load(MEASURE_WORDS)
    points, classifiers = data.get("demonstratives", {}).get(lang, ()), data.get("classifiers", {}).get(lang, ())
    if writing(lang).spaced or value[:1] not in points or value[1:2] not in classifiers:
        return value
    return value[2:].removeprefix("的")


def _that_one_off(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` before a word that points at it and its measure word, said after the thing with what kind of thing it
    is ("看牙医*那个约*", "家长会*那项*", "换轮胎*那条笔记*"): "that one", no part of its name. Where words are not
    spaced; two characters of the thing at least."""
    data = load(MEASURE_WORDS)
    points, classifiers = data.get("demonstratives", {}).get(lang, ()), data.get("classifiers", {}).get(lang, ())
    if writing(lang).spaced or not points:
        return value
    found = re.search(f"[{''.join(points)}](?:{'|'.join(map(re.escape, classifiers))})", value[2:])
    return value[:found.start() + 2] if found else value


def _shop_off(spec: IntentSpec, value: str, lang: str) -> str:
    """``value`` without the shop the capability's examples name (``spelled_only``), said at its end after a word of
    where it is sold ("from the shop", "im Onlineshop"; in Chinese with the verb of selling after it: "网上卖") or, in
    Chinese, at its start ("网上的空气净化器", "网上电饭煲"; what a ticket is for only before 的, 里 or 上: "话剧茶馆"
    names the play)."""
    if writing(lang).spaced:
        sources = set(load(CLAUSE_WORDS).get("sources", {}).get(lang, ()))
        plain = sources | counting(lang).articles
        words = value.split()
        for k in range(1, len(words)):
            tail = [w.casefold() for w in words[k:]]
            if tail[0] in sources and any(w not in plain for w in tail) and \
                    all(w in plain or spelled_only(spec, w, lang) for w in tail):
                return " ".join(words[:k])
        return value
    joined = ("的", "里", "上") if counts_people(spec) else ()  # a show is named with its kind: "话剧茶馆"
    lead = next((n for n in (4, 3, 2) if _shop(spec, value[:n], lang) and len(value) > n + 1
                 and (not joined or value[n:n + 1] in joined)), 0)
    if lead:
        return value[lead:].lstrip("的里上")
    for at in range(2, len(value) - 1):
        n = next((n for n in (4, 3, 2) if at + n <= len(value) and _shop(spec, value[at:at + n], lang)), 0)
        if n and len(value[at + n:].lstrip("的里上")) == 1:  # "演唱会" ends "周杰伦演唱会": its name
            return value[:at]
    return value


def _shop(spec: IntentSpec, said: str, lang: str) -> bool:
    """Are Chinese characters ``said`` words the capability's examples spell, no measure ("网上", not "一份")?"""
    return spelled_only(spec, said, lang) and not names_nothing(said, lang)
