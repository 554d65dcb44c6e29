"""The budget estimates seconds per slide and judges the total against target and cap."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, storyboard_of

from pipeline.budget import Pace, advice, classify, estimate, format_table, to_json, with_audio
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan
from pipeline.text import count_syllables, count_words


@pytest.fixture(scope="module")
def storyboard():
    return plan(read_lesson(SAMPLE))


def test_words_count_hyphenated_and_dotted_forms_once():
    assert count_words("Post-fine-tune safety evaluation — GPT-3.5, don't panic.") == 6


def test_estimate_is_syllables_at_the_pace_plus_the_sentence_and_slide_pauses(storyboard):
    budget = estimate(storyboard, Pace(wpm=120, slide_pause_s=1.0, sentence_pause_s=0.5))
    first = budget.slides[0]  # "Harmful fine-tuning and alignment removal. Five minutes."
    assert first.words == 7
    # harm-ful fine-tun-ing and a-lign-ment re-mov-al. five min-utes: 15 syllables, 10 average words.
    assert first.estimate_s == pytest.approx(15 / 1.5 / 120 * 60 + 1.0 + 0.5, abs=0.01)
    no_pauses = estimate(storyboard, Pace(wpm=120, slide_pause_s=0, sentence_pause_s=0))
    syllables = sum(count_syllables(slide.narration) for slide in storyboard.slides)
    assert no_pauses.duration_s == pytest.approx(syllables / 1.5 / 2, abs=0.05)


def test_long_words_take_longer_than_short_ones_at_the_same_word_count():
    board = storyboard_of("Regulatory compliance evaluation documentation.", "The cat sat on a mat.")
    long_words, short_words = estimate(board, Pace(slide_pause_s=0, sentence_pause_s=0)).slides
    assert long_words.words == 4 and short_words.words == 6
    assert long_words.estimate_s > 2 * short_words.estimate_s


def test_syllables_are_counted_as_an_english_reader_says_them():
    counts = {w: count_syllables(w) for w in ("tune", "tunes", "trained", "wanted", "little", "boxes", "people")}
    assert counts == {"tune": 1, "tunes": 1, "trained": 1, "wanted": 2, "little": 2, "boxes": 2, "people": 2}
    assert count_syllables("fine-tuning") == 3  # hyphens split
    assert count_syllables("GPU RLHF") == 7  # short capitals are spelled out
    assert count_syllables("OWASP") == 2  # longer ones are said as words
    assert count_syllables("7B costs $50") == 2 + 1 + 2
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
    assert "declares ~580 words but has 444 (-23%)" in advice(budget)[0]


def test_a_fast_pace_leaves_the_sample_short_and_says_how_many_of_its_words_would_fill_the_gap(storyboard):
    budget = estimate(storyboard, Pace(wpm=180))
    assert budget.status == "under_target"
    # 28 s at 180 average words a minute is 84 average words; this lesson's words are long
    # (0.78 of its words fill the time of one average word), so about 64 of its own words.
    assert advice(budget)[0].startswith("under the target by 28 s: about 64 words short")


def test_over_the_cap_advice_names_words_to_cut_largest_slides_first(storyboard):
    budget = estimate(storyboard, Pace(wpm=80))
    assert budget.status == "over_cap"
    text = advice(budget)[0]
    assert text.startswith(f"over the cap by {budget.duration_s - 300:.0f} s: cut about")
    assert "largest slides first: slide 2 (137 words), slide 3 (84 words), slide 6 (58 words)" in text


def test_timing_json_has_the_contract_keys_and_nulls_before_audio(storyboard):
    document = to_json(estimate(storyboard))
    assert set(document) == {"lesson", "target_s", "cap_s", "declared_words", "words", "duration_s", "status", "slides"}
    assert set(document["slides"][0]) == {"n", "title", "words", "estimate_s", "audio_s", "start_s", "end_s"}
    assert document["slides"][0]["audio_s"] is None and document["slides"][0]["start_s"] is None


def test_measured_audio_replaces_estimates_and_lays_slides_end_to_end(storyboard):
    budget = with_audio(estimate(storyboard), [10.0, 20.5, 30, 1, 2, 3, 4])
    assert budget.measured
    assert budget.duration_s == pytest.approx(70.5)
    assert [(s.start_s, s.end_s) for s in budget.slides[:3]] == [(0.0, 10.0), (10.0, 30.5), (30.5, 60.5)]
    assert to_json(budget)["duration_s"] == 70.5


def test_the_table_shows_every_slide_and_the_total_against_target_and_cap(storyboard):
    table = format_table(estimate(storyboard))
    assert "total 444 words, 4:10 estimated at 150 wpm; target 4:00, cap 5:00: ok" in table
    for n in range(1, 8):
        assert f"\n{n:>3}  " in table
