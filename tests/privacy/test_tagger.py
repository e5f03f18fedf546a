"""The part-of-speech tagger and its readings live in one module both name detectors ask (session 17's re-read: the
list detector imported them from the NER module, and the opening-verb rule was written twice, once per detector)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tandem.privacy.names as names
import tandem.privacy.ner as ner
from tandem.privacy.tagger import opening_verb


@pytest.mark.parametrize("module", [names, ner])
def test_the_name_detectors_ask_the_tagger_module_not_each_other(module: object) -> None:
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "tandem.privacy.tagger" in imported
    assert not imported & {"tandem.privacy.ner", "tandem.privacy.names"}


@pytest.mark.parametrize(("text", "name", "verb"), [
    ("Ring Anna Schmidt at 5.", "Ring Anna Schmidt", True),  # a verb, then a whole name
    ("Call Tom Berger tomorrow.", "Call Tom Berger", True),
    ("Call Anna at 5.", "Call Anna", True),  # before a first name alone: the tagger reads a verb
    ("Remind Anna to buy milk.", "Remind Anna", True),
    ("Will Smith called.", "Will Smith", False),  # a first name opens the name
    ("Rich Martin called about the results.", "Rich Martin", False),  # the tagger reads no verb
    ("Blank Gary A is a psychologist.", "Blank Gary A", False),  # surname first: the rest is no whole name
    ("The letter for Ring Anna Schmidt came.", "Ring Anna Schmidt", False),  # not opening its sentence
])
def test_one_rule_reads_the_verb_opening_a_request(text: str, name: str, verb: bool) -> None:
    assert opening_verb(text, text.index(name), name.split()) is verb
