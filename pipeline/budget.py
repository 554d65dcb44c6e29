"""Timing budget: words and seconds per slide against the lesson's target and cap.

Before any audio exists the durations are estimates at a words-per-minute pace plus the pauses
the narration adds between sentences and at each slide boundary. The pace is applied to the
text's syllables (a "word" being the English average of 1.5), since that is what the time to
say it follows: a slide of long technical words takes longer than its word count suggests.
Once narration exists, :func:`with_audio` replaces the estimates by measured lengths. The
result has the ``timing.json`` shape from the design notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .model import Storyboard
from .text import count_words, split_sentences, spoken_words

# The design notes' thresholds: under 90% of the target is short, over 110% is long.
UNDER_TARGET = 0.9
OVER_TARGET = 1.1
DECLARED_WORDS_TOLERANCE = 0.10
DEFAULT_WPM = 150.0


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the narration will be spoken.

    ``slide_pause_s`` is the silence the narration adds at each slide (lead-in plus hold) and
    ``sentence_pause_s`` the pause between sentences; keep them equal to the narration settings
    so estimates and audio agree.
    """

    wpm: float = DEFAULT_WPM
    slide_pause_s: float = 1.0
    sentence_pause_s: float = 0.35


@dataclass(frozen=True, slots=True)
class SlideTiming:
    n: int
    title: str
    words: int
    estimate_s: float
    audio_s: float | None = None
    start_s: float | None = None
    end_s: float | None = None
    spoken_words: float | None = None  # its length in average words (syllables / 1.5); None: as many as words

    @property
    def duration_s(self) -> float:
        """Measured length when there is one, else the estimate."""
        return self.audio_s if self.audio_s is not None else self.estimate_s


@dataclass(frozen=True, slots=True)
class Budget:
    lesson: str
    target_s: float | None
    cap_s: float | None
    declared_words: int | None
    slides: tuple[SlideTiming, ...]
    pace: Pace

    @property
    def words(self) -> int:
        return sum(s.words for s in self.slides)

    @property
    def measured(self) -> bool:
        return bool(self.slides) and all(s.audio_s is not None for s in self.slides)

    @property
    def words_per_spoken_word(self) -> float:
        """Written words per average spoken word: below 1 for long technical words."""
        spoken = sum(s.words if s.spoken_words is None else s.spoken_words for s in self.slides)
        return self.words / spoken if spoken else 1.0

    @property
    def duration_s(self) -> float:
        """The measured length once narration exists, else the estimate."""
        return sum(s.duration_s for s in self.slides)

    @property
    def status(self) -> str:
        return classify(self.duration_s, self.target_s, self.cap_s)

    @property
    def declared_mismatch(self) -> float | None:
        """Relative difference between declared and counted words, when over the tolerance."""
        if not self.declared_words:
            return None
        diff = (self.words - self.declared_words) / self.declared_words
        return diff if abs(diff) > DECLARED_WORDS_TOLERANCE else None


def classify(duration_s: float, target_s: float | None, cap_s: float | None) -> str:
    """``over_cap``, ``under_target``, ``over_target`` or ``ok`` (``unchecked`` with no budget)."""
    if cap_s is not None and duration_s > cap_s:
        return "over_cap"
    if target_s is None:
        return "ok" if cap_s is not None else "unchecked"
    if duration_s < UNDER_TARGET * target_s:
        return "under_target"
    if duration_s > OVER_TARGET * target_s:
        return "over_target"
    return "ok"


def estimate(storyboard: Storyboard, pace: Pace = Pace()) -> Budget:
    """The budget before any audio exists: speech at ``pace`` plus the pauses between sentences and slides."""
    slides = []
    for slide in storyboard.slides:
        spoken = spoken_words(slide.narration)
        pauses = pace.slide_pause_s + max(len(split_sentences(slide.narration)) - 1, 0) * pace.sentence_pause_s
        estimate_s = round(spoken / pace.wpm * 60 + pauses, 2)
        slides.append(SlideTiming(slide.n, slide.title, count_words(slide.narration), estimate_s, spoken_words=spoken))
    return Budget(
        storyboard.stem, storyboard.target_s, storyboard.cap_s, storyboard.declared_words, tuple(slides), pace
    )


def with_audio(budget: Budget, audio_s: Sequence[float]) -> Budget:
    """The same budget with measured audio lengths and each slide's start and end on the timeline."""
    if len(audio_s) != len(budget.slides):
        raise ValueError(f"{len(audio_s)} audio lengths for {len(budget.slides)} slides")
    slides = []
    start = 0.0
    for slide, length in zip(budget.slides, audio_s, strict=True):
        slides.append(replace(slide, audio_s=round(length, 3), start_s=round(start, 3), end_s=round(start + length, 3)))
        start += length
    return replace(budget, slides=tuple(slides))


def to_json(budget: Budget) -> dict[str, Any]:
    """The ``timing.json`` document (keys fixed by the design notes)."""
    return {
        "lesson": budget.lesson,
        "target_s": budget.target_s,
        "cap_s": budget.cap_s,
        "declared_words": budget.declared_words,
        "words": budget.words,
        "duration_s": round(budget.duration_s, 3),
        "status": budget.status,
        "slides": [
            {
                "n": s.n,
                "title": s.title,
                "words": s.words,
                "estimate_s": s.estimate_s,
                "audio_s": s.audio_s,
                "start_s": s.start_s,
                "end_s": s.end_s,
            }
            for s in budget.slides
        ],
    }


def clock(seconds: float | None) -> str:
    """``245.3`` -> ``4:05``."""
    if seconds is None:
        return "–"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def advice(budget: Budget) -> list[str]:
    """What the author should do: words to cut (largest slides first) or words short."""
    lines = []
    wps = budget.pace.wpm / 60 * budget.words_per_spoken_word  # written words said per second
    duration = budget.duration_s
    if budget.cap_s is not None and duration > budget.cap_s:
        over = duration - budget.cap_s
        cut = int(over * wps) + 1
        largest = sorted(budget.slides, key=lambda s: s.words, reverse=True)[:3]
        shares = ", ".join(f"slide {s.n} ({s.words} words)" for s in largest)
        lines.append(
            f"over the cap by {over:.0f} s: cut about {cut} words at {budget.pace.wpm:g} wpm; "
            f"largest slides first: {shares}"
        )
    elif budget.target_s is not None and duration < UNDER_TARGET * budget.target_s:
        short = budget.target_s - duration
        lines.append(
            f"under the target by {short:.0f} s: about {int(short * wps)} words short of {clock(budget.target_s)}"
        )
    elif budget.target_s is not None and duration > OVER_TARGET * budget.target_s:
        lines.append(f"over the target by {duration - budget.target_s:.0f} s but within the cap")
    mismatch = budget.declared_mismatch
    if mismatch is not None:
        lines.append(
            f"the script declares ~{budget.declared_words} words but has {budget.words} ({mismatch:+.0%}); "
            "update the declaration or the script"
        )
    return lines


def format_table(budget: Budget) -> str:
    """The per-slide table authors read, with totals against target and cap."""
    measured = any(s.audio_s is not None for s in budget.slides)
    total = budget.duration_s or 1.0
    width = max([len(s.title) for s in budget.slides] + [5])
    width = min(width, 40)
    head = f"{'#':>3}  {'title':<{width}}  {'words':>5}  {'est s':>6}" + (f"  {'audio s':>7}" if measured else "")
    head += f"  {'share':>5}"
    rows = [f"{budget.lesson}", head, "-" * len(head)]
    for s in budget.slides:
        title = s.title if len(s.title) <= width else s.title[: width - 1] + "…"
        row = f"{s.n:>3}  {title:<{width}}  {s.words:>5}  {s.estimate_s:>6.1f}"
        if measured:
            row += f"  {s.audio_s:>7.1f}" if s.audio_s is not None else f"  {'–':>7}"
        row += f"  {s.duration_s / total:>5.0%}"
        rows.append(row)
    rows.append("-" * len(head))
    kind = "measured" if budget.measured else f"estimated at {budget.pace.wpm:g} wpm"
    rows.append(
        f"total {budget.words} words, {clock(budget.duration_s)} {kind}; "
        f"target {clock(budget.target_s)}, cap {clock(budget.cap_s)}: {budget.status.replace('_', ' ')}"
    )
    rows.extend(f"  {line}" for line in advice(budget))
    return "\n".join(rows)
