"""Narration against the real pyttsx3/espeak-ng and ffmpeg: caching, timings, loudness, recordings, pace.

The checks every engine must pass run once per engine (Piper needs the optional 'neural' extra);
what only Piper does (pinned models, worker processes) is in ``test_narration_piper.py``.
"""

from __future__ import annotations

import logging
import textwrap
import time
import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support.lessons import storyboard_of
from support.media import loudness, probe_audio
from support.narration import Counting, count_calls, narrate_into, require_neural_extra

from pipeline import tools
from pipeline.budget import Pace, estimate, spoken_words
from pipeline.cache import file_digest
from pipeline.errors import ToolError
from pipeline.narration import (
    ENGINES,
    Lexicon,
    NarrationSettings,
    PiperEngine,
    Pyttsx3Engine,
    SpeechEngine,
    fit_rate,
)
from pipeline.narration.engines.base import validate_speech
from pipeline.narration.engines.pyttsx3 import espeak_rate_for
from pipeline.narration.wavfile import read_wav_info
from pipeline.text import split_sentences


class CountingEngine(Counting, Pyttsx3Engine):
    """The real pyttsx3 engine, counting what it is asked to say."""

    name = "counting-pyttsx3"
    said: list[str] = []  # noqa: RUF012 - shared across the instances the registry makes


class CountingPiper(Counting, PiperEngine):
    """The real Piper engine, counting what it is asked to say."""

    name = "counting-piper"
    said: list[str] = []  # noqa: RUF012 - shared across the instances the registry makes


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return count_calls(monkeypatch, CountingEngine)


@pytest.fixture(params=["pyttsx3", "piper"])
def each_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple[NarrationSettings, list[str]]:
    """Each engine in turn: settings naming it, and the list of what it is asked to say."""
    if request.param == "piper":
        require_neural_extra()
    engines: dict[str, type[SpeechEngine]] = {"pyttsx3": CountingEngine, "piper": CountingPiper}
    engine = engines[request.param]
    return NarrationSettings(engine=engine.name), count_calls(monkeypatch, engine)


SETTINGS = NarrationSettings(engine=CountingEngine.name)


def test_narrating_twice_synthesizes_each_sentence_once_and_gives_the_same_timings(
    tmp_path: Path, counting: list[str]
) -> None:
    board = storyboard_of("Hello there. This is slide one.", "Slide two speaks.")
    first = narrate_into(tmp_path, board, SETTINGS)
    assert sorted(counting) == ["Hello there.", "Slide two speaks.", "This is slide one."]
    second = narrate_into(tmp_path, board, SETTINGS)
    assert len(counting) == 3, "the second run must not call the engine"
    assert [s.sentences for s in second.slides] == [s.sentences for s in first.slides]
    assert [s.synthesized for s in second.slides] == [0, 0]


def test_editing_one_slide_resynthesizes_only_its_changed_sentence(tmp_path: Path, counting: list[str]) -> None:
    before = storyboard_of("Hello there. This is slide one.", "Slide two speaks. It has two sentences.")
    after = storyboard_of("Hello there. This is slide one.", "Slide two speaks. It now says more.")
    narrate_into(tmp_path, before, SETTINGS)
    counting.clear()
    edited = narrate_into(tmp_path, after, SETTINGS)
    assert counting == ["It now says more."]
    assert edited.slides[1].sentences[1].text == "It now says more."


def test_the_cache_keys_on_the_speaking_rate_so_a_new_pace_or_new_pauses_synthesize_again(
    tmp_path: Path, counting: list[str]
) -> None:
    board = storyboard_of("Hello there.")
    first = narrate_into(tmp_path, board, SETTINGS)
    assert (first.pace_wpm, first.speaking_wpm) == (SETTINGS.pace_wpm, SETTINGS.speaking_wpm)
    faster = replace(SETTINGS, pace_wpm=170)
    # The same pace with longer pauses leaves less time to speak: a faster speaking rate.
    pausing = replace(SETTINGS, sentence_pause_s=0.6)
    assert SETTINGS.speaking_wpm < pausing.speaking_wpm < faster.speaking_wpm
    for settings in (faster, pausing):
        counting.clear()
        narrate_into(tmp_path, board, settings)
        assert counting == ["Hello there."]
    counting.clear()
    narrate_into(tmp_path, board, faster)
    assert counting == []


# A short lesson of course prose, numbers and symbols included.
SHORT_LESSON = (
    "Data poisoning at scale. Module four.",
    "Attackers do not need to reach your servers. They only need to place a few hundred documents where "
    "your crawler will find them, and then wait for the next training run.",
    "In 2023, researchers showed that poisoning 0.01% of a public image dataset would have cost about $60. "
    "For a 13B model, 250 poisoned documents were only 0.00016% of its training tokens: a count, not a share.",
)


def test_the_built_narration_of_a_short_lesson_lasts_its_estimate_within_five_percent(
    tmp_path: Path, counting: list[str]
) -> None:
    board = storyboard_of(*SHORT_LESSON)
    narration = narrate_into(tmp_path, board, SETTINGS)
    budget = estimate(board, SETTINGS.pace)
    assert narration.duration_s == pytest.approx(budget.duration_s, rel=0.05)
    for slide, audio in zip(budget.slides, narration.slides, strict=True):
        assert audio.duration_s == pytest.approx(slide.estimate_s, rel=0.10)


def test_each_engine_narrates_complete_48k_normalised_slides_and_a_second_run_synthesizes_nothing(
    tmp_path: Path, each_engine: tuple[NarrationSettings, list[str]]
) -> None:
    settings, said = each_engine
    slides = (
        "Low rank adaptation trains small matrices. The base model stays frozen.",
        "Qi et al. showed the risk in 2023, e.g. with 3.5 percent of the data.",
        "LoRA adapters are small.",  # a slide of a few seconds still reaches the loudness target
    )
    board = storyboard_of(*slides)
    progress: list[tuple[int, int, str]] = []
    narration = narrate_into(tmp_path, board, settings, progress=lambda i, n, m: progress.append((i, n, m)))
    assert sorted(said) == sorted(s for text in slides for s in split_sentences(text))
    assert narration.engine == settings.engine
    assert [(i, n) for i, n, _ in progress] == [(1, 3), (2, 3), (3, 3)]
    assert [len(s.sentences) for s in narration.slides] == [2, 1, 1]
    for slide in narration.slides:
        rate, channels, duration = probe_audio(slide.path)
        assert (rate, channels) == (48_000, 1)
        assert duration == pytest.approx(slide.duration_s, abs=0.01)
        first, last = slide.sentences[0], slide.sentences[-1]
        assert first.start_s == pytest.approx(settings.lead_in_s, abs=0.01)
        # The hold is lengthened to end on a whole AAC frame, by less than one (1024 samples).
        assert round(slide.duration_s * 48_000) % 1024 == 0
        assert 0 <= slide.duration_s - last.end_s - settings.hold_s < 0.01 + 1024 / 48_000
        for a, b in zip(slide.sentences, slide.sentences[1:], strict=False):
            assert b.start_s - a.end_s == pytest.approx(settings.sentence_pause_s, abs=0.01)
        for sentence in slide.sentences:
            # Complete: as long as the words predict at the chosen pace, not a clipped fragment.
            predicted = spoken_words(sentence.text) * 60 / settings.speaking_wpm
            assert 0.6 * predicted < sentence.end_s - sentence.start_s < 1.8 * predicted + 0.5
        integrated, true_peak = loudness(slide.path)
        # Piper's speech is peakier than espeak's (peak-to-loudness about 20 dB): the finishing's
        # true-peak limiter, not a lower gain, keeps it under the ceiling.
        assert integrated == pytest.approx(-16, abs=0.3)
        assert true_peak <= -1.0

    again = narrate_into(tmp_path, board, settings)
    assert len(said) == 4, "the second run must not call the engine"
    assert [s.synthesized for s in again.slides] == [0, 0, 0]
    assert [s.sentences for s in again.slides] == [s.sentences for s in narration.slides]


def test_the_lexicon_changes_the_audio_but_never_the_caption_text(
    tmp_path: Path, each_engine: tuple[NarrationSettings, list[str]]
) -> None:
    settings, said = each_engine
    text = "LoRA adapters are small."
    plain = narrate_into(tmp_path, storyboard_of(text), settings)
    plain_digest = file_digest(plain.slides[0].path)
    respelled = narrate_into(tmp_path, storyboard_of(text), settings, lexicon=Lexicon((("LoRA", "Laura"),)))
    assert said == ["LoRA adapters are small.", "Laura adapters are small."]
    assert respelled.slides[0].sentences[0].text == text
    assert file_digest(respelled.slides[0].path) != plain_digest


def test_narration_refuses_an_engine_other_than_the_one_its_settings_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'pyttsx3' engine for settings naming 'piper'"):
        narrate_into(tmp_path, storyboard_of("Hello."), NarrationSettings(engine="piper"), engine=Pyttsx3Engine())


def test_a_human_recording_replaces_that_slide_and_its_length_is_measured(tmp_path: Path, counting: list[str]) -> None:
    recordings = tmp_path / "narration"
    recordings.mkdir()
    # A 2.5 s stereo 44.1 kHz MP3 "narrator", quieter than the target, so finishing has work to do.
    tools.run(
        tools.FFMPEG,
        [
            "-nostdin",
            "-hide_banner",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=220:sample_rate=44100:duration=2.5",
            "-af",
            "volume=-20dB",
            "-ac",
            "2",
            "-c:a",
            "libmp3lame",
            recordings / "02.mp3",
        ],
        timeout=60,
    )
    board = storyboard_of("Synthetic slide.", "Recorded first sentence is long enough. Then a short one.")
    narration = narrate_into(tmp_path, board, SETTINGS, recordings_dir=recordings)
    synthetic, recorded = narration.slides
    assert counting == ["Synthetic slide."]
    assert (synthetic.recorded, recorded.recorded) == (False, True)
    assert recorded.duration_s == pytest.approx(2.5 + SETTINGS.lead_in_s + SETTINGS.hold_s, abs=0.15)
    first, second = recorded.sentences
    assert first.text == "Recorded first sentence is long enough."
    assert first.start_s == pytest.approx(SETTINGS.lead_in_s, abs=0.05)
    assert second.end_s == pytest.approx(recorded.duration_s - SETTINGS.hold_s, abs=0.1)
    assert first.end_s - first.start_s > 2 * (second.end_s - second.start_s)  # proportional to characters
    assert probe_audio(recorded.path)[:2] == (48_000, 1)
    integrated, true_peak = loudness(recorded.path)
    assert integrated == pytest.approx(-16, abs=0.3)
    assert true_peak <= -1.0


def test_fit_rate_chooses_a_pace_within_bounds_that_lands_on_the_target_as_the_budget_estimates_it() -> None:
    sentence = "Paper word " + " ".join(["paper word"] * 4) + "."  # 15 syllables: 10 average words
    board = storyboard_of(*([" ".join([sentence] * 9)] * 3))  # 270 words in 27 sentences

    def length_at(wpm: float) -> float:
        return estimate(board, Pace(wpm=wpm)).duration_s

    result = fit_rate(board, target_s=length_at(170), cap_s=length_at(170) + 8)
    assert result.ok, result.message
    assert result.pace_wpm == 170
    assert result.estimate_s == pytest.approx(length_at(170), abs=0.05)
    slower = fit_rate(board, target_s=length_at(135), cap_s=length_at(135) + 30)
    assert (slower.pace_wpm, slower.estimate_s) == (135, pytest.approx(length_at(135), abs=0.05))
    # Out of reach exactly, but within the 10% the budget calls ok: the nearest bound.
    near = fit_rate(board, target_s=0.95 * length_at(180), cap_s=length_at(150))
    assert near.ok and near.pace_wpm == 180 and near.estimate_s <= 0.95 * length_at(180) * 1.1
    assert "180 wpm: about" in near.message


def test_fit_rate_says_plainly_when_no_pace_in_bounds_can_fit() -> None:
    board = storyboard_of(" ".join(["word"] * 300) + ".")
    too_long = fit_rate(board, target_s=30, cap_s=40)
    assert not too_long.ok
    assert too_long.pace_wpm == 180
    assert "over 33s (10% over the target)" in too_long.message and "cut about" in too_long.message
    too_short = fit_rate(board, target_s=600, cap_s=700)
    assert not too_short.ok
    assert too_short.pace_wpm == 130
    assert "short of 545s (90% of the target)" in too_short.message and "add about" in too_short.message


def test_the_calibration_maps_speaking_rates_to_the_espeak_rate() -> None:
    assert espeak_rate_for(177.0) == 150
    assert espeak_rate_for(130) < espeak_rate_for(150) < espeak_rate_for(180)


# --- the pyttsx3 first-call race, reproduced with a stand-in driver ----------------------------

FAKE_DRIVER = textwrap.dedent(
    '''
    """A pyttsx3 driver that behaves like the espeak driver's race: startLoop returns at once and
    a background thread writes the WAV later ({mode})."""
    import math, struct, threading, time

    MODE = "{mode}"
    RATE = 22050
    FRAMES = int(RATE * 1.5)

    def buildDriver(proxy):
        return Driver(proxy)

    def _loses_the_rate():
        """espeak-ng's occasional lost rate: always, or only in the first process to ask."""
        if MODE == "rate-always-lost":
            return True
        if MODE != "rate-lost-once":
            return False
        marker = __file__ + ".lost"
        try:
            open(marker, "x").close()
        except FileExistsError:
            return False
        return True

    class Driver:
        def __init__(self, proxy):
            self._proxy = proxy
            self._file = None
            self._rate = 200  # pyttsx3's default
        def destroy(self): pass
        def stop(self): pass
        def endLoop(self): pass
        def iterate(self): pass
        def say(self, text): pass
        def getProperty(self, name):
            return self._rate if name == "rate" else None
        def setProperty(self, name, value):
            if name == "rate" and not _loses_the_rate():
                self._rate = value
        def save_to_file(self, text, filename):
            self._file = filename
        def startLoop(self):
            self._proxy.setBusy(False)  # pumps save_to_file and the queued endLoop, like espeak's driver
            if MODE == "hang":
                time.sleep(3600)
            threading.Thread(target=self._write, daemon=True).start()

        def _write(self):
            time.sleep(0.3)
            level = 0 if MODE == "silent" else 8000
            data = b"".join(
                struct.pack("<h", int(level * math.sin(2 * math.pi * 220 * i / RATE))) for i in range(FRAMES)
            )
            header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
                "<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16) + b"data" + struct.pack("<I", len(data))
            with open(self._file, "wb") as f:
                f.write(header)
                f.flush()
                parts = 2 if MODE == "truncated" else 4
                for k in range(parts):
                    if MODE == "truncated" and k == 1:
                        break
                    f.write(data[k * len(data) // parts : (k + 1) * len(data) // parts])
                    f.flush()
                    time.sleep(0.1)
    '''
)


def fake_engine(tmp_path: Path, mode: str, timeout_s: float = 4.0, **options: Any) -> Pyttsx3Engine:
    driver = tmp_path / f"fake_{mode}_driver.py"
    driver.write_text(FAKE_DRIVER.replace("{mode}", mode), encoding="utf-8")
    return Pyttsx3Engine(timeout_s=timeout_s, driver_file=driver, **options)


def test_the_engine_waits_for_a_wav_written_after_run_and_wait_returns(tmp_path: Path) -> None:
    out = tmp_path / "speech.wav"
    fake_engine(tmp_path, "late").synthesize("one two three", out, voice="", speaking_wpm=150)
    with wave.open(str(out)) as f:
        assert f.getnframes() == int(22050 * 1.5), "the whole clip, not the part written when runAndWait returned"


def test_a_sentence_espeak_spoke_at_the_wrong_rate_is_synthesized_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "speech.wav"
    with caplog.at_level(logging.INFO, logger="pipeline.narration.engines.pyttsx3"):
        fake_engine(tmp_path, "rate-lost-once").synthesize("one two three", out, voice="", speaking_wpm=150)
    assert (tmp_path / "fake_rate-lost-once_driver.py.lost").exists(), "the first child lost the rate"
    assert f"at rate 200, not {espeak_rate_for(150)} (attempt 1)" in caplog.text
    assert read_wav_info(out).frames == int(22050 * 1.5)


def test_espeak_ignoring_the_rate_every_time_is_an_error_that_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "speech.wav"
    with pytest.raises(ToolError, match=rf"ignored the speaking rate {espeak_rate_for(150)} .* 3 times .*spoke at 200"):
        fake_engine(tmp_path, "rate-always-lost").synthesize("one two three", out, voice="", speaking_wpm=150)
    assert not out.exists()


def test_a_calibration_table_given_to_the_engine_sets_the_rate_it_asks_espeak_for_and_its_identity(
    tmp_path: Path,
) -> None:
    raw = ((100, 100.0), (200, 200.0))  # the calibration script's identity: speaking_wpm is espeak's rate
    assert espeak_rate_for(120) != 120
    engine = fake_engine(tmp_path, "rate-always-lost", calibration=raw)
    # The fake driver never takes the rate, so the error names the rate the engine asked for.
    with pytest.raises(ToolError, match="ignored the speaking rate 120 "):
        engine.synthesize("one two three", tmp_path / "x.wav", voice="", speaking_wpm=120)
    assert "calibration custom ((100, 100.0), (200, 200.0))" in engine.identity()
    assert "calibration 3;" in fake_engine(tmp_path, "late").identity()


def test_a_truncated_wav_is_an_error_within_the_time_limit_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "speech.wav"
    started = time.monotonic()
    with pytest.raises(ToolError, match="did not finish writing"):
        fake_engine(tmp_path, "truncated", timeout_s=2.0).synthesize("one two three", out, voice="", speaking_wpm=150)
    assert time.monotonic() - started < 5
    assert not out.exists()


def test_a_hung_engine_is_killed_at_the_time_limit(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ToolError, match="timed out"):
        fake_engine(tmp_path, "hang", timeout_s=1.5).synthesize(
            "one two", tmp_path / "x.wav", voice="", speaking_wpm=150
        )
    assert time.monotonic() - started < 5


def test_a_silent_clip_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="silence"):
        fake_engine(tmp_path, "silent").synthesize("one two three", tmp_path / "x.wav", voice="", speaking_wpm=150)


def test_a_clip_too_short_for_its_words_is_rejected(tmp_path: Path) -> None:
    clip = tmp_path / "short.wav"
    with wave.open(str(clip), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(22050)
        f.writeframes(b"\x00\x10" * 2205)  # 0.1 s for twenty words
    with pytest.raises(ToolError, match="truncated"):
        validate_speech(clip, " ".join(["word"] * 20), 150)


def test_a_failed_synthesis_leaves_no_cache_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    driver_engine = fake_engine(tmp_path, "truncated", timeout_s=2.0)

    class Broken(Pyttsx3Engine):
        name = "broken"

        def __init__(self) -> None:
            super().__init__(timeout_s=2.0, driver_file=driver_engine.driver_file)

    monkeypatch.setitem(ENGINES, "broken", Broken)
    with pytest.raises(ToolError):
        narrate_into(tmp_path, storyboard_of("one two three"), NarrationSettings(engine="broken"))
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert not (tmp_path / "out" / "01.wav").exists()
