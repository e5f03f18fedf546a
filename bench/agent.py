"""Benchmark the assistant agent.

    .venv/bin/python bench/agent.py                 # fast tier: latency, xSID intent accuracy / slot F1, tier shares
    .venv/bin/python bench/agent.py --device 20     # + the on-device model tier on 20 xSID utterances per language
    .venv/bin/python bench/agent.py --crash 200     # + kill -9 of `tandem serve` during 200 order flows

xSID (../shared/eval/xsid, en/de/zh valid) spans 15+ intents; the agent acts on those a registered partner
can fulfil. Its reminder intents map to xSID's ``reminder/set_reminder`` and ``reminder/show_reminders``;
every other utterance is out of scope, and the right answer there is "no match" (the request then goes
to the chat model instead of a partner). The two are reported apart: in-scope intent recall (of the
in-scope utterances, how many got the right intent), out-of-scope handling (of the others, how many
were left alone), and the precision of what was answered. A blend of the two would flatter: 91.7 % of the
set is out of scope, so a parser that never answers would "score" 0.917. Slot F1 is strict span match
over ``reminder/todo`` and ``datetime`` on the in-scope utterances.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tandem.agent.understand import TemplateParser, Understander, Understanding  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "xsid"
NOW = dt.datetime(2026, 11, 29, 15, 0)
INTENT_MAP = {"set_reminder": "reminder/set_reminder", "show_reminders": "reminder/show_reminders"}
SLOT_MAP = {"todo": "reminder/todo", "when": "datetime"}

# Common commands, phrased the way people phrase them (not taken from any evaluation set).
COMMON = [
    "Bestell mir eine Pizza ins Büro", "Buch zwei Kinokarten für Dune heute um 20 Uhr",
    "Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr",
    "order me a pizza to the office", "book two cinema tickets for Dune tonight at 8",
    "remind me to call mom tomorrow at 9am", "Erinnere mich morgen um 7:30 an den Müll",
    "帮我点一份披萨送到办公室", "订两张今晚八点的沙丘电影票", "明天下午3点半提醒我开会",
    "show my reminders", "Zeig mir meine Erinnerungen", "我有哪些提醒",
    "get us three tickets for Dune tomorrow at 5 pm", "bestell zwei Burger nach Hause",
]


def read_xsid(lang: str) -> list[dict[str, Any]]:
    """Utterances with intent and gold slot spans from a CoNLL file."""
    items, tokens, meta = [], [], {}
    for line in [*(EVAL / f"{lang}.valid.conll").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if tokens:
                items.append({"text": meta.get("text", ""), "intent": meta.get("intent", ""),
                              "slots": _spans(tokens, lang)})
            tokens, meta = [], {}
        elif line.startswith("# "):
            key, _, value = line[2:].partition(" = ")
            meta.setdefault(key.strip(), value.strip())
        else:
            parts = line.split("\t")
            if len(parts) >= 4:
                tokens.append((parts[1], parts[3]))
    return items


def _spans(tokens: list[tuple[str, str]], lang: str) -> set[tuple[str, str]]:
    spans, kind, words = set(), None, []
    for word, tag in [*tokens, ("", "O")]:
        if tag.startswith("I-") and kind == tag[2:]:
            words.append(word)
            continue
        if kind:
            spans.add((kind, _norm(("" if lang == "zh" else " ").join(words))))
        kind, words = (tag[2:], [word]) if tag != "O" else (None, [])
    return spans


def _norm(text: str) -> str:
    return re.sub(r"[\s.,!?;:，。！？]+", "", text.lower())


def predicted(u: Understanding) -> tuple[str, set[tuple[str, str]]]:
    if len(u.intents) != 1 or u.intents[0].name not in INTENT_MAP:
        return ("none" if not u.intents else "other"), set()
    intent = u.intents[0]
    spans = {(SLOT_MAP[k], _norm(v)) for k, v in intent.spans.items() if k in SLOT_MAP}
    return INTENT_MAP[intent.name], spans


def evaluate(lang: str, understander: Understander | TemplateParser, limit: int | None = None) -> dict[str, Any]:
    items = read_xsid(lang)
    if limit:
        items = random.Random(0).sample(items, limit)
    tp = fp = fn = in_scope = in_right = out_right = out_scope = answered = answered_right = 0
    tiers: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {}
    for item in items:
        started = time.perf_counter()
        if isinstance(understander, TemplateParser):
            u = understander.parse(item["text"], NOW)
        else:
            u = understander.understand(item["text"], NOW)
        latencies.setdefault(u.tier, []).append((time.perf_counter() - started) * 1000)
        tiers[u.tier] += 1
        intent, spans = predicted(u)
        if not isinstance(understander, TemplateParser):  # slow tiers: show progress
            print(f"{lang} {u.tier:6} {latencies[u.tier][-1]:8.0f} ms  {intent:24} {item['intent']:24} {item['text']}",
                  file=sys.stderr, flush=True)
        gold_in = item["intent"] in INTENT_MAP.values()
        gold_intent = item["intent"] if gold_in else "none"
        ok = intent == gold_intent
        if intent != "none":
            answered, answered_right = answered + 1, answered_right + ok
        if gold_in:
            in_scope += 1
            in_right += ok
            gold = {(k, v) for k, v in item["slots"] if k in SLOT_MAP.values()}
            tp, fp, fn = tp + len(spans & gold), fp + len(spans - gold), fn + len(gold - spans)
        else:
            out_scope += 1
            out_right += ok
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"lang": lang, "n": len(items),
            "in_scope": in_scope, "in_scope_intent_recall": round(in_right / max(in_scope, 1), 3),
            "out_of_scope": out_scope, "out_of_scope_left_alone": round(out_right / max(out_scope, 1), 3),
            "answered": answered, "answered_precision": round(answered_right / max(answered, 1), 3),
            "slot_f1": round(f1, 3),
            "tier_shares": {k: round(v / len(items), 3) for k, v in tiers.items()},
            "latency_ms": {k: _pcts(v) for k, v in latencies.items()}}


def _pcts(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"p50": round(statistics.median(values), 2), "p95": round(values[int(0.95 * (len(values) - 1))], 2),
            "n": len(values)}


def fast_latency(rounds: int = 50) -> dict[str, float]:
    parser = TemplateParser()
    parser.parse(COMMON[0], NOW)  # templates compile on first use, as at server start
    timings = []
    for _ in range(rounds):
        for text in COMMON:
            started = time.perf_counter()
            result = parser.parse(text, NOW)
            timings.append((time.perf_counter() - started) * 1000)
            assert result.matched, text
    return _pcts(timings)


def _enlarge(home: Path, showtime: str, rows: int, per_row: int) -> None:
    """Every showing of the film at that time gets ``rows`` × ``per_row`` seats: the shipped catalog has its
    own (smaller) showings of it then, and the agent may book any (200 flows need 200 seats)."""
    import sqlite3

    conn = sqlite3.connect(home / "partners" / "lichtspiel.cinema.db")
    with conn:
        film, starts = conn.execute("SELECT film_id, starts_at FROM showtimes WHERE id = ?", (showtime,)).fetchone()
        for (same,) in conn.execute("SELECT id FROM showtimes WHERE film_id = ? AND starts_at = ?", (film, starts)):
            conn.executemany("INSERT OR IGNORE INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                             [(same, f"{chr(65 + r)}{c + 1}", r, c) for r in range(rows) for c in range(per_row)])
    conn.close()


def crash(flows: int, kills: int) -> dict[str, Any]:
    """``tandem serve`` killed with SIGKILL ``kills`` times during ``flows`` order flows from an HTTP client."""
    from tandem.testing.agent import (
        check_exactly_once,
        confirmation_churn,
        flows_with_kills,
        partner_rows,
        schedule_film,
        write_profile,
    )

    home = Path(tempfile.mkdtemp(prefix="tandem-crash-")) / "home"
    showtime = schedule_film(home, "DE", "Dune", "Dune", rows=20, per_row=20)
    _enlarge(home, showtime, rows=20, per_row=20)
    write_profile(home, "DE")
    started = time.monotonic()
    run = flows_with_kills(home, flows, kills, random.Random(flows), window=(1.0, 8.0))
    counts = check_exactly_once(home, flows, "gabelpost.food", "lichtspiel.cinema")  # raises on any dup/loss
    keys = partner_rows(home, "gabelpost.food", "SELECT COUNT(*) AS n FROM idempotency")[0]["n"]
    return {"flows": flows, "kills": run["kills"], "orders": counts, "duplicates": 0, "lost": 0,
            **confirmation_churn(home), "food_idempotency_keys": keys, "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", type=int, default=0, help="xSID utterances per language for the device tier")
    parser.add_argument("--model", default="device:qwen2.5-0.5b", help="on-device model for --device")
    parser.add_argument("--crash", type=int, default=0, help="order flows for the kill -9 run")
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    report: dict[str, Any] = {"fast_tier_common_commands_ms": fast_latency()}
    report["xsid_fast"] = [evaluate(lang, TemplateParser()) for lang in ("en", "de", "zh")]
    if args.device:
        from tandem.config import load_settings
        from tandem.models.registry import ModelRegistry

        device = ModelRegistry(load_settings()).get(args.model)
        tiered = Understander(device=device)
        report["xsid_tiered"] = [evaluate(lang, tiered, args.device) for lang in ("en", "de", "zh")]
    if args.crash:
        report["crash"] = crash(args.crash, args.kills)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
