"""Audio finishing: trim each clip, join a slide's clips with pauses, normalise loudness, 48 kHz.

pydub does the sample-exact editing in Python (trimming, silences, joining); ffmpeg, run through
:mod:`pipeline.tools`, does what pydub cannot: decoding compressed recordings, EBU R128
two-pass loudness normalisation (``loudnorm``) and resampling to 48 kHz. pydub is never asked to
decode or encode anything itself, because it would run ffmpeg behind our back.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import tools
from ..errors import ToolError

with warnings.catch_warnings():
    # pydub imports the standard library's audioop, deprecated since Python 3.11; nothing we can fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000


@dataclass(frozen=True, slots=True)
class Finishing:
    """How clips are trimmed and slides normalised; part of every cache key."""

    trim_threshold_dbfs: float = -50.0  # quieter than this at a clip's ends counts as silence
    trim_pad_s: float = 0.02  # kept either side of the speech so onsets and releases survive
    loudness_lufs: float = -16.0
    # Aim below the -1 dBTP limit: resampling and 16-bit rounding can add a few tenths of a dB.
    true_peak_dbtp: float = -1.5
    loudness_range_lu: float = 11.0
    sample_rate: int = SAMPLE_RATE

    def key(self) -> dict[str, float | int]:
        """The parameters as a plain mapping for cache digests."""
        return asdict(self)


FINISHING = Finishing()


def load_wav(path: Path) -> AudioSegment:
    """Read a 16-bit PCM WAV into a pydub segment (standard library reader: closes its file, runs no ffmpeg)."""
    import wave

    try:
        with wave.open(str(path), "rb") as f:
            data = f.readframes(f.getnframes())
            return AudioSegment(
                data=data, sample_width=f.getsampwidth(), frame_rate=f.getframerate(), channels=f.getnchannels()
            )
    except (OSError, EOFError, wave.Error) as exc:
        raise ToolError(f"cannot read audio {path}: {exc}") from exc


def trim(segment: AudioSegment, finishing: Finishing = FINISHING) -> AudioSegment:
    """Cut leading and trailing silence, keeping ``trim_pad_s`` of it either side."""
    threshold = finishing.trim_threshold_dbfs
    start = detect_leading_silence(segment, silence_threshold=threshold, chunk_size=5)
    end = len(segment) - detect_leading_silence(segment.reverse(), silence_threshold=threshold, chunk_size=5)
    if end <= start:
        return segment[:0]
    pad_ms = round(finishing.trim_pad_s * 1000)
    return segment[max(0, start - pad_ms) : min(len(segment), end + pad_ms)]


def silence(seconds: float, like: AudioSegment) -> AudioSegment:
    """Exactly ``seconds`` of digital silence (to the frame) in ``like``'s format."""
    frames = round(seconds * like.frame_rate)
    data = b"\0" * (frames * like.frame_width)
    return like._spawn(data)


def seconds(segment: AudioSegment) -> float:
    """Exact length in seconds (pydub's ``len`` rounds to milliseconds)."""
    return float(segment.frame_count()) / segment.frame_rate


def export_wav(segment: AudioSegment, path: Path) -> None:
    """Write ``segment`` as PCM WAV with the standard library (no ffmpeg)."""
    import wave

    with wave.open(str(path), "wb") as f:
        f.setnchannels(segment.channels)
        f.setsampwidth(segment.sample_width)
        f.setframerate(segment.frame_rate)
        f.writeframes(segment.raw_data)


def decode_to_wav(source: Path, out: Path, *, what: str) -> None:
    """Decode any audio ffmpeg reads (WAV, MP3, M4A…) to mono 16-bit PCM WAV at 48 kHz."""
    tools.run(
        tools.FFMPEG,
        [
            "-nostdin",
            "-hide_banner",
            "-y",
            "-i",
            source,
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-c:a",
            "pcm_s16le",
            "-f",
            "wav",
            out,
        ],
        timeout=300,
        what=what,
    )


def normalise(source: Path, out: Path, finishing: Finishing = FINISHING, *, what: str) -> None:
    """Two-pass EBU R128 ``loudnorm`` of ``source`` into a mono 48 kHz 16-bit WAV ``out``.

    The first pass measures; the second applies a linear gain (falling back to ffmpeg's dynamic
    mode only when the gain would push the true peak over the limit), then resamples to 48 kHz.
    Loudness of very short clips is unreliable, so this runs on a whole slide.
    """
    target = f"I={finishing.loudness_lufs}:TP={finishing.true_peak_dbtp}:LRA={finishing.loudness_range_lu}"
    proc = tools.run(
        tools.FFMPEG,
        ["-nostdin", "-hide_banner", "-i", source, "-af", f"loudnorm={target}:print_format=json", "-f", "null", "-"],
        timeout=300,
        what=f"measuring loudness ({what})",
    )
    measured = _loudnorm_json(proc.stderr)
    if measured["input_i"] in ("-inf", "inf") or float(measured["input_i"]) < -70:
        raise ToolError(f"no audible speech to normalise ({what}): integrated loudness {measured['input_i']} LUFS")
    second = (
        f"loudnorm={target}:measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        f":offset={measured['target_offset']}:linear=true:print_format=summary"
    )
    tools.run(
        tools.FFMPEG,
        [
            "-nostdin",
            "-hide_banner",
            "-y",
            "-i",
            source,
            "-af",
            second,
            "-ac",
            "1",
            "-ar",
            str(finishing.sample_rate),
            "-c:a",
            "pcm_s16le",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-f",
            "wav",
            out,
        ],
        timeout=300,
        what=f"normalising loudness ({what})",
    )


def _loudnorm_json(stderr: bytes) -> dict[str, str]:
    text = stderr.decode("utf-8", "replace")
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", text)
    if match is None:
        raise ToolError(f"ffmpeg loudnorm printed no measurement:\n{tools.stderr_tail(stderr)}")
    data: dict[str, str] = json.loads(match.group(0))
    return data


def write_silence(path: Path, seconds_: float, sample_rate: int = SAMPLE_RATE) -> None:
    """A mono 16-bit WAV of digital silence (a slide with nothing to say)."""
    base = AudioSegment.silent(duration=0, frame_rate=sample_rate).set_sample_width(2).set_channels(1)
    export_wav(silence(seconds_, base), path)
