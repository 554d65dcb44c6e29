"""Splitting a narrator's single take onto the slides (pipeline.hearing.take).

The takes here are made up: the recognizer's words for a reading of a small lesson, at known
times, with the pauses between them, and the recognizer's times put off the way tiny.en's are
(a word after a pause starts early, stretched back into the silence; one before a pause ends
late). ``find_pauses`` reads tiny WAVs written here: tone bursts with silence and room noise
between them.
"""

from __future__ import annotations

import array
import math
import random
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.hearing.models import HeardWord
from pipeline.hearing.take import (
    CUT_LEAD_S,
    CUT_TAIL_S,
    SplitTake,
    TakeMismatch,
    find_pauses,
    split_take,
)

SLIDES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("Welcome to this lesson on harbour tides.", "It takes about five minutes.")),
    (
        2,
        (
            "Tides rise and fall twice a day along most coasts.",
            "The moon pulls the water toward it.",
            "The sun adds a smaller pull of its own.",
        ),
    ),
    (
        3,
        (
            "Spring tides come when the sun and the moon line up.",
            "Neap tides come when they pull at right angles.",
            "That is all for today.",
        ),
    ),
)
OTHER_LESSON = (
    "Passwords should be long rather than complicated.",
    "A manager keeps a different one for every site you use.",
    "Turn on a second factor wherever a bank or a mail provider offers it.",
    "Never type a code you were sent into a page you reached from a link.",
)

WORD_S = 0.3  # each heard word lasts this long
GAP_S = 0.05  # between the words of a sentence: too short to be a pause
SENTENCE_PAUSE_S = 0.4
SLIDE_PAUSE_S = 1.0
LEAD_S = 1.5  # room noise before the narrator starts
TAIL_S = 2.0  # and after they stop
MIN_PAUSE_S = 0.15  # find_pauses' default: shorter gaps are not pauses


@dataclass
class Take:
    """A made-up take: what the recognizer heard, the pauses in the audio, and the truth."""

    heard: list[HeardWord] = field(default_factory=list)
    pauses: list[tuple[float, float]] = field(default_factory=list)
    said: list[tuple[str, float, float]] = field(default_factory=list)  # each text part, when it was really said
    duration_s: float = 0.0

    def span(self, text: str, reading: int = -1) -> tuple[float, float]:
        """When ``text`` was really said (its last reading unless told)."""
        return [(start, end) for said, start, end in self.said if said == text][reading]

    def split(self, slides: tuple[tuple[int, tuple[str, ...]], ...] = SLIDES) -> SplitTake:
        return split_take(slides, self.heard, self.pauses, self.duration_s)


def record(*parts: str | float, early_s: float = 0.2, late_s: float = 0.15) -> Take:
    """A take read as ``parts``: each text is said word by word, each number is a pause that long.

    The recognizer starts a word that follows a pause ``early_s`` early and ends a word before
    a pause ``late_s`` late (negative values: the other way).
    """
    take = Take(pauses=[(0.0, LEAD_S)])
    t = LEAD_S
    after_pause = True
    for part in parts:
        if isinstance(part, float):
            if part >= MIN_PAUSE_S:
                take.pauses.append((round(t, 6), round(t + part, 6)))
            if take.heard and part >= MIN_PAUSE_S:
                last = take.heard[-1]
                take.heard[-1] = HeardWord(last.text, last.start_s, last.end_s + late_s)
            after_pause = part >= MIN_PAUSE_S
            t += part
            continue
        start = t
        for k, word in enumerate(part.split()):
            skew = -early_s if k == 0 and after_pause else 0.0
            take.heard.append(HeardWord(" " + word, t + skew, t + WORD_S))
            t += WORD_S + GAP_S
        t -= GAP_S
        take.said.append((part, start, t))
        after_pause = False
    if take.heard:
        last = take.heard[-1]
        take.heard[-1] = HeardWord(last.text, last.start_s, last.end_s + late_s)
    take.pauses.append((round(t, 6), round(t + TAIL_S, 6)))
    take.duration_s = t + TAIL_S
    return take


def reading(slides: tuple[tuple[int, tuple[str, ...]], ...] = SLIDES) -> list[str | float]:
    """The lesson read as written, with a pause between sentences and a longer one between slides."""
    parts: list[str | float] = []
    for k, (_, sentences) in enumerate(slides):
        if k:
            parts.append(SLIDE_PAUSE_S)
        for i, sentence in enumerate(sentences):
            if i:
                parts.append(SENTENCE_PAUSE_S)
            parts.append(sentence)
    return parts


def replaced(parts: list[str | float], text: str, *new: str | float) -> list[str | float]:
    """``parts`` with the part ``text`` replaced by ``new`` (nothing: left out)."""
    index = parts.index(text)
    return [*parts[:index], *new, *parts[index + 1 :]]


def slide_pause(take: Take, k: int) -> tuple[float, float]:
    """The pause between slide ``k`` and slide ``k + 1`` (1-based), as really made."""
    last_said = take.span(SLIDES[k - 1][1][-1])[1]
    return next(p for p in take.pauses if p[0] == pytest.approx(last_said))


# --- Cuts and onsets -------------------------------------------------------------------------


def test_cuts_land_inside_the_pauses_between_slides() -> None:
    take = record(*reading())
    split = take.split()
    assert [piece.n for piece in split.slides] == [1, 2, 3]
    for k in (1, 2):
        before, after = split.slides[k - 1], split.slides[k]
        pause_start, pause_end = slide_pause(take, k)
        assert pause_start < before.end_s <= after.start_s < pause_end
        # Just after the last word and just before the first, so the pause's room noise stays out.
        assert before.end_s == pytest.approx(pause_start + CUT_TAIL_S)
        assert after.start_s == pytest.approx(pause_end - CUT_LEAD_S)


@pytest.mark.parametrize("early_s", [0.25, 0.1, -0.15], ids=["0.25 s early", "0.1 s early", "0.15 s late"])
def test_speech_onset_snaps_to_the_end_of_the_pause_before_it(early_s: float) -> None:
    take = record(*reading(), early_s=early_s)
    split = take.split()
    for piece, (_, sentences) in zip(split.slides, SLIDES, strict=True):
        assert piece.speech_start_s == pytest.approx(take.span(sentences[0])[0])


def test_an_onset_with_no_pause_near_keeps_the_recognizers_time() -> None:
    take = record(*reading(), early_s=0.2)
    split = split_take(SLIDES, take.heard, [], take.duration_s)
    first_words = [w for w in take.heard if w.text.strip() in {"Welcome", "Tides", "Spring"}]
    assert [piece.speech_start_s for piece in split.slides] == pytest.approx([w.start_s for w in first_words])


def test_the_room_noise_before_and_after_the_narration_is_left_out() -> None:
    take = record(*reading())
    split = take.split()
    first, last = split.slides[0], split.slides[-1]
    assert first.start_s == pytest.approx(LEAD_S - CUT_LEAD_S)
    assert last.end_s == pytest.approx(take.span(SLIDES[-1][1][-1])[1] + CUT_TAIL_S)
    assert last.end_s < take.duration_s - 1


def test_sentence_times_are_relative_to_the_slides_piece() -> None:
    take = record(*reading())
    split = take.split()
    for piece, (_, sentences) in zip(split.slides, SLIDES, strict=True):
        for span, sentence in zip(piece.sentences, sentences, strict=True):
            assert span is not None
            start, end = take.span(sentence)
            assert (piece.start_s + span[0], piece.start_s + span[1]) == pytest.approx((start, end), abs=1e-3)
        assert piece.sentences[0][0] == pytest.approx(CUT_LEAD_S, abs=1e-3)  # type: ignore[index]


def test_pieces_never_overlap_when_slides_follow_closely() -> None:
    parts = [SLIDE_PAUSE_S * 0.08 if part == SLIDE_PAUSE_S else part for part in reading()]
    take = record(*parts, early_s=0.0, late_s=0.0)
    split = take.split()
    for before, after in zip(split.slides, split.slides[1:], strict=False):
        assert before.start_s < before.end_s <= after.start_s < after.end_s
    # The cut falls between the last word of one slide and the first of the next.
    boundary = split.slides[1].start_s
    assert take.span(SLIDES[0][1][-1])[1] <= boundary <= take.span(SLIDES[1][1][0])[0]


def test_a_garbled_opening_does_not_clip_the_slide() -> None:
    # tiny.en hears "Spring tides come" as five words of nonsense: the first exact word is "when".
    spring = SLIDES[2][1][0]
    garbled = "Sprinkle tie dance calm hum when the sun and the moon line up."
    take = record(*replaced(reading(), spring, garbled))
    split = take.split()
    assert split.slides[2].speech_start_s == pytest.approx(take.span(garbled)[0])
    assert split.departures == ()


def test_a_garbled_ending_does_not_clip_the_slide() -> None:
    minutes = SLIDES[0][1][1]
    garbled = "It takes about fire mitt nuts hum."
    take = record(*replaced(reading(), minutes, garbled))
    split = take.split()
    assert split.slides[0].end_s == pytest.approx(take.span(garbled)[1] + CUT_TAIL_S)
    assert split.departures == ()


def test_a_clean_take_has_no_departures_and_every_word_matched() -> None:
    split = record(*reading()).split()
    assert split.departures == ()
    assert split.wer == 0.0
    assert split.matched == 1.0


# --- Departures ------------------------------------------------------------------------------


def test_a_repeated_sentence_keeps_the_last_readings_time_and_lists_the_earlier() -> None:
    moon = SLIDES[1][1][1]
    take = record(*replaced(reading(), moon, moon, 0.5, moon))
    split = take.split()
    piece = split.slides[1]
    span = piece.sentences[1]
    assert span is not None
    assert (piece.start_s + span[0], piece.start_s + span[1]) == pytest.approx(take.span(moon, -1), abs=1e-3)
    [departure] = split.departures
    assert (departure.kind, departure.slide, departure.text) == ("repeated", 2, moon)
    assert (departure.start_s, departure.end_s) == pytest.approx(take.span(moon, 0))


def test_going_back_over_two_sentences_keeps_the_second_reading_of_both() -> None:
    rise, moon = SLIDES[1][1][:2]
    take = record(*replaced(reading(), moon, moon, 0.6, rise, 0.4, moon))
    split = take.split()
    piece = split.slides[1]
    for span, sentence in zip(piece.sentences[:2], (rise, moon), strict=True):
        assert span is not None
        assert piece.start_s + span[0] == pytest.approx(take.span(sentence, -1)[0], abs=1e-3)
    assert [(d.kind, d.text) for d in split.departures] == [("repeated", rise), ("repeated", moon)]
    assert [d.start_s for d in split.departures] == pytest.approx([take.span(rise, 0)[0], take.span(moon, 0)[0]])


def test_a_repeat_is_still_found_when_the_recognizer_loses_the_end_of_the_take() -> None:
    # With the end lost, the whole-lesson alignment pairs the words left one for one with the
    # script's tail, and "the moon" of the second reading with "the moon" of the next sentence.
    lesson = (
        (1, ("Welcome to this short lesson on tides.", "It takes about two minutes.")),
        (2, ("Tides rise and fall twice a day.", "The moon pulls the water of the oceans toward it.")),
        (3, ("Spring tides come when the sun and the moon line up.", "That is all for today.")),
    )
    moon, spring, last = lesson[1][1][1], lesson[2][1][0], lesson[2][1][1]
    parts = replaced(reading(lesson), moon, moon, 0.5, moon)
    parts = replaced(parts, spring, "Spring tides come when the sun and the")
    take = record(*parts[: parts.index(last) - 1])
    split = take.split(lesson)
    piece = split.slides[1]
    assert piece.sentences[1] is not None
    assert piece.start_s + piece.sentences[1][0] == pytest.approx(take.span(moon, -1)[0], abs=1e-3)
    assert [(d.kind, d.text) for d in split.departures] == [("repeated", moon), ("skipped", last)]


def test_a_false_start_is_listed_as_repeated_and_the_full_reading_kept() -> None:
    moon = SLIDES[1][1][1]
    take = record(*replaced(reading(), moon, "The moon pulls", 0.4, moon))
    split = take.split()
    piece = split.slides[1]
    assert piece.sentences[1] is not None
    assert piece.start_s + piece.sentences[1][0] == pytest.approx(take.span(moon)[0], abs=1e-3)
    [departure] = split.departures
    assert (departure.kind, departure.slide, departure.text) == ("repeated", 2, moon)
    assert (departure.start_s, departure.end_s) == pytest.approx(take.span("The moon pulls"))


def test_a_false_start_run_into_its_restart_by_the_recognizer_does_not_move_the_sentence_early() -> None:
    # "The moon pulls the | The moon pulls the water": tiny.en writes one "the" across the pause.
    moon = SLIDES[1][1][1]
    take = record(*replaced(reading(), moon, "The moon pulls the", 0.5, moon))
    index = next(i for i, w in enumerate(take.heard) if w.start_s > take.span(moon)[0] - 0.3)
    merged = HeardWord(take.heard[index - 1].text, take.heard[index - 1].start_s, take.heard[index].end_s)
    take.heard[index - 1 : index + 1] = [merged]
    split = take.split()
    piece = split.slides[1]
    assert piece.sentences[1] is not None
    assert piece.start_s + piece.sentences[1][0] == pytest.approx(take.span(moon)[0], abs=1e-3)
    assert [(d.kind, d.slide) for d in split.departures] == [("repeated", 2)]


def test_a_false_start_at_a_slides_opening_is_left_between_the_pieces() -> None:
    spring = SLIDES[2][1][0]
    take = record(*replaced(reading(), spring, "Spring tides", 0.6, spring))
    split = take.split()
    false_start, false_end = take.span("Spring tides")
    assert split.slides[2].speech_start_s == pytest.approx(take.span(spring)[0])
    assert split.slides[1].end_s <= false_start and false_end <= split.slides[2].start_s
    assert [(d.kind, d.slide) for d in split.departures] == [("repeated", 3)]


def test_a_skipped_sentence_has_no_time_and_is_listed_where_it_belonged() -> None:
    sun = SLIDES[1][1][2]
    parts = reading()
    index = parts.index(sun)
    take = record(*parts[: index - 1], *parts[index + 1 :])  # the sentence and the pause before it
    split = take.split()
    assert split.slides[1].sentences[2] is None
    [departure] = split.departures
    assert (departure.kind, departure.slide, departure.text) == ("skipped", 2, sun)
    moon_end = take.span(SLIDES[1][1][1])[1]
    spring_start = take.span(SLIDES[2][1][0])[0]
    assert (departure.start_s, departure.end_s) == pytest.approx((moon_end, spring_start))


def test_a_sentence_garbled_beyond_recognition_is_timed_where_it_was_said_not_skipped() -> None:
    # "A lesson over its cap is cut" heard as "but let's an overwrit scap his cut", at a slide's end.
    last = SLIDES[0][1][1]
    garbled = "Eat tax a boat fly min its"
    take = record(*replaced(reading(), last, garbled))
    split = take.split()
    assert split.departures == ()
    piece = split.slides[0]
    start, end = piece.sentences[1]  # type: ignore[misc]
    assert piece.start_s + start == pytest.approx(take.span(garbled)[0], abs=1e-3)
    assert piece.start_s + end == pytest.approx(take.span(garbled)[1], abs=1e-3)
    assert piece.end_s == pytest.approx(take.span(garbled)[1] + CUT_TAIL_S, abs=1e-3)


def test_an_ad_lib_is_listed_with_the_words_heard() -> None:
    aside = "Now this part is really worth remembering, so listen."
    moon = SLIDES[1][1][1]
    take = record(*replaced(reading(), moon, moon, 0.4, aside))
    split = take.split()
    [departure] = split.departures
    assert (departure.kind, departure.slide, departure.text) == ("ad-lib", 2, aside)
    assert (departure.start_s, departure.end_s) == pytest.approx(take.span(aside))
    # The ad-lib is not taken for part of the sentence before or after it.
    piece = split.slides[1]
    assert piece.start_s + piece.sentences[1][1] == pytest.approx(take.span(moon)[1], abs=1e-3)  # type: ignore[index]


def test_a_misheard_word_or_two_is_not_an_ad_lib() -> None:
    moon = SLIDES[1][1][1]
    split = record(*replaced(reading(), moon, "The moon pools the waters toward it.")).split()
    assert split.departures == ()
    assert 0 < split.wer < 0.1
    assert split.matched < 1


# --- Takes that cannot be split --------------------------------------------------------------


def test_another_lessons_take_is_refused_saying_how_much_was_recognised() -> None:
    take = record(*reading(((1, OTHER_LESSON[:2]), (2, OTHER_LESSON[2:]))))
    with pytest.raises(TakeMismatch, match=r"not a reading of this lesson: \d+% of the script's \d+ words") as caught:
        take.split()
    assert isinstance(caught.value, ConfigError)


@pytest.mark.parametrize("heard", [[], [HeardWord(" Thank", 3.0, 3.2), HeardWord(" you.", 3.2, 3.5)]])
def test_a_take_with_nothing_of_the_lesson_in_it_is_refused(heard: list[HeardWord]) -> None:
    with pytest.raises(TakeMismatch, match="not a reading of this lesson"):
        split_take(SLIDES, heard, [(0.0, 10.0)], 10.0)


def test_a_slide_none_of_whose_sentences_was_read_is_refused_by_number() -> None:
    left_out = reading(SLIDES[:1] + SLIDES[2:])
    with pytest.raises(TakeMismatch, match=r"^slide 2: none of its 3 sentences was heard"):
        record(*left_out).split()


def test_a_slide_without_sentences_is_the_callers_mistake() -> None:
    take = record(*reading())
    with pytest.raises(ValueError, match="slide 4"):
        take.split((*SLIDES, (4, ())))


# --- Pauses in the audio ---------------------------------------------------------------------

RATE = 48_000


def write_wav(path: Path, segments: list[tuple[str, float, float]], *, rate: int = RATE, gain_db: float = 0.0) -> Path:
    """A mono 16-bit WAV of ``(kind, seconds, dBFS)`` segments: "tone" (440 Hz), "noise" (white), "silence"."""
    noise = random.Random(1)
    samples = array.array("h")
    for kind, seconds, level_dbfs in segments:
        rms = 10 ** ((level_dbfs + gain_db) / 20) * 32767
        for i in range(round(seconds * rate)):
            if kind == "tone":
                value = rms * math.sqrt(2) * math.sin(2 * math.pi * 440 * i / rate)
            elif kind == "noise":
                value = rms * math.sqrt(3) * noise.uniform(-1, 1)  # uniform noise of that RMS
            else:
                value = 0.0
            samples.append(round(value))
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(samples.tobytes())
    return path


# Bursts of tone separated by digital silence and by room noise at -50 dBFS; the edges fall
# between 10 ms frames on purpose.
BURSTS = [
    ("noise", 0.403, -50.0),
    ("tone", 0.517, -12.0),
    ("silence", 0.306, 0.0),
    ("tone", 0.611, -12.0),
    ("noise", 0.452, -50.0),
    ("tone", 0.488, -12.0),
    ("noise", 0.35, -50.0),
]


def expected_gaps(segments: list[tuple[str, float, float]]) -> list[tuple[float, float]]:
    gaps, t = [], 0.0
    for kind, seconds, _ in segments:
        if kind != "tone":
            gaps.append((t, t + seconds))
        t += seconds
    return gaps


def test_find_pauses_finds_silence_and_room_noise_between_bursts_within_20_ms(tmp_path: Path) -> None:
    pauses = find_pauses(write_wav(tmp_path / "take.wav", BURSTS))
    assert len(pauses) == 4
    for (start, end), (true_start, true_end) in zip(pauses, expected_gaps(BURSTS), strict=True):
        assert start == pytest.approx(true_start, abs=0.02)
        assert end == pytest.approx(true_end, abs=0.02)


def test_find_pauses_follows_the_takes_own_levels(tmp_path: Path) -> None:
    loud = find_pauses(write_wav(tmp_path / "loud.wav", BURSTS))
    quiet = find_pauses(write_wav(tmp_path / "quiet.wav", BURSTS, gain_db=-20.0))
    assert len(quiet) == len(loud)
    assert [t for pause in quiet for t in pause] == pytest.approx([t for pause in loud for t in pause], abs=0.011)


def test_find_pauses_leaves_out_gaps_shorter_than_the_minimum(tmp_path: Path) -> None:
    segments = [("tone", 0.5, -12.0), ("noise", 0.1, -50.0), ("tone", 0.5, -12.0), ("noise", 0.5, -50.0)]
    wav = write_wav(tmp_path / "take.wav", segments)
    assert len(find_pauses(wav)) == 1
    assert len(find_pauses(wav, min_pause_s=0.05)) == 2


def test_find_pauses_reads_stereo_and_24_bit_takes(tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", BURSTS)
    with wave.open(str(mono), "rb") as f:
        frames = f.readframes(f.getnframes())
    # Each 16-bit sample widened to 24 bits, on both channels.
    wide = b"".join(b"\0" + frames[i : i + 2] + b"\0" + frames[i : i + 2] for i in range(0, len(frames), 2))
    stereo = tmp_path / "stereo24.wav"
    with wave.open(str(stereo), "wb") as f:
        f.setnchannels(2)
        f.setsampwidth(3)
        f.setframerate(RATE)
        f.writeframes(wide)
    assert find_pauses(stereo) == find_pauses(mono)


def test_find_pauses_measures_a_five_minute_take_in_well_under_a_second(tmp_path: Path) -> None:
    second = write_wav(tmp_path / "second.wav", [("tone", 0.6, -12.0), ("noise", 0.4, -50.0)])
    with wave.open(str(second), "rb") as f:
        frames = f.readframes(f.getnframes())
    take = tmp_path / "take.wav"
    with wave.open(str(take), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(frames * 300)
    find_pauses(second)  # imports done before the clock starts
    started = time.perf_counter()
    pauses = find_pauses(take)
    assert time.perf_counter() - started < 1.0
    assert len(pauses) == 300


def test_an_unreadable_take_is_a_config_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "take.wav"
    bad.write_bytes(b"not a wav at all")
    with pytest.raises(ConfigError) as caught:
        find_pauses(bad)
    assert caught.value.path == str(bad)
