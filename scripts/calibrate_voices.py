#!/usr/bin/env python3
"""Measure each speech engine's real pace at its own speed settings, for the tables in its module.

    .venv/bin/python scripts/calibrate_voices.py [--engines pyttsx3,piper]
                                                 [--lesson slides/L4.3.1-harmful-fine-tuning.txt]

The pipeline asks for a pace in words per minute, where a word is the English average of
1.5 syllables (see ``pipeline.text.SYLLABLES_PER_WORD``), and the budget estimates lengths at
that pace. Each engine maps the pace to its own setting (espeak's rate, Piper's length_scale)
through a table of measured points; this script measures them. Every sentence of the lesson is
synthesized afresh at each setting, as narrate() does (lexicon applied, silence trimmed at both
ends, which is also how the pipeline joins sentences), and the pace is the script's syllables
over the trimmed speech time. It prints each engine's table to paste into its module.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.lesson import read_lesson  # noqa: E402 - after the path set-up, so it runs from a checkout
from pipeline.narration import get_engine, load_lexicon  # noqa: E402
from pipeline.narration.audio import load_wav, seconds, trim  # noqa: E402
from pipeline.storyboard import plan  # noqa: E402
from pipeline.text import SYLLABLES_PER_WORD, count_syllables, split_sentences  # noqa: E402

ESPEAK_RATES = (90, 110, 130, 150, 170, 190, 210)
PIPER_SCALES = (1.8, 1.5, 1.25, 1.0, 0.85, 0.7)


def measure(engine_name: str, sentences: list[tuple[str, str]], rate_wpm: float, work: Path) -> float:
    """Words (of 1.5 syllables) per minute of trimmed speech when the engine is asked for ``rate_wpm``."""
    engine = get_engine(engine_name)

    def one(item: tuple[int, tuple[str, str]]) -> float:
        i, (_, spoken) = item
        out = work / f"{engine_name}-{rate_wpm:.0f}-{i:03d}.wav"
        engine.synthesize(spoken, out, voice="", rate_wpm=rate_wpm)
        return seconds(trim(load_wav(out)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        speech_s = sum(pool.map(one, enumerate(sentences)))
    engine.close()
    syllables = sum(count_syllables(script) for script, _ in sentences)
    return syllables / SYLLABLES_PER_WORD / speech_s * 60


def raw_settings(engine_name: str) -> list[tuple[float, float]]:
    """(raw setting, the rate_wpm to pass so the engine uses exactly that setting) for each grid point.

    The engine modules map rate_wpm through their tables; replacing the table (or the mapping)
    with the identity makes rate_wpm the raw setting itself.
    """
    if engine_name == "pyttsx3":
        from pipeline.narration import pyttsx3_engine

        pyttsx3_engine.CALIBRATION = tuple((r, float(r)) for r in ESPEAK_RATES)
        return [(r, float(r)) for r in ESPEAK_RATES]
    if engine_name == "piper":
        from pipeline.narration import piper_engine

        # Pace is about inverse to length_scale, so 150 / scale keeps rate_wpm near the real pace.
        piper_engine.length_scale_for = lambda voice, rate_wpm: round(150 / rate_wpm, 4)  # type: ignore[assignment]
        return [(s, 150 / s) for s in PIPER_SCALES]
    raise SystemExit(f"no calibration grid for engine {engine_name!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="pyttsx3,piper")
    parser.add_argument("--lesson", type=Path, default=ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt")
    args = parser.parse_args()

    lexicon = load_lexicon(args.lesson.parent / "lexicon.yaml")
    board = plan(read_lesson(args.lesson))
    sentences = [(s, lexicon.apply(s)) for slide in board.slides for s in split_sentences(slide.narration)]
    syllables = sum(count_syllables(script) for script, _ in sentences)
    print(f"{args.lesson.name}: {len(sentences)} sentences, {syllables} syllables")
    with tempfile.TemporaryDirectory(prefix="calibrate-") as tmp:
        for engine_name in args.engines.split(","):
            points = []
            for setting, rate_wpm in raw_settings(engine_name):
                wpm = measure(engine_name, sentences, rate_wpm, Path(tmp))
                points.append((setting, round(wpm, 1)))
                print(f"  {engine_name} setting {setting:g}: {wpm:.1f} wpm", flush=True)
            print(f"{engine_name}: {tuple(points)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
