"""Measurements the tests make with ffmpeg and ffprobe directly, independent of the pipeline's own code."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    """What ffprobe says of a file, as JSON: ``args`` choose what (``-show_streams``, ``-show_format``…)."""
    proc = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return dict(json.loads(proc.stdout))


def duration_s(path: Path) -> float:
    """A media file's length in seconds, as its container gives it."""
    return float(ffprobe(path, "-show_format")["format"]["duration"])


def probe_audio(path: Path) -> tuple[int, int, float]:
    """Sample rate, channels and duration of a WAV as ffprobe reads them."""
    (stream,) = ffprobe(path, "-show_entries", "stream=sample_rate,channels,duration")["streams"]
    return int(stream["sample_rate"]), int(stream["channels"]), float(stream["duration"])


def decode_errors(path: Path) -> str:
    """What ffmpeg reports decoding every stream of a file in full (empty for a clean file)."""
    proc = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return proc.stderr.strip() or (f"ffmpeg exited with status {proc.returncode}" if proc.returncode else "")


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
