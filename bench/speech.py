"""On-device speech per language (en, de, zh): accuracy and real-time factor of each recogniser on each voice,
and whether the agent reads the spoken ticket and food commands.

    python bench/speech.py [--runs 1] [--json]
    python bench/speech.py --requests de [--half report]   # held-apart requests, with and without context
    python bench/speech.py --turns [--runs 3]               # a turn's RTF, before and after session 8

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
Chinese, with the language given and no prompt (the recogniser alone). ``agent``: the upload heard as
``POST /v1/assistant/voice`` hears a new request (``tandem.app.voice.hear`` with ``listening``: language detected,
primed with how requests to the shipped partners sound), its error, and whether the agent's fast tier reads the
command's intent and slots from it (two tickets for Dune/沙丘, a pizza/披萨 ...). Commands: the issue's ticket and
food commands, and per language two held apart ("ticket+", "food+": other films, dishes, counts and days, written
before the priming was first run; nothing is tuned on any of them).

``--turns``: the turn's real-time factor against the two passes it replaced, side by side in one run (alternating
on the same clips, so the machine's load falls on both alike): faster-whisper's own ``detect_language`` then
``transcribe`` in the detected language with the same prompt (VAD, features and the 30 s encoding each done twice),
and ``tandem.app.voice.hear`` (each once). The default voices' commands per language, medians over ``--runs``.

``--requests LANG``: the held-apart requests of ``bench/data/understand.tsv`` in that language (written for the
understanding bench), split by the same stable hash into a tune half (decoding choices are made on it) and a
report half (``--half``, the default); each is spoken by the language's default voice (or ``--voice``) and heard
as a voice turn hears a new request (language detected), once unprimed and once primed as ``listening`` primes
it (in the languages of the ``asr_context`` setting). Prints WER (CER for zh) and how many in-scope requests the
fast tier still reads as their intent, beside how many it reads from the written text.
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
# (kind, text, intent, slot, expected value in the slot (lower case, substring), count or None). The first two per
# language are the issue's commands; the "+"-kinds are held apart: written in session 7 before any run with the
# request priming (tandem.app.voice.request_context) and never tuned on, other films, dishes, counts and days.
COMMANDS = {
    "en": [("ticket", "Book two tickets for Dune tonight.", "buy_movie_tickets", "film", "dune", 2),
           ("food", "Order a pizza to the office.", "order_food", "dish", "pizza", None),
           ("ticket+", "Get us three tickets for Seven Lanterns tomorrow evening.", "buy_movie_tickets", "film",
            "seven lanterns", 3),
           ("food+", "Order two noodle soups to my home.", "order_food", "dish", "noodle soup", 2)],
    "de": [("ticket", "Buche zwei Karten für Dune heute Abend.", "buy_movie_tickets", "film", "dune", 2),
           ("food", "Bestell mir eine Pizza ins Büro.", "order_food", "dish", "pizza", None),
           ("ticket+", "Kauf uns drei Kinokarten für Sieben Laternen morgen Abend.", "buy_movie_tickets", "film",
            "sieben laternen", 3),
           ("food+", "Bring mir bitte eine Nudelsuppe nach Hause.", "order_food", "dish", "nudelsuppe", None)],
    "zh": [("ticket", "帮我订两张今晚的沙丘电影票", "buy_movie_tickets", "film", "沙丘", 2),
           ("food", "帮我点一份披萨送到办公室", "order_food", "dish", "披萨", None),
           ("ticket+", "帮我买三张明天晚上的七盏灯电影票", "buy_movie_tickets", "film", "七盏灯", 3),
           ("food+", "给我叫两碗牛肉面送到家里", "order_food", "dish", "牛肉面", 2)],
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
def heard_as(lang: str) -> Any:
    """``tandem.app.voice.listening`` for a new request to the shipped partners offered where ``lang`` is spoken
    (their servers started in a temporary home, as a voice turn finds them)."""
    import anyio

    from tandem.app.assistant import open_assistant
    from tandem.app.voice import listening

    async def primed() -> Any:
        with tempfile.TemporaryDirectory() as home:
            async with open_assistant(load_settings(home=Path(home), region=_REGIONS[lang])) as assistant:
                return await listening(assistant)

    return anyio.run(primed)


def _as_a_turn(registry: SpeechRegistry, upload: bytes, lang: str) -> Transcript:
    """An upload heard as ``POST /v1/assistant/voice`` hears a new request (``tandem.app.voice.hear``): language
    detected among the assistant's, primed with how requests to the partners sound."""
    from tandem.app.voice import hear

    return hear(registry, upload, None, heard_as(lang))


def _heard_text(registry: SpeechRegistry, upload: bytes, lang: str) -> str:
    return _as_a_turn(registry, upload, lang).text


def _agent_reads(text: str, intent: str, slot: str, value: str, count: int | None) -> bool:
    from tandem.agent.understand import TemplateParser

    found = TemplateParser().parse(text, dt.datetime(2026, 11, 29, 12)).intents
    return any(i.name == intent and value in str(i.slots.get(slot, "")).lower() and
               (count is None or i.slots.get("count") == count) for i in found)


def bench_voice(registry: SpeechRegistry, lang: str, name: str, runs: int) -> list[dict[str, Any]]:
    """One voice: its synthesis speed, then each recogniser on its passage and commands."""
    engine, synth = _voice(registry, name, lang)
    spoken, wall, cpu = _timed(lambda: synth.synthesize(PASSAGES[lang]), runs)
    rows: list[dict[str, Any]] = [{"task": "synthesis", "lang": lang, "voice": engine, "audio_s": spoken.seconds,
                                   "rtf": wall / spoken.seconds, "cpu_rtf": cpu / spoken.seconds}]
    clips: list[tuple[str, str, list[Any] | None, bytes]] = [("passage", PASSAGES[lang], None,
                                                             encode_audio(spoken, "mp3")[0])]
    clips += [(kind, text, check, encode_audio(synth.synthesize(text), "mp3")[0])
              for kind, text, *check in COMMANDS[lang]]
    heard_as(lang)  # the partners' servers start once, outside the timings
    for model in RECOGNISERS[lang]:
        for kind, text, check, upload in clips:
            audio = decode_audio(upload)
            heard, wall, cpu = _hear(registry, model, audio, lang, runs)
            row = {"task": kind, "lang": lang, "voice": engine, "model": model, "audio_s": audio.seconds,
                   "rtf": wall / audio.seconds, "cpu_rtf": cpu / audio.seconds, "text": heard.text,
                   "error": error_rate(text, heard.text, lang)}
            if check and model == registry.stt_model("auto"):  # the recogniser the voice endpoint uses
                started, cpu = time.perf_counter(), time.process_time()
                detected = _as_a_turn(registry, upload, lang)
                row |= {"detected": detected.language, "agent": _agent_reads(detected.text, *check),
                        "agent_text": detected.text, "agent_error": error_rate(text, detected.text, lang),
                        "agent_rtf": (time.perf_counter() - started) / audio.seconds,
                        "agent_cpu_rtf": (time.process_time() - cpu) / audio.seconds}
            rows.append(row)
    return rows


def _two_passes(model: Any, upload: bytes, listening: Any) -> str:
    """A new request heard as before session 8: faster-whisper detects the language (VAD, features, encoding),
    then transcribes in it with the prompt (all three again)."""
    from tandem.app.voice import LANGUAGES
    from tandem.speech.whisper import BOUNDED, token_budget

    audio = decode_audio(upload)
    _, _, ranked = model.detect_language(audio.samples, vad_filter=True)
    code = max(((c, p) for c, p in ranked if c in LANGUAGES), key=lambda cp: cp[1])[0]
    pieces, _ = model.transcribe(audio.samples, language=code, initial_prompt=listening.context.get(code),
                                 beam_size=5, max_new_tokens=token_budget(audio.seconds), temperature=[0.0],
                                 vad_filter=True, **BOUNDED)
    return "".join(p.text for p in pieces).strip()


def bench_turns(registry: SpeechRegistry, languages: list[str], runs: int) -> list[dict[str, Any]]:
    """Each language's commands spoken by its default voice, heard as a new request by the two passes a turn took
    before (``_two_passes``) and by ``hear``, alternating ``runs`` times."""
    from faster_whisper import WhisperModel

    from tandem.speech.weights import whisper_dir

    model_id = registry.stt_model("auto")
    model = WhisperModel(str(whisper_dir(model_id, registry.settings.models_dir, lambda *_: None)), device="cpu",
                         compute_type="int8", cpu_threads=registry.settings.threads, local_files_only=True)
    rows = []
    for lang in languages:
        listening = heard_as(lang)
        for kind, text, *spec in COMMANDS[lang]:
            check: list[Any] = spec
            upload = encode_audio(registry.synthesizer(registry.choose(lang, text)).synthesize(text), "mp3")[0]
            seconds = decode_audio(upload).seconds
            timings: dict[str, list[tuple[float, float]]] = {"before": [], "turn": []}
            heard = {}
            passes: dict[str, Callable[[], str]] = {
                "before": functools.partial(_two_passes, model, upload, listening),
                "turn": functools.partial(_heard_text, registry, upload, lang)}
            for _ in range(runs):
                for label, work in passes.items():
                    heard[label], wall, cpu = _timed(work, 1)
                    timings[label].append((wall, cpu))
            rows.append({"lang": lang, "task": kind, "audio_s": seconds, "text": text, "agent": _agent_reads(
                heard["turn"], *check), "error": error_rate(text, heard["turn"], lang)} | {
                f"{label}_{what}": statistics.median(t[i] for t in got) / seconds
                for label, got in timings.items() for i, what in enumerate(("rtf", "cpu_rtf"))} | {
                f"{label}_text": said for label, said in heard.items()})
    return rows


def _print_turns(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(f"  {r['lang']} {r['task']:<8} {r['audio_s']:.1f} s  before {r['before_text']}  |  turn {r['turn_text']}")
    print(f"\n{'lang':<5}{'clips':>6}{'audio s':>8}{'CPU RTF before':>16}{'turn':>6}{'ratio':>7}"
          f"{'RTF before':>12}{'turn':>6}{'ratio':>7}{'error':>7}{'agent reads':>13}")
    for lang in dict.fromkeys(r["lang"] for r in rows):
        group = [r for r in rows if r["lang"] == lang]
        seconds = sum(r["audio_s"] for r in group)
        rtf = {k: sum(r[k] * r["audio_s"] for r in group) / seconds
               for k in ("before_cpu_rtf", "turn_cpu_rtf", "before_rtf", "turn_rtf")}
        print(f"{lang:<5}{len(group):>6}{seconds:>8.1f}{rtf['before_cpu_rtf']:>16.2f}{rtf['turn_cpu_rtf']:>6.2f}"
              f"{rtf['turn_cpu_rtf'] / rtf['before_cpu_rtf']:>7.2f}{rtf['before_rtf']:>12.2f}{rtf['turn_rtf']:>6.2f}"
              f"{rtf['turn_rtf'] / rtf['before_rtf']:>7.2f}{statistics.mean(r['error'] for r in group):>7.0%}"
              f"{sum(r['agent'] for r in group):>9}/{len(group)}")


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


def bench_requests(registry: SpeechRegistry, lang: str, half: str, voice: str | None = None) -> list[dict[str, Any]]:
    """Held-apart requests spoken by the language's default voice (or ``voice``), heard as a voice turn hears a
    new request (``tandem.app.voice.hear``), unprimed and primed (``listening``)."""
    from tandem.app.voice import Listening, hear
    from tandem.errors import InvalidRequest

    rows = []
    for text, intent in held_apart(lang, half):
        choice = registry.choose(voice or lang, text)
        upload = encode_audio(registry.synthesizer(choice).synthesize(text), "mp3")[0]
        seconds = decode_audio(upload).seconds
        for label, listening in (("none", Listening()), ("partners", heard_as(lang))):
            started = time.process_time()
            try:
                heard = hear(registry, upload, None, listening)
                said, detected = heard.text, heard.language
            except InvalidRequest:  # nothing heard
                said, detected = "", "-"
            rows.append({"lang": lang, "half": half, "context": label, "voice": f"{choice.backend}:{choice.voice}",
                         "text": text, "heard": said, "detected": detected, "error": error_rate(text, said, lang),
                         "cpu_rtf": (time.process_time() - started) / seconds, "intent": intent,
                         "read": _intent_read(said, intent) if intent else None,
                         "read_written": _intent_read(text, intent) if intent else None})
    return rows


def _aggregates_only(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows without their words where they are report-half items: those are never read while tuning."""
    return [r if r["half"] == "tune" else {k: v for k, v in r.items() if k not in ("text", "heard")} for r in rows]


def _print_requests(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        if r["half"] != "tune":  # a report-half item is counted, never shown
            continue
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


def _mean(values: list[float]) -> float | None:
    return statistics.mean(values) if values else None


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per language, voice and recogniser: mean error on the issue's commands, the held-apart ones and the
    passage (language given, no prompt), the same commands heard as a voice turn and what the agent reads, RTF."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if "model" in r:
            groups.setdefault((r["lang"], r["voice"], r["model"]), []).append(r)
    out = []
    for (lang, voice, model), group in groups.items():
        issue = [r for r in group if r["task"] in ("ticket", "food")]
        held = [r for r in group if r["task"].endswith("+")]
        turns = [r for r in group if "agent" in r]
        other = [r for r in group if r["task"] in ("passage", "recording")]
        seconds = sum(r["audio_s"] for r in group)
        turn_s = sum(r["audio_s"] for r in turns)
        out.append({"lang": lang, "voice": voice, "model": model,
                    "commands_error": _mean([r["error"] for r in issue]),
                    "held_error": _mean([r["error"] for r in held]),
                    "passage_error": _mean([r["error"] for r in other]),
                    "turn_error": _mean([r["agent_error"] for r in turns if r["task"] in ("ticket", "food")]),
                    "turn_held_error": _mean([r["agent_error"] for r in turns if r["task"].endswith("+")]),
                    "agent": [r["task"] for r in turns if r["agent"]] if turns else None,
                    "rtf": sum(r["rtf"] * r["audio_s"] for r in group) / seconds,
                    "cpu_rtf": sum(r["cpu_rtf"] * r["audio_s"] for r in group) / seconds,
                    "turn_rtf": sum(r["agent_rtf"] * r["audio_s"] for r in turns) / turn_s if turns else None,
                    "turn_cpu_rtf": sum(r["agent_cpu_rtf"] * r["audio_s"] for r in turns) / turn_s if turns else None})
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _print(rows: list[dict[str, Any]], table: list[dict[str, Any]]) -> None:
    metric = {"zh": "CER"}
    print("recogniser alone (language given, no prompt) | as a voice turn hears a new request (detected, primed)")
    print(f"{'lang':<5}{'voice':<24}{'recogniser':<24}{'metric':>7}{'cmds':>6}{'held':>6}{'passage':>8}"
          f"{'RTF':>6}{'CPU':>6} |{'cmds':>6}{'held':>6}{'agent reads':>34}{'RTF':>6}{'CPU':>6}")
    for t in table:
        agent = "-" if t["agent"] is None else "+".join(t["agent"]) or "none"
        turn_rtf = "-" if t["turn_rtf"] is None else f"{t['turn_rtf']:.2f}"
        turn_cpu = "-" if t["turn_cpu_rtf"] is None else f"{t['turn_cpu_rtf']:.2f}"
        print(f"{t['lang']:<5}{t['voice']:<24}{t['model']:<24}{metric.get(t['lang'], 'WER'):>7}"
              f"{_pct(t['commands_error']):>6}{_pct(t['held_error']):>6}{_pct(t['passage_error']):>8}"
              f"{t['rtf']:>6.2f}{t['cpu_rtf']:>6.2f} |{_pct(t['turn_error']):>6}{_pct(t['turn_held_error']):>6}"
              f"{agent:>34}{turn_rtf:>6}{turn_cpu:>6}")
    print(f"\n{'lang':<5}{'voice':<24}{'task':<10}{'RTF':>6}{'CPU RTF':>8}  (synthesis)")
    for r in rows:
        if r["task"] == "synthesis":
            print(f"{r['lang']:<5}{r['voice']:<24}{'passage':<10}{r['rtf']:>6.2f}{r['cpu_rtf']:>8.2f}")
    print("\nwhat was heard (language given; agent: as a voice turn hears it):")
    for r in rows:
        if "text" in r:
            extra = f"   [agent {'reads' if r['agent'] else 'misses'} ({r['agent_error']:.0%}): {r['agent_text']}]" \
                if "agent" in r else ""
            print(f"  {r['lang']} {r['voice']} → {r['model']} {r['task']} ({r['error']:.0%}): {r['text']}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--requests", nargs="+", choices=sorted(VOICES), help="languages of held-apart requests")
    parser.add_argument("--turns", action="store_true", help="a turn's RTF against the two passes it replaced")
    parser.add_argument("--half", choices=("tune", "report"), default="report")
    parser.add_argument("--languages", nargs="+", choices=sorted(VOICES), default=sorted(VOICES),
                        help="measure only these languages' voices (and the human recordings only with en)")
    parser.add_argument("--voice", help="with --requests: speak them with this voice (default: the language's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        registry = SpeechRegistry(load_settings(home=Path(home)))
        if args.requests:
            found = [r for lang in args.requests for r in bench_requests(registry, lang, args.half, args.voice)]
            print(json.dumps(_aggregates_only(found), ensure_ascii=False, indent=1)) if args.json \
                else _print_requests(found)
            return
        if args.turns:
            found = bench_turns(registry, args.languages, args.runs)
            print(json.dumps(found, ensure_ascii=False, indent=1)) if args.json else _print_turns(found)
            return
        rows = [row for lang, names in VOICES.items() if lang in args.languages for name in names
                for row in bench_voice(registry, lang, name, args.runs)]
        rows += bench_recordings(registry, args.runs) if "en" in args.languages else []
    table = summary(rows)
    if args.json:
        print(json.dumps({"summary": table, "rows": rows}, ensure_ascii=False, indent=1))
    else:
        _print(rows, table)


if __name__ == "__main__":
    main()
