"""First names that are words too ("Can", "Will", "Hope", "Mark", "Lan", "Mai") read as persons by their place in a
sentence, for the egress safety net (``names.ProperNounDetector``). Alone such a word is as often the word, so the
word lists leave it; where a sentence's grammar makes it a subject, it is a person (fail closed):

- German: a bare singular noun takes an article, so a first name right before a clause's finite verb ("Lan kommt
  heute nicht"), right after the finite verb of a main clause that opens with something else ("Morgen kommt Can
  vorbei", "Kommt Can?"), or right after a subordinating word with the clause's finite verb later ("obwohl Can krank
  ist", "seit Can hier arbeitet") is a person; so is one right after a preposition a person follows bare ("mit Can").
- English: a capitalised word inside a sentence is a proper noun; right after a word opening a clause and before a
  finite verb ("although Can is sick"), or between a question's auxiliary and a verb ("Will Mark come?"), a person.
- Chinese: a first name written in Latin letters alone among Chinese characters ("明天Can会来").
- Any of them: greeted ("Hey Can how are you", "Hello, Can."), signing a message ("Best,\nCan", "Viele Grüße\nCan"),
  a chat's speaker ("Will: can you …") or handle ("@Can"); English company ("dinner with Can tonight") and the one
  given or told something ("send it to Can"); the person a German imperative is for ("Gib Can bitte den Schlüssel").

The words are in subject_words.toml, by language.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tandem.privacy.dictionaries import Dictionary, dictionary, frequent_first_names, stop_words, world_first_names
from tandem.privacy.word_sets import CALENDAR, GERMAN_COMMON

if TYPE_CHECKING:
    from tandem.privacy.names import _Word

__all__ = ["CONTRACTED", "COURTESY", "OPENS", "given_names", "listed_with", "subject_names"]

OPENS = ".!?:;\"“”'‘(\n-•*#>"  # after these a capital says nothing: a sentence, a quote or a list item begins

_DATA = tomllib.loads((Path(__file__).parent / "subject_words.toml").read_text(encoding="utf-8"))
_DE, _EN = _DATA["de"], _DATA["en"]
_FINITE, _CLAUSE_OPENERS = frozenset(_DE["finite"]), frozenset(_DE["openers"])
_SUBORDINATING, _FUNCTION_VERBS = frozenset(_DE["subordinating"]), frozenset(_DE["verbs"])
_DETERMINERS, _PRONOUNS = frozenset(_DE["determiners"]), frozenset(_DE["pronouns"])
_VERB_ENDINGS, _LISTED_PRONOUNS = tuple(_DE["verb_endings"]), frozenset(_DE["listed_pronouns"])
_VERB_PARTICLES = tuple(sorted(_DE["particles"], key=len, reverse=True))
_PREPOSITIONS, _MONTHS = frozenset(_DE["prepositions"]), frozenset(_DE["months"])
_TIMED = frozenset(_DE["timed"])
_EN_OPENERS, _EN_FINITE = frozenset(_EN["openers"]), frozenset(_EN["finite"])
_EN_QUESTIONS, _EN_ADDRESSED = frozenset(_EN["questions"]), frozenset(_EN["addressed"])
_EN_PRONOUNS = frozenset(_EN["listed_pronouns"])
_EN_JOINING = frozenset({"and", "or"})
_ZH_NOT_NAMES = frozenset(_DATA["zh"]["not_names"])
COURTESY = frozenset(_DATA["zh"]["courtesy"])  # words of thanks Chinese taggers read as names ("谢谢": 谢 a surname)
_EN_GIVING, _EN_COMPANY = frozenset(_EN["giving"]), frozenset(_EN["company"])
_IMPERATIVES = frozenset(_DE["imperatives"])
_EN_WHERE = frozenset({"where", "how", "who"})
_EN_PAST = frozenset(_EN["past"])
CONTRACTED = _EN_CONTRACTED = frozenset(_EN["contracted"])  # a pronoun joined to its verb ("I'm"): never part of a name
_EN_PHRASAL = frozenset(_EN["phrasal"])
_EN_INTRODUCING, _EN_LISTED_VERBS = frozenset(_EN["introducing"]), frozenset(_EN["listed_verbs"])
_LIST_GAP = re.compile(r"[ \t]*[,&][ \t]*")  # "Will, Can", "Can & Mark"; "and" is a word of its own
_BEING, _HERE = frozenset(_DE["being"]), frozenset(_DE["here"]) | frozenset(_EN["here"])
_LIST_SIGN = re.compile(r"[ \t]*[&+][ \t]*")  # "Can & Mark"
_LIST_WORDS = frozenset({"and", "und", "&"})
# read in either language, as closings are: a short German message is often taken for English
_COPIED = frozenset(_EN["copied"])
_HEADERS, _SENDERS = frozenset(_EN["headers"]), frozenset(_EN["senders"])
_VOCATIVE_AFTER, _PRESENTING = frozenset(_EN["vocative_after"]), frozenset(_EN["presenting"])
_CALLED_FIRST = re.compile(r",[ \t]*")
_GREETINGS = frozenset(_DE["greetings"]) | frozenset(_EN["greetings"])
_WISHES = frozenset(_DE["wishes"]) | frozenset(_EN["wishes"])
_BEFORE_NOUN = frozenset(_EN["before_noun"]) | frozenset(_DE["before_noun"]) | _DETERMINERS | _PREPOSITIONS
_LINE_CLOSED = re.compile(r"[ \t]*(?:,|[.!?]*[ \t]*(?:\r?\n|$))")  # "Welcome back Can!", "…Can, we missed you"
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_CODE_GAP = re.compile(r"(?:[ \t]*\d+)?[ \t]+")  # between two words, or a word and a name: "Gate B12 Will"
_COPIED_GAP = re.compile(r"[ \t]*:?[ \t]*")
# a place and its number or code before a name: "Zimmer 5 Max kommt später", "In Halle 3 Max wartet"
_PLACED = re.compile(r"(?<![^\W\d_])[A-ZÄÖÜ][^\W\d_]+[ \t]+[^\W\d_]{0,2}\d{1,4}[^\W\d_]?[ \t]+$")
_GREETED_END = re.compile(r"[ \t]*(?:[,!.;:?\n]|$)")  # "Hallo Can," "Danke Mark!": the name closes the greeting
# a letter signed: "Best,\nCan", "Cheers, Can"
_SIGNED_GAP = re.compile(r"[ \t]*[,.!\u2013\u2014-]?[ \t]*(?:\r?\n[ \t]*)+|[ \t]*,[ \t]*")
_LAST_ON_LINE = re.compile(r"[ \t]*[.!]?[ \t]*(?:\r?\n|$)")
_LOOK_BACK = 80  # characters read back from a name for its line's start (a window: a long text is read once)
_VOCATIVE_END = re.compile(r"[ \t]*[.!?]*[ \t]*$")
_VOCATIVE_BEFORE = re.compile(r"[^\W\d_]+[ \t]+[^\W\d_]+[.!?]?,[ \t]*$")  # a clause of two words or more, its comma
_DASHED = re.compile(r"(?:^|\n)[ \t]*[-\u2013\u2014~]+[ \t]*$")  # a signature's dash: "— Can", "-Can"
_LABEL = re.compile(r":[ \t]+[^\W\d_]")  # "Will: can you send the report?"


class _Addressing:
    """A language's words for addressing a person: its greetings, the pronouns after a modal."""

    def __init__(self, words: dict[str, list[str]], pronouns: frozenset[str]) -> None:
        self.greetings, self.pronouns = frozenset(words["greetings"]), pronouns


# a letter's closing is read in either language: a short German one is often taken for English ("LG Can")
_CLOSINGS = frozenset(_DE["closings"]) | frozenset(_EN["closings"])
_CLOSINGS_SPACED = frozenset(_DE["closings_spaced"]) | frozenset(_EN["closings_spaced"])
_DE_ADDRESSING = _Addressing(_DE, _PRONOUNS)
_EN_ADDRESSING = _Addressing(_EN, frozenset({"i", "you", "we", "he", "she", "they", "it", "someone", "anyone"}))
_JOINING = frozenset({"und", "oder", "sowie"})  # the words joining a list
_PHRASE_END = re.compile(r"[ \t]*(?:[.;:!?)\n]|$)")  # not a comma: a list goes on after it
_CLAUSE_END = re.compile(r"[,;:.!?()\n\"“”]")


@functools.cache
def given_names() -> frozenset[str]:
    """First names many people have: the census's common ones (one person in 10,000) and those nam_dict gives at
    frequency 4 in any of its countries (Turkish "Can", "Deniz": the census lacks them)."""
    return frequent_first_names() | world_first_names()


def subject_names(text: str, words: Sequence[_Word], language: str) -> set[int]:
    """The indexes of ``words`` that are first names by their place in the sentence (see the module docstring)."""
    if language == "de":
        return _german(text, words)
    if language == "zh":
        return _latin_among_han(text, words)
    return _english(text, words)


def _beside(text: str, a: _Word, b: _Word) -> bool:
    return text[a.end:b.start] == " "


def _finite_verb(w: _Word) -> bool:
    """A German finite verb of the third person singular (subject_words.toml): "kommt", "holte", "kann", a separable
    verb joined to its particle ("mitkommt")."""
    if not w.text.islower() or w.low in _FINITE:
        return w.text.islower()
    german = dictionary("de")
    return w.low.endswith(("t", "te")) and (german.knows(w.text) or any(
        w.low.startswith(p) and len(w.low) - len(p) >= 3 and german.knows(w.low[len(p):]) for p in _VERB_PARTICLES))


def _bare_given(w: _Word, stops: frozenset[str]) -> bool:
    """A capitalised first name that is no function word (a finite verb may be one: "Will")."""
    return (w.text[:1].isupper() and not w.acronym and not w.initial and len(w.text) >= 2 and w.low in given_names()
            and w.low not in GERMAN_COMMON and (w.low not in stops or w.low in _FINITE))


def _german(text: str, words: Sequence[_Word]) -> set[int]:
    """German first names that are words too (an English word, a German word, a month: "Lan", "Can", "Hope", "Will",
    "Mai") as a clause's subject: before its finite verb, after it, or opening a clause whose verb comes last.
    German writes a singular noun with an article, so a bare first name there is a person, even one that is a German
    noun too ("Rose wartet vor dem Kino"): fail closed."""
    stops, out = stop_words("de"), _named_after_prepositions(text, words)
    for i, w in enumerate(words):
        if _bare_given(w, stops) and (_before_verb(text, words, i) or _after_verb(text, words, i, stops)
                                      or _verb_late(text, words, i, stops) or _beside_a_pronoun(text, words, i)
                                      or _addressed(text, words, i, _DE_ADDRESSING) or _asked_for(text, words, i)):
            out.add(i)
    return out


def _addressed(text: str, words: Sequence[_Word], i: int, language: _Addressing) -> bool:
    """ "Hallo Can, …", "Hey Can how are you", "Hello, Can.", "Danke Mark!", "Best,\nCan", "Will: can you …", "@Can",
    "Can's car": greeted, thanked or signing by name, a message's speaker or handle, or owning a thing (a possessive's
    apostrophe); a month is none of them ("May's weather"). After a greeting a modal before a pronoun is the modal
    ("Hey Can you help me?")."""
    w = words[i]
    if w.low in _MONTHS or w.low in CALENDAR:
        return False
    if text[w.end:w.end + 2] in ("'s", "’s") or text[w.start - 1:w.start] == "@" or _labelled(text, w):
        return True
    if _speaking(text, words, i) or _called_first(text, words, i):
        return True  # "Can here", "Hi all, Will speaking", "Can, can you call me?"
    if i == 0:
        return _dashed(text, w)
    prev, gap = words[i - 1], text[words[i - 1].end:w.start]
    if _VOCATIVE_END.match(text, w.end) and _VOCATIVE_BEFORE.search(text, max(0, w.start - _LOOK_BACK), w.start):
        return True  # "Hope you're well, Can", "Danke dir, Can!": called by name at the message's end
    if _signed(text, prev, w, gap) or _dashed(text, w) or _copied(text, words, i) or _wished(text, words, i):
        return True
    if prev.low not in language.greetings:
        return False
    closes = _GREETED_END.match(text, w.end) is not None
    if gap.strip(" \t") == "," and closes:
        return True  # "Hello, Can.", "Cheers, Can"
    if gap != " ":
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    goes_on = after is not None and _beside(text, w, after) and after.text.islower() \
        and not (w.low in _EN_FINITE | _FINITE and after.low in language.pronouns)
    return closes or goes_on


def _copied(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "cc Can", "FYI: Will", "Attn Mark and Lan": a recipient after a label listing them, with the phrase's end, a
    list's word or a lower-case word after it."""
    prev, w = words[i - 1], words[i]
    gap = text[prev.end:w.start]
    if prev.low in _HEADERS and gap.strip(" \t") in (":", ","):
        return True  # "From: Can", "signed, Can"
    if prev.low in _SENDERS and gap == " " and text[w.end:w.end + 1] == ":":
        return True  # "Message from Can: running late"
    if prev.low not in _COPIED or not _COPIED_GAP.fullmatch(gap) or not gap:
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    return _GREETED_END.match(text, w.end) is not None or (
        after is not None and _beside(text, w, after) and after.text.islower())


def _wished(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "Thanks for everything Can", "Welcome back Can!", "See you at Gate B12 Will", "Danke für alles Can": the name
    closes its line after a word that is no article or preposition (or after a number), in a sentence that opens with
    a word of wishes, thanks or leave-taking (subject_words.toml ``wishes``)."""
    w, prev = words[i], words[i - 1]
    gap = text[prev.end:w.start]
    if not _LINE_CLOSED.match(text, w.end) or not _CODE_GAP.fullmatch(gap):
        return False
    if not any(c.isdigit() for c in gap) and (prev.low in _BEFORE_NOUN or not (
            prev.text.islower() or _opens(text, prev) or _german_noun(prev))):
        return False  # "Thanks for the Hope", "Welcome to Summer", a name's words ("Thanks for the Coke Can")
    for j in range(i - 1, max(-1, i - 10), -1):
        if _SENTENCE_BREAK.search(text, words[j].end, words[j + 1].start):
            return False
        if words[j].low in _WISHES and _opens(text, words[j]):
            return True
    return False


def _speaking(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "Hi all, Can here", "Will speaking.", "Can hier": a caller saying who speaks, opening a clause."""
    after = words[i + 1] if i + 1 < len(words) else None
    return after is not None and after.low in _HERE and _beside(text, words[i], after) \
        and _GREETED_END.match(text, after.end) is not None and _opens(text, words[i])


def _called_first(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "Can, can you call me?", "Will, are you coming?": a first name opening a sentence, its comma, then a word
    asking or telling (subject_words.toml ``vocative_after``)."""
    after = words[i + 1] if i + 1 < len(words) else None
    if words[i].low in _WISHES or words[i].low in _GREETINGS:
        return False  # "Hey, how are you?"
    return after is not None and after.low in _VOCATIVE_AFTER and after.text.islower() \
        and _CALLED_FIRST.fullmatch(text, words[i].end, after.start) is not None and _opens_sentence(text, words[i])


def _opens_sentence(text: str, w: _Word) -> bool:
    before = text[max(0, w.start - _LOOK_BACK):w.start].rstrip(" \t")
    return not before or before[-1] in OPENS


def _presented(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "It's Can", "hey it's Can", "That's Will!": who is there, with the phrase's end or a lower-case word after."""
    prev, w = words[i - 1], words[i]
    if prev.low not in _PRESENTING or text[prev.end:w.start] not in ("'s ", "’s "):
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    return _GREETED_END.match(text, w.end) is not None or (
        after is not None and _beside(text, w, after) and after.text.islower())


def listed_with(text: str, words: Sequence[_Word], named: set[int]) -> set[int]:
    """ "Can & Mark", "Mark and Can": a capitalised first name (``given_names``) listed beside a name found is one more
    person of the list (two signing a message, two invited)."""
    out = set()
    for i in named:
        for j in (i - 1, i + 1, i - 2, i + 2):
            if not 0 <= j < len(words) or j in named or not _listable(words[j]):
                continue
            first, last = sorted((i, j))
            joined = _LIST_SIGN.fullmatch(text, words[first].end, words[last].start) if last - first == 1 else (
                words[first + 1].low in _LIST_WORDS and _beside(text, words[first], words[first + 1])
                and _beside(text, words[first + 1], words[last]))
            if joined:
                out.add(j)
    return out


def _listable(w: _Word) -> bool:
    return w.text[:1].isupper() and not w.acronym and not w.initial and len(w.text) >= 2 and w.low in given_names() \
        and w.low not in CALENDAR and w.low not in _MONTHS


def _german_noun(w: _Word) -> bool:
    """A capitalised word German knows as a noun and no first name: "Schönes Wochenende Can"."""
    return w.low in dictionary("de").proper and w.low not in given_names()


def _opens(text: str, w: _Word) -> bool:
    """``w`` opens the text, a sentence, a line or a clause after a comma (read back a window only)."""
    before = text[max(0, w.start - _LOOK_BACK):w.start].rstrip(" \t")
    return not before or before[-1] in OPENS + ","


def _signed(text: str, closing: _Word, w: _Word, gap: str) -> bool:
    """``w`` signs the text: after a letter's closing, alone at the end of its line."""
    if closing.low not in _CLOSINGS or not _LAST_ON_LINE.match(text, w.end):
        return False
    return _SIGNED_GAP.fullmatch(gap) is not None or (gap == " " and closing.low in _CLOSINGS_SPACED)


def _dashed(text: str, w: _Word) -> bool:
    """A signature after a dash, alone on the last line ("— Can", "-Can")."""
    return _DASHED.search(text, max(0, w.start - _LOOK_BACK), w.start) is not None \
        and _LAST_ON_LINE.match(text, w.end) is not None


def _labelled(text: str, w: _Word) -> bool:
    """A line opened by a first name and a colon, as a chat's speaker ("Will: can you send the report?")."""
    before = text[max(0, w.start - _LOOK_BACK):w.start].rstrip(" \t")  # a window: each name is checked once
    return (not before or before[-1] == "\n") and _LABEL.match(text, w.end) is not None


def _asked_for(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "Gib Can bitte den Schlüssel", "Schick Can die Datei", "Bring Will zum Bahnhof": a first name right after an
    imperative opening the sentence (subject_words.toml ``imperatives``, or a stem whose infinitive German knows), with
    a lower-case word, a noun German knows or the phrase's end after it."""
    if i == 0 or not _beside(text, words[i - 1], words[i]) or not _starts(text, words[i - 1]):
        return False
    verb, after = words[i - 1], words[i + 1] if i + 1 < len(words) else None
    if not verb.text[:1].isupper() or not _imperative(verb.low):
        return False
    if after is None or not _beside(text, words[i], after):
        return _PHRASE_END.match(text, words[i].end) is not None or _GREETED_END.match(text, words[i].end) is not None
    return after.text.islower() or (after.low in GERMAN_COMMON and after.low not in given_names())


def _imperative(low: str) -> bool:
    if low in _IMPERATIVES:
        return True
    german = dictionary("de")
    return (len(low) >= 3 and low not in stop_words("de") and low not in GERMAN_COMMON
            and (german.knows(low + "en") or (low.endswith("e") and german.knows(low + "n"))))


def _starts(text: str, w: _Word) -> bool:
    """``w`` opens the text, a sentence, a quote, a list item or a clause after a comma."""
    before = text[:w.start].rstrip(" \t")
    return not before or before[-1] in OPENS + ","


def _after(text: str, words: Sequence[_Word], i: int, openers: frozenset[str]) -> bool:
    """One of ``openers`` right before word ``i`` (but not a preposition of time before a month: "Bis August ist
    noch Zeit")."""
    prev = words[i - 1] if i else None
    return (prev is not None and prev.low in openers and _beside(text, prev, words[i])
            and not (prev.low in _TIMED and words[i].low in _MONTHS))


def _before_verb(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "Lan kommt heute nicht", "ich glaube, Can bringt den Kuchen mit"."""
    return (i + 1 < len(words) and _beside(text, words[i], words[i + 1]) and _finite_verb(words[i + 1])
            and (_starts(text, words[i]) or _after(text, words, i, _CLAUSE_OPENERS) or _placed(text, words[i])))


def _placed(text: str, w: _Word) -> bool:
    """A place and its number or code right before ``w`` ("Zimmer 5 Max kommt später", "Room 5 Can is waiting"):
    a name there opens the clause."""
    return _PLACED.search(text, max(0, w.start - _LOOK_BACK), w.start) is not None


def _german_verb(w: _Word, stops: frozenset[str]) -> bool:
    low = w.low
    return (_finite_verb(w) and (low not in stops or low in _FINITE or low in _FUNCTION_VERBS)
            and low not in _SUBORDINATING | _PREPOSITIONS)


def _after_verb(text: str, words: Sequence[_Word], i: int, stops: frozenset[str]) -> bool:
    """ "Morgen kommt Can vorbei", "Gestern hat Mark angerufen", "Kommt Will heute?": the finite verb right before,
    lower case (a word in -te after an article is an adjective: "die nächste Rose") or opening a question; as its
    object, after any other form of a verb or a pronoun ("Ich rufe Can morgen an", "Wir besuchen Lan", "Kannst du
    Mark anrufen?"). A surname, a title's next word or a list after the name is another rule's; a month is one after
    a finite verb with more words after it ("Vielleicht kommt Mai auch"), not at the phrase's end ("Bald ist Mai.")."""
    if i == 0 or not _beside(text, words[i - 1], words[i]):
        return False
    verb, w = words[i - 1], words[i]
    if verb.text.islower():
        if i >= 2 and words[i - 2].low in _DETERMINERS:
            return False
        finite = _german_verb(verb, stops)
        if not finite and (w.low in _MONTHS or not _other_verb_form(verb, stops)):
            return False
    elif not (verb.text[:1].isupper() and _starts(text, verb)
              and _german_verb(_lowered(verb), stops)):
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    if after is not None and _beside(text, w, after) and (after.text[:1].isupper() or after.low in _JOINING):
        return False  # a list's words are ``names._listed_names``'s: "kommt Alter und Weisheit", "kommt Can und Will"
    if w.low in _MONTHS:
        return after is not None and _beside(text, w, after) and after.text.islower() and after.low not in _JOINING
    return True


def _other_verb_form(w: _Word, stops: frozenset[str]) -> bool:
    """A pronoun an object may follow ("du", "ich"), or a word German knows ending as a verb of another person or an
    infinitive does ("rufe", "besuchen", "triffst"), no function word."""
    return w.low in _PRONOUNS or w.low in _BEING or (w.low not in stops and w.low.endswith(_VERB_ENDINGS)
                                  and dictionary("de").knows(w.text))


def _beside_a_pronoun(text: str, words: Sequence[_Word], i: int, joining: frozenset[str] = _JOINING,
                      pronouns: frozenset[str] = _LISTED_PRONOUNS) -> bool:
    """ "Can und ich gehen ins Kino", "mit Will und mir", "Can and I": listed with a pronoun for a person."""
    for joiner, other in ((i + 1, i + 2), (i - 1, i - 2)):
        if not 0 <= other < len(words) or words[joiner].low not in joining or words[other].low not in pronouns:
            continue
        first, second = sorted((i, joiner))
        if _beside(text, words[first], words[second]):
            return True
    return False


def _lowered(w: _Word) -> _Word:
    return type(w)(w.start, w.end, w.low)


def _verb_late(text: str, words: Sequence[_Word], i: int, stops: frozenset[str]) -> bool:
    """ "obwohl Can krank ist", "seit Can hier arbeitet": a subordinating word right before, a finite verb later in
    the clause."""
    if not _after(text, words, i, _SUBORDINATING):
        return False
    end = _CLAUSE_END.search(text, words[i].end)
    stop = end.start() if end else len(text)
    return any(_german_verb(v, stops) for v in words[i + 1:] if v.end <= stop)


def _named_after_prepositions(text: str, words: Sequence[_Word]) -> set[int]:
    """Such first names right after a preposition a person follows bare ("für Lan ins Büro", "mit Can ins Kino",
    "Termin mit Lan am Montag"; subject_words.toml), with a lower-case word or the phrase's end after them (a
    capitalised word after it is another rule's: a surname, a noun; a list's "und" is ``_listed_names``'s: "mit Will und
    Kraft", "für Mark und Pfennig"). A month is no person there ("für Mai"); a
    function word is none either, except a finite verb, which no preposition takes ("von Will")."""
    stops, out = stop_words("de"), set()
    for i in range(1, len(words)):
        w, before = words[i], words[i - 1]
        if before.low not in _PREPOSITIONS or not _beside(text, before, w) or not _bare_given(w, stops) \
                or w.low in _MONTHS:
            continue
        after = words[i + 1] if i + 1 < len(words) else None
        if _PHRASE_END.match(text, w.end) or (after is not None and after.text.islower() and _beside(text, w, after)
                                              and (after.low not in _JOINING or _lower_after(words, i + 1))):
            out.add(i)  # "an Can und die Kinder": no list of names
    return out


def _lower_after(words: Sequence[_Word], i: int) -> bool:
    return i + 1 < len(words) and words[i + 1].text.islower()


def _english(text: str, words: Sequence[_Word]) -> set[int]:
    """ "although Can is sick", "Tomorrow Can will come by", "Will Mark come?", "Tell Can that I am late": a first
    name that is a common word, capitalised, after a clause's opening word or a question's auxiliary and before a
    finite verb (an auxiliary, or a known word in -s or -ed), or after a verb a person follows with a lower-case word
    or the phrase's end after it; greeted, thanked or owning a thing ("Hi Can,", "Can's car")."""
    lexicon, stops, out = dictionary("en"), stop_words("en"), _listed_together(text, words)
    for i, w in enumerate(words):
        if w.low in CALENDAR and _introduced(text, words, i):
            out.add(i)  # "I'm May": a month is a first name too
            continue
        if (not w.text[:1].isupper() or w.acronym or w.initial or len(w.text) < 2 or w.low not in given_names()
                or w.low not in lexicon.common or w.low in CALENDAR or (w.low in stops and w.low not in _EN_FINITE)):
            continue  # a function word is none ("thank You"), but a modal may be ("Can", "Will")
        if _addressed(text, words, i, _EN_ADDRESSING) or _beside_a_pronoun(text, words, i, _EN_JOINING, _EN_PRONOUNS) \
                or _accompanied(text, words, i) or _before_past(text, words, i, lexicon) \
                or (i > 0 and _presented(text, words, i)):
            out.add(i)  # "Can's car is red", "Hey Will!", "Can and I", "dinner with Can tonight", "Sorry Can I forgot"
            continue
        prev, verb = words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None
        opening = prev is None or _starts(text, w) or prev.text.islower()
        if verb is not None and _beside(text, w, verb) and _finite_en(verb, lexicon) and (
                _placed(text, w) or (w.low in _EN_FINITE and opening)):
            out.add(i)  # a modal before a finite verb is none: "Can is sick today" (not in a title: "Yes We Can is");
            continue  # a place's number before: "Room 5 Can is waiting"
        if prev is None or not _beside(text, prev, w):
            continue
        if _asked_where(words, i) and _PHRASE_END.match(text, w.end):
            out.add(i)  # "Where is Can?"
            continue
        # after a verb a person follows; not after a preposition: "tickets for Hamlet", "welcome to Summer camp"
        governed = prev.low in _EN_ADDRESSED or _phrasal(text, words, i)
        if verb is None or not _beside(text, w, verb) or not verb.text.islower():
            if governed and (_PHRASE_END.match(text, w.end) or (verb is not None and verb.text == "I")):
                out.add(i)  # "please call Will.", "Tell Can I said hi"
            continue
        said = _finite_en(verb, lexicon)
        asked = prev.low in _EN_QUESTIONS and (prev.text.islower() or _starts(text, prev))
        if (prev.low in _EN_OPENERS and said) or asked or governed:
            out.add(i)
    return out


def _finite_en(verb: _Word, lexicon: Dictionary) -> bool:
    return verb.text.islower() and (verb.low in _EN_FINITE or (verb.low.endswith(("s", "ed"))
                                                               and lexicon.knows(verb.text)))


def _before_past(text: str, words: Sequence[_Word], i: int, lexicon: Dictionary) -> bool:
    """ "Sorry Can I forgot", "Will I'm late": a modal that is a first name, then a pronoun and a verb of the past (or
    a pronoun joined to its verb) is no question: the name is the one spoken to ("Can I help?" asks)."""
    if words[i].low not in _EN_FINITE or i + 1 >= len(words) or not _beside(text, words[i], words[i + 1]):
        return False
    pronoun = words[i + 1]
    if pronoun.low in _EN_CONTRACTED:
        return True
    if pronoun.low not in _EN_ADDRESSING.pronouns or i + 2 >= len(words) or not _beside(text, pronoun, words[i + 2]):
        return False
    verb = words[i + 2].low
    return verb in _EN_PAST or (len(verb) >= 5 and verb.endswith("ed") and not verb.endswith("eed")
                                and (lexicon.knows(verb[:-2]) or lexicon.knows(verb[:-1])))


def _phrasal(text: str, words: Sequence[_Word], i: int, phrases: frozenset[str] = _EN_PHRASAL) -> bool:
    """ "Pick up Can from school", "take care of Will", "I'm Can": a verb and its particle, or words saying who one is
    (subject_words.toml ``phrasal``), right before word ``i``."""
    for k in (1, 2, 3, 4):
        if i - k >= 0 and all(_beside(text, words[j], words[j + 1]) for j in range(i - k, i - 1)) \
                and " ".join(v.low for v in words[i - k:i]) in phrases:
            return True
    return False


def _introduced(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "I'm May", "call me June, …", "I'm May's sister": a capitalised first name after words saying who one is
    (``introducing``), closing the phrase or before a lower-case word."""
    w, after = words[i], words[i + 1] if i + 1 < len(words) else None
    if not w.text[:1].isupper() or w.low not in given_names() or not _phrasal(text, words, i, _EN_INTRODUCING):
        return False
    return _GREETED_END.match(text, w.end) is not None or text.startswith(("'s ", "’s "), w.end) or (
        after is not None and _beside(text, w, after) and after.text.islower())


def _listed_together(text: str, words: Sequence[_Word]) -> set[int]:
    """ "Will, Can and May are coming", "Hope and Faith were here": capitalised first names listed (a comma, "&" or
    "and" between), opening a clause or after a lower-case word, before a verb of a plural subject (``listed_verbs``);
    not when all are words of the calendar ("May and June are warm"). Each list is read once (linear in the words)."""
    out: set[int] = set()
    i = 0
    while i < len(words):
        last = _list_end(text, words, i)
        after = words[last + 1] if last + 1 < len(words) else None
        members = [k for k in range(i, last + 1) if words[k].low != "and"]
        if len(members) >= 2 and after is not None and after.low in _EN_LISTED_VERBS and after.text.islower() \
                and _beside(text, words[last], after) and any(words[k].low not in CALENDAR for k in members) \
                and (i == 0 or _starts(text, words[i]) or words[i - 1].text.islower()):
            out.update(members)
        i = last + 1
    return out


def _list_end(text: str, words: Sequence[_Word], i: int) -> int:
    """The last word of a list of first names opened by word ``i`` (``i`` itself when none is)."""
    last = i
    if not _listable_name(words[i]):
        return i
    while last + 1 < len(words):
        nxt = words[last + 1]
        if _listable_name(nxt) and _LIST_GAP.fullmatch(text, words[last].end, nxt.start):
            last += 1
        elif nxt.low == "and" and last + 2 < len(words) and _listable_name(words[last + 2]) \
                and re.fullmatch(r",?[ \t]+", text[words[last].end:nxt.start]) and _beside(text, nxt, words[last + 2]):
            last += 2
        else:
            break
    return last


def _listable_name(w: _Word) -> bool:
    return w.text[:1].isupper() and not w.acronym and not w.initial and len(w.text) >= 2 and w.low in given_names()


def _asked_where(words: Sequence[_Word], i: int) -> bool:
    """ "Where is Can?", "how was Will": a question word and a form of "be" right before."""
    return i >= 2 and words[i - 1].low in ("is", "was") and words[i - 2].low in _EN_WHERE


def _accompanied(text: str, words: Sequence[_Word], i: int) -> bool:
    """ "dinner with Can tonight", "send it to Can", "say hi to Will tomorrow": after a word of company, or after "to"
    with a verb of giving or telling earlier in its clause (not any "to" or "for": "tickets for Hamlet", "welcome to
    Summer camp"), with a lower-case word or the phrase's end after it."""
    if i == 0 or not _beside(text, words[i - 1], words[i]):
        return False
    prev, after = words[i - 1], words[i + 1] if i + 1 < len(words) else None
    if after is not None and _beside(text, words[i], after):
        if not after.text.islower():
            return False
    elif _PHRASE_END.match(text, words[i].end) is None and _GREETED_END.match(text, words[i].end) is None:
        return False
    if prev.low in _EN_COMPANY:
        return True
    if prev.low != "to":
        return False
    clause = words[max(0, i - 6):i - 1]
    return any(v.low in _EN_GIVING and _CLAUSE_END.search(text, v.end, prev.start) is None for v in clause)


def _latin_among_han(text: str, words: Sequence[_Word]) -> set[int]:
    """ "明天Can会来", "请Will发邮件": a capitalised first name in Latin letters with no other Latin word beside it."""
    out = set()
    for i, w in enumerate(words):
        if (w.text[:1].isupper() and not w.acronym and len(w.text) >= 2 and w.low in given_names()
                and w.low not in _ZH_NOT_NAMES and _alone(text, w)):
            out.add(i)
    return out


def _alone(text: str, w: _Word) -> bool:
    """No Latin letter or digit next to ``w`` across spaces: it is not one word of an English phrase."""
    before, after = text[:w.start].rstrip(" "), text[w.end:].lstrip(" ")
    return not (before and (before[-1].isascii() and before[-1].isalnum())) \
        and not (after and (after[0].isascii() and after[0].isalnum()))
