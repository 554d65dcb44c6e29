"""Benchmark a cold build, the rebuilds an author makes while editing, and the video assembly step
against a straightforward moviepy render of the same slides.

Usage:
    python scripts/bench_video.py                  # cold build of the sample lesson, the edit-and-rebuild
                                                   # steps, then its frames and narration through
                                                   # assembly and the baseline
    python scripts/bench_video.py --synthetic      # generated 7 slides (~4 min) instead, no build
    python scripts/bench_video.py --keep DIR       # keep inputs and outputs in DIR
    python scripts/bench_video.py --skip-baseline  # only the project's own steps
    python scripts/bench_video.py --skip-edits     # no rebuilds after the cold build

The cold build runs twice, with builds off and then on (the default), so the cost of builds is a
ratio of two runs of the same command.

The rebuilds follow the cold build in the same course folder, each after one edit of the lesson
(or theme) as an author makes it: nothing changed, one narration sentence edited, one slide's
on-screen title edited, one slide added, the theme's band colour changed; last, another sentence
edited and the lesson rebuilt with --no-hearing (the narration not checked by ear); then `python -m
pipeline watch` started on the course and, once its first build is done, a sentence edited again:
the time from the save to the watch's summary of the rebuilt lesson.

Each measured step runs in a child process so its time and peak memory are its own: the peak
is both the largest single process (ru_maxrss from os.wait4, which covers the child's own
children such as ffmpeg) and the sampled sum over the whole process tree.

`bench(inputs, cold_build=...)` takes any list of (frame_png, wav_path, title), so the real
build's frames and narration can be measured the same way as the generated ones.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Slide = tuple[Path, Path, str]  # (frame_png, wav_path, title)
TARGET_SPEEDUP = 8.0
TARGET_PEAK_MB = 400.0
TARGET_BUILDS_COST = 1.25  # a cold build with builds on, against the same build with them off
SLIDE_SECONDS = (18.4, 42.7, 55.1, 31.3, 26.9, 47.2, 18.6)  # ~4 min, 10-60 s each, non-round


@dataclass(frozen=True)
class Measure:
    """One timed step: wall time and peak memory (largest process, and whole tree sampled)."""

    name: str
    seconds: float
    max_rss_mb: float
    tree_peak_mb: float


# ------------------------------------------------------------------ inputs


def make_sample(folder: Path, seconds: Sequence[float] = SLIDE_SECONDS) -> list[Slide]:
    """Seven 1920x1080 slides with drawn text and 48 kHz mono narration stand-ins (tone + noise)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    slides: list[Slide] = []
    for i, length in enumerate(seconds, start=1):
        title = f"Slide {i}: harmful fine-tuning, part {i}"
        image = Image.new("RGB", (1920, 1080), (248, 247, 242))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 1920, 150), fill=(30, 50, 90))
        draw.text((80, 40), title, fill=(255, 255, 255), font=ImageFont.load_default(size=64))
        body = ImageFont.load_default(size=44)
        for line in range(8):
            draw.text((120, 240 + line * 90), f"• Point {line + 1} of slide {i}: a bullet of text", fill=(20, 20, 30),
                      font=body)  # fmt: skip
        draw.ellipse((1400, 600, 1800, 1000), fill=(200, 90 + 15 * i, 40))
        frame = folder / f"slide{i:02d}.png"
        image.save(frame)

        n = round(length * 48_000 / 1024) * 1024  # whole AAC frames, as the narration makes every slide
        t = np.arange(n) / 48_000
        signal = 0.15 * np.sin(2 * np.pi * (160 + 20 * i) * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
        signal += 0.02 * rng.standard_normal(n)
        wav = folder / f"slide{i:02d}.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(48_000)
            w.writeframes((np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes())
        slides.append((frame, wav, title))
    return slides


def wav_seconds(path: Path) -> float:
    """A PCM WAV's length from its header."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


# ------------------------------------------------------------------ the steps (run in a child)


def step_assembly(slides: Sequence[Slide], out: Path, work_dir: Path) -> None:
    """The project's assembly step: pictures, narration and chapters into the MP4."""
    from pipeline.media import video

    segments = [video.Segment(title, frame, wav, wav_seconds(wav)) for frame, wav, title in slides]
    video.assemble(segments, out, title="Benchmark lesson", cues=(), work_dir=work_dir)


def step_baseline(slides: Sequence[Slide], out: Path) -> None:
    """A straightforward moviepy render: one ImageClip per slide, narration as audio, defaults."""
    try:
        from moviepy import AudioFileClip, ImageClip, concatenate_audioclips, concatenate_videoclips
    except ImportError:
        sys.exit("the baseline needs moviepy: pip install -e '.[bench]' (make setup installs it), or --skip-baseline")

    audios = [AudioFileClip(str(wav)) for _, wav, _ in slides]
    try:
        clips = [ImageClip(str(frame), duration=a.duration) for (frame, _, _), a in zip(slides, audios, strict=True)]
        narration = concatenate_audioclips(audios)
        movie = concatenate_videoclips(clips).with_audio(narration)
        movie.write_videofile(str(out), fps=24, codec="libx264", audio_codec="aac", logger=None)
        movie.close()
    finally:
        for a in audios:
            a.close()


def _child(step: str, manifest: Path, out: Path, work_dir: Path) -> None:
    slides = [(Path(f), Path(w), t) for f, w, t in json.loads(manifest.read_text())]
    if step == "assembly":
        step_assembly(slides, out, work_dir)
    elif step == "baseline":
        step_baseline(slides, out)
    else:
        raise SystemExit(f"unknown step {step}")


# ------------------------------------------------------------------ measuring


def _high_water_kb(pid: int) -> int:
    """The largest resident memory process ``pid`` has had so far (``VmHWM``)."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def _tree_rss_kb(root: int) -> int:
    """Sum of resident memory over ``root`` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            pid = int(entry)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(p for p, parent in parents.items() if parent == pid)
    return total


def measure(name: str, cmd: Sequence[str], cwd: Path = ROOT) -> Measure:
    """Run ``cmd`` as a child; return its wall time and peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd)
    peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        while not done.is_set():
            peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; tell Popen
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed (exit {proc.returncode}): {' '.join(cmd)}")
    return Measure(name, seconds, usage.ru_maxrss / 1024, peak_kb / 1024)


SAMPLE = ROOT / "slides" / "L4.3.1-harmful-fine-tuning.txt"
TARGET_COLD_BUILD_S = 10.0
TARGET_EDIT_S = 3.0  # one narration sentence edited, the lesson rebuilt
TARGET_BUILD_PEAK_MB = 300.0  # any build's process tree, cold or after an edit


def cold_build(work: Path) -> tuple[list[Measure], list[Slide]]:
    """Time `python -m pipeline video` on a copy of the sample lesson with an empty build and cache,
    first with builds switched off (the baseline builds are measured against), then as by default.

    Returns the measures and the build's own frames and narration, for the assembly comparison.
    """
    slides_dir = work / "course" / "slides"
    slides_dir.mkdir(parents=True, exist_ok=True)
    for source in (SAMPLE, ROOT / "slides" / "lexicon.yaml"):
        shutil.copy(source, slides_dir)
    build_dir = work / "course" / "build"
    shutil.rmtree(build_dir, ignore_errors=True)
    cmd = [sys.executable, "-m", "pipeline", "-q", "video", str(slides_dir / SAMPLE.name), "--build", str(build_dir)]
    whole = measure("(a') cold build, builds off", [*cmd[:-1], str(work / "course" / "build-whole"), "--no-builds"])
    result = measure("(a) cold build of the sample lesson", cmd)
    out = build_dir / SAMPLE.stem
    chapters = json.loads((out / "timing.json").read_text(encoding="utf-8"))["slides"]
    slides = [(out / "frames" / f"{c['n']:02d}.png", out / "audio" / f"{c['n']:02d}.wav", c["title"]) for c in chapters]
    return [whole, result], slides


# ------------------------------------------------------------------ the author's edits


def _segment_start(text: str, n: int) -> int:
    """Where the narration of slide ``n`` starts in a lesson's text (after its marker line)."""
    marker = re.search(rf"^\[SLIDE {n}\b[^\]]*\]\s*$", text, flags=re.M)
    if marker is None:
        raise SystemExit(f"the lesson has no [SLIDE {n} …] marker")
    return marker.end() + 1


def _word_added(text: str, n: int, word: str) -> str:
    """The first sentence of slide ``n``'s narration with ``word`` added at its start; the slide looks the same."""
    at = _segment_start(text, n)
    return text[:at] + f"{word}, " + text[at].lower() + text[at + 1 :]


def edit_sentence(text: str) -> str:
    """One narration sentence of slide 5 changed (a word added at its start)."""
    return _word_added(text, 5, "Now")


def edit_other_sentence(text: str) -> str:
    """One narration sentence of slide 6 changed, as :func:`edit_sentence` changes slide 5's."""
    return _word_added(text, 6, "So")


def edit_title(text: str) -> str:
    """Slide 4's title, which is on screen, changed; the narration stays the same."""
    return re.sub(r"^(\[SLIDE 4 — )([^\]]*)\]", r"\1\2, revisited]", text, count=1, flags=re.M)


def add_slide(text: str) -> str:
    """A slide added after the last, with a narration and an outline line of its own."""
    last = max(int(n) for n in re.findall(r"^\[SLIDE (\d+)", text, flags=re.M))
    outline = re.search(r"^#*\s*Slide outline", text, flags=re.M)
    if outline is None:
        raise SystemExit("the lesson has no Slide outline section")
    script = (
        f"[SLIDE {last + 1} — Further reading]\n"
        "Three things to read next. First, the paper. Second, the vendor's notes. Finally, the lab.\n"
    )
    body = text[: outline.start()] + script + text[outline.start() :]
    notes = re.search(r"^#*\s*Production notes", body, flags=re.M)
    if notes is None:
        raise SystemExit("the lesson has no Production notes section")
    line = "- Further reading — three-bullet list.\n"
    return body[: notes.start()] + line + body[notes.start() :]


def edit_theme(text: str) -> str:
    """The theme's band colour changed: every slide looks different, no narration does."""
    return re.sub(r'^(\s*band:\s*)"[0-9A-Fa-f]{6}"', r'\1"3D0F22"', text, count=1, flags=re.M)


EDITS = (
    ("(e1) rebuild, nothing changed", None, ()),
    ("(e2) rebuild, one sentence edited", edit_sentence, ()),
    ("(e3) rebuild, one title edited", edit_title, ()),
    ("(e4) rebuild, one slide added", add_slide, ()),
    ("(e5) rebuild, theme colour changed", edit_theme, ()),
    # The author's quicker loop: the narration not checked by ear (last, so no other step hears it).
    ("(e6) one sentence edited, no hearing", edit_other_sentence, ("--no-hearing",)),
)


def watch_rebuild(work: Path) -> Measure:
    """After :func:`rebuilds`: `python -m pipeline watch` on the same course, and once its first build
    is done, one sentence of slide 5 edited as in (e2). The time is from the save to the watch
    printing the rebuilt lesson's summary, the debounce of the file watcher included; the memory is
    the watch's process tree during that rebuild (its recognizer model stays loaded between builds).
    """
    course = work / "course"
    lesson = course / "slides" / SAMPLE.name
    cmd = [sys.executable, "-m", "pipeline", "-q", "watch", str(lesson), "--build", str(course / "build"),
           "--theme", str(course / "theme.yaml"), "--port", "0"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    summaries: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(f"{SAMPLE.stem}: "):
                summaries.put(line)

    threading.Thread(target=read, daemon=True).start()
    name = "(e7) one sentence edited, in watch"
    try:
        summaries.get(timeout=600)  # the first build: the edits before were not all heard
        text = lesson.read_text(encoding="utf-8")
        peak_kb = 0
        started = time.perf_counter()
        lesson.write_text(_word_added(text, 5, "Then"), encoding="utf-8")
        while True:
            try:
                line = summaries.get(timeout=0.05)
                break
            except queue.Empty:
                peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))
                if time.perf_counter() - started > 600:
                    raise SystemExit(f"{name}: no rebuild within 600 s") from None
        seconds = time.perf_counter() - started
        if "[built in" not in line:
            raise SystemExit(f"{name}: the watch did not rebuild: {line.strip()}")
        high_water_kb = _high_water_kb(proc.pid)  # the watch process's own, over its whole run
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    return Measure(name, seconds, high_water_kb / 1024, peak_kb / 1024)


def rebuilds(work: Path) -> list[Measure]:
    """After :func:`cold_build` in ``work``: each edit of :data:`EDITS` made, then the lesson rebuilt."""
    course = work / "course"
    lesson = course / "slides" / SAMPLE.name
    theme = course / "theme.yaml"
    shutil.copy(ROOT / "templates" / "theme.yaml", theme)
    cmd = [sys.executable, "-m", "pipeline", "-q", "video", str(lesson), "--build", str(course / "build")]
    results = [measure("(e0) rebuild, own theme file", [*cmd, "--theme", str(theme)])]
    for name, edit, options in EDITS:
        target = theme if edit is edit_theme else lesson
        if edit is not None:
            before = target.read_text(encoding="utf-8")
            after = edit(before)
            if after == before:
                raise SystemExit(f"{name}: the edit changed nothing in {target.name}")
            target.write_text(after, encoding="utf-8")
        results.append(measure(name, [*cmd, "--theme", str(theme), *options]))
    return results


def bench(
    slides: Sequence[Slide],
    work: Path,
    *,
    baseline: bool = True,
) -> list[Measure]:
    """Time (b) assembly cold and with its encodes cached (pictures and narration: only the mux
    runs) and (c) the baseline over the same slides."""
    work.mkdir(parents=True, exist_ok=True)
    manifest = work / "slides.json"
    manifest.write_text(json.dumps([[str(f), str(w), t] for f, w, t in slides]))
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    results: list[Measure] = []
    cache_dir = work / "video-cache"
    results.append(measure("(b) assembly, cold cache", [*me, "assembly", str(manifest), str(work / "a.mp4"),
                                                         str(cache_dir)]))  # fmt: skip
    results.append(measure("(b') assembly, encodes cached", [*me, "assembly", str(manifest), str(work / "a2.mp4"),
                                                               str(cache_dir)]))  # fmt: skip
    if baseline:
        results.append(measure("(c) moviepy baseline", [*me, "baseline", str(manifest), str(work / "b.mp4"), "-"]))
    return results


def report(results: Sequence[Measure], total_s: float, slides: int) -> str:
    """The figures as a small text table, with the speed-up and the targets."""
    rows = [f"{'step':<36} {'wall s':>8} {'max proc MB':>12} {'tree peak MB':>13}"]
    rows += [f"{m.name:<36} {m.seconds:>8.2f} {m.max_rss_mb:>12.0f} {m.tree_peak_mb:>13.0f}" for m in results]
    by_name = {m.name: m for m in results}
    lines = [f"{slides} slides, {total_s:.1f} s of narration", *rows]
    cold = by_name.get("(b) assembly, cold cache")
    base = by_name.get("(c) moviepy baseline")
    if cold and base:
        ratio = base.seconds / cold.seconds
        verdict = "meets" if ratio >= TARGET_SPEEDUP else "MISSES"
        lines.append(f"speed-up, baseline / assembly (cold): {ratio:.1f}x ({verdict} the {TARGET_SPEEDUP:.0f}x target)")
    if cold:
        peak = max(m.tree_peak_mb for m in results if m.name.startswith("(b"))
        verdict = "meets" if peak < TARGET_PEAK_MB else "MISSES"
        lines.append(f"assembly peak memory (tree): {peak:.0f} MB ({verdict} the {TARGET_PEAK_MB:.0f} MB target)")
    build = by_name.get("(a) cold build of the sample lesson")
    if build:
        verdict = "meets" if build.seconds < TARGET_COLD_BUILD_S else "MISSES"
        lines.append(f"cold build: {build.seconds:.1f} s ({verdict} the {TARGET_COLD_BUILD_S:.0f} s target)")
        verdict = "meets" if build.tree_peak_mb < TARGET_BUILD_PEAK_MB else "MISSES"
        lines.append(
            f"cold build peak memory (tree): {build.tree_peak_mb:.0f} MB "
            f"({verdict} the {TARGET_BUILD_PEAK_MB:.0f} MB target)"
        )
    edits = (("(e2) rebuild, one sentence edited", "rebuilt"), ("(e7) one sentence edited, in watch", "in watch"))
    for key, how in edits:
        edit = by_name.get(key)
        if edit:
            verdict = "meets" if edit.seconds <= TARGET_EDIT_S else "MISSES"
            target = f"{verdict} the {TARGET_EDIT_S:.0f} s target"
            lines.append(f"one sentence edited, {how}: {edit.seconds:.2f} s ({target})")
    rebuilt = [m for m in results if m.name.startswith("(e")]
    if rebuilt:
        peak = max(m.tree_peak_mb for m in rebuilt)
        verdict = "meets" if peak < TARGET_BUILD_PEAK_MB else "MISSES"
        target = f"{verdict} the {TARGET_BUILD_PEAK_MB:.0f} MB target"
        lines.append(f"rebuilds' peak memory (tree): {peak:.0f} MB ({target})")
    whole = by_name.get("(a') cold build, builds off")
    if build and whole:
        ratio = build.seconds / whole.seconds
        verdict = "meets" if ratio <= TARGET_BUILDS_COST else "MISSES"
        lines.append(
            f"cost of builds, cold build with / without: {ratio:.2f}x ({verdict} the {TARGET_BUILDS_COST:.2f}x target)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="folder for inputs and outputs (default: a temporary one)")
    parser.add_argument("--synthetic", action="store_true", help="generated slides instead of a cold build")
    parser.add_argument("--skip-baseline", action="store_true", help="don't run the (slow) moviepy baseline")
    parser.add_argument("--skip-edits", action="store_true", help="no edit-and-rebuild steps after the cold build")
    parser.add_argument("--child", nargs=4, metavar=("STEP", "MANIFEST", "OUT", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, manifest, out, work_dir = args.child
        _child(step, Path(manifest), Path(out), Path(work_dir))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-video-") as scratch:
        work = args.keep or Path(scratch)
        results: list[Measure] = []
        if args.synthetic:
            slides = make_sample(work / "inputs")
        else:
            builds, slides = cold_build(work)
            results += builds
        results += bench(slides, work, baseline=not args.skip_baseline)
        total = sum(wav_seconds(w) for _, w, _ in slides)
        # Last: the edits rewrite the cold build's narration, which the steps above read.
        if not args.synthetic and not args.skip_edits:
            results += rebuilds(work)
            results.append(watch_rebuild(work))
        print(report(results, total, len(slides)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
