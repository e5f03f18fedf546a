"""What a sentence says NOT to do ("don't cancel FD-3C7D…", "FD-… bitte nicht stornieren", "千万别退TIX-…"): the verbs
it declines, as the installed capabilities' examples open with them (``learned.familiar``). ``Understander`` drops a
reading whose own capability opens with a declined verb (review25 P25-4: e5 places such a sentence beside the request
it negates). The words are language data: declined.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.every import every_day
from tandem.agent.writing import writing
from tandem.text import simplified

__all__ = ["PAUSE", "acts", "asks_first", "clauses", "closing_negation", "conditional", "declined", "declining_words",
           "is_form", "keeps", "later", "lead_words", "phrase", "says", "spared", "unconditional", "unreasoned",
           "word_lists", "words_of"]

_FILE = Path(__file__).with_name("declined.toml")
PAUSE = "[,;:.!?，；：。！？、]"  # what ends a clause


def word_lists(path: Path) -> dict[str, dict[str, Any]]:
    """A toml file of words per language (declined.toml, told.toml): each list's phrases in lower case, longest first;
    other values as written ("nouns", a table)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {lang: {key: tuple(sorted((w.casefold() for w in words), key=len, reverse=True))
                   if isinstance(words, list) else words for key, words in said.items()}
            for lang, said in data.items()}


@cache
def _declining() -> dict[str, dict[str, Any]]:
    """declined.toml per language (``word_lists``)."""
    return word_lists(_FILE)


def words_of(lang: str) -> Mapping[str, Any]:
    """declined.toml's words of ``lang`` (``word_lists``: phrases in lower case, longest first); empty for a language
    it lacks. The one reader of that file: ``kept`` asks here too (reread29 M2)."""
    return _declining().get(lang, {})


@cache
def lead_words(lang: str) -> frozenset[str]:
    """The words a sentence in ``lang`` opens with anyway (declined.toml ``leads``: "I", "please", "ich", "我"), each
    phrase whole and its words: no verb of a request, whatever an example opens with. The one reading of the list
    (reread30: it was read in four places)."""
    return frozenset(w for lead in words_of(lang).get("leads", ()) for w in (lead, *lead.split()))


def _tokens(text: str) -> list[str]:
    """Words (with their apostrophes and hyphens: "don't", "FD-3C7D") and the pauses ",", ":" of ``text``."""
    return re.findall(r"[\w'’-]+|[,:;]", text.replace("’", "'"))


def phrase(tokens: Sequence[str], at: int, phrases: Sequence[str]) -> int:
    """How many of ``tokens`` from ``at`` the first (longest) of ``phrases`` says, in lower case; 0 for none."""
    for phrase in phrases:
        words = phrase.split()
        if [t.casefold() for t in tokens[at:at + len(words)]] == words:
            return len(words)
    return 0


def _lead_only(tokens: Sequence[str], leads: Sequence[str], *, nouns: bool) -> bool:
    """Are ``tokens`` only ``leads`` words, pauses "," and values with a digit (an order id), and with ``nouns``
    (German) words written with a capital after the first?"""
    single = {w for lead in leads for w in lead.split()}
    return all(t.casefold() in single or t == "," or any(c.isdigit() for c in t)
               or (nouns and i > 0 and t[:1].isupper()) for i, t in enumerate(tokens))


def _forms(word: str, lang: str, verbs: tuple[frozenset[str], frozenset[tuple[str, str]]]) -> frozenset[str]:
    """The openings of the examples ``word`` is ("cancel", "storniere"), or (German) whose infinitive it is
    ("stornieren": "stornier", "storniere"); empty when it is none of them."""
    folded = word.casefold()
    found = {folded} & verbs[0]
    endings = words_of(lang).get("endings", ())
    for ending in (e for e in endings if folded.endswith(e) and len(folded) > len(e) + 1):
        stem = folded[:-len(ending)]
        for base in {stem, stem[:-1] if stem[-1] == stem[-2] else stem}:  # "cancelling": "cancel"
            found |= {v for v in verbs[0] if v == base or (v.startswith(base) and len(v) == len(base) + 1)}
    return frozenset(found)


def declined(text: str, lang: str, verbs: tuple[frozenset[str], frozenset[tuple[str, str]]]) -> frozenset[str]:
    """The verbs ``text`` says NOT to do ("don't cancel FD-3C7D…", "I won't refund TIX-…", "FD-… bitte nicht
    stornieren", "storniere FD-… lieber nicht", "千万别退TIX-…"), as the examples open with them (``familiar``
    ``verbs``: "cancel", "storniere", "退"); empty when it declines none. A negation of declined.toml stands right
    before (past its ``between`` words) such a verb, and only its ``leads``, pauses and values with digits (ids)
    before it; in German also a negation before a final infinitive ("nicht stornieren"), or at the end of a clause
    that opens with such a verb ("storniere … lieber nicht", its ``ends`` after it). "don't forget to cancel X",
    "remind me not to order pizza" and "why don't you cancel X?" decline nothing (no example opens with "forget"; a
    request or a question word before the negation). The caller drops a reading whose own capability opens with a
    declined verb (``Understander``): e5 places such a sentence beside the request it negates (review25 P25-4), while
    "I won't make it to the dentist, take it out of my calendar" declines "make", not the calendar's cancelling."""
    words = words_of(lang)
    if not words or not text.strip():
        return frozenset()
    if not writing(lang).spaced:
        return _declined_zh(text, words, verbs[0])
    tokens = _tokens(text)
    nouns = bool(words.get("nouns"))  # nouns are written with a capital (German)
    own = _verbs(lang, verbs[0])  # "nicht die Kinokarten": "die" opens examples, yet it is no verb
    for at in range(len(tokens)):
        said = phrase(tokens, at, words.get("not", ()))
        if not said:
            continue
        after = at + said
        while (skip := phrase(tokens, after, words.get("between", ()))) and after + skip < len(tokens):
            after += skip
        if _lead_only(tokens[:at], words.get("leads", ()), nouns=nouns):
            if after < len(tokens) and (forms := _forms(tokens[after], lang, (own, frozenset()))):
                return forms  # "don't cancel ...", "I won't refund ...", "I don't feel like ordering ..."
            rest = [t for t in _clause(tokens[after:]) if t.casefold() not in words.get("ends", ())]
            if nouns and rest and rest[-1][:1].islower() and (forms := _forms(rest[-1], lang, verbs)):
                return forms  # "FD-... bitte nicht stornieren", "nie wieder bei dem Laden bestellen"
        if nouns and (forms := _opening_verb(tokens[:at], lang, words, verbs)) and \
                all(t.casefold() in words.get("ends", ()) for t in _clause(tokens[after:])):
            return forms  # "storniere FD-... lieber nicht", "wir stornieren CIN-... doch nicht(, sondern ...)"
    return frozenset()


def _clause(tokens: Sequence[str]) -> Sequence[str]:
    """``tokens`` up to their first pause: the rest of a clause ("storniere FD-… nicht*, sondern bestell …*")."""
    return next((tokens[:i] for i, t in enumerate(tokens) if t in (",", ":", ";")), tokens)


def _opening_verb(tokens: Sequence[str], lang: str, words: Mapping[str, Sequence[str]],
                  verbs: tuple[frozenset[str], frozenset[tuple[str, str]]]) -> frozenset[str]:
    """The openings (``_forms``) of the first of ``tokens`` that is not a lead, a value with a digit (an id) or a noun
    (a capital after the first word), where no pause stands between it and the negation (the negation is then another
    clause's: "storniere die Pizza, ich brauche sie nicht mehr"; a note's text: "notiere: ...")."""
    single = lead_words(lang)
    first = next((i for i, t in enumerate(tokens) if t.casefold() not in single and t not in (",", ":", ";")
                  and not any(c.isdigit() for c in t) and not (i > 0 and t[:1].isupper())), None)
    if first is None or any(t in (",", ":", ";") for t in tokens[first:]):
        return frozenset()
    return _forms(tokens[first], lang, verbs)


def _declined_zh(text: str, words: Mapping[str, Sequence[str]], verbs: frozenset[str]) -> frozenset[str]:
    """``declined`` where words are written together (Chinese): a negation ("别", "不用", "千万别") whose text before
    holds only leads ("我", "请", "千万"), pauses and no Han character else (an order id), followed (past ``between``:
    "想", "帮我") by verbs the examples open with ("取消", "退", "退掉": each that begins there)."""
    for at, _, after in _negations_zh(text, words):
        before = text[:at]
        for lead in words.get("leads", ()):
            before = before.replace(lead, "")
        opened = frozenset(v for v in verbs if text.startswith(v, after))
        if opened and not any("\u4e00" <= c <= "\u9fff" for c in before):
            return opened
    return frozenset()


def _negations_zh(text: str, words: Mapping[str, Sequence[str]]) -> Iterator[tuple[int, str, int]]:
    """Each negation of ``text`` (written together): where it stands, the negation, and where its verb would stand
    (past ``between`` words: "别帮我取消" -> at "取消")."""
    at = 0
    while at < len(text):
        said = next((n for n in words.get("not", ()) if text.startswith(n, at)), None)
        if said is None:
            at += 1
            continue
        after = at + len(said)
        while (skip := next((b for b in words.get("between", ()) if text.startswith(b, after)), None)) is not None:
            after += len(skip)
        yield at, said, after
        at += len(said)


def _pattern(phrases: Sequence[str], *, spaced: bool) -> str:
    """A regular expression of ``phrases`` (longest first), as words where words are written apart; an "ss" of a
    phrase (``word_lists`` folds "außer" to "ausser") matches "ß" too."""
    if not phrases:
        return "(?!)"  # matches nothing
    said = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("ss", "(?:ss|ß)") for p in phrases)
    return rf"(?<![\w'])(?:{said})(?![\w'])" if spaced else f"(?:{said})"


def later(text: str, lang: str) -> str:
    """What ``text`` says after the clause that declines (its first negation of declined.toml): the text past the
    first pause or ``turns`` word after it, those words left out ("don't cancel CIN-…, cancel the pizza instead" ->
    "cancel the pizza instead", "storniere FD-… nicht, sondern bestell eine Cola" -> "bestell eine Cola",
    "别取消外卖，帮我取消电影票" -> "帮我取消电影票"); "" when nothing follows. A correction is read from it alone:
    the whole sentence is often read as its negated clause (review26 R26-8, reread26 H3)."""
    words = words_of(lang)
    if not words:
        return ""
    spaced = writing(lang).spaced
    flags = re.IGNORECASE
    negation = re.search(_pattern(words.get("not", ()), spaced=spaced), text, flags)
    if negation is None:
        return ""
    turn = _pattern(words.get("turns", ()), spaced=spaced)
    cut = re.compile(rf"{PAUSE}|{turn}", flags).search(text, negation.end())
    if cut is None:
        return ""
    rest = text[cut.end():]
    opening = re.compile(rf"[\s,;:.!?，；：。！？、]*(?:{turn})?[\s,;:，；：、]*", flags)
    while (said := opening.match(rest)) and said.end():
        rest = rest[said.end():]
    return rest.strip()


def says(text: str, lang: str, openings: frozenset[str]) -> bool:
    """Does ``text`` say one of a capability's ``openings`` (``learned.familiar`` of it) as its verb, not as a
    word a sentence opens with anyway (a lead of declined.toml: "I", "we", "我"): where words are written apart, as
    a word of ``text`` (German: or its infinitive, "stornieren"; not a noun, a capital after the first word); where
    they are written together (Chinese), at a clause's start past its leads and ``between`` words ("帮我把订单取消",
    "……，帮我取消电影票"), as
    "外卖" in "先别点外卖" is no cancelling of it. "please don't order the sushi yet" says no "cancel", so it is no
    cancellation (review26 P26-4, reread26 H2); "I won't make it to the dentist, take it out of my calendar" says
    "take"."""
    words = words_of(lang)
    verbs = _verbs(lang, openings)
    if not verbs:
        return False
    if not writing(lang).spaced:
        parts = re.split(rf"{PAUSE}|{_pattern(words.get('turns', ()), spaced=False)}", text)
        return any(_opens(part.strip(), verbs, _skipped(words)) for part in parts)
    nouns = bool(words.get("nouns"))
    tokens = [t for t in _tokens(text) if t not in (",", ":", ";")]
    return any(_verb(t, i, lang, verbs, nouns=nouns) for i, t in enumerate(tokens))


def acts(text: str, lang: str, openings: frozenset[str]) -> bool:
    """``says``, where the two words after one of ``things`` (an article, a possessive) are nouns, no verbs: "what
    should I order?" says "order", "undo my (lunch) order" does not; where nouns have no capital, nor does a first
    word ("order status please"). Where words are written together (Chinese), False: "订单" is no
    "订"."""
    words = words_of(lang)
    if not writing(lang).spaced:
        return False
    things = frozenset(words.get("things", ()))
    tokens = _tokens(text)
    nouns = {i for i, t in enumerate(tokens) if t.casefold() in things}
    if not words.get("nouns"):  # no capital tells a noun: a first word may be one too ("order status please")
        nouns |= {-2}  # as if one stood two words before the first
    return says(" ".join(t for i, t in enumerate(tokens) if not {i - 1, i - 2} & nouns), lang, openings)


def asks_first(text: str, lang: str, openings: frozenset[str]) -> bool:
    """Does ``text`` (a correction's later clause, ``later``) ask at once: its first clause opens, past leads and
    ``between`` words (and ids; German nouns), with one of a capability's ``openings``, and it holds no word of
    ``conditions``? "book two tickets for Wicked", "cancel the pizza", "TIX-… erstatten", "帮我取消电影票" ask; "if it's
    still available tomorrow book two tickets", "Lisa said order two pizzas", "even if I say cancel my order", "I
    might order sushi later", "如果明天有空帮我点寿司" do not (reread27 H2: each made a task the yes carried out).
    A first clause that only names the thing a correction means (``_named_only``: "not the movie, *the musical*:
    refund that order", "不是外卖，*是电影票*，取消吧") is the next clause's object: it must open with the verb."""
    words = words_of(lang)
    verbs = _verbs(lang, openings)
    spaced = writing(lang).spaced
    if not verbs or not unconditional(text, lang):
        return False
    parts = [p.strip() for p in re.split(PAUSE, text) if p.strip()]
    first = parts[1] if len(parts) > 1 and _named_only(parts[0], lang, verbs) else (parts or [""])[0]
    if not spaced:
        return _opens(first, verbs, _skipped(words))
    single = {w for phrase in _skipped(words) for w in phrase.split()}
    nouns = bool(words.get("nouns"))
    for i, token in enumerate(_tokens(first)):
        if _verb(token, i, lang, verbs, nouns=nouns):
            return True
        if not (token.casefold() in single or any(c.isdigit() for c in token) or (nouns and token[:1].isupper())):
            return False
    return False


def _named_only(clause: str, lang: str, verbs: frozenset[str]) -> bool:
    """Does ``clause`` only name a thing: open with a word of ``things`` (an article, a possessive: "the musical",
    "der Kalender") and say none of ``verbs``; where words are written together, open with a word of ``corrected``
    ("是电影票") and not with a verb past it ("是取消" asks)?"""
    words = words_of(lang)
    if not writing(lang).spaced:
        return any(clause.startswith(w) for w in words.get("corrected", ())) and \
            not _opens(clause, verbs, _skipped(words))
    tokens = [t for t in _tokens(clause) if t not in (",", ":", ";")]
    nouns = bool(words.get("nouns"))
    return bool(tokens) and tokens[0].casefold() in words.get("things", ()) and \
        not any(_verb(t, i, lang, verbs, nouns=nouns) for i, t in enumerate(tokens))


def declining_words(text: str, lang: str) -> bool:
    """Does ``text`` hold a word ``declined`` or ``spared`` read (``not``, ``keeps``, ``untouched``, ``rather``)? In
    a note's text or a reminder's to-do these are the user's own words ("don't leave the heater on")."""
    words = words_of(lang)
    said = (*words.get("not", ()), *words.get("keeps", ()), *words.get("untouched", ()), *words.get("rather", ()))
    return bool(re.search(_pattern(said, spaced=writing(lang).spaced), text, re.IGNORECASE))


def conditional(text: str, lang: str) -> bool:
    """Does ``text`` hold a word of declined.toml's ``conditions`` ("if", "falls", "如果"; "萬一" read as "万一": the
    traditional characters folded)? "falls sie um acht nicht da ist, storniere sie" asks for nothing yet (review28
    P28-2)."""
    spaced = writing(lang).spaced
    said = unreasoned(text if spaced else simplified(text), lang, frozenset())  # not a reason's: "…, weil außer mir …"
    return bool(re.search(_pattern(words_of(lang).get("conditions", ()), spaced=spaced), said, re.IGNORECASE))


def unconditional(text: str, lang: str) -> bool:
    """Does ``text`` hold no word of declined.toml's ``conditions`` (``conditional``)?"""
    return not conditional(text, lang)


def _verbs(lang: str, openings: frozenset[str]) -> frozenset[str]:
    """``openings`` without the words a sentence opens with anyway (``lead_words``: "I", "we", "我")."""
    return frozenset(openings - lead_words(lang))


def _skipped(words: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """What may stand before a clause's verb: its ``leads`` and ``between`` words ("帮我", "把")."""
    return (*words.get("leads", ()), *words.get("between", ()))


def _opens(clause: str, verbs: frozenset[str], skipped: Sequence[str]) -> bool:
    """Does ``clause`` (written together: Chinese) open with one of ``verbs``, past any of the ``skipped`` words?"""
    while not any(clause.startswith(v) for v in verbs):
        if not (skip := next((w for w in skipped if clause.startswith(w)), "")):
            return False
        clause = clause[len(skip):]
    return True


def is_form(token: str, lang: str, verbs: frozenset[str]) -> bool:
    """Is ``token`` one of ``verbs`` (the examples' openings), or (German) its infinitive ("stornieren")?"""
    return bool(_forms(token, lang, (verbs, frozenset())))


def _verb(token: str, at: int, lang: str, verbs: frozenset[str], *, nouns: bool) -> bool:
    """Is ``token``, the ``at``-th of its clause, one of ``verbs`` (a form of it), and not a German noun (a capital
    after the first word) where the language has them?"""
    return not (nouns and at > 0 and token[:1].isupper()) and is_form(token, lang, verbs)


def spared(text: str, lang: str, verbs: tuple[frozenset[str], frozenset[tuple[str, str]]]) -> str | None:
    """``text`` without its clauses that decline what they name ("storniere nicht die Kinokarten, sondern die
    Pizza", "cancel the pizza, not the cinema tickets", "电影票不取消，取消外卖"; review27 P27-5: the learned tier read
    each as the cinema's cancellation): the other clauses, cut at pauses and ``turns`` words, with the verb of a
    declining clause put before them where they say none ("storniere die Pizza", "cancel the pizza"); None when
    ``text`` has no such clause beside another, or says "not only … but also" (``also``: a request of both). Its
    reasons (``unreasoned``) decline nothing. Clauses
    are cut at pauses, ``turns`` and ``ands`` words, and before a phrase of ``rather`` ("instead of"), which opens a
    declining clause; so does a clause that keeps a thing (``_clause_declines``: "…, keep the cinema tickets",
    "电影票别动"; reread28 H1). A clause declines where a negation of declined.toml opens it (past ``asides``: "no",
    "oh") or follows its one verb of the examples ("cancel not the movie"), and something follows in the clause other
    than ``between`` words and "to" (a negated infinitive: "not to forget"); a subject or a helper before it makes it a
    reason ("we're not going to the cinema after all", "wir können nicht zum Festival"), where it names no thing
    (``_named``: "die Kinokarten nicht"). Where words are written together (Chinese),
    where a negation stands right before (past ``between``: "不是取消") a verb of the examples ("电影票不取消"), not
    one of ``untold`` (what has not happened: "我点的麻辣香锅怎么还没到")."""
    words = words_of(lang)
    if not words or not text.strip():
        return None
    if (every := every_day(text, lang)) is not None:  # "every day except Sunday", "jeden Tag außer sonntags": days
        text = f"{text[:every[0][0]]} {text[every[0][1]:]}"  # that come back, no thing declined
    spaced = writing(lang).spaced
    if re.search(_pattern(words.get("also", ()), spaced=spaced), text, re.IGNORECASE):
        return None
    own = _verbs(lang, verbs[0])  # not "i'd", "我": a sentence opens with them anyway
    cut = clauses(unreasoned(text, lang, own), lang)  # a reason declines nothing: "…, weil außer mir keiner …"
    if len(cut) < 2:
        return None
    said = ["" if rather else _clause_declines(c, lang, words, own) for c, rather in cut]
    rest = [c for (c, _), verb in zip(cut, said, strict=True) if verb is None]
    if len(rest) == len(cut) or not rest:
        return None if len(rest) == len(cut) else ""
    kept = (", " if spaced else "，").join(rest)
    carried = next((verb for verb in said if verb), "")
    if carried and not says(kept, lang, verbs[0]):  # "…, sondern die Pizza": the declining clause's verb
        opening = carried.casefold() in verbs[0]  # "storniere", "cancel"; an infinitive ends ("stornieren")
        kept = (f"{carried} {kept}" if opening else f"{kept} {carried}") if spaced else f"{carried}{kept}"
    return kept


def unreasoned(text: str, lang: str, verbs: frozenset[str]) -> str:
    """``text`` without the reasons it gives after its request: a part (after a pause, or from a ``because`` word on)
    that a ``because`` word opens ("… because we're going to the movies", "…，因为我们去看电影了"), or that a
    ``subjects`` word opens and an ``anyway`` word closes or holds, saying none of ``verbs`` ("cancel it, we're going
    to the cinema instead", "…, nobody except me wanted the pizza anyway", "storniere sie, wir gehen stattdessen ins
    Kino"). What a reason names is not what the request's verb acts on (review-lead 29: each named another order, or
    declined the pizza, and no card was made; with both orders, "cancel the pizza, we're going to the cinema instead"
    cancelled the tickets). ``text`` itself where it gives none; "cancel the tickets instead", "…, I'll cancel the
    tickets instead" and the first part are no reasons."""
    words = words_of(lang)
    because = re.compile(_pattern(words.get("because", ()), spaced=writing(lang).spaced), re.IGNORECASE)
    cuts = sorted({0, *(m.end() for m in re.finditer(PAUSE, text)), *(m.start() for m in because.finditer(text))})
    parts = [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    kept = [part for i, part in enumerate(parts) if i == 0 or not _reason(part, lang, because, verbs)]
    if len(kept) == len(parts):
        return text
    return re.sub(rf"(?:{PAUSE}|\s)+$", "", "".join(kept).strip())


def _reason(part: str, lang: str, because: re.Pattern[str], verbs: frozenset[str]) -> bool:
    """Is ``part`` (a part of a sentence after its first, ``unreasoned``) a reason?"""
    said = re.sub(rf"^(?:{PAUSE}|\s)+|(?:{PAUSE}|\s)+$", "", part)
    if because.match(said):
        return True
    words = words_of(lang)
    if not writing(lang).spaced:
        return False
    tokens = [t for t in _tokens(said) if t not in (",", ":", ";")]
    holds = any(phrase(tokens, at, words.get("anyway", ())) and not phrase(tokens, at, words.get("rather", ()))
                for at in range(len(tokens)))
    nouns = bool(words.get("nouns"))
    return bool(phrase(tokens, 0, words.get("subjects", ()))) and holds and \
        not any(_verb(t, i, lang, verbs, nouns=nouns) for i, t in enumerate(tokens))


def clauses(text: str, lang: str) -> list[tuple[str, bool]]:
    """``text`` cut into clauses at its pauses, its ``turns`` ("sondern", "but", "而是") and ``ands`` words ("and",
    "und", "然后"), and before a phrase of ``rather`` ("instead of", "statt", "except", "而不是", "除了") or of
    ``excepting`` after a word of ``everything`` in its clause ("cancel all my orders *but* the pizza": reread29 H1),
    which it leaves out; each clause with whether such a phrase opens it (what it names is not meant: "… instead of
    the cinema tickets"). The one cutting of clauses: ``spared`` reads it, and ``kept.declined_spans``."""
    words = words_of(lang)
    spaced = writing(lang).spaced
    cuts = re.compile(rf"{PAUSE}|{_pattern((*words.get('turns', ()), *words.get('ands', ())), spaced=spaced)}",
                      re.IGNORECASE)
    everything = re.compile(_pattern(words.get("everything", ()), spaced=spaced), re.IGNORECASE)
    spans = [m.span() for m in re.finditer(_pattern(words.get("rather", ()), spaced=spaced), text, re.IGNORECASE)
             if not _unless(m.group(), text[m.end():], words)]
    spans += [m.span() for m in re.finditer(_pattern(words.get("excepting", ()), spaced=spaced), text, re.IGNORECASE)
              if everything.search(re.split(PAUSE, text[:m.start()])[-1])]
    ends = [0, *(end for _, end in sorted(spans))]
    parts = [text[start:next_start] for start, next_start in
             zip(ends, [*(begin for begin, _ in sorted(spans)), len(text)], strict=True)]
    found: list[tuple[str, bool]] = []
    for at, part in enumerate(parts):
        pieces = cuts.split(part)
        found += [(piece.strip(), at > 0 and i == 0) for i, piece in enumerate(pieces) if piece.strip()]
    return found


def _unless(said: str, after: str, words: Mapping[str, Any]) -> bool:
    """Does a phrase of ``rather`` that is a condition word too ("außer") open a condition here, a ``subjects`` word
    after it ("storniere die Pizza, außer sie ist schon unterwegs": unless; "alles außer der Pizza": except)?"""
    folded = said.casefold()
    first = _tokens(after)[:1]
    return folded in words.get("conditions", ()) and bool(first) and phrase(first, 0, words.get("subjects", ())) > 0


def _clause_declines(clause: str, lang: str, words: Mapping[str, Sequence[str]], verbs: frozenset[str]) -> str | None:
    """``spared``'s reading of one clause no phrase of ``rather`` opened: None when it declines nothing, else the verb
    it carries ("" for none). It declines what it names where it keeps it (``keeps``: "keep the cinema tickets", "die
    Kinokarten behalte ich", "电影票留着", "电影票别动"), or by a negation (``_negated``, ``_negated_zh``)."""
    spaced = writing(lang).spaced
    if keeps(clause, lang, verbs if spaced else frozenset()):  # Chinese openings are nouns too: "电影", "票", "外卖"
        return ""
    if not spaced:
        return _negated_zh(clause, words, verbs)
    return _negated(clause, lang, words, verbs)


def keeps(clause: str, lang: str, verbs: frozenset[str]) -> bool:
    """Does ``clause`` keep what it names as it is: a word of ``keeps`` (German: or its infinitive), no negation and
    no other word that is one of ``verbs`` (the German nouns aside), or a word of ``leaves`` and after it only
    ``things`` words and nouns ("lass die Pizza"); or (written together: Chinese, traditional
    characters folded) a phrase of ``untouched`` ("电影票别动")? ``verbs``: those that act on a thing (none: no
    check). "I'll keep the tickets", "die Kinokarten behalte ich", "电影票留着" do; "don't keep the tickets", "不要保留"
    and "remind me to keep the receipt" do not."""
    words = words_of(lang)
    if not writing(lang).spaced:
        said = simplified(clause)
        return any(p in said for p in words.get("untouched", ())) or \
            (any(k in said for k in words.get("keeps", ())) and not any(n in said for n in words.get("not", ()))
             and not any(v in said for v in verbs))
    tokens = [t for t in _tokens(clause) if t not in (",", ":", ";")]
    things = words.get("things", ())
    if len(tokens) > 1 and tokens[0].casefold() in words.get("leaves", ()) and \
            all(t.casefold() in things or t[:1].isupper() for t in tokens[1:]):
        return True  # "lass die Pizza"
    keeping = frozenset(words.get("keeps", ()))
    kept = [i for i, t in enumerate(tokens) if is_form(t, lang, keeping)]
    nouns = bool(words.get("nouns"))
    negated = any(phrase(tokens, at, words.get("not", ())) for at in range(len(tokens)))
    return bool(kept) and not negated and \
        not any(_verb(t, i, lang, verbs, nouns=nouns) for i, t in enumerate(tokens) if i not in kept)


def closing_negation(tokens: Sequence[str], lang: str) -> int | None:
    """Where in ``tokens`` (a clause's words, pauses left out) the negation that closes the clause begins: a phrase of
    ``not`` with only ``ends`` words after it ("storniere die Kinokarten nicht", "die Kinokarten bitte nicht mehr");
    None where none closes it. The one reading of a negation at a clause's end (German puts it there): ``_named`` and
    ``kept`` ask here."""
    words = words_of(lang)
    folded = [t.casefold() for t in tokens]
    last = len(folded)
    while last > 0 and folded[last - 1] in words.get("ends", ()):
        last -= 1
    said = next((len(n.split()) for n in words.get("not", ()) if folded[max(last - len(n.split()), 0):last]
                 == n.split()), 0)
    return last - said if said else None


def _named(before: Sequence[str], after: Sequence[str], lang: str, words: Mapping[str, Sequence[str]],
           verbs: frozenset[str], *, closes: bool) -> str | None:
    """Where nouns are written with a capital (German): does a final negation decline the thing ``before`` it names
    ("die Kinokarten nicht", "die Kinokarten bitte nicht mehr", "die Kinokarten nicht stornieren")? ``before`` holds
    only ``things`` words (articles, possessives), ids, nouns (a capital) and first a verb of the examples or not,
    at least one noun, and ``after`` only ``ends`` words or (with no verb before) a final infinitive of the examples.
    The verb carried (the first word's or the infinitive's, "" for none), or None: "Die Pizza brauche ich nicht mehr"
    is a reason ("brauche" is no article). ``closes``: the negation closes the clause (``closing_negation``)."""
    if not words.get("nouns"):
        return None
    things = frozenset(words.get("things", ()))
    verb, nouns = "", 0
    for i, token in enumerate(before):
        if token.casefold() in things or any(c.isdigit() for c in token):
            continue
        if i == 0 and _verb(token, 0, lang, verbs, nouns=False):
            verb = token  # "storniere die Kinokarten nicht": the act declined for what it names
        elif not token[:1].isupper():
            return None
        else:
            nouns += 1
    rest = [] if closes else [t for t in after if t.casefold() not in words.get("ends", ())]
    if not nouns or len(rest) > 1 or (rest and verb):
        return None
    if not rest:
        return verb
    return rest[0] if rest[0][:1].islower() and _verb(rest[0], 1, lang, verbs, nouns=True) else None


def _negated(clause: str, lang: str, words: Mapping[str, Sequence[str]], verbs: frozenset[str]) -> str | None:
    """Does ``clause`` (words written apart) decline what it names (``spared``)? None when not; else its verb of the
    examples ("storniere" in "storniere nicht die Kinokarten"), "" for none ("not the cinema tickets")."""
    tokens = [t for t in _tokens(clause) if t not in (",", ":", ";")]
    nouns = bool(words.get("nouns"))
    for at in range(len(tokens)):
        if not (said := phrase(tokens, at, words.get("not", ()))):
            continue
        before = [t for t in tokens[:at] if t.casefold() not in words.get("asides", ())]
        verb = before[0] if len(before) == 1 and _verb(before[0], 0, lang, verbs, nouns=nouns) else None
        if before and verb is None:  # a subject or a helper before it: a reason ("we're not going", "wir können nicht")
            return _named(before, tokens[at + said:], lang, words, verbs,  # unless it names a thing: "die Karten
                          closes=closing_negation(tokens, lang) == at)  # nicht"
        after = at + said
        if after < len(tokens) and tokens[after].casefold() == "to":
            return None  # "remind me not to forget": a negated infinitive declines no thing
        while (skip := phrase(tokens, after, words.get("between", ()))) and after + skip <= len(tokens):
            after += skip
        if after >= len(tokens):
            return None  # "vergiss es nicht": no thing declined
        # Its verb where the negation declines what it names, not the verb: before it ("storniere nicht die
        # Kinokarten") or past the thing named ("nicht die Kinokarten stornieren"); "don't cancel X" carries none.
        return verb or next((t for i, t in enumerate(tokens[after + 1:], start=after + 1)
                             if _verb(t, i, lang, verbs, nouns=nouns)), "")
    return None


def _negated_zh(clause: str, words: Mapping[str, Sequence[str]], verbs: frozenset[str]) -> str | None:
    """``_negated`` where words are written together: a negation right before (past ``between``) a verb of the
    examples ("电影票不取消", "不是取消电影票", "外卖别退了"); "" (the verb declined is carried nowhere) or None."""
    for _, said, after in _negations_zh(clause, words):
        if said in words.get("untold", ()):
            return None  # what has not happened is told, not declined ("我点的麻辣香锅怎么还没到")
        if any(clause.startswith(v, after) for v in verbs):
            return ""  # the verb itself is declined: it is carried to no other clause ("外卖别取消，挺好吃的")
    return None
