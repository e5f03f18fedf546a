"""Metric functions against values worked out by hand."""

from __future__ import annotations

import pytest

from tandem.eval.metrics import PRF, accuracy, bio_spans, f_beta, set_f1, span_prf


def test_bio_spans_follow_conlleval() -> None:
    tags = ["O", "B-date", "I-date", "B-loc", "I-time", "I-time", "O", "I-loc"]
    # "I-time" after "B-loc" opens a new chunk, and so does a stray "I-loc" after "O".
    assert bio_spans(tags) == {("date", 1, 3), ("loc", 3, 4), ("time", 4, 6), ("loc", 7, 8)}
    assert bio_spans(["B-x", "B-x"]) == {("x", 0, 1), ("x", 1, 2)}
    assert bio_spans(["O", "O"]) == set()


def test_strict_span_f1_on_a_small_example() -> None:
    gold = bio_spans(["B-date", "I-date", "O", "B-loc", "B-time"])  # date 0-2, loc 3-4, time 4-5
    predicted = bio_spans(["B-date", "O", "O", "B-loc", "B-time"])  # date 0-1 is too short
    prf = span_prf(gold, predicted)
    assert (prf.tp, prf.fp, prf.fn) == (2, 1, 1)
    assert prf.precision == pytest.approx(2 / 3)
    assert prf.recall == pytest.approx(2 / 3)
    assert prf.f() == pytest.approx(2 / 3)


def test_f2_weighs_recall() -> None:
    # P = 0.5, R = 1.0: F1 = 2/3, F2 = 5 * 0.5 / (4 * 0.5 + 1) = 2.5 / 3
    assert f_beta(0.5, 1.0) == pytest.approx(2 / 3)
    assert f_beta(0.5, 1.0, beta=2) == pytest.approx(2.5 / 3)
    assert PRF(1, 1, 0).f(2) == pytest.approx(2.5 / 3)
    assert f_beta(0.0, 0.0) == 0.0


def test_counts_add_up_and_empty_sets() -> None:
    assert PRF(1, 2, 3) + PRF(4, 5, 6) == PRF(5, 7, 9)
    assert PRF(0, 0, 0).precision == 0.0
    assert set_f1([], []) == 1.0
    assert set_f1(["a", "b"], ["a"]) == pytest.approx(2 / 3)
    assert accuracy([True, False, True, True]) == 0.75
    assert accuracy([]) == 0.0
