"""Choosing a pace so the lesson lands between its target and its cap (``--fit``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..budget import effective_wpm, spoken_words
from ..model import Storyboard
from ..text import count_words, split_sentences
from .models import Narration, NarrationSettings

# Paces (words a minute of finished narration of average words, as --wpm) a listener accepts.
MIN_WPM = 130.0
MAX_WPM = 180.0

# The budget calls a lesson "ok" within 10% of its target (see pipeline.budget.classify).
OK_BAND = 1.1


@dataclass(frozen=True, slots=True)
class FitResult:
    """The chosen pace, the lesson's expected length at that pace, and whether it fits."""

    pace_wpm: float
    estimate_s: float
    ok: bool
    message: str
    measured: bool = False  # True when scaled from measured narration rather than estimated from words


def fit_rate(
    storyboard: Storyboard,
    target_s: float | None,
    cap_s: float | None,
    *,
    settings: NarrationSettings | None = None,
    narration: Narration | None = None,
    min_wpm: float = MIN_WPM,
    max_wpm: float = MAX_WPM,
) -> FitResult:
    """Pick a pace in ``[min_wpm, max_wpm]`` so the lesson lands on its target, under its cap.

    The lesson's length is modelled as fixed time (lead-ins, holds, pauses, recorded slides) plus
    speech time inversely proportional to the speaking rate the pace implies (the budget's pace
    model). Speech comes from ``narration`` when given (measured audio at its speaking rate,
    scaled), else from the text, as the budget estimates it. The pace that lands on the target
    is chosen, or the nearest one within 10% of it; when none does, ``ok`` is false, the pace
    is the nearest bound, and ``message`` says how far off the lesson is and what to cut or add.
    """
    settings = settings or NarrationSettings()
    fixed_s, spoken = _model(storyboard, settings, narration)

    def duration(pace_wpm: float) -> float:
        return fixed_s + spoken / replace(settings, pace_wpm=pace_wpm).speaking_wpm * 60

    default = min(max(settings.pace_wpm, min_wpm), max_wpm)
    measured = narration is not None
    if target_s is None and cap_s is None:
        message = "the lesson has no target or cap; keeping the pace"
        return FitResult(default, duration(default), True, message, measured)
    if target_s is not None and cap_s is not None and target_s > cap_s:
        return FitResult(
            default, duration(default), False, f"target {target_s:.0f}s is above the cap {cap_s:.0f}s", measured
        )

    # Aim at the target itself; anything the budget calls "ok" (within 10% of the target, never
    # over the cap) is acceptable when the bounds on the pace do not reach it.
    longest = min(x for x in (cap_s, target_s * OK_BAND if target_s else None) if x is not None)
    shortest = target_s / OK_BAND if target_s is not None else 0.0
    words = sum(count_words(s.narration) for s in storyboard.slides)
    missed = _out_of_reach(duration, words, longest, shortest, cap_s, min_wpm, max_wpm)
    if missed is not None:
        pace, message = missed
        return FitResult(pace, duration(pace), False, message, measured)

    # The lesson gets shorter as the pace rises: the slowest pace under the longest length allowed
    # and the fastest one over the shortest bound the acceptable paces.
    lo = _pace_for(duration, longest, min_wpm, max_wpm)
    hi = _pace_for(duration, shortest, min_wpm, max_wpm)
    wanted = _pace_for(duration, target_s, min_wpm, max_wpm) if target_s is not None else settings.pace_wpm
    pace = min(max(wanted, lo), hi)
    # Prefer a whole number of words per minute when one fits.
    whole = min(max(round(pace), math.ceil(lo)), math.floor(hi))
    if lo <= whole <= hi:
        pace = float(whole)
    message = f"{pace:.0f} wpm: about {duration(pace):.0f}s, {_window(target_s, cap_s)}"
    return FitResult(pace, duration(pace), True, message, measured)


def _out_of_reach(
    duration: Callable[[float], float],
    words: int,
    longest: float,
    shortest: float,
    cap_s: float | None,
    min_wpm: float,
    max_wpm: float,
) -> tuple[float, str] | None:
    """When no pace in the bounds lands the lesson in its window: the nearest bound and what to cut or add."""
    if duration(max_wpm) > longest:
        over = duration(max_wpm) - longest
        # Cuts in the lesson's own words at its effective pace: long words take more time each.
        cut = math.ceil(over * effective_wpm(words, duration(max_wpm)) / 60)
        limit = "the cap" if cap_s is not None and longest == cap_s else "10% over the target"
        return max_wpm, (
            f"no pace between {min_wpm:.0f} and {max_wpm:.0f} wpm fits: even at {max_wpm:.0f} wpm the lesson runs "
            f"about {duration(max_wpm):.0f}s, {over:.0f}s over {longest:.0f}s ({limit}); "
            f"cut about {cut} of its {words} words"
        )
    if duration(min_wpm) < shortest:
        under = shortest - duration(min_wpm)
        add = math.ceil(under * effective_wpm(words, duration(min_wpm)) / 60)
        return min_wpm, (
            f"no pace between {min_wpm:.0f} and {max_wpm:.0f} wpm fits: even at {min_wpm:.0f} wpm the lesson runs "
            f"about {duration(min_wpm):.0f}s, {under:.0f}s short of {shortest:.0f}s (90% of the target); "
            f"add about {add} words"
        )
    return None


def _pace_for(duration: Callable[[float], float], seconds: float, lo: float, hi: float) -> float:
    """The pace in ``[lo, hi]`` at which ``duration`` (falling as the pace rises) is ``seconds``, else a bound."""
    if duration(lo) <= seconds:
        return lo
    if duration(hi) >= seconds:
        return hi
    for _ in range(60):  # bisection: far below a hundredth of a word a minute
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if duration(mid) > seconds else (lo, mid)
    return (lo + hi) / 2


def _window(target_s: float | None, cap_s: float | None) -> str:
    if target_s is not None and cap_s is not None:
        return f"within 10% of the {target_s:.0f}s target and under the {cap_s:.0f}s cap"
    if cap_s is not None:
        return f"within the {cap_s:.0f}s cap"
    return f"within 10% of the {target_s:.0f}s target"


def _model(storyboard: Storyboard, settings: NarrationSettings, narration: Narration | None) -> tuple[float, float]:
    """The lesson's fixed seconds and its speech in average words (divide by a speaking rate for minutes)."""
    fixed = 0.0
    spoken = 0.0
    measured = {a.n: a for a in narration.slides} if narration is not None else {}
    pace = settings.pace
    for slide in storyboard.slides:
        sentences = split_sentences(slide.narration)
        if not sentences:
            fixed += max(1.0, settings.lead_in_s + settings.hold_s)
            continue
        overhead = pace.pauses_s(len(sentences))
        got = measured.get(slide.n)
        if got is not None and narration is not None:
            if got.recorded:  # a narrator's recording does not change with the pace
                fixed += got.duration_s
            else:
                fixed += overhead
                spoken += max(0.0, got.duration_s - overhead) * narration.speaking_wpm / 60
            continue
        fixed += overhead
        spoken += spoken_words(slide.narration)
    return fixed, spoken
