"""Aligning script words with heard words: the edit path, each error's kind, words, time and sentence, the WER."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.hearing.align import WordError, align
from pipeline.hearing.models import HeardWord
from pipeline.hearing.words import ScriptWord, heard_words, normalise, script_words


def _script(*sentences: str) -> tuple[ScriptWord, ...]:
    return script_words(sentences)


def _heard(text: str) -> tuple[HeardWord, ...]:
    """Each word said in its own second: word k from k to k + 0.5 s."""
    return tuple(HeardWord(word, float(k), k + 0.5) for k, word in enumerate(text.split()))


def _levenshtein(a: list[str], b: list[str]) -> int:
    """The textbook word edit distance, to check align's count against."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_identical_texts_align_word_for_word_with_no_errors() -> None:
    alignment = align(_script("One two.", "Three four."), _heard("one two three four"))
    assert alignment.pairs == ((0, 0), (1, 1), (2, 2), (3, 3))
    assert alignment.errors == ()
    assert alignment.wer == 0.0
    assert alignment.matched == 4


def test_a_substituted_word_has_both_words_the_heard_time_and_its_sentence() -> None:
    alignment = align(_script("One two.", "Three four."), _heard("one two free four"))
    assert alignment.errors == (WordError("substituted", "three", "free", 2.0, 2.5, 1),)
    assert alignment.wer == 0.25
    assert alignment.matched == 3


def test_a_missed_word_lies_in_the_gap_between_its_heard_neighbours() -> None:
    alignment = align(_script("One two.", "Three four."), _heard("one two four"))
    assert alignment.pairs == ((0, 0), (1, 1), (2, None), (3, 2))
    (error,) = alignment.errors
    assert error == WordError("missed", "three", "", 1.5, 2.0, 1)
    heard = _heard("one two four")
    assert heard[1].end_s <= error.start_s <= error.end_s <= heard[2].start_s


def test_an_added_word_belongs_to_the_sentence_of_the_script_word_before_it() -> None:
    alignment = align(_script("One two.", "Three four."), _heard("one two um three four"))
    assert alignment.pairs == ((0, 0), (1, 1), (None, 2), (2, 3), (3, 4))
    assert alignment.errors == (WordError("added", "", "um", 2.0, 2.5, 0),)
    assert alignment.wer == 0.25


def test_an_added_word_before_the_script_starts_belongs_to_the_first_sentence() -> None:
    assert align(_script("One."), _heard("so one")).errors == (WordError("added", "", "so", 0.0, 0.5, 0),)


def test_a_word_missed_at_either_edge_spans_to_the_edge_of_the_audio() -> None:
    late_start = (HeardWord("two", 1.2, 1.5), HeardWord("three", 2.0, 2.5))
    first = align(_script("One two three."), late_start, duration_s=9.0).errors
    last = align(_script("One two three."), _heard("one two"), duration_s=9.0).errors
    assert first == (WordError("missed", "one", "", 0.0, 1.2, 0),)
    assert last == (WordError("missed", "three", "", 1.5, 9.0, 0),)
    # Without the audio's length, a word missed at the end is placed where the last heard word ends.
    assert align(_script("One two three."), _heard("one two")).errors[0].end_s == 1.5


def test_the_word_error_rate_counts_every_kind_of_error_against_the_script_length() -> None:
    # Script: 8 words. Heard: "quick" substituted by "quack", "brown" missed, "really" added.
    alignment = align(
        _script("The quick brown fox jumps over the dog."), _heard("the quack fox really jumps over the dog")
    )
    assert [e.kind for e in alignment.errors] == ["substituted", "missed", "added"]
    assert alignment.wer == pytest.approx(3 / 8)
    assert alignment.matched == 6


def test_similar_looking_words_are_paired_when_the_edit_count_ties() -> None:
    # "further" heard as "for the": two edits either way; "further" pairs with "for", not "the".
    alignment = align(_script("Further training."), _heard("for the training"))
    assert alignment.errors == (
        WordError("substituted", "further", "for", 0.0, 0.5, 0),
        WordError("added", "", "the", 1.0, 1.5, 0),
    )


def test_empty_sides_give_the_documented_rates() -> None:
    assert align((), ()).wer == 0.0
    assert align((), _heard("hello")).wer == 1.0
    nothing_heard = align(_script("Hello there."), (), duration_s=2.0)
    assert nothing_heard.wer == 1.0
    assert [(e.kind, e.start_s, e.end_s) for e in nothing_heard.errors] == [("missed", 0.0, 2.0)] * 2


def test_sentence_spans_run_from_the_first_to_the_last_heard_word_paired_with_each_sentence() -> None:
    heard = _heard("one two free four")
    alignment = align(_script("One two.", "Three four.", "Five."), heard)
    assert alignment.sentence_spans(heard, 3) == ((0.0, 1.5), (2.0, 3.5), None)
    with pytest.raises(ValueError, match="heard words"):
        alignment.sentence_spans(heard[:2], 3)


def test_a_recognizer_rendering_of_a_script_sentence_differs_only_where_a_word_was_misheard() -> None:
    sentences = ["The Qi et al. paper from 2023 demonstrated it.", "Cloud spot pricing, $5 to $15."]
    recognized = [" The", " Qi", " et", " al.", " paper", " from", " 2023,", " demonstrated", " it.", " Cloud-pot"]
    recognized += [" pricing,", " 5", " to", " $15."]
    heard = heard_words([HeardWord(text, k * 0.4, k * 0.4 + 0.3) for k, text in enumerate(recognized)])
    alignment = align(script_words(sentences), heard)
    assert [(e.kind, e.expected, e.heard, e.sentence) for e in alignment.errors] == [
        ("substituted", "spot", "pot", 1),
        ("missed", "dollars", "", 1),  # "$5 to $15" said "five to fifteen dollars"
    ]
    assert alignment.wer == pytest.approx(2 / len(script_words(sentences)))


_WORDS = st.lists(st.sampled_from(["a", "ab", "abc", "b", "ba", "c"]), max_size=8)


@given(_WORDS)
def test_a_text_aligned_with_itself_has_no_errors(words: list[str]) -> None:
    script = tuple(ScriptWord(w, 0) for w in words)
    assert align(script, tuple(HeardWord(w, 0.0, 0.0) for w in words)).wer == 0.0


@given(_WORDS, _WORDS)
def test_the_error_count_is_the_word_edit_distance_and_the_path_covers_both_sides_in_order(
    expected: list[str], said: list[str]
) -> None:
    alignment = align(tuple(ScriptWord(w, 0) for w in expected), tuple(HeardWord(w, 0.0, 1.0) for w in said))
    assert len(alignment.errors) == _levenshtein(expected, said)
    assert [s for s, _ in alignment.pairs if s is not None] == list(range(len(expected)))
    assert [h for _, h in alignment.pairs if h is not None] == list(range(len(said)))
    assert alignment.matched + len(alignment.errors) == len(alignment.pairs)


def test_normalised_words_are_what_the_aligner_compares() -> None:
    # A sanity check on the contract: align compares texts exactly, so both sides are normalised first.
    assert normalise("Fine-tuning") == [w.text for w in heard_words([HeardWord(" fine tuning", 0.0, 1.0)])]
