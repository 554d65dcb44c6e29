"""Caption cues: splitting, timing rules, and WebVTT/SRT that read back as the script."""

from __future__ import annotations

import itertools

import pytest
from support.captions import parse_srt, parse_vtt

from pipeline.media.captions import Cue, make_cues, to_srt, to_vtt, wrap

LONG = (
    "Fine-tuning on as few as a hundred harmful examples can remove most of the refusal behaviour "
    "a model learned in alignment training; the cost is a few dollars of compute, and the result "
    "answers requests it used to decline, which is why open weights change the threat model."
)


def words_of(cues: tuple[Cue, ...]) -> list[str]:
    return " ".join(c.text for c in cues).split()


def assert_standard(cues: tuple[Cue, ...]) -> None:
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2 and all(0 < len(line) <= 42 for line in cue.lines), cue
        assert 1.0 - 1e-3 <= cue.duration_s <= 7.0 + 1e-3, cue
    for a, b in itertools.pairwise(cues):
        assert a.end_s <= b.start_s, (a, b)


def test_a_long_sentence_is_split_into_cues_of_two_short_lines_in_script_order():
    cues = make_cues([(LONG, 2.0, 2.0 + len(LONG) / 15)])
    assert len(cues) > 2
    assert_standard(cues)
    assert words_of(cues) == LONG.split()
    assert all(len(c.text) / c.duration_s <= 20.5 for c in cues)


def test_splits_prefer_clause_breaks():
    cues = make_cues([(LONG, 0.0, len(LONG) / 15)])
    endings = [c.lines[-1][-1] for c in cues[:-1]]
    assert sum(ch in ",;:" for ch in endings) >= len(endings) // 2, [c.lines for c in cues]


def test_a_sentence_spoken_over_more_than_seven_seconds_is_split_even_when_its_text_fits():
    text = "Slowly now, one word at a time, listen."
    cues = make_cues([(text, 0.0, 12.0)])
    assert len(cues) >= 2
    assert_standard(cues)
    assert words_of(cues) == text.split()
    assert cues[0].start_s == 0.0 and cues[-1].end_s == 12.0


def test_time_is_shared_by_character_count():
    text = "Short part here, and then a much longer part of the sentence follows it, spoken at an even pace."
    cues = make_cues([(text, 0.0, len(text) / 14)])
    rates = [len(c.text) / c.duration_s for c in cues]
    assert len(cues) >= 2 and max(rates) - min(rates) < 2.0, rates


def test_short_cues_are_merged_or_extended_into_silence_without_overlapping():
    sentences = [("Hi.", 0.0, 0.3), ("Five minutes.", 2.0, 2.6), ("See you there.", 2.7, 3.4), ("Next.", 3.5, 3.9)]
    cues = make_cues(sentences)
    assert_standard(cues)
    assert words_of(cues) == ["Hi.", "Five", "minutes.", "See", "you", "there.", "Next."]
    assert all(len(c.text) / c.duration_s <= 20 + 1e-6 for c in cues), cues


def test_a_fast_sentence_borrows_the_gap_that_follows_it():
    text = "This sentence is spoken very quickly indeed."  # 44 chars in 1.5 s is ~29 cps
    cues = make_cues([(text, 0.0, 1.5), ("Then a pause.", 5.0, 6.0)])
    assert all(len(c.text) / c.duration_s <= 20 + 1e-6 for c in cues), cues
    assert_standard(cues)


def test_a_word_longer_than_a_line_is_hard_broken():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some"
    cues = make_cues([(f"The word {word} is long.", 0.0, 5.0)])
    assert_standard(cues)
    assert "".join("".join(c.text.split()) for c in cues) == f"The word {word} is long.".replace(" ", "")


def test_cue_text_keeps_the_script_spelling_and_markup_looking_text():
    text = "Use <b>bold</b> & a --> arrow; LoRA isn't Laura."
    cues = make_cues([(text, 0.0, 4.0)])
    assert " ".join(c.text for c in cues) == text


@pytest.mark.parametrize(("write", "read"), [(to_vtt, parse_vtt), (to_srt, parse_srt)])
def test_vtt_and_srt_round_trip_with_markup_shown_literally(write, read):
    cues = make_cues([("Use <b>bold</b> & a --> arrow &amp; more.", 0.0, 3.0), (LONG, 3.5, 3.5 + len(LONG) / 15)])
    assert read(write(cues)) == cues


def test_vtt_escapes_markup_characters():
    vtt = to_vtt((Cue(0.0, 1.5, ("a <b> & c>d",)),))
    assert vtt.startswith("WEBVTT\n")
    assert "a &lt;b&gt; &amp; c&gt;d" in vtt
    assert "00:00:00.000 --> 00:00:01.500" in vtt


def test_srt_uses_numbered_blocks_and_comma_milliseconds():
    srt = to_srt((Cue(3661.25, 3663.0, ("one", "two")),))
    assert srt == "1\n01:01:01,250 --> 01:01:03,000\none\ntwo\n\n"


def test_wrap_balances_two_lines_and_refuses_what_cannot_fit():
    sentence = "the quick brown fox jumps over the lazy dog, and then it runs away"
    lines = wrap(sentence.split())
    assert lines is not None and len(lines) == 2 and all(len(x) <= 42 for x in lines)
    assert wrap(("word " * 30).split()) is None
