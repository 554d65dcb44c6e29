"""The narration check's verdicts, lexicon notes and suggestions, on transcripts written out by hand."""

from __future__ import annotations

import pytest

from pipeline.hearing.check import Threshold, hear_narration, voice_key
from pipeline.hearing.models import HeardWord, Transcript

THRESHOLD = Threshold(check_wer=0.3)
ONE = ["The attacker fine-tunes the model on harmful prompts.", "Safety alignment is removed in hours."]
TWO = ["Defenders watch the training data closely.", "Every dataset gets a provenance record today."]


def said(text: str, *, start: float = 0.3, step: float = 0.4) -> Transcript:
    """A transcript of ``text`` as a recognizer writes it: one word every ``step`` seconds."""
    words = tuple(
        HeardWord(word, round(start + i * step, 3), round(start + i * step + 0.3, 3))
        for i, word in enumerate(text.split())
    )
    return Transcript(words, round(start + len(words) * step + 0.7, 3))


def test_a_slide_heard_as_written_is_ok_with_no_errors():
    hearing = hear_narration([(1, ONE, said(" ".join(ONE)))], voice="pyttsx3", threshold=THRESHOLD)
    (slide,) = hearing.slides
    assert (slide.verdict, slide.wer, slide.errors) == ("ok", 0.0, ())


def test_a_silent_slide_is_broken():
    hearing = hear_narration([(1, ONE, Transcript((), 4.0))], voice="pyttsx3", threshold=THRESHOLD)
    assert hearing.slides[0].verdict == "broken"
    assert "nothing was heard" in hearing.slides[0].reason


def test_a_clip_cut_short_is_broken_and_says_how_many_words_were_lost():
    first_half = " ".join(" ".join(ONE).split()[:6])
    hearing = hear_narration([(1, ONE, said(first_half))], voice="pyttsx3", threshold=THRESHOLD)
    slide = hearing.slides[0]
    assert slide.verdict == "broken"
    assert slide.reason == "cut short: the last 8 of 15 words were not heard"


def test_speech_running_on_past_the_last_word_heard_is_not_cut_short():
    first_half = " ".join(" ".join(ONE).split()[:6])
    heard = said(first_half)
    running_on = Transcript(heard.words, heard.duration_s + 4.0)  # a foreign phrase the recognizer lost
    hearing = hear_narration([(1, ONE, running_on)], voice="pyttsx3", threshold=THRESHOLD)
    assert hearing.slides[0].verdict != "broken"


def test_a_clip_long_enough_for_its_script_is_not_cut_short_whatever_the_words_times():
    # The recognizer lost the rest of the slide and stretched its last word to the end of the audio.
    heard = said(" ".join(" ".join(ONE).split()[:6]))
    *first, last = heard.words
    stretched = Transcript((*first, HeardWord(last.text, last.start_s, 9.8)), 10.0)
    hearing = hear_narration([(1, ONE, stretched)], voice="pyttsx3", threshold=THRESHOLD)
    assert hearing.slides[0].verdict != "broken"


def test_another_slides_audio_is_broken_and_named():
    hearing = hear_narration(
        [(1, ONE, said(" ".join(TWO))), (2, TWO, said(" ".join(TWO)))], voice="pyttsx3", threshold=THRESHOLD
    )
    first, second = hearing.slides
    assert (first.verdict, first.reason) == ("broken", "it sounds like slide 2's narration")
    assert second.verdict == "ok"
    assert [s.n for s in hearing.broken] == [1]


def test_a_slide_heard_as_nothing_like_any_script_is_flagged_for_a_listen_not_broken():
    garbled = "Mar haba bill alarm cafe naive emoji too right to left"
    hearing = hear_narration(
        [(1, ONE, said(" ".join(ONE))), (2, ["Right to left: مرحبا بالعالم. Emoji 🚀 too."], said(garbled))],
        voice="pyttsx3",
        threshold=THRESHOLD,
    )
    assert [s.verdict for s in hearing.slides] == ["ok", "check"]


def test_a_slide_misheard_above_the_voices_threshold_is_flagged_for_a_listen_not_broken():
    garbled = "The attack or fine tunes a mottle on harm for prompts. Safety alignment is removed in ours."
    hearing = hear_narration([(1, ONE, said(garbled))], voice="pyttsx3", threshold=THRESHOLD)
    slide = hearing.slides[0]
    assert slide.verdict == "check", slide
    assert 0.3 < slide.wer < 0.6
    assert "above 30%" in slide.reason


def test_a_short_slide_with_a_few_slips_is_not_flagged_however_high_its_rate():
    title = ["Harmful fine-tuning and alignment removal."]
    hearing = hear_narration(
        [(1, title, said("Harmful find tuning in alignment remover."))], voice="x", threshold=THRESHOLD
    )
    assert hearing.slides[0].wer == pytest.approx(3 / 6)
    assert hearing.slides[0].verdict == "ok"


def test_errors_carry_the_words_and_their_times_in_the_slides_audio():
    harmless = "The attacker fine-tunes the model on harmless prompts. Safety alignment is removed in hours."
    hearing = hear_narration(
        [(1, ONE, said(harmless))],
        voice="pyttsx3",
        threshold=THRESHOLD,
    )
    (error,) = hearing.slides[0].errors
    assert (error.kind, error.expected, error.heard) == ("substituted", "harmful", "harmless")
    assert error.start_s == pytest.approx(0.3 + 6 * 0.4)


def test_a_lexicon_word_heard_as_its_respelling_is_listed_as_respelled():
    script = ["Run it on one GPU tonight."]
    hearing = hear_narration(
        [(1, script, said("Run it on one gee pee you tonight."))],
        voice="pyttsx3",
        lexicon=[("GPU", "gee pee you")],
        threshold=THRESHOLD,
    )
    (word,) = hearing.lexicon_heard
    assert (word.slide, word.error.expected, word.error.heard, word.respelling) == (1, "gpu", "gee", "gee pee you")
    assert word.as_respelled
    assert word.error.start_s == pytest.approx(0.3 + 4 * 0.4)


def test_a_lexicon_word_heard_unlike_its_respelling_is_listed_as_not_respelled():
    hearing = hear_narration(
        [(1, ["Fine-tuning removes alignment."], said("Pineapple removes alignment."))],
        voice="pyttsx3",
        lexicon=[("alignment", "a line meant")],
        threshold=THRESHOLD,
    )
    assert hearing.lexicon_heard == ()  # alignment was heard as written: nothing to say about it
    hearing = hear_narration(
        [(1, ["Fine-tuning removes alignment."], said("Fine tuning removes zebra."))],
        voice="pyttsx3",
        lexicon=[("alignment", "a line meant")],
        threshold=THRESHOLD,
    )
    (word,) = hearing.lexicon_heard
    assert (word.error.expected, word.error.heard, word.as_respelled) == ("alignment", "zebra", False)


def test_a_word_misheard_every_time_is_suggested_for_the_lexicon_with_each_time():
    script = ["The NIST framework helps.", "Ask NIST first."]
    hearing = hear_narration(
        [(1, script[:1], said("The missed framework helps.")), (2, script[1:], said("Ask mist first."))],
        voice="pyttsx3",
        threshold=THRESHOLD,
    )
    (suggestion,) = hearing.suggestions
    assert suggestion.word == "NIST"
    assert suggestion.respelling == "N I S T"
    assert suggestion.heard == ("missed", "mist")
    assert suggestion.times == ((1, 0.7), (2, 0.7))


def test_no_suggestion_for_a_word_heard_right_once_a_plural_or_a_known_blind_spot():
    script = ["Qualys scans daily.", "Qualys scans weekly.", "Datasets matter.", "Datasets matter."]
    heard = ["Qualys scans daily.", "Quails scans weekly.", "Data matter.", "Data matter."]
    slides = [(i, [s], said(h)) for i, (s, h) in enumerate(zip(script, heard, strict=True), 1)]
    assert hear_narration(slides, voice="pyttsx3", threshold=THRESHOLD).suggestions == ()
    blind = Threshold(0.3, blind_spots=frozenset({"nist"}))
    nist = [(1, ["NIST helps."], said("Missed helps.")), (2, ["NIST helps."], said("Mist helps."))]
    assert hear_narration(nist, voice="pyttsx3", threshold=blind).suggestions == ()


def test_the_lessons_word_error_rate_weights_slides_by_their_words():
    hearing = hear_narration(
        [(1, ["One two three four."], said("One two three four.")), (2, ["Five six."], said("Five."))],
        voice="pyttsx3",
        threshold=THRESHOLD,
    )
    assert hearing.wer == pytest.approx(1 / 6)


def test_voices_are_keyed_by_engine_and_named_voice():
    assert voice_key("pyttsx3", "") == "pyttsx3"
    assert voice_key("piper", "en_US-joe-medium") == "piper:en_US-joe-medium"
