"""Pattern detectors: regular expressions backed by check digits, phone metadata and context words.

Patterns catch what has a shape (numbers, e-mail, street addresses, IDs). Where a shape alone is too
common (a 9-character passport number, a date), a context word nearby must confirm it. Names without
context are left to the NER detectors in ``ner.py``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from tandem.privacy.checksums import cn_resident_id_ok, de_tax_id_ok, iban_ok, luhn_ok
from tandem.privacy.detect import Finding
from tandem.privacy.dictionaries import dictionary, names_a_thing
from tandem.privacy.word_sets import GERMAN_COMMON, ZH_SURNAMES, topic_patterns

__all__ = ["PatternDetector", "Rule", "WordGate", "default_rules"]


@dataclass(frozen=True)
class Rule:
    """One pattern. ``group`` picks the part of the match that is the personal data (0: all of it)."""

    category: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None = None  # a check digit or shape test the match must pass
    group: int = 0
    score: float = 0.9
    languages: frozenset[str] = frozenset({"en", "de", "zh"})
    # The data holds a number of at least this many digits (joined by at most three spaces, dots, dashes,
    # parentheses...): texts without one skip the rule at once, which spares most texts most number rules.
    digits: int = 1
    # Lower-case words of which the text must contain one for the rule to be tried: substring checks are
    # far cheaper than a case-insensitive alternation tried at every position.
    hints: tuple[str, ...] = ()
    # Lower-case words of which every match starts with one (its cue word): the rule is then tried only
    # where they occur, instead of at every position (a case-insensitive pattern cannot be scanned for fast).
    starts: tuple[str, ...] = ()
    # Where the rule can match at all (a street word before a number): it is tried only around these places.
    gate: WordGate | None = None
    # A test of the data's place in the text (the text, where the data starts and ends) that a match must pass.
    context: Callable[[str, int, int], bool] | None = None


_LETTER = re.compile(r"[^\W\d_]")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class WordGate:
    """Places where one of ``ends`` ends the word just before ``anchor`` (spaces before a number or a capital).

    A case-insensitive alternation of street words is tried at every position of the text and was the
    costliest part of routing; the anchor is a plain character class, which the regex engine scans for at
    C speed, and the word before each hit is one lower-cased suffix test. ``joined``: the end is a suffix
    after a letter ("Koskikatu"); otherwise a word of its own ("ul. Długa").
    """

    anchor: re.Pattern[str]
    ends: tuple[str, ...]  # lower case
    joined: bool

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start of the street word, end of the anchor) for each place."""
        longest = max(map(len, self.ends))
        for hit in self.anchor.finditer(text):
            at = hit.start()
            if not text[max(0, at - longest):at].lower().endswith(self.ends):
                continue
            for end in self.ends:
                start = at - len(end)
                if start >= 0 and text[start:at].lower() == end and self._bounded(text, start):
                    yield start, hit.end()
                    break

    def _bounded(self, text: str, start: int) -> bool:
        if self.joined:
            return start > 0 and _LETTER.match(text, start - 1) is not None
        return start == 0 or _WORD_CHAR.match(text, start - 1) is None


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# USPS street suffixes (Publication 28, C1), full and abbreviated; a house number must precede them.
# USPS street suffixes (Publication 28, C1), full, abbreviated and plural; a house number must precede them.
_STREET_EN = (r"Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Ter|"
              r"Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Crescent|Close|Row|Alley|Plaza|Gardens?|"
              r"Bypass|Causeway|Center|Common|Corner|Course|Cove|Creek|Crossing|Dale|Estates?|Expressway|Falls|"
              r"Ferry|Fields?|Flats?|Ford|Forest|Forge|Fork|Freeway|Gateway|Glen|Green|Grove|Harbor|Haven|Heights|"
              r"Hills?|Hollow|Island|Isle|Junction|Knoll|Lakes?|Landing|Lodge|Loop|Mall|Manor|Meadows?|Mews|Mill|"
              r"Mission|Motorway|Mount|Orchard|Oval|Park|Pass|Path|Pike|Point|Port|Prairie|Ranch|Ridge|River|"
              r"Route|Run|Shoal|Shores?|Spring|Spur|Station|Stravenue|Stream|Summit|Trace|Track|Turnpike|Valley|"
              r"View|Village|Ville|Vista|Walks?|Wells?|"
              r"Alleys?|Annex|Arcade|Bayou|Beach|Bend|Bluffs?|Bottom|Branch|Bridge|Brooks?|Burgs?|Camp|Canyon|Cape|"
              r"Centers|Cliffs?|Club|Commons|Corners|Courts|Coves|Crest|Cross|Crossroad|Curve|Dam|Divide|Drives|"
              r"Extensions?|Fall|Fords|Forks|Fort|Gardens|Gateway|Glens|Greens|Groves|Harbors|Hill|Inlet|Islands|"
              r"Junctions|Keys?|Knolls|Light|Lights|Locks?|Mills|Missions|Mountains?|Neck|Orchards|Overpass|Parks|"
              r"Parkways|Pines|Plains?|Points|Ports|Radial|Ramp|Rapids?|Rest|Ridges|Roads|Routes|Shoals|Skyway|"
              r"Springs|Squares|Stations|Streets|Summits|Throughway|Tunnel|Underpass|Unions?|Valleys|Viaduct|Views|"
              r"Villages|Villes|Vistas|Ways|Expy|Fwy|Ter|Trce|Xing")
# Street-type words of European languages (street_words.toml): suffixes join the name, words stand apart.
_STREET_DATA = tomllib.loads((Path(__file__).parent / "street_words.toml").read_text(encoding="utf-8"))
_SUFFIXES_EU: tuple[str, ...] = tuple(_STREET_DATA["eu"]["joined"])
_WORDS_EU: tuple[str, ...] = tuple(_STREET_DATA["eu"]["apart"])
_STREET_SUFFIX_EU = "|".join(map(re.escape, _SUFFIXES_EU))
_STREET_WORD_EU = "|".join(map(re.escape, _WORDS_EU))
# A house number may follow a word for it: "No", "No.", "No:" ("Gül Sokak No: 8"), "d." ("ul. Lenina d. 5").
_NUMBER_WORD = "(?i:" + "|".join(map(re.escape, _STREET_DATA["eu"]["number_words"])) + ")"
_BEFORE_NUMBER = re.compile(rf"[ \t]+(?:{_NUMBER_WORD}[ \t]*)?\d")
# A house number after the street name; a year is none ("During 2019"); a flat after a slash or a hyphen
# ("84/92", "iela 40-2").
_NUMBER_AFTER = (rf"[ \t]+(?:{_NUMBER_WORD}[ \t]*)?(?!(?:19|20)\d\d\b)\d{{1,5}}[a-zA-Z]?\b"
                 r"(?:[/-]\d{1,4}[a-zA-Z]?\b)?\.?")
_CAP = r"[^\W\d_a-zß-ÿ]"  # a capital (any script)
_PARTICLE = r"(?:de|la|le|les|du|des|del|della|di|do|da|dos|das|van|von|der|den)"
# Street words that are no English word ("via", "plaza", "avenue" are): after a house number, what follows
# them is a street name in any case.
_ONLY_STREETS = "|".join(map(re.escape, _STREET_DATA["eu"]["only_streets"]))
# Street words that open a street named after them in lower case when a house number closes it ("via garibaldi
# 23", "rue des lilas 12" typed inside a capitalised sentence): those above, and the abbreviations and "via".
_LOWER_STREET_STARTS: tuple[str, ...] = (*_STREET_DATA["eu"]["only_streets"], *_STREET_DATA["eu"]["lower_starts"])
# German street words that end a name in any case ("Leonhard-Nohlmans-Platz 4").
_GERMAN_JOINED = "|".join(map(re.escape, _STREET_DATA["de"]["joined_any_case"]))
_FUNCTION_WORDS = (r"(?:and|or|in|on|at|for|to|with|near|by|from|is|are|was|it|its|the|a|an|which|that|where|"
                   r"then|but|so|if|please|tomorrow|today|tonight)")
# A word inside a street's name before its street word is no function word ("Deliver to Duna rkp. 14": the name is
# "Duna"; street_words.toml's not_in_name for German).
_NOT_IN_NAME = (r"(?!(?i:" + _FUNCTION_WORDS[3:-1] + "|" + "|".join(map(re.escape, _STREET_DATA["eu"]["not_in_name"]))
                + r")\b)")
_CITY_TAIL = (r"(?:,?[ \t]*\n?[ \t]*[A-Z][\w'-]+(?:[ \t][A-Z][\w'-]+){0,2})?(?:,?[ \t]*[A-Z]{2})?"
              r"(?:[ \t]+\d{5}(?:-\d{4})?)?")
# A unit after the house number: "Apt 4", "Daire 7", a Spanish floor and door ("3º B"), a flat ("m. 3", "kv. 12").
_FLAT_WORD = "(?:" + "|".join(map(re.escape, _STREET_DATA["eu"]["flat_words"])) + ")"
_UNIT = (r"(?:,?\s*(?:(?:Apt|Apartment|Suite|Ste|Unit|Flat|Daire|#)\.?\s*\w+|\d{1,2}[ºª](?:[ \t]*[A-Za-z]\b)?|"
         rf"{_FLAT_WORD}[ \t]*\d{{1,4}}\b))?")
_UNIT_BEFORE = r"(?:(?:Apt|Apartment|Suite|Unit|Flat)\.?[ \t]*\w+[ \t]+)?"


def _first_unit_or_digit(not_before: str, not_year: bool = False) -> str:
    """``(?<!X)`` + _UNIT_BEFORE + the first house-number digit (``not_year``: not starting "19dd"/"20dd"),
    written so that every branch starts with a literal or a digit, which the regex engine scans for fast
    (a leading lookbehind is tried at every position); each lookbehind follows its first character."""
    units = "|".join(f"{w}(?<!{not_before}{w})" for w in ("Apt", "Apartment", "Suite", "Unit", "Flat"))
    year = r"(?!(?:19|20)\d\d\b)" if not_year else ""
    after_digit = r"(?<!1(?=9\d\d\b))(?<!2(?=0\d\d\b))" if not_year else ""
    return rf"(?:(?:{units})\.?[ \t]*\w+[ \t]+{year}\d|\d(?<!{not_before}\d){after_digit})"
_WORDS = r"(?:[^\W\d_][\w'’.&-]*[ \t]+){0,3}?"
_DATE = (r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日|"
         r"(?:\d{1,2}\.?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Januar|Februar|März|Mai|Juni|"
         r"Juli|Oktober|Dezember)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}|"
         # any other language's month between the day and the year, beside a birth word: "12 marzo 1985", "5 de mayo
         # de 1990", "12 Mart 1985"
         r"\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?\s+(?:de\s+)?\d{4})")
# Chinese cue words sit outside \b: Han characters are word characters, so no boundary precedes them.
_BIRTH = (r"(?:\b(?:born|birth|birthday|DOB|date of birth|geboren|Geburtstag|Geburtsdatum|geb\.|"
          r"(?:nat[oa]|née|né|nacid[oa]|urodzon[ya])\b|doğum\w*)|出生|生日)")  # it, fr, es, pl, tr: born
_ID_CUE = (r"(?i:\b(?:passport|Reisepass|Pass-?N(?:umme)?r|Personalausweis|Ausweis|national ID|"
           r"\bID\b[- ]?(?:card|number|no)|identity card|identification|driver'?s licen[cs]e|licen[cs]e number|"
           r"Führerschein|social security|"
           r"\bSSN\b|tax ID)|身份证|护照|证件)")
_PHONE_CUE = (r"(?:\b(?:phone|tel\.?|telephone|mobile|cell|call(?:ed)?|fax|desk|reach(?:ed)? (?:me |him |her |us )?at|"
              r"contact(?:ed)? (?:me |him |her |us )?at|answering at|messages? to|text (?:me )?at|whatsapp|Telefon|"
              r"Handy|Mobil|Rufnummer|(?<!Karten)(?<!Konto)Nummer|(?<!card )(?<!account )(?<!ID )number|"
              r"erreichbar unter|anrufen unter)|电话|手机|联系方式)")
_PHONE_BODY = r"(?:\+|00)?\(?\d[\d \t().-]{4,20}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?"
_CLOCK_WORDS = r"(?:am|pm|a\.m\.|p\.m\.|uhr|h|o'clock)\b|%"  # "is at 8 pm", "is at 20%": no house number
_ADDRESS_CUE = (r"\b(?:(?<!mail )(?<!e-mail )(?<!IP )address(?: is)?|lives at|live at|living at|resides? at|"
                r"located at|moved to|residing at|staying at|based at|meet (?:me|us) at|ship(?:ped)? to|"
                r"deliver(?:ed)? to|send (?:it|this|them) to|Adresse(?: ist)?|Anschrift|wohne (?:in der|in|am)|"
                r"wohnt (?:in der|in|am)|"
                # "The restaurant is at 9816 214 Pavlou Drandaki": a place at a house number, not a time
                r"(?:is|are|was|were) at(?= \d{1,6}+(?![:.]\d{2}\b|[:.]?\d*[ \t]*(?:" + _CLOCK_WORDS + r"))))")
_ID_HINTS = ("passport", "reisepass", "pass-n", "passn", "ausweis", "id card", "id-card", "idcard", "id number",
             "id no", "idnumber", "national id", "identi", "licen", "führerschein", "social security", "ssn", "tax id",
             "身份证", "护照", "证件")
_PHONE_SUFFIX_HINTS = ("office", "fax", "mobile", "cell", "home", "work", "desk", "phone", "telefon", "handy", "büro",
                       "privat", "anrufen", "zurückrufen")
# A verb of reaching after a number is a calling cue only with the preposition a phone number takes: "unter 0160…
# erreichbar", "um 0160… erreicht" (a person reached there); alone it is an amount reached ("hat 1500000 erreicht")
# or a page ("Bestellnummer 48213377 erreichbar im Portal").
_REACHED_AT = r"\b(?:unter|um)[^\S\n]+(" + _PHONE_BODY + r")[^\S\n]*(?:erreicht|erreichbar)\b"
# The stems of words that name a number a phone's: "Telefonnummer", "Rufnummer", "Tel.-Nr.", "mobile number".
_PHONE_WORDS = ("tel", "phone", "handy", "mobil", "cell", "fax", "ruf", "durchwahl", "festnetz", "kontakt", "contact",
                "hotline", "service", "whatsapp")
# A word right before a number that names what kind of number it is: "Bestellnummer", "Kunden-Nr.", "order number".
_NAMED_NUMBER = re.compile(r"([^\W\d_]+)[.\s-]*(?:nummer|nr\.?|number|no\.?)[ \t]*[:#]?[ \t]*$", re.I)
_ADDRESS_HINTS = ("address", "live", "living", "reside", "residing", "staying", "based", "meet", "located", "moved",
                  "ship", "deliver", "send", "adresse", "anschrift", "wohn", "is at", "are at", "was at", "were at")
_BIRTH_HINTS = ("born", "birth", "dob", "geboren", "geburt", "geb.", "出生", "生日", "nat", "né", "nacid", "urodzon",
                "doğum")
# The cue words each match of a cue rule starts with (see ``Rule.starts``).
_ID_STARTS = ("pass", "reisepass", "personalausweis", "ausweis", "national id", "id", "driver", "licen", "führerschein",
              "social security", "ssn", "tax id", "身份证", "护照", "证件")
_BIRTH_STARTS = ("born", "birth", "dob", "date of birth", "geb", "出生", "生日", "nat", "né", "nacid", "urodzon",
                 "doğum")
_PHONE_STARTS = ("phone", "tel", "mobil", "cell", "call", "fax", "desk", "reach", "contact", "answering", "message",
                 "text", "whatsapp", "handy", "rufnummer", "nummer", "number", "erreichbar", "anrufen", "电话", "手机",
                 "联系方式")
_ADDRESS_STARTS = ("address", "liv", "resid", "located", "moved", "staying", "based", "meet", "ship", "deliver",
                   "send", "adresse", "anschrift", "wohn", "is at", "are at", "was at", "were at")
_NAME_DE = r"[A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+)?"


def _ssn_ok(text: str) -> bool:
    area, group, serial = re.split(r"[- ]", text)
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


_ID_BIRTH = re.compile(r"\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")


def _card_ok(text: str) -> bool:
    """Luhn-valid, a card issuer's first digit, and not shaped like a Chinese ID (18 digits, a birth date
    in the middle), which passes Luhn one time in ten."""
    return text.lstrip()[0] in "23456" and luhn_ok(text) and not _ID_BIRTH.fullmatch(text.replace(" ", ""))


def _card_in_context_ok(text: str) -> bool:
    """Named as a card, any issuer's number (Maestro has 12 digits, JCB starts with 1800) if Luhn holds."""
    digits = "".join(c for c in text if c.isdigit())
    return luhn_ok(digits) or (len(digits) == 12 and luhn_ok("0" + digits))


def _ipv4_ok(text: str) -> bool:
    return all(int(part) <= 255 for part in text.split("."))


def _not_german_words(text: str) -> bool:
    """Two capitalised German words mid-sentence are a name unless either is a common word ..."""
    return not any(word.lower() in GERMAN_COMMON for word in text.split())


def _not_a_thing(text: str, start: int, end: int) -> bool:
    """... or the two name a thing ("eine Pizza Margherita", "Verwendungszweck Juli."; ``names_a_thing``)."""
    return not names_a_thing(text, start, end, "de")


def _named_street(text: str, start: int, end: int) -> bool:
    """A street opened by "via" is one when a word of its name is no word of English or German ("via garibaldi
    23"; "via email 2" is a way of sending)."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text[start:end])]
    return words[0] != "via" or any(all(w not in dictionary(lang).common for lang in ("en", "de")) for w in words[1:])


def _no_contact(text: str) -> bool:
    """A context-found address is not an e-mail or a phone number that happens to follow the word."""
    return "@" not in text and not re.fullmatch(r"[\d\s()+.-]+", text)


def _phone_ok(text: str) -> bool:
    return 7 <= sum(c.isdigit() for c in text) <= 15


def _not_named_otherwise(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start`` is not named as another kind of number than a phone's by the word before it
    ("Bestellnummer 48213377 anrufen", "Kundennummer 5512… zurückrufen": a word after it makes no phone of it)."""
    named = _NAMED_NUMBER.search(text, max(0, start - 40), start)
    return named is None or named.group(1).lower().startswith(_PHONE_WORDS)


# A label of an e-mail address: a word, or two letters or more spelled apart ("q q", which plain.py does not join).
# Atomic, at most nine parts a side, and the address starts where a word does: a long text before " @" is read in
# linear time, each word once (an unbounded part or count was quadratic: minutes for 50,000 characters).
_LABEL = r"(?>[A-Za-z0-9](?: [A-Za-z0-9]){1,63}(?![A-Za-z0-9])|[A-Za-z0-9-]++)"
_LOCAL = r"(?>[A-Za-z0-9](?: [A-Za-z0-9]){1,63}(?![A-Za-z0-9])|[A-Za-z0-9_%+-]++)"
_DOT = r"(?:\.|[ \t]+\.[ \t]+)"
_SPACED_EMAIL = (rf"(?<![A-Za-z0-9_%+.-]){_LOCAL}(?:{_DOT}{_LOCAL}){{0,8}}(?:[ \t]+@[ \t]*|@[ \t]+){_LABEL}"
                 rf"(?:{_DOT}{_LABEL}){{0,8}}{_DOT}(?:[a-z](?: [a-z]){{1,5}}|[a-z]{{2,6}})\b")


def _number_rules() -> list[Rule]:
    r"""Identifiers with check digits or a fixed shape, and their context-named forms.

    Speed: a pattern whose first element is a digit or a literal is scanned for at C speed; one that starts
    with a lookbehind or ``\b`` is tried at every position. So "no digit before" is written after the first
    digit: ``\d(?<![\d.]\d)`` is ``(?<![\d.])\d``.
    """
    return [
        # possessive, from the start of a word: a long word before "@" is read once, not once from each letter
        Rule("EMAIL", _rx(r"(?<![A-Za-z0-9À-ɏ._%+-])[A-Za-z0-9À-ɏ._%+-]++@[A-Za-z0-9À-ɏ.-]+\.[A-Za-z]{2,}"), score=1.0,
             digits=0,
             hints=("@",)),
        # An address written out so that a program does not read it and every person (and model) does:
        # "klaus.weber [at] example [dot] de", "anna(at)firma(punkt)de", and as dictated, "klaus dot weber at
        # example dot com". Spoken, the domain needs a spoken dot ("meet at home.de" is no address).
        Rule("EMAIL", _rx(r"[A-Za-z0-9._%+-]+[ \t]*[\[(<{][ \t]*(?:at|ät|@)[ \t]*[\])>}][ \t]*[A-Za-z0-9-]+"
                          r"(?:(?:[ \t]*[\[(<{][ \t]*(?:dot|punkt|\.)[ \t]*[\])>}][ \t]*|\.)[A-Za-z0-9-]+)+"
                          r"|[A-Za-z0-9_%+-]+(?:[ \t]+(?:dot|punkt)[ \t]+[A-Za-z0-9_%+-]+)*[ \t]+(?:at|ät)[ \t]+"
                          r"[A-Za-z0-9-]+(?:[ \t]+(?:dot|punkt)[ \t]+[A-Za-z]{2,6})+\b", re.I),
             score=0.9, digits=0, hints=("at]", "at)", "at}", "at>", "ät", "@]", "@)", " dot ", " punkt ")),
        # Spaced out, as a spelled address reads once its letters are joined ("k l a u s . w e b e r @ e x a m p l e
        # . d e"), or typed to slip past a filter ("klaus.weber @ example.de"): a dot stands bare or with a space on
        # both sides ("Reply @ 5. Then" is none), the top-level domain in small letters.
        Rule("EMAIL", _rx(_SPACED_EMAIL), score=0.9, digits=0, hints=(" @", "@ ")),
        Rule("IBAN", _rx(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?\b"), iban_ok, 0, 1.0,
             digits=2),
        Rule("ID_NUMBER", _rx(r"\d(?<![\dA-Za-z]\d)\d{16}[\dXx](?![\dA-Za-z])"), cn_resident_id_ok, score=1.0,
             digits=17),
        Rule("CREDIT_CARD", _rx(r"\d(?<![\d+-]\d)(?:[ -]?\d){11,18}(?![\d-])"), _card_ok, score=1.0, digits=12),
        Rule("CREDIT_CARD", _rx(r"(?:(?<!ID )(?<!identity )(?<!ID-)card|Karte|卡号|\bcc\b)[^\d\n]{0,20}"
                                r"(\d(?:[ -]?\d){11,18})(?![\d-])", re.I),
             _card_in_context_ok, 1, 0.95, starts=("card", "karte", "卡号", "cc")),
        Rule("ID_NUMBER", _rx(r"\d(?<!\d\d)\d ?\d{3} ?\d{3} ?\d{3}(?!\d)"), de_tax_id_ok, score=0.95, digits=11),
        Rule("ID_NUMBER", _rx(r"\d(?<![\d-]\d)\d{2}[- ]\d{2}[- ]\d{4}(?![\d-])"), _ssn_ok, score=0.85, digits=9),
        Rule("ID_NUMBER", _rx(_ID_CUE + r"[\w-]*(?:[^\S\n]+(?:[a-z]{1,9}|[Nn]r\.|[Nn]o\.)){0,3}[^\S\n]*[:：#]?"
                              r"[^\S\n]*\(?((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,19})\b"), group=1, score=0.9,
             hints=_ID_HINTS, starts=_ID_STARTS),
        Rule("IP_ADDRESS", _rx(r"\d(?<![\d.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\d.])"), _ipv4_ok, score=0.9,
             digits=4),
        Rule("IP_ADDRESS", _rx(r"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"), score=0.9, hints=(":",)),
        Rule("LOCATION", _rx(r"(?:-\d|\d)\d?\.\d{3,},\s*-?\d{1,3}\.\d{3,}"), score=0.9, digits=4),
    ]


def _contact_rules() -> list[Rule]:
    """Dates of birth and phone numbers: by context word, by suffix, or by dialling shape."""
    return [
        Rule("DATE_OF_BIRTH", _rx(_BIRTH + r"[^\d\n]{0,25}?(" + _DATE + r")", re.I), group=1, score=0.9,
             hints=_BIRTH_HINTS, starts=_BIRTH_STARTS),
        Rule("PHONE", _rx(_PHONE_CUE + r"[^\d+(\n]{0,20}\n?[^\S\n]*(" + _PHONE_BODY + ")", re.I), _phone_ok, 1, 0.85,
             starts=_PHONE_STARTS),
        Rule("PHONE", _rx("(" + _PHONE_BODY + r")[^\S\n]*[-–(]?[^\S\n]*(?:office|fax|mobile|cell|home|work|desk|phone|"
                          r"Telefon|Fax|Handy|Büro|privat|anrufen|zurückrufen)\b", re.I),
             _phone_ok, 1, 0.85, hints=_PHONE_SUFFIX_HINTS, context=_not_named_otherwise),
        Rule("PHONE", _rx(_REACHED_AT, re.I), _phone_ok, 1, 0.85, hints=("erreich",), context=_not_named_otherwise),
        # International, in groups; or with the trunk prefix "(0)", which only a phone number is written with, grouped
        # or not ("+49(0) 324443277": an ID number before).
        Rule("PHONE", _rx(r"\+(?<![\w+]\+)\d{1,3}[^\S\n]?(?:\(0\)[^\S\n]?\d{6,13}|(?:\(0\)[^\S\n]?)?\d{1,5}"
                          r"(?:[^\S\n-]\d{2,8}){1,4})(?![\w-])"), _phone_ok, score=0.85, digits=7),
        Rule("PHONE", _rx(r"(?:\+(?<![\w+]\+)\d{1,3}[\s.-]?\(|\((?<![\w+]\())"
                          r"\d{2,5}\)[\s.-]?\d{2,5}(?:[\s.-]\d{2,5}){0,2}(?!\d)"),
             _phone_ok, score=0.85, digits=7),
        Rule("PHONE", _rx(r"(?:\+(?<![\w+-]\+)\d{1,3}|0(?<![\w+-]0)0\d{1,3}|\d(?<![\w+-]\d)\d{0,2})"
                          r"[.-]\d{2,4}[.-]\d{3,4}(?:[.-]\d{2,4})?(?:\s?x\d{1,5})?(?![\w-])"),
             _phone_ok, score=0.7, digits=7),
    ]


def _street_rules() -> list[Rule]:
    """Street addresses written the US, European or Faker way, with their unit and continuation lines."""
    lead = r"(?<![\w-])" + _UNIT_BEFORE + r"(?:\d{1,6}[ \t]+)?"  # unit and house number before the street
    cap_word, tail = _CAP + r"[\w'’.-]*", _NUMBER_AFTER + _UNIT + _CITY_TAIL
    return [
        Rule("ADDRESS", _rx(_first_unit_or_digit(r"\w") + r"\d{0,5}[A-Za-z]?(?:[ \t]+\d{1,6})?\s+"
                            r"(?:[A-Z0-9][\w'.&-]*\s+){0,4}?(?:" + _STREET_EN + r")\b\.?" + _UNIT + _CITY_TAIL),
             score=0.85),
        Rule("ADDRESS", _rx(r"\b(?:\d{1,6}\s+)?[A-Z][\w'-]+(?:\s+[A-Z0-9][\w'-]*){0,3}\s+(?:Apt|Apartment|Suite|Unit)"
                            r"\.?\s*\d+\w*" + _CITY_TAIL), score=0.8,
             hints=("apt", "apartment", "suite", "unit")),
        # Written carelessly: a lower-case street ("869 4th street"), a Queens-style or ranged number ("123-01
        # Roosevelt Avenue", "27 - 31 Charing Cross Road") and a unit after a hash ("#208").
        Rule("ADDRESS", _rx(r"\d(?<![\w.,$-]\d)\d{0,5}(?:[ \t]?-[ \t]?\d{1,6})?[ \t]+"
                            r"(?:[A-Za-z0-9][\w'.&-]*[ \t]+){0,3}?"
                            r"(?i:street|avenue|boulevard|road|drive|lane|court|place|parkway|highway|terrace)\b"
                            r"(?:[ \t]*,?[ \t]*(?:#|(?i:apt|suite|unit)\.?)[ \t]*[A-Za-z]?\d+\w*)?"), score=0.8,
             hints=("street", "avenue", "boulevard", "road", "drive", "lane", "court", "place", "parkway", "highway",
                    "terrace")),
        Rule("ADDRESS", _rx(r"(?:(?:PSC|Unit) \d{3,5},? Box \d{3,5}|(?:USNS|USNV|USS|USCGC) [A-Z][\w'-]+"
                            r"(?: [A-Z][\w'-]+)?),?\s*\n?\s*(?:APO|FPO|DPO) A[AEP] \d{5}"), score=0.9),
        Rule("ADDRESS", _rx(lead + _WORDS + _CAP + r"[\w'’-]*?(?i:" + _STREET_SUFFIX_EU + r")" + tail), score=0.85,
             gate=WordGate(_BEFORE_NUMBER, _SUFFIXES_EU, joined=True)),
        # "Széchenyi tér 19", "Vestre gate 232": the street word after the name ...
        Rule("ADDRESS", _rx(lead + cap_word + r"(?:[ \t]+" + _NOT_IN_NAME + r"[\w'’.-]+){0,2}?[ \t]+(?i:"
                            + _STREET_WORD_EU + r")" + tail),
             score=0.85, gate=WordGate(_BEFORE_NUMBER, _WORDS_EU, joined=False)),
        # ... or before it: "ul. Długa 5", "Via dei Fiorentini 17", "Rue de Virton 38" (a particle may stand
        # between the street word and the capital the gate looks for), a date among its words ("Straße des 17. Juni
        # 114": a day's ordinal before a capitalised month).
        Rule("ADDRESS", _rx(lead + r"(?i:" + _STREET_WORD_EU + r")(?:[ \t]+(?:" + cap_word + "|" + _PARTICLE
                            + r"|\d{1,2}\.(?=[ \t]+" + _CAP + r"))){1,4}" + tail), score=0.85,
             gate=WordGate(_rx(r"[ \t]+(?:" + _PARTICLE + r"[ \t]+){0,2}(?:\d{1,2}\.[ \t]+)?" + _CAP), _WORDS_EU,
                           joined=False)),
        # ... or with the house number first, the French and Spanish way: "6 rue Pasteur, 75011", "14 Calle Mayor";
        # after a house number the name may be typed in lower case ("6 rue gustave charpentier"), up to a
        # function word.
        Rule("ADDRESS", _rx(r"\d(?<![\w.,$-]\d)\d{0,4}(?:[ \t]?(?:bis|ter)\b)?,?[ \t]+(?:(?i:" + _STREET_WORD_EU
                            + r")(?:[ \t]+(?:" + cap_word + "|" + _PARTICLE + r")){1,4}|(?i:" + _ONLY_STREETS
                            + r")(?:[ \t]+(?:" + cap_word + "|" + _PARTICLE + r"|(?!" + _FUNCTION_WORDS
                            + r"\b)[a-zà-ÿ][\w'’-]+)){1,4})" + _UNIT + r"(?:[ \t,]+\d{4,5}\b)?"), score=0.85),
        # ... or in lower case inside a cased text, from a street word no English or German word is, up to the
        # house number that closes it ("deliver to via garibaldi 23 please"; a function word ends the name).
        Rule("ADDRESS", _rx(r"(?<![\w.])(?i:" + "|".join(map(re.escape, _LOWER_STREET_STARTS)) + r")(?:[ \t]+(?:"
                            + _PARTICLE + r"|(?!" + _FUNCTION_WORDS + r"\b)[^\W\d_][\w'’-]*)){1,3}?" + _NUMBER_AFTER
                            + _UNIT), score=0.8, starts=_LOWER_STREET_STARTS, context=_named_street),
        # A post-office box, and a house number on a numbered highway ("1809 U.S. 80", "12 State Route 9").
        Rule("ADDRESS", _rx(r"\b(?:P\.?[ \t]?O\.?|Post[ \t]+Office)[ \t]*Box[ \t]+\d{1,6}\b", re.I), score=0.85,
             hints=("box",)),
        Rule("ADDRESS", _rx(r"\d(?<![\w.,$-]\d)\d{0,5}[ \t]+(?:(?:U\.[ \t]?S\.|US|State|County|Interstate|SR|CR)"
                            r"[ \t]*(?:-[ \t]*)?(?:(?:Route|Highway|Hwy|Rte|Road)[ \t]+)?|"
                            r"(?:Route|Highway|Hwy|Rte)[ \t]+)"
                            r"\d{1,4}[A-Z]?\b" + _UNIT + _CITY_TAIL), score=0.8),
        # A secondary unit standing on its own ("Apt. 417", "Suite 12B") is part of an address whose street no
        # rule parsed.
        Rule("ADDRESS", _rx(r"\b(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?\b"), score=0.6,
             hints=("apt", "apartment", "suite", "ste", "unit", "flat")),
        # USPS grammar: with a pre-directional the suffix is optional ("555 East El Camino Real").
        Rule("ADDRESS", _rx(_first_unit_or_digit(r"[\w.,$-]", not_year=True) + r"\d{0,5}[ \t]+"
                            r"(?:North|South|East|West|N\.?|S\.?|E\.?|W\.?|NE|NW|SE|SW)[ \t]+"
                            + cap_word + r"(?:[ \t]+" + cap_word + r"){0,3}" + _UNIT), score=0.7),
        # A line of house number, capitalised words and a number ("91215 Allika 46"), as forms print it.
        Rule("ADDRESS", _rx(_first_unit_or_digit(r"[\w.,-]", not_year=True) + r"\d{1,5}[ \t]+" + cap_word
                            + r"(?:[ \t]+" + cap_word + r"){0,3}" + _NUMBER_AFTER + r"(?=[ \t]*(?:\n|$|,))" + _UNIT),
             score=0.8),
    ]


def _place_rules() -> list[Rule]:
    """German and Chinese addresses, and the German name and birthday forms found beside them."""
    zh_only, de_only = frozenset({"zh"}), frozenset({"de"})
    return [
        # The street word in any case: "Leonhard-Nohlmans-Platz"; a house number range "7-2", "12/52".
        Rule("ADDRESS", _rx(r"\b[A-ZÄÖÜ][\wäöüß.-]*(?i:" + _GERMAN_JOINED + r")\s+(?!(?:19|20)\d\d\b)\d{1,4}"
                            r"\s?[a-zA-Z]?\b(?:\s?[-/–]\s?\d{1,4}[a-zA-Z]?\b)?(?:,?\s*\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"),
             score=0.9),
        Rule("ADDRESS", _rx(r"\b(?:Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Unter den)\s+"
                            r"[A-ZÄÖÜ][\wäöüß-]+\s+\d{1,4}\s?[a-zA-Z]?\b(?:\s?[-/–]\s?\d{1,4}[a-zA-Z]?\b)?"
                            r"(?:,?\s*\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"),
             score=0.85, languages=de_only),
        Rule("DATE_OF_BIRTH", _rx(r"(" + _DATE + r")[^\d\n]{0,15}?(?:Geburtstag|birthday|doğumlu|出生|生日)", re.I),
             group=1, score=0.85, hints=_BIRTH_HINTS),
        Rule("PERSON", _rx(r"(?<=[a-zäöüß,] )([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)? [A-ZÄÖÜ][a-zäöüß]+)"
                           r"(?=[\s,.(!?;:]|$)"), _not_german_words, 1, 0.6, de_only, digits=0, context=_not_a_thing),
        Rule("ADDRESS", _rx(r"(?:[\u4e00-\u9fff]{2,6}(?:省|自治区))?(?:[\u4e00-\u9fff]{2,6}市)?"
                            r"(?:[\u4e00-\u9fff]{1,6}(?:区|县))?"
                            r"[\u4e00-\u9fff0-9]{1,10}(?:路|街|大道|道|巷|弄|胡同)[0-9一二三四五六七八九十百]+号"
                            r"(?:[0-9A-Za-z]+(?:栋|幢|座|号楼|楼))?(?:[0-9]+单元)?(?:[0-9]+室)?"), score=0.9,
             languages=zh_only),
    ]


def _name_rules() -> list[Rule]:
    """Names introduced by a cue (我叫, Herr, Mr, my name is) and addresses introduced by one."""
    zh_only, de_only = frozenset({"zh"}), frozenset({"de"})
    return [
        Rule("PERSON", _rx(r"(?:我叫|我是|我的名字是|名字叫|姓名[:：]\s*|联系人[:：]?\s*|患者[:：]?\s*|收件人[:：]?\s*)"
                           r"([\u4e00-\u9fff]{2,4}?)(?=[，。,.\s；;、]|$|的|先生|女士|[0-9])"), group=1, score=0.85,
             languages=zh_only, digits=0),
        Rule("PERSON", _rx(r"((?:" + "|".join(ZH_SURNAMES) + r")[\u4e00-\u9fff]{1,2}?)(?=先生|女士|小姐|医生|大夫|老师|"
                           r"教授|经理|同学|律师|主任)"), group=1, score=0.85, languages=zh_only, digits=0),
        Rule("PERSON", _rx(r"(?:Herr|Frau|Dr\.|Prof\.)\s+(?:Dr\.\s+)?(" + _NAME_DE + r"(?:\s+" + _NAME_DE + r")?)"),
             group=1, score=0.85, languages=de_only, digits=0),
        Rule("PERSON", _rx(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Dear|Sir|Madam)\.?\s+((?:[A-Z]\.\s*)?[A-Z][\w'-]+"
                           r"(?:\s+[A-Z][\w'-]+)?)"), group=1, score=0.85, languages=frozenset({"en"}), digits=0,
             starts=("mr", "ms", "miss", "mx", "dr", "prof", "dear", "sir", "madam")),
        Rule("ADDRESS", _rx(_ADDRESS_CUE + r"[:\s]+((?=[^\n.;!?]*\d)(?=[^\n.;!?]*[A-ZÀ-Ž])[^\n;!?]{3,80}?)"
                            r"(?=[.;!?]?\s*$|[.;!?]\s|\n|,? (?:and|or|und|oder) )", re.I | re.M), _no_contact, 1, 0.75,
             hints=_ADDRESS_HINTS, starts=_ADDRESS_STARTS),
        Rule("ADDRESS", _rx(r"^[^\S\n]*\d{1,6}[^\S\n]+[A-ZÀ-Ž][\w'.-]*(?:[^\S\n]+[\w'.-]+){0,3}[^\S\n]+\d{1,5}[a-z]?\.?"
                            r"(?:[^\S\n]*\n[^\S\n]*(?:Apt|Apartment|Suite|Unit|Flat)\.?[^\S\n]*\w+)?[^\S\n]*$", re.M),
             score=0.8, languages=frozenset({"en"})),
        Rule("PERSON", _rx(r"(?:[Ii]ch heiße|[Mm]ein Name ist|Name:|[Mm]y name is|I am called|[Tt]his is)\s+("
                           + _NAME_DE + r"(?:\s+" + _NAME_DE + r")?)"), group=1, score=0.85, digits=0,
             starts=("ich heiße", "mein name ist", "name:", "my name is", "i am called", "this is")),
    ]


def default_rules() -> list[Rule]:
    """The built-in patterns."""
    return _number_rules() + _contact_rules() + _street_rules() + _place_rules() + _name_rules()


_PHONE_CANDIDATE = re.compile(r"(?:[+(]\d|\d)[\d \t()./-]{5,24}\d")
# Without context, only shapes that dial: international (+49, 0049), a national trunk 0 (DE, CN, GB), an
# area code in parentheses, a North American NXX-NXX-XXXX, a Chinese mobile. Plain digit runs (dates,
# order numbers) are numbers, not phones, even when some region's plan would accept them.
_PHONE_SHAPE = re.compile(r"\+|00|0[1-9]|\(|[2-9]\d{2}[\s.-]\d{3}[\s.-]\d{4}$|1[3-9]\d{9}$")
# A postal address often continues on the next lines: unit, town, "Country 12345", a bare postcode.
# Mail quotes a block line by line ("> Suite 318"); a country and postcode may follow after a blank line.
_UPPER = "[A-ZÀ-ÖØ-ÞĀ-ž]"  # with Latin Extended-A: "Črni Vrh", "Łódź", "Šibenik" start address lines too
_ADDRESS_LINE = re.compile(r"[ \t]*\n[^\w\n]{0,4}[ \t]*,?[ \t]*(?:(?:Apt|Apartment|Suite|Unit|Box|Flat)\.?[ \t]*[\w-]+|"
                           + _UPPER + r"[\w'’.() -]{1,40}?(?:[ \t]+\d{4,6})?|\d{4,6}|[A-Z]{2}[ \t]+\d{5})"
                           r"[ \t]*(?=\n|$)|[ \t]*\n[^\w\n]{0,4}\n[^\w\n]{0,4}" + _UPPER
                           + r"[\w'’. -]{1,40}[ \t]+\d{4,6}[ \t]*(?=\n|$)")


# Around a street: a house number or range before it that another rule left out ("123-|01 Roosevelt
# Avenue", "17224 Þverbraut |66 Suite 991"), a unit after a hash, and the places up to a postcode that
# close the address on the same or the next lines ("…, Washington, District of Columbia 20024").
_NUMBER_BEFORE = re.compile(r"(?<![\w.,$-])\d{1,6}[A-Za-z]?(?:[ \t]*-[ \t]*|[ \t]+(?:" + _CAP
                            + r"[\w'’.-]*[ \t]+)?)$")
_HASH_UNIT = re.compile(r"[ \t]*,?[ \t]*#[ \t]*[A-Za-z]?\d+\w*")
# A house or flat number said with its word after a street a rule read up to its street word or house number:
# "Cumhuriyet Mah. 34. Sok. No: 5", "prospekt Mira 10, kv. 5", "ulitsa Lenina d. 5, kv. 12" (street_words.toml).
_WORD_NUMBER = re.compile(r"\.?[ \t]*,?[ \t]*(?:" + _NUMBER_WORD + "|" + _FLAT_WORD + r")[ \t]*\d{1,5}[A-Za-z]?\b")
_PLACE_WORD = r"\(?" + _CAP + r"[\w'’()-]*\.?"
_PLACE = (r"(?:(?:Apt|Apartment|Suite|Unit|Flat)\.?[ \t]*[\w-]+|" + _PLACE_WORD + r"(?:[ \t]+(?:" + _PLACE_WORD + "|"
          + _PARTICLE + r"|of|y)){0,3})")
# Digits, a US ZIP+4, a British or a Canadian code; not the start of a phone number ("0221 4710832").
_POSTCODE = (r"(?:\d{4,6}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
             r"(?![\w/-]|[ \t]*[\d(])")
_TO_POSTCODE = re.compile(r"(?:(?:[ \t]*[,\n][ \t\n,]*|[ \t]+)" + _PLACE + r"(?:[ \t]*[,\n][ \t\n,]*" + _PLACE
                          + r"){0,3})?[ \t,\n]+" + _POSTCODE)


def _extend_block(finding: Finding, text: str) -> Finding:
    start, end = finding.start, finding.end
    for _ in range(4):
        line = _ADDRESS_LINE.match(text, end)
        if line is None:
            break
        end = line.end()
    for _ in range(2):
        if (said := _WORD_NUMBER.match(text, end)) is None:
            break
        end = said.end()
    for extra in (_HASH_UNIT, _TO_POSTCODE):
        if (match := extra.match(text[:end + 160], end)) is not None:
            end = match.end()
    if (number := _NUMBER_BEFORE.search(text[max(0, start - 40):start])) is not None:
        start -= len(number.group())
    if (start, end) == (finding.start, finding.end):
        return finding
    return Finding(start, end, finding.category, text[start:end], finding.score, finding.source)


_STRIP_ZH = re.compile(r"^.*?(?:住在|位于|地址是|地址[:：]|住址[:：]?|寄到|送到|在)")


@functools.cache
def _cue_words(starts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, starts)))


def _starts_at(starts: tuple[str, ...], lowered: str) -> Iterator[int]:
    """Every position where one of ``starts`` begins in lower-cased text, overlapping ones too (the search
    resumes one character after each hit; a pattern that starts with the words is scanned for fast)."""
    words, pos = _cue_words(starts), 0
    while (hit := words.search(lowered, pos)) is not None:
        yield hit.start()
        pos = hit.start() + 1


def _matches(rule: Rule, text: str, lowered: str) -> Iterator[re.Match[str]]:
    """The rule's matches, as ``finditer`` would give them. A rule with cue words is tried only where one
    starts; a gated rule only near its gate's hits (street rules are costly to try at every word)."""
    if rule.starts and len(lowered) == len(text):
        end = 0
        for at in _starts_at(rule.starts, lowered):
            if at >= end and (match := rule.pattern.match(text, at)) is not None:
                end = max(match.end(), at + 1)
                yield match
        return
    if rule.gate is None:
        yield from rule.pattern.finditer(text)
        return
    seen = -1
    for hit_start, hit_end in rule.gate.spans(text):
        start = max(seen, hit_start - 120)
        for match in rule.pattern.finditer(text, start, min(len(text), hit_end + 160)):
            if match.start() >= seen:
                seen = match.end()
                yield match


# Digits joined by separators any number rule allows between them (a wider set only joins more runs).
_NUMBER = re.compile(r"\d(?:[\s().+/x-]{0,3}\d)*")


def _longest_number(text: str) -> int:
    """The most digits in one number of the text (see ``Rule.digits``)."""
    return max((sum(map(str.isdigit, m.group())) for m in _NUMBER.finditer(text)), default=0)


class PatternDetector:
    """Rules plus libphonenumber for phone numbers in the user's region and the language's home regions."""

    def __init__(self, rules: list[Rule] | None = None, regions: tuple[str, ...] = ("DE", "CN", "US", "GB")) -> None:
        self.rules = rules if rules is not None else default_rules()
        self.regions = regions
        self._topics = topic_patterns()

    def detect(self, text: str, language: str) -> list[Finding]:
        longest = _longest_number(text)
        found = [_extend_block(f, text) if f.category == "ADDRESS" else f
                 for f in self._rules(text, language, longest, text.lower())]
        if longest:
            found.extend(self._phones(text))
        topics = self._topics.get(language)
        if topics is not None:
            found.extend(Finding(start, end, category, text[start:end], 0.8)
                         for start, end, category in topics.spans(text))
        return found

    def _rules(self, text: str, language: str, longest: int, lowered: str) -> Iterator[Finding]:
        for rule in self.rules:
            if language not in rule.languages or rule.digits > longest:
                continue
            needed = rule.hints or rule.starts
            if needed and not any(word in lowered for word in needed):
                continue
            for match in _matches(rule, text, lowered):
                start, end = match.span(rule.group)
                value = match.group(rule.group)
                if rule.category == "ADDRESS" and language == "zh":
                    cut = _STRIP_ZH.match(value)
                    if cut:
                        start, value = start + cut.end(), value[cut.end():]
                stripped = value.rstrip(" \t\n,.")
                end = start + len(stripped)
                if stripped and (rule.check is None or rule.check(stripped)) and (
                        rule.context is None or rule.context(text, start, end)):
                    yield Finding(start, end, rule.category, stripped, rule.score)

    def _phones(self, text: str) -> Iterator[Finding]:
        # libphonenumber's matcher is thorough but slow on long texts: run it only around digit runs
        # long enough to be a phone number.
        for candidate in _PHONE_CANDIDATE.finditer(text):
            digits = sum(c.isdigit() for c in candidate.group())
            if digits < 7:
                continue
            if digits <= 15:
                if _PHONE_SHAPE.match(candidate.group()) and self._valid_phone(candidate.group()):
                    # Below the structured IDs: libphonenumber accepts many SSN- or tax-ID-shaped runs.
                    yield Finding(candidate.start(), candidate.end(), "PHONE", candidate.group(), 0.8)
                continue
            start = max(0, candidate.start() - 4)  # several numbers in a row: let the matcher split them
            window = text[start:candidate.end() + 4]
            for region in self.regions:
                for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID):
                    yield Finding(start + match.start, start + match.end, "PHONE", match.raw_string, 0.8)

    def _valid_phone(self, candidate: str) -> bool:
        for region in self.regions:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(candidate, region)):
                    return True
            except phonenumbers.NumberParseException:
                return False
        return False
