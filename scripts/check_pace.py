#!/usr/bin/env python3
"""Narrate lessons and compare each slide's and each lesson's audio with the budget's estimate.

    .venv/bin/python scripts/check_pace.py [--engine pyttsx3|piper] [--wpm 150] [--cache DIR] [LESSON ...]

The narration is made exactly as ``python -m pipeline video`` makes it (the lesson folder's
lexicon, the default pauses, the same cache layout), so its lengths are the ``audio_s`` a build
writes to ``timing.json``; the estimate is what ``python -m pipeline budget`` prints. Lessons
default to every lesson in slides/. Prints one row per lesson: words, estimate, audio, the
error of the estimate and the worst slide's error, then the totals.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.budget import clock, estimate, with_audio  # noqa: E402 - after the path set-up, so it runs from a checkout
from pipeline.build import LEXICON_NAME, discover_lessons, load_storyboard  # noqa: E402
from pipeline.cache import shared_folder  # noqa: E402
from pipeline.narration import NarrationSettings, load_lexicon, narrate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lessons", nargs="*", type=Path, metavar="LESSON", help="default: every lesson in slides/")
    parser.add_argument("--engine", "--voice", dest="engine", default="pyttsx3")
    parser.add_argument("--wpm", type=float, default=150.0, help="pace, as the pipeline's --wpm")
    parser.add_argument("--cache", type=Path, help="narration cache to reuse (default: a fresh one)")
    args = parser.parse_args()

    settings = NarrationSettings(engine=args.engine, pace_wpm=args.wpm)
    lessons = args.lessons or discover_lessons(ROOT / "slides")
    width = max(len(p.stem) for p in lessons)
    head = f"{'lesson':<{width}}  {'words':>5}  {'est s':>6}  {'audio s':>7}  {'error':>6}  {'wpm':>4}  worst slide"
    print(f"{args.engine} at {args.wpm:g} wpm (speaking rate {settings.speaking_wpm:.1f})")
    print(head)
    print("-" * len(head))
    totals = [0, 0.0, 0.0]
    with tempfile.TemporaryDirectory(prefix="check-pace-") as tmp:
        cache = args.cache or Path(tmp) / "cache"
        # Held shared, so a build using the same cache meanwhile never takes our files for leftovers.
        with shared_folder(cache):
            for lesson in lessons:
                board = load_storyboard(lesson)
                narration = narrate(
                    board,
                    settings,
                    cache_dir=cache,
                    out_dir=Path(tmp) / lesson.stem,
                    lexicon=load_lexicon(lesson.parent / LEXICON_NAME),
                )
                budget = with_audio(estimate(board, settings.pace), [s.duration_s for s in narration.slides])
                estimated = sum(s.estimate_s for s in budget.slides)
                errors = [(s.estimate_s - s.duration_s) / s.duration_s for s in budget.slides]
                worst = max(range(len(errors)), key=lambda i: abs(errors[i]))
                print(
                    f"{lesson.stem:<{width}}  {budget.words:>5}  {estimated:>6.1f}  {budget.duration_s:>7.1f}  "
                    f"{(estimated - budget.duration_s) / budget.duration_s:>+6.1%}  {budget.wpm:>4.0f}  "
                    f"{errors[worst]:+.1%} (slide {budget.slides[worst].n}, {budget.slides[worst].duration_s:.1f} s)",
                    flush=True,
                )
                totals[0] += budget.words
                totals[1] += estimated
                totals[2] += budget.duration_s
    words, estimated, audio = totals
    print("-" * len(head))
    print(
        f"{'all':<{width}}  {words:>5}  {estimated:>6.1f}  {audio:>7.1f}  {(estimated - audio) / audio:>+6.1%}  "
        f"{words / audio * 60:>4.0f}  ({clock(estimated)} estimated, {clock(audio)} built)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
