"""Captions from timed script sentences: cue splitting and timing, written as WebVTT and SRT.

The rules come from the captions standard in DESIGN.md: at most 2 lines of 42 characters,
1–7 s on screen, no faster than about 20 characters per second where the timing allows, every
spoken word exactly once and in order, spelled as the script writes it.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_LINE = 42
MIN_CUE_S = 1.0
MAX_CUE_S = 7.0
MAX_CPS = 20.0

# Where a cue may break, best first: the end of a sentence, a clause, then a dash.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"'”’)\]]*$")
_DASHES = {"—", "–", "-"}

Sentence = tuple[str, float, float]


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption on screen from ``start_s`` to ``end_s`` (whole-video seconds), 1–2 lines."""

    start_s: float
    end_s: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's lines joined by spaces, as spoken."""
        return " ".join(self.lines)

    @property
    def duration_s(self) -> float:
        """How long the cue stays on screen."""
        return self.end_s - self.start_s


# ---------------------------------------------------------------- splitting text into cues


def _words(text: str) -> list[str]:
    """The words of ``text``; a word longer than a line is hard-broken into line-sized pieces."""
    out: list[str] = []
    for word in text.split():
        while len(word) > MAX_LINE:
            out.append(word[:MAX_LINE])
            word = word[MAX_LINE:]
        out.append(word)
    return out


def _length(words: Sequence[str]) -> int:
    return sum(map(len, words)) + max(len(words) - 1, 0)


def _break_bonus(word: str, following: str | None) -> float:
    """How good a place the gap after ``word`` is for a break (bigger is better)."""
    if _SENTENCE_END.search(word):
        return 1.0
    if _CLAUSE_END.search(word) or word in _DASHES or following in _DASHES:
        return 0.6
    if word[-1:] in _DASHES:
        return 0.4
    return 0.0


def wrap(words: Sequence[str]) -> tuple[str, ...] | None:
    """Lay ``words`` out as one line, or two lines of at most 42 characters; None if they don't fit.

    Two lines are balanced, preferring a break after punctuation, and never leave a lone word
    when a more even break exists.
    """
    if not words:
        return None
    if _length(words) <= MAX_LINE:
        return (" ".join(words),)
    best: tuple[float, int] | None = None
    for k in range(1, len(words)):
        top, bottom = _length(words[:k]), _length(words[k:])
        if top > MAX_LINE or bottom > MAX_LINE:
            continue
        cost = abs(top - bottom) / MAX_LINE - 0.5 * _break_bonus(words[k - 1], words[k])
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return None
    k = best[1]
    return (" ".join(words[:k]), " ".join(words[k:]))


def _split(words: list[str], seconds_per_char: float) -> list[list[str]]:
    """Split one sentence's words into chunks that each fit a cue in text and in time.

    Binary splitting at the best-scored gap keeps chunks balanced and puts breaks at clause
    boundaries where there are some; the time check uses the chunk's share of the sentence.
    """
    length = _length(words)
    if len(words) == 1 or (wrap(words) is not None and seconds_per_char * length <= MAX_CUE_S):
        return [words]
    best: tuple[float, int] | None = None
    for k in range(1, len(words)):
        left, right = words[:k], words[k:]
        cost = abs(_length(left) - _length(right)) / length - 0.35 * _break_bonus(words[k - 1], words[k])
        # A split where both sides already fit a cue saves a level of recursion and odd pieces.
        if wrap(left) is not None and wrap(right) is not None:
            cost -= 0.25
        if best is None or cost < best[0]:
            best = (cost, k)
    assert best is not None
    k = best[1]
    return [*_split(words[:k], seconds_per_char), *_split(words[k:], seconds_per_char)]


# ---------------------------------------------------------------- timing


@dataclass(slots=True)
class _Draft:
    """A cue being timed (mutable only inside make_cues)."""

    start: float
    end: float
    words: list[str]

    @property
    def chars(self) -> int:
        return _length(self.words)

    def needed(self) -> float:
        """The time this cue should have on screen: 1 s, or enough for 20 cps, at most 7 s."""
        return min(MAX_CUE_S, max(MIN_CUE_S, self.chars / MAX_CPS))


def _chunked(sentences: Iterable[Sentence]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for text, start, end in sentences:
        words = _words(text)
        if not words:
            continue
        if end < start:
            raise ValueError(f"sentence ends before it starts ({start} > {end}): {text!r}")
        chunks = _split(words, (end - start) / max(_length(words), 1))
        total = sum(_length(c) for c in chunks)
        t = start
        # Time follows characters: a chunk is on screen for its share of the sentence.
        for i, chunk in enumerate(chunks):
            share = (end - start) * _length(chunk) / total
            stop = end if i == len(chunks) - 1 else t + share
            drafts.append(_Draft(t, stop, chunk))
            t = stop
    for previous, current in itertools.pairwise(drafts):
        if current.start < previous.start:
            raise ValueError("sentences are not in time order")
        # Overlapping sentence timings (from an engine's rounding) are clipped, never shown twice.
        if current.start < previous.end:
            previous.end = current.start
    return drafts


def _merge_short(drafts: list[_Draft]) -> list[_Draft]:
    """Join a cue that is too short or too fast with a neighbour when the pair still fits a cue."""
    out: list[_Draft] = []
    for draft in drafts:
        if out:
            prev = out[-1]
            short = (prev.end - prev.start) < prev.needed() - 1e-9 or (draft.end - draft.start) < draft.needed() - 1e-9
            joined = prev.words + draft.words
            if short and wrap(joined) is not None and draft.end - prev.start <= MAX_CUE_S:
                out[-1] = _Draft(prev.start, draft.end, joined)
                continue
        out.append(draft)
    return out


def _stretch(drafts: list[_Draft]) -> None:
    """Give each cue the time it needs from the gaps around it, never overlapping a neighbour."""
    for i, d in enumerate(drafts):
        need = d.needed()
        nxt = drafts[i + 1] if i + 1 < len(drafts) else None
        limit = nxt.start if nxt is not None else math.inf
        if d.end - d.start < need:
            d.end = min(limit, d.start + need)
        if d.end - d.start < need:
            # Show it a little early, in the gap after the previous cue.
            floor = drafts[i - 1].end if i else 0.0
            d.start = max(floor, d.end - need)
        if d.end - d.start < need and nxt is not None:
            # Borrow from the next cue when it has time to spare; it then shows a little late.
            spare = (nxt.end - nxt.start) - nxt.needed()
            if spare > 0:
                shift = min(spare, need - (d.end - d.start))
                d.end += shift
                nxt.start = d.end
        if d.end - d.start > MAX_CUE_S:
            d.end = d.start + MAX_CUE_S


def make_cues(sentences: Iterable[Sentence]) -> tuple[Cue, ...]:
    """Turn timed script sentences ``(text, start_s, end_s)`` into caption cues.

    Long sentences are split at word boundaries, preferring clause breaks, into cues of at most
    2 lines of 42 characters; a sentence's time is shared among its cues by character count.
    Short or fast cues are merged with a neighbour or extended into the silence around them so
    they last 1–7 s at no more than ~20 characters per second where the timing allows; cues never
    overlap and keep script order, with every word exactly once and spelled as written.
    """
    drafts = _merge_short(_chunked(sentences))
    _stretch(drafts)
    cues: list[Cue] = []
    for d in drafts:
        # Millisecond times, so what we return is exactly what a VTT or SRT file says.
        start, end = round(d.start, 3), round(d.end, 3)
        if cues and start < cues[-1].end_s:
            start = cues[-1].end_s
        lines = wrap(d.words)
        assert lines is not None, d.words
        cues.append(Cue(start, max(end, start), lines))
    slow = [c for c in cues if c.duration_s < MIN_CUE_S - 1e-3 or len(c.text) / max(c.duration_s, 1e-3) > MAX_CPS + 1]
    if slow:
        log.info("%d caption cue(s) are shorter or faster than the standard; the narration leaves no room", len(slow))
    return tuple(cues)


# ---------------------------------------------------------------- formats


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _vtt_escape(line: str) -> str:
    # WebVTT cue text treats & and < as markup; > is escaped too so "-->" can never appear.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Iterable[Cue]) -> str:
    """Cues as a WebVTT document; ``&``, ``<`` and ``>`` are escaped so text shows literally."""
    parts = ["WEBVTT", ""]
    for i, cue in enumerate(cues, start=1):
        parts += [str(i), f"{_stamp(cue.start_s, '.')} --> {_stamp(cue.end_s, '.')}"]
        parts += [_vtt_escape(line) for line in cue.lines]
        parts.append("")
    return "\n".join(parts) + "\n"


def to_srt(cues: Iterable[Cue]) -> str:
    """Cues as a SubRip document (numbered blocks, ``HH:MM:SS,mmm`` times, text as written)."""
    parts: list[str] = []
    for i, cue in enumerate(cues, start=1):
        parts += [str(i), f"{_stamp(cue.start_s, ',')} --> {_stamp(cue.end_s, ',')}", *cue.lines, ""]
    return "\n".join(parts) + ("\n" if parts else "")
