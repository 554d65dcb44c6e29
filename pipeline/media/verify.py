"""Check a finished MP4 against the delivery standard: probe it, decode it, find its cuts."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import ffmpeg
from .specs import HEIGHT, SAMPLE_RATE, WIDTH

log = logging.getLogger(__name__)

TIMEOUT_S = 1800.0


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What ffprobe and the file's atoms say about an MP4."""

    video_codec: str
    profile: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    audio_codec: str
    audio_profile: str
    sample_rate: int
    duration_s: float
    chapters: tuple[tuple[str, float, float], ...]  # (title, start_s, end_s)
    subtitle_codecs: tuple[str, ...]
    title: str
    faststart: bool  # the moov atom comes before mdat


def _rate(text: str) -> float:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return 0.0
    return float(value)


def probe(path: Path) -> VideoInfo:
    """Describe ``path`` from ffprobe's streams, format and chapters and its top-level atoms."""
    data = ffmpeg.probe(path)
    streams = data.get("streams", [])
    video: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "video"), {})
    audio: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "audio"), {})
    fmt = data.get("format", {})
    chapters = tuple(
        (str(c.get("tags", {}).get("title", "")), float(c["start_time"]), float(c["end_time"]))
        for c in data.get("chapters", [])
    )
    return VideoInfo(
        video_codec=str(video.get("codec_name", "")),
        profile=str(video.get("profile", "")),
        pix_fmt=str(video.get("pix_fmt", "")),
        width=int(video.get("width", 0)),
        height=int(video.get("height", 0)),
        fps=_rate(str(video.get("r_frame_rate", "0/1"))),
        audio_codec=str(audio.get("codec_name", "")),
        audio_profile=str(audio.get("profile", "")),
        sample_rate=int(audio.get("sample_rate", 0) or 0),
        duration_s=float(fmt.get("duration", 0.0) or 0.0),
        chapters=chapters,
        subtitle_codecs=tuple(str(s.get("codec_name", "")) for s in streams if s.get("codec_type") == "subtitle"),
        title=str(fmt.get("tags", {}).get("title", "")),
        faststart=moov_before_mdat(path),
    )


def top_level_atoms(path: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order."""
    atoms: list[str] = []
    with path.open("rb") as f:
        f.seek(0, 2)
        end = f.tell()
        at = 0
        while at + 8 <= end:
            f.seek(at)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:  # a 64-bit size follows the type
                (size,) = struct.unpack(">Q", f.read(8))
            elif size == 0:  # the box runs to the end of the file
                size = end - at
            atoms.append(kind.decode("latin-1"))
            if size < 8:
                break  # corrupt; stop rather than loop
            at += size
    return atoms


def moov_before_mdat(path: Path) -> bool:
    """True when the index (moov) precedes the media (mdat), so playback starts before download ends."""
    atoms = top_level_atoms(path)
    return "moov" in atoms and (("mdat" not in atoms) or atoms.index("moov") < atoms.index("mdat"))


def decode_errors(path: Path, *, duration_s: float | None = None, parts: int | None = None) -> list[str]:
    """Decode every frame of every stream of ``path``; return ffmpeg's error lines (empty when clean).

    With ``duration_s`` the file is decoded in ``parts`` spans (default: one per core) by
    separate ffmpeg processes at once. Each later span starts at the keyframe before its start,
    so the spans overlap a little and together cover every frame.
    """
    parts = max(1, parts or os.cpu_count() or 1) if duration_s else 1
    spans = [(duration_s * i / parts, duration_s / parts) for i in range(parts)] if duration_s else [(0.0, None)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(spans)) as pool:
        found = pool.map(lambda span: ffmpeg.decode_span(path, *span, one_thread=len(spans) > 1), spans)
        return [line for lines in found for line in lines]


BOUNDARY_S = 0.5  # decoded at each end of the video
FULL_DECODE_SHARE = 0.6  # spans covering more of the video than this: decode all of it instead


def changed_spans(starts: Sequence[float], duration_s: float, new: Sequence[bool]) -> list[tuple[float, float]]:
    """The spans of a video (start, length) that a check of what changed decodes.

    ``starts`` are the start times of the video's pictures (each slide's, and each build step's)
    and ``new`` says, for each, whether it has not been verified before: a new picture is decoded
    in full, and the video's two ends for :data:`BOUNDARY_S`. The joins between pictures are
    checked from the file's index (:func:`join_problems`), not decoded: a picture verified before
    is the very same coded frames, and a join is only where one picture's frames stop and the
    next one's keyframe starts. Overlapping spans are merged.
    """
    wanted = [(start, end) for start, end, fresh in zip(starts, [*starts[1:], duration_s], new, strict=True) if fresh]
    wanted += [(0.0, min(duration_s, BOUNDARY_S)), (max(0.0, duration_s - BOUNDARY_S), duration_s)]
    merged: list[tuple[float, float]] = []
    for start, end in sorted(wanted):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(start, end - start) for start, end in merged]


def decode_changed(path: Path, spans: Sequence[tuple[float, float]], duration_s: float) -> list[str]:
    """Decode what :func:`changed_spans` chose: the audio in full (it decodes quickly) and the
    pictures in ``spans``; ffmpeg's error lines, empty when clean.

    When the spans cover most of the video, it is decoded in full instead (:func:`decode_errors`).
    """
    if sum(length for _, length in spans) > FULL_DECODE_SHARE * duration_s:
        return decode_errors(path, duration_s=duration_s)
    jobs = [(0.0, None, "audio"), *((start, length, "video") for start, length in spans)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = pool.map(lambda job: ffmpeg.decode_span(path, job[0], job[1], one_thread=True, streams=job[2]), jobs)
        return [line for lines in found for line in lines]


def join_problems(path: Path, shot_starts: Sequence[int], frames: int, *, fps: int, time_base: int) -> list[str]:
    """How the frames of ``path`` break the plan: ``frames`` frames, one every ``1/fps`` s (pts in
    ``1/time_base``), each picture starting at a keyframe at its frame in ``shot_starts``.

    Read from the file's index (no decoding): the cheap check of the joins between pictures that a
    rebuild makes again when only the timeline moved.
    """
    packets = ffmpeg.video_packets(path)
    problems = []
    if len(packets) != frames:
        problems.append(f"the video has {len(packets)} frames, expected {frames}")
    step = time_base // fps
    late = next((k for k, (pts, _) in enumerate(packets) if pts != k * step), None)
    if late is not None:
        problems.append(f"frame {late} is at {packets[late][0]}/{time_base} s, expected {late * step}/{time_base}")
    for start in shot_starts:
        if start < len(packets) and not packets[start][1]:
            problems.append(f"frame {start} starts a picture but is not a keyframe")
    return problems


def scene_changes(path: Path, threshold: float = 0.1) -> list[float]:
    """Times (s) of frames whose picture differs from the frame before by more than ``threshold``."""
    return ffmpeg.scene_changes(path, threshold)


def check(info: VideoInfo, expected_slides: int) -> list[str]:
    """Every way ``info`` breaks the video standard in DESIGN.md (empty when it meets it)."""
    problems: list[str] = []

    def want(name: str, got: object, expected: object) -> None:
        if got != expected:
            problems.append(f"{name} is {got!r}, expected {expected!r}")

    want("video codec", info.video_codec, "h264")
    want("H.264 profile", info.profile, "High")
    want("pixel format", info.pix_fmt, "yuv420p")
    want("frame size", (info.width, info.height), (WIDTH, HEIGHT))
    if not info.fps > 0:
        problems.append("video has no frame rate")
    want("audio codec", info.audio_codec, "aac")
    want("AAC profile", info.audio_profile, "LC")
    want("audio sample rate", info.sample_rate, SAMPLE_RATE)
    if not info.faststart:
        problems.append("not +faststart: the moov atom is not before mdat")
    if not info.duration_s > 0:
        problems.append("video has no duration")
    want("chapter count", len(info.chapters), expected_slides)
    for i, (name, start, end) in enumerate(info.chapters, start=1):
        if not name.strip():
            problems.append(f"chapter {i} has no title")
        if end <= start:
            problems.append(f"chapter {i} ({name!r}) is empty: {start:.3f}–{end:.3f} s")
    for (_, _, end), (name, start, _) in zip(info.chapters, info.chapters[1:], strict=False):
        if abs(start - end) > 0.002:
            problems.append(f"chapter {name!r} starts at {start:.3f} s, not where the previous ends ({end:.3f} s)")
    if not info.subtitle_codecs:
        problems.append("no soft subtitle track")
    elif "mov_text" not in info.subtitle_codecs:
        problems.append(f"subtitle track is {info.subtitle_codecs}, expected mov_text")
    if not info.title.strip():
        problems.append("no title in the metadata")
    return problems
