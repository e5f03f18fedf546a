"""The egress safety net for numbers and German postcodes: what no rule could parse still counts as personal.

A phone written without any separator ("0579656124"), a customer number, a postcode standing before a
town ("61262 Beilngries"): the shape rules in ``patterns.py`` and ``chinese.py`` name what they recognise;
this detector, run only before a cloud call, replaces any other run of six or more digits (single spaces,
dashes, slashes or brackets between them; not dates, amounts or decimals, which use dots and commas),
a five-digit postcode before a capitalised word in German text and, in any language, a postcode written with a
dash before its town ("00-514 Warszawa", "1000-001 Lisboa"); in English text any five-digit number that is no amount
or count ("KNIVSTA, nan 18237", "Brickfields, 50470": a ZIP or postcode whose address lines no rule could
parse, a customer number). The cost is precision: an order number becomes a
placeholder too (measured in ``bench/privacy.py``).

A number said digit by digit is a number too: speech recognition and dictation write "zero one five one two three
…", "null eins fünf …", "一三八一二三四五六七八", and a request may quote one said in French, Italian, Spanish,
Polish or Turkish ("tre quattro sette …"). Seven or more digits said as words (``word_sets.DIGIT_WORDS``; digit
groups and "double five" count as theirs), with spaces, commas or dashes between them, are a run of digits. So is a
number said in groups, as French and Turkish say phones ("zéro six, douze, trente-quatre, cinquante-six", "sıfır beş
yüz otuz iki, kırk beş"): the teens, tens and hundreds of ``number_words.toml`` count two or three digits, and the
unit after a tens or hundreds is part of it; German and Italian write a number below a thousand as one word
("einhundertsiebzig", "centotrentadue": three digits). Chinese groups may stand apart by 、 too, when each holds two
digits or more ("一三八、一二三四、五六七八"; "第一、二、三章" lists single digits).
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tandem.privacy.detect import Finding
from tandem.privacy.dictionaries import dictionary
from tandem.privacy.secrets import secret_values
from tandem.privacy.word_sets import DIGIT_REPEATS, DIGIT_WORDS, GERMAN_COMMON

__all__ = ["DigitRuns", "said_digits"]

# An area code in brackets counts with its number: "(04521) 778812"; between digits written one by one a dash or
# slash may stand between spaces ("0 1 5 1 - 2 3 4 5 - 6 7 8"; "2019 - 2023" is a range of years).
_RUN = re.compile(r"(?<![\d.,:])(?:\+|\((?=\d))?\d(?:(?:(?<!\d\d) [\-/] (?=\d(?!\d))|[ \-/]?\)?[ \-/(]?)\d){5,}"
                  r"(?![\d.,]\d)")
# Digits written a group or one digit a line ("0\n1\n5\n1\n…", "Tel 0151\n2345\n678"): groups of digits (with the
# signs ``_RUN`` allows inside them) on lines one after another, blank lines between too, are one run; only the first
# may follow words on its line, only the last be followed by words.
# Any line break a reader sees (vertical tab, form feed, Unicode's line and paragraph separators too); a line may
# open with a list's mark and end with a comma or a dot ("- 0\n- 1\n…", "0,\n1,\n…").
_BREAK = "\r\n\v\f\x85\u2028\u2029"
_GROUP = r"[+(]?\d[\d \t()/-]*+[,.;]?"
# Found group by group (each try of a group succeeds, so a long line is read once), then joined where only line
# breaks (and a list's mark) stand between them: a pattern wanting a break after each group was tried again from every
# digit of a long line ("0 1 0 1 …").
_LINE_GROUP = re.compile(rf"(?<![\d.,:]){_GROUP}")
_LINE_BREAKS = re.compile(rf"[{_BREAK}][ \t{_BREAK}]*+(?:[-*•·>][ \t]*+)?")
_DECIMAL = re.compile(r"[.,]\d")
# Digit groups joined by signs, spaces around them or not ("0151 | 2345 | 6789", "DE89 · 3704 · …", "4111 - 1111 -
# 1111 - 1111", "0151 , 2345 , 6789", "138，1234，5678"), by a doubled sign or mixed ones ("0151 || 2345 || 6789",
# "0151 :: 2345 :: 6789", "0151 | 2345 · 6789", "0151 - 2345 | 6789"), a group written digit by digit too ("0 1 5 1 |
# 2 3 4 5 | …"): read as one number, as ``_RUN`` reads groups apart by a space (six digits or more in all). An IBAN's
# country letters count with it. A group may hold a decimal, a time or a date ("1,5", "10:30", "12.03.2024"), which
# ends the run there (no ID is written so); groups joined without spaces by one such sign, three or more of three
# digits or more and not a thousands number ("0151,2345,6789", "0151;2345;6789"; "1,234,567" is one), are a number,
# also beside groups the same sign joins with spaces ("0151 , 2345,6789"). Any run of signs may join ("0151 |||| 2345
# |||| 6789"), "=" too when it alone joins the groups ("0151 =2345= 6789"; a sum has "=" beside other signs: review31
# R31-4). Possessive, and a start only where a digit run (or its two letters) starts: one pass over a long text.
_GROUP_OF = r"\d++(?:(?: |[.,:;])\d++)*+"
_SIGN_RUN = r"(?:[^\w\s]|_)(?:[ \t]?+(?:[^\w\s]|_))*+"  # "|", "||", "| |", "-|-", "||||" (review31 R31-4)
_SIGNED = re.compile(rf"(?<!\d)(?<!\d[.,:; ])(?:(?<![^\W\d_])[A-Z]{{2}}(?=\d))?{_GROUP_OF}"
                     rf"(?:[ \t]*+{_SIGN_RUN}[ \t]*+{_GROUP_OF})*+")
_PART = re.compile(rf"({_GROUP_OF})(?:[ \t]*+({_SIGN_RUN})[ \t]*+(?=\d))?")
_PLAIN = re.compile(r"\d+(?: \d+)*")
_TOKENS = re.compile(r"\d+(?:[.,:;]\d+)*")  # a group's tokens: digits, or a decimal, a time or a date
_PACKED = re.compile(r"\d{3,}(?:([.,:;])\d{3,})(?:\1\d{3,})+")  # "0151,2345,6789"
_SIGNS_OF, _SPACES = re.compile(r"[^\w\s]+"), re.compile(r"[ \t]+")
_SPLIT = re.compile(r"\d{3,}(?:([,:;])\d{3,})(?:\1\d{3,})*")  # "2345,6789" in "0151 , 2345,6789"
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})+")  # "1,234,567", "1.234.567"
_DIGIT_GROUP = re.compile(r"\d+")
_GROUP_BEFORE = re.compile(r"(?<![\d.,:;])\d{3,}([,;:])[ \t]+$")
_GROUP_REACH = 32  # characters read back for it
# Signs that join groups only with a space before them: prose punctuation ("2019, 2020" lists, "1,5" and "1.234" are
# numbers), and the dash and slash (``_RUN`` reads "0151-2345"; "2019 - 2023" is a range). Chinese writes its
# punctuation without spaces: there every group holds two digits or more ("第1、2、3章" lists).
_SPACED_SIGNS = frozenset(",.;:!?-/\u2013\u2212")
_CJK_SIGNS = frozenset("，、；：。")
# Signs that relate two numbers (a range, a sum, a ratio, a score: "2019 - 2023", "3 : 1", "10 + 20"): three groups
# or more, and no "=" after them or before ("10 + 20 + 30 = 60").
_RELATING = frozenset("-/+*:~=\u2013\u2212")
# Signs that join no number: quotes and brackets, currency, a percent, the apostrophe of "1'234'567", a degree, and
# the multiplication signs of a size ("120 × 60 × 200").
_NOT_JOINING = frozenset("%'’\"°‰×÷")
_EQUALS = re.compile(r"[ \t]*=")
_EQUALS_BEFORE = re.compile(r"=[ \t]*$")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")  # "2019 | 2020 | 2021": a list of years
_SIZE = re.compile(r"[ \t]*(?:cm|mm|dm|ml|cl|g|zoll|inch(?:es)?)(?!\w)", re.I)
_POSTCODE = re.compile(r"(?<![\d.,])(\d{5})[ \t]+([A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+)?)")
# A postcode written with a dash before its town, in any language: Polish "00-514 Warszawa", Portuguese "1000-001
# Lisboa" (no German, English or Chinese rule reads them).
_DASHED_POSTCODE = re.compile(r"(?<![\d.,:/-])(?:\d{2}|\d{4})-\d{3}(?![\d-])[ \t]+([^\W\d_a-zß-ÿ]\w+)")
# Five digits standing alone (not inside a code like "STL03071"): not "$12345", "12,345", "1.2345", and not
# followed by a unit or currency ("12000 dollars").
_FIVE = re.compile(r"(?<![\w.,:$€£¥#/-])\d{5}(?!\w|[.,:/-]\d)")
_UNITS = re.compile(r"[ \t]*(?:%|(?i:dollars?|bucks|usd|eur|euros?|pounds?|gbp|yen|yuan|rmb|francs?|people|persons|"
                    r"users|visitors|views|votes|fans|employees|students|copies|units|items|words|steps|points|calories|"
                    r"kcal|km|kilometers?|kilometres?|miles?|m|meters?|metres?|feet|ft|kg|lbs?|tons?|mah|mb|gb|kb|"
                    r"rpm|hz|years?|days?|hours?|minutes?|seconds?)\b)")
_NOT_TOWNS = frozenset({"euro", "eur", "dollar", "stück", "mal", "menschen", "einwohner", "besucher", "kilometer",
                        "meter", "punkte", "tonnen", "jahre", "tage", "stunden", "minuten", "teilnehmer"})


_SAID = 7  # digits said as words that make a number (a phone has 7 or more; "one or two" is no number)
_LATIN_DIGITS = frozenset().union(*(words for language, words in DIGIT_WORDS.items() if language != "zh"))
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_BETWEEN = re.compile(r"[ \t\r\n,\-/.]{1,3}")  # a line's end too: one digit a line
_HAN_DIGIT = "".join(sorted(DIGIT_WORDS["zh"]))
# digits apart at most by a space, a dash or a comma between groups ("一三八，一二三四，五六七八"), or by 、 between
# groups of two digits or more ("一三八、一二三四、五六七八"): between single digits 、 lists them ("第一、二、三章")
_HAN_GROUPS = rf"(?<=[{_HAN_DIGIT}0-9]{{2}})、(?=[{_HAN_DIGIT}0-9]{{2}})"
# groups apart by a sign as ``_SIGNED`` reads them too ("一三八 | 一二三四 | 五六七八")
_HAN_SIGNS = r"[ \t]*+[|｜·・•/\\~_*#:;]{1,3}+[ \t]*+"
_HAN_SAID = re.compile(rf"[{_HAN_DIGIT}](?:(?:[ \t\r\n\-，,]|{_HAN_GROUPS}|{_HAN_SIGNS})?[{_HAN_DIGIT}0-9])"
                       rf"{{{_SAID - 1},}}")
_GROUPS = tomllib.loads((Path(__file__).parent / "number_words.toml").read_text(encoding="utf-8"))


def _words_of(kind: str) -> frozenset[str]:
    return frozenset(w for table in _GROUPS.values() for w in table.get(kind, ()))


# What each number word of a group is (number_words.toml): a unit (0-9), a teen, a tens, a hundreds or a joiner.
_KINDS = {**{w: "joiner" for w in _words_of("joiners")}, **{w: "hundreds" for w in _words_of("hundreds")},
          **{w: "tens" for w in _words_of("tens")}, **{w: "teen" for w in _words_of("teens")},
          **{w: "unit" for w in _LATIN_DIGITS}}
_COMPOUND = re.compile("(?:" + "|".join(sorted(_words_of("compounds"), key=len, reverse=True)) + ")(?:"
                       + "|".join(sorted(_LATIN_DIGITS | _words_of("compound_units"), key=len, reverse=True)) + ")")
# "dreiundzwanzig": a unit, its joiner and the tens in one word (a language's units_first)
_UNITS_FIRST = re.compile("|".join(
    "(?:" + "|".join(sorted(t["units_first"], key=len, reverse=True)) + ")" + re.escape(t.get("units_joiner", ""))
    + "(?:" + "|".join(sorted(t["tens"], key=len, reverse=True)) + ")"
    for t in _GROUPS.values() if t.get("units_first")) or "(?!)")
_VOWEL_COMPOUND = re.compile("(?:" + "|".join(sorted({w[:-1] for w in _words_of("compounds")}, key=len, reverse=True))
                             + ")(?:" + "|".join(sorted(w for w in _LATIN_DIGITS if w[0] in "aeiou")) + ")")
# Digits a word adds after the group's word before it (None: the group begins): a unit after a tens or a hundreds is
# part of it ("trente-quatre", "yüz iki"), a hundreds after a unit multiplies it ("deux cents": three digits in all).
_ADDS = {"unit": {"tens": 0, "hundreds": 0, "teen": 0}, "teen": {"tens": 0, "hundreds": 0},
         "tens": {"hundreds": 0}, "hundreds": {"unit": 2}}
_FIRST = {"unit": 1, "teen": 2, "tens": 2, "hundreds": 3, "compound": 2, "hundreds_word": 3}


def _joined_hundreds(table: dict[str, Any], units: frozenset[str]) -> str:
    """A number below a thousand written as one word ("einhundertsiebzig", "zweihundertdreiundzwanzig",
    "centotrentadue"): a unit, a hundreds, then a teen, a tens (with its unit before or after it) or a unit."""
    def either(words: Iterable[str]) -> str:
        return "(?:" + "|".join(sorted(set(words), key=len, reverse=True)) + ")"

    tens = either(table["tens"])
    after = [either(table["teens"]), tens, either(units)]
    if table.get("units_first"):
        after.append(either(table["units_first"]) + re.escape(table.get("units_joiner", "")) + tens)
    if table.get("compounds"):
        after.append(either(table["compounds"]) + either(units | set(table.get("compound_units", ()))))
    return f"{either(table.get('units_first') or units)}?{either(table['hundreds'])}(?:{'|'.join(after)})?"


# Languages that write a number below a thousand as one word (number_words.toml: hundreds_joined)
_HUNDREDS_WORD = re.compile("|".join(_joined_hundreds(t, DIGIT_WORDS.get(language, frozenset()))
                                     for language, t in _GROUPS.items() if t.get("hundreds_joined")) or "(?!)")


def _kind(word: str) -> str | None:
    if word in _KINDS:
        return _KINDS[word]
    if _COMPOUND.fullmatch(word) or _VOWEL_COMPOUND.fullmatch(word) or _UNITS_FIRST.fullmatch(word):
        return "compound"  # "trentadue", "trentotto", "veintidós": a tens and its unit in one word
    if _HUNDREDS_WORD.fullmatch(word):
        return "hundreds_word"  # three digits in one word, a group of its own
    return None


# what a count is counted in (number_words.toml: zh counted): 两 before one is a count's two ("两个房间")
_COUNTED = re.compile("|".join(sorted(_GROUPS["zh"]["counted"], key=len, reverse=True)))
_YEAR = re.compile(f"(?:一九|二[〇零])[{_HAN_DIGIT}]{{2}}")  # a year of the last century or this one, said out
_YEARS_END = re.compile("[两三四五六七八九十几]?年")  # "…二〇二五年", "…二〇一九两年"


def _han_said(text: str) -> Iterator[tuple[int, int]]:
    """Numbers said in Han digits, but not 两 before a measure word, which counts ("订了一二三、四五六两个房间":
    a number read out says 二 or 幺, never 两; 3 + 3 digits is no phone), nor a list of years apart by 、 closed by
    年 ("二〇二三、二〇二四、二〇二五年"). Any other list closed by a count stays one number: a landline, a hotline or
    a card said in groups of one length is often followed by a word opening with a measure character (分机, 人工服务,
    周一到周五, 分期)."""
    for m in _HAN_SAID.finditer(text):
        end = m.end() - 1 if m.group().endswith("两") and _COUNTED.match(text, m.end()) else m.end()
        said = text[m.start():end]
        if sum(c.isdigit() or c in _HAN_DIGIT for c in said) < _SAID:
            continue
        items = said.split("、")
        if len(items) > 1 and all(_YEAR.fullmatch(item) for item in items) and _YEARS_END.match(text, end):
            continue
        yield m.start(), end


def said_digits(text: str) -> list[tuple[int, int]]:
    """(start, end) of each number said as words, digit by digit or in groups (see the module docstring)."""
    spans = list(_han_said(text))
    run: list[re.Match[str]] = []
    count = repeat = 0
    last: str | None = None  # the kind of the group's last number word
    for m in [*_TOKEN.finditer(text), None]:
        word = m.group().lower() if m else ""
        gap = text[run[-1].end():m.start()] if m and run else ""
        joined = bool(m and run and _BETWEEN.fullmatch(gap))
        kind = _kind(word) if m else None
        if m and (kind or word.isdigit() or word in DIGIT_REPEATS) and (joined or (not run and kind != "joiner")):
            last = None if "," in gap else last  # a comma ends a group
            run.append(m)
            if word.isdigit():
                count, last = count + len(word), None
            elif kind and kind != "joiner":
                adds = _ADDS.get(kind, {}).get(last or "", _FIRST[kind])
                count, last = count + max(1, repeat) * adds, ("unit" if kind == "compound" else kind)
            repeat = DIGIT_REPEATS.get(word, 0)
            continue
        while run and _KINDS.get(run[-1].group().lower()) == "joiner":  # "… 9090 and" ends before "and"
            run.pop()
        if count >= _SAID and any(_kind(r.group().lower()) not in (None, "joiner") for r in run):
            spans.append((run[0].start(), run[-1].end()))
        start = m is not None and kind is not None and kind != "joiner"
        run, repeat = ([m] if start and m else []), 0
        count, last = (_FIRST[kind], kind if kind != "compound" else "unit") if start and kind else (0, None)
    return spans


def _digit_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each number spread over lines (groups of ``_GROUP`` apart by line breaks only) that holds
    ``_RUN``'s six digits or more; a last line that opens an amount ("3.50") is not part of it. (Cut here, not by a
    lookahead: that made the pattern try again from every digit of a long run.)"""
    start = end = -1
    for m in [*_LINE_GROUP.finditer(text), None]:
        if m is not None and start >= 0 and _LINE_BREAKS.fullmatch(text, end, m.start()):
            end = m.end()
            continue
        if start >= 0:
            yield from _lines_number(text, start, end)
        start, end = (m.start(), m.end()) if m else (-1, -1)


def _lines_number(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    value = text[start:end]
    if _DECIMAL.match(text, end):
        value = value[:max(value.rstrip().rfind(c) for c in _BREAK)]
    value = value.rstrip(" \t-/(,.;" + _BREAK)
    if any(c in _BREAK for c in value) and sum(c.isdigit() for c in value) >= 6:
        yield start, start + len(value)


def _signed(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of digit groups joined by signs (``_SIGNED``) that is a number: cut where a sign
    joins no number (a bracket, a currency, "%"; a prose sign or a dash without a space before it) and where a group is
    a decimal, a time or a date; then each piece judged (``_pieces``: a sum before or after "=" is none)."""
    for m in _SIGNED.finditer(text):
        first: int | None = m.start()  # an IBAN's letters go with its first group
        # "=" ends a piece (what stands on its other side is a sum's), unless every joint of the run is the same sign
        # ("0151 =2345= 6789", review31 R31-4; "0151 += 2345 += 6789", review32 R32-3): a run of other signs ending in
        # "= 95 km" is judged before the "="
        equals_only = len(set(_SIGNS_OF.findall(_SPACES.sub("", m.group())))) == 1
        pos = m.start() + (2 if text[m.start()].isalpha() else 0)
        equated = _EQUALS_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None
        spans: list[tuple[int, int]] = []
        joints: list[str] = []
        while pos < m.end():
            part = _PART.match(text, pos, m.end())
            if part is None:
                break
            group, sign = part.group(1), part.group(2)
            span = part.span(1)
            if not _PLAIN.fullmatch(group):  # a decimal, a time or a date ends the piece before it
                tokens = list(_TOKENS.finditer(text, *span))
                lead = list(itertools.takewhile(_plain_token, tokens))
                trail = list(itertools.takewhile(_plain_token, reversed(tokens)))
                if lead:  # "4111 | 1111 12.03.": "1111" is the number's, the date is not
                    spans.append((lead[0].start(), lead[-1].end()))
                yield from _pieces(text, first, spans, joints, (equated, False))
                yield from _packed_in(text, tokens, lead)
                first, spans, joints, equated = None, [], [], False
                if not trail:
                    pos = part.end()
                    continue
                span = (trail[-1].start(), trail[0].end())  # "18:00 0151 | 2345": "0151" opens the next piece
            spans.append(span)
            if sign is None or ("=" in sign and not equals_only) or not _joins(sign, text[span[1]] in " \t"):
                after = "=" in sign if sign else _EQUALS.match(text, span[1]) is not None
                yield from _pieces(text, first, spans, joints, (equated, after))
                first, spans, joints, equated = None, [], [], bool(sign and "=" in sign)
            else:
                joints.append(sign.replace(" ", "").replace("\t", ""))
            pos = part.end()


def _with_group_before(text: str, start: int, end: int) -> tuple[int, int]:
    """A number's span with a group of three digits or more before it, joined by the prose sign that joins the number's
    groups, written with the space after it only ("0151, 2345 ,6789": the writer's spaces came and went; review32
    R32-3). Read back a window only."""
    before = _GROUP_BEFORE.search(text, max(0, start - _GROUP_REACH), start)
    return (before.start(), end) if before is not None and before.group(1) in text[start:end] else (start, end)


def _plain_token(token: re.Match[str]) -> bool:
    """Digits, or groups packed with one sign the way a number's groups are ("0151 , 2345,6789": the writer's spaces
    came and went), three digits or more each: no decimal, time or date, thousands or years."""
    value = token.group()
    return value.isdigit() or (_SPLIT.fullmatch(value) is not None and not _THOUSANDS.fullmatch(value)
                               and not all(map(_YEAR_DIGITS.fullmatch, re.findall(r"\d+", value))))


def _packed_in(text: str, tokens: list[re.Match[str]], lead: list[re.Match[str]]) -> Iterator[tuple[int, int]]:
    """The packed tokens of a group ("0151,2345,6789"), and its lead when some of its groups are packed and others
    spaced ("Tel 0151 2345,6789"): three groups or more, six digits or more, no unit after."""
    yield from (t.span() for t in tokens if _packed(t.group()))
    if len(lead) > 1 and not all(t.group().isdigit() for t in lead):
        start, end = lead[0].start(), lead[-1].end()
        groups = re.findall(r"\d+", text[start:end])
        if len(groups) >= 3 and sum(map(len, groups)) >= 6 and not _UNITS.match(text, end):
            yield start, end


def _packed(token: str) -> bool:
    """ "0151,2345,6789": three groups or more of three digits or more packed with one sign, no thousands or years."""
    return bool(_PACKED.fullmatch(token)) and not _THOUSANDS.fullmatch(token) \
        and not all(map(_YEAR_DIGITS.fullmatch, re.findall(r"\d+", token)))


def _joins(sign: str, spaced: bool) -> bool:
    """A sign between groups that may join one number: not a bracket, quote, currency or "%", and a prose sign or a
    dash with a space before it ("2019, 2020" lists; ``_RUN`` reads "0151-2345")."""
    if any(c in _NOT_JOINING or unicodedata.category(c) in ("Ps", "Pe", "Pi", "Pf", "Sc") for c in sign):
        return False
    return spaced or not (len(sign) == 1 and sign in _SPACED_SIGNS)


def _pieces(text: str, first: int | None, spans: list[tuple[int, int]], joints: list[str],
            equated: tuple[bool, bool]) -> Iterator[tuple[int, int]]:
    """The piece of groups at ``spans`` if it is one number (``_number``); if not and its signs are mixed, each run of
    it joined by one sign ("0151 | 2345 | 6789 - 20 euros": the number, then an amount)."""
    if not spans:
        return
    start = spans[0][0] if first is None else first
    if _number(text, spans, joints, equated):
        yield start, spans[-1][1]
        return
    if len(set(joints)) < 2:
        return
    k = 0
    while k < len(joints):
        last = k
        while last + 1 < len(joints) and joints[last + 1] == joints[k]:
            last += 1
        run = spans[k:last + 2]
        before = equated[0] if k == 0 else "=" in joints[k - 1]  # "100 + 200 + 300 = 600": a sum
        after = equated[1] if last + 1 == len(joints) else "=" in joints[last + 1]
        if _number(text, run, joints[k:last + 1], (before, after)):
            yield (start if k == 0 else run[0][0]), run[-1][1]
        k = last + 1


def _number(text: str, spans: list[tuple[int, int]], joints: list[str], equated: tuple[bool, bool]) -> bool:
    """Groups that are one number: six digits or more; joined by signs that relate numbers (a range, a sum, a ratio:
    "10 + 20 + 30") only when one sign joins three groups or more and no "=" stands before or after
    (``equated``); mixed signs only between groups of two digits or more ("3 - 1 | 2 - 2" are scores); a Chinese comma
    between groups of two digits or more before no measure word ("12，15，20元"); no unit after and not all years."""
    digits = ["".join(re.findall(r"\d", text[s:e])) for s, e in spans]
    end = spans[-1][1]
    if len(spans) < 2 or sum(map(len, digits)) < 6:
        return False
    mixed = len(set(joints)) > 1
    groups = sum(len(_DIGIT_GROUP.findall(text, s, e)) for s, e in spans)  # "0151 : 2345:6789": three groups
    if all(c in _RELATING for j in joints for c in j) and (mixed or groups < 3 or any(equated)):
        return False
    chinese = any(c in _CJK_SIGNS for j in joints for c in j)
    if (mixed or chinese) and min(map(len, digits)) < 2:
        return False
    if chinese and _COUNTED.match(text, end):
        return False
    return not (_UNITS.match(text, end) or _SIZE.match(text, end) or all(map(_YEAR_DIGITS.fullmatch, digits)))


def _town(word: str) -> bool:
    """A word after a postcode names its town unless it is a unit or a common word ("20-300 Pages")."""
    low = word.lower()
    return low not in _NOT_TOWNS and low not in GERMAN_COMMON and low not in dictionary("en").common


class DigitRuns:
    """See the module docstring."""

    def detect(self, text: str, language: str) -> list[Finding]:
        # a secret said after its name ("my PIN is 4711", "password=Sunflower42"), the net's other sure reading
        said = secret_values(text) + [Finding(s, e, "ID_NUMBER", text[s:e], 0.4, "fail-closed")
                                      for s, e in said_digits(text)]
        if sum(c.isdigit() for c in text) < 5:
            return said
        found = said + [Finding(m.start(), m.end(), "ID_NUMBER", m.group(), 0.4, "fail-closed")
                        for m in _RUN.finditer(text)]
        found += [Finding(s, e, "ID_NUMBER", text[s:e], 0.4, "fail-closed") for s, e in _digit_lines(text)]
        found += [Finding(s, e, "ID_NUMBER", text[s:e], 0.4, "fail-closed")
                  for s, e in (_with_group_before(text, *span) for span in _signed(text))]
        if language == "en":
            found += [Finding(m.start(), m.end(), "ID_NUMBER", m.group(), 0.35, "fail-closed")
                      for m in _FIVE.finditer(text) if not _UNITS.match(text, m.end())]
        found += [Finding(m.start(), m.end(), "ADDRESS", m.group(), 0.6, "fail-closed")
                  for m in _DASHED_POSTCODE.finditer(text) if _town(m.group(1))]
        if language == "de":
            for m in _POSTCODE.finditer(text):
                town = m.group(2).lower()
                if town not in _NOT_TOWNS and town not in GERMAN_COMMON:
                    found.append(Finding(m.start(), m.end(), "ADDRESS", m.group(), 0.6, "fail-closed"))
        return found
