"""The budget: seconds per slide at a pace of finished narration, the total against target and cap."""

from __future__ import annotations

import pytest
from support.lessons import SAMPLE, storyboard_of

from pipeline.budget import (
    REFERENCE_SENTENCES_PER_SLIDE,
    REFERENCE_WORDS_PER_SENTENCE,
    Pace,
    advice,
    classify,
    estimate,
    format_table,
    spoken_words,
    to_json,
    with_audio,
)
from pipeline.errors import ConfigError
from pipeline.lesson import read_lesson
from pipeline.narration import NarrationSettings
from pipeline.storyboard import plan
from pipeline.text import count_clause_breaks, count_syllables


@pytest.fixture(scope="module")
def storyboard():
    return plan(read_lesson(SAMPLE))


# Reference text: 15-word sentences of words averaging 1.5 syllables ("paper" 2, "word" 1), a
# clause break every 10 words, five sentences a slide. Two slides are 150 words.
ODD = "Paper word paper word paper word paper, word paper word paper, word paper word paper."  # 23 syllables
EVEN = "Word paper word paper word, paper word paper word paper word paper word paper word."  # 22 syllables
REFERENCE = (" ".join([ODD, EVEN, ODD, EVEN, ODD]), " ".join([EVEN, ODD, EVEN, ODD, EVEN]))


def test_the_reference_text_has_the_reference_shape():
    text = " ".join(REFERENCE)
    assert len(text.split()) == 150 == 2 * REFERENCE_SENTENCES_PER_SLIDE * REFERENCE_WORDS_PER_SENTENCE
    assert count_syllables(text) == 225 and count_clause_breaks(text) == 15


def test_the_default_pace_gives_60_s_for_150_words_of_average_reference_text_pauses_included():
    budget = estimate(storyboard_of(*REFERENCE))
    assert budget.words == 150
    assert budget.duration_s == pytest.approx(60.0, abs=0.02)
    assert budget.wpm == pytest.approx(150, abs=0.1)


@pytest.mark.parametrize("wpm", [100, 130, 165, 180, 220])
def test_any_pace_lands_the_reference_text_on_that_many_words_a_minute(wpm):
    assert estimate(storyboard_of(*REFERENCE), Pace(wpm=wpm)).wpm == pytest.approx(wpm, abs=0.1)


def test_the_speaking_rate_rises_with_the_pace_and_exceeds_it_by_the_share_of_pauses():
    rates = [Pace(wpm=w).speaking_wpm for w in range(100, 260, 10)]
    assert rates == sorted(rates) and len(set(rates)) == len(rates)
    assert Pace().speaking_wpm == pytest.approx(179.3, abs=0.1)
    # No pauses: speech runs at the pace itself (in average words, a clause break being one).
    assert Pace(wpm=150, slide_pause_s=0, sentence_pause_s=0).speaking_wpm == pytest.approx(150 * 1.1)


def test_a_pace_whose_pauses_leave_no_time_to_speak_is_refused():
    with pytest.raises(ConfigError, match="leaves no time to speak"):
        Pace(wpm=2000)


def test_the_budget_pauses_are_the_narration_pauses():
    assert NarrationSettings().pace == Pace()
    assert NarrationSettings(pace_wpm=170).speaking_wpm == Pace(wpm=170).speaking_wpm


def test_estimate_is_speech_at_the_speaking_rate_plus_the_sentence_and_slide_pauses(storyboard):
    pace = Pace(wpm=120, slide_pause_s=1.0, sentence_pause_s=0.5)
    first = estimate(storyboard, pace).slides[0]  # "Harmful fine-tuning and alignment removal. Five minutes."
    assert first.words == 7
    # harm-ful fine-tun-ing and a-lign-ment re-mov-al. five min-utes: 15 syllables, 10 average words.
    assert first.estimate_s == pytest.approx(10 / pace.speaking_wpm * 60 + 1.0 + 0.5, abs=0.01)


def test_a_clause_break_takes_as_long_as_an_average_word():
    assert spoken_words("One, two; three: four — five") == pytest.approx(5 / 1.5 + 4)


def test_technical_text_is_estimated_longer_than_plain_text_of_the_same_word_count():
    technical = "Organisational accountability requires comprehensive documentation."
    plain = "We all need to know."
    long_words, short_words = estimate(storyboard_of(technical, plain)).slides
    assert long_words.words == short_words.words == 5
    assert long_words.estimate_s > 1.5 * short_words.estimate_s
    assert long_words.wpm < short_words.wpm


def test_syllables_are_counted_as_an_english_reader_says_them():
    counts = {w: count_syllables(w) for w in ("tune", "tunes", "trained", "wanted", "little", "boxes", "people")}
    assert counts == {"tune": 1, "tunes": 1, "trained": 1, "wanted": 2, "little": 2, "boxes": 2, "people": 2}
    assert count_syllables("fine-tuning") == 3  # hyphens split
    assert count_syllables("GPU RLHF") == 7  # short capitals are spelled out
    assert count_syllables("OWASP") == 2  # longer ones are said as words
    assert count_syllables("7B costs $50") == 3 + 1 + 4  # seven B, costs, dollar fifty
    assert count_syllables("don't") == 1
    assert count_syllables("مرحبا 🚀") >= 1


@pytest.mark.parametrize(
    ("duration", "status"),
    [(301, "over_cap"), (300, "over_target"), (265, "over_target"), (264, "ok"), (216, "ok"), (215.9, "under_target")],
)
def test_status_follows_the_design_thresholds(duration, status):
    assert classify(duration, 240, 300) == status


def test_the_sample_fits_its_target_at_the_default_pace(storyboard):
    budget = estimate(storyboard)
    assert budget.status == "ok"
    assert "declares ~580 words but has 456 (-21%)" in advice(budget)[0]


def test_a_fast_pace_leaves_the_sample_short_and_says_how_many_of_its_words_would_fill_the_gap(storyboard):
    budget = estimate(storyboard, Pace(wpm=180))
    assert budget.status == "under_target"
    # 50 s at this lesson's own 144 words a minute (its words are long) is about 118 of its words.
    assert advice(budget)[0] == "under the target by 50 s: about 118 words short of 4:00 at its 144 wpm"


def test_over_the_cap_advice_names_words_to_cut_largest_slides_first(storyboard):
    budget = estimate(storyboard, Pace(wpm=80))
    assert budget.status == "over_cap"
    text = advice(budget)[0]
    assert text.startswith(f"over the cap by {budget.duration_s - 300:.0f} s: cut about")
    assert "largest slides first: slide 2 (141 words), slide 3 (85 words), slide 6 (61 words)" in text


def test_timing_json_has_the_contract_keys_and_nulls_before_audio(storyboard):
    document = to_json(estimate(storyboard))
    assert set(document) == {"lesson", "target_s", "cap_s", "declared_words", "words", "duration_s", "status", "slides"}
    assert set(document["slides"][0]) == {"n", "title", "words", "estimate_s", "audio_s", "start_s", "end_s", "wer"}
    assert document["slides"][0]["audio_s"] is None and document["slides"][0]["start_s"] is None
    assert document["slides"][0]["wer"] is None  # nothing heard before there is audio


def test_timing_json_gives_each_slide_the_word_error_rate_the_check_heard(storyboard):
    document = to_json(estimate(storyboard), wer={1: 0.0, 3: 0.25})
    assert [s["wer"] for s in document["slides"]] == [0.0, None, 0.25, None, None, None, None]
    assert document["words"] == sum(len(slide.narration.split()) for slide in storyboard.slides)


def test_measured_audio_replaces_estimates_and_lays_slides_end_to_end(storyboard):
    budget = with_audio(estimate(storyboard), [10.0, 20.5, 30, 1, 2, 3, 4])
    assert budget.measured
    assert budget.duration_s == pytest.approx(70.5)
    assert [(s.start_s, s.end_s) for s in budget.slides[:3]] == [(0.0, 10.0), (10.0, 30.5), (30.5, 60.5)]
    assert to_json(budget)["duration_s"] == 70.5
    assert budget.slides[1].wpm == pytest.approx(budget.slides[1].words / 20.5 * 60)


def test_the_table_shows_every_slide_with_its_effective_pace_and_the_total_against_target_and_cap(storyboard):
    budget = estimate(storyboard)
    table = format_table(budget)
    assert "total 456 words, 3:48 estimated at 150 wpm (effective 120 wpm); target 4:00, cap 5:00: ok" in table
    rows = {line[:5]: line for line in table.splitlines()}
    assert "  wpm  share" in table.splitlines()[1]
    for slide in budget.slides:
        assert rows[f"{slide.n:>3}  "].endswith(f"  {slide.wpm:>4.0f}  {slide.duration_s / budget.duration_s:>5.0%}")


def test_a_measured_table_gives_each_slide_the_pace_of_its_audio(storyboard):
    budget = with_audio(estimate(storyboard), [6.0, 80.0, 40.0, 30.0, 30.0, 30.0, 30.0])
    table = format_table(budget)
    assert "total 456 words, 4:06 measured at 150 wpm (effective 111 wpm)" in table
    assert "  141    73.3     80.0   106    33%" in table  # slide 2: 141 words in 80 s
