#!/usr/bin/env python3
"""Measure each speech engine's speaking rate at its own speed settings, for the tables in its module.

    .venv/bin/python scripts/calibrate_voices.py [--engines pyttsx3,piper] [LESSON ...]

Engines are given a speaking rate: average words (``pipeline.budget.spoken_words``: syllables
and clause breaks over 1.5) a minute of speech, pauses between sentences left out; the budget's
pace model derives it from the pace. Each engine maps the rate to its own setting (espeak's
rate, Piper's length_scale) through a table of measured points; this script measures them.
Every sentence of the lessons (default: every lesson in slides/; pass more, the more the better)
is synthesized afresh at each setting, as narrate() does (each lesson's lexicon applied, silence
trimmed at both ends, which is also how the pipeline joins sentences), and the rate is the
scripts' average words over the trimmed speech time. It prints each engine's table to paste into
its module, and each lesson's own rate at every setting so outliers show.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.budget import spoken_words  # noqa: E402 - after the path set-up, so it runs from a checkout
from pipeline.build import discover_lessons, load_storyboard  # noqa: E402
from pipeline.narration import PiperEngine, Pyttsx3Engine, SpeechEngine, load_lexicon  # noqa: E402
from pipeline.narration.audio import load_wav, seconds, trim  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402

# The rates --wpm 130 to 180 need lie between espeak rates of about 125 and 190.
ESPEAK_RATES = (90, 110, 120, 130, 140, 150, 160, 170, 180, 190, 210)
PIPER_SCALES = (1.8, 1.5, 1.35, 1.25, 1.15, 1.0, 0.85, 0.7)


@dataclass(frozen=True, slots=True)
class Sentence:
    lesson: str
    script: str  # as written: what the budget counts
    spoken: str  # after the lesson's lexicon: what the engine says


def measure(engine: SpeechEngine, sentences: list[Sentence], speaking_wpm: float, work: Path) -> dict[str, float]:
    """Average words a minute of trimmed speech, per lesson and overall (``""``), at ``speaking_wpm``."""

    def one(item: tuple[int, Sentence]) -> float:
        i, sentence = item
        out = work / f"{engine.name}-{speaking_wpm:.0f}-{i:03d}.wav"
        engine.synthesize(sentence.spoken, out, voice="", speaking_wpm=speaking_wpm)
        return seconds(trim(load_wav(out)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        speech_s = list(pool.map(one, enumerate(sentences)))
    words: dict[str, float] = defaultdict(float)
    times: dict[str, float] = defaultdict(float)
    for sentence, length in zip(sentences, speech_s, strict=True):
        for key in (sentence.lesson, ""):
            words[key] += spoken_words(sentence.script)
            times[key] += length
    return {key: words[key] / times[key] * 60 for key in words}


def raw_engine(engine_name: str) -> tuple[SpeechEngine, list[tuple[float, float]]]:
    """An engine speaking at its raw settings, and (raw setting, the speaking_wpm to pass for it) per grid point.

    The engines map speaking_wpm through a calibration table; given the grid points themselves as
    the table, the engine uses exactly the grid point's setting.
    """
    if engine_name == "pyttsx3":
        rates: list[tuple[float, float]] = [(r, float(r)) for r in ESPEAK_RATES]
        return Pyttsx3Engine(calibration=rates), rates
    if engine_name == "piper":
        # The rate is about inverse to length_scale, so 150 / scale keeps speaking_wpm near the real rate;
        # Piper interpolates in 1 / speaking_wpm, in which these points lie on one line.
        scales = [(s, 150 / s) for s in PIPER_SCALES]
        return PiperEngine(calibration=scales), scales
    raise SystemExit(f"no calibration grid for engine {engine_name!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="pyttsx3,piper")
    parser.add_argument("lessons", nargs="*", type=Path, metavar="LESSON", help="default: every lesson in slides/")
    args = parser.parse_args()

    lessons = args.lessons or discover_lessons(ROOT / "slides")
    sentences: list[Sentence] = []
    for lesson in lessons:
        lexicon = load_lexicon(lesson.parent / "lexicon.yaml")
        board = load_storyboard(lesson)
        for slide in board.slides:
            sentences.extend(Sentence(lesson.stem, s, lexicon.apply(s)) for s in split_sentences(slide.narration))
    total = sum(spoken_words(s.script) for s in sentences)
    print(f"{len(lessons)} lessons: {len(sentences)} sentences, {total:.0f} average words")
    with tempfile.TemporaryDirectory(prefix="calibrate-") as tmp:
        for engine_name in args.engines.split(","):
            points = []
            engine, grid = raw_engine(engine_name)
            with contextlib.closing(engine):
                for setting, speaking_wpm in grid:
                    rates = measure(engine, sentences, speaking_wpm, Path(tmp))
                    points.append((setting, round(rates.pop(""), 1)))
                    spread = ", ".join(f"{stem.split('-')[0]} {wpm:.1f}" for stem, wpm in sorted(rates.items()))
                    print(f"  {engine_name} setting {setting:g}: {points[-1][1]} wpm ({spread})", flush=True)
            print(f"{engine_name}: {tuple(points)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
