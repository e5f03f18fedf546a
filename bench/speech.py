"""On-device speech per language (en, de, zh): accuracy and real-time factor of each recogniser on each voice,
and whether the agent reads the spoken ticket and food commands.

    python bench/speech.py [--runs 1] [--json]
    python bench/speech.py --requests de [--half report]   # held-apart requests, with and without context

Audio: every voice Tandem can speak each language with (the default one and others, so a recogniser is not
only measured on the voice it is paired with), encoded as mp3 and decoded as an upload would be, plus human
recordings where a package ships them: English read speech from Debian's ``pocketsphinx-testdata``
(LibriVox, 5 utterances; ``scripts/system-deps.sh`` installs it, and without it the bench says so and
measures the voices only). No package ships German or Chinese
recordings (see docs/results/speech.md).

RTF = wall-clock seconds / audio seconds (below 1 is faster than real time); CPU RTF = CPU seconds of this
process (all its threads) per audio second: about 2x RTF on an idle 2-core machine, and it stays put when other
processes crowd the CPU while the wall clock does not. Medians over ``--runs``.
Accuracy: WER for English and German (digits spelled out first: Whisper writes "2" for "two"), CER for
Chinese. ``agent``: the recogniser's text, heard as ``POST /v1/assistant/voice`` hears a new request (language
detected; primed with the names the partners list, e.g. the films showing: ``partner_vocabulary``), gives the
agent's fast tier the command's intent and slots: two tickets for Dune/沙丘, or a pizza/披萨.

``--requests LANG``: the held-apart requests of ``bench/data/understand.tsv`` in that language (written for the
understanding bench), split by the same stable hash into a tune half (decoding choices are made on it) and a
report half (``--half``, the default); each is spoken by the language's default voice and heard as a voice
turn hears it (language detected), once without and once with the partners' context
(``tandem.app.voice.spoken_context`` of the shipped manifests, in the languages of the ``asr_context``
setting, e.g. ``TANDEM_ASR_CONTEXT=de,zh``, as a voice turn uses it). Prints WER (CER for zh) and how many
in-scope requests the fast tier still reads as their intent, beside how many it reads from the written text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tandem.config import load_settings
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Audio, Synthesizer, Transcript
from tandem.speech.espeak import EspeakSynthesizer
from tandem.speech.registry import SpeechRegistry
from tandem.speech.silence import Padded

PASSAGES = {
    "en": "Book two tickets for Dune tonight. Then remind me to call my sister tomorrow at nine in the morning about "
          "the birthday party. What is the weather going to be like in Berlin this weekend? Please find a quiet "
          "Italian restaurant near the cinema and reserve a table for two at seven.",
    "de": "Buche zwei Karten für Dune heute Abend. Erinnere mich morgen früh daran, meine Schwester wegen der "
          "Geburtstagsfeier anzurufen. Wie wird das Wetter am Wochenende in Berlin?",
    "zh": "今晚订两张沙丘的电影票。明天早上提醒我给姐姐打电话，说生日聚会的事。这个周末柏林的天气怎么样？",
}
# (kind, text, intent, slot, expected value in the slot (lower case, substring))
COMMANDS = {
    "en": [("ticket", "Book two tickets for Dune tonight.", "buy_movie_tickets", "film", "dune"),
           ("food", "Order a pizza to the office.", "order_food", "dish", "pizza")],
    "de": [("ticket", "Buche zwei Karten für Dune heute Abend.", "buy_movie_tickets", "film", "dune"),
           ("food", "Bestell mir eine Pizza ins Büro.", "order_food", "dish", "pizza")],
    "zh": [("ticket", "帮我订两张今晚的沙丘电影票", "buy_movie_tickets", "film", "沙丘"),
           ("food", "帮我点一份披萨送到办公室", "order_food", "dish", "披萨")],
}
# the voice Tandem picks first, then others for the same language
VOICES = {"en": ["joe", "espeak-en-us"], "de": ["de", "espeak-de"], "zh": ["baker", "espeak-zh"]}
RECOGNISERS = {"en": ["device:whisper-tiny.en", "device:whisper-base"], "de": ["device:whisper-base"],
               "zh": ["device:whisper-base"]}
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
REQUESTS = Path(__file__).resolve().parent / "data" / "understand.tsv"
_DIGITS = {"en": "zero one two three four five six seven eight nine ten",
           "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn"}
_ZH_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def _words(text: str, lang: str) -> list[str]:
    names = _DIGITS.get(lang, "").split()
    return [names[int(w)] if w.isdigit() and int(w) < len(names) else w for w in re.findall(r"[\w']+", text.lower())]


def _distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def error_rate(reference: str, hypothesis: str, lang: str) -> float:
    """WER, or CER for Chinese (no spaces between words)."""
    if lang == "zh":
        chars = [list(re.sub(r"\W", "", "".join(_ZH_DIGITS.get(c, c) for c in t))) for t in (reference, hypothesis)]
        return _distance(*chars) / max(1, len(chars[0]))
    ref = _words(reference, lang)
    return _distance(ref, _words(hypothesis, lang)) / max(1, len(ref))


def _voice(registry: SpeechRegistry, name: str, lang: str) -> tuple[str, Synthesizer]:
    if "+" in name:  # an espeak-ng variant Tandem does not offer by name (a second German voice)
        return name, Padded(EspeakSynthesizer(name.split(":", 1)[1]))
    choice = registry.choose(name, PASSAGES[lang])
    return f"{choice.backend}:{choice.voice}", registry.synthesizer(choice)


def _timed(work: Callable[[], Any], runs: int) -> tuple[Any, float, float]:
    """The result, and median wall and CPU seconds over ``runs``."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)  # espeak-ng runs in a child: its CPU is not counted
    return result, statistics.median(walls), statistics.median(cpus)


def _hear(registry: SpeechRegistry, model: str, audio: Audio, lang: str | None, runs: int) -> tuple[Transcript, float,
                                                                                                     float]:
    transcriber = registry.transcriber(model)
    result, wall, cpu = _timed(lambda: list(transcriber.transcribe(audio, language=lang))[-1], runs)
    assert isinstance(result, Transcript)
    return result, wall, cpu


_REGIONS = {"en": "DE", "de": "DE", "zh": "CN"}  # where the shipped partners of each language are offered


@functools.cache
def partner_names(lang: str) -> dict[str, str]:
    """``tandem.app.voice.partner_vocabulary`` of the shipped partners offered where ``lang`` is spoken (their
    servers started in a temporary home, as a voice turn finds them)."""
    import anyio

    from tandem.app.assistant import open_assistant
    from tandem.app.voice import partner_vocabulary

    async def listed() -> dict[str, str]:
        with tempfile.TemporaryDirectory() as home:
            async with open_assistant(load_settings(home=Path(home), region=_REGIONS[lang])) as assistant:
                return await partner_vocabulary(assistant)

    return anyio.run(listed)


def _as_a_turn(registry: SpeechRegistry, audio: Audio, lang: str) -> Transcript:
    """``audio`` heard as ``POST /v1/assistant/voice`` hears a new request: language detected among the
    assistant's, primed with the partners' descriptions (setting ``asr_context``) and, where they list any,
    their names instead."""
    from tandem.app.voice import LANGUAGES, domain_context

    context = {**domain_context(registry.settings), **partner_names(lang)}
    transcriber = registry.transcriber(registry.stt_model("auto"))
    heard = list(transcriber.transcribe(audio, context=context or None, languages=LANGUAGES))[-1]
    assert isinstance(heard, Transcript)
    return heard


def _agent_reads(text: str, intent: str, slot: str, value: str) -> bool:
    from tandem.agent.understand import TemplateParser

    found = TemplateParser().parse(text, dt.datetime(2026, 11, 29, 12)).intents
    return any(i.name == intent and value in str(i.slots.get(slot, "")).lower() and
               (intent != "buy_movie_tickets" or i.slots.get("count") == 2) for i in found)


def bench_voice(registry: SpeechRegistry, lang: str, name: str, runs: int) -> list[dict[str, Any]]:
    """One voice: its synthesis speed, then each recogniser on its passage and commands."""
    engine, synth = _voice(registry, name, lang)
    spoken, wall, cpu = _timed(lambda: synth.synthesize(PASSAGES[lang]), runs)
    rows: list[dict[str, Any]] = [{"task": "synthesis", "lang": lang, "voice": engine, "audio_s": spoken.seconds,
                                   "rtf": wall / spoken.seconds, "cpu_rtf": cpu / spoken.seconds}]
    clips = [("passage", PASSAGES[lang], None, decode_audio(encode_audio(spoken, "mp3")[0]))]
    clips += [(kind, text, check, decode_audio(encode_audio(synth.synthesize(text), "mp3")[0]))
              for kind, text, *check in COMMANDS[lang]]
    for model in RECOGNISERS[lang]:
        for kind, text, check, audio in clips:
            heard, wall, cpu = _hear(registry, model, audio, lang, runs)
            row = {"task": kind, "lang": lang, "voice": engine, "model": model, "audio_s": audio.seconds,
                   "rtf": wall / audio.seconds, "cpu_rtf": cpu / audio.seconds, "text": heard.text,
                   "error": error_rate(text, heard.text, lang)}
            if check and model == registry.stt_model("auto"):  # the recogniser the voice endpoint uses
                detected = _as_a_turn(registry, audio, lang)
                row |= {"detected": detected.language, "agent": _agent_reads(detected.text, *check),
                        "agent_text": detected.text}
            rows.append(row)
    return rows


def bench_recordings(registry: SpeechRegistry, runs: int) -> list[dict[str, Any]]:
    """English read speech by a person (LibriVox via pocketsphinx-testdata), when installed."""
    if not (LIBRIVOX / "transcription").is_file():
        print(f"no human recordings: {LIBRIVOX} is missing (bash scripts/system-deps.sh installs "
              "pocketsphinx-testdata); measuring Tandem's voices only", file=sys.stderr)
        return []
    rows = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s> \((.+)\)", line.strip())
        if not match:
            continue
        audio = decode_audio((LIBRIVOX / f"{match[2]}.wav").read_bytes())
        for model in RECOGNISERS["en"]:
            heard, wall, cpu = _hear(registry, model, audio, "en", runs)
            rows.append({"task": "recording", "lang": "en", "voice": "LibriVox reader", "model": model,
                         "audio_s": audio.seconds, "rtf": wall / audio.seconds, "cpu_rtf": cpu / audio.seconds,
                         "text": heard.text, "error": error_rate(match[1], heard.text, "en")})
    return rows


def held_apart(lang: str, half: str) -> list[tuple[str, str | None]]:
    """(text, intent or None when out of scope) of the requests in ``half``, split as bench/understand.py does."""
    found = []
    for line in REQUESTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, intent, text, *_ = line.split("\t")
        digest = hashlib.sha256(f"{code}\t{text}".encode()).digest()
        if code == lang and ("tune" if digest[0] % 2 == 0 else "report") == half:
            found.append((text, None if intent == "-" else intent))
    return found


def _intent_read(text: str, intent: str) -> bool:
    from tandem.agent.understand import TemplateParser

    return any(i.name == intent for i in TemplateParser().parse(text, dt.datetime(2026, 11, 29, 12)).intents)


def bench_requests(registry: SpeechRegistry, lang: str, half: str) -> list[dict[str, Any]]:
    """Held-apart requests spoken by the default voice, heard without and with the partners' context."""
    from tandem.app.voice import spoken_context
    from tandem.partners import builtin_manifest_paths

    languages = {code.strip() for code in registry.settings.asr_context.split(",")}  # as a voice turn does
    context = {code: text for code, text in spoken_context(
        tomllib.loads(p.read_text(encoding="utf-8")) for p in builtin_manifest_paths()).items() if code in languages}
    transcriber = registry.transcriber(registry.stt_model("auto"))
    rows = []
    for text, intent in held_apart(lang, half):
        choice = registry.choose(lang, text)
        audio = decode_audio(encode_audio(registry.synthesizer(choice).synthesize(text), "mp3")[0])
        for label, given in (("none", None), ("partners", context)):
            started = time.process_time()
            heard = list(transcriber.transcribe(audio, context=given))[-1]
            assert isinstance(heard, Transcript)
            rows.append({"lang": lang, "half": half, "context": label, "voice": f"{choice.backend}:{choice.voice}",
                         "text": text, "heard": heard.text, "detected": heard.language,
                         "error": error_rate(text, heard.text, lang),
                         "cpu_rtf": (time.process_time() - started) / audio.seconds, "intent": intent,
                         "read": _intent_read(heard.text, intent) if intent else None,
                         "read_written": _intent_read(text, intent) if intent else None})
    return rows


def _print_requests(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(f"  {r['lang']} {r['context']:<9} {r['error']:>4.0%} [{r['detected']}] {r['text']} → {r['heard']}")
    print(f"\n{'lang':<5}{'half':<8}{'voice':<22}{'context':<10}{'n':>4}{'error':>7}{'intent read':>13}"
          f"{'from text':>11}{'CPU RTF':>9}")
    for key in dict.fromkeys((r["lang"], r["half"], r["voice"], r["context"]) for r in rows):
        group = [r for r in rows if (r["lang"], r["half"], r["voice"], r["context"]) == key]
        scoped = [r for r in group if r["intent"]]
        print(f"{key[0]:<5}{key[1]:<8}{key[2]:<22}{key[3]:<10}{len(group):>4}"
              f"{statistics.mean(r['error'] for r in group):>7.1%}"
              f"{sum(r['read'] for r in scoped):>8}/{len(scoped):<4}{sum(r['read_written'] for r in scoped):>6}/"
              f"{len(scoped):<4}{statistics.mean(r['cpu_rtf'] for r in group):>9.2f}")


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per language, voice and recogniser: mean error on the commands and the passage, agent reads, RTF."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if "model" in r:
            groups.setdefault((r["lang"], r["voice"], r["model"]), []).append(r)
    out = []
    for (lang, voice, model), group in groups.items():
        commands = [r for r in group if r["task"] in ("ticket", "food")]
        other = [r for r in group if r["task"] in ("passage", "recording")]
        seconds = sum(r["audio_s"] for r in group)
        out.append({"lang": lang, "voice": voice, "model": model,
                    "commands_error": statistics.mean(r["error"] for r in commands) if commands else None,
                    "passage_error": statistics.mean(r["error"] for r in other) if other else None,
                    "agent": [r["task"] for r in commands if r.get("agent")] if commands and "agent" in commands[0]
                    else None,
                    "rtf": sum(r["rtf"] * r["audio_s"] for r in group) / seconds,
                    "cpu_rtf": sum(r["cpu_rtf"] * r["audio_s"] for r in group) / seconds})
    return out


def _print(rows: list[dict[str, Any]], table: list[dict[str, Any]]) -> None:
    metric = {"zh": "CER"}
    print(f"{'lang':<5}{'voice':<24}{'recogniser':<24}{'commands':>10}{'passage':>9}{'agent reads':>14}"
          f"{'RTF':>6}{'CPU RTF':>8}")
    for t in table:
        name = metric.get(t["lang"], "WER")
        commands = f"{t['commands_error']:.0%}" if t["commands_error"] is not None else "-"
        passage = f"{t['passage_error']:.0%}" if t["passage_error"] is not None else "-"
        agent = "-" if t["agent"] is None else "+".join(t["agent"]) or "none"
        print(f"{t['lang']:<5}{t['voice']:<24}{t['model']:<24}{name + ' ' + commands:>10}{passage:>9}{agent:>14}"
              f"{t['rtf']:>6.2f}{t['cpu_rtf']:>8.2f}")
    print(f"\n{'lang':<5}{'voice':<24}{'task':<10}{'RTF':>6}{'CPU RTF':>8}  (synthesis)")
    for r in rows:
        if r["task"] == "synthesis":
            print(f"{r['lang']:<5}{r['voice']:<24}{'passage':<10}{r['rtf']:>6.2f}{r['cpu_rtf']:>8.2f}")
    print("\nwhat was heard (language given; agent: language detected):")
    for r in rows:
        if "text" in r:
            extra = f"   [agent {'reads' if r['agent'] else 'misses'}: {r['agent_text']}]" if "agent" in r else ""
            print(f"  {r['lang']} {r['voice']} → {r['model']} {r['task']} ({r['error']:.0%}): {r['text']}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--requests", nargs="+", choices=sorted(VOICES), help="languages of held-apart requests")
    parser.add_argument("--half", choices=("tune", "report"), default="report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        registry = SpeechRegistry(load_settings(home=Path(home)))
        if args.requests:
            found = [r for lang in args.requests for r in bench_requests(registry, lang, args.half)]
            print(json.dumps(found, ensure_ascii=False, indent=1)) if args.json else _print_requests(found)
            return
        rows = [row for lang, names in VOICES.items() for name in names
                for row in bench_voice(registry, lang, name, args.runs)]
        rows += bench_recordings(registry, args.runs)
    table = summary(rows)
    if args.json:
        print(json.dumps({"summary": table, "rows": rows}, ensure_ascii=False, indent=1))
    else:
        _print(rows, table)


if __name__ == "__main__":
    main()
