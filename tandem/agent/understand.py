"""Tiered understanding: what does the user want, as intents with normalised slots?

    fast    the capabilities' example sentences as templates, over clauses; ~1 ms, no model
    learned a sentence-embedding classifier over every installed capability's examples, with an explicit
            "none of these" (chat); parameters read where the examples frame them (``ground.loose_slots``)
    device  the on-device Qwen fills the chosen capability's missing parameters under a grammar (or, with
            no learned tier, picks among the capabilities as tools); only values the user said are kept
    check   (off unless a band is given) where the learned tier is unsure, the device Qwen picks among its
            likeliest capabilities or none (``understand_check``)
    cloud   an injected cloud Model (through the router, pseudonymised by it), same contract

The first tier that is confident enough wins. Every result carries its tier and confidence, and "no
match" is an ``Understanding`` with no intents, not an exception: the caller answers it as chat.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

from tandem.agent.apart import in_frame, said_at
from tandem.agent.capabilities import shipped
from tandem.agent.clauses import Intent, cut, grouped, join
from tandem.agent.declined import (
    PAUSE,
    asks_first,
    declined,
    later,
    lead_words,
    says,
    spared,
    unconditional,
    unreasoned,
)
from tandem.agent.fast_tier import WEAK, TemplateParser, clean, keeps_words, trust_levels
from tandem.agent.ground import dictated, loose_slots
from tandem.agent.intents import IntentSpec, asks_whether, intent_tools
from tandem.agent.learned import CHAT, LearnedTier, familiar, informal, sample_values, unframed
from tandem.agent.model_tiers import ModelParser, SlotFiller, sum_usage
from tandem.agent.order_ids import routed
from tandem.agent.repairs import taken_back
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.spelling import as_typed
from tandem.agent.told import own_words, told, unsaid, untold
from tandem.agent.understand_check import Band, CapabilityCheck
from tandem.agent.understanding import Tier, Understanding, normalise_slots
from tandem.models.base import Model
from tandem.types import Usage

__all__ = ["Intent", "LearnedParser", "ModelParser", "SlotFiller", "TemplateParser", "Tier", "Understander",
           "Understanding", "normalise_slots", "trust_levels"]

_clean = clean  # the templates' cleaning (tandem.agent.fast_tier), by the name tests import it as
_CERTAIN = 0.95  # a strong template match with every required parameter (see TemplateParser._confidence)
_STRONG = 0.7  # a template match at least this confident stands unless the learned tier places it clearly elsewhere


@dataclass
class _Asked:
    """What one parse asked the device model. Kept per parse, never on the parser: the server's threads parse
    with one parser at once, and each reports only the calls it made."""

    checked: bool = False  # the device check decided a clause (the learned tier was unsure)
    usage: list[Usage] = field(default_factory=list)  # of each device call that answered


class LearnedParser:
    """The learned tier: which capability each clause asks for (or none: chat), parameters read where the
    examples frame them, then filled by the device model when one is given and grounded in the words."""

    def __init__(self, tier: LearnedTier, intents: tuple[IntentSpec, ...], filler: SlotFiller | None = None,
                 check: CapabilityCheck | None = None, region: str = "") -> None:
        self.tier, self.intents, self.filler, self.check = tier, intent_tools(intents), filler, check
        self.region = region or None

    def _capability(self, clause: str, live: set[str] | None, check: bool, asked: _Asked) -> str | None:
        """The learned tier's capability for ``clause``; when it is unsure and a device check is given (and
        wanted), the device model's choice among its likeliest ones (or none)."""
        name = self.tier.classify(clause).intent
        if self.check is not None and check:
            offered = tuple(n for n in self.check.candidates(self.tier.scores(clause), self.tier.threshold,
                                                             self.tier.lead_of)
                            if live is None or n in live)
            if offered:
                name, usage = self.check.decide(clause, offered)
                asked.checked = True
                asked.usage += [usage] if usage is not None else []
        return name

    def _sure(self, clause: str) -> bool:
        """Is ``clause`` a request of its own (a sentence is cut into several only when each is)?"""
        guess = self.tier.classify(clause)
        return guess.intent is not None and guess.score >= self.tier.several

    def _clause(self, clause: str, lang: str, now: dt.datetime, live: set[str] | None, check: bool,
                asked: _Asked, fill: bool = True) -> Intent | None:
        name = self._capability(clause, live, check, asked)
        if name is None or (live is not None and name not in live) or name not in self.intents:
            return None
        return self.read_as(name, clause, lang, now, asked, fill)

    def read_as(self, name: str, clause: str, lang: str, now: dt.datetime, asked: _Asked | None = None,
                fill: bool = True) -> Intent:
        """``clause`` read as a request of capability ``name``: its parameters where the examples frame them, the
        required ones the words did not give filled by the device model (when given and ``fill``)."""
        asked = asked or _Asked()
        spec = self.intents[name]
        when, rest = extract_when(clause, now, lang, self.region)
        rest = clause if dictated(spec) else rest  # a note keeps its dates
        raw: dict[str, Any] = loose_slots(spec, clean(rest), lang, rest)
        # Only required parameters the words did not give are worth a device call: an optional one left out
        # is left out (the partner's default), never guessed by the model nor asked of the user.
        wanted = [s for s in spec.required if s not in raw and spec.slots[s] != "when"]
        if self.filler is not None and wanted and fill:
            filled, usage = self.filler.fill(spec, clause, now, wanted)
            raw.update(filled)
            asked.usage += [usage] if usage is not None else []
        spans = {k: str(v) for k, v in raw.items()}
        if when and spec.when_slot:
            spans[spec.when_slot] = when.text
        return Intent(spec.name, normalise_slots(spec, raw, when), clause.strip(), spans)

    def parse(self, text: str, now: dt.datetime, *, lang: str | None = None, live: set[str] | None = None,
              check: bool = True, fill: bool = True) -> Understanding:
        """An intent for every clause, or for the whole sentence; else no match (chat). ``check``: the device
        model may decide where the learned tier is unsure (not when a strong template match stands anyway);
        ``fill``: it may fill the required parameters the words did not give."""
        started, asked = time.perf_counter(), _Asked()
        lang = lang or detect_language(text)
        clauses = grouped(text, lang, self._sure)
        if len(clauses) == 1 and self.tier.beside(text, cut(text, lang)):  # beside a sure request: any request
            clauses = grouped(text, lang, lambda clause: self.tier.classify(clause).intent is not None)
        several = len(clauses) > 1
        clauses_read = [self._clause(c, lang, now, live, check, asked, fill) for c in clauses] if several else []
        joined = join(clauses_read, self.intents, lang) if several else None
        intents: list[Intent | None] = [self._clause(text, lang, now, live, check, asked, fill)] if joined is None \
            else list(joined)
        found = tuple(i for i in intents if i is not None)
        matched = bool(found) and len(found) == len(intents)
        usage = sum_usage(*asked.usage)
        model = self.filler.model if self.filler is not None else self.check.model if self.check else None
        return Understanding(found if matched else (), "learned" if matched else "none", 0.75 if matched else 0.0,
                             lang, (time.perf_counter() - started) * 1000,
                             ("learned", "check") if asked.checked else ("learned",),
                             model.info.id if model is not None and usage else None, usage)


class Understander:
    """Tries the fast tier, then the learned tier (with the device model filling parameters), then the cloud
    model, keeping the first confident answer. The learned tier's "none of these" is final: a question or
    small talk is chat, and no later tier may turn it into a task. It also checks a template's single
    match: a partner's broad template ("ich hätte gern {dish} nach {place}") must not take a request that
    the examples of every installed capability place elsewhere (a taxi). Without a learned tier the device
    model picks among the capabilities itself. Given a ``check`` band, the device model also decides where the
    learned tier is unsure (``understand_check``; off by default: it did not pay on the bench)."""

    def __init__(self, *, intents: tuple[IntentSpec, ...] | None = None, device: Model | None = None,
                 cloud: Model | None = None, learned: LearnedTier | None = None, city: str = "",
                 check: Band | None = None, region: str = "") -> None:
        intents = shipped() if intents is None else intents
        self.intents, self.region = intents, region  # the user's region (ISO 3166): how "05/06" is ordered
        self.fast = TemplateParser(intents, region)
        self._fallbacks = frozenset((i.name, i.instead[0]) for i in intents if i.instead)
        self._named_specs = intent_tools(intents)
        self._trust = trust_levels(intents)
        self._before: dict[int, LearnedTier] = {}  # trust level -> the learned tier of the partners up to it
        self._verbs: dict[str, tuple[frozenset[str], frozenset[tuple[str, str]]]] = {}  # language -> ``_familiar``
        self._openings: dict[tuple[str, str], frozenset[str]] = {}  # (capability, language) -> ``_opens``
        self._said: dict[str, frozenset[str]] = {}  # language -> ``_verbs_said``
        # per category: the transactional capabilities of the others (``_framed_keeping``: a calendar entry's own
        # cancelling is read as said, another partner's purchase is no calendar entry's)
        self._committing = {spec.category: frozenset(s.name for s in intents if s.transactional
                                                     and s.category != spec.category) for spec in intents}
        self.learned = LearnedParser(learned, intents, SlotFiller(device, city) if device else None,
                                     CapabilityCheck(device, intents, check) if device and check else None,
                                     region) if learned is not None else None
        self.models: list[ModelParser] = []
        if learned is None and device is not None:
            self.models.append(ModelParser(device, "device", intents, region=region))
        if learned is None and cloud is not None:
            self.models.append(ModelParser(cloud, "cloud", intents, confidence=0.85, region=region))

    def warm(self) -> int:
        """Evaluate the device model's fixed prompt parts ahead of use (after the model is loaded, before requests
        come): each capability's slot-filling message, and the check's. How many were kept."""
        if self.learned is None:
            return 0
        done = self.learned.filler.warm(self.intents) if self.learned.filler is not None else 0
        return done + (self.learned.check.warm() if self.learned.check is not None else 0)

    def understand(self, text: str, now: dt.datetime | None = None, *, live: set[str] | None = None) -> Understanding:
        """The first tier's answer that matched; no match (tier "none") when none did. A request that names a partner's
        order id is the request of the capability declaring its shape (``order_ids.routed``: "订单SH-0F79的状态" read as
        the food order's tracking asks the shop's), as the assistant reads it."""
        understood = self._understood(text, now or dt.datetime.now(), live, device=True)
        named = self._named_specs
        return replace(understood, intents=tuple(routed(i, named, named if live is None else live)
                                                 for i in understood.intents))

    def _understood(self, text: str, now: dt.datetime, live: set[str] | None, *, device: bool) -> Understanding:
        """``understand``; without the ``device`` model (no check, no filling, no model tier): the fast and learned
        tiers alone, as a piece of a sentence is read (``_apart``)."""
        return self._tiers(text, now, live, device=device)[0]

    def _tiers(self, text: str, now: dt.datetime, live: set[str] | None, *,
               device: bool, again: bool = True) -> tuple[Understanding, bool]:
        """``_understood``, and whether the templates read ``text`` (whatever the learned tier then made of it).
        Without ``again``, a correction's later clause is not read (``_declining``: once, never clause by clause)."""
        started = time.perf_counter()
        lang = detect_language(text)
        typed, text = text, taken_back(text, lang)  # without fillers and words taken back ("two no three portions")
        said = text  # as said, for what it declines: "nie wieder bei dem Laden bestellen" is no "bestell nie ..."
        # without the reasons given after the request: what a reason names is no request ("cancel the pizza, we're going
        # to the cinema instead" was read as the cinema's cancellation; ``declined.unreasoned``)
        text = unreasoned(text, lang, self._verbs_said(lang))
        result, tried = self.fast.parse(text, now, lang=lang, live=live), ["fast"]
        if not result.matched:
            text, result = self._plain(text, result, now, lang, live)
        templates = result.matched
        # A request the templates read in every clause as one capability stands, like several requests do: the
        # learned tier reads only whole sentences ("buy tickets for the Coldplay concert and buy me two tickets").
        # Several requests with a guess among them have each guess weighed on its own clause.
        several = len(result.intents) > 1
        # a frame said first stands as read: what follows is its title or to-do (tandem.agent.framed, R31-14)
        framed = not several and result.matched and result.intents[0].framed
        if self.learned is not None and several and result.confidence < _STRONG:
            result = self._weighed(result, now, lang, live)
            tried.append("learned")
        elif self.learned is not None and not framed and (not result.matched or (
                not several and not self.fast.agreed(text, now, lang=lang, live=live))):
            guess = self.learned.parse(text, now, lang=lang, live=live, fill=device,
                                       check=device and (not result.matched or result.confidence < _STRONG))
            tried.extend(guess.tried)
            checked = self._checked(text, result, guess)
            result = self._undoing_said(text, self._framed_keeping(result, checked, lang, now, live) or checked,
                                        lang, now, live, fill=device)
        if self.learned is not None and len(result.intents) == 1 and \
                (apart := self._apart(text, result.intents[0], now, lang, live)):
            result = replace(result, intents=apart[0].intents, tier=apart[0].tier, confidence=apart[0].confidence)
        elif self.learned is not None and not result.matched and (mixed := self._mixed(text, now, lang, live)):
            result = replace(result, intents=mixed.intents, tier=mixed.tier, confidence=mixed.confidence)
        for tier in self.models if device and not result.matched else ():
            tried.append(tier.tier)
            guess = tier.parse(text, now, lang=lang, live=live)
            if guess.matched:
                result = guess
                break
        if own_words(result.intents, self._named_specs, lang):
            pass  # "remind me at 9: don't leave the heater on": the negation is the to-do's, no act declined
        elif refused := declined(said, lang, self._familiar(lang)):
            result, templates = self._declining(said, refused, result, templates, now, lang, live, device=device,
                                                again=again)
            result = replace(result, declines=True)
        elif again and (rest := spared(said, lang, self._familiar(lang))) is not None:
            result, templates = self._spared(rest, result, templates, now, lang, live, device=device)
            result = replace(result, declines=True)
        if again and (rest := self._untold_rest(result, said, lang)) is not None:
            result, templates = self._asked_apart(rest, result, templates, now, live, device=device)
        result = self._unasked(result, said, lang)
        # The user's own words (a note's text, a to-do, a title) as typed, a value a partner looks up as read
        # (reread26 M4 without H4: '記一下：乾隆皇帝的書在書房' kept traditional, '幫我點兩份餃子' orders 饺子).
        return replace(result, intents=as_typed(result.intents, self.intents, typed, lang), language=lang,
                       latency_ms=(time.perf_counter() - started) * 1000,
                       tried=tuple(tried)), templates

    def _plain(self, text: str, result: Understanding, now: dt.datetime, lang: str,
               live: set[str] | None) -> tuple[str, Understanding]:
        """``text`` said as the templates say a request, and their reading of it, where they read it so and not as
        said (``result``): in the familiar imperative ("Buchen Sie mir ...", "... eintragen": read by every tier as
        "buch mir ..."; ``learned.informal``), or without the words that put it as a plea (``learned.unframed``:
        "能不能提醒我六点给妈妈打电话", "可不可以帮我记一下：…" are requests, review29 R29-18; the tiers read it so)."""
        for plain in (informal(text, lang, self._familiar(lang)), unframed(text, lang)):
            if plain is not None and (read := self.fast.parse(plain, now, lang=lang, live=live)).matched:
                return plain, read
        return text, result

    def _undoing_said(self, text: str, result: Understanding, lang: str, now: dt.datetime, live: set[str] | None, *,
                      fill: bool) -> Understanding:
        """``result``, the learned tier's one reading, as the undoing the tier ranks next where it read a new order or
        purchase whose verb the sentence does not open with (``asks_first``) and it opens with a verb of that undoing
        that the purchase's examples do not open with: "取消今晚八点沙丘的电影票" was a purchase of the tickets
        (review-lead30 P-2: the tier scored the purchase 0.52, the cancellation 0.43), "erstatte mir die Karten für
        das Konzert" one of concert tickets. Only the runner-up: a verb word one undoing's examples open with
        ("get", "Kinotickets") says nothing where the tier sees no undoing near ("get me a phone charger")."""
        specs = self._named_specs
        if result.tier != "learned" or len(result.intents) != 1 or self.learned is None:
            return result
        name = result.intents[0].name
        if not specs[name].transactional or specs[name].own or asks_first(text, lang, self._opens(name, lang)):
            return result
        scores = self.learned.tier.scores(text)
        ranked = sorted((n for n in scores if n != CHAT and n in specs), key=scores.__getitem__, reverse=True)
        undoing = ranked[1] if len(ranked) > 1 and ranked[0] == name else None
        if undoing is None or not (specs[undoing].transactional and specs[undoing].own) or \
                (live is not None and undoing not in live) or \
                not asks_first(text, lang, self._opens(undoing, lang) - self._opens(name, lang)):
            return result
        return replace(result, intents=(self.learned.read_as(undoing, text, lang, now, fill=fill),))

    def _framed_keeping(self, fast: Understanding, checked: Understanding, lang: str, now: dt.datetime,
                        live: set[str] | None) -> Understanding | None:
        """``fast``, the templates' one reading of a capability that keeps the user's words (``keeps_words``: a note, a
        reminder, a calendar entry), where the learned tier confirms the frame the template read: the sentence with each
        value spelled as its parameter's sample ("take a note: the spare key is under the mat"). What the note says is
        no request of its own ("take a note: buy batteries for the remote", "记一下：给遥控器买电池": e5 read the
        purchase, review29 R29-16); the words that open it name the capability, as "remind me to order pizza" is a
        reminder. A reminder or calendar entry is judged so only where ``checked`` (the tiers' reading) would commit
        with another partner instead ("remind me to book two tickets for Dune tonight at 8" bought them: review30
        R30-8; "明天约的会议取消" stays the calendar's cancelling). None where the frame is no such request: the learned
        tier then judges the whole sentence."""
        assert self.learned is not None
        if len(fast.intents) != 1 or not keeps_words(spec := self._named_specs[fast.intents[0].name]):
            return None
        if not dictated(spec) and not self._committing[spec.category] & {i.name for i in checked.intents}:
            return None
        intent, samples = fast.intents[0], sample_values(spec, lang)
        frame = intent.text
        for slot, said in intent.spans.items():
            if said and samples.get(slot) and (at := frame.rfind(said)) >= 0:
                frame = frame[:at] + samples[slot][0] + frame[at + len(said):]
        if frame == intent.text:
            return None
        judged = self.learned.parse(frame, now, lang=lang, live=live, check=False, fill=False)
        return fast if self._checked(frame, fast, judged) is fast else None

    def _declining(self, text: str, refused: frozenset[str], result: Understanding, templates: bool,
                   now: dt.datetime, lang: str, live: set[str] | None, *, device: bool,
                   again: bool) -> tuple[Understanding, bool]:
        """``result`` of ``text``, which declines the verbs ``refused`` (``declined``): what the user says not to do is
        never turned into another act. A reading stands only when its capability does not open with a declined verb
        ("don't cancel FD-…" is no cancellation) and, where the declined verb opens a transactional capability (an
        order, a purchase: the manifest's `transactional`), the sentence says one of the reading's own verbs
        (``says``): "please don't order the sushi yet" / "never order from there again" are no cancellation of the
        user's real order (review26 P26-4, reread26 H2: e5 read them so). "I won't make the haircut, scrap it from
        the calendar" keeps its calendar cancellation ("make" orders nothing; "scrap" opens no example).
        Where the whole reading holds a declined act or nothing stands, a correction is read from its later clause
        alone (``later``: "don't book Dune, book two tickets for Wicked", "别取消外卖，帮我取消电影票": review26
        R26-5), whose readings must open it with their verb and hold no condition (``asks_first``: "…, but if it's
        still available tomorrow book two tickets", "…, Lisa said order two pizzas" ask nothing: reread27 H2) and say
        a declined verb again if they open with one ("don't cancel the tickets, cancel the pizza"); no task
        otherwise. The later clause is read once (``again``), not clause by clause: a line of a thousand "don't
        cancel," is one more read."""
        opens = self._opens
        ordered = any(spec.transactional for spec in self.intents if refused & opens(spec.name, lang))
        kept = tuple(i for i in result.intents if not refused & opens(i.name, lang)
                     and (not ordered or says(text, lang, opens(i.name, lang))))
        if kept and not any(refused & opens(i.name, lang) for i in result.intents):
            return (result, templates) if kept == result.intents else (replace(result, intents=kept), False)
        if again and (rest := later(text, lang)):
            read, fast = self._tiers(rest, now, live, device=device, again=False)
            fresh = tuple(i for i in read.intents if asks_first(rest, lang, opens(i.name, lang))
                          and (not refused & opens(i.name, lang) or says(rest, lang, refused & opens(i.name, lang))))
            if fresh:
                return replace(read, intents=fresh, tried=result.tried + read.tried), fast and fresh == read.intents
        return replace(result, intents=(), tier="none", confidence=0.0), False

    def _spared(self, rest: str, result: Understanding, templates: bool, now: dt.datetime, lang: str,
                live: set[str] | None, *, device: bool) -> tuple[Understanding, bool]:
        """``result`` of a sentence with a clause that declines what it names (``spared``: "storniere nicht die
        Kinokarten, sondern die Pizza", "cancel the pizza, not the cinema tickets", "电影票不取消，取消外卖"; review27
        P27-5: the learned tier read each as the cinema's cancellation and the yes cancelled the tickets): its other
        clauses ``rest`` read alone (once), whose readings must open it with their verb and hold no condition
        (``asks_first``: "cancel not the movie, Lisa said so" asks nothing); the sentence's own reading where they
        read it alike with no condition ("not my calendar, my reminders: what's pending"); no task otherwise
        ("not the cinema tickets" alone, "外卖别取消，挺好吃的")."""
        if not rest:
            return replace(result, intents=(), tier="none", confidence=0.0), False
        read, fast = self._tiers(rest, now, live, device=device, again=False)
        read = read if read.intents else self._opened(rest, read, now, lang, live, device=device)
        fresh = tuple(i for i in read.intents if asks_first(rest, lang, self._opens(i.name, lang)))
        alike = bool(result.intents) and [i.name for i in read.intents] == [i.name for i in result.intents]
        if alike and (templates or unconditional(rest, lang)):
            return result, templates
        if fresh:
            return replace(read, intents=fresh, tried=result.tried + read.tried), fast and fresh == read.intents
        return replace(result, intents=(), tier="none", confidence=0.0), False

    def _opened(self, rest: str, read: Understanding, now: dt.datetime, lang: str, live: set[str] | None, *,
                device: bool) -> Understanding:
        """``read``, the tiers' "none" of a spared sentence's other clauses ``rest``, as the capability the learned tier
        ranks first where it ranks it above chat (short of its lead) and ``rest`` opens with its verb (``asks_first``):
        the user said the verb, and the clause beside it declined the other order ("storniere die Pizza, die
        Kinokarten nicht": "storniere die Pizza" alone is 5 times likelier the food order's cancellation than chat,
        short of German's lead of 6)."""
        if self.learned is None:
            return read
        scores = self.learned.tier.scores(rest)
        best = max((n for n in scores if n != CHAT), key=scores.__getitem__, default=None)
        if best is None or scores[best] <= scores.get(CHAT, 0.0) or (live is not None and best not in live) or \
                not asks_first(rest, lang, self._opens(best, lang)):
            return read
        return replace(read, intents=(self.learned.read_as(best, rest, lang, now, fill=device),), tier="learned",
                       confidence=0.5)

    def _untold_rest(self, result: Understanding, text: str, lang: str) -> str | None:
        """``text`` without its clauses that tell of an act done (``told``), where ``result`` would place a new order
        or purchase that no other clause opens with its verb (``asks_first``), and another clause opens with the verb of
        another capability ("we booked two tickets for Wicked, show me the order": e5 read the booking, review29
        R29-17; "I ordered a pizza, order one more" asks for it); None otherwise."""
        specs = self._named_specs
        placing = [i.name for i in result.intents if specs[i.name].transactional and not specs[i.name].own]
        if not placing:
            return None
        verbs = self._familiar(lang)[0]
        clauses = [c.strip() for c in re.split(PAUSE, text) if c.strip()]
        rest = [c for c in clauses if not told(c, lang, verbs)]
        if not rest or len(rest) == len(clauses) or \
                all(any(asks_first(c, lang, self._opens(name, lang)) for c in rest) for name in placing):
            return None
        others = frozenset().union(*(self._opens(name, lang) for name in specs if name not in placing))
        return ", ".join(rest) if any(asks_first(c, lang, others) for c in rest) else None

    def _asked_apart(self, rest: str, result: Understanding, templates: bool, now: dt.datetime,
                     live: set[str] | None, *, device: bool) -> tuple[Understanding, bool]:
        """What ``rest``, the clauses that ask (``_untold_rest``), ask for read alone; nothing (no task) where they
        read as nothing ("show me the order": which one is not said)."""
        read, fast = self._tiers(rest, now, live, device=device, again=False)
        if not read.intents:
            return replace(result, intents=(), tier="none", confidence=0.0), False
        return replace(read, tried=result.tried + read.tried), fast

    def _unasked(self, result: Understanding, text: str, lang: str) -> Understanding:
        """``result`` without the readings ``text`` does not ask for: a new order where it only tells of one done
        (``told.untold``), nor an undoing of one where it only tells of that undoing done (``_told_undoing``), a
        follow-up on an order where it wonders what to order (``told.unsaid``: learned ones)."""
        verbs, specs = self._familiar(lang)[0], self._named_specs
        kept = untold(result.intents, specs, text, lang, verbs)
        kept = tuple(i for i in kept if not (specs[i.name].transactional and self._told_undoing(i.name, text, lang)))
        if result.tier == "learned":
            kept = unsaid(kept, specs, text, lang, self._opens)
        if kept == result.intents:
            return result
        return replace(result, intents=kept) if kept else replace(result, intents=(), tier="none", confidence=0.0)

    def _told_undoing(self, name: str, text: str, lang: str) -> bool:
        """Does every clause of ``text`` tell, in the past, of the act of undoing capability ``name`` (its own verbs:
        ``told``)? "my colleague cancelled his pizza", "I've already cancelled it" were the user's own order's
        cancellation (review30 R30-4); "scrap the takeaway I ordered earlier" tells of no cancelling, and "Priya
        cancelled our call, wipe it from the schedule" asks in its other clause."""
        if not self._named_specs[name].own:
            return False
        # its own verbs, not a lead nor one a capability that commits nothing opens with too ("get": "my knee surgery
        # got moved … refund what I paid" tells of no refund)
        specs = self._named_specs
        looking = frozenset().union(*(self._opens(n, lang) for n, s in specs.items() if not s.transactional))
        verbs = (self._opens(name, lang) & self._verbs_said(lang)) - looking
        clauses = [c.strip() for c in re.split(PAUSE, text) if c.strip()]
        return bool(clauses) and all(told(c, lang, verbs) for c in clauses)

    def _familiar(self, lang: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        """The verbs the installed capabilities' examples in ``lang`` open and close with (``learned.familiar``)."""
        if lang not in self._verbs:
            self._verbs[lang] = familiar(self.intents, lang)
        return self._verbs[lang]

    def _verbs_said(self, lang: str) -> frozenset[str]:
        """The verbs the installed capabilities' examples in ``lang`` open with, but the leads a sentence opens with
        anyway ("I", "wir", "我": declined.toml): a part of a sentence that says one is no reason (``unreasoned``)."""
        if lang not in self._said:
            self._said[lang] = frozenset(self._familiar(lang)[0] - lead_words(lang))
        return self._said[lang]

    def _opens(self, name: str, lang: str) -> frozenset[str]:
        """The verbs capability ``name``'s examples in ``lang`` open with (``learned.familiar`` of it alone)."""
        if (name, lang) not in self._openings:
            self._openings[name, lang] = familiar([self._named_specs[name]], lang)[0]
        return self._openings[name, lang]

    def _mixed(self, text: str, now: dt.datetime, lang: str, live: set[str] | None) -> Understanding | None:
        """The requests of ``text``'s pieces read one by one (``_apart``), where no tier read it whole and the templates
        read one of its pieces: "Kannst du mir eine Margherita ins Büro schicken und zwei Tickets für Dune heute um 20
        Uhr holen?" has no template for its first piece, so the templates read nothing, and the learned tier reads
        the whole, a mix of two requests, as none of these."""
        apart = self._apart(text, None, now, lang, live)
        return apart[0] if apart is not None and apart[1] else None

    def _apart(self, text: str, whole: Intent | None, now: dt.datetime, lang: str,
               live: set[str] | None) -> tuple[Understanding, bool] | None:
        """The requests of ``text``'s pieces (``clauses.cut``: at a conjunction or a pause), read one by one, where it
        was read as the one request ``whole`` (None: as nothing, ``_mixed``): "八点提醒我交电费，周五日程是啥" is a
        reminder and a look at the calendar, though the templates read one reminder whose to-do runs on, and the
        learned tier's first capability agrees.
        Only when the fast and learned tiers (no device call: a piece is read in milliseconds) read every piece alone
        as a request that names what its capability needs (its required free text) and a value, or a later piece
        behind the first one's frame (``_framed``: "remind me to water the plants at 8 and to pay the rent on
        Friday"), and ``whole`` took no value from a later piece read alone ("two tickets for the concert and send
        them to my office": the office is where the tickets go); None otherwise. With the requests, whether the
        templates read any of the pieces. The requests are as sure as the least sure piece, and the learned tier's
        when it read any of them (``_joined``)."""
        pieces = cut(text, lang)
        first = self._read_piece(pieces[0], now, live) if len(pieces) > 1 else None
        if first is None:
            return None
        read: list[tuple[Understanding, bool]] = [first]
        for piece in pieces[1:]:  # each piece read only while every one before it was a request (review RR-7)
            found = self._read_piece(piece, now, live)
            if found is not None and whole is not None and any(said and said in piece and said not in pieces[0]
                                                               for said in whole.spans.values()):
                return None
            found = found or self._framed(pieces[0], first[0].intents[0], piece, now, lang, live)
            if found is None:  # "... and to pay the rent ..." read in the first one's frame, or nothing
                return None
            read.append(found)
        joined = self._joined([reading for reading, _ in read], lang)
        return (joined, any(templates for _, templates in read)) if joined is not None else None

    def _joined(self, read: list[Understanding], lang: str) -> Understanding | None:
        """The pieces' requests ``read`` as one understanding (``clauses.join``), when they are more than one: as sure
        as the least sure piece, of the learned tier when it read any of them (else the templates')."""
        joined = join([reading.intents[0] for reading in read], intent_tools(self.intents), lang)
        if joined is None or len(joined) < 2:
            return None
        tier: Tier = "learned" if any(reading.tier == "learned" for reading in read) else "fast"
        return Understanding(tuple(joined), tier, min(reading.confidence for reading in read), lang)

    def _read_piece(self, piece: str, now: dt.datetime, live: set[str] | None) -> tuple[Understanding, bool] | None:
        """The one request ``piece`` says alone, naming what its capability needs (``_named``), by the fast and
        learned tiers, and whether the templates read it; None when they read no such request."""
        found, templates = self._tiers(piece, now, live, device=False)
        return (found, templates) if len(found.intents) == 1 and self._named(found.intents[0]) else None

    def _framed(self, first: str, request: Intent, piece: str, now: dt.datetime, lang: str,
                live: set[str] | None) -> tuple[Understanding, bool] | None:
        """``piece`` read as a second request of ``request``'s capability said in ``first``'s frame (``apart.in_frame``:
        "remind me to" + "to pay the rent on Friday"), when it is one: it says its own time beside the first request's
        ("um 8 ..., am Freitag an die Miete"), or, where the first says no time, it repeats the frame's last word ("to",
        "an"). Else None: "remind me to buy milk and eggs" is one to-do, "eggs" no request of its own, and "remind me
        to pick up the kids at 3 and to bring their jackets" one reminder at 3, not a second one asked "when?" (review
        R18-2)."""
        when = next(s for s in self.intents if s.name == request.name).when_slot
        untimed = extract_when(first, now, lang)[1]  # the frame without the first one's time ("remind me at 8 to")
        said = in_frame(untimed, [v for k, v in request.spans.items() if k != when], piece, lang,
                        extract_when(piece, now, lang)[1])
        if said is None:
            return None
        framed, repeated = said
        read = self._read_piece(framed, now, live)
        if read is None or read[0].intents[0].name != request.name:
            return None
        found = read[0].intents[0]
        if when is not None and when in request.slots:  # said for both unless this says its own
            return read if said_at(piece, found.spans.get(when, "")) >= 0 else None
        return read if repeated else None

    def _named(self, intent: Intent) -> bool:
        """Does ``intent`` hold a value and every required free-text parameter of its capability?"""
        spec = next(s for s in self.intents if s.name == intent.name)
        return bool(intent.slots) and all(k in intent.slots for k in spec.required if spec.slots[k] == "text")

    def _checked(self, text: str, fast: Understanding, learned: Understanding) -> Understanding:
        """The template's match unless the learned tier places the sentence elsewhere (or, for a weak
        match, nowhere: chat). A certain match (whole sentence, all required parameters) is kept when its
        manifest declares the learned guess as its own fallback (``instead``: cinema tickets → event tickets),
        since the task then tries that capability itself when the first finds nothing. A strong template
        match is overruled only when the learned tier scores its own guess clearly above the template's
        capability (``LearnedTier.overrule``): two neighbouring capabilities (set a reminder, list them)
        score alike, and the template read the words more closely. A later partner's guess (trust order: shipped,
        then as added) overrules an earlier partner's strong match only when the partners trusted up to the
        earlier one do not read the sentence as its capability either (``_read_before``): a partner added later
        cannot learn its way into requests the earlier partner's templates and learned tier both read as its own
        ("order a pizza to the office"), whatever its phrasings, but it still takes its own requests that an
        earlier template read whole ("Schick mir ein Taxi zum Flughafen": a dish "Taxi" to the food partner)."""
        if not fast.matched:
            return learned
        if fast.confidence < _STRONG:  # a guess: it stands where the learned tier confirms it
            named = learned.intents[0].name if learned.matched else None
            return fast if self._confirmed(text, fast.intents[0], named) else learned
        if learned.matched and fast.confidence >= _CERTAIN and \
                (fast.intents[0].name, learned.intents[0].name) in self._fallbacks:
            return fast  # a whole-sentence match whose own partner falls back to the learned guess when needed
        if learned.matched and learned.intents[0].name != fast.intents[0].name:
            guess, matched = learned.intents[0].name, fast.intents[0].name
            if self._trust.get(guess, 0) > self._trust.get(matched, 0) and self._read_before(text, matched):
                return fast
            return learned if self._clearly_elsewhere(text, guess, matched) else fast
        return fast

    def _confirmed(self, text: str, intent: Intent, named: str | None) -> bool:
        """Does the learned tier, which reads ``text`` as ``named`` (None: none of these), confirm the templates'
        guess ``intent``? A short template's ("book {film}") when it names the same capability; a loose one's
        (``TemplateParser.loose``) when it ranks that capability first, even short of its lead over "none": the
        tier of the partners trusted as much as the template's or more (``_read_before``), so that a partner added
        later cannot learn its way into an earlier one's requests by making them loose guesses; but not where "none"
        leads it as far (``_rather_none``)."""
        if intent.weight < WEAK or (intent.loose and asks_whether(text)):  # "could we get a dog?": a wish
            return named == intent.name
        return not intent.loose or (self._read_before(text, intent.name) and not self._rather_none(text, intent.name))

    def _rather_none(self, text: str, name: str) -> bool:
        """Does the learned tier read ``text`` as none of these at least its lead times likelier than capability
        ``name`` (``LearnedTier.lead_of``: the lead a capability needs over "none", turned around)? Then a loose
        template's guess of ``name`` is a service no partner offers said in its words (a table at a restaurant read by
        "order {dish}"), not a request the tier merely ranks short of its lead."""
        assert self.learned is not None
        tier = self.learned.tier
        scores = tier.scores(text)
        return scores.get(CHAT, 0.0) >= tier.lead_of(name, detect_language(text)) * scores.get(name, 0.0)

    def _weighed(self, fast: Understanding, now: dt.datetime, lang: str, live: set[str] | None) -> Understanding:
        """Several requests the templates read, each guess among them (``TemplateParser.weak``) weighed by the
        learned tier on its own clause: kept where the tier of the partners trusted up to it ranks its capability
        first (``_read_before``; a short guess too: "book Dune" alone is short of its lead over "none", and the
        other clause says this is a request), else the clause is what the learned tier reads in it, or nothing
        ("remind me to buy milk and book a taxi to the airport": no film 'a taxi to the airport')."""
        assert self.learned is not None
        kept: list[Intent] = []
        for intent in fast.intents:
            if not self.fast.weak(intent) or self._read_before(intent.text, intent.name):
                kept.append(intent)
            else:
                kept.extend(self.learned.parse(intent.text, now, lang=lang, live=live, check=False).intents)
        return replace(fast, intents=tuple(kept)) if kept else replace(fast, intents=(), tier="none", confidence=0.0)

    def _read_before(self, text: str, matched: str) -> bool:
        """Does the learned tier of the partners trusted as much as ``matched``'s or more (no later one) rank
        ``matched`` first among the capabilities? It is this tier with the later partners left out, the shipped
        capabilities as shipped (a later partner's merged phrasings left out too: their judge comes with the
        package); a later level's is trained once and kept beside the tier's own cache."""
        assert self.learned is not None
        level, tier = self._trust.get(matched, 0), self.learned.tier
        if level not in self._before:
            ours = shipped() if 0 in self._trust.values() else ()
            earlier = (*ours, *(s for s in self.intents if 0 < self._trust[s.name] <= level))
            cache = tier.cache.parent / f"trust-{level}" / tier.cache.name if level and tier.cache else None
            self._before[level] = LearnedTier(tier.embedder, earlier, cache=cache, negatives=tier.negatives,
                                              threshold=tier.threshold)
        scores = {name: p for name, p in self._before[level].scores(text).items() if name != CHAT}
        return max(scores, key=lambda name: scores[name]) == matched

    def _clearly_elsewhere(self, text: str, guess: str, matched: str) -> bool:
        """Does the learned tier score ``guess`` at least its ``overrule`` margin above ``matched``?"""
        assert self.learned is not None
        tier = self.learned.tier
        scores = tier.scores(text)
        return scores.get(guess, 0.0) - scores.get(matched, 0.0) >= tier.overrule
