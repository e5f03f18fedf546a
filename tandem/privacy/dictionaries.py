"""The reference lists behind the name detectors, loaded from installed packages once on first use (the
word sets declared in code are in ``word_sets.py``).

- Person names: the US Census Bureau's 1990 lists (88,799 surnames, 5,494 first names), as shipped by
  the ``names`` package (public-domain data).
- German first names (Jürgen, Uwe, Katrin: rare in the US census): Jörg Michael's ``nam_dict.txt`` with a
  frequency per country, as shipped by the ``gender-guesser`` package (GNU FDL; read as data, its code is
  not imported).
- Dictionaries: SCOWL's American English list (Debian ``wamerican``) and the German ``ngerman`` list
  (Debian ``wngerman``). A dictionary writes common words in lower case and proper nouns capitalised
  ("reed" but "Kevin"), which is what tells a name apart from a word in any position of a sentence.
- Function words ("will", "nach", 的): spaCy's stop-word lists, the one source of them for every layer above.

A missing list raises ``PolicyDenied``: without it a name cannot be told from a word, so nothing may
leave the device (fail closed).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tandem.errors import PolicyDenied
from tandem.privacy.word_sets import PERSON_WORDS

__all__ = ["DICTIONARIES", "Dictionary", "dictionary", "first_names", "frequent_first_names", "frequent_surnames",
           "german_first_names", "names_a_thing", "stop_words", "surnames", "world_first_names"]

DICTIONARIES = {"en": Path("/usr/share/dict/american-english"), "de": Path("/usr/share/dict/ngerman")}
_DEBIAN = {"en": "wamerican", "de": "wngerman"}


@dataclass(frozen=True)
class Dictionary:
    """One language's dictionary, split by how it writes a word."""

    common: frozenset[str]  # entries written in lower case, e.g. "reed", "will"
    proper: frozenset[str]  # capitalised entries, lower-cased: names, places, months ("kevin", "paris")

    def knows(self, word: str) -> bool:
        low = word.lower()
        return low in self.common or low in self.proper


def _census_rows(*files: str) -> list[list[str]]:
    """The rows of the census files (name, percent, cumulative percent, rank), in their order (most frequent first)."""
    try:
        root = resources.files("names")
        return [line.split() for name in files
                for line in root.joinpath(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise PolicyDenied("the census name lists are not installed, so names cannot be detected",
                           hint="pip install names==0.3.0") from exc


def _census(*files: str) -> frozenset[str]:
    return frozenset(row[0].lower() for row in _census_rows(*files))


@functools.cache
def first_names() -> frozenset[str]:
    """Lower-cased first names (census 1990, male and female)."""
    return _census("dist.male.first", "dist.female.first")


@functools.cache
def frequent_first_names(share: float = 0.01) -> frozenset[str]:
    """Lower-cased census first names given to at least ``share`` percent of one sex (0.01: one person in 10,000;
    "anna", "kevin", "june", but not "lon" or "sid", which programs write for longitude and session ids)."""
    rows = _census_rows("dist.male.first", "dist.female.first")
    return frozenset(row[0].lower() for row in rows if float(row[1]) >= share)


# nam_dict.txt: a name in columns 3-29, then one frequency per country from column 30 ("1" rare .. "D" extremely
# common; logarithmic, each step about a factor of two, 10 = 2 % of the population). Germany, Austria, Switzerland:
_NAM_DICT_COLUMNS = (30 + 12, 30 + 13, 30 + 14)
_NAM_DICT_ALL = tuple(range(30, 30 + 55))  # every country's column


@functools.cache
def german_first_names(frequency: int = 4) -> frozenset[str]:
    """Lower-cased first names given in Germany, Austria or Switzerland at least ``frequency`` on nam_dict's
    scale (4: about one person in 3,000 or more). 808 names, among them the Jürgen, Uwe, Klaus and Katrin
    that the US census lacks."""
    return _nam_dict_first_names(_NAM_DICT_COLUMNS, frequency)


@functools.cache
def world_first_names(frequency: int = 4) -> frozenset[str]:
    """Lower-cased first names given at least ``frequency`` on nam_dict's scale in any of its countries (Europe, the
    Americas, Asia and Africa), as German and Nordic, Turkish, Indian names the US census lacks (Sven, Mehmet)."""
    return _nam_dict_first_names(_NAM_DICT_ALL, frequency)


def _nam_dict_first_names(columns: tuple[int, ...], frequency: int) -> frozenset[str]:
    try:
        text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise PolicyDenied("the first-name list of nam_dict is not installed, so names cannot be detected",
                           hint="pip install gender-guesser==0.4.0") from exc
    names = set()
    for line in text.splitlines():
        if line[:1] in ("#", "=", "") or len(line) <= max(columns):
            continue
        if max(int(line[c], 16) if line[c].strip() else 0 for c in columns) >= frequency:
            name = line.split()[1]
            if "+" not in name:  # "+" joins the parts of Arabic, Chinese and Korean names only
                names.add(name.lower())
    return frozenset(names)


@functools.cache
def surnames() -> frozenset[str]:
    """Lower-cased surnames (census 1990)."""
    return _census("dist.all.last")


@functools.cache
def frequent_surnames(count: int = 5000) -> frozenset[str]:
    """The ``count`` most frequent surnames (the census file is ordered by frequency): "brown", "miller",
    but not the rare surnames that are also everyday verbs ("said", "went")."""
    return _census_ranked("dist.all.last", count)


def _census_ranked(name: str, count: int) -> frozenset[str]:
    return frozenset(row[0].lower() for row in _census_rows(name)[:count])


@functools.cache
def dictionary(language: str) -> Dictionary:
    """The dictionary for ``en`` or ``de`` (the English one for any other language written in Latin script)."""
    language = language if language in DICTIONARIES else "en"
    path = DICTIONARIES[language]
    try:
        words = path.read_text(encoding="utf-8").split()
    except OSError as exc:
        raise PolicyDenied(f"the {language} dictionary {path} is missing, so names cannot be told from words",
                           hint=f"apt-get install {_DEBIAN[language]}") from exc
    common = frozenset(w.lower() for w in words if w[:1].islower())
    proper = frozenset(w.lower() for w in words if w[:1].isupper())
    return Dictionary(common, proper - common)


@functools.cache
def stop_words(*languages: str) -> frozenset[str]:
    """The function words of ``languages`` (en, de, zh) in lower case, from spaCy's language data: words of
    every sentence ("will", "can", "her", "nach", 的), never a name's neighbour nor anyone's value. The data file is
    read by itself (it imports nothing): importing it as ``spacy.lang.<language>.stop_words`` ran spaCy's package
    ``__init__`` first, about 0.9 s of CPU in every process that asks, such as each ``tandem ask`` (suite1's request,
    session 28); the words are the same."""
    words: set[str] = set()
    found = importlib.util.find_spec("spacy")  # locates the package; its __init__ does not run
    for language in languages:
        path = Path(found.origin).parent / "lang" / language / "stop_words.py" if found and found.origin else None
        spec = (importlib.util.spec_from_file_location(f"_spacy_{language}_stop_words", path)
                if path is not None and path.is_file() else None)
        if spec is None or spec.loader is None:
            raise PolicyDenied(f"spaCy's {language} language data is not installed, so names cannot be told from "
                               "words", hint="pip install 'tandem[privacy]'")
        data = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(data)
        words |= {w.lower() for w in data.STOP_WORDS}
    return frozenset(words)



_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
# What leads the noun of a thing's name: an article or a count ("eine Pizza Margherita", "2 Pizza Margherita", "a Pizza
# Margherita"), or a comma before a field ending its sentence ("IBAN …, Verwendungszweck Juli."); not a preposition
# or a word of time ("am Freitag Lisa anrufen", "im Büro Thomas fragen", "gestern Abend Anna getroffen").
_LEADER = re.compile(r"(?:\b(ein|eine|einen|einem|einer|eines|der|die|das|den|dem|des|a|an|the|one|two|\d+)|,)$",
                     re.I)
# What follows a thing's name: the sentence's end, or a word joining the next item; not a verb or a comma ("das
# Geschenk Anna gegeben", "die Rechnung Jonas, er zahlt"), nor German "mit" or "für" (review R20-6): after a name they
# are a verb's particle or the next phrase's preposition as often ("Nimm eine Karte Paul mit", "Reservier einen Tisch
# Michael für vier"); a dish named "eine Pizza Margherita mit …" is known by its partner's vocabulary (``things``).
_LEADER_REACH = 24  # characters: more than the longest leader word
_AFTER_A_THING = re.compile(r"[ \t]*(?:[.!?]|$|(?:und|oder|and|or|for|with|bitte|please)\b)", re.I)
_SENTENCE_END = re.compile(r"[ \t]*(?:[.!?]|$)")


def _first_name(low: str) -> bool:
    return low in first_names() or low in german_first_names() or low in world_first_names()


def names_a_thing(text: str, start: int, end: int, language: str) -> bool:
    """Whether ``text[start:end]``, two words, names a thing, not a person: a noun for a thing led by an article or a
    count (``_LEADER``), then a first name that ends its clause (``_AFTER_A_THING``: "eine Pizza Margherita und", "a
    Pizza Margherita for two", "…, Verwendungszweck Juli."). The noun is one of the dictionary (German writes its nouns
    capitalised, English in lower case), no one's first name and no noun for a person (``PERSON_WORDS``: "die Tante
    Erna", "the Uncle Bob"); a person's name goes on after a role ("Hausarzt Friedhelm Loos", a name written surname
    first: "Banner Linda l"), and a name after a noun of time or place, or given something, stays one ("am Freitag
    Lisa anrufen", "das Geschenk Anna gegeben")."""
    words, after = text[start:end].split(), _NEXT_WORD.match(text, end)
    if len(words) != 2 or len(words[0]) < 2 or not all(w[:1].isupper() for w in words):
        return False
    if not _first_name(words[1].lower()):
        return False
    if after and (after.group(1)[:1].isupper() or len(after.group(1)) == 1):  # a surname or an initial goes on
        return False
    # the leader is read in a window before the name, not in the whole text before it (each name checked read it all:
    # quadratic in the names of a long text, 'Can & Mark ' x 4,500 took 19 s)
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    low, led = words[0].lower(), _LEADER.search(text, max(0, before - _LEADER_REACH), before)
    if low in PERSON_WORDS or _first_name(low) or not led or not _AFTER_A_THING.match(text, end):
        return False
    if led.group(1) is None and not _SENTENCE_END.match(text, end):  # "…, Verwendungszweck Juli."
        return False
    lexicon = dictionary(language)
    return low in (lexicon.proper if language == "de" else lexicon.common)
