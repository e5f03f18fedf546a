"""Places that are also people's names: "from France", "a psychologist in San Jose", "in St. Helena".

The census lists hold first names that are places too (France, Helena, Rosa, Jose), and spaCy files an
unfamiliar town as a person ("out of Napa"). A run read as a person is a place instead when it stands where
a place stands: written with a capital, not followed by another capitalised word (the place then begins a longer
name: "at Alameda Children's Specialized"), after "in", "from", "at", "near", "of", "around" or "outside" (an
article between is allowed; not "to", after which money goes to a payee); and when the gazetteer knows it, whole
or with the word before it ("St." + "Helena"). One word alone must also not be a common first name: "a message
from Anna" keeps Anna a person (Anna is a town in Texas too).

The gazetteer (``places.tsv.gz``: one lower-cased name a line) is libphonenumber's English geocoding
descriptions (the cities and regions of its number ranges: "San Jose", "Corte Madera") and its English
country names (CLDR: "France", "Saint Helena"), as shipped by the ``phonenumbers`` package (Apache-2.0).
Importing that package's geodata costs ~100 MB, so the names are extracted once
(``python -m tandem.privacy.places``) and shipped as data. A missing file only costs precision: every run
stays a person (privacy fails closed).
"""

from __future__ import annotations

import functools
import gzip
import logging
import re
from pathlib import Path

from tandem.privacy.dictionaries import frequent_first_names

__all__ = ["GAZETTEER", "build", "gazetteer", "place_here"]

log = logging.getLogger("tandem.privacy")
GAZETTEER = Path(__file__).with_name("places.tsv.gz")
_BEFORE = re.compile(r"(?:^|\W)(?:in|from|at|near|of|around|outside)(?:[ \t]+the)?[ \t]+$", re.I)
# A place is written with a capital and ends its proper noun: "at Alameda Children's Specialized" names a practice
# (a person in SGD's labels), "the gender of bertram" a person.
_NAME_GOES_ON = re.compile(r"(?:['’]s)?[ \t]+[A-Z]")
_WORD_BEFORE = re.compile(r"([A-Z][\w'’-]*\.?)[ \t]+$")  # "St. " before "Helena", "San " before "Jose"
# How far back the words before a place are looked for: a search from the text's start costs a long text's length for
# each name in it. A word before cut off there counts as none, so the name stays a person (fail closed).
_LOOK_BACK = 80
_IN_A_WORD = re.compile(r"[\w'’.-]")


@functools.cache
def gazetteer() -> frozenset[str]:
    try:
        with gzip.open(GAZETTEER, "rt", encoding="utf-8") as lines:
            return frozenset(line.rstrip("\n") for line in lines if line.strip())
    except OSError:
        log.warning("no gazetteer at %s: places that are also first names are read as persons", GAZETTEER)
        return frozenset()


def place_here(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, read as a person, is a place where it stands (see the module docstring)."""
    if not text[start:start + 1].isupper() or _NAME_GOES_ON.match(text, end):
        return False
    name = " ".join(text[start:end].split()).lower()
    window = max(0, start - _LOOK_BACK)
    before = _WORD_BEFORE.search(text, window, start)
    if before and before.start(1) == window > 0 and _IN_A_WORD.match(text, window - 1):
        before = None  # the word goes on before the window: not the word the gazetteer would be asked about
    if before and f"{before.group(1).lower()} {name}" in gazetteer():
        start, name = before.start(1), f"{before.group(1).lower()} {name}"
    elif name not in gazetteer() or (" " not in name and name in frequent_first_names()):
        return False
    return bool(_BEFORE.search(text, max(0, start - _LOOK_BACK), start))


def build(out: Path = GAZETTEER) -> int:
    """Write the gazetteer from the installed ``phonenumbers`` (see the module docstring); the number of names."""
    from phonenumbers import geodata
    from phonenumbers.geodata.locale import LOCALE_DATA

    names = {described["en"].split(",")[0].strip().lower() for described in geodata.GEOCODE_DATA.values()
             if "en" in described}
    names |= {" ".join(country["aa"].split()).lower() for country in LOCALE_DATA.values() if "aa" in country}
    names = {n for n in names if n and not n.isdigit()}
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as file:  # mtime 0: the same names, the same bytes
        file.write("".join(f"{n}\n" for n in sorted(names)).encode())
    return len(names)


if __name__ == "__main__":
    print(f"{build()} places written to {GAZETTEER}")
