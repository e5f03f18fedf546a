"""Names without context, from word lists: a person-name detector and the egress safety net.

spaCy misses names it has not seen in a context it knows ("Directed By: Johannes Varvio", "They had 6:
Efimiya, Ariana, Isabel"). Two list-based detectors close that gap; neither depends on position or case
conventions of one data set, only on a dictionary and the census name lists (``dictionaries.py``):

- ``NameDetector`` (PERSON, every request): a run of name-shaped words (capitalised, mixed case or
  initials) is a person when it holds a census name that is not a common dictionary word ("Kevin" but
  not "Reed"), or two or more words no dictionary knows. Lower-case text counts only as a first name
  followed by a surname ("patricia desrosiers").
- ``ProperNounDetector`` (PROPER_NOUN, only before a cloud call): every capitalised word that is not a
  common dictionary word and not a known place or month is replaced, whatever it is. Privacy fails
  closed, so at the egress an unknown proper noun is treated as personal; the cost is precision (a
  product or a foreign town becomes a placeholder too), measured in ``bench/router.py``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from tandem.forget import remembered
from tandem.privacy.detect import Detector, Finding
from tandem.privacy.dictionaries import (
    Dictionary,
    dictionary,
    first_names,
    frequent_first_names,
    frequent_surnames,
    german_first_names,
    names_a_thing,
    stop_words,
    surnames,
    world_first_names,
)
from tandem.privacy.places import place_here
from tandem.privacy.subjects import CONTRACTED, OPENS, given_names, listed_with, subject_names
from tandem.privacy.tagger import adjective_here, opening_verb
from tandem.privacy.word_sets import CALENDAR, CURRENCIES, GERMAN_COMMON, ORG_WORDS, PERSON_WORDS

__all__ = ["CaseBlind", "NameDetector", "NameNeighbours", "ProperNounDetector", "census_names", "given_name_in",
           "joined_words"]

# Letters of scripts with case: a Latin word written against Chinese ("发给Anna Schmidt，") is the word "Anna", not
# "发给Anna" (which hid "Schmidt" and took the clause with it); Han, kana and Hangul have no capitals to judge.
_CASED = r"[^\W\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
_WORD = re.compile(rf"{_CASED}+(?:['’-]{_CASED}+)*")
_GAP = re.compile(r"[ \t]+|\.[ \t]*")  # what may stand between two words of one name
# A name follows these cues in any case ("my name is vitoria", "last name? Boyle", "call me Ubul").
_CUE = re.compile(r"\b(?:(?:first|last|given|family|maiden|middle|full|nick|sur)[ -]?name|name)"
                  r"(?:[ \t]+is|[ \t]*[:?]|'s)[ \t]+|\bcall(?:s|ed)?[ \t]+me[ \t]+|\bnamed[ \t]+|\bsigned,?[ \t]+",
                  re.I)
# Names listed together share their kind: "founders: Eklund, Rogers and Torres".
_AND = re.compile(r"[ \t]*(?:,[ \t]*(?:and|or|&)?|and|or|&)[ \t]*")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "ten", "ter", "da", "di", "du", "del", "della", "dos",
                        "das", "le", "la", "bin", "al", "el", "y", "zu"})


class _Word:
    """One word and its shape, computed once: the detectors ask each word these questions many times."""

    __slots__ = ("acronym", "end", "initial", "low", "shaped", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text, self.low = start, end, text, text.lower()
        self.initial = len(text) == 1 and text.isupper()
        # Written like a name: any capital letter (MultiPriv scrambles case: "KaTRina maRTin").
        self.shaped = any(map(str.isupper, text))
        self.acronym = 1 < len(text) <= 5 and text.isupper()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Word) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))


def _words(text: str) -> list[_Word]:
    """The words of ``text``; the name detectors, the safety net and the name neighbours each ask for the
    same text's words in one egress check, so the split is remembered for the last few texts."""
    return list(_split(text))


@remembered(16)  # the words of the last texts checked: emptied by an erasure, not kept across one
def _split(text: str) -> tuple[_Word, ...]:
    out = []
    for match in _WORD.finditer(text):
        value = match.group()
        if value[-2:] in ("'s", "’s"):  # a possessive: "Kevin's" is Kevin
            value = value[:-2]
        out.append(_Word(match.start(), match.start() + len(value), value))
    return tuple(out)


def _runs(text: str, words: list[_Word], keep: set[int]) -> Iterator[list[_Word]]:
    """Maximal runs of the words at indexes ``keep`` that stand next to each other (spaces, or the period
    after an initial, in between)."""
    run: list[_Word] = []
    for i, word in enumerate(words):
        if i not in keep:
            if run:
                yield run
            run = []
            continue
        if run:
            gap = text[run[-1].end:word.start]
            if not _GAP.fullmatch(gap) or (gap.startswith(".") and not run[-1].initial):
                yield run
                run = []
        run.append(word)
    if run:
        yield run


def _finding(text: str, run: list[_Word], category: str, score: float, source: str) -> Finding:
    start, end = run[0].start, run[-1].end
    if run[-1].initial and text[end:end + 1] == ".":
        end += 1
    return Finding(start, end, category, text[start:end], score, source)


class NameDetector:
    """Person names from the census lists and a dictionary; see the module docstring. In German, which capitalises
    every noun, only names led by a first name (``_german_persons``); Chinese has no case."""

    def __init__(self, languages: frozenset[str] = frozenset({"en", "de"})) -> None:
        self.languages = languages

    def detect(self, text: str, language: str) -> list[Finding]:
        if language not in self.languages or not text.strip():
            return []
        if language == "de":
            return _german_persons(text, _words(text))
        if not any(c.isupper() for c in text):  # no case signal: judge every word as if capitalised
            found = self._detect(_capitalised(text), strict=True)
            return [Finding(f.start, f.end, f.category, text[f.start:f.end], f.score, f.source) for f in found]
        return [f for f in self._detect(text, strict=False) if not place_here(text, f.start, f.end)
                and not adjective_here(text, f.start, f.end)]  # "German food", "a 78-year-old Irish woman"

    def _detect(self, text: str, strict: bool) -> list[Finding]:
        """``strict``: every common word ends a name, even one the census lists ("to", "call")."""
        words, lexicon = _words(text), dictionary("en")
        firsts, lasts = first_names(), surnames()

        def named(w: _Word) -> bool:
            return _named(w, lexicon)

        shaped = {i for i, w in enumerate(words) if (w.shaped and not w.acronym and not _breaks(w, lexicon, strict)
                                                     and not _pronoun(text, w))
                  or (w.low in _PARTICLES and 0 < i < len(words) - 1)}
        runs = [_opened(text, _trim(run)) for run in _runs(text, words, shaped)]
        found = [_finding(text, run, "PERSON", 0.65, "names") for run in runs
                 if _is_person(run, lexicon, named) and not names_a_thing(text, run[0].start, run[-1].end, "en")]
        lower = {i for i, w in enumerate(words) if w.text.islower() and named(w)}
        for run in _runs(text, words, lower):
            for a, b in itertools.pairwise(run):
                if a.low in firsts and b.low in lasts:
                    found.append(_finding(text, [a, b], "PERSON", 0.55, "names"))
        found += _cued(text, words, lexicon) + _payees(text, words)
        return found + _listed(text, words, found, lexicon)


def _opened(text: str, run: list[_Word]) -> list[_Word]:
    """``run`` without the verb opening its request ("Ring Anna Schmidt", "Call Anna at 5"; ``opening_verb``)."""
    return run[1:] if run and opening_verb(text, run[0].start, [w.text for w in run]) else run


def _pronoun(text: str, w: _Word) -> bool:
    """English "I" is the pronoun unless written as an initial, with a period: "Can I" opens a question, and "Can",
    a surname, beside an initial would be read as "J. Smith" is."""
    return w.text == "I" and text[w.end:w.end + 1] != "."


def _named(w: _Word, lexicon: Dictionary) -> bool:
    """A census name that is not also a common word."""
    return w.low not in lexicon.common and (w.low in first_names() or w.low in surnames()) and w.low not in CALENDAR


def _cued(text: str, words: list[_Word], lexicon: Dictionary) -> list[Finding]:
    """Up to three words after a name cue, up to the first common word."""
    found = []
    for cue in _CUE.finditer(text):
        run: list[_Word] = []
        for word in (w for w in words if w.start >= cue.end()):
            gap = text[run[-1].end:word.start] if run else text[cue.end():word.start]
            if len(run) == 3 or not _GAP.fullmatch(gap or " ") or (word.low in lexicon.common and not word.initial):
                break
            run.append(word)
        if run and not all(w.initial for w in run):
            found.append(_finding(text, run, "PERSON", 0.6, "names"))
    return found


# Who receives money is a person or an account: "transfer 1,700 dollars to Mom", "$20 to dad", "send money
# to grace". The word after "to" in a clause about money is the payee when it is a census name (which
# holds kinship words: "mom", "dad") or a word no dictionary knows ("Jasbir"), even in lower case. A word
# the dictionary knows that is no name is a shop, a brand or a place ("paid $5 to Amazon"), and a unit of
# money is what a sum is converted into ("100 dollars to Yen"): neither is a payee. A title before the
# payee is skipped ("to Mr. Justin").
_PAYEE = re.compile(r"(?:\$[ \t]?\d|\b(?:transfer\w*|pay|paid|paying|wire|wired|owe|owed|dollars?|bucks|euros?|"
                    r"pounds|money|cash|venmo|zelle|paypal)\b)[^.!?\n]{0,60}?\bto[ \t]+", re.I)
# What follows "to" in such a clause without being a payee: the accounts money moves between.
_ACCOUNTS = frozenset({"account", "accounts", "checking", "savings", "saving", "bank", "card", "wallet", "balance",
                       "credit", "debit"})
_PAYEE_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"})
_TITLE_GAP = re.compile(r"\.?[ \t]+")


# After a payee comes the end of the clause, an account or a time; after "to" + a verb ("to pay the bill",
# "to book a table") comes its object.
_AFTER_PAYEE = re.compile(r"[ \t]*(?:[.,!?;:)\n]|$)|[ \t]+(?:" + "|".join(sorted(_ACCOUNTS)) + r"|from|for|via|"
                          r"using|please|now|today|tomorrow|tonight|asap)\b", re.I)


_MONEY_HINTS = ("$", "transfer", "pay", "paid", "wire", "owe", "dollar", "buck", "euro", "pound", "money", "cash",
                "venmo", "zelle", "paypal")


def _payees(text: str, words: list[_Word]) -> list[Finding]:
    lowered = text.lower()
    if "to" not in lowered or not any(hint in lowered for hint in _MONEY_HINTS):
        return []  # substring tests spare most texts the case-insensitive scan
    found, lexicon, names = [], dictionary("en"), census_names()
    for cue in _PAYEE.finditer(text):
        at = next((i for i, w in enumerate(words) if w.start >= cue.end()), len(words))
        if at == len(words) or words[at].start != cue.end():
            continue
        if at + 1 < len(words) and words[at].low in _PAYEE_TITLES and \
                _TITLE_GAP.fullmatch(text, words[at].end, words[at + 1].start):
            at += 1
        payee = words[at]
        if (payee.low in stop_words("en") or payee.low in _ACCOUNTS or payee.low in CALENDAR or payee.low in CURRENCIES
                or len(payee.text) < 2 or not _AFTER_PAYEE.match(text, payee.end)):
            continue
        if payee.low in names or not lexicon.knows(payee.text):
            found.append(_finding(text, [payee], "PERSON", 0.6, "names"))
    return found


@functools.cache
def census_names() -> frozenset[str]:
    """First names and surnames in one set, built once."""
    return first_names() | surnames()


# The words of a token written without spaces, as programs and web addresses write them: "klaus_meier",
# "anna-schmidt-4711", "annaSchmidt", "Anna.Weber".
_JOINED_WORD = re.compile(r"[A-Z]?[a-z\u00DF-\u00FF]+|[A-Z\u00C0-\u00DE]+(?![a-z])")


def joined_words(token: str) -> list[str]:
    """The lower-cased words of ``token`` (snake, kebab, dotted or camel case)."""
    return [w.lower() for w in _JOINED_WORD.findall(token)]


@remembered(4096)
def given_name_in(token: str) -> bool:
    """Whether a word of ``token`` (``joined_words``) is a first name many people have (census, one in 10,000, or
    German) and no common word of English or German: "anna", "klaus_meier", "annaSchmidt", but not "lon", "mark" or
    "bill". Read where no capital tells a name: a JSON key, a web address."""
    en, de = dictionary("en"), dictionary("de")
    firsts = frequent_first_names() | german_first_names()
    return any(len(w) >= 3 and (w in firsts or _with_umlauts(w) in firsts) and w not in en.common
               and w not in de.common for w in joined_words(token))


def _with_umlauts(word: str) -> str:
    """``word`` as German writes it where a web address or a user name could not ("juergen" is "jürgen")."""
    return word.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")


def _listed(text: str, words: list[_Word], found: list[Finding], lexicon: Dictionary) -> list[Finding]:
    """Capitalised words listed next to a found name ("A, B and C") or to a word no dictionary knows."""
    # the words inside a finding, by where they start (looked up, not searched: a long list is read once)
    inside = {w.start for f in found for w in _inside(words, f)}

    def person(w: _Word) -> bool:
        return w.start in inside or (w.shaped and not w.acronym and (not lexicon.knows(w.text) or _named(w, lexicon)))

    def candidate(w: _Word) -> bool:
        before = w.start
        while before > 0 and text[before - 1].isspace():
            before -= 1
        return (w.shaped and not w.acronym and not w.initial and before > 0 and text[before - 1] not in ".!?:\n"
                and not _breaks(w, lexicon, names_only=False))

    out: list[Finding] = []  # grows as the list is walked, so each name found vouches for the next
    words = [w for w in words if w.low not in ("and", "or")]
    for a, b in itertools.pairwise(words):
        if not _AND.fullmatch(text[a.end:b.start]):
            continue
        for seed, other in ((a, b), (b, a)):
            if person(seed) and candidate(other) and (candidate(seed) or seed is a):
                out += [_finding(text, [w], "PERSON", 0.55, "names") for w in (seed, other) if w.shaped]
                inside.update(w.start for w in (seed, other) if w.shaped)
    return out


def _inside(words: list[_Word], finding: Finding) -> list[_Word]:
    """The words wholly inside ``finding`` (``words`` in the order of the text)."""
    first = bisect.bisect_left(words, finding.start, key=lambda w: w.start)
    last = bisect.bisect_left(words, finding.end, key=lambda w: w.start)
    return [w for w in words[first:last] if w.end <= finding.end]


def _breaks(word: _Word, lexicon: Dictionary, strict: bool = False, names_only: bool = True) -> bool:
    """A common word that is no name ("Tube", "Weekly"; with ``strict`` any common word) or an organisation
    word ends a name; with ``names_only`` off, only calendar and organisation words do."""
    low = word.low
    common = names_only and not word.initial and low in lexicon.common
    named = not strict and (low in first_names() or low in surnames())
    return (common and not named) or low in CALENDAR or bool(ORG_WORDS.fullmatch(word.text))


def _trim(run: list[_Word]) -> list[_Word]:
    while run and run[-1].low in _PARTICLES:
        run = run[:-1]
    while run and run[0].low in _PARTICLES:
        run = run[1:]
    return run


def _is_person(run: list[_Word], lexicon: Dictionary, named: Callable[[_Word], bool]) -> bool:
    full = [w for w in run if not w.initial and w.low not in _PARTICLES]
    if not full:
        return False
    unknown = [w for w in full if not lexicon.knows(w.text) and not named(w)]
    if len(full) >= 2:
        return (any(named(w) for w in full) or len(unknown) >= 2
                or (full[0].low in first_names() and full[-1].low in surnames()))
    word = full[0]
    if len(run) > 1:  # an initial beside one word: "J. Smith", "Sari J."
        return word.low in first_names() or word.low in surnames() or bool(unknown)
    return named(word) and (word.low in first_names() or not lexicon.knows(word.text))


class ProperNounDetector:
    """The egress safety net; see the module docstring. Adjacent flagged words (and initials between them)
    form one finding, so "Sari J. Paavolainen" becomes one placeholder."""

    def detect(self, text: str, language: str) -> list[Finding]:
        if not text.strip():
            return []
        words = _words(text)
        unknown = _unknown_to_german if language == "de" else _unknown_to_english
        flagged = {i for i, w in enumerate(words) if w.shaped and not w.acronym and unknown(w)}
        if language == "de":
            flagged |= _german_name_pairs(text, words, flagged) | _german_first_names(words)
        else:
            flagged |= _lower_case_names(text, words) | _unknown_pairs(text, words)
        keep = flagged | {i for i, w in enumerate(words) if w.initial and i - 1 in flagged and i + 1 in flagged}
        named_at = subject_names(text, words, language) | (_word_names(text, words) if language != "de" else set())
        named_at |= listed_with(text, words, named_at)  # "Can & Mark"
        named_at = {i for i in named_at - keep if not _in_model_name(text, words[i])}
        named = [_finding(text, [words[i]], "PERSON", 0.3, "safety-net") for i in sorted(named_at)]
        return [_finding(text, run, "PROPER_NOUN", 0.3, "safety-net") for run in _runs(text, words, keep)] \
            + named + _joined_names(text)


# A product's model name: a brand written in camel case and a number ("iPhone 15", "MacBook 14", "PlayStation 5") and
# any of a model's words ("Pro Max", "Ultra"), or a capitalised brand, a code of letters and digits and one of those
# words at least ("Galaxy S24 Ultra"): the first name among them, closing the phrase, is the model's, no person's. Not
# after a code alone ("room B12 Will will meet you", "See you at Gate B12 Will": reread31 L-7), nor before a verb
# ("Zimmer 5 Max kommt").
_MODEL_WORDS = r"[ \t]+(?i:pro|plus|ultra|mini|lite|air|se|edge|note|fold|flip|neo|max)"
_MODEL = re.compile(rf"(?:[^\W\d_]*[a-z][A-Z][^\W\d_]*[ \t]+\d[\w.]*(?:{_MODEL_WORDS}){{0,2}}"
                    rf"|[A-Z][^\W\d_]+[ \t]+[^\W\d_]+\d[\w.]*(?:{_MODEL_WORDS}){{1,2}})[ \t]+$")
_MODEL_AFTER = re.compile(r"[ \t]*(?:$|[,.;:!?)\n\u2e80-\u9fff])"
                          r"|[ \t]+(?:in|for|with|and|or|im|für|mit|und|oder|kaufen|bestellen)\b")


def _in_model_name(text: str, w: _Word) -> bool:
    return _MODEL.search(text, max(0, w.start - 48), w.start) is not None \
        and _MODEL_AFTER.match(text, w.end) is not None


# A name written without spaces, as web addresses and user names write it ("linkedin.com/in/anna-schmidt-4711",
# "anna-schmidt.de", "?name=Kevin+Brennan", "klaus_meier", "annaSchmidt"): no capital or space shows it to the rules
# above. Each piece of a web address, and each joined word elsewhere, that holds a first name is a person's name.
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.I)
_PIECE = re.compile(r"[^\s/?#&=:@,;()<>\"'\[\]]+")
_JOINER = re.compile(r"[-_.+%]|[a-z][A-Z]")


def _joined_names(text: str) -> list[Finding]:
    links = [m.span() for m in _LINK.finditer(text)]
    found = []
    for m in _PIECE.finditer(text):
        piece = m.group().rstrip(".!?")
        linked = any(start <= m.start() < end for start, end in links)
        if piece and (linked or _JOINER.search(piece)) and given_name_in(piece):
            found.append(Finding(m.start(), m.start() + len(piece), "PERSON", piece, 0.5, "joined"))
    return found


def _word_names(text: str, words: list[_Word]) -> set[int]:
    """Common first names that are words ("My daughter Summer has the flu", "write to Amber about her test"), written
    with a capital inside a sentence: there English capitalises a word only as a proper noun, and a common first name
    (one person in 10,000) is then most likely a person's (review R16-4: Summer, Ivy, Crystal, Amber went out). A first
    name of other countries (``given_names``: "Can") is one right after a word for a person ("my friend Can is
    coming"): alone, such words are more often a title's ("The Lord of the Rings", "a Can Do attitude")."""
    lexicon, firsts, given = dictionary("en"), frequent_first_names(), given_names()
    out = set()
    for i, w in enumerate(words):
        said_of = i > 0 and words[i - 1].low in PERSON_WORDS and text[words[i - 1].end:w.start] == " "
        if w.text[:1].isupper() and not w.initial and w.low in lexicon.common \
                and (w.low in firsts or (said_of and w.low in given)) and w.low not in CALENDAR:
            before = text[:w.start].rstrip()
            if before and before[-1] not in OPENS:
                out.add(i)
    return out



def _lower_case_names(text: str, words: list[_Word]) -> set[int]:
    """Names typed in lower case in a text that uses capitals elsewhere ("transfer $50 to philip"): a
    census first name that is no common word, and a census surname written beside it ("Becker hubert")."""
    lexicon, firsts, lasts = dictionary("en"), first_names(), surnames()
    out = {i for i, w in enumerate(words) if w.text.islower() and w.low in firsts and w.low not in lexicon.common
           and w.low not in CALENDAR}
    for i in sorted(out):
        for j in (i - 1, i + 1):
            if 0 <= j < len(words) and j not in out and words[j].low in lasts and words[j].low not in lexicon.common:
                a, b = sorted((words[i], words[j]), key=lambda w: w.start)
                if _GAP.fullmatch(text[a.end:b.start]):
                    out.add(j)
    return out


def _unknown_pairs(text: str, words: list[_Word]) -> set[int]:
    """Two lower-case words side by side that no dictionary or name list knows ("with barskyex bryna"): a
    name typed in lower case. One unknown word alone is more often a typo ("wth"), two in a row rarely."""
    if not any(c.isupper() for c in text):
        return set()  # a text without case is judged word by word, as if capitalised (``CaseBlind``)
    lexicon, names = dictionary("en"), census_names()

    def unknown(w: _Word) -> bool:
        return w.text.islower() and len(w.text) >= 4 and not lexicon.knows(w.text) and w.low not in names

    out: set[int] = set()
    for i, (a, b) in enumerate(itertools.pairwise(words)):
        if unknown(a) and unknown(b) and re.fullmatch(r"[ \t]+", text[a.end:b.start]):
            out |= {i, i + 1}
    return out


def _unknown_to_english(word: _Word) -> bool:
    if word.initial:
        return False
    lexicon, low = dictionary("en"), word.low
    if low in lexicon.common or low in CALENDAR:
        return False
    if "-" in low:  # "Anglo-Saxon", "Jean-Luc": unknown if any part is
        return any(_unknown_to_english(_Word(0, 0, part)) for part in word.text.split("-") if len(part) > 1)
    # A capitalised dictionary entry is a place or a brand ("Paris", "Google") unless it is also a name: a census
    # first name, or one given in any of nam_dict's countries (Sven, Lars, Mehmet: the dictionary knows them, the
    # census does not)
    return low not in lexicon.proper or low in first_names() or low in world_first_names()


def _unknown_to_german(word: _Word) -> bool:
    if word.initial or word.low in CALENDAR:
        return False
    german, english = dictionary("de"), dictionary("en")
    if german.knows(word.text) or word.low in english.common or _compound(word.low, german):
        return False
    return word.low not in english.proper or word.low in first_names()


# German writes a person's first and last name side by side with no article; a common noun almost
# always has one ("der Kranz"), and two nouns never stand bare side by side. So beside an unknown
# proper noun, and after a bare capitalised word that is no noun, a capitalised word is part of a name
# ("Isolde Hande", "Sergio Kranz", "Olaf Scholz wohnt"): the dictionary knows many first names and
# surnames as words (Kranz, Isolde), which is why the safety net alone let half of such names through.
_ARTICLES = frozenset({"der", "die", "das", "dem", "den", "des", "ein", "eine", "einem", "einen", "einer", "eines",
                       "im", "am", "zum", "zur", "vom", "beim", "ins", "ans", "kein", "keine", "jede", "jeder"})
_INFLECTIONS = ("n", "en", "e", "er", "es", "nen", "innen", "in")  # a noun's plural or genitive; a name has only -s


def _german_name_pairs(text: str, words: list[_Word], flagged: set[int]) -> set[int]:
    german, out = dictionary("de"), set()

    def capital(w: _Word) -> bool:
        return w.text[:1].isupper() and not w.acronym and not w.initial and w.low not in GERMAN_COMMON | CALENDAR

    def first(w: _Word) -> bool:  # "Gestern", "Bitte" open a sentence; no name is written so in lower case
        return capital(w) and w.low not in german.common

    def noun(w: _Word) -> bool:
        return any(german.knows(w.text + ending) for ending in _INFLECTIONS)

    for i, (a, b) in enumerate(itertools.pairwise(words)):
        if text[a.end:b.start] != " " or not first(a) or not capital(b):
            continue
        before = words[i - 1].low if i else ""
        if i in flagged or (i + 1 in flagged and not noun(a)) or (not noun(a) and before not in _ARTICLES):
            out |= {i, i + 1}
    return out


def _german_first_names(words: list[_Word], firsts: frozenset[str] | None = None) -> set[int]:
    """A first name standing alone ("Hallo Leopold, wie geht es dir?"): a first name given in German-speaking
    countries or in the US census (or of ``firsts``) that German writes only as a name (``_german_given``); a double
    name is such names joined ("Horst-Günter")."""
    firsts = _german_and_census_first_names() if firsts is None else firsts
    return {i for i, w in enumerate(words) if w.text[:1].isupper() and not w.acronym and not w.initial
            and all(_german_given(part, firsts) for part in w.text.split("-"))}


def _german_given(name: str, firsts: frozenset[str]) -> bool:
    """``name`` is one of ``firsts`` that the German dictionary knows capitalised only, with no plural or genitive
    of a noun (not "Rose": "Rosen"); a name it knows as a word is the word unless German-speaking countries give it
    ("Leopold" is a name, "Oma", "Bambi", "Barbie", which only the census lists, are words)."""
    german, low = dictionary("de"), name.lower()
    return (low in firsts and low not in german.common and low not in GERMAN_COMMON and low not in CALENDAR
            and not any(german.knows(name + ending) for ending in _INFLECTIONS)
            and (low in german_first_names() or not german.knows(name)))


def _german_persons(text: str, words: list[_Word]) -> list[Finding]:
    """German names led by a first name German writes only as a name (``_german_first_names``), with the capitalised
    words and particles beside it up to the first function word or month ("Reinhard Fröhlich wohnt seit März",
    "Hausarzt Mina Kreusel.", "Horst-Günter van der Dussen"): the English NER model misses most of them in German
    text, and the safety net replaced them only before a cloud call, as proper nouns, so routing and `tandem privacy
    scan` saw no person (most of the German tune half's missed persons). A first name given only in other countries
    is a person's with a word beside it ("Mehmet Yilmaz"), not alone: alone it is as often a word German took from
    their language ("Tapas"). A run is one finding: a first name inside it starts none of its own."""
    stops, found, taken = stop_words("de"), [], -1
    home = _german_first_names(words)
    given = _german_first_names(words, _german_and_world_first_names())
    listed = _listed_names(text, words)
    for i in sorted(given | listed):
        if i <= taken or (i and names_a_thing(text, words[i - 1].start, words[i].end, "de")):  # "eine Pizza Margherita"
            continue
        run = [words[i]]
        for word in words[i + 1:i + 4]:
            joined = text[run[-1].end:word.start] == " " and (word.low in _PARTICLES or (
                word.text[:1].isupper() and not word.acronym and word.low not in stops | GERMAN_COMMON | CALENDAR
                and not ORG_WORDS.fullmatch(word.text)))
            if not joined:
                break
            run.append(word)
        if len(run) > 1 or i in home or i in listed:
            taken = i + len(run) - 1
            found.append(_finding(text, _trim(run), "PERSON", 0.6, "names"))
    return found


_LISTED = re.compile(r", | (?:und|oder|sowie) ")
# German words of one class that are first names somewhere too, and the signs that a list of them is of things
# (listed_words.toml)
_LISTED_DATA = tomllib.loads((Path(__file__).parent / "listed_words.toml").read_text(encoding="utf-8"))["de"]
_CLASSES = [frozenset(words) for words in _LISTED_DATA["classes"].values()]
_THINGS_BEFORE, _CLASS_NOUNS = frozenset(_LISTED_DATA["before"]), frozenset(_LISTED_DATA["nouns"])


def _listed_names(text: str, words: list[_Word]) -> set[int]:
    """First names listed side by side ("für Can und Deniz", "für Mark und Grace", "Will, Rose und mich"): in a list,
    a word beside another person's first name is a first name too. Alone, many are German or English words ("Tapas",
    "Mark", "Will", "Rose"), and a list of two words is mostly of words ("Brot und Butter", "Will und Kraft", "Mark
    und Pfennig", "Jung und Alt"), so both neighbours must be first names (census, German or any of nam_dict's
    countries), capitalised, and no month or German function word. A list whose words are all of one class of German
    words with a sign of things (``_things``: "im Sommer und Winter", "die Farben Rosa und Lila") is a list of things;
    one word of another kind, or no such sign, keeps it a list of names ("für Rosa und Frank", "in Rosa und Lila")."""
    firsts, lists = _german_and_world_first_names(), list[list[int]]()

    def first(w: _Word) -> bool:
        return (w.text[:1].isupper() and not w.acronym and not w.initial and w.low not in CALENDAR | GERMAN_COMMON
                and all(part in firsts for part in w.low.split("-")))

    for i, a in enumerate(words):
        for j in (i + 1, i + 2):  # "Can, Deniz": the next word; "Can und Deniz": the one after the joining word
            if j < len(words) and _LISTED.fullmatch(text[a.end:words[j].start]) and first(a) and first(words[j]):
                if lists and lists[-1][-1] == i:
                    lists[-1].append(j)
                else:
                    lists.append([i, j])
    return {i for listed in lists if not _things(text, words, listed) for i in listed}


def _things(text: str, words: list[_Word], listed: list[int]) -> bool:
    """A list of German words all of one class (``_CLASSES``) with a sign of things right before it: a word people's
    names do not follow ("im", "jeden") or the class's word ("Farben"), and no capitalised word right after it (a
    surname: "Rosa und Lila Schmidt")."""
    if not any({words[i].low for i in listed} <= words_of for words_of in _CLASSES):
        return False
    first, last = listed[0], listed[-1]
    after = words[last + 1] if last + 1 < len(words) else None
    if after and after.text[:1].isupper() and text[words[last].end:after.start] == " ":
        return False
    before = words[first - 1] if first else None
    return bool(before and before.low in _THINGS_BEFORE | _CLASS_NOUNS and text[before.end:words[first].start] == " ")


@functools.cache
def _german_and_census_first_names() -> frozenset[str]:
    return first_names() | german_first_names()


@functools.cache
def _german_and_world_first_names() -> frozenset[str]:
    return _german_and_census_first_names() | world_first_names()


def _compound(low: str, german: Dictionary) -> bool:
    """German joins nouns freely ("Steuererklärungsformular"): known if it splits into two known words of
    four letters or more, with or without a linking s (shorter pieces split names too: "Her-linde")."""
    for cut in range(4, len(low) - 3):
        head, tail = low[:cut], low[cut:]
        if german.knows(tail) and (german.knows(head) or (head.endswith("s") and german.knows(head[:-1]))):
            return True
    return False


_WORD_START = re.compile(r"(?<![\w'’])[^\W\d_]")


def _capitalised(text: str) -> str:
    """Every word's first letter in upper case, keeping every offset (letters whose capital is longer,
    like ß, stay as they are)."""
    def up(match: re.Match[str]) -> str:
        capital = match.group().upper()
        return capital if len(capital) == 1 else match.group()

    return _WORD_START.sub(up, text)


class CaseBlind:
    """A text written without any capital letter carries no case signal ("follow up with patricia
    desrosiers"). Then ``inner`` also runs on a copy with every word capitalised, and what it finds there
    (of the ``keep`` categories) counts too, with the original text."""

    def __init__(self, inner: Detector, keep: frozenset[str] | None = None) -> None:
        self.inner, self.keep = inner, keep

    def detect(self, text: str, language: str) -> list[Finding]:
        found = self.inner.detect(text, language)
        if language == "zh" or any(c.isupper() for c in text) or not any(c.isalpha() for c in text):
            return found
        extra = [f for f in self.inner.detect(_capitalised(text), language)
                 if self.keep is None or f.category in self.keep]
        return found + [Finding(f.start, f.end, f.category, text[f.start:f.end], f.score, f.source) for f in extra]


# A name is the whole run of words it stands in. What a detector took for a name is often a piece of it:
# spaCy or the lists see "Alameda" of "Alameda Children's Specialized", "brooke" of "brown brooke a",
# "Janet" of "bacheler Janet", the safety net "Floriánem" of "Pod Floriánem 1677". Beside a name found,
# a word joins it when it is written the way that name is and could be one: a capitalised word inside a
# sentence of a cased text; a lower-case census name or frequent surname beside a lower-case name; any
# word no dictionary knows. A number right after a word no dictionary knows, closing the clause, is its
# house number ("Dalbraut 99 and ..."). Function words never join ("Kevin will", "Anna and").
_CLAUSE_END = re.compile(r"[ \t]*(?:[\n,;.?!)]|$|and\b|or\b)")
_HOUSE_NUMBER = re.compile(r"[ \t]+(?!(?:19|20)\d\d\b)\d{1,5}[A-Za-z]?\b")
# A house number opens a street when a preposition, a comma or a line's start stands before it.
_NUMBER_OPENS = re.compile(r"(?:^|[\n,]|\b(?:at|on|of|in|to|is)\b)[ \t]*(?!(?:19|20)\d\d\b)(\d{1,5}[A-Za-z]?)[ \t]+$",
                           re.I)
_SIDE = 3  # words a name may grow by on each side


class NameNeighbours:
    """Grows the names other detectors found over the words that belong to them (see above); English only,
    before a cloud call. A refiner: it reads what the cheaper detectors found."""

    def detect(self, text: str, language: str) -> list[Finding]:
        return []  # nothing to grow without the other detectors' findings

    def detect_rest(self, text: str, language: str, found: list[Finding]) -> list[Finding]:
        names = [f for f in found if f.category in ("PERSON", "PROPER_NOUN")]
        if language != "en" or not names:
            return []
        words, out = _words(text), []
        starts = [w.start for w in words]
        cased = any(c.isupper() for c in text) and any(c.islower() for c in text)
        for name in names:
            inside = [i for i in range(bisect.bisect_left(starts, name.start), bisect.bisect_left(starts, name.end))
                      if words[i].end <= name.end]
            if not inside:
                continue
            first, last = inside[0], inside[-1]
            while first > 0 and inside[0] - first < _SIDE and _joins(text, words, first - 1, first, cased):
                first -= 1
            while last + 1 < len(words) and last - inside[-1] < _SIDE and _joins(text, words, last + 1, last, cased):
                last += 1
            first, last = _no_function_words_at_edges(words, first, last, inside)
            start, end = min(words[first].start, name.start), max(words[last].end, name.end)
            if (start, end) != (name.start, name.end):
                out.append(Finding(start, end, name.category, text[start:end], name.score, "neighbours"))
            out += _house_number(text, words[first], words[last], name)
        return out


def _joins(text: str, words: list[_Word], i: int, beside: int, cased: bool) -> bool:
    word, name = words[i], words[beside]
    left, right = sorted((word, name), key=lambda w: w.start)
    if not re.fullmatch(r"[ \t]+", text[left.end:right.start]) or word.low in CALENDAR or word.acronym \
            or word.low.replace("’", "'") in CONTRACTED:  # "Sorry Can I'm late" names Can, not "Can I'm" (reread32 L-1)
        return False
    if cased and word.text[:1].isupper():
        before = text[:word.start].rstrip(" \t")
        if not before or before[-1] in ".!?:\n\"“":  # a sentence's first word is capitalised anyway ...
            return i < beside and _given_before_surname(word, name)
        return True
    if word.low in stop_words("en") or len(word.text) < 3 or not word.text.islower():
        return False
    if not dictionary("en").knows(word.text) and word.low not in census_names():
        return True
    return name.text.islower() and (word.low in first_names() or word.low in frequent_surnames())


def _given_before_surname(word: _Word, name: _Word) -> bool:
    """... but a first name opening it is a name when a surname no dictionary knows follows it ("Can Yıldız will join
    us", "Will Okonkwo called"), not a common first name of the census ("Can Anna come?") or a word ("Can Tandem ...",
    "Will it"). Yıldız is a Turkish given name too: a rarer first name may be a surname."""
    lexicon = dictionary("en")
    return (word.low in given_names() and name.text[:1].isupper() and not lexicon.knows(name.text)
            and name.low not in frequent_first_names())


def _no_function_words_at_edges(words: list[_Word], first: int, last: int, inside: list[int]) -> tuple[int, int]:
    """A capitalised "And" may stand inside a title-case name ("Marriage And Family"), not at its end; a first name
    that is a function word may ("Can Yıldız", "Will Okonkwo": it joined as a capitalised word)."""
    stops, given = stop_words("en"), given_names()

    def dropped(w: _Word) -> bool:
        return w.low in stops and not (w.text[:1].isupper() and w.low in given)

    while first < inside[0] and dropped(words[first]):
        first += 1
    while last > inside[-1] and dropped(words[last]):
        last -= 1
    return first, last


def _house_number(text: str, first: _Word, last: _Word, name: Finding) -> list[Finding]:
    """The house number after ("Dalbraut 99") or before ("the corner of 35 Pentelis Str.") a street name that
    no dictionary knows, with the name: one address finding."""
    lexicon, start, end = dictionary("en"), min(first.start, name.start), max(last.end, name.end)
    after = _HOUSE_NUMBER.match(text, last.end)
    if after is not None and not lexicon.knows(last.text) and _CLAUSE_END.match(text, after.end()):
        end = after.end()
    before = _NUMBER_OPENS.search(text, max(0, first.start - 24), first.start)
    if before is not None and not lexicon.knows(first.text):
        start = before.start(1)
    if (start, end) == (min(first.start, name.start), max(last.end, name.end)):
        return []
    return [Finding(start, end, "ADDRESS", text[start:end], name.score, "neighbours")]
