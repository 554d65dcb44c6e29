"""Timing budget: words and seconds per slide against the lesson's target and cap, and the pace model.

The pace model lives here, in one place; narration imports it. A pace of ``wpm`` words per
minute means finished narration (the pauses between sentences and at each slide included) of a
reference text of average words, the way authors plan ("~450 words, ~3 min"). The time to say
a text follows its syllables, not its words, so each slide is estimated as its speech (its
syllables and clause breaks at the speaking rate that pace implies) plus its real pauses: a
slide of long technical words or of many short sentences takes longer than its word count
suggests, and the table shows its effective words per minute. Once narration exists,
:func:`with_audio` replaces the estimates by measured lengths. The result has the
``timing.json`` shape from the design notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import ConfigError
from .model import Storyboard
from .text import count_clause_breaks, count_syllables, count_words, split_sentences

# The design notes' thresholds: under 90% of the target is short, over 110% is long.
UNDER_TARGET = 0.9
OVER_TARGET = 1.1
DECLARED_WORDS_TOLERANCE = 0.10
DEFAULT_WPM = 150.0

# An average word has the usual English 1.5 syllables. Speech time follows syllables: on the seven
# development lessons espeak-ng said 3.9 to 4.1 syllables a second from lesson to lesson at one
# rate, while their words ran from 1.55 to 1.9 syllables each.
SYLLABLES_PER_WORD = 1.5
# Voices pause at commas, colons, semicolons and dashes, for a time that scales with the rate:
# measured over every sentence of those lessons, 1.6, 1.5 and 1.3 syllables' time with espeak-ng
# at its rates 110, 150 and 190, 1.7 with Piper. So a clause break counts as one average word.
CLAUSE_BREAK_SYLLABLES = 1.5
# The reference text a pace is defined on: sentences of 15 words of average length with a clause
# break every 10 words, five sentences a slide. The development lessons average 13.4 words a
# sentence, 6.7 sentences (90 words) a slide and a clause break every 10.0 words, which at the
# default pauses is 0.033 s of pause a word; the reference has 0.032 s a word, in round numbers a
# test can write out. Pauses a word are what matter: they decide how much of a minute is speech.
REFERENCE_WORDS_PER_SENTENCE = 15
REFERENCE_SENTENCES_PER_SLIDE = 5
REFERENCE_WORDS_PER_CLAUSE_BREAK = 10
_REFERENCE_WORDS = REFERENCE_WORDS_PER_SENTENCE * REFERENCE_SENTENCES_PER_SLIDE
_REFERENCE_SPOKEN_WORDS = _REFERENCE_WORDS * (
    1 + CLAUSE_BREAK_SYLLABLES / SYLLABLES_PER_WORD / REFERENCE_WORDS_PER_CLAUSE_BREAK
)


def spoken_words(text: str) -> float:
    """How many average words ``text`` takes to say: its syllables and clause breaks over :data:`SYLLABLES_PER_WORD`."""
    return (count_syllables(text) + CLAUSE_BREAK_SYLLABLES * count_clause_breaks(text)) / SYLLABLES_PER_WORD


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the narration will be spoken.

    ``wpm`` is words per minute of finished narration, pauses included, for the reference text
    (average words, typical sentences and slides; see the module's constants). ``slide_pause_s``
    is the silence the narration adds at each slide (lead-in plus hold) and ``sentence_pause_s``
    the pause between sentences; keep them equal to the narration settings so estimates and
    audio agree.
    """

    wpm: float = DEFAULT_WPM
    slide_pause_s: float = 1.0
    sentence_pause_s: float = 0.35

    def __post_init__(self) -> None:
        if not self.wpm > 0 or self._reference_speech_s() <= 0:
            raise ConfigError(
                f"a pace of {self.wpm:g} wpm leaves no time to speak between pauses of "
                f"{self.sentence_pause_s:g} s a sentence and {self.slide_pause_s:g} s a slide"
            )

    @property
    def speaking_wpm(self) -> float:
        """The speaking rate this pace needs: average words a minute of speech, pauses left out.

        What the speech engines are given (each maps it to its own setting). It is chosen so
        that the reference slide, spoken at it with its pauses, lasts exactly its words at
        ``wpm``: 179 at the default 150 wpm and pauses.
        """
        return _REFERENCE_SPOKEN_WORDS / self._reference_speech_s() * 60

    def _reference_speech_s(self) -> float:
        """What is left of the reference slide's time at ``wpm`` once its pauses are taken out."""
        return _REFERENCE_WORDS / self.wpm * 60 - self.pauses_s(REFERENCE_SENTENCES_PER_SLIDE)

    def pauses_s(self, sentences: int) -> float:
        """The silence of a slide of ``sentences`` sentences: its slide pause and the pauses between them."""
        return self.slide_pause_s + max(sentences - 1, 0) * self.sentence_pause_s

    def speech_s(self, text: str) -> float:
        """Seconds to say ``text`` at the speaking rate, pauses left out."""
        return spoken_words(text) / self.speaking_wpm * 60

    def slide_s(self, narration: str) -> float:
        """A slide's estimated length: its speech plus its pauses."""
        return self.speech_s(narration) + self.pauses_s(len(split_sentences(narration)))


def effective_wpm(words: int, seconds: float) -> float:
    """Words a minute over a length, pauses included (0 for no time)."""
    return words / seconds * 60 if seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class SlideTiming:
    n: int
    title: str
    words: int
    estimate_s: float
    audio_s: float | None = None
    start_s: float | None = None
    end_s: float | None = None

    @property
    def duration_s(self) -> float:
        """Measured length when there is one, else the estimate."""
        return self.audio_s if self.audio_s is not None else self.estimate_s

    @property
    def wpm(self) -> float:
        """Effective words per minute: its words over its measured, else estimated, length."""
        return effective_wpm(self.words, self.duration_s)


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
    def duration_s(self) -> float:
        """The measured length once narration exists, else the estimate."""
        return sum(s.duration_s for s in self.slides)

    @property
    def wpm(self) -> float:
        """Effective words per minute of the whole lesson, pauses included."""
        return effective_wpm(self.words, self.duration_s)

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
    """The budget before any audio exists: each slide's speech at ``pace`` plus its pauses."""
    slides = tuple(
        SlideTiming(slide.n, slide.title, count_words(slide.narration), round(pace.slide_s(slide.narration), 2))
        for slide in storyboard.slides
    )
    return Budget(storyboard.stem, storyboard.target_s, storyboard.cap_s, storyboard.declared_words, slides, pace)


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


def to_json(budget: Budget, *, wer: Mapping[int, float] | None = None) -> dict[str, Any]:
    """The ``timing.json`` document (keys fixed by the design notes).

    ``wer`` is each slide's word error rate as the narration check heard it (by slide number);
    a slide's ``wer`` is null when the narration was not checked."""
    wer = wer or {}
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
                "wer": wer.get(s.n),
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
    # Words come and go at the lesson's own effective pace: long words and short sentences take more time each.
    wps = budget.wpm / 60
    duration = budget.duration_s
    if budget.cap_s is not None and duration > budget.cap_s:
        over = duration - budget.cap_s
        cut = int(over * wps) + 1
        largest = sorted(budget.slides, key=lambda s: s.words, reverse=True)[:3]
        shares = ", ".join(f"slide {s.n} ({s.words} words)" for s in largest)
        lines.append(
            f"over the cap by {over:.0f} s: cut about {cut} words at its {budget.wpm:.0f} wpm; "
            f"largest slides first: {shares}"
        )
    elif budget.target_s is not None and duration < UNDER_TARGET * budget.target_s:
        short = budget.target_s - duration
        lines.append(
            f"under the target by {short:.0f} s: about {int(short * wps)} words short of {clock(budget.target_s)} "
            f"at its {budget.wpm:.0f} wpm"
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
    """The per-slide table authors read: words, seconds and effective pace, totals against target and cap."""
    measured = any(s.audio_s is not None for s in budget.slides)
    total = budget.duration_s or 1.0
    width = max([len(s.title) for s in budget.slides] + [5])
    width = min(width, 40)
    head = f"{'#':>3}  {'title':<{width}}  {'words':>5}  {'est s':>6}" + (f"  {'audio s':>7}" if measured else "")
    head += f"  {'wpm':>4}  {'share':>5}"
    rows = [f"{budget.lesson}", head, "-" * len(head)]
    for s in budget.slides:
        title = s.title if len(s.title) <= width else s.title[: width - 1] + "…"
        row = f"{s.n:>3}  {title:<{width}}  {s.words:>5}  {s.estimate_s:>6.1f}"
        if measured:
            row += f"  {s.audio_s:>7.1f}" if s.audio_s is not None else f"  {'–':>7}"
        row += f"  {s.wpm:>4.0f}  {s.duration_s / total:>5.0%}"
        rows.append(row)
    rows.append("-" * len(head))
    kind = "measured" if budget.measured else "estimated"
    rows.append(
        f"total {budget.words} words, {clock(budget.duration_s)} {kind} at {budget.pace.wpm:g} wpm "
        f"(effective {budget.wpm:.0f} wpm); "
        f"target {clock(budget.target_s)}, cap {clock(budget.cap_s)}: {budget.status.replace('_', ' ')}"
    )
    if not budget.measured:
        rows.append(
            f"  wpm: words a minute, pauses included; {budget.pace.wpm:g} for words of average length, "
            "less for long words and short sentences"
        )
    rows.extend(f"  {line}" for line in advice(budget))
    return "\n".join(rows)
