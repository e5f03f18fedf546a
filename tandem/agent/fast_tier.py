"""The fast tier: the capabilities' examples as templates per language, applied to each clause (~1 ms, no model).
``Understander`` (tandem.agent.understand) weighs its readings against the learned tier's."""

from __future__ import annotations

import datetime as dt
import re
import time
from functools import cache, lru_cache

from tandem.agent.capabilities import shipped
from tandem.agent.clauses import Intent, dictating, grouped, join, same_request
from tandem.agent.framed import frames, keeps_words
from tandem.agent.ground import dictated, ended, said_besides, saved_places, with_its_noun, without_choices
from tandem.agent.intents import IntentSpec, intent_tools, led
from tandem.agent.learned import not_requests
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.templates import literal_weight
from tandem.agent.understanding import Understanding, normalise_slots
from tandem.agent.writing import writing

__all__ = ["WEAK", "TemplateParser", "clean", "keeps_words", "trust_levels"]


def clean(text: str, pauses: bool = True) -> str:
    """``text`` as the templates read it: without quotes, a closing mark, doubled spaces and (``pauses``) the pauses of
    a clause."""
    text = re.sub(r"[\"“”„‚‘«»]|(?<!\w)['’]|['’](?!\w)", "", text.strip())  # quotes, not "mom's"
    text = re.sub(r"\s+", " ", re.sub(r"[.!?。！？]+$", "", text)).strip(" ,，")
    # No preposition is cut at the end: slots.extract_when takes the words that lead a time with it ("for 8pm", "gegen
    # 20 Uhr", "am Montag"), and a final word is the sentence's own ("Hol mich am Bahnhof ab", "what is it for").
    return re.sub(r"\s*[,:;]\s+", " ", text) if pauses else text  # "remind me, to ...", "note: ..." (Chinese: split)


def _marked(text: str, lang: str) -> str:
    """``text`` as a frame that must end with a mark reads it (``framed.frames``): cleaned, a colon or a dash kept
    apart from the words ("in den Kalender : zwei Karten …")."""
    kept = clean(text, pauses=False)
    return re.sub(r"\s*([:\-–])\s+", r" \1 ", kept) if writing(lang).spaced else kept


def _ended(spec: IntentSpec, raw: dict[str, str], lang: str, paused: str | None = None) -> dict[str, str] | None:
    """A template's values, each ended where the request's next step begins ("点一份披萨，然后把它送到办公室": the dish
    is 披萨, the rest says where it goes); None when a value runs into a step of its own (a second request).
    ``paused``: the clause with its pauses, which the template read without ("USB-C cables, ship to the office")."""
    cut = ended(spec, raw, lang, paused)
    return None if None in cut.values() else {k: v for k, v in cut.items() if v is not None}


WEAK = 8  # a template that spells out fewer characters than this ("book {film}") is only a guess
# A template that reads this many sentences learned as something else is loose (TemplateParser.loose): one may be an
# accident of one phrasing's words, two are a shape the template shares with another kind of sentence. Chosen on the
# tuning sets (docs/results/understanding.md, session 11): at 1 a template that read one other phrasing lost requests
# the learned tier does not rank first (tune half zh -2), at 2 no language lost one on any set.
_LOOSE = 2
_SOME_DAY = dt.datetime(2026, 1, 5, 12, 0)  # what a sentence's time words are read against when only its rest matters


@cache
def _rest(text: str, lang: str) -> str:
    """``text`` as the templates read it: its time words cut off, cleaned."""
    return clean(extract_when(text, _SOME_DAY, lang)[1])


@lru_cache(maxsize=4096)
def _reads(pattern: re.Pattern[str], lang: str, sentences: tuple[str, ...]) -> int:
    """How many of ``sentences`` ``pattern`` reads whole (once per process: every parser of these partners asks)."""
    return sum(1 for text in sentences if pattern.fullmatch(_rest(text, lang)))


def trust_levels(intents: tuple[IntentSpec, ...]) -> dict[str, int]:
    """Each capability's place in the trust order: every shipped partner first (level 0), then each added partner in
    the order given (the registry's: as added); the capabilities of one manifest share its level."""
    ours = {s.partner for s in shipped()}
    added = list(dict.fromkeys(s.partner for s in intents if s.partner not in ours))
    return {s.name: 0 if s.partner in ours else 1 + added.index(s.partner) for s in intents}


class TemplateParser:
    """The fast tier: the capabilities' examples as templates per language, applied to each clause."""

    def __init__(self, intents: tuple[IntentSpec, ...] | None = None, region: str = "") -> None:
        self.intents = shipped() if intents is None else intents
        self.region = region or None  # the user's (ISO 3166): how a date in digits is ordered ("05/06")
        self._loose: dict[tuple[str, str, int], bool] = {}
        self._levels: dict[str, int] | None = None
        self._frames: dict[tuple[str, str], tuple[tuple[re.Pattern[str], bool], ...]] = {}

    def loose(self, spec: IntentSpec, lang: str, index: int) -> bool:
        """Does ``spec``'s template ``index`` in ``lang`` also read (``_LOOSE`` or more) sentences the learned tier
        learns as something else: chat examples, near misses, or other capabilities' phrasings (its fallback's too: the
        learned tier tells a concert from a film better than "tickets for {film}") of partners trusted as much or more
        ("(搜|查|找){item}" reads recipes and alarms)? Then what it reads is only a guess, like a short template's. A
        partner added later cannot make an earlier one's templates loose (the trust order). Found on first use."""
        key = (spec.name, lang, index)
        if key not in self._loose:
            if self._levels is None:
                self._levels = trust_levels(self.intents)
            level, pattern = self._levels[spec.name], spec.patterns[lang][index]
            others = (*not_requests(lang), *(p for s in self.intents if s.name != spec.name
                                             and self._levels[s.name] <= level for p in s.phrasings.get(lang, ())))
            self._loose[key] = _reads(pattern, lang, others) >= _LOOSE
        return self._loose[key]

    @staticmethod
    def weak(intent: Intent) -> bool:
        """Is ``intent`` a template's guess the learned tier must confirm (a short or loose template read it)?"""
        return intent.weight < WEAK or intent.loose

    def _match(self, clause: str, lang: str, now: dt.datetime, live: set[str] | None) -> Intent | None:
        """The template that spells out most of the clause in its own words wins ("tickets for the concert X"
        is an event, not a film called "the concert X")."""
        when, rest = extract_when(clause, now, lang, self.region)
        timeless, as_said = clean(rest), clean(clause)
        best: tuple[tuple[bool, int], IntentSpec, dict[str, str], int] | None = None
        # after the words a to-do or a note is dictated after, only a capability that keeps the user's words reads
        # the clause ("提醒我明天退掉演唱会的票" is no concert "提醒我退掉", review-lead30 P-3; "提醒我周五买两张
        # 周杰伦演唱会的票" no purchase of tickets for "提醒")
        keeping = dictating(clause, lang)
        for spec in self.intents:
            if (live is not None and spec.name not in live) or (keeping and not keeps_words(spec)):
                continue
            cleaned = as_said if dictated(spec) else timeless  # a note keeps its dates ("passport expires 2031-05-02")
            readings: list[tuple[str, dict[str, str]]] = [(cleaned, {})]  # and without choice words ("zu Fuß")
            apart, chosen = without_choices(spec, cleaned, lang) if spec.choices else (cleaned, {})
            readings += [(apart, chosen)] if chosen else []
            marked: list[tuple[str, dict[str, str]]] = [(_marked(clause if dictated(spec) else rest, lang), {})]
            framed = False  # a frame of ``spec`` read the clause (its frames come first)
            for index, pattern, needs_mark in self._patterns(spec, lang):
                for said, chose in marked if needs_mark else readings:
                    found = led(pattern, said, lang)
                    # a frame said first wins over the other capabilities: what follows it is its value, whatever it
                    # asks (``framed``); of its own capability's templates the one that spells out most still wins
                    # ("添加日程：羽毛球训练，地点在体育馆" has a place)
                    rank = (framed or index < 0, literal_weight(found)) if found else None
                    if found and rank and (best is None or rank > best[0]):
                        raw = self._values(spec, found, chose, (said, cleaned, clause, rest), lang, index < 0)
                        best = (rank, spec, raw, index) if raw is not None else best
                        framed = framed or (raw is not None and index < 0)
        if best is None:
            return None
        (framed, weight), spec, raw, index = best
        spans = {**raw, **({spec.when_slot: when.text} if when and spec.when_slot else {})}
        return Intent(spec.name, normalise_slots(spec, raw, when), clause.strip(), spans, weight,
                      not framed and self.loose(spec, lang, index), framed)

    @staticmethod
    def _values(spec: IntentSpec, found: re.Match[str], chose: dict[str, str], said: tuple[str, str, str, str],
                lang: str, framed: bool) -> dict[str, str] | None:
        """The values a template's match ``found`` read (with the choices ``chose`` read apart), ended where the
        request's next step begins; ``said``: the words it read, cleaned, the clause and its rest without its time.
        None where a value runs into a step of its own, or where a ``framed`` value is none (only closing words)."""
        read, cleaned, clause, rest = said
        raw = _ended(spec, {**chose, **{k: v for k, v in found.groupdict().items() if v}}, lang,
                     clause if dictated(spec) else rest)
        raw = with_its_noun(spec, raw, read, lang) if raw is not None and not framed else raw  # a frame's: all after it
        if raw is not None:
            raw = {**said_besides(spec, raw, cleaned, lang), **saved_places(spec, raw, cleaned)}
        return None if raw is None or (framed and not all(map(raw.get, found.groupdict()))) else raw

    def _patterns(self, spec: IntentSpec, lang: str) -> list[tuple[int, re.Pattern[str], bool]]:
        """``spec``'s frames (``framed.frames``) in ``lang`` at negative indexes, then its templates by their index,
        each with whether it reads only a clause whose mark ends it."""
        if (spec.name, lang) not in self._frames:
            self._frames[spec.name, lang] = frames(spec, lang)
        return [*((-1 - at, pattern, marked) for at, (pattern, marked) in enumerate(self._frames[spec.name, lang])),
                *((at, pattern, False) for at, pattern in enumerate(spec.patterns.get(lang, ())))]

    def parse(self, text: str, now: dt.datetime, *, lang: str | None = None,
              live: set[str] | None = None) -> Understanding:
        """Intents for every clause, or no match when any clause is not understood."""
        started = time.perf_counter()
        lang = lang or detect_language(text)
        intents = self._read(text, lang, now, live)
        found = tuple(i for i in intents if i is not None)
        matched = bool(found) and len(found) == len(intents)
        return Understanding(found if matched else (), "fast" if matched else "none",
                             self._confidence(found) if matched else 0.0, lang,
                             (time.perf_counter() - started) * 1000, ("fast",))

    def agreed(self, text: str, now: dt.datetime, *, lang: str, live: set[str] | None = None) -> bool:
        """Did the templates read every clause of ``text`` (several) as one capability, or one and the capability it
        falls back to ("buy tickets for the Coldplay concert and buy me two tickets")?"""
        read = self._clauses(text, lang, now, live)
        intents = read if len(read) > 1 else []
        return bool(intents) and same_request([i for i in intents if i is not None], intent_tools(self.intents)) \
            and None not in intents

    def _clauses(self, text: str, lang: str, now: dt.datetime, live: set[str] | None) -> list[Intent | None]:
        """What the templates read in each of ``text``'s requests: its pieces, each one a template reads, or else kept
        with the one before it (``grouped``); one (the whole text) when no two pieces are read alone."""
        found: dict[str, Intent | None] = {}

        def read(clause: str) -> Intent | None:
            if clause not in found:
                found[clause] = self._match(clause, lang, now, live)
            return found[clause]
        return [read(clause) for clause in grouped(text, lang, lambda clause: read(clause) is not None)]

    def _read(self, text: str, lang: str, now: dt.datetime,
              live: set[str] | None) -> list[Intent | None]:
        """The requests of ``text``'s clauses, joined, or else of the whole sentence ("Pizza und Cola")."""
        intents = self._clauses(text, lang, now, live)
        joined = join(intents, intent_tools(self.intents), lang) if len(intents) > 1 else intents
        return [self._match(text, lang, now, live)] if joined is None else list(joined)

    def _confidence(self, intents: tuple[Intent, ...]) -> float:
        """A whole-sentence template match is near certain; slots still missing (to be asked) lower it."""
        specs = {s.name: s for s in self.intents}
        shares = [sum(1 for r in specs[i.name].required if r in i.slots) / len(specs[i.name].required)
                  if specs[i.name].required else 1.0 for i in intents]
        weak = any(self.weak(i) for i in intents)  # "book Dune": a verb and a guess, confirmed by the learned tier
        return round((0.5 if weak else 0.8) + 0.15 * min(shares), 3)
