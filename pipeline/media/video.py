"""Assemble slide frames, narration, captions and chapters into the lesson's MP4.

A lecture video is a row of still pictures, so encoding every frame of every slide is wasted
work. Each distinct picture is encoded once, as one closed GOP of ``GOP_FRAMES`` frames (an IDR
frame followed by P-frames that repeat it at almost no cost), kept as a raw H.264 stream with an
access unit delimiter before every frame. A slide of any length is that GOP's frames copied end to
end, the last copy cut short after the frames it needs; with no B-frames every GOP is
self-contained and a cut after any frame is still a valid stream. The pictures' stream is written
here, frame by frame, rather than by ffmpeg's concat demuxer, which probes (decodes) every file it
lists, dozens of times a lesson. So the whole video costs one short encode per distinct picture
plus one stream-copy mux that adds the narration (encoded slide by slide, see :mod:`.soundtrack`),
the subtitles and chapters, and moves the index to the front.

A slide that builds shows several pictures (:class:`Shot`): each build step is its own picture,
encoded once as a shorter group (:data:`STEP_GOP_FRAMES`), and faded into from the one before by a
short clip of :data:`FADE_FRAMES` frames, the only frames encoded one by one.

Sync: slide ``i`` starts at frame ``round(start_i * fps)`` of the cumulative narration timeline,
so each picture change lands within half a frame of its narration and rounding never
accumulates. Each slide's audio is padded or trimmed to its ``duration_s``, so the audio
timeline is exactly the one the captions and ``timing.json`` were computed from.

The GOP files are cached under ``work_dir`` by picture digest and encoder settings, and each
slide's encoded narration by its sound and length: editing a slide's narration re-encodes no
picture and no other slide's sound, and editing what a slide shows (or the theme) encodes no sound.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PIL import Image

from .. import cache
from ..errors import PipelineError
from . import captions, ffmpeg, soundtrack
from .specs import FPS, HEIGHT, WIDTH

log = logging.getLogger(__name__)

# Five seconds between keyframes: seeking stays quick, and repeated IDR frames stay a small
# share of the file. It is also the only encode cost per picture, whatever the slide's length.
GOP_FRAMES = 125
STEP_GOP_FRAMES = 50
"""A build step's picture shows for a sentence or two: a shorter group costs less than half as much to
encode, and repeats its keyframe only every two seconds."""
FADE_FRAMES = 5
"""A build fades in over this many frames (0.2 s): quick enough to follow the voice, slow enough not to flash."""
# Everything that changes the bytes of an encoded GOP; part of its cache key.
# No lookahead: every frame after the first repeats it, so there is nothing to look ahead at, and
# the lookahead buffers were most of the encoder's memory.
ENCODER = (
    "libx264",
    "-preset", "superfast",
    "-tune", "stillimage",
    "-profile:v", "high",
    "-pix_fmt", "yuv420p",
    "-crf", "20",
    "-bf", "0",
    "-g", str(GOP_FRAMES),
    # ipratio=4 spends the bits on the keyframe, so every following P-frame of the still picture
    # is an empty skip frame: no visible sharpening a few frames into each group.
    "-x264-params",
    # aud=1 starts every frame with a delimiter, so a stream splits into frames at a byte pattern.
    # subme=0: no sub-pixel motion search, which a still (or a cross-fade) never needs; the sample's
    # pictures decode to the same frames, bit for bit, and encode in 30% less time.
    f"keyint={GOP_FRAMES}:min-keyint={GOP_FRAMES}:scenecut=0:rc-lookahead=0:sync-lookahead=0:ipratio=4:aud=1:subme=0",
    "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
)  # fmt: skip
ENCODE_VERSION = 3
FADE_VERSION = 1  # bump when a fade's frames change (its curve, its filters)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Segment:
    """One slide of the video: its picture and its narration."""

    title: str  # slide title -> chapter name
    frame: Path  # 1920x1080 PNG
    audio: Path  # WAV of this slide's narration (lead-in and hold included); its length is the slide's
    duration_s: float  # measured length of that audio
    builds: tuple[tuple[float, Path], ...] = ()
    """Every picture of a slide that builds, with the time in its audio it appears: the first at 0,
    ``frame`` (every unit shown) last. Empty: ``frame`` alone, for the whole slide."""

    @property
    def pictures(self) -> tuple[tuple[float, Path], ...]:
        """Every picture of the slide with the time it appears, the first at 0 and ``frame`` last."""
        return self.builds or ((0.0, self.frame),)


@dataclass(frozen=True, slots=True)
class Shot:
    """A run of frames showing one picture, from ``start`` to ``end`` (frames of the video), faded in
    from ``before`` over its first ``fade`` frames when it follows another picture of the same slide."""

    slide: int  # 0-based
    picture: Path
    start: int
    end: int
    before: Path | None = None
    fade: int = 0
    gop: int = GOP_FRAMES  # frames in the picture's encoded group (:data:`STEP_GOP_FRAMES` for a build step)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Where each slide sits in the video, in frames of ``fps`` (slide i spans [starts[i], starts[i+1]))."""

    fps: int
    starts: tuple[int, ...]  # one more than there are slides: the last is the video's length

    def frames(self, i: int) -> int:
        """How many frames slide ``i`` shows for."""
        return self.starts[i + 1] - self.starts[i]

    def start_s(self, i: int) -> Fraction:
        """The exact time slide ``i``'s picture appears."""
        return Fraction(self.starts[i], self.fps)

    @property
    def duration_s(self) -> Fraction:
        """The video's exact length."""
        return Fraction(self.starts[-1], self.fps)


def timeline(durations: Sequence[float], fps: int = FPS) -> Timeline:
    """Frame boundaries for slides of the given narration lengths.

    Each boundary is rounded from the cumulative narration time (not summed from rounded
    lengths), so no error accumulates; every slide keeps at least one frame.
    """
    audio_starts = [0.0]
    for d in durations:
        audio_starts.append(audio_starts[-1] + d)
    starts = [0]
    for t in audio_starts[1:]:
        # Half up, not Python's half-to-even, so equal inputs always land on the same frame.
        starts.append(max(math.floor(t * fps + 0.5), starts[-1] + 1))
    return Timeline(fps, tuple(starts))


def gop_frames(k: int, pictures: int) -> int:
    """The group length of picture ``k`` of a slide's ``pictures``: a build step's is short, the
    slide's own (its last, shown to the end of the slide) full length."""
    return GOP_FRAMES if k == pictures - 1 else STEP_GOP_FRAMES


def encode_ahead(slides: Sequence[Sequence[Path]], work_dir: Path) -> None:
    """Encode into the cache what the assembly will ask for: each slide's pictures (the last its own
    frame) as their shots will need them, and the fade into each picture after the first; on every
    core. Done while the narration is still being made, the assembly then finds them all."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as encoders:
        jobs = [
            encoders.submit(encoded_picture, picture, work_dir, gop_frames(k, len(pictures)))
            for pictures in slides
            for k, picture in enumerate(pictures)
        ]
        jobs += [
            encoders.submit(encoded_fade, before, after, FADE_FRAMES, work_dir)
            for pictures in slides
            for before, after in itertools.pairwise(pictures)
        ]
        for job in jobs:
            job.result()


def shot_keys(shot: Shot) -> tuple[str, ...]:
    """The encoded clips a shot shows: its picture's group, and the fade into it when it has one."""
    fade = (fade_key(shot.before, shot.picture, shot.fade),) if shot.before is not None and shot.fade else ()
    return (picture_key(shot.picture, shot.gop), *fade)


def shots(segments: Sequence[Segment], plan: Timeline) -> list[Shot]:
    """Every picture of the video in order with its frames: each slide's pictures from their times
    in its audio (rounded half up from the cumulative time, like slide changes), each build faded in."""
    out: list[Shot] = []
    audio_start = 0.0
    for i, seg in enumerate(segments):
        first, last = plan.starts[i], plan.starts[i + 1]
        starts: list[int] = []
        for at, _ in seg.pictures:
            frame = max(math.floor((audio_start + at) * plan.fps + 0.5), starts[-1] + 1 if starts else first)
            starts.append(min(frame, last - 1))
        ends = [*starts[1:], last]
        for k, ((_, picture), start, end) in enumerate(zip(seg.pictures, starts, ends, strict=True)):
            if end <= start:  # a build squeezed out by the ones after it
                continue
            before = out[-1].picture if k and out else None
            fade = min(FADE_FRAMES, end - start) if before else 0
            out.append(Shot(i, picture, start, end, before, fade, gop_frames(k, len(seg.pictures))))
        audio_start += seg.duration_s
    return out


def assemble(
    segments: Sequence[Segment],
    out: Path,
    *,
    title: str,
    chapters: bool = True,
    cues: Sequence[captions.Cue],
    work_dir: Path,
    progress: Progress | None = None,
) -> tuple[Path, ...]:
    """Write the lesson MP4 to ``out``: H.264 High yuv420p 1920x1080 at 25 fps, AAC-LC 48 kHz.

    One chapter per slide (named by its title), a soft ``mov_text`` subtitle track of ``cues``
    (language eng; none when there are no cues), ``title`` in the metadata, ``+faststart``.
    Encoded pictures are cached in ``work_dir``; ``out`` is written atomically.
    ``progress(i, total, message)`` is called as work proceeds. Returns each slide's encoded
    narration (AAC, kept in ``work_dir``'s cache).
    """
    _check_inputs(segments, out)
    report = progress or (lambda i, n, message: log.info("video [%d/%d] %s", i, n, message))
    work_dir.mkdir(parents=True, exist_ok=True)
    plan = timeline([s.duration_s for s in segments])

    # Scratch files (the pictures' and narration's streams, the chapters, the subtitles) live in a
    # private folder: builds of different lessons sharing work_dir never collide, and one a killed
    # build leaves behind is recognised by its name and removed by a later build.
    with cache.temporary_folder(work_dir, "mux") as scratch_name:
        scratch = Path(scratch_name)
        runs = shots(segments, plan)
        clips, pieces = _encode_side_by_side(segments, runs, work_dir, scratch, report)
        pictures = scratch / "pictures.h264"
        write_pictures(runs, clips, pictures)
        meta = scratch / "chapters.txt"
        names = [s.title for s in segments] if chapters else None
        meta.write_text(ffmetadata(title, names, plan), encoding="utf-8")
        subtitles = _subtitle_source(cues, scratch)

        total = len(clips) + 1
        report(total, total, "muxing video, narration, subtitles and chapters")
        with cache.atomic_path(out) as tmp:
            ffmpeg.mux_lecture(
                pictures, scratch / "narration.aac", meta, subtitles, tmp, title=title, chapters=chapters
            )
    log.info("wrote %s (%d slides, %.2f s)", out, len(segments), float(plan.duration_s))
    return pieces


def _check_inputs(segments: Sequence[Segment], out: Path) -> None:
    if not segments:
        raise PipelineError("no slides to assemble", out)
    for seg in segments:
        for path in (seg.frame, seg.audio):
            if not path.is_file():
                raise PipelineError(f"slide {seg.title!r}: input file is missing", path)
        if not seg.duration_s > 0:
            raise PipelineError(f"slide {seg.title!r}: narration has no length ({seg.duration_s})", seg.audio)
        try:
            soundtrack.samples_of(seg.duration_s)
        except PipelineError as exc:
            raise PipelineError(f"slide {seg.title!r}: {exc.message}", seg.audio) from None
        for _, picture in seg.builds:
            if not picture.is_file():
                raise PipelineError(f"slide {seg.title!r}: build picture is missing", picture)


Clips = dict[tuple[Path, Path | None, int], Path]
"""Encoded clips by (picture, picture faded from, frames): a still's group of pictures (faded from
None), or a fade's frames."""


def _encode_side_by_side(
    segments: Sequence[Segment], runs: Sequence[Shot], work_dir: Path, scratch: Path, report: Progress
) -> tuple[Clips, tuple[Path, ...]]:
    """The narration's AAC encode and the pictures' x264 encodes need nothing from each other: run
    them side by side on the cores. Returns the encoded clips and each slide's encoded narration,
    joined into ``scratch``'s ``narration.aac``."""
    wanted: dict[tuple[Path, Path | None, int], Shot] = {}  # each clip, and the first shot showing it
    for shot in runs:
        wanted.setdefault((shot.picture, None, shot.gop), shot)
        if shot.fade:
            wanted.setdefault((shot.picture, shot.before, shot.fade), shot)
    total = len(wanted) + 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        audio_job = pool.submit(
            soundtrack.narration_track, [(s.audio, s.duration_s) for s in segments], scratch / "narration.aac", work_dir
        )
        jobs = [
            pool.submit(encoded_picture, picture, work_dir, frames)
            if before is None
            else pool.submit(encoded_fade, before, picture, frames, work_dir)
            for picture, before, frames in wanted
        ]
        clips: Clips = {}
        for i, ((clip, shot), job) in enumerate(zip(wanted.items(), jobs, strict=True)):
            clips[clip], encoded = job.result()
            done = "encoded" if encoded else "cached"
            what = "build fade" if clip[1] is not None else f"picture, {shot.end - shot.start} frames"
            report(i + 1, total, f"slide {shot.slide + 1}: {done} {what}")
        return clips, audio_job.result()


def picture_key(frame: Path, frames: int = GOP_FRAMES) -> str:
    """What names ``frame``'s encoded clip of ``frames`` frames: the picture's bytes and every encoder setting."""
    return cache.digest(cache.file_digest(frame), ENCODER, frames, FPS, WIDTH, HEIGHT, ENCODE_VERSION)[:24]


def encoded_picture(frame: Path, work_dir: Path, frames: int = GOP_FRAMES) -> tuple[Path, bool]:
    """The cached one-GOP H.264 clip of ``frame``; return it and whether it had to be encoded now."""
    path = work_dir / "pictures" / f"{picture_key(frame, frames)}.h264"
    if path.is_file():
        return path, False
    with cache.atomic_path(path) as tmp:
        ffmpeg.encode_still(frame, tmp, frames=frames, encoder=ENCODER)
    log.debug("encoded %s -> %s", frame, path)
    return path, True


def fade_key(before: Path, after: Path, frames: int) -> str:
    """What names a fade's encoded clip: both pictures' bytes, its length and every encoder setting."""
    return cache.digest(picture_key(before), picture_key(after), frames, FADE_VERSION)[:24]


def encoded_fade(before: Path, after: Path, frames: int, work_dir: Path) -> tuple[Path, bool]:
    """The cached clip of ``frames`` frames fading from ``before`` to ``after`` (its first frame
    already part-way, its last ``after`` itself); return it and whether it was encoded now."""
    path = work_dir / "fades" / f"{fade_key(before, after, frames)}.h264"
    if path.is_file():
        return path, False
    with Image.open(before) as a, Image.open(after) as b:
        first, last = a.convert("RGB"), b.convert("RGB")
    if first.size != (WIDTH, HEIGHT) or last.size != (WIDTH, HEIGHT):
        raise PipelineError(f"a build's pictures must be {WIDTH}x{HEIGHT}", after)
    # Blended here and piped raw: cheaper than having ffmpeg decode both PNGs for every frame.
    rgb = b"".join(Image.blend(first, last, (k + 1) / frames).tobytes() for k in range(frames))
    with cache.atomic_path(path) as tmp:
        ffmpeg.encode_frames(rgb, frames, tmp, encoder=ENCODER, what=f"encoding the build into {after.name}")
    return path, True


AUD = b"\x00\x00\x00\x01\x09"  # a start code and an access unit delimiter: where each frame begins


def frames_of(clip: Path) -> list[bytes]:
    """The frames of an encoded clip (raw H.264 with a delimiter before each), each with its delimiter."""
    data = clip.read_bytes()
    parts = data.split(AUD)
    if parts[0] or len(parts) < 2:
        raise PipelineError("an encoded clip does not start with an access unit delimiter; clear the cache", clip)
    return [AUD + part for part in parts[1:]]


def write_pictures(runs: Sequence[Shot], clips: Clips, out: Path) -> None:
    """The video's pictures as one raw H.264 stream: each shot for exactly its frames, its fade and
    then its picture's GOP copied end to end, the last copy cut short."""
    frames: dict[Path, list[bytes]] = {}
    with out.open("wb") as stream:
        for shot in runs:
            if shot.fade:
                fade = clips[(shot.picture, shot.before, shot.fade)]
                stream.write(b"".join(frames.setdefault(fade, frames_of(fade))))
            path = clips[(shot.picture, None, shot.gop)]
            gop = frames.setdefault(path, frames_of(path))
            if len(gop) != shot.gop:
                raise PipelineError(f"an encoded clip has {len(gop)} frames, not {shot.gop}; clear the cache", path)
            whole, rest = divmod(shot.end - shot.start - shot.fade, shot.gop)
            group = b"".join(gop)
            for _ in range(whole):
                stream.write(group)
            stream.write(b"".join(gop[:rest]))


def _meta_escape(value: str) -> str:
    """Escape a value for an ffmetadata file: '=', ';', '#', backslash and newline take a backslash."""
    out = []
    for ch in value:
        if ch in "=;#\\\n":
            out.append("\\")
        out.append(ch)
    return "".join(out)


def ffmetadata(title: str, chapter_titles: Sequence[str] | None, plan: Timeline) -> str:
    """An ffmetadata document: the title, and one chapter per slide in milliseconds."""
    lines = [";FFMETADATA1", f"title={_meta_escape(title)}"]
    if chapter_titles is not None:
        for i, name in enumerate(chapter_titles):
            start, end = plan.start_s(i) * 1000, plan.start_s(i + 1) * 1000
            lines += [
                "[CHAPTER]",
                "TIMEBASE=1/1000",
                f"START={round(start)}",
                f"END={round(end)}",
                f"title={_meta_escape(name)}",
            ]
    return "\n".join(lines) + "\n"


def _subtitle_source(cues: Sequence[captions.Cue], scratch: Path) -> Path | None:
    """The cues as a WebVTT file for ffmpeg in the private ``scratch`` folder, or None when there are none.

    WebVTT, not SRT: ffmpeg's SRT reader turns ``<b>``-like text into styling, its WebVTT reader
    decodes our escapes, so the subtitle track carries the script's characters literally.
    """
    if not cues:
        log.warning("no captions; the video has no subtitle track")
        return None
    path = scratch / "subtitles.vtt"
    path.write_text(captions.to_vtt(cues), encoding="utf-8")
    return path
