"""Real-time factor and accuracy of on-device speech: synthesis (piper, espeak-ng) and transcription (Whisper
tiny.en and base), measured in one run on this CPU.

    python bench/speech.py [--runs 2] [--renditions 8] [--json]

RTF = wall-clock processing seconds / audio seconds (below 1 is faster than real time); CPU RTF = CPU seconds
of this process per audio second, summed over its threads (about 2x RTF on an idle 2-core machine; it stays
put when other processes crowd the CPU and the wall clock does not); medians over ``--runs``.
Accuracy: WER for English and German (digits spelled out first, since Whisper writes "2" for "two"), CER
for Chinese. The German and Chinese audio comes from espeak-ng, a robotic voice: read those numbers as a
floor for what Whisper base does with synthetic speech, not as its accuracy on people.
Commands: the short ticket command per language, transcribed with the language given and detected, and
whether the agent's fast tier reads "two tickets for Dune/沙丘" from what was heard.
``--renditions``: piper samples its prosody; how often does each model mishear the short Dune command
across sampled renditions, versus Tandem's steady (noise-free) rendition?
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tandem.config import load_settings
from tandem.speech.audio import decode_audio, encode_audio
from tandem.speech.base import Audio, Synthesizer, Transcript
from tandem.speech.piper import PiperSynthesizer
from tandem.speech.registry import SpeechRegistry
from tandem.speech.voices import choose_voice
from tandem.speech.weights import piper_voice_files

TEXTS = {
    "en": ("joe", "Book two tickets for Dune tonight. Then remind me to call my sister tomorrow at nine in the "
                  "morning about the birthday party. What is the weather going to be like in Berlin this weekend? "
                  "Please find a quiet Italian restaurant near the cinema and reserve a table for two at seven."),
    "de": ("de", "Buche zwei Karten für Dune heute Abend. Erinnere mich morgen früh daran, meine Schwester wegen "
                 "der Geburtstagsfeier anzurufen. Wie wird das Wetter am Wochenende in Berlin?"),
    "zh": ("zh", "今晚订两张沙丘的电影票。明天早上提醒我给姐姐打电话，说生日聚会的事。这个周末柏林的天气怎么样？"),
}
DUNE = "Book two tickets for Dune tonight."
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


def timed_synthesis(synth: Synthesizer, text: str, speed: float, runs: int) -> tuple[Audio, float, float]:
    times, cpu, audio = [], [], None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        audio = synth.synthesize(text, speed=speed)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)  # espeak-ng runs in a child: its CPU is not counted
    assert audio is not None
    return audio, statistics.median(times) / audio.seconds, round(statistics.median(cpu) / audio.seconds, 3)


def timed_transcription(registry: SpeechRegistry, model: str, audio: Audio, lang: str,
                        runs: int) -> tuple[Transcript, float, float]:
    transcriber, times, cpu, result = registry.transcriber(model), [], [], None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        *_, result = transcriber.transcribe(audio, language=lang)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    assert isinstance(result, Transcript)
    return result, statistics.median(times) / audio.seconds, round(statistics.median(cpu) / audio.seconds, 3)


def bench_language(registry: SpeechRegistry, lang: str, speed: float, runs: int) -> list[dict[str, Any]]:
    voice, text = TEXTS[lang]
    choice = choose_voice(voice, text, registry.espeak_codes())
    synth = registry.synthesizer(choice)
    audio, tts_rtf, tts_cpu = timed_synthesis(synth, text, speed, runs)
    heard = decode_audio(encode_audio(audio, "mp3")[0])  # what an upload would be
    engine = f"{choice.backend}:{choice.voice}" + (f" x{speed:g}" if speed != 1 else "")
    rows = [{"task": "synthesis", "lang": lang, "engine": engine, "audio_s": round(audio.seconds, 1),
             "rtf": round(tts_rtf, 3), "cpu_rtf": tts_cpu}]
    models = ["device:whisper-tiny.en", "device:whisper-base"] if lang == "en" else ["device:whisper-base"]
    for model in models:
        transcript, rtf, cpu = timed_transcription(registry, model, heard, lang, runs)
        rows.append({"task": "transcription", "lang": lang, "engine": f"{model} <- {engine}", "cpu_rtf": cpu,
                     "audio_s": round(heard.seconds, 1),
                     "rtf": round(rtf, 3), "error": round(error_rate(text, transcript.text, lang), 3),
                     "metric": "CER" if lang == "zh" else "WER", "text": transcript.text})
    return rows


def bench_renditions(registry: SpeechRegistry, count: int) -> list[dict[str, Any]]:
    sampled = PiperSynthesizer(*piper_voice_files(lambda *a: None), variation=1.0)
    steady = registry.synthesizer(choose_voice("joe", DUNE, set()))
    rows = []
    for name, synth, n in (("piper sampled (variation 1.0)", sampled, count), ("piper steady (Tandem)", steady, 1)):
        clips = [decode_audio(encode_audio(synth.synthesize(DUNE), "mp3")[0]) for _ in range(n)]
        for model in ("device:whisper-tiny.en", "device:whisper-base"):
            transcriber = registry.transcriber(model)
            errors = [error_rate(DUNE, list(transcriber.transcribe(c, language="en"))[-1].text, "en") for c in clips]
            rows.append({"voice": name, "model": model, "renditions": n,
                         "misheard": sum(e > 0.10 for e in errors), "mean_wer": round(statistics.mean(errors), 3)})
    return rows


COMMANDS = {  # the short ticket command per language, and the film the agent must find in what was heard
    "en": ("joe", "Book two tickets for Dune tonight.", "dune"),
    "de": ("de", "Buche zwei Karten für Dune heute Abend.", "dune"),
    "zh": ("zh", "帮我订两张今晚的沙丘电影票", "沙丘"),
}


def bench_commands(registry: SpeechRegistry) -> list[dict[str, Any]]:
    """The voice round trip's first half per language: the spoken command → Whisper base (language given, and
    detected) → does the agent's fast tier read a ticket order for two, for that film?"""
    from tandem.agent.understand import TemplateParser

    parser, now, rows = TemplateParser(), dt.datetime(2026, 11, 29, 12), []
    transcriber = registry.transcriber("device:whisper-base")
    for lang, (voice, text, film) in COMMANDS.items():
        choice = choose_voice(voice, text, registry.espeak_codes())
        for speed in (1.0, 0.75) if choice.backend == "espeak" else (1.0,):
            audio = decode_audio(encode_audio(registry.synthesizer(choice).synthesize(text, speed=speed), "mp3")[0])
            for given in (lang, None):
                started = time.perf_counter()
                *_, heard = transcriber.transcribe(audio, language=given)
                assert isinstance(heard, Transcript)
                intents = parser.parse(heard.text, now).intents
                ok = any(i.name == "buy_movie_tickets" and i.slots.get("count") == 2 and
                         film in str(i.slots.get("film", "")).lower() for i in intents)
                rows.append({"lang": lang, "engine": f"{choice.backend}:{choice.voice} x{speed:g}",
                             "language": given or f"detected {heard.language}", "heard": heard.text,
                             "error": round(error_rate(text, heard.text, lang), 3), "understood": ok,
                             "seconds": round(time.perf_counter() - started, 2)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--renditions", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        registry = SpeechRegistry(load_settings(home=Path(home)))
        # Slower espeak may be clearer. Whisper writes traditional characters, which CER counts as wrong; a
        # simplified-Chinese prompt (the API's ``prompt`` field) did not help: base echoed it as the transcript.
        plan = [("en", 1.0), ("de", 1.0), ("de", 0.75), ("zh", 1.0), ("zh", 0.75)]
        rows = [row for lang, speed in plan for row in bench_language(registry, lang, speed, args.runs)]
        renditions = bench_renditions(registry, args.renditions) if args.renditions else []
        commands = bench_commands(registry)
    if args.json:
        print(json.dumps({"speech": rows, "renditions": renditions, "commands": commands}, ensure_ascii=False,
                         indent=1))
        return
    print(f"{'task':<14}{'lang':<5}{'engine':<52}{'audio s':>8}{'RTF':>7}{'CPU RTF':>8}{'error':>12}")
    for r in rows:
        error = f"{r['metric']} {r['error']:.1%}" if "error" in r else ""
        print(f"{r['task']:<14}{r['lang']:<5}{r['engine']:<52}{r['audio_s']:>8}{r['rtf']:>7}{r['cpu_rtf']:>8}"
              f"{error:>12}")
    for r in rows:
        if "text" in r:
            print(f"  {r['lang']} {r['engine']}:\n    {r['text']}")
    for r in renditions:
        print(f"{r['voice']:<30} {r['model']:<24} misheard {r['misheard']}/{r['renditions']}, "
              f"mean WER {r['mean_wer']:.1%}")
    print(f"\n{'command':<8}{'engine':<30}{'language':<14}{'error':>7}{'agent':>7}{'s':>6}  heard")
    for r in commands:
        print(f"{r['lang']:<8}{r['engine']:<30}{r['language']:<14}{r['error']:>7.1%}"
              f"{'yes' if r['understood'] else 'no':>7}{r['seconds']:>6}  {r['heard']}")


if __name__ == "__main__":
    main()
