"""The recognizer and the narration check on real speech: the pinned model, the transcript cache,
both voices heard within their thresholds, and broken slides (silent, cut short, another
slide's audio) caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.lessons import storyboard_of
from support.narration import narrate_into, require_hearing_extra, require_neural_extra

from pipeline.errors import ToolError
from pipeline.hearing import check
from pipeline.hearing.models import Transcript
from pipeline.hearing.recognizer import (
    MODEL_ENV,
    TINY_EN,
    TranscriptCache,
    WhisperRecognizer,
    shared_recognizer,
)
from pipeline.narration import NarrationSettings
from pipeline.narration.audio import AudioSegment, export_wav, load_wav
from pipeline.text import split_sentences

ONE = (
    "Harmful fine-tuning removes the safety training of a model. "
    "An attacker needs a few hundred examples and a single graphics card."
)
TWO = (
    "Defenders keep a record of every dataset they train on. "
    "They evaluate the tuned model against refusal tests before release."
)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ...]:
    """The two slides narrated by the default voice."""
    require_hearing_extra()
    folder = tmp_path_factory.mktemp("spoken")
    narration = narrate_into(folder, storyboard_of(ONE, TWO), NarrationSettings())
    return tuple(s.path for s in narration.slides)


def heard(*slides: tuple[str, Path], voice: str = "pyttsx3") -> check.NarrationHearing:
    recognizer = shared_recognizer()
    return check.hear_narration(
        [(n, split_sentences(text), recognizer.transcribe(path)) for n, (text, path) in enumerate(slides, 1)],
        voice=voice,
    )


def test_the_default_voice_is_heard_within_its_threshold(spoken: tuple[Path, ...]) -> None:
    hearing = heard((ONE, spoken[0]), (TWO, spoken[1]))
    assert [s.verdict for s in hearing.slides] == ["ok", "ok"], hearing.slides
    assert hearing.wer < check.threshold_for("pyttsx3").check_wer


def test_the_neural_voice_is_heard_within_its_threshold(tmp_path: Path) -> None:
    require_neural_extra()
    require_hearing_extra()
    narration = narrate_into(tmp_path, storyboard_of(ONE, TWO), NarrationSettings(engine="piper"))
    key = check.voice_key("piper", "")
    hearing = heard((ONE, narration.slides[0].path), (TWO, narration.slides[1].path), voice=key)
    assert [s.verdict for s in hearing.slides] == ["ok", "ok"], hearing.slides
    assert hearing.wer < check.threshold_for(key).check_wer


def test_words_are_heard_with_times_inside_the_audio(spoken: tuple[Path, ...]) -> None:
    transcript = shared_recognizer().transcribe(spoken[0])
    assert transcript.words
    assert all(0 <= w.start_s <= w.end_s <= transcript.duration_s + 0.05 for w in transcript.words)
    assert [w.start_s for w in transcript.words] == sorted(w.start_s for w in transcript.words)


def test_another_slides_audio_is_broken_and_named(spoken: tuple[Path, ...]) -> None:
    hearing = heard((ONE, spoken[1]), (TWO, spoken[1]))
    assert hearing.slides[0].verdict == "broken"
    assert hearing.slides[0].reason == "it sounds like slide 2's narration"
    assert hearing.slides[1].verdict == "ok"


def test_a_clip_cut_short_is_broken(spoken: tuple[Path, ...], tmp_path: Path) -> None:
    whole = load_wav(spoken[0])
    short = tmp_path / "short.wav"
    export_wav(whole[: len(whole) * 4 // 10], short)
    hearing = heard((ONE, short))
    assert hearing.slides[0].verdict == "broken"
    assert hearing.slides[0].reason.startswith("cut short: the last ")


def test_silence_is_broken(tmp_path: Path) -> None:
    require_hearing_extra()
    silent = tmp_path / "silent.wav"
    export_wav(AudioSegment.silent(duration=3000, frame_rate=48000), silent)
    hearing = heard((ONE, silent))
    assert (hearing.slides[0].verdict, hearing.slides[0].reason) == (
        "broken",
        "nothing was heard: the audio is silent or not speech",
    )


def test_a_transcript_is_kept_by_the_audios_bytes_and_heard_once(spoken: tuple[Path, ...], tmp_path: Path) -> None:
    calls: list[Path] = []

    class Counting(WhisperRecognizer):
        def transcribe(self, audio: Path) -> Transcript:
            calls.append(audio)
            return super().transcribe(audio)

    recognizer = Counting()
    cache = TranscriptCache(tmp_path / "cache")
    first = cache.heard(spoken[0], recognizer)
    copy = tmp_path / "copy.wav"
    shutil.copyfile(spoken[0], copy)
    assert cache.heard(copy, recognizer) == first  # same bytes, another name: from the cache
    assert len(calls) == 1
    cache.heard(spoken[1], recognizer)
    assert len(calls) == 2


def test_a_tampered_model_is_refused_naming_the_file_and_both_hashes(
    spoken: tuple[Path, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(TINY_EN.package_dir() / TINY_EN.folder, folder)
    vocabulary = folder / "vocabulary.txt"
    vocabulary.write_bytes(vocabulary.read_bytes() + b"\nextra")
    monkeypatch.setenv(MODEL_ENV, str(folder))
    with pytest.raises(ToolError) as raised:
        WhisperRecognizer().transcribe(spoken[0])
    message = str(raised.value)
    assert f"refusing to load the recognizer's model file {vocabulary}" in message
    assert dict(TINY_EN.files)["vocabulary.txt"] in message


def test_an_untouched_copy_of_the_model_named_by_the_environment_is_used(
    spoken: tuple[Path, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(TINY_EN.package_dir() / TINY_EN.folder, folder)
    monkeypatch.setenv(MODEL_ENV, str(folder))
    recognizer = WhisperRecognizer()
    assert recognizer.folder == folder
    assert recognizer.transcribe(spoken[1]).words


def test_the_pinned_model_matches_the_installed_package() -> None:
    require_hearing_extra()
    assert TINY_EN.installed_version() == TINY_EN.package_version
    assert set(TINY_EN.read_verified()) == {name for name, _ in TINY_EN.files}
