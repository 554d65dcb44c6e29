"""Audio finishing: trim each clip, join a slide's clips with pauses, normalise loudness, 48 kHz.

pydub does the sample-exact editing in Python (trimming, silences, joining); ffmpeg, run through
:mod:`pipeline.media.ffmpeg`, does what pydub cannot: decoding compressed recordings, measuring loudness (EBU R128),
gain and true-peak limiting, and resampling to 48 kHz. pydub is never asked to
decode or encode anything itself, because it would run ffmpeg behind our back.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from ..cache import atomic_path
from ..errors import ToolError
from ..media import ffmpeg
from ..media.ffmpeg import measure_loudness
from ..media.specs import AAC_FRAME_SAMPLES, SAMPLE_RATE, TARGET_LUFS, TRUE_PEAK_LIMIT_DBTP

with warnings.catch_warnings():
    # pydub imports the standard library's audioop, deprecated since Python 3.11; nothing we can fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Finishing:
    """How clips are trimmed and slides normalised; part of every cache key."""

    trim_threshold_dbfs: float = -50.0  # quieter than this at a clip's ends counts as silence
    trim_pad_s: float = 0.02  # kept either side of the speech so onsets and releases survive
    loudness_lufs: float = TARGET_LUFS
    # Aim below the limit: resampling and 16-bit rounding add a few tenths of a dB, and the AAC
    # encode a few more (the video's encoder measures and corrects what it adds).
    true_peak_dbtp: float = TRUE_PEAK_LIMIT_DBTP - 0.5
    sample_rate: int = SAMPLE_RATE
    # Each slide's hold is lengthened to a whole number of AAC frames (under 22 ms), so the video
    # encodes each slide's sound on its own and joins them without gaps or drift.
    whole_frames_of: int = AAC_FRAME_SAMPLES

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
    return trim_with_offset(segment, finishing)[1]


def trim_with_offset(segment: AudioSegment, finishing: Finishing = FINISHING) -> tuple[float, AudioSegment]:
    """:func:`trim`, and the seconds it cut from the start (where the result begins in ``segment``)."""
    threshold = finishing.trim_threshold_dbfs
    start = detect_leading_silence(segment, silence_threshold=threshold, chunk_size=5)
    end = len(segment) - detect_leading_silence(segment.reverse(), silence_threshold=threshold, chunk_size=5)
    if end <= start:
        return 0.0, segment[:0]
    pad_ms = round(finishing.trim_pad_s * 1000)
    begin = max(0, start - pad_ms)
    return begin / 1000, segment[begin : min(len(segment), end + pad_ms)]


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
    ffmpeg.decode_to_wav(source, out, what=what)


LIMITER_PASSES = 3
LIMITER_LOSS_LU = 1.6
"""About what the true-peak limiter takes off a slide's loudness as it lifts it (1.3–1.7 LU for
espeak-ng's slides, lifted about 5.5 dB): the first limited pass aims this much above the target."""
AIM_ABOVE_LU = 0.1
"""A later limited pass aims this far above the target: a pass that lands above it needs only a cut."""
# ebur128 prints tenths: a peak that lands exactly on the limit is at it, not over it.
_PRINTED = 0.05


def normalise(source: Path, out: Path, finishing: Finishing = FINISHING, *, what: str) -> None:
    """Normalise ``source`` to the target loudness into a mono 48 kHz 16-bit WAV ``out``.

    Integrated loudness and true peak are measured (EBU R128, ffmpeg's ``ebur128``). When the
    one linear gain that reaches the target keeps the true peak under the limit, that gain is
    applied and nothing more is needed: both move by exactly the gain.

    Otherwise a look-ahead limiter run at 4x the sample rate (so it catches inter-sample peaks)
    shaves the peaks as the gain is applied. Limiting lowers the loudness, so the gain aims above
    the target by what limiting is expected to cost (:data:`LIMITER_LOSS_LU`); the result is
    measured, and when it landed above the target, or so little under that the limiter's headroom
    takes the rest, plain gain finishes it. When it did not, the source is limited again at a
    gain corrected from what the passes so far measured: each pass limits the source once, never
    a limited result again. ffmpeg's ``loudnorm`` was not used: on peaky speech it falls back to a
    dynamic mode that undershoots, and on clips of a few seconds it can land tens of LU off target.
    """
    loudness, peak = measure_loudness(source, what=what)
    if loudness < -70:
        raise ToolError(f"no audible speech to normalise ({what}): integrated loudness {loudness:.1f} LUFS")
    target, ceiling, rate = finishing.loudness_lufs, finishing.true_peak_dbtp, finishing.sample_rate
    gain = target - loudness
    if peak + gain <= ceiling + _PRINTED:
        _change_gain(source, out, gain, rate, what=what)
        return
    # Some headroom under the limit for resampling back down after the 4x-rate limiter.
    limit = 10 ** ((ceiling - 0.3) / 20)
    tried: list[tuple[float, float]] = []  # (gain over the plain gain, loudness it gave)
    extra = LIMITER_LOSS_LU
    for _ in range(LIMITER_PASSES):
        with atomic_path(out) as tmp:
            loudness, peak = ffmpeg.limit_gain(source, tmp, gain_db=gain + extra, limit=limit, sample_rate=rate,
                                               what=what)  # fmt: skip
        if peak + target - loudness <= ceiling + _PRINTED:
            _change_gain(out, out, target - loudness, rate, what=what)
            return
        tried.append((extra, loudness))
        extra = _next_extra(tried, target + AIM_ABOVE_LU)
    log.warning("%s: loudness %.1f LUFS after %d limited passes", what, loudness, LIMITER_PASSES)


def _change_gain(source: Path, out: Path, gain: float, rate: int, *, what: str) -> None:
    if source == out and abs(gain) < 0.005:
        return  # already there
    # Written beside ``out`` and renamed: the source may be ``out`` itself.
    with atomic_path(out) as tmp:
        ffmpeg.change_gain(source, tmp, gain_db=gain, sample_rate=rate, what=what)


def _next_extra(tried: list[tuple[float, float]], aim: float) -> float:
    """The extra gain to try next for loudness ``aim``: along the line through the last two tries, or
    (after one) as if loudness followed gain dB for dB. The limiter gives back less than the gain,
    never more, so the slope is at most 1; a floor keeps a flat stretch from sending the gain off."""
    extra, loudness = tried[-1]
    slope = 1.0
    if len(tried) > 1:
        (e0, l0), (e1, l1) = tried[-2:]
        if e1 != e0:
            slope = min(1.0, max(0.1, (l1 - l0) / (e1 - e0)))
    return extra + (aim - loudness) / slope


def write_silence(path: Path, seconds_: float, finishing: Finishing = FINISHING) -> None:
    """A mono 16-bit WAV of digital silence (a slide with nothing to say), a whole number of AAC frames long."""
    base = AudioSegment.silent(duration=0, frame_rate=finishing.sample_rate).set_sample_width(2).set_channels(1)
    export_wav(silence(seconds_, base), path)
    pad_to_whole_frames(path, finishing)


def pad_to_whole_frames(path: Path, finishing: Finishing = FINISHING) -> None:
    """Lengthen the WAV ``path`` with digital silence to a whole number of ``finishing.whole_frames_of`` samples."""
    import wave

    with wave.open(str(path), "rb") as f:
        params = f.getparams()
        data = f.readframes(params.nframes)
    short = -params.nframes % finishing.whole_frames_of
    if not short:
        return
    with wave.open(str(path), "wb") as f:
        f.setparams(params)
        f.writeframes(data + b"\0" * (short * params.sampwidth * params.nchannels))
