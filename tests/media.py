"""Measurements the tests make with ffmpeg and ffprobe directly, independent of the pipeline's own code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of a file's audio, by ffmpeg's ebur128 filter."""
    proc = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path), "-vn", "-sn",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    summary = proc.stderr.rsplit("Summary:", 1)[1]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated.group(1)), float(peak.group(1))


def probe_audio(path: Path) -> tuple[int, int, float]:
    """Sample rate, channels and duration of a WAV as ffprobe reads them."""
    proc = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=sample_rate,channels,duration",
         "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    rate, channels, duration = proc.stdout.strip().split(",")
    return int(rate), int(channels), float(duration)
