"""Loudness finishing against the real ffmpeg: every slide lands on the target under the true-peak limit.

The inputs are made by ffmpeg's expression source at the rate a TTS engine writes (22.05 kHz), so
each is resampled to 48 kHz on the way, as a synthesized slide is.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.media import loudness, probe_audio

from pipeline.media import ffmpeg
from pipeline.narration import audio

# A steady hum: its peak is 3 dB over its RMS, so gain alone reaches the target.
STEADY = "0.02*sin(2*PI*220*t)"
# A hum that swells and fades, with a blip every 0.4 s: about 17 dB of peak over loudness, and the
# limiter costs it 1.5 LU, as it costs espeak-ng's speech (commas escaped for the filter).
PEAKY = r"0.1*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*3*t)) + 0.3*lt(mod(t\,0.4)\,0.01)*sin(2*PI*1500*t)"
# A quiet hum with a loud click that carries most of its loudness: limiting takes several dB off it, so the
# first pass lands far under the target and the gain must be found again.
CLICKS = r"0.02*sin(2*PI*220*t) + 0.9*lt(mod(t\,0.5)\,0.003)*sin(2*PI*2500*t)"


def clip(tmp_path: Path, expression: str, seconds: float = 12.0) -> Path:
    wav = tmp_path / "in.wav"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", f"aevalsrc={expression}:s=22050:d={seconds}",
         "-c:a", "pcm_s16le", str(wav)],
        check=True,
    )  # fmt: skip
    return wav


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The gain of every limited pass the finishing runs."""
    gains: list[float] = []
    real = ffmpeg.limit_gain

    def counted(source: Path, out: Path, *, gain_db: float, **kwargs) -> tuple[float, float]:
        gains.append(gain_db)
        return real(source, out, gain_db=gain_db, **kwargs)

    monkeypatch.setattr(ffmpeg, "limit_gain", counted)
    return gains


def finished(tmp_path: Path, source: Path) -> Path:
    """``source`` normalised, checked on the target loudness and under the true-peak limit."""
    out = tmp_path / "out.wav"
    audio.normalise(source, out, what=source.stem)
    integrated, true_peak = loudness(out)
    assert integrated == pytest.approx(audio.FINISHING.loudness_lufs, abs=0.2)
    assert true_peak <= audio.FINISHING.true_peak_dbtp + 0.1
    return out


def test_a_clip_gain_alone_can_lift_is_lifted_to_the_target_without_the_limiter(
    tmp_path: Path, limited: list[float]
) -> None:
    out = finished(tmp_path, clip(tmp_path, STEADY))
    assert limited == []
    assert probe_audio(out)[:2] == (48_000, 1)


def test_a_peaky_clip_is_limited_once_and_lands_on_the_target_under_the_peak_limit(
    tmp_path: Path, limited: list[float]
) -> None:
    source = clip(tmp_path, PEAKY)
    before, peak_before = loudness(source)
    assert peak_before + audio.FINISHING.loudness_lufs - before > 0  # gain alone would pass the limit
    finished(tmp_path, source)
    # Limited once, aiming above the target by what the limiting costs; plain gain did the rest.
    assert limited == [pytest.approx(audio.FINISHING.loudness_lufs - before + audio.LIMITER_LOSS_LU, abs=0.01)]


def test_a_clip_whose_loudness_is_in_its_peaks_is_limited_again_from_the_source_until_it_lands(
    tmp_path: Path, limited: list[float]
) -> None:
    finished(tmp_path, clip(tmp_path, CLICKS))
    assert 1 < len(limited) <= audio.LIMITER_PASSES
    assert limited == sorted(limited)  # each try lifts the source further, none starts from a limited result
