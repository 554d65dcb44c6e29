"""Benchmark the ways to make a build's fade: the short clip in which a slide's next step fades in.

Usage:
    python scripts/bench_fades.py            # 5 runs of each way
    python scripts/bench_fades.py --runs 9

Each way turns the same two 1920x1080 pictures (a slide before and after its next unit appears)
into the same thing: 5 frames at 25 fps, H.264 with the pipeline's encoder settings, the first
frame already a fifth of the way, the last the new picture.

- pipeline: the pictures blended in Python (Pillow) and piped raw to one ffmpeg encode (what the
  build does);
- ffmpeg blend: ffmpeg reads both PNGs and blends them with its ``blend`` filter;
- moviepy: the new picture as an ImageClip with ``CrossFadeIn`` over the old one in a
  CompositeVideoClip, written with ``write_videofile`` and the same codec settings.

Every way runs in this process, in turn, so the ratios compare like with like; it prints the
median wall and CPU seconds (this process and its children) of each and the ratio to the
pipeline's way.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import tools  # noqa: E402
from pipeline.media import ffmpeg, video  # noqa: E402
from pipeline.media.specs import FPS, HEIGHT, WIDTH  # noqa: E402

FRAMES = video.FADE_FRAMES


def pictures(folder: Path) -> tuple[Path, Path]:
    """A slide with two rows, and the same slide with a third: what a build step changes."""
    paths = []
    for rows in (2, 3):
        image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, 160), fill="#1E2A36")
        for row in range(rows):
            top = 260 + row * 220
            draw.ellipse((140, top, 220, top + 80), fill="#E07A1F")
            draw.rectangle((280, top + 10, 1500, top + 70), fill="#3B4B5C")
        path = folder / f"step-{rows}.png"
        image.save(path)
        paths.append(path)
    return paths[0], paths[1]


def pipeline_way(before: Path, after: Path, out: Path) -> None:
    work = out.parent / f"cache-{out.stem}"
    video.encoded_fade(before, after, FRAMES, work)


def ffmpeg_way(before: Path, after: Path, out: Path) -> None:
    scale = f"scale={WIDTH}:{HEIGHT}:out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1"
    mix = f"min(1,(N+1)/{FRAMES})"
    graph = f"[0:v]{scale}[a];[1:v]{scale}[b];[b][a]blend=all_expr='A*{mix}+B*(1-{mix})'[v]"
    tools.run(
        tools.FFMPEG,
        [*ffmpeg.QUIET, "-loop", "1", "-framerate", str(FPS), "-i", before, "-loop", "1", "-framerate", str(FPS),
         "-i", after, "-filter_complex", graph, "-map", "[v]", "-frames:v", str(FRAMES), "-c:v", *video.ENCODER,
         "-f", "mp4", out],
        timeout=300,
        what="the ffmpeg blend",
    )  # fmt: skip


def moviepy_way(before: Path, after: Path, out: Path) -> None:
    from moviepy import CompositeVideoClip, ImageClip, vfx

    seconds = FRAMES / FPS
    old = ImageClip(str(before)).with_duration(seconds)
    new = ImageClip(str(after)).with_duration(seconds).with_effects([vfx.CrossFadeIn(seconds)])
    clip = CompositeVideoClip([old, new])
    params = list(video.ENCODER[1:])  # after the codec name
    clip.write_videofile(
        str(out), fps=FPS, codec=video.ENCODER[0], audio=False, logger=None, ffmpeg_params=params, threads=2
    )


WAYS: dict[str, Callable[[Path, Path, Path], None]] = {
    "pipeline (Pillow blend, raw pipe)": pipeline_way,
    "ffmpeg blend filter": ffmpeg_way,
    "moviepy CrossFadeIn": moviepy_way,
}


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each way (default %(default)s)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-fades-") as scratch:
        folder = Path(scratch)
        before, after = pictures(folder)
        walls: dict[str, list[float]] = {name: [] for name in WAYS}
        cpus: dict[str, list[float]] = {name: [] for name in WAYS}
        for run in range(args.runs):
            for name, way in WAYS.items():  # in turn, so drift in the machine's speed hits each alike
                out = folder / f"{len(walls[name])}-{list(WAYS).index(name)}.mp4"
                started, spent = time.perf_counter(), cpu_seconds()
                way(before, after, out)
                walls[name].append(time.perf_counter() - started)
                cpus[name].append(cpu_seconds() - spent)
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    ours = statistics.median(walls["pipeline (Pillow blend, raw pipe)"])
    print(f"one build fade: {FRAMES} frames at {WIDTH}x{HEIGHT}, {args.runs} runs each, medians")
    print(f"{'way':<36} {'wall s':>8} {'cpu s':>8} {'wall / pipeline':>16}")
    for name in WAYS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:<36} {wall:>8.3f} {cpu:>8.3f} {wall / ours:>15.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
