"""What the assistant says out loud, and the user's spoken yes or no.

``describe`` writes a task for a screen (ids, every field); a voice needs one short sentence in the user's
language that a speech synthesizer can read: "Book 2 tickets for Dune at Lichtspiel Alexanderplatz on
Saturday 14 March at 8 pm for 25 euros?" ``say`` writes it from the same summary the confirmation gate
hashes, so what is spoken is what will be bought. ``read_answer`` reads the user's answer ("Yes.", "Ja,
bitte.", "是的。") from a transcript or a chat message: a yes is a yes only when the whole reply affirms,
"yes, but only one ticket" is ``"unclear"`` (the words are data: ``answers.toml``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from tandem.agent.slots import When, detect_language, extract_when, parse_count
from tandem.agent.tasks import Task, TaskState, value_key
from tandem.text import HAN, inside, one_line

__all__ = ["Answer", "Change", "answer_words", "asks", "changed_count", "chat_guard", "chooses", "deferred", "doubts",
           "elsewhere", "found", "label", "languages", "later", "named", "negated", "only_these", "plainly",
           "quoted", "read_answer", "read_change", "refuses", "repeating", "rule_said", "said_apart", "say", "say_all",
           "says_a_number", "set_once", "sorry", "titled", "unclaimed", "unclear", "unhedged", "unsure", "value_names",
           "value_said", "wavers", "when_said", "yes_or_no"]

Answer = Literal["yes", "no", "unclear"]
_ANSWERS = Path(__file__).with_name("answers.toml")
# A CJK character is a word of its own; Latin words may carry an apostrophe ("don't").
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_\u3400-\u9fff\uf900-\ufaff]+(?:'[^\W\d_]+)?|\d+")
_DATE_ALONE = re.compile(r"\d{4}-\d\d-\d\d")  # an ISO date with no time of day
_SAY = Path(__file__).with_name("say.toml")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar's weekdays, Monday first (say.toml ``weekdays``)
_DAYS = "(?:MO|TU|WE|TH|FR|SA|SU)"
_RULE = re.compile(rf"FREQ=(DAILY|WEEKLY)(?:;INTERVAL=([2-9]))?(?:;BYDAY=({_DAYS}(?:,{_DAYS})*))?"
                   rf"(?:;UNTIL=(\d{{8}})(?:T\d{{6}}Z?)?)?")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.lower().replace("’", "'")))


def _spans(text: str) -> list[tuple[str, int]]:
    """The words of ``text`` with where each ends."""
    return [(m.group(), m.end()) for m in _TOKEN.finditer(text.lower().replace("’", "'"))]


@cache
def _answers() -> dict[str, dict[str, Any]]:
    """``answers.toml``, read once: per language, its phrase lists and what the assistant says back."""
    return tomllib.loads(_ANSWERS.read_text(encoding="utf-8"))


@cache
def _phrases() -> tuple[dict[tuple[str, ...], str], int, dict[str, dict[str, str]]]:
    """Every phrase of ``answers.toml`` as words → "yes"/"no"/"polite", the longest phrase's length, and
    what the assistant says back (``unclear``, ``elsewhere``) per language."""
    table: dict[tuple[str, ...], str] = {}
    unclear_text: dict[str, dict[str, str]] = {}
    for lang, entry in _answers().items():
        unclear_text[lang] = {k: v for k, v in entry.items() if isinstance(v, str)}
        for kind in ("polite", "no", "yes"):  # a word that is both polite and a yes ("gerne") counts as a yes
            table.update({_words(p): kind for p in entry[kind]})
    return table, max(map(len, table)), unclear_text


def _read(words: tuple[str, ...]) -> list[tuple[str, int]]:
    """The phrases ``words`` begins with (longest match first): each phrase's kind and the number of words
    read up to its end."""
    table, longest, _ = _phrases()
    found: list[tuple[str, int]] = []
    at = 0
    while at < len(words):
        size = next((n for n in range(min(longest, len(words) - at), 0, -1) if words[at:at + n] in table), 0)
        if not size:
            break
        at += size
        found.append((table[words[at - size:at]], at))
    return found


def read_answer(text: str) -> Answer | None:
    """The user's answer to a confirmation question: "yes" or "no" when the whole reply says so (in
    en/de/zh, politeness allowed), "unclear" when it starts as one but says more or both ("yes, but
    only one ticket", "ja, aber nur eine Karte", "好的，但只要一张") or asks ("yes?": ``asks``), else None (not an
    answer: a new request)."""
    spans, found = _answer_phrases(text)
    answers = {kind for kind, _ in found if kind != "polite"}
    if not answers:
        return None
    if found[-1][1] < len(spans) or len(answers) > 1 or asks(text):  # more follows (a condition, a change), both
        return "unclear"
    return "yes" if "yes" in answers else "no"


def asks(text: str) -> bool:
    """Is ``text`` said as a question: a question mark at its end, or a word that makes one there (answers.toml
    ``asking``, any language: "吗", "对吧", "oder")? A question says no yes and no no ("only the pizza?")."""
    said = text.strip().rstrip(" .!。！…~～").casefold()
    if said.endswith(("?", "？")):
        return True
    return any(said.endswith(end) and (HAN.match(end) or re.search(rf"\b{re.escape(end)}$", said))
               for end in _phrase_lists().get("asking", ()))


def _negations() -> frozenset[tuple[str, ...]]:
    return _answer_words().get("negations", frozenset())


def negated(text: str) -> bool:
    """Does ``text`` say a word that refuses ("don't", "nicht", "不"; answers.toml ``negations``, any language)?"""
    words = _words(text)
    return any(inside(n, words) for n in _negations())


def doubts(text: str) -> bool:
    """Does ``text`` ask about the user's own choice ("should I cancel the pizza?", "soll ich sie stornieren?",
    "要不要取消外卖"; answers.toml ``doubts``, any language)? It asks for advice, not for the act."""
    words = _words(text)
    return wavers(text) or any(inside(d, words) for d in _answer_words().get("doubts", ()))


def wavers(text: str) -> bool:
    """Does ``text`` ask about the user's own choice or waver ("should I get two tickets…?", "I might get…, not sure
    yet", "soll ich …", "要不要…"; answers.toml ``wavers``, any language)? No request for a card of any kind."""
    words = _words(text)
    return any(inside(d, words) for d in _answer_words().get("wavers", ()))


def deferred(text: str) -> bool:
    """Does ``text`` put its request off in a clause that says nothing else ("not yet, buy the usb cable", "nicht jetzt,
    storniere die Kinokarten später", "现在不要，晚点帮我点一份披萨"; answers.toml ``not_now``, any language, politeness
    allowed)? "先别取消外卖，取消电影票" declines one thing and asks for another: its clause says more."""
    polite = _answer_words().get("polite", frozenset())
    for clause in re.split(r"[,;:.!?，；：。！？、]", text):
        words = [w for w in _words(clause) if (w,) not in polite]
        if words and tuple(words) in _answer_words().get("not_now", frozenset()):
            return True
    return False


def quoted(text: str, language: str) -> str | None:
    """What the assistant says after the price of a card made for ``text`` when it asks what something costs ("how
    much would two tickets for Dune tonight at 8 cost?", "wie viel würden zwei Kinokarten … kosten?", "多少钱？";
    answers.toml ``prices``, or ``costs`` in a question; any language): that nothing is bought, the card taken back
    (answers.toml ``quoted``; review30 R30-5, review31 R31-17). None when it asks no price, or asks it only after the
    request ("order a pizza to the office, how much will it be?", "点一份饺子送到公司，多少钱都行": review31 R31-24)."""
    words = _words(re.split(r"[,;:.!?，；：。！？、]", text.strip())[0])  # the request's own clause
    lists = _answer_words()
    if any(inside(p, words) for p in lists.get("prices", ())) or (
            asks(text) and any(inside(c, words) for c in lists.get("costs", ()))):
        texts = _phrases()[2]
        return texts.get(language, texts["en"])["quoted"]
    return None


def titled(text: str) -> bool:
    """Is ``text`` a title, not a request, though its first word is a request's verb: a word that joins a title's nouns
    follows it ("Book *of* Mormon", "Order *of* the Phoenix"; answers.toml ``title_joins``, any language), which no
    request puts right after its verb (reread30 M-2)?"""
    words = _words(text)
    return len(words) > 2 and (words[1],) in _answer_words().get("title_joins", frozenset())


def later(language: str, why: Literal["later", "doubted"] = "later") -> str:
    """What the assistant says instead of a card for a request the user put off (``deferred``) or only asked or wavered
    about (``doubts``)."""
    texts = _phrases()[2]
    return texts.get(language, texts["en"])[why]


def set_once(words: str, language: str) -> str:
    """What the assistant says beside a reminder it set once though the request said ``words`` that it comes back in a
    way no rule was read of ("every 2 hours"): never a one-off set silently (review-lead32 L-2)."""
    texts = _phrases()[2]
    return str(texts.get(language, texts["en"])["once"]).format(words=words)


def unhedged(text: str) -> str:
    """``text`` without the conditions that only ask politely ("cancel them if you can", "storniere sie bitte, wenn das
    geht", "如果可以的话取消吧"; answers.toml ``hedges``, any language): they set no condition to wait for."""
    for hedge in sorted(_phrase_lists().get("hedges", ()), key=len, reverse=True):
        ends = (r"(?<![\w'])", r"(?!\w)") if hedge[:1].isascii() else ("", "")
        text = re.sub(ends[0] + re.escape(hedge) + ends[1], " ", text, flags=re.IGNORECASE)
    return text


def refuses(text: str) -> bool:
    """Does ``text`` refuse: a word that refuses (``negated``) or a no phrase ("cancel", "abbrechen", "取消";
    answers.toml ``no``, any language)? "cancel the pizza" is no yes to the pizza."""
    words = _words(text)
    return negated(text) or any(inside(p, words) for p in _answer_words().get("no", ()))


def _answer_phrases(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The words of ``text`` and the answer phrases it begins with (``_read``)."""
    spans = _spans(text)
    found = _read(tuple(word for word, _ in spans))
    lowered = text.lower()
    # A phrase that is only the start of a longer word (好 in 好莱坞, 不 in 不过) is no answer.
    while found and found[-1][1] < len(spans) and lowered[spans[found[-1][1] - 1][1]:][:1].isalnum():
        found.pop()
    return spans, found


@dataclass(frozen=True)
class Change:
    """What a reply to a confirmation question changes, besides its yes or no ("yes, but ...")."""

    count: int | None = None  # "only one ticket", "nur eine Karte", "只要一张"
    when: When | None = None  # "on Saturday", "erst morgen", "换成周六" (relative to the assistant's clock)


def read_change(text: str, now: dt.datetime, language: str | None = None, region: str | None = None, *,
                answered: bool = True) -> Change | None:
    """The change a reply to a confirmation question asks for, when that is all it says besides its answer:
    a new count ("yes, but only one ticket", "ja, aber nur eine Karte", "好的，但只要一张"), a new day or time
    ("yes, but on Saturday", "ja, aber erst morgen", "好的，不过换成周六"), or both.

    Beyond the answer, the reply may hold only words of the ``but`` and ``only`` lists of ``answers.toml``,
    politeness, a date or time (``slots.extract_when``), and one number with up to two words after it (what
    is counted: "tickets", "Karten", "张票"); a number needs an ``only`` word ("yes, a table" names no count).
    Anything else (a place, a second number, a ``vague`` word such as "a few" or "one more", a dish) is more
    than this reads: None, and the assistant asks what is meant. ``region`` orders a date in digits ("05/06").
    ``answered=False`` reads a change said without a yes or no ("just one pizza", "nur eine Karte", "只要一份披萨")."""
    spans, found = _answer_phrases(text)
    if answered and (not found or not {kind for kind, _ in found} - {"polite"}):
        return None
    lowered = text.lower().replace("’", "'")
    tail = lowered[spans[found[-1][1] - 1][1]:] if found else lowered
    when, tail = extract_when(tail, now, language or detect_language(text), region)
    counted = _count(_words(tail))
    if counted is None or (counted == 0 and when is None):
        return None
    return Change(counted or None, when)


def changed_count(text: str) -> int | None:
    """The one new count a reply asks for when that is all it says besides its answer (``read_change``
    without a day or time): "yes, but only one ticket" → 1, "yes, but only one ticket tomorrow" → None."""
    change = read_change(text, dt.datetime.now())
    return change.count if change is not None and change.when is None else None


def _count(words: tuple[str, ...]) -> int | None:
    """The count ``words`` (what follows an answer, without its date) change to; 0 when they hold only cue
    words and politeness; None when they hold anything else."""
    cues = _changes()
    numbers: list[int] = []
    after, written, only, at = 0, 0, False, 0  # words after the number; Chinese characters after it
    while at < len(words):
        size = next((n for n in range(min(len(words) - at, 3), 0, -1) if words[at:at + n] in cues), 0)
        kind = cues.get(words[at:at + size]) if size else None
        if kind == "vague":
            return None
        if kind is not None:
            only, at = only or kind == "only", at + size
            continue
        run = _number_run(words, at)
        if run:
            numbers.append(parse_count("".join(words[at:at + run])) or 0)
        elif not numbers:
            return None  # a word before the number that is no cue: "yes, add a cola", "yes, but in Hamburg"
        elif HAN.fullmatch(words[at]):
            written += 1  # "一份披萨": a measure word and a thing of two characters
        else:
            after += 1
        at += run or 1
    if not numbers:
        return 0
    named = after <= 2 and written <= 3  # what is counted, and no more ("只要一份披萨送到家" says where, too)
    return numbers[0] if only and len(numbers) == 1 and named and numbers[0] > 0 else None


def _number_run(words: tuple[str, ...], at: int) -> int:
    """How many words from ``at`` spell one number: digits or a number word, or a run of Chinese numerals
    (十二 is two words; 张 after them is what is counted)."""
    run = 0
    while at + run < len(words) and HAN.fullmatch(words[at + run]) and parse_count(words[at + run]) is not None:
        run += 1
    return run or (1 if parse_count(words[at]) is not None else 0)




@cache
def _changes() -> dict[tuple[str, ...], str]:
    """The phrases of every language that may come with a changed count, as words → kind: "but", "only",
    "vague", "article" (skipped like "but": "only a ticket" still needs a number), "polite"."""
    table: dict[tuple[str, ...], str] = {}
    for entry in _answers().values():
        for kind in ("polite", "but", "only", "vague", "article"):
            table.update({_words(p): kind for p in entry.get(kind, ())})
    return table


def yes_or_no(text: str) -> Literal["yes", "no"] | None:
    """"yes" or "no" when the whole utterance is that answer, else None."""
    answer = read_answer(text)
    return None if answer == "unclear" else answer


def unclear(language: str) -> str:
    """What the assistant asks when an answer to its confirmation question was not a plain yes or no."""
    texts = _phrases()[2]
    return texts.get(language, texts["en"])["unclear"]


def only_these(language: str) -> str:
    """What the assistant asks when a reply chose some of the confirmations it showed ("only the tickets")."""
    texts = _phrases()[2]
    return texts.get(language, texts["en"])["only_these"]


@cache
def _phrase_lists() -> dict[str, tuple[str, ...]]:
    """answers.toml's phrases of each list (yes, no, only, negations, polite, ...), every language together."""
    found: dict[str, list[str]] = {}
    for entry in _answers().values():
        for kind, phrases in entry.items():
            if isinstance(phrases, list):
                found.setdefault(kind, []).extend(phrases)
    return {kind: tuple(phrases) for kind, phrases in found.items()}


@cache
def _answer_words() -> dict[str, frozenset[tuple[str, ...]]]:
    """answers.toml's phrases of each list as words (``_words``), every language together."""
    return {kind: frozenset(_words(p) for p in phrases) for kind, phrases in _phrase_lists().items()}


def chooses(text: str) -> bool:
    """Does ``text`` say a word that affirms or announces a choice ("only the tickets", "ja, die Pizza", "只要电影票";
    answers.toml ``yes`` and ``only``, any language)?"""
    words = _words(text)
    return any(inside(p, words) for kind in ("yes", "only") for p in _answer_words().get(kind, ()))


def said_apart(text: str) -> list[str]:
    """The parts of a reply said apart, at a pause or a word of answers.toml ``but`` ("die Pizza ja, das Kino nicht",
    "yes to the pizza but not the tickets", "披萨要，电影不要"), each stripped; empty ones left out."""
    joins = sorted(_phrase_lists().get("but", ()), key=len, reverse=True)  # "但是" before "但"
    words = "|".join(re.escape(j) for j in joins if not HAN.match(j))
    runs = [re.escape(j) for j in joins if HAN.match(j)]  # Chinese: no word boundary
    apart = "|".join([r"[,，;；、.。!！?？]", *([rf"\b(?:{words})\b"] if words else []), *runs])
    return [part.strip() for part in re.split(apart, text, flags=re.IGNORECASE) if part.strip()]


def plainly(text: str) -> Literal["yes", "no", "alone", "also", "polite"] | None:
    """"yes" or "no" when every word of ``text`` but its articles and politeness is a phrase of one kind: a yes
    (answers.toml ``yes``, ``yes_to``: "ja", "要") or a refusal (``no``, ``negations``: "nicht", "不要"); "alone" when
    it says a word that chooses this and nothing else (``alone``: "nur", "just", "只要") with at most a yes beside it
    ("只确认", "ich möchte nur"); "also" when it says a word that adds this (``also``: "too", "auch", "也") with at most
    a yes beside it ("票也要"); "polite" when it is only politeness and articles ("thanks"); None for anything else
    or both ("要是还热的话就要", "I'm not sure", "weiß ich noch nicht": review R23-3; "not only", "not … too")."""
    table = {_words(p): kind for kind in ("yes", "yes_to", "alone", "also", "no", "negations", "polite", "article")
             for p in _phrase_lists().get(kind, ())}
    words, at, kinds = _words(text), 0, set()
    refusals: set[tuple[str, ...]] = set()
    while at < len(words):
        size = next((n for n in range(min(4, len(words) - at), 0, -1) if words[at:at + n] in table), 0)
        if not size:
            return None
        phrase = words[at:at + size]
        kinds.add(table[phrase])
        if table[phrase] in ("no", "negations"):
            refusals.add(phrase)
        at += size
    if "negations" in kinds and len(refusals) > 1:  # a refusal refused: "don't cancel", "nicht stornieren", "别不要"
        return None  # (review R24-4; "no, don't" said as one part is asked again too)
    said = {"yes" if k in ("yes", "yes_to", "alone") else "no" for k in kinds
            if k not in ("polite", "article", "also")}
    if "also" in kinds:  # "the tickets too", "die Karten auch", "票也要"; never beside a no or an only
        return "also" if said <= {"yes"} and "alone" not in kinds else None
    if not said and kinds:
        return "polite"  # "thanks", "bitte": nothing said of them
    if len(said) != 1:
        return None
    return "alone" if "alone" in kinds and said == {"yes"} else said.pop()  # type: ignore[return-value]


def says_a_number(text: str) -> bool:
    """Does ``text`` say a number ("just one pizza", "nur 2 Karten", "只要一张"; an article is none)?"""
    articles = _answer_words().get("article", frozenset())
    return any(parse_count(w) is not None and (w,) not in articles for w in _words(text))


@cache
def answer_words() -> frozenset[str]:
    """Every word of answers.toml's phrases (yes, no, only, but, polite, articles, ...) as written, lower case ("确认",
    "only", "confirm"): none names a task."""
    return frozenset(w for kind, phrases in _phrase_lists().items()  # "today", "the price of the pizza" name things
                     if kind not in ("not_now", "prices", "costs", "title_joins")
                     for p in phrases for w in p.casefold().split())


def elsewhere(language: str) -> str:
    """What the assistant says when a client that may not confirm answers its confirmation question."""
    texts = _phrases()[2]
    return texts.get(language, texts["en"])["elsewhere"]


@cache
def _said() -> dict[str, dict[str, Any]]:
    """``say.toml``: per language, how it speaks a day, a time, a price and a task."""
    return tomllib.loads(_SAY.read_text(encoding="utf-8"))


def languages() -> tuple[str, ...]:
    """The languages the assistant speaks: ``say.toml``'s tables ("en", "de", "zh")."""
    return tuple(_said())


def _lang(lang: str) -> str:
    return lang if lang in _said() else "en"


def label(key: str, language: str, declared: dict[str, str] | None = None) -> str:
    """A field of a confirmation or an answer as the user reads it in ``language``: the partner's own title for it
    (``declared``: ``PendingCall.labels``), else say.toml's name for it ("count" is "Anzahl", "数量"), else as named."""
    return (declared or {}).get(key) or str(_said()[_lang(language)].get("labels", {}).get(key, key))


def value_said(key: str, value: Any, language: str, declared: dict[str, dict[str, str]] | None = None) -> Any:
    """A partner's word for a state in a field of its answer ("status": "preparing", "in_kitchen") in ``language``: the
    partner's own name for it (``declared``: ``PendingCall.values``, from its manifest's [values]), else say.toml's
    ([<lang>.values.<field>]: "wird zubereitet", "配送中"); any other value as sent."""
    if not isinstance(value, str):
        return value
    key_of = value_key(value)
    said = (declared or {}).get(key, {}).get(key_of) or value_names(language).get(key, {}).get(key_of)
    return said or rule_said(value, language) or value


def rule_said(value: Any, language: str) -> str | None:
    """An iCalendar rule of days that come back (a reminder's ``repeat``: "FREQ=WEEKLY;BYDAY=MO,TH", with an optional
    ";UNTIL=20261211") in words of ``language`` (answers.toml [<lang>.rule], say.toml's weekday names: "every Monday
    and Thursday", "jeden Montag und Donnerstag", "每星期一和星期四"; review31 R31-20 showed it raw; every so many days:
    "every other day", "alle 3 Tage"); None for a value that is no such rule."""
    found = _RULE.fullmatch(value.strip().upper()) if isinstance(value, str) else None
    if found is None:
        return None
    lang = _lang(language)
    forms, names = _answers()[lang]["rule"], _said()[lang]["weekdays"]
    said_days, every = set((found.group(3) or "").split(",")), int(found.group(2) or 1)
    days = [names[at] for at, day in enumerate(_BYDAY) if day in said_days]
    if found.group(1) == "WEEKLY" and not days:
        return None
    listed = days[0] if len(days) == 1 else forms["sep"].join(days[:-1]) + forms["and"] + "".join(days[-1:])
    if found.group(1) == "DAILY" or (len(days) == len(_BYDAY) and every == 1):  # "every 3 days", "alle 3 Tage"
        form = "daily" if every == 1 else "other_day" if every == 2 else "days"
    else:
        form = "weekly" if every == 1 else "other" if every == 2 else "weeks"  # "every other Monday", "every 3 weeks …"
    said = str(forms[form].format(days=listed, n=every))
    if until := found.group(4):
        said = str(forms["until"].format(rule=said, day=_when(f"{until[:4]}-{until[4:6]}-{until[6:]}", lang)))
    return said


def repeating(item: dict[str, Any], when: str, language: str) -> str:
    """A listed item's time said with the rule it comes back by, when one of its fields holds one (``rule_said``: "go
    running on Thursday 10 December at 7 am, every Monday and Thursday"); else the time alone."""
    rule = next((said for v in item.values() if (said := rule_said(v, language))), None)
    return str(_answers()[_lang(language)]["rule"]["repeating"].format(when=when, rule=rule)) if rule else when


def value_names(language: str) -> dict[str, dict[str, str]]:
    """Tandem's names of common values of answers' fields in ``language`` (say.toml's [<lang>.values]: "status" ->
    "cancelled" -> "storniert")."""
    return {key: dict(names) for key, names in _said()[_lang(language)].get("values", {}).items()}


def _states(task: Task, lang: str) -> str | None:
    """A read-only answer about one thing with a state ("where is my order"), said: what it is and its state in the
    user's language ("Deine Bestellung FD-1 (Margherita): wird zubereitet."); None for any other answer. The state is
    the answer's first field whose values the partner or say.toml names; what it is, the order the call asked about
    and what the answer names in it (the tool's declared ``items`` name: the answer's own, or its lines')."""
    call, result = task.call, task.result
    if call is None or call.transactional or not isinstance(result, dict):
        return None
    named = _said()[lang].get("values", {})
    field = next((k for k, v in result.items() if isinstance(v, str) and (k in call.values or k in named)), None)
    if field is None:
        return None
    forms = _said()[lang]["order_state"]
    asked = next((one_line(v) for v in call.arguments.values() if isinstance(v, str) and v in result.values()), "")
    things = _things(result, call.items, forms["joiner"])
    what = asked + (forms["things"].format(things=things) if things else "")
    status = value_said(field, result[field], lang, call.values)
    return str((forms["said"] if what else forms["bare"]).format(what=what.strip(),
                                                                 status=one_line(status)[:_SPOKEN_NAME]))


def _things(result: dict[str, Any], fields: dict[str, str], joiner: str) -> str:
    """What an answer about one order names in it, by the field its tool declares names an item (``items.name``): the
    answer's own ("Dune"), else its lines' ("Margherita, Cola", "饺子、可乐")."""
    key = fields.get("name")
    if not key:
        return ""
    if isinstance(result.get(key), str):
        return one_line(result[key])[:_SPOKEN_NAME]
    lines = next((v for v in result.values() if isinstance(v, list) and any(isinstance(i, dict) for i in v)), [])
    names = [one_line(i[key]) for i in lines if isinstance(i, dict) and isinstance(i.get(key), str)]
    return joiner.join(n[:_SPOKEN_NAME] for n in names[:_SPOKEN_ITEMS])


def _clock(at: dt.datetime, lang: str) -> str:
    """The time as people say it in ``lang``."""
    forms = _said()[lang]
    part = next((name for hour, name in reversed(forms["parts"]) if at.hour >= hour), "")
    template = forms["clock_minutes"] if at.minute else forms["clock"]
    return str(template.format(hour=at.hour, hour12=at.hour % 12 or 12, minute=at.minute, part=part))


def _when(starts_at: Any, lang: str) -> str:
    """"Saturday 14 March at 8 pm", "Samstag, 14. März um 20 Uhr", "3月14日星期六晚上8点"; a date alone "14 March",
    "14. März", "3月14日" (say.toml ``day_alone``: no midnight made up for it)."""
    try:
        at = dt.datetime.fromisoformat(str(starts_at).replace(" ", "T"))
    except ValueError:
        return str(starts_at)
    if at.tzinfo is not None:  # a partner's time with its offset: the device's own time zone, as the user lives it
        at = at.astimezone().replace(tzinfo=None)
    forms = _said()[lang]
    month = forms["months"][at.month - 1] if forms["months"] else at.month
    form = forms["day_alone"] if _DATE_ALONE.fullmatch(str(starts_at).strip()) else forms["when"]
    return str(form.format(weekday=forms["weekdays"][at.weekday()], day=at.day, month=month, clock=_clock(at, lang)))


def _money(amount: Any, currency: Any, lang: str) -> str:
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return ""
    forms = _said()[lang]
    number = (f"{value:.0f}" if value == int(value) else f"{value:.2f}").replace(".", forms["decimal"])
    return str(forms["money"].format(number=number, currency=forms["currencies"].get(str(currency), str(currency))))


class _Facts(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # a partner that leaves a field out gets a gap, not an error
        return ""


def _question(task: Task, lang: str) -> str:
    s = task.call.summary if task.call else {}
    kind = ("tickets" if "film" in s and "tickets" in s else "event" if "event" in s and "tickets" in s
            else "order" if "restaurant" in s else "other")
    sentence = _said()[lang]["capability"].get(task.intent) or _said()[lang]["ask"][kind]  # its own, or its kind's
    items = s.get("items") or []
    money = _money(s.get("total"), s.get("currency"), lang)
    said = {k: "" if v is None else ", ".join(map(str, v)) if isinstance(v, list)
            else value_said(k, v, lang, task.call.values if task.call else None) for k, v in s.items()}
    facts = _Facts({**said, "when": _when(s.get("starts_at"), lang), "money": money,  # seats A1, A2: not ['A1', 'A2']
             "items": ", ".join(str(i).replace(" × ", " ") for i in items) if isinstance(items, list) else items,
             "price": _said()[lang]["price"].format(money) if money else "",
             "payment": _said()[lang]["payment"].format(s["payment"]) if s.get("payment") else "",
             "facts": ", ".join(f"{label(k, lang, task.call.labels if task.call else None)}: {v}"
                                for k, v in said.items() if v != "" and k != "holder")})
    return str(sentence.format_map(facts))


def say(task: Task) -> str:
    """One sentence about ``task`` for a voice, in the task's language."""
    lang = _lang(task.language)
    if task.state == TaskState.AWAITING_CONFIRMATION:
        return _question(task, lang)
    states = _said()[lang]["state"]
    if task.state == TaskState.DONE and (found := _found(task, lang) or _states(task, lang)) is not None:
        return found
    if task.state == TaskState.NEEDS_INFO:
        return task.question or states[task.state]
    if task.state == TaskState.FAILED:
        return states[task.state] + str(task.error or "")[:160]
    return str(states.get(task.state, states[TaskState.RUNNING]))


def _found(task: Task, lang: str) -> str | None:
    """A read-only task's list answer said out loud ("2 found: Anna on Sunday 6 December at 10 am; …"), the first
    few items by name and time; None for any other answer ("Done." is said then)."""
    if task.call is None or task.call.transactional or not isinstance(task.result, list):
        return None
    items = [r for r in task.result if isinstance(r, dict)]
    said = [s for s in (_item(r, task.call.items, lang) for r in items[:_SPOKEN_ITEMS]) if s]
    return found(len(items), _said()[lang]["joiner"].join(said), lang)


def found(count: int, items: str, language: str) -> str:
    """A list answer in a sentence of ``language``: how many, and ``items`` (the first few, said); that nothing was
    found when ``count`` is 0 ("Ich habe nichts gefunden.", not "done (0)")."""
    forms = _said()[_lang(language)]
    return str(forms["found"].format(count=count, items=items) if count else forms["found_none"])


def named(item: dict[str, Any], fields: dict[str, str]) -> tuple[str, Any]:
    """An item of a list answer (an event, a note, a reminder, a product) as its name, on one line, and its time (None
    when it has none), by the fields its manifest declares (``fields``: the tool's ``items``, "name" and "time"): what
    a screen line and a voice say of it. Nothing declared: no name."""
    name = one_line(item.get(fields["name"]) or "") if fields.get("name") else ""
    return name, item.get(fields["time"]) or None if fields.get("time") else None


def when_said(at: Any, language: str) -> str:
    """An ISO date and time as said in ``language`` ("Sunday 6 December at 10 am", "Sonntag, 6. Dezember um 10 Uhr"),
    in the device's time zone, a date alone as a date ("6 December", "6. Dezember", "12月6日"); what is no ISO time is
    given back as it is."""
    return _when(at, _lang(language))


def _item(item: dict[str, Any], fields: dict[str, str], lang: str) -> str:
    """One item of a list answer said: its name, cut short, and its time when it has one."""
    name, at = named(item, fields)
    name = name[:_SPOKEN_NAME]
    return str(_said()[lang]["item_at"].format(name=name, when=repeating(item, _when(at, lang), lang))) \
        if name and at else name


_SPOKEN_ITEMS, _SPOKEN_NAME = 5, 80  # items of a list answer said, and characters of each name


def chat_guard(language: str) -> str:
    """The system line the chat model gets when it answers what the assistant made no task of: it cannot act, and
    nothing was done (walk4: "退掉它" made a small model play a refund through)."""
    return str(_said()[_lang(language)]["chat_guard"])


@cache
def _claims() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for table in _said().values() for p in table["claims"]), re.IGNORECASE)


def unclaimed(answer: str, language: str) -> str:
    """The chat model's ``answer``, with the fact after it when it claims an act no task did ("I've booked two tickets
    for you", "Ich habe die Bestellung storniert", "已为你退款"): read in every language, since a small model answers in
    any. Said in ``language``; an answer that claims nothing is given back as it is."""
    if not _claims().search(answer):
        return answer
    return f"{answer.rstrip()}\n\n{_said()[_lang(language)]['claimed']}"


def unsure(intent: str, value: str, language: str) -> str:
    """The question asked back when a short answer to a question for free words may be talk or the answer ("Soll ich
    dich an „gib mir kurz“ erinnern?"): the capability's own sentence (say.toml [<lang>.unsure]), else "other"."""
    forms = _said()[_lang(language)]["unsure"]
    return str(forms.get(intent) or forms["other"]).format(value=one_line(value))


def sorry(language: str) -> str:
    """What the assistant says when it understood nothing it can do or answer, in ``language``."""
    return str(_said()[_lang(language)]["sorry"])


def say_all(tasks: Sequence[Task], fallback: str) -> str:
    """All tasks of one turn, one sentence each; ``fallback`` (e.g. "Sorry, I did not get that.") for none."""
    return " ".join(say(t) for t in tasks) or fallback
