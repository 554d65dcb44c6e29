"""A single take split onto its slides from the audio itself: real speech, the real recognizer.

The take is made here (tests/support/takes.py): each sentence of a three-slide lesson spoken by
the pinned Piper voice, joined with pauses, one sentence read twice, low room noise throughout
and more of it before and after. The recognizer is the pipeline's own. The true speech onset of
each slide is known from how the take was put together, so the cuts can be checked to the frame.

These need the optional ``neural`` extra (the voice) and the recognizer with its model; a missing
one fails in one line saying so rather than skipping.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from support.narration import require_hearing_extra, require_neural_extra
from support.takes import Take, make_take

from pipeline.hearing.models import Transcript
from pipeline.hearing.recognizer import shared_recognizer
from pipeline.hearing.take import SplitTake, TakeMismatch, find_pauses, split_take

SLIDES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("Welcome to this short lesson on harbour tides.", "It takes about two minutes.")),
    (
        2,
        (
            "Tides rise and fall twice a day along most coasts.",
            "The moon pulls the water of the oceans toward it.",
        ),
    ),
    (3, ("Spring tides come when the sun and the moon line up.", "That is all for today.")),
)
REREAD = (1, 1)  # slide 2's second sentence is said twice: the first reading is discarded
OTHER_LESSON = (
    (1, ("Passwords should be long rather than complicated.", "A manager keeps one for every site.")),
    (2, ("Turn on a second factor wherever it is offered.", "Never type a code into a page a link took you to.")),
)
MAX_ONSET_ERROR_S = 0.1


@pytest.fixture(scope="module")
def take(tmp_path_factory: pytest.TempPathFactory) -> tuple[Take, Transcript]:
    require_neural_extra()
    require_hearing_extra()
    made = make_take(
        [sentences for _, sentences in SLIDES],
        tmp_path_factory.mktemp("take") / "take.wav",
        engine="piper",
        wpm=150,
        repeat=REREAD,
        noise_dbfs=-55.0,
        frame_rate=48000,
        channels=1,
    )
    return made, shared_recognizer().transcribe(made.path)


def split(take: tuple[Take, Transcript], slides: Sequence[tuple[int, Sequence[str]]] = SLIDES) -> SplitTake:
    made, heard = take
    return split_take(slides, heard.words, find_pauses(made.path), heard.duration_s)


def test_each_slides_speech_onset_is_found_within_a_tenth_of_a_second(take: tuple[Take, Transcript]) -> None:
    pieces = split(take).slides
    errors = [abs(piece.speech_start_s - onset) for piece, onset in zip(pieces, take[0].onsets, strict=True)]
    assert max(errors) <= MAX_ONSET_ERROR_S, errors


def test_the_cuts_fall_in_the_pauses_between_slides(take: tuple[Take, Transcript]) -> None:
    pauses = find_pauses(take[0].path)
    pieces = split(take).slides
    for before, after in itertools.pairwise(pieces):
        assert before.end_s <= after.start_s
        assert any(start <= before.end_s and after.start_s <= end for start, end in pauses)


def test_a_sentence_read_twice_keeps_the_second_reading_and_reports_the_first(take: tuple[Take, Transcript]) -> None:
    made, _ = take
    assert made.first_reading is not None
    result = split(take)
    [repeat] = [d for d in result.departures if d.kind == "repeated"]
    assert (repeat.slide, repeat.text) == (2, SLIDES[1][1][1])
    assert repeat.start_s == pytest.approx(made.first_reading[0], abs=MAX_ONSET_ERROR_S)
    piece = result.slides[1]
    kept = piece.sentences[1]
    assert kept is not None
    assert piece.start_s + kept[0] > made.first_reading[1]


def test_the_take_is_refused_for_another_lesson(take: tuple[Take, Transcript]) -> None:
    with pytest.raises(TakeMismatch, match="not a reading of this lesson"):
        split(take, OTHER_LESSON)
