"""When a finished video's picture changes, read from a full decode, and when it should.

The expected times come from outside the video's pictures: slide starts from ``timing.json``, each
build from the storyboard's cues and the moment the voice starts the cued sentence, heard in the
decoded soundtrack (the sentence's caption says roughly where to listen: captions may show a little
early). The observed ones come from decoding every frame; the pipeline's account of its shots is
not used.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.model import Storyboard
from pipeline.text import split_sentences

from .captions import parse_vtt

CHANGE = 12
"""A pixel moving by more than this (of 255 in any colour, small frames) between two frames is a
change of picture; between two frames of one still it moves by 6 at most (a keyframe encoded
again). Colour, not grey: a line turning from dark to red barely changes its grey."""


ONE_EVENT_FRAMES = 6
"""Changing frames at most this far apart belong to one change of picture (a build fades in over 5)."""


def picture_events(video: Path, fps: float) -> list[float]:
    """When the picture starts to change: the first frame of each run of changing frames (a cut is a
    run of one; a build's fade a few), in seconds. Two changes closer than :data:`ONE_EVENT_FRAMES`
    would be read as one: no build comes that soon after another (each waits for a sentence)."""
    width, height = 160, 90
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-an", "-sn", "-vf", f"scale={width}:{height}:flags=area",
         "-pix_fmt", "rgb24", "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width * height * 3)
    after, before = frames[1:], frames[:-1]
    # |after - before| in unsigned bytes (larger minus smaller): no copy of every frame widened to int16.
    difference = (np.maximum(after, before) - np.minimum(after, before)).max(axis=1)
    changed = [int(i) + 1 for i in np.nonzero(difference > CHANGE)[0]]
    # A fade can hold still for a frame as the encoder rounds it: changes this close are one event.
    firsts = [f for k, f in enumerate(changed) if not k or f - changed[k - 1] > ONE_EVENT_FRAMES]
    return [f / fps for f in firsts]


@dataclass(frozen=True, slots=True)
class Expected:
    """A picture change the video should have: its time and what it is."""

    at_s: float
    what: str


def expected_changes(storyboard: Storyboard, out: Path) -> list[Expected]:
    """Every slide change after the first, and every build: the start of each cued sentence (after
    the first of its slide) as the captions time it, for slides that build."""
    slides = json.loads((out / "timing.json").read_text(encoding="utf-8"))["slides"]
    captions = parse_vtt((out / "captions.vtt").read_text(encoding="utf-8"))
    loudness = Loudness.of(out / "video.mp4")
    found: list[Expected] = []
    for slide, timed in zip(storyboard.slides, slides, strict=True):
        if timed["n"] != storyboard.slides[0].n:
            found.append(Expected(timed["start_s"], f"slide {slide.n} starts"))
        if not slide.builds:
            continue
        sentences = split_sentences(slide.narration)
        cued = sorted({c for c in (*slide.cues, slide.highlight) if c > 1})
        starts = sentence_starts([sentences[c - 1] for c in cued], captions, timed["start_s"], timed["end_s"])
        for cue, start in zip(cued, starts, strict=True):
            what = "marks" if cue == slide.highlight and cue not in slide.cues else "brings its units"
            found.append(Expected(loudness.onset_near(start), f"slide {slide.n}: sentence {cue} {what}"))
    return sorted(found, key=lambda e: e.at_s)


def sentence_starts(sentences: list[str], captions: tuple, start_s: float, end_s: float) -> list[float]:
    """Roughly when each of ``sentences`` (in order) starts: in the next caption of the slide's span
    that says its first words, as far into the caption as those words are into its text (captions
    join short sentences, so a sentence may start part-way through one)."""
    inside = [c for c in captions if start_s - 1.0 <= c.start_s < end_s]  # a caption may show a little early
    starts, k = [], 0
    for sentence in sentences:
        head = _words(sentence)[:3]
        while k < len(inside) and _at(head, _words(" ".join(inside[k].lines))) is None:
            k += 1
        assert k < len(inside), f"no caption says {sentence!r}"
        words = _words(" ".join(inside[k].lines))
        share = _at(head, words) / len(words)
        starts.append(inside[k].start_s + share * (inside[k].end_s - inside[k].start_s))
        k += 1 if share == 0 else 0
    return starts


def _at(head: list[str], words: list[str]) -> int | None:
    """Where ``head`` occurs in ``words`` as consecutive words."""
    return next((i for i in range(len(words) - len(head) + 1) if words[i : i + len(head)] == head), None)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass(frozen=True, slots=True)
class Loudness:
    """A soundtrack's level in 10 ms windows (dB of full scale), from a full decode."""

    levels: np.ndarray
    step_s: float = 0.01

    @classmethod
    def of(cls, video: Path) -> Loudness:
        rate = 16000
        raw = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(video), "-vn", "-sn", "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        samples = np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768
        window = rate // 100
        frames = samples[: len(samples) // window * window].reshape(-1, window)
        return cls(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12))

    def onset_near(self, around_s: float, *, quiet_db: float = -45.0, silence_s: float = 0.15) -> float:
        """When speech starts after a silence, looking from a little before ``around_s`` to a little after."""
        first = max(0, round((around_s - 0.3) / self.step_s))
        last = min(len(self.levels), round((around_s + 0.8) / self.step_s))
        quiet = round(silence_s / self.step_s)
        for i in range(max(first, quiet), last):
            if self.levels[i] > quiet_db and (self.levels[i - quiet : i] <= quiet_db).all():
                return i * self.step_s
        raise AssertionError(f"no speech starts after a silence near {around_s:.2f} s")
