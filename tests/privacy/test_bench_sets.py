"""The loaders of bench/pii_sets.py that parse a corpus format (the sets themselves are not in the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from pii_sets import bmes


def test_bmes_sentences_keep_their_spans_and_only_those_naming_a_scored_kind() -> None:
    raw = "王 B-PER\n小 M-PER\n明 E-PER\n在 O\n京 S-LOC\n。 O\n\n  \n天 O\n津 B-LOC\n港 E-LOC\n\n李 S-PER\n"
    samples = bmes(raw, "t", "zh", {"PER": "PERSON", "LOC": ""})
    assert [s.text for s in samples] == ["王小明在京。", "李"]
    first = samples[0].gold
    assert [(g.value, g.category, g.start, g.end) for g in first] == [("王小明", "PERSON", 0, 3), ("京", "", 4, 5)]


def test_the_generated_people_sets_do_not_change_with_the_day_they_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Their texts decide their tune/report halves (by hash): Faker counts birth dates back from today, so a
    set built on another day had other texts and other halves (196 → 200 German report texts)."""
    import datetime as dt
    from types import SimpleNamespace

    import faker.providers.date_time as faker_dates
    import faker.providers.ssn.zh_CN as faker_cn_ids
    from pii_sets import people

    today = {language: [s.text for s in people(language, 40)] for language in ("de", "zh")}
    later = dt.timedelta(days=1000)

    class LaterDate(dt.date):
        @classmethod
        def today(cls) -> LaterDate:
            day = dt.date.today() + later
            return cls(day.year, day.month, day.day)

    class LaterTime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> LaterTime:
            moment = dt.datetime.now(tz) + later
            return cls.combine(moment.date(), moment.timetz())

    monkeypatch.setattr(faker_dates, "datetime", LaterTime)
    monkeypatch.setattr(faker_dates, "dtdate", LaterDate)
    monkeypatch.setattr(faker_cn_ids, "datetime", SimpleNamespace(date=LaterDate, timedelta=dt.timedelta))
    assert {language: [s.text for s in people(language, 40)] for language in ("de", "zh")} == today


def test_a_bio_corpus_is_read_as_the_tagger_learns_bmes() -> None:
    # the Chinese name model's trainer takes other corpora (Universal NER, WikiANN: IOB2) besides MSRA's BMES
    from pii_train_zh import read_tagged

    bio = "王 B-PER\n小 I-PER\n明 I-PER\n在 O\n京 B-LOC\n\n李 B-PER\n四 I-PER\n王 B-PER\n"
    assert read_tagged(bio) == [("王小明在京", ["B-PER", "M-PER", "E-PER", "O", "S-LOC"]),
                                ("李四王", ["B-PER", "E-PER", "S-PER"])]
    bmes = "王 B-PER\n小 M-PER\n明 E-PER\n京 S-LOC\n"
    assert read_tagged(bmes) == [("王小明京", ["B-PER", "M-PER", "E-PER", "S-LOC"])]


def test_a_false_alarm_on_another_mention_of_a_gold_name_is_counted_apart() -> None:
    # walk5: multipriv's paragraphs name their person again by the first name ("Katrina has a credit score"); the
    # leak measure counts that piece as a leak, so a finding there is apart from a false alarm on a word
    from collections import defaultdict

    from pii_sets import Gold, Sample
    from privacy import score

    from tandem.privacy.detect import Finding

    text = "Katrina Adams lives in France. Katrina has a dog."
    sample = Sample("t", "en", text, (Gold(0, 13, "PERSON", "Katrina Adams"),))
    found = [Finding(0, 13, "PERSON", "Katrina Adams"), Finding(23, 29, "PERSON", "France"),
             Finding(31, 38, "PERSON", "Katrina")]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    score(sample, found, counts)
    assert counts["PERSON"] == [1, 0, 2, 1]


def test_multipriv_values_are_gold_wherever_the_paragraph_says_them_in_any_case(tmp_path: Path) -> None:
    """MultiPriv writes its fields in random case ("LesLie TErRy") and its paragraphs as prose ("Leslie Terry"):
    a case-sensitive match left most of its names out of the gold, so they counted as false alarms, never as leaks."""
    import json

    from pii_sets import multipriv

    (tmp_path / "pii").mkdir()
    row = {"name": "LesLie TErRy", "emailAddress": "l.terry@example.com",
           "naturalParagraph": "Leslie Terry (L.Terry@example.com) asked; LESLIE TERRY signed."}
    (tmp_path / "pii" / "multipriv_en.json").write_text(json.dumps([row]), encoding="utf-8")
    (sample,) = multipriv(tmp_path)
    assert [(g.category, g.value) for g in sample.gold] == [
        ("PERSON", "Leslie Terry"), ("PERSON", "LESLIE TERRY"), ("EMAIL", "L.Terry@example.com")]
    assert all(sample.text[g.start:g.end] == g.value for g in sample.gold)
