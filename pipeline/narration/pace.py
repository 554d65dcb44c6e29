"""Choosing a speaking rate so the lesson lands between its target and its cap (``--fit``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Storyboard
from ..text import count_words, split_sentences, spoken_words
from .models import Narration, NarrationSettings

MIN_WPM = 130.0
MAX_WPM = 180.0

# The budget calls a lesson "ok" within 10% of its target (see pipeline.budget.classify).
OK_BAND = 1.1


@dataclass(frozen=True, slots=True)
class FitResult:
    """The chosen rate, the lesson's expected length at that rate, and whether it fits."""

    rate_wpm: float
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
    """Pick a rate in ``[min_wpm, max_wpm]`` so the lesson lands on its target, under its cap.

    The lesson's length is modelled as fixed time (lead-ins, holds, pauses, recorded slides) plus
    speech time inversely proportional to the rate. Speech time comes from ``narration`` when
    given (measured audio at ``narration.rate_wpm``, scaled), else from the text's syllables. The rate
    that lands on the target is chosen, or the nearest one within 10% of it; when none does, ``ok`` is false, the rate
    is the nearest bound, and ``message`` says how far off the lesson is and what to cut or add.
    """
    settings = settings or NarrationSettings()
    fixed_s, speech_wpm_s = _model(storyboard, settings, narration)

    def duration(rate: float) -> float:
        return fixed_s + speech_wpm_s / rate

    default = min(max(settings.rate_wpm, min_wpm), max_wpm)
    measured = narration is not None
    if target_s is None and cap_s is None:
        message = "the lesson has no target or cap; keeping the rate"
        return FitResult(default, duration(default), True, message, measured)
    if target_s is not None and cap_s is not None and target_s > cap_s:
        return FitResult(
            default, duration(default), False, f"target {target_s:.0f}s is above the cap {cap_s:.0f}s", measured
        )

    # Aim at the target itself; anything the budget calls "ok" (within 10% of the target, never
    # over the cap) is acceptable when the bounds on the rate do not reach it.
    longest = min(x for x in (cap_s, target_s * OK_BAND if target_s else None) if x is not None)
    shortest = target_s / OK_BAND if target_s is not None else 0.0
    lo, hi = min_wpm, max_wpm
    lo = max(lo, speech_wpm_s / (longest - fixed_s)) if longest > fixed_s else math.inf
    if shortest > fixed_s:
        hi = min(hi, speech_wpm_s / (shortest - fixed_s))
    if lo <= hi:
        wanted = speech_wpm_s / (target_s - fixed_s) if target_s and target_s > fixed_s else settings.rate_wpm
        rate = min(max(wanted, lo), hi)
        # Prefer a whole number of words per minute when one fits.
        whole = min(max(round(rate), math.ceil(lo)), math.floor(hi))
        if lo <= whole <= hi:
            rate = float(whole)
        message = f"{rate:.0f} wpm: about {duration(rate):.0f}s, {_window(target_s, cap_s)}"
        return FitResult(rate, duration(rate), True, message, measured)

    words = sum(count_words(s.narration) for s in storyboard.slides)
    # Cuts and additions in written words: long words take more than one average word's time.
    written_per_spoken = words / max(sum(spoken_words(s.narration) for s in storyboard.slides), 1.0)
    if duration(max_wpm) > longest:
        over = duration(max_wpm) - longest
        cut = math.ceil(over * max_wpm / 60 * written_per_spoken)
        limit = "the cap" if cap_s is not None and longest == cap_s else "10% over the target"
        message = (
            f"no rate between {min_wpm:.0f} and {max_wpm:.0f} wpm fits: even at {max_wpm:.0f} wpm the lesson runs "
            f"about {duration(max_wpm):.0f}s, {over:.0f}s over {longest:.0f}s ({limit}); "
            f"cut about {cut} of its {words} words"
        )
        return FitResult(max_wpm, duration(max_wpm), False, message, measured)
    under = shortest - duration(min_wpm)
    add = math.ceil(under * min_wpm / 60 * written_per_spoken)
    message = (
        f"no rate between {min_wpm:.0f} and {max_wpm:.0f} wpm fits: even at {min_wpm:.0f} wpm the lesson runs "
        f"about {duration(min_wpm):.0f}s, {under:.0f}s short of {shortest:.0f}s (90% of the target); "
        f"add about {add} words"
    )
    return FitResult(min_wpm, duration(min_wpm), False, message, measured)


def _window(target_s: float | None, cap_s: float | None) -> str:
    if target_s is not None and cap_s is not None:
        return f"within 10% of the {target_s:.0f}s target and under the {cap_s:.0f}s cap"
    if cap_s is not None:
        return f"within the {cap_s:.0f}s cap"
    return f"within 10% of the {target_s:.0f}s target"


def _model(storyboard: Storyboard, settings: NarrationSettings, narration: Narration | None) -> tuple[float, float]:
    """The lesson's fixed seconds and its speech time in seconds × wpm (divide by a rate for seconds)."""
    fixed = 0.0
    speech = 0.0
    measured = {a.n: a for a in narration.slides} if narration is not None else {}
    for slide in storyboard.slides:
        sentences = split_sentences(slide.narration)
        if not sentences:
            fixed += max(1.0, settings.lead_in_s + settings.hold_s)
            continue
        overhead = settings.lead_in_s + settings.hold_s + settings.sentence_pause_s * (len(sentences) - 1)
        got = measured.get(slide.n)
        if got is not None and narration is not None:
            if got.recorded:  # a narrator's recording does not change with the rate
                fixed += got.duration_s
            else:
                fixed += overhead
                speech += max(0.0, got.duration_s - overhead) * narration.rate_wpm
            continue
        fixed += overhead
        speech += spoken_words(slide.narration) * 60.0
    return fixed, speech
