"""A narrator's single take of a whole lesson, split onto the lesson's slides.

A narrator may record the lesson in one go rather than slide by slide. The recognizer's words
for the take are lined up with the lesson's script (:func:`split_take`), which says where each
slide's speech begins and ends; the cuts are then moved into the pauses found in the audio itself
(:func:`find_pauses`), because the recognizer's word times are typically 0.1-0.3 s off.

Narrators depart from the script, and the take says how:

- a sentence read again (a slip, a false start): the last complete reading is kept and the
  earlier one is reported as ``"repeated"``;
- a sentence left out: reported as ``"skipped"``, with no time;
- words of their own (three or more in a row that are in no script sentence): ``"ad-lib"``.

A take that is not a reading of this lesson at all (another lesson's, another language, noise)
is refused with :class:`TakeMismatch`, as is one that leaves a whole slide out.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .align import Alignment, align
from .models import HeardWord
from .words import ScriptWord, heard_words, normalise, script_words

# --- Pauses ---------------------------------------------------------------------------------

FRAME_S = 0.01  # the level is measured over 10 ms frames
NOISE_PERCENTILE = 10  # the take's noise floor: the level most pauses stay under
SPEECH_PERCENTILE = 95  # the take's speech level: loud vowels, ignoring the odd click
# The noise floor is taken no lower than this far under the speech level: a take with digital
# silence in it has a floor of minus infinity, which would put both thresholds under room noise.
MAX_RANGE_DB = 45.0
# Where the two thresholds sit between floor and speech level (see find_pauses).
ENTER_FRACTION = 0.5
EDGE_FRACTION = 0.25
# Less contrast than this between floor and speech level means nothing can be told apart.
MIN_RANGE_DB = 10.0
SILENT_DBFS = -60.0  # a take with no contrast that is quieter than this is all pause

# --- Splitting ------------------------------------------------------------------------------

CUT_LEAD_S = 0.05  # a piece starts this long before its speech onset
CUT_TAIL_S = 0.05  # and ends this long after its last word
SNAP_S = 0.5  # a word's time moves to a pause edge at most this far away
MIN_GAP_S = 0.3  # the shortest silence taken for the gap between two slides
COVERED_PAUSE_S = 0.3  # a pause this long inside a heard word is silence the recognizer stretched the word over
# A take in which fewer of the script's words are heard exactly, three or more in a row, is not a
# reading of the lesson. Measured on five takes of a 488-word lesson (a synthetic voice, the
# pinned tiny.en model, word error rate 0.25-0.33): 0.65-0.73 of the script's words in such runs
# (0.71-0.81 heard at all). The same takes against six other lessons' scripts: at most 0.003 in
# runs (0.03-0.10 heard at all: unrelated English shares "the" and "model", rarely three in a row).
MIN_RUN_MATCHED = 0.2
RUN_WORDS = 3
# A sentence of which fewer words than this fraction were heard counts as skipped. A reading the
# recognizer garbled still has a fifth or more of its words right (measured: "Qi et al showed even
# benign fine-tunes degrade safety" heard as "chia tao shou divan, the line fine tunes did rain
# save to" has two of ten).
MIN_SENTENCE_HEARD = 0.2
# Heard words alone between two read sentences, this share to this multiple of a missing sentence's
# words, are that sentence garbled rather than skipped.
MIN_GARBLED_SHARE = 0.5
MAX_GARBLED_SHARE = 2.0
# A reading is complete when it has at least this fraction of the sentence's words and reaches
# into the last quarter of it: a false start has the opening words only.
COMPLETE_FRACTION = 0.5
COMPLETE_TAIL = 0.25
# A recognizer mishearing a word writes at most about this many for it ("am I able" for "available"
# is three, but rare).
MISHEARD_PER_WORD = 2
ALIKE_PREFIX = 4  # words sharing this many first letters are alike, for finding false starts
AD_LIB_WORDS = 3  # this many heard words in a row that are in no script sentence make an ad-lib


class TakeMismatch(ConfigError):
    """The take is not a reading of the lesson, or leaves a whole slide out.

    The caller adds the take's path.
    """


@dataclass(frozen=True, slots=True)
class TakeSlide:
    """One slide's piece of the take.

    ``start_s`` and ``end_s`` are the cut points in the take; ``speech_start_s`` is where the
    slide's speech begins (a little after ``start_s``). ``sentences`` holds each script sentence's
    (start, end) relative to ``start_s``, ``None`` for a sentence that was not read.
    """

    n: int
    start_s: float
    end_s: float
    speech_start_s: float
    sentences: tuple[tuple[float, float] | None, ...]

    @property
    def duration_s(self) -> float:
        """Length of the slide's piece."""
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class Departure:
    """Where the take departs from the script, in take time.

    ``kind`` is ``"repeated"`` (an earlier, discarded reading of a sentence), ``"skipped"`` (the
    sentence was not read; the time is the gap where it belonged) or ``"ad-lib"`` (words in no
    script sentence). ``text`` is the script sentence, or the heard words for an ad-lib.
    """

    kind: str
    slide: int
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class SplitTake:
    """A take split onto the slides, with how it departs from the script.

    ``wer`` is the word error rate of the whole take against the whole script; ``matched`` the
    fraction of the script's words heard exactly in the readings kept.
    """

    slides: tuple[TakeSlide, ...]
    departures: tuple[Departure, ...]
    wer: float
    matched: float


# --- Pauses ---------------------------------------------------------------------------------


def find_pauses(wav: Path, *, min_pause_s: float = 0.15) -> tuple[tuple[float, float], ...]:
    """The (start, end) spans of the take where nobody speaks, in seconds, from the audio itself.

    The level of every 10 ms frame (RMS, dBFS; channels averaged) is compared with two thresholds
    set from the take itself, so the rule holds for a quiet room and a noisy one alike. The noise
    floor is a low percentile of the frame levels (floored at ``MAX_RANGE_DB`` under the speech
    level, for takes with digital silence), the speech level a high one. A pause is a run of
    frames under the threshold halfway between the two (in dB), trimmed at both ends to the frames
    under the threshold a quarter of the way up: the halfway mark keeps quiet consonants out of
    pauses, the quarter mark finds where speech really starts and stops, which is what the cuts
    need. Room noise at -50 dBFS under speech at -20 dBFS is a pause; speech is not. Pauses
    shorter than ``min_pause_s`` (the closure before a "t") are not reported.
    """
    levels = _frame_levels(wav)
    return _pauses_in_levels(levels, frame_s=FRAME_S, min_pause_s=min_pause_s)


def _frame_levels(wav: Path) -> list[float]:
    """The RMS level in dBFS of each 10 ms frame of ``wav`` (the last frame padded with silence)."""
    # Imported here: numpy comes with the recognizer's extra, and splitting needs none of it.
    import numpy as np

    # The narration's audio module is where pydub is imported (without its deprecation warning),
    # so it comes first: pydub's own modules would import it with the warning.
    from ..narration.audio import AudioSegment  # isort: skip

    from pydub.exceptions import CouldntDecodeError  # isort: skip

    try:
        # Parsed from the bytes so pydub never hands the file to ffmpeg; it reads PCM WAVs of any
        # width (24-bit comes back as 32) and WAVE_FORMAT_EXTENSIBLE, which ``wave`` does not.
        segment = AudioSegment(data=wav.read_bytes())
    except (OSError, CouldntDecodeError) as exc:
        raise ConfigError(f"cannot read the take as a PCM WAV: {exc}", path=wav) from exc
    width = segment.sample_width
    # pydub hands 8-bit audio over signed, like the wider widths.
    dtype = {1: np.int8, 2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(segment.raw_data, dtype=dtype).astype(np.float32)
    samples /= float(1 << (8 * width - 1))
    if segment.channels > 1:
        samples = samples.reshape(-1, segment.channels).mean(axis=1)
    hop = max(1, round(segment.frame_rate * FRAME_S))
    frames = -(-len(samples) // hop)
    padded = np.zeros(frames * hop, dtype=np.float32)
    padded[: len(samples)] = samples
    mean_square = np.square(padded).reshape(frames, hop).mean(axis=1, dtype=np.float64)
    # -200 dBFS stands for digital silence (log of zero).
    levels = 10.0 * np.log10(np.maximum(mean_square, 1e-20))
    return [float(level) for level in levels]


def _pauses_in_levels(
    levels: Sequence[float], *, frame_s: float = FRAME_S, min_pause_s: float = 0.15
) -> tuple[tuple[float, float], ...]:
    """The pauses in a sequence of frame levels (dBFS), by the rule :func:`find_pauses` documents."""
    if not levels:
        return ()
    duration = len(levels) * frame_s
    ordered = sorted(levels)
    floor = _percentile(ordered, NOISE_PERCENTILE)
    speech = _percentile(ordered, SPEECH_PERCENTILE)
    floor = max(floor, speech - MAX_RANGE_DB)
    if speech - floor < MIN_RANGE_DB:
        # All one level: silence throughout is one pause; a steady sound cannot be split.
        return ((0.0, duration),) if speech < SILENT_DBFS else ()
    enter = floor + ENTER_FRACTION * (speech - floor)
    edge = floor + EDGE_FRACTION * (speech - floor)
    pauses: list[tuple[float, float]] = []
    for first, last in _runs_below(levels, enter):
        quiet = [i for i in range(first, last + 1) if levels[i] < edge]
        if not quiet:
            continue  # quieter speech, never down to the floor
        start, end = quiet[0] * frame_s, (quiet[-1] + 1) * frame_s
        if end - start >= min_pause_s - 1e-9:
            pauses.append((round(start, 3), round(min(end, duration), 3)))
    return tuple(pauses)


def _percentile(ordered: Sequence[float], percent: float) -> float:
    """The ``percent`` percentile of sorted values (nearest rank)."""
    index = min(len(ordered) - 1, max(0, math.ceil(percent / 100 * len(ordered)) - 1))
    return ordered[index]


def _runs_below(levels: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    """Maximal runs of frames under ``threshold``, as (first, last) frame indices."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, level in enumerate(levels):
        if level < threshold:
            if start is None:
                start = i
        elif start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(levels) - 1))
    return runs


# --- Splitting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """One reading of a script sentence found in the heard words (heard indices, inclusive)."""

    sentence: int
    first: int
    last: int
    matches: tuple[tuple[int, int], ...]  # (script index, heard index) of the words heard exactly
    complete: bool


def split_take(
    slides: Sequence[tuple[int, Sequence[str]]],
    heard: Sequence[HeardWord],
    pauses: Sequence[tuple[float, float]],
    duration_s: float,
) -> SplitTake:
    """Split a take onto the slides from what the recognizer heard and the take's pauses.

    ``slides`` holds each slide's number and its script sentences, in order; ``heard`` the
    recognizer's words for the whole take; ``pauses`` what :func:`find_pauses` found in it.

    Each slide's piece runs from just before its first word to just after its last, both moved
    to the edge of the pause next to them, so the pieces hold no leading or trailing room noise
    and never overlap. Raises :class:`TakeMismatch` when the take is not a reading of these
    slides, or when nothing of a slide was read; ``ValueError`` for a slide with no sentences
    (a silent slide has nothing to find in a take: leave it out).
    """
    sentences = [text for _, texts in slides for text in texts]
    slide_of = [n for n, texts in slides for _ in texts]
    empty = [n for n, texts in slides if not texts]
    if empty:
        raise ValueError(f"slide {empty[0]} has no script sentences to find in the take")
    script = script_words(sentences)
    words = heard_words(heard)
    alignment = align(script, words, duration_s=duration_s)
    _check_lesson(alignment, script, words)

    readings = _readings(script, words, alignment, len(sentences))
    chosen = _choose(readings, script, len(sentences))
    readings = _without_crossings(readings, chosen)
    chosen = _garbled_readings(chosen, readings, script, words)
    spans = _kept_spans(chosen, readings, script, words, pauses)
    unread = [
        (n, texts) for n, texts in slides if not any(s for s, owner in zip(spans, slide_of, strict=True) if owner == n)
    ]
    if unread:
        raise TakeMismatch(_unread_message(unread))
    pieces = _pieces(slides, slide_of, spans, pauses, duration_s)

    departures = [
        *_repeats(readings, chosen, words, pauses, sentences, slide_of),
        *_skips(chosen, spans, sentences, slide_of, duration_s),
        *_ad_libs(chosen, readings, script, words, heard, pauses, slide_of),
    ]
    departures.sort(key=lambda d: (d.start_s, d.end_s))
    heard_exactly = sum(len(reading.matches) for reading in chosen if reading)
    return SplitTake(
        slides=tuple(pieces),
        departures=tuple(departures),
        wer=alignment.wer,
        matched=heard_exactly / len(script) if script else 0.0,
    )


def _check_lesson(alignment: Alignment, script: Sequence[ScriptWord], words: Sequence[HeardWord]) -> None:
    """Refuse a take that is not a reading of this script.

    Any two English texts share words ("the", "model"), and an alignment pairs them up, so the
    plain fraction of script words matched stays well above zero for another lesson's take.
    Three or more matched in a row almost never happens by chance: that fraction tells.
    """
    in_runs = _matched_in_runs(alignment, script, words) / len(script) if script else 0.0
    if in_runs < MIN_RUN_MATCHED:
        heard = alignment.matched / len(script) if script else 0.0
        raise TakeMismatch(
            f"the take is not a reading of this lesson: {heard:.0%} of the script's {len(script)} words were "
            f"recognised in it, and only {in_runs:.0%} of them in runs of {RUN_WORDS} or more (a reading of the "
            f"lesson has well over half in such runs); is it another lesson's take, or not English speech?"
        )


def _unread_message(unread: Sequence[tuple[int, Sequence[str]]]) -> str:
    """Say which slides were not heard in the take at all, and how each one opens."""
    if len(unread) == 1:
        n, texts = unread[0]
        return (
            f'slide {n}: none of its {len(texts)} sentences was heard in the take (it opens "{_shorten(texts[0])}"); '
            "record it in the take, or narrate it separately"
        )
    numbers = ", ".join(str(n) for n, _ in unread[:-1]) + f" and {unread[-1][0]}"
    opens = "; ".join(f'{n} opens "{_shorten(texts[0])}"' for n, texts in unread)
    return f"slides {numbers}: none of their sentences was heard in the take ({opens})"


def _matched_in_runs(alignment: Alignment, script: Sequence[ScriptWord], words: Sequence[HeardWord]) -> int:
    """How many script words were heard exactly in runs of at least ``RUN_WORDS`` in a row."""
    total = run = 0
    for s, h in alignment.pairs:
        if s is not None and h is not None and script[s].text == words[h].text:
            run += 1
            continue
        total += run if run >= RUN_WORDS else 0
        run = 0
    return total + (run if run >= RUN_WORDS else 0)


@dataclass(frozen=True, slots=True)
class _Anchors:
    """What the whole-lesson alignment says about each heard word and each sentence.

    Only words heard exactly in a run of ``RUN_WORDS`` in a row (or a whole shorter sentence)
    are sure: where the recognizer garbled a stretch or missed the end of the take, the alignment
    pairs the garbage with script words one for one, and a stray "the" there matches exactly.
    """

    sure: tuple[int | None, ...]  # per heard word: the script word it surely is
    paired: tuple[int | None, ...]  # per heard word: the script word it stands for, exact or not
    exact: tuple[int | None, ...]  # per heard word: the script word it matches, sure or not
    first: tuple[int | None, ...]  # per sentence: its first heard word heard surely
    last: tuple[int | None, ...]  # per sentence: its last one
    first_exact: tuple[int | None, ...]  # per sentence: its first heard word heard exactly, sure or not

    @classmethod
    def of(cls, alignment: Alignment, script: Sequence[ScriptWord], words: Sequence[HeardWord], count: int) -> _Anchors:
        sizes = [hi - lo for lo, hi in _sentence_ranges(script, count)]
        paired: list[int | None] = [None] * len(words)
        exact: list[int | None] = [None] * len(words)
        sure: list[int | None] = [None] * len(words)
        run: list[tuple[int, int]] = []
        for s, h in (*alignment.pairs, (None, None)):
            if s is not None and h is not None:
                paired[h] = s
                if script[s].text == words[h].text:
                    exact[h] = s
                    run.append((s, h))
                    continue
            if run and len(run) >= min(RUN_WORDS, sizes[script[run[0][0]].sentence]):
                for s_run, h_run in run:
                    sure[h_run] = s_run
            run = []
        return cls(
            tuple(sure),
            tuple(paired),
            tuple(exact),
            _ends(sure, script, count, first=True),
            _ends(sure, script, count, first=False),
            _ends(exact, script, count, first=True),
        )

    def window(self, sentence: int, heard_count: int) -> tuple[int, int]:
        """The heard words a reading of ``sentence`` may lie in: after the last word of the
        sentence two before it, up to the first of the sentence two after it (exclusive)."""
        before = [h for h in self.last[: max(0, sentence - 1)] if h is not None]
        after = [h for h in self.first[sentence + 2 :] if h is not None]
        return (max(before) + 1 if before else 0, min(after) if after else heard_count)

    def elsewhere(self, h: int, lo: int, hi: int) -> bool:
        """Whether heard word ``h`` is surely a script word outside ``lo:hi``."""
        s = self.sure[h]
        return s is not None and not lo <= s < hi


def _ends(
    heard_as: Sequence[int | None], script: Sequence[ScriptWord], count: int, *, first: bool
) -> tuple[int | None, ...]:
    """Per sentence, the first (or last) heard word standing for one of its script words."""
    ends: list[int | None] = [None] * count
    for h, s in enumerate(heard_as):
        if s is not None:
            sentence = script[s].sentence
            if not first or ends[sentence] is None:
                ends[sentence] = h
    return tuple(ends)


def _readings(
    script: Sequence[ScriptWord], words: Sequence[HeardWord], alignment: Alignment, count: int
) -> list[list[_Reading]]:
    """Every reading of each sentence found in the heard words, in take order.

    The whole-lesson alignment pairs each sentence with one reading, not necessarily the last,
    and may interleave a false start with the reading after it ("the model, the model
    generalises": the first "the model" and the second "generalises"). So each sentence is
    looked for again around where the alignment put it (from the sentence two before to the
    sentence two after, so that re-reading two sentences is found too): a reading starts
    wherever the sentence's opening words are heard, and each one is aligned with the sentence
    on its own.
    """
    anchors = _Anchors.of(alignment, script, words, count)
    readings: list[list[_Reading]] = []
    for sentence, (lo, hi) in enumerate(_sentence_ranges(script, count)):
        window = anchors.window(sentence, len(words))
        starts = {
            h for h in range(*window) if _opens(script, lo, hi, words, h) and not anchors.elsewhere(h, lo, lo + 2)
        }
        # Where the alignment put the sentence (a stray word there makes a reading that is
        # dropped later, as it runs over another sentence's).
        aligned = anchors.first_exact[sentence]
        if aligned is not None:
            # Step back over opening words it misheard.
            opening = anchors.exact[aligned]
            while aligned > window[0] and _between(anchors.paired[aligned - 1], lo, opening):
                aligned -= 1
            starts.add(aligned)
        ordered = sorted(starts)
        found = []
        for k, start in enumerate(ordered):
            end = min(ordered[k + 1] if k + 1 < len(ordered) else window[1], start + 2 * (hi - lo) + 4)
            # A reading stops where the alignment is sure another sentence is being read.
            end = next((h for h in range(start + 1, end) if anchors.elsewhere(h, lo, hi)), end)
            reading = _read(script, lo, hi, words, start, end, sentence)
            if reading is not None:
                found.append(reading)
        readings.append(found)
    return readings


def _between(value: int | None, lo: int, hi: int | None) -> bool:
    return value is not None and hi is not None and lo <= value < hi


def _sentence_ranges(script: Sequence[ScriptWord], count: int) -> list[tuple[int, int]]:
    """Each sentence's script words as a (first, end) index range."""
    ranges = [(0, 0)] * count
    for i, word in enumerate(script):
        lo, hi = ranges[word.sentence]
        ranges[word.sentence] = (lo if hi > lo else i, i + 1)
    return ranges


def _opens(script: Sequence[ScriptWord], lo: int, hi: int, words: Sequence[HeardWord], h: int) -> bool:
    """Whether the heard words from ``h`` open the sentence ``script[lo:hi]``: its first word,
    then its second or third (or a word like it) as the next heard word or the one after: one
    word may be lost, misheard or added. "The" alone opens too many phrases to tell."""
    if hi <= lo or words[h].text != script[lo].text:
        return False
    if hi - lo == 1:
        return True
    return any(
        _alike(script[lo + i].text, words[h + j].text)
        for i in (1, 2)
        for j in (1, 2)
        if lo + i < hi and h + j < len(words)
    )


def _alike(expected: str, heard: str) -> bool:
    """The same word, or one the recognizer got nearly right ("model" for "models")."""
    return expected == heard or (
        min(len(expected), len(heard)) >= ALIKE_PREFIX and expected[:ALIKE_PREFIX] == heard[:ALIKE_PREFIX]
    )


def _read(
    script: Sequence[ScriptWord], lo: int, hi: int, words: Sequence[HeardWord], start: int, end: int, sentence: int
) -> _Reading | None:
    """The reading of ``script[lo:hi]`` in ``words[start:end]``, or None when there is none."""
    local = align(script[lo:hi], words[start:end])
    paired = [(i, s, h) for i, (s, h) in enumerate(local.pairs) if s is not None and h is not None]
    exact = [i for i, s, h in paired if script[lo + s].text == words[start + h].text]
    alike = [i for i, s, h in paired if _alike(script[lo + s].text, words[start + h].text)]
    size = hi - lo
    # A false start ("for model, for models you pull") may have only one word heard exactly.
    if not exact or len(alike) < (1 if size <= 2 else 2):
        return None
    matches = tuple((lo + local.pairs[i][0], start + local.pairs[i][1]) for i in exact)  # type: ignore[operator]
    complete = len(matches) >= COMPLETE_FRACTION * size and matches[-1][0] - lo >= size - 1 - math.floor(
        COMPLETE_TAIL * size
    )
    # The reading reaches over misheard words next to its first and last exact ones.
    first, last = exact[0], exact[-1]
    while first > 0 and None not in local.pairs[first - 1]:
        first -= 1
    while last + 1 < len(local.pairs) and None not in local.pairs[last + 1]:
        last += 1
    first_h, last_h = local.pairs[first][1], local.pairs[last][1]
    assert first_h is not None and last_h is not None
    return _Reading(sentence, start + first_h, start + last_h, matches, complete)


def _choose(readings: Sequence[Sequence[_Reading]], script: Sequence[ScriptWord], count: int) -> list[_Reading | None]:
    """The reading kept for each sentence: the last complete one, else the fullest; None when
    the sentence was skipped (not even ``MIN_SENTENCE_HEARD`` of it heard).

    Readings that begin before the reading kept for the sentence before are passed over, so the
    kept readings run in script order.
    """
    sizes = [hi - lo for lo, hi in _sentence_ranges(script, count)]
    chosen: list[_Reading | None] = []
    after = -1
    for found, size in zip(readings, sizes, strict=True):
        candidates = [r for r in found if r.first > after]
        complete = [r for r in candidates if r.complete]
        if complete:
            pick: _Reading | None = complete[-1]
        else:
            # The fullest, and the last of equally full ones.
            pick = max(reversed(candidates), key=lambda r: len(r.matches), default=None)
            if pick is not None and len(pick.matches) < MIN_SENTENCE_HEARD * size:
                pick = None
        chosen.append(pick)
        if pick is not None:
            after = pick.last
    return chosen


def _garbled_readings(
    chosen: Sequence[_Reading | None],
    readings: Sequence[Sequence[_Reading]],
    script: Sequence[ScriptWord],
    words: Sequence[HeardWord],
) -> list[_Reading | None]:
    """Readings for sentences the recognizer garbled beyond recognition ("A lesson over its cap is
    cut" heard as "but let's an overwrit scap his cut"): taken for skipped, they would be cut out
    of the audio with their slide's end.

    A sentence with no reading whose neighbours both have one, alone between them, is read in the
    heard words between those readings when there are about as many as it has words (half to
    twice as many) and none of them belongs to another reading (a repeat). A true skip leaves
    no words there, or few.
    """
    sizes = [hi - lo for lo, hi in _sentence_ranges(script, len(chosen))]
    taken = {h for found in readings for reading in found for h in range(reading.first, reading.last + 1)}
    out = list(chosen)
    for i, reading in enumerate(chosen):
        if reading is not None:
            continue
        before = chosen[i - 1] if i else None
        after = chosen[i + 1] if i + 1 < len(chosen) else None
        first = before.last + 1 if before is not None else (0 if i == 0 else None)
        last = after.first - 1 if after is not None else (len(words) - 1 if i == len(chosen) - 1 else None)
        if first is None or last is None or last < first:
            continue
        gap = range(first, last + 1)
        if MIN_GARBLED_SHARE * sizes[i] <= len(gap) <= MAX_GARBLED_SHARE * sizes[i] and not taken.intersection(gap):
            out[i] = _Reading(i, first, last, (), complete=False)
    return out


def _without_crossings(
    readings: Sequence[Sequence[_Reading]], chosen: Sequence[_Reading | None]
) -> list[list[_Reading]]:
    """The readings, less those running over a word kept for another sentence: those are
    stray matches in another sentence's reading, not a repeat."""
    owner = {h: reading.sentence for reading in chosen if reading for _, h in reading.matches}
    return [
        [
            reading
            for reading in found
            if reading == keep
            or all(owner.get(h, reading.sentence) == reading.sentence for h in range(reading.first, reading.last + 1))
        ]
        for found, keep in zip(readings, chosen, strict=True)
    ]


def _reading_span(
    reading: _Reading, words: Sequence[HeardWord], pauses: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """A reading's (start, end) in take time, its edges moved to the pauses next to them."""
    first, last = words[reading.first], words[reading.last]
    start = _snap_onset(first.start_s, first.end_s, pauses)
    end = _snap_release(last.end_s, last.start_s, pauses)
    return start, max(start, end)


def _kept_spans(
    chosen: Sequence[_Reading | None],
    readings: Sequence[Sequence[_Reading]],
    script: Sequence[ScriptWord],
    words: Sequence[HeardWord],
    pauses: Sequence[tuple[float, float]],
) -> list[tuple[float, float] | None]:
    """Each sentence's (start, end) in take time from the reading kept, ``None`` when skipped.

    When the recognizer garbled a sentence's opening words ("Honest answer" heard as "On this
    time, sir"), its first exact word comes late and a cut there would clip the opening. The
    start then moves back to the longest pause since the word kept before it, provided no more
    heard words lie between that pause and the start than a recognizer writes for the words
    missed (two each, and one more). The same holds for a garbled ending.

    After a false start the recognizer may run the false start's last word into the restart's
    first ("the moon pulls the | moon pulls the water" heard with one "the" across the pause), so
    a reading that follows an earlier one of its sentence starts after any pause inside its
    first word.
    """
    ranges = _sentence_ranges(script, len(chosen))
    kept = sorted(h for reading in chosen if reading for _, h in reading.matches)
    spans: list[tuple[float, float] | None] = []
    for reading in chosen:
        if reading is None:
            spans.append(None)
            continue
        if not reading.matches:  # garbled: only where it was said is known
            spans.append(_reading_span(reading, words, pauses))
            continue
        lo, hi = ranges[reading.sentence]
        start, end = _reading_span(reading, words, pauses)
        if any(other.first < reading.first for other in readings[reading.sentence]):
            first = words[reading.first]
            start = max([start, *(end for _, end in pauses if first.start_s < end < first.end_s)])
        head = reading.matches[0][0] - lo  # opening words not heard exactly
        tail = hi - 1 - reading.matches[-1][0]  # closing words not heard exactly
        # The words kept just before and after this reading, from the sentences either side.
        index = bisect_left(kept, reading.matches[0][1])
        before = kept[index - 1] if index else -1
        index = bisect_right(kept, reading.matches[-1][1])
        after = kept[index] if index < len(kept) else len(words)
        if head:
            lead = words[before + 1 : reading.matches[0][1]]
            since = words[before].end_s if before >= 0 else 0.0
            start = _garbled_start(start, since, lead, head, pauses)
        if tail:
            trail = words[reading.matches[-1][1] + 1 : after]
            until = words[after].start_s if after < len(words) else math.inf
            end = _garbled_end(end, until, trail, tail, pauses)
        spans.append((start, max(start, end)))
    return spans


def _garbled_start(
    start: float, since: float, lead: Sequence[HeardWord], missed: int, pauses: Sequence[tuple[float, float]]
) -> float:
    """The start of a sentence whose first ``missed`` words were not heard exactly: the end of
    the longest pause between ``since`` and ``start``, if the heard words ``lead`` that fall
    after that pause are few enough to be those words misheard."""
    gaps = [p for p in pauses if since < p[1] <= start]
    if not gaps:
        return start
    pause_start, pause_end = max(gaps, key=lambda p: p[1] - p[0])
    middle = (pause_start + pause_end) / 2
    after_pause = sum(1 for word in lead if _middle(word) > middle)
    return pause_end if after_pause <= MISHEARD_PER_WORD * missed + 1 else start


def _garbled_end(
    end: float, until: float, trail: Sequence[HeardWord], missed: int, pauses: Sequence[tuple[float, float]]
) -> float:
    """The mirror image of :func:`_garbled_start` for a sentence's last ``missed`` words."""
    gaps = [p for p in pauses if end <= p[0] < until]
    if not gaps:
        return end
    pause_start, pause_end = max(gaps, key=lambda p: p[1] - p[0])
    middle = (pause_start + pause_end) / 2
    before_pause = sum(1 for word in trail if _middle(word) < middle)
    return pause_start if before_pause <= MISHEARD_PER_WORD * missed + 1 else end


def _middle(word: HeardWord) -> float:
    return (word.start_s + word.end_s) / 2


def _snap_onset(start_s: float, end_s: float, pauses: Sequence[tuple[float, float]]) -> float:
    """Where speech really starts for a word the recognizer heard from ``start_s`` to ``end_s``.

    The recognizer often stretches a word back over the silence before it: when its start lies in
    a pause, speech starts at that pause's end; when a long pause (``COVERED_PAUSE_S``, longer than
    any stop consonant's closure inside a word) begins just after its start and ends inside the
    word, at that pause's end. Otherwise the nearest pause end within ``SNAP_S`` that is before
    the word's end; failing all, the recognizer's start.
    """
    for pause_start, pause_end in pauses:
        if pause_start <= start_s < pause_end:
            return pause_end if pause_end < end_s else start_s
    covered = [
        end
        for start, end in pauses
        if end - start >= COVERED_PAUSE_S and start <= start_s + SNAP_S and start_s < end < end_s
    ]
    if covered:
        return max(covered)
    near = [end for _, end in pauses if abs(end - start_s) <= SNAP_S and end < end_s]
    return min(near, key=lambda end: abs(end - start_s), default=start_s)


def _snap_release(end_s: float, start_s: float, pauses: Sequence[tuple[float, float]]) -> float:
    """Where speech really stops for a word the recognizer heard from ``start_s`` to ``end_s``:
    the mirror image of :func:`_snap_onset`, moving to a pause's start."""
    for pause_start, pause_end in pauses:
        if pause_start < end_s <= pause_end:
            return pause_start if pause_start > start_s else end_s
    covered = [
        start
        for start, end in pauses
        if end - start >= COVERED_PAUSE_S and end >= end_s - SNAP_S and start_s < start < end_s
    ]
    if covered:
        return min(covered)
    near = [start for start, _ in pauses if abs(start - end_s) <= SNAP_S and start > start_s]
    return min(near, key=lambda start: abs(start - end_s), default=end_s)


def _pieces(
    slides: Sequence[tuple[int, Sequence[str]]],
    slide_of: Sequence[int],
    spans: Sequence[tuple[float, float] | None],
    pauses: Sequence[tuple[float, float]],
    duration_s: float,
) -> list[TakeSlide]:
    """Each slide's cut points and sentence times, from its read sentences' spans."""
    bounds = []  # per slide: (speech start, speech end)
    for n, _ in slides:
        read = [span for span, owner in zip(spans, slide_of, strict=True) if owner == n and span]
        bounds.append((read[0][0], max(end for _, end in read)))
    bounds = _between_slides(bounds, pauses, duration_s)
    cuts: list[tuple[float, float]] = []
    for k, (speech_start, speech_end) in enumerate(bounds):
        start = max(0.0, speech_start - CUT_LEAD_S)
        end = min(duration_s, speech_end + CUT_TAIL_S)
        if k:
            previous_end = bounds[k - 1][1]
            if start < cuts[-1][1]:
                # Too short a gap for both margins: cut halfway (or at the onset, should the
                # previous slide's speech run on past it).
                middle = min(speech_start, (previous_end + speech_start) / 2)
                cuts[-1] = (cuts[-1][0], max(cuts[-1][0], middle))
                start = max(middle, cuts[-1][1])
        cuts.append((start, max(start, end)))
    pieces = []
    for (n, _), (start, end), (speech_start, _) in zip(slides, cuts, bounds, strict=True):
        own = [span for span, owner in zip(spans, slide_of, strict=True) if owner == n]
        pieces.append(
            TakeSlide(
                n=n,
                start_s=_ms(start),
                end_s=_ms(end),
                speech_start_s=_ms(max(start, speech_start)),
                sentences=tuple(_relative(span, start, end) if span else None for span in own),
            )
        )
    return pieces


def _between_slides(
    bounds: Sequence[tuple[float, float]], pauses: Sequence[tuple[float, float]], duration_s: float
) -> list[tuple[float, float]]:
    """Slide edges moved onto the silences around them: where one slide's speech ends and the next begins.

    A word's edge snapped on its own may land on a short gap inside a word (a stop consonant's
    closure) and cut it; the gap between slides is a real silence (``MIN_GAP_S`` or longer). So a
    slide's speech ends where the first such silence after its last word begins, and the next
    slide's begins where the last such silence before its first word ends, each looked for
    within ``SNAP_S`` of the recognizer's edge. Whatever lies between the two (a false start at a
    slide's opening, a cough) is in neither piece. The room before the first word and after the
    last count as such silences.
    """
    gaps = [(start, end) for start, end in pauses if end - start >= MIN_GAP_S]
    edges = [list(b) for b in bounds]
    for k, edge in enumerate(edges):
        earlier = edges[k - 1][1] if k else 0.0
        before = [end for start, end in gaps if earlier <= end <= edge[0] + SNAP_S and end < edge[1]]
        if before:
            edge[0] = max(before)
        later = edges[k + 1][0] if k + 1 < len(edges) else duration_s
        after = [start for start, end in gaps if edge[1] - SNAP_S <= start <= later and start > edge[0]]
        if after:
            edge[1] = min(after)
    return [(start, end) for start, end in edges]


def _relative(span: tuple[float, float], start: float, end: float) -> tuple[float, float]:
    """A take-time span as times from a piece's start, kept inside the piece."""
    length = end - start
    begin = min(length, max(0.0, span[0] - start))
    return _ms(begin), _ms(min(length, max(begin, span[1] - start)))


def _ms(seconds: float) -> float:
    """A time rounded to the millisecond, as a plain float (recognizers hand over numpy floats)."""
    return round(float(seconds), 3)


def _repeats(
    readings: Sequence[Sequence[_Reading]],
    chosen: Sequence[_Reading | None],
    words: Sequence[HeardWord],
    pauses: Sequence[tuple[float, float]],
    sentences: Sequence[str],
    slide_of: Sequence[int],
) -> list[Departure]:
    """Every reading of a sentence other than the one kept."""
    departures = []
    for sentence, (found, kept) in enumerate(zip(readings, chosen, strict=True)):
        if kept is None:
            continue
        for reading in found:
            if reading != kept:
                start, end = _reading_span(reading, words, pauses)
                departures.append(Departure("repeated", slide_of[sentence], sentences[sentence], _ms(start), _ms(end)))
    return departures


def _skips(
    chosen: Sequence[_Reading | None],
    spans: Sequence[tuple[float, float] | None],
    sentences: Sequence[str],
    slide_of: Sequence[int],
    duration_s: float,
) -> list[Departure]:
    """Every sentence not read, with the gap it belonged in: from the end of the read sentence
    before it to the start of the read sentence after it."""
    departures = []
    for sentence, kept in enumerate(chosen):
        if kept is not None or not normalise(sentences[sentence]):
            continue  # read, or nothing in it to say
        before = next((span[1] for span in reversed(spans[:sentence]) if span), None)
        after = next((span[0] for span in spans[sentence + 1 :] if span), None)
        start = before if before is not None else (after if after is not None else 0.0)
        end = after if after is not None else (before if before is not None else duration_s)
        departures.append(
            Departure("skipped", slide_of[sentence], sentences[sentence], _ms(start), _ms(max(start, end)))
        )
    return departures


def _ad_libs(
    chosen: Sequence[_Reading | None],
    readings: Sequence[Sequence[_Reading]],
    script: Sequence[ScriptWord],
    words: Sequence[HeardWord],
    heard: Sequence[HeardWord],
    pauses: Sequence[tuple[float, float]],
    slide_of: Sequence[int],
) -> list[Departure]:
    """Runs of heard words that are no script word kept, too many to be the script words due
    between their neighbours misheard.

    A recognizer that mishears writes about one word for each word said, at most two ("am I
    able" for "available"), so a run counts as an ad-lib when it has at least ``AD_LIB_WORDS``
    words more than twice the script words due in its gap (words of skipped sentences are not
    due). Words of a discarded reading are repeats, not ad-libs, and break a run.
    """
    kept: dict[int, int] = {}  # heard word -> script word, in the readings kept
    for reading in chosen:
        if reading is not None:
            kept.update((h, s) for s, h in reading.matches)
    repeated = {
        h
        for found, keep in zip(readings, chosen, strict=True)
        if keep is not None
        for reading in found
        if reading != keep
        for h in range(reading.first, reading.last + 1)
    }
    read = {i for i, word in enumerate(script) if chosen[word.sentence] is not None}
    departures = []
    for first, last in _runs(len(words), lambda h: h not in kept and h not in repeated):
        before = next((kept[h] for h in range(first - 1, -1, -1) if h in kept), -1)
        after = next((kept[h] for h in range(last + 1, len(words)) if h in kept), len(script))
        due = sum(1 for i in range(before + 1, after) if i in read)
        if last - first + 1 < AD_LIB_WORDS + MISHEARD_PER_WORD * due:
            continue
        # The recognizer's own words for the run (with their capitals and punctuation).
        text = " ".join(
            w.text.strip() for w in heard if words[first].start_s <= _middle(w) <= words[last].end_s and w.text.strip()
        ) or " ".join(w.text for w in words[first : last + 1])
        start = _snap_onset(words[first].start_s, words[first].end_s, pauses)
        end = max(start, _snap_release(words[last].end_s, words[last].start_s, pauses))
        owner = script[before].sentence if before >= 0 else (script[after].sentence if after < len(script) else 0)
        departures.append(Departure("ad-lib", slide_of[owner], text, _ms(start), _ms(end)))
    return departures


def _runs(count: int, inside: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Maximal runs of indices ``0..count-1`` for which ``inside`` holds, as (first, last)."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(count):
        if inside(i):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, count - 1))
    return runs


def _shorten(text: str, words: int = 6) -> str:
    """The first few words of ``text``, with an ellipsis when there are more."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
