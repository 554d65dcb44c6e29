#!/usr/bin/env python3
"""The narration check measured: recognition speed, its cost in a cold build, and each voice's
word error rates on the corpus, from which the per-voice thresholds in pipeline/hearing/check.py come.

    .venv/bin/python scripts/bench_hearing.py [--voices pyttsx3,piper] [--lessons A.txt B.md …]
                                              [--no-build]

For each voice, every lesson (default: the sample and the corpus in tests/data/corpus) is
narrated into a fresh cache with the course lexicon, and each slide's audio transcribed afresh
(no transcript cache), timed; then checked against its script. Printed per voice: recognition
seconds per minute of audio, word error rate per lesson, the spread of slide word error rates,
the thresholds that follow (a slide is flagged above the worst slide of these good narrations,
plus a margin; slides with fewer words misheard than the check flags are left out) and the words
the recognizer mishears nearly every time in that voice.

Then (unless ``--no-build``) the sample lesson is built cold twice in this one run, with the check
and with ``--no-hearing``, each into a fresh build folder and cache, and the ratio printed.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build.inputs import load_storyboard  # noqa: E402 - after the path set-up, so it runs from a checkout
from pipeline.hearing import check  # noqa: E402
from pipeline.hearing.recognizer import WhisperRecognizer  # noqa: E402
from pipeline.hearing.words import script_words  # noqa: E402
from pipeline.narration import NarrationSettings, get_engine, load_lexicon, narrate  # noqa: E402
from pipeline.narration.audio import write_silence  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402

SAMPLE = ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt"
CORPUS = ROOT / "tests" / "data" / "corpus"
LEXICON = ROOT / "slides" / "lexicon.yaml"
# A blind spot: a word said at least this often in the corpus and misheard at least this share of the times.
BLIND_SPOT_MIN_SAID = 3
BLIND_SPOT_SHARE = 0.8


def lessons_of(args: argparse.Namespace) -> list[Path]:
    if args.lessons:
        return [Path(p) for p in args.lessons]
    return [SAMPLE, *sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))]


def measure_voice(engine_name: str, lessons: list[Path], recognizer: WhisperRecognizer, work: Path) -> None:
    """Narrate and hear every lesson in one voice; print its figures and the thresholds they give."""
    lexicon = load_lexicon(LEXICON)
    settings = NarrationSettings(engine=engine_name)
    key = check.voice_key(engine_name, settings.voice)
    heard_s = audio_s = 0.0
    slide_wers: list[float] = []
    flaggable: list[float] = []  # slides with enough words misheard to be flagged at all
    said: Counter[str] = Counter()
    misheard: Counter[str] = Counter()
    lines = []
    with contextlib.closing(get_engine(engine_name)) as engine:
        for lesson in lessons:
            storyboard = load_storyboard(lesson)
            started = time.monotonic()
            narration = narrate(
                storyboard,
                settings,
                cache_dir=work / "cache",
                out_dir=work / engine_name / lesson.stem,
                lexicon=lexicon,
                engine=engine,
            )
            narrate_s = time.monotonic() - started
            slides = []
            for slide, audio in zip(storyboard.slides, narration.slides, strict=True):
                started = time.monotonic()
                transcript = recognizer.transcribe(audio.path)
                heard_s += time.monotonic() - started
                audio_s += audio.duration_s
                slides.append((slide.n, split_sentences(slide.narration), transcript))
            hearing = check.hear_narration(slides, voice=key, lexicon=lexicon.entries)
            slide_wers.extend(s.wer for s in hearing.slides if s.script_words)
            flaggable.extend(s.wer for s in hearing.slides if len(s.errors) >= check.MIN_FLAGGED_ERRORS)
            for _, sentences, _ in slides:
                for word in script_words(sentences):
                    said[word.text] += 1
            for s in hearing.slides:
                for e in s.errors:
                    if e.kind != "added":
                        misheard[e.expected] += 1
            worst = max(hearing.slides, key=lambda s: s.wer)
            lines.append(
                f"  {lesson.stem:<45} wer {hearing.wer:6.1%}  worst slide {worst.n} {worst.wer:6.1%}  "
                f"(narrated in {narrate_s:.1f} s)"
            )
    print(f"\nvoice {key}: {len(lessons)} lessons, {len(slide_wers)} slides, {audio_s / 60:.1f} min of audio")
    print("\n".join(lines))
    print(
        f"  recognition: {heard_s:.1f} s for {audio_s / 60:.1f} min of audio = "
        f"{heard_s / (audio_s / 60):.2f} s per minute of audio"
    )
    quantiles = statistics.quantiles(slide_wers, n=10)
    print(
        f"  slide wer: median {statistics.median(slide_wers):.1%}, 90th percentile {quantiles[-1]:.1%}, "
        f"max {max(slide_wers):.1%}; whole corpus "
        f"{sum(misheard.values()) / max(1, sum(said.values())):.1%} of script words missed or substituted"
    )
    check_wer = math.ceil((max(flaggable) + 0.05) * 20) / 20
    print(
        f"  threshold: check_wer={check_wer:.2f} (the worst slide with {check.MIN_FLAGGED_ERRORS} or more words "
        f"misheard, {max(flaggable):.1%}, + 5 points, up to a multiple of 0.05)"
    )
    blind = sorted(
        w for w, n in said.items() if n >= BLIND_SPOT_MIN_SAID and misheard[w] >= BLIND_SPOT_SHARE * n and len(w) >= 4
    )
    print(f"  blind spots ({len(blind)}): {' '.join(blind)}")


def cold_builds(work: Path) -> None:
    """The sample built cold with the check and without it, in this one run; the ratio printed."""
    times: dict[str, list[float]] = defaultdict(list)
    for round_ in range(2):
        for label, extra in (("with check", []), ("--no-hearing", ["--no-hearing"])):
            build = work / f"build-{round_}-{len(extra)}"
            command = [sys.executable, "-m", "pipeline", "video", "--build", str(build), *extra, str(SAMPLE)]
            started = time.monotonic()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times[label].append(time.monotonic() - started)
    with_check, without = min(times["with check"]), min(times["--no-hearing"])
    print(
        f"\ncold build of the sample (best of 2 each): {with_check:.1f} s with the check, "
        f"{without:.1f} s with --no-hearing: ratio {with_check / without:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", default="pyttsx3,piper", help="speech engines to measure, comma-separated")
    parser.add_argument("--lessons", nargs="*", help="lesson files (default: the sample and the corpus)")
    parser.add_argument("--no-build", action="store_true", help="skip the cold builds with and without the check")
    args = parser.parse_args()
    recognizer = WhisperRecognizer()
    with tempfile.TemporaryDirectory(prefix="bench-hearing-") as tmp:
        work = Path(tmp)
        # The model loads on first use: time that apart, on a second of silence.
        write_silence(work / "silence.wav", 1.0)
        started = time.monotonic()
        recognizer.transcribe(work / "silence.wav")
        print(f"recognizer: model verified and loaded, one second heard, in {time.monotonic() - started:.2f} s")
        for voice in args.voices.split(","):
            measure_voice(voice.strip(), lessons_of(args), recognizer, work)
        if not args.no_build:
            cold_builds(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
