"""The narration checked by ear: what the recognizer heard on each slide, set against the script.

Each slide's words heard are aligned to its script (both normalised: case, punctuation, numbers
spelled out) and give the slide a word error rate and the words missed, substituted or added,
with their times. The recognizer errs on its own, and differently for each voice, so a slide is
only flagged when its error rate is above what the corpus measured for that voice
(:data:`THRESHOLDS`), and a word is only suggested for the lexicon when it is misheard every time
it is said and is not one the recognizer always mishears in that voice. A slide that is clearly
broken (nothing heard, cut short, another slide's audio) is a problem with the build.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .align import Alignment, WordError, align
from .models import HeardWord, Transcript
from .words import ScriptWord, compounds_as_written, heard_words, normalise, script_words


@dataclass(frozen=True, slots=True)
class Threshold:
    """How much a voice's narration may be misheard before a slide is worth a listen."""

    check_wer: float  # above this a slide is flagged for a listen
    # Script words the recognizer mishears in this voice nearly every time in the corpus: the
    # recognizer's failing, not the voice's, so not suggested for the lexicon.
    blind_spots: frozenset[str] = frozenset()


# Measured on the seven corpus lessons (47 slides, 31 minutes) with the course's lexicon
# (python scripts/bench_hearing.py): ``check_wer`` is the worst slide of those good narrations that
# has MIN_FLAGGED_ERRORS or more, plus five points, rounded up to a multiple of 0.05 (two runs gave
# the same; Piper's worst such slide was 19.9% and 18.2%); the blind spots are script words said at
# least three times and misheard at least 80% of them (the union of two runs). espeak-ng's diphone
# voice is misheard far more (slides 0-45%, 16% overall) than Piper's (0-20%, 7-8% overall).
THRESHOLDS: dict[str, Threshold] = {
    "pyttsx3": Threshold(
        check_wer=0.55,
        blind_spots=frozenset(
            {"accounts", "anthropic", "backdoor", "base", "benign", "dedupe", "domain", "laion", "lora", "point"}
            | {"prompts", "snapshot", "thats"}
        ),
    ),
    "piper": Threshold(
        check_wer=0.25,
        blind_spots=frozenset({"base", "dedupe", "laion", "least", "lever", "lora", "mismatched", "point", "scrape"}),
    ),
}
# A voice nobody measured, a narrator's among them: a person is heard better than either TTS voice.
DEFAULT_THRESHOLD = Threshold(check_wer=0.35)
RECORDED = "recording"  # the key of a narration a person recorded

# A slide is flagged for a listen only with at least this many words misheard: on a title slide of
# eight words three slips are 38%, and a voice that samples noise (Piper) slips differently each run.
MIN_FLAGGED_ERRORS = 4
# A clip is cut short when at least this share of its script, all at the end, was not heard.
CUT_SHORT_SHARE = 0.4
# ... and its last heard word ends this close to the end of the audio (the hold after speech is 0.7 s),
CUT_SHORT_END_S = 1.5
# ... and the audio is too short to hold the whole script even at this pace (240 words a minute,
# faster than any narration). A recognizer lost in a foreign phrase can stretch its last word's
# time to the end of the audio; the audio's length cannot be wrong.
FASTEST_WORDS_PER_S = 4.0
# Another slide's script must be heard this much better (in word error rate) to say the audio is that slide's.
OTHER_SLIDE_MARGIN = 0.25


@dataclass(frozen=True, slots=True)
class SlideHearing:
    """One slide's narration as heard: error rate, the words that differ (times from the slide's audio start)."""

    n: int
    wer: float
    script_words: int
    errors: tuple[WordError, ...]
    heard: str  # the recognizer's words, joined, as it wrote them
    verdict: str  # "ok", "check" (worth a listen) or "broken"
    reason: str = ""  # why it is not "ok"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A script word misheard every time it is said: a candidate for the pronunciation lexicon."""

    word: str  # as written in the script
    heard: tuple[str, ...]  # what the recognizer wrote each time
    times: tuple[tuple[int, float], ...]  # (slide, seconds into its audio) of each occurrence
    respelling: str  # a proposed spoken form, or "" when there is no obvious one


@dataclass(frozen=True, slots=True)
class LexiconWord:
    """A word the lexicon respells, heard differently from the script: how its respelling came across."""

    slide: int
    error: WordError  # times from the slide's audio start
    respelling: str  # the lexicon's spoken form
    as_respelled: bool  # heard as the respelling reads: the engine followed the lexicon (is the respelling right?)


@dataclass(frozen=True, slots=True)
class NarrationHearing:
    """The whole narration as heard, slide by slide, with the lexicon's part in it."""

    voice: str  # the voice's key in THRESHOLDS ("pyttsx3", "piper", "recording")
    threshold: Threshold
    slides: tuple[SlideHearing, ...]
    suggestions: tuple[Suggestion, ...]
    lexicon_heard: tuple[LexiconWord, ...]

    @property
    def wer(self) -> float:
        """Word error rate over the whole narration (script words weighted equally)."""
        words = sum(s.script_words for s in self.slides)
        return sum(s.wer * s.script_words for s in self.slides) / words if words else 0.0

    @property
    def broken(self) -> tuple[SlideHearing, ...]:
        return tuple(s for s in self.slides if s.verdict == "broken")


def voice_key(engine: str, voice: str) -> str:
    """The key a voice's thresholds are kept under: the engine, and its voice when one is named."""
    return f"{engine}:{voice}" if voice else engine


def threshold_for(key: str) -> Threshold:
    """The measured thresholds for a voice, else its engine's, else the default."""
    return THRESHOLDS.get(key) or THRESHOLDS.get(key.split(":")[0]) or DEFAULT_THRESHOLD


def hear_narration(
    slides: Sequence[tuple[int, Sequence[str], Transcript]],
    *,
    voice: str,
    lexicon: Sequence[tuple[str, str]] = (),
    threshold: Threshold | None = None,
) -> NarrationHearing:
    """Check each slide's ``(number, script sentences, transcript)``; ``lexicon`` is (written, spoken) pairs."""
    threshold = threshold or threshold_for(voice)
    scripts = {n: script_words(sentences) for n, sentences, _ in slides}
    checked = []
    alignments: dict[int, Alignment] = {}
    for n, _, transcript in slides:
        alignment = align(scripts[n], _heard(transcript, scripts[n]), duration_s=transcript.duration_s)
        alignments[n] = alignment
        checked.append(_verdict(n, alignment, transcript, scripts, threshold))
    written = {n: sentences for n, sentences, _ in slides}
    return NarrationHearing(
        voice=voice,
        threshold=threshold,
        slides=tuple(checked),
        suggestions=_suggestions(alignments, written, lexicon, threshold),
        lexicon_heard=_lexicon_heard(alignments, lexicon),
    )


def _heard(transcript: Transcript, script: Sequence[ScriptWord]) -> tuple[HeardWord, ...]:
    """What the recognizer heard, normalised as the script is and with compounds spelled as it spells them."""
    return compounds_as_written(heard_words(transcript.words), script)


def _verdict(
    n: int,
    alignment: Alignment,
    transcript: Transcript,
    scripts: Mapping[int, Sequence[ScriptWord]],
    threshold: Threshold,
) -> SlideHearing:
    heard = " ".join(w.text for w in transcript.words)
    count = alignment.script_count

    def result(verdict: str, reason: str = "") -> SlideHearing:
        return SlideHearing(n, round(alignment.wer, 4), count, alignment.errors, heard, verdict, reason)

    if not count:
        return result("ok")
    if not transcript.words:
        return result("broken", "nothing was heard: the audio is silent or not speech")
    if alignment.wer > threshold.check_wer:
        other = _better_slide(n, transcript, scripts, alignment.wer, threshold)
        if other is not None:
            return result("broken", f"it sounds like slide {other}'s narration")
    unheard = _unheard_tail(alignment)
    # Cut short: the voice stops, not the recognizer. Speech the recognizer could not follow (a
    # foreign phrase) leaves audio running on after its last word.
    stops = transcript.duration_s - transcript.words[-1].end_s <= CUT_SHORT_END_S
    too_short = transcript.duration_s < count / FASTEST_WORDS_PER_S
    if stops and too_short and unheard >= max(3, CUT_SHORT_SHARE * count):
        return result("broken", f"cut short: the last {unheard} of {count} words were not heard")
    # Misheard alone is not broken: a name, a foreign phrase or an odd voice can garble a slide
    # the recognizer just does not know. Worth a listen.
    if alignment.wer > threshold.check_wer and len(alignment.errors) >= MIN_FLAGGED_ERRORS:
        return result("check", f"{alignment.wer:.0%} of the words were misheard (above {threshold.check_wer:.0%})")
    return result("ok")


def _better_slide(
    n: int, transcript: Transcript, scripts: Mapping[int, Sequence[ScriptWord]], wer: float, threshold: Threshold
) -> int | None:
    """Another slide whose script the transcript is a good reading of (within the voice's threshold)
    and matches far better than its own, if any."""
    best, best_wer = None, min(wer - OTHER_SLIDE_MARGIN, threshold.check_wer)
    for other, script in scripts.items():
        if other != n and script:
            other_wer = align(script, _heard(transcript, script), duration_s=transcript.duration_s).wer
            if other_wer <= best_wer:
                best, best_wer = other, other_wer
    return best


def _unheard_tail(alignment: Alignment) -> int:
    """How many script words at the end were missed after the last word heard (of any kind: a voice
    the recognizer could not follow still gives it words)."""
    count = 0
    for script_index, heard_index in reversed(alignment.pairs):
        if heard_index is not None:
            break
        if script_index is not None:
            count += 1
    return count


_ACRONYM = re.compile(r"^[A-Z0-9]{2,}s?$")


def _written_word(word: str, sentences: Sequence[str]) -> str:
    """A normalised word as the script writes it (its first occurrence's spelling), else the word."""
    for sentence in sentences:
        match = re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'])", sentence, flags=re.IGNORECASE)
        if match:
            return match.group(0)
    return word


def _respelling(written: str) -> str:
    """An obvious spoken form: an acronym spelled out letter by letter; "" when there is none."""
    return " ".join(written.rstrip("s")) + ("s" if written.endswith("s") else "") if _ACRONYM.match(written) else ""


def _respelled_words(lexicon: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Normalised script word -> the lexicon's spoken form for every word an entry covers."""
    covered: dict[str, str] = {}
    for written, spoken in lexicon:
        for word in normalise(written):
            covered.setdefault(word, spoken)
    return covered


def _suggestions(
    alignments: Mapping[int, Alignment],
    written: Mapping[int, Sequence[str]],
    lexicon: Sequence[tuple[str, str]],
    threshold: Threshold,
) -> tuple[Suggestion, ...]:
    covered = _respelled_words(lexicon)
    said: dict[str, int] = defaultdict(int)
    misheard: dict[str, list[tuple[int, WordError]]] = defaultdict(list)
    for n, alignment in alignments.items():
        for error in alignment.errors:
            if error.kind != "added":
                misheard[error.expected].append((n, error))
    for sentences in written.values():
        for sentence in sentences:
            for word in normalise(sentence):
                said[word] += 1
    suggestions = []
    for word, errors in misheard.items():
        if len(errors) < 2 or len(errors) < said[word] or word in covered or word in threshold.blind_spots:
            continue
        if len(word) < 4 or any(_variant(word, e.heard) for _, e in errors):
            continue
        spelled = _written_word(word, written[errors[0][0]])
        suggestions.append(
            Suggestion(
                word=spelled,
                heard=tuple(e.heard or "(nothing)" for _, e in errors),
                times=tuple((n, round(e.start_s, 2)) for n, e in errors),
                respelling=_respelling(spelled),
            )
        )
    return tuple(suggestions)


def _variant(word: str, heard: str) -> bool:
    """Whether ``heard`` is a form of ``word`` (a plural, a tense, half a compound): no respelling helps.

    Short words ("a", "of", "are") are left out before this: the recognizer swallows them in any voice.
    """
    return bool(heard) and (word.startswith(heard) or heard.startswith(word))


def _lexicon_heard(alignments: Mapping[int, Alignment], lexicon: Sequence[tuple[str, str]]) -> tuple[LexiconWord, ...]:
    """Every error on a word the lexicon respells, with its time and whether it was heard as respelled."""
    covered = _respelled_words(lexicon)
    return tuple(
        LexiconWord(
            n, error, covered[error.expected], bool(error.heard) and error.heard in normalise(covered[error.expected])
        )
        for n, alignment in alignments.items()
        for error in alignment.errors
        if error.kind != "added" and error.expected in covered
    )
