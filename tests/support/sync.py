"""When a finished video's picture changes, read from a full decode, and when it should.

The expected times come from outside the video: slide starts from ``timing.json``, each build
from the storyboard's cues and the start of the cued sentence as the captions time it. The
observed ones come from decoding every frame; the pipeline's own account of its shots is not used.
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

CHANGE = 20
"""A pixel moving by more than this (of 255, small grey frames) between two frames is a change of
picture; an encoder's noise between two frames of one still stays well under it."""


def picture_events(video: Path, fps: float) -> list[float]:
    """When the picture starts to change: the first frame of each run of changing frames (a cut is a
    run of one; a build's fade a few), in seconds."""
    width, height = 160, 90
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-an", "-sn", "-vf", f"scale={width}:{height},format=gray",
         "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width * height).astype(np.int16)
    changed = [int(i) + 1 for i in np.nonzero(np.abs(np.diff(frames, axis=0)).max(axis=1) > CHANGE)[0]]
    firsts = [f for k, f in enumerate(changed) if not k or f - changed[k - 1] > 1]
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
    found: list[Expected] = []
    for slide, timed in zip(storyboard.slides, slides, strict=True):
        if timed["n"] != storyboard.slides[0].n:
            found.append(Expected(timed["start_s"], f"slide {slide.n} starts"))
        if not slide.builds:
            continue
        starts = sentence_starts(split_sentences(slide.narration), captions, timed["start_s"], timed["end_s"])
        for cue in sorted({c for c in slide.cues if c > 1}):
            found.append(Expected(starts[cue - 1], f"slide {slide.n}: sentence {cue} brings its units"))
    return sorted(found, key=lambda e: e.at_s)


def sentence_starts(sentences: tuple[str, ...], captions: tuple, start_s: float, end_s: float) -> list[float]:
    """When each sentence starts: the first caption in the slide's span that begins with it, in order."""
    inside = [c for c in captions if start_s - 0.01 <= c.start_s < end_s]
    starts, k = [], 0
    for sentence in sentences:
        head = _words(sentence)[:3]
        while k < len(inside) and _words(" ".join(inside[k].lines))[:3] != head:
            k += 1
        assert k < len(inside), f"no caption starts with {sentence!r}"
        starts.append(inside[k].start_s)
        k += 1
    return starts


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())
