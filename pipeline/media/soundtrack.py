"""The video's narration track: each slide's sound encoded to AAC on its own, the pieces joined as they are.

An AAC-LC stream is a row of coded frames of 1024 samples, and the encoder puts one frame of
priming before the sound (its decoder delay). Every slide's sound lasts a whole number of frames
(the narration stage pads its hold to make it so), so a slide encoded alone gives that many
frames after its priming one. Dropping the priming frame and laying the slides' frames end to end
gives one stream whose decode is each slide's sound at exactly its place: no gap, no drift, no
re-encode. A coded frame also overlaps its neighbours by half a frame; at a join the neighbour is
another slide's, but both sides are the silence of a lead-in and a hold, so nothing is heard.

Each slide's frames are cached by its sound, its length and the encoder settings: editing one
slide's narration encodes that slide again, not the lesson. Lossy coding adds peaks the finished
WAVs did not have (measured: 0.3 to 0.9 dB at this bitrate), so each piece's true peak is measured
as it is encoded; a slide over the limit is encoded again that much quieter. Only that slide: the
others keep the loudness they were normalised to, and an edit never makes another slide's sound
be encoded again.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from .. import cache
from ..errors import PipelineError
from . import ffmpeg
from .specs import AAC_FRAME_SAMPLES, AUDIO_BITRATE, SAMPLE_RATE, TRUE_PEAK_LIMIT_DBTP

log = logging.getLogger(__name__)

PEAK_PASSES = 3  # encodes at most, each quieter by the last one's excess true peak
PEAK_MARGIN_DB = 0.2  # aim this far under the limit when encoding again
AUDIO_VERSION = 3  # bump when a piece's encode changes (filters, coder, bitrate, framing)


def samples_of(duration_s: float) -> int:
    """A slide's length in samples; a :class:`PipelineError` unless it is a whole number of AAC frames."""
    samples = round(duration_s * SAMPLE_RATE)
    if abs(duration_s * SAMPLE_RATE - samples) > 0.5 or samples % AAC_FRAME_SAMPLES:
        raise PipelineError(
            f"a slide's sound lasts {duration_s} s, not a whole number of AAC frames "
            f"({AAC_FRAME_SAMPLES} samples at {SAMPLE_RATE} Hz)"
        )
    return samples


def narration_track(clips: Sequence[tuple[Path, float]], out: Path, work_dir: Path) -> tuple[Path, ...]:
    """Write the narration of ``clips`` (each slide's WAV and length) to ``out`` as one ADTS AAC-LC
    stream at 48 kHz within the true-peak limit; return each slide's piece (its coded frames).

    The track is mono when every slide's sound is. Pieces come from ``work_dir``'s cache when
    their slide is unchanged; the rest are encoded on every core.
    """
    layout = "mono" if all(ffmpeg.wav_channels(path) == 1 for path, _ in clips) else "stereo"
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as encoders:
        jobs = [encoders.submit(encoded_piece, path, samples_of(seconds), layout, work_dir) for path, seconds in clips]
        pieces = tuple(job.result() for job in jobs)
    join(pieces, out)
    return pieces


def piece_key(wav: Path, samples: int, layout: str) -> str:
    """What names a slide's piece: its sound's bytes, its length, and every setting of the encode."""
    return cache.digest(
        cache.file_digest(wav), samples, layout, AUDIO_BITRATE, SAMPLE_RATE, AUDIO_VERSION,
        PEAK_PASSES, PEAK_MARGIN_DB, TRUE_PEAK_LIMIT_DBTP,
    )[:24]  # fmt: skip


def encoded_piece(wav: Path, samples: int, layout: str, work_dir: Path) -> Path:
    """The cached AAC frames of ``wav`` (``samples`` long), within the true-peak limit (only such are kept)."""
    path = work_dir / "narration" / f"{piece_key(wav, samples, layout)}.aac"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with cache.temporary_folder(path.parent, "aac") as scratch:
        encoded = Path(scratch) / "piece.aac"
        gain_db = 0.0
        for _ in range(PEAK_PASSES):
            peak = _encode(wav, samples, layout, gain_db, encoded)
            if peak <= TRUE_PEAK_LIMIT_DBTP:
                os.replace(encoded, path)
                return path
            gain_db -= peak - (TRUE_PEAK_LIMIT_DBTP - PEAK_MARGIN_DB)
            log.info("%s peaks at %.1f dBTP once encoded; encoding it again at %.2f dB", wav.name, peak, gain_db)
    raise PipelineError(
        f"the encoded narration still peaks at {peak:.1f} dBTP, over the {TRUE_PEAK_LIMIT_DBTP} dBTP "
        f"limit, after {PEAK_PASSES} encodes",
        wav,
    )


def _encode(wav: Path, samples: int, layout: str, gain_db: float, out: Path) -> float:
    """``wav`` encoded ``gain_db`` louder into ``out`` as its frames after the priming one; their true peak."""
    ffmpeg.encode_aac(wav, out, samples=samples, layout=layout, gain_db=gain_db)
    frames = adts_frames(out.read_bytes(), what=wav.name)
    wanted = samples // AAC_FRAME_SAMPLES
    if len(frames) <= wanted:
        raise PipelineError(f"the AAC encoder gave {len(frames)} frames for {wanted} frames of sound", wav)
    # The first frame is the encoder's priming; any after the sound are its flush.
    out.write_bytes(b"".join(frames[1 : 1 + wanted]))
    return ffmpeg.measure_loudness(out, what=f"the encoded narration of {wav.name}")[1]


def join(pieces: Sequence[Path], out: Path) -> None:
    """The pieces' frames end to end in ``out`` (an ADTS stream is its frames, each with its header)."""
    with out.open("wb") as stream:
        for piece in pieces:
            stream.write(piece.read_bytes())


def adts_frames(data: bytes, *, what: str) -> list[bytes]:
    """An ADTS stream split into its frames (each with its 7- or 9-byte header)."""
    frames, at = [], 0
    while at < len(data):
        header = data[at : at + 7]
        if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF6 != 0xF0:
            raise PipelineError(f"not an ADTS frame at byte {at} of the encoded narration of {what}")
        length = ((header[3] & 0x03) << 11) | (header[4] << 3) | (header[5] >> 5)
        if length < 7 or at + length > len(data):
            raise PipelineError(f"a cut-off ADTS frame at byte {at} of the encoded narration of {what}")
        frames.append(data[at : at + length])
        at += length
    return frames


def slide_sounds(pieces: Sequence[Path]) -> list[Path]:
    """Each slide's piece as an ``.m4a`` of its own, for the narrated deck: the same coded frames, in
    the container PowerPoint plays, cached beside the piece."""
    paths = []
    for piece in pieces:
        path = piece.with_suffix(".m4a")
        if not path.is_file():
            with cache.atomic_path(path) as tmp:
                ffmpeg.wrap_m4a(piece, tmp)
        paths.append(path)
    return paths
