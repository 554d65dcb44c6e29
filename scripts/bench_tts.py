#!/usr/bin/env python3
"""Time speech synthesis per minute of audio for each engine, on the sample lesson's sentences.

    .venv/bin/python scripts/bench_tts.py [--lesson slides/L4.3.1-harmful-fine-tuning.txt]
                                          [--engines pyttsx3,piper] [--piper-layouts 2x1,1x2,1x1]
                                          [--wpm 150] [--narrate]

Every sentence is synthesized afresh (no cache), the way narrate() does it: from a small thread
pool, one call per sentence. ``--piper-layouts WxT`` also times Piper with W worker processes of
T onnxruntime threads each (the first layout is the engine's default when left out).
``--narrate`` also builds the lesson's whole narration (synthesis, trimming, joining, loudness)
into a fresh cache and reports its wall time and each slide's loudness.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import tools  # noqa: E402 - after the path set-up, so it runs from a checkout
from pipeline.lesson import read_lesson  # noqa: E402
from pipeline.narration import Lexicon, NarrationSettings, PiperEngine, SpeechEngine, get_engine, narrate  # noqa: E402
from pipeline.narration.wavfile import read_wav_info  # noqa: E402
from pipeline.storyboard import plan  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402


def synthesize_all(
    engine: SpeechEngine, sentences: list[str], out_dir: Path, speaking_wpm: float
) -> tuple[float, float]:
    """Speak every sentence as narrate() would; return (audio seconds, wall seconds)."""
    workers = max(1, min(len(sentences), os.cpu_count() or 1, 4))

    def one(item: tuple[int, str]) -> float:
        i, text = item
        out = out_dir / f"{i:03d}.wav"
        engine.synthesize(text, out, voice="", speaking_wpm=speaking_wpm)
        return read_wav_info(out).duration_s

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        audio_s = sum(pool.map(one, enumerate(sentences)))
    wall = time.monotonic() - started
    engine.close()
    return audio_s, wall


def integrated_lufs(path: Path) -> float:
    proc = tools.run(
        tools.FFMPEG, ["-nostdin", "-hide_banner", "-i", path, "-af", "ebur128", "-f", "null", "-"], timeout=60
    )
    summary = proc.stderr.decode().rsplit("Summary:", 1)[1]
    match = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    return float(match.group(1)) if match else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", type=Path, default=ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt")
    parser.add_argument("--engines", default="pyttsx3,piper")
    parser.add_argument("--piper-layouts", default="", help="e.g. 2x1,1x2: workers x threads per worker")
    parser.add_argument("--wpm", type=float, default=150.0, help="pace, as the pipeline's --wpm")
    parser.add_argument("--narrate", action="store_true", help="also time the whole narration of the lesson")
    args = parser.parse_args()

    board = plan(read_lesson(args.lesson))
    sentences = [s for slide in board.slides for s in split_sentences(slide.narration)]
    runs: list[tuple[str, SpeechEngine]] = []
    for name in args.engines.split(","):
        if name == "piper" and args.piper_layouts:
            for layout in args.piper_layouts.split(","):
                w, t = (int(x) for x in layout.split("x"))
                runs.append((f"piper {w}x{t}", PiperEngine(workers=w, threads=t)))
        else:
            engine = get_engine(name)
            label = f"piper {engine.workers}x{engine.threads}" if isinstance(engine, PiperEngine) else name
            runs.append((label, engine))

    print(f"{args.lesson.name}: {len(board.slides)} slides, {len(sentences)} sentences, {os.cpu_count()} cores")
    header = f"{'engine':<14} {'sentences':>9} {'audio s':>8} {'wall s':>7} {'s per audio min':>15} {'RTF':>6}"
    print(header)
    print("-" * len(header))
    for label, engine in runs:
        with tempfile.TemporaryDirectory(prefix="bench-tts-") as tmp:
            audio_s, wall = synthesize_all(
                engine, sentences, Path(tmp), NarrationSettings(pace_wpm=args.wpm).speaking_wpm
            )
        print(
            f"{label:<14} {len(sentences):>9} {audio_s:>8.1f} {wall:>7.1f} {wall / audio_s * 60:>15.2f} "
            f"{wall / audio_s:>6.3f}"
        )

    if args.narrate:
        print()
        for name in args.engines.split(","):
            with tempfile.TemporaryDirectory(prefix="bench-narrate-") as tmp:
                started = time.monotonic()
                narration = narrate(
                    board,
                    NarrationSettings(engine=name, pace_wpm=args.wpm),
                    cache_dir=Path(tmp) / "cache",
                    out_dir=Path(tmp) / "out",
                    lexicon=Lexicon(),
                )
                wall = time.monotonic() - started
                lufs = [integrated_lufs(s.path) for s in narration.slides]
            print(
                f"narrate {name}: {narration.duration_s:.1f}s of narration in {wall:.1f}s wall; "
                f"slide loudness {', '.join(f'{x:.1f}' for x in lufs)} LUFS"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
