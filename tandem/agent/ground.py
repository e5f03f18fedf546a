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
``names_nothing`` tells a count or measure ("张票", "two tickets") from a thing. The words are language data
(``tandem.agent.words``).
"""

from __future__ import annotations

import re
from functools import cache

from tandem.agent.closing import closed, trailing
from tandem.agent.intents import LEADS, PLACE_ALIASES, IntentSpec
from tandem.agent.skills import fold
from tandem.agent.slots import detect_language, parse_count
from tandem.agent.templates import COUNT_WORDS, Part, literal_weight, parse_example, regex_of
from tandem.agent.words import MEASURE_WORDS, NEXT_STEP, REFER_BACK, alternatives, load

__all__ = ["bounded", "choice_value", "count_in", "ended", "grounded", "loose_slots", "names_nothing", "refers_back"]
_ARTICLES = {"a", "an", "ein", "eine", "einen", "einem"}  # counted only where an example puts a count


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
        for tail in _tails(parse_example(example), spec):
            body = regex_of(tail, spec.slots)
            patterns.append(re.compile(f"{boundary}{body}$", re.IGNORECASE))
    return tuple(dict.fromkeys(patterns))


def choice_value(spec: IntentSpec, slot: str, said: str) -> str | None:
    """The choice a slot's words stand for ("U-Bahn" → "metro"), or None."""
    words = fold(said)
    for value, synonyms in spec.choices.get(slot, {}).items():
        if fold(value) == words or any(fold(s) and fold(s) in words for s in synonyms):
            return value
    return None


def count_in(spec: IntentSpec, text: str, lang: str) -> int | None:
    """The count ``text`` says where ``spec`` takes one ("两张票" → 2, "two tickets" → 2; an article is no count)."""
    if "count" not in spec.slots.values():
        return None
    for match in re.finditer(rf"(?<![\w.:])({COUNT_WORDS})(?![\w:])" if lang != "zh" else
                             r"(\d{1,2}|[一二两三四五六七八九十]{1,2})(?=[张个份位杯只件本台双])", text, re.IGNORECASE):
        if match.group(1).lower() not in _ARTICLES:
            return parse_count(match.group(1))
    return None


def loose_slots(spec: IntentSpec, clause: str, lang: str) -> dict[str, str]:
    """Parameters of ``spec`` read from a clause (its time words already cut out) no template matched."""
    text = re.sub(r"^" + LEADS.get(lang, ""), "", clause.strip(), flags=re.IGNORECASE)
    text = re.sub(trailing(lang), "", text, flags=re.IGNORECASE).strip(" ,，。.!?！？")
    best: re.Match[str] | None = None
    for pattern in _loose_patterns(spec, lang):
        match = pattern.search(text)
        if match and (best is None or literal_weight(match) > literal_weight(best)):
            best = match
    raw = {k: v.strip() for k, v in (best.groupdict() if best else {}).items() if v and v.strip()}
    raw = {k: v for k, v in ended(spec, raw, lang).items() if v}  # a value running into a second request: dropped
    count = count_in(spec, text, lang)
    if count is not None and "count" in spec.slots:
        raw["count"] = str(count)
    for slot, kind in spec.slots.items():
        if kind == "place" and slot not in raw:
            place = next((k for k, words in PLACE_ALIASES.items() for w in words if _says(text, w, lang)), None)
            if place:
                raw[slot] = place
        if kind == "choice" and slot not in raw:
            value = next((v for v in spec.choices.get(slot, {}) if choice_value(spec, slot, text) == v), None)
            if value:
                raw[slot] = value
    return raw


def _says(text: str, words: str, lang: str) -> bool:
    if lang == "zh" or re.search(r"[\u4e00-\u9fff]", words):
        return words in text
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


def grounded(spec: IntentSpec, slot: str, value: object, text: str) -> bool:
    """Whether a proposed value was said in ``text``: a span, a count said, a saved place named, a choice's
    words. Times are grounded by the date/time reader, never by a model."""
    kind = spec.slots.get(slot)
    said = str(value).strip()
    if not said or kind is None:
        return False
    if kind == "count":
        return parse_count(said) is not None and parse_count(said) == count_in(spec, text, "zh" if re.search(
            r"[\u4e00-\u9fff]", text) else "en")
    if kind == "choice":
        return choice_value(spec, slot, text) == said
    if kind == "place" and said in PLACE_ALIASES:
        return any(_says(text, w, "") for w in PLACE_ALIASES[said])
    return bool(fold(said)) and fold(said) in fold(text) and bounded(said, detect_language(text)) == said


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


def ended(spec: IntentSpec, raw: dict[str, str], lang: str) -> dict[str, str | None]:
    """``raw``'s text and place values each ``bounded`` (None: it runs into a step of its own) and ``closed``, the
    others as they are."""
    counts = "count" in spec.slots.values()
    return {k: _ended(v, lang, spec.slots[k] == "place", counts) if spec.slots.get(k) in ("text", "place") else v
            for k, v in raw.items()}


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
    return {lang: frozenset(w.casefold() for w in (*data["measure"].get(lang, ()), *data["generic"].get(lang, ())))
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
    return any(w in words for w in tokens) and \
        all(w in words or re.fullmatch(COUNT_WORDS, w, re.IGNORECASE) for w in tokens)
