"""Every ffmpeg and ffprobe command line the pipeline runs, as named operations.

Callers say what they want (encode a still picture, encode the narration, mux the lecture,
measure loudness, decode-check a span, probe a file, normalise a clip) and never build a
command line themselves, so a flag changes in one place and the commands can be read together.
Programs are found and run by :mod:`pipeline.tools`, which turns a failure into one clear error.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import tools
from ..errors import ToolError
from .specs import AUDIO_BITRATE, FPS, HEIGHT, SAMPLE_RATE, VIDEO_TIMESCALE, WIDTH

TIMEOUT_S = 1800.0
SHORT_TIMEOUT_S = 300.0
QUIET = ("-nostdin", "-hide_banner", "-y", "-v", "error")


def encode_still(frame: Path, out: Path, *, frames: int, encoder: Sequence[str]) -> None:
    """``frames`` frames of the still picture ``frame`` as a raw H.264 stream at the delivered size and rate.

    The PNG is scaled and converted once, then that single decoded frame is repeated.
    """
    vf = (
        f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=decrease:out_color_matrix=bt709:out_range=tv,"
        f"pad={WIDTH}:{HEIGHT}:(ow-iw)/2:(oh-ih)/2:color=white,format=yuv420p,setsar=1,"
        f"loop=loop={frames - 1}:size=1:start=0,setpts=N/({FPS}*TB)"
    )
    tools.run(
        tools.FFMPEG,
        # image2 would read a %d in the path (a lesson named "50%done") as a frame number pattern.
        [*QUIET, "-f", "image2", "-pattern_type", "none", "-i", frame,
         "-vf", vf, "-r", str(FPS), "-frames:v", str(frames), "-an", "-c:v", *encoder, "-f", "h264", out],
        timeout=TIMEOUT_S,
        what=f"encoding {frame.name}",
    )  # fmt: skip


def encode_frames(rgb: bytes, count: int, out: Path, *, encoder: Sequence[str], what: str) -> None:
    """``count`` frames of raw RGB (8 bits a channel, at the delivered size, one after another) as
    raw H.264, converted to the delivered colours exactly as :func:`encode_still` converts a PNG."""
    vf = f"scale={WIDTH}:{HEIGHT}:out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1"
    tools.run(
        tools.FFMPEG,
        [*QUIET, "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-framerate", str(FPS),
         "-i", "pipe:0", "-vf", vf, "-r", str(FPS), "-frames:v", str(count), "-an", "-c:v", *encoder, "-f", "h264",
         out],
        timeout=TIMEOUT_S,
        what=what,
        stdin=rgb,
    )  # fmt: skip


def encode_aac(wav: Path, out: Path, *, samples: int, layout: str, gain_db: float) -> None:
    """``wav`` as an ADTS AAC-LC stream at the delivered rate and bitrate, exactly ``samples`` long
    (cut or padded with silence), ``layout`` (mono or stereo) and ``gain_db`` louder or quieter.

    The stream starts with the encoder's priming frame, as every AAC encode does.
    """
    chain = (
        f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts={layout},"
        f"apad=whole_len={samples},atrim=end_sample={samples},volume={gain_db:.2f}dB"
    )
    # The fast coder halves the encode time; at this bitrate speech sounds the same.
    tools.run(
        tools.FFMPEG,
        [*QUIET, "-i", wav, "-af", chain, "-c:a", "aac", "-aac_coder", "fast", "-profile:a", "aac_low",
         "-b:a", AUDIO_BITRATE, "-ar", str(SAMPLE_RATE), "-f", "adts", out],
        timeout=SHORT_TIMEOUT_S,
        what=f"encoding the narration of {wav.name} to AAC",
    )  # fmt: skip


def wrap_m4a(adts: Path, out: Path) -> None:
    """The ADTS stream ``adts`` copied (not re-encoded) into an ``.m4a``.

    The ``ipod`` muxer writes the ``M4A`` brand that audio players, PowerPoint among them, expect
    of an ``.m4a``; the index goes first so a player can start before it has read the whole file.
    """
    tools.run(
        tools.FFMPEG,
        [*QUIET, "-f", "aac", "-i", adts, "-map", "0:a", "-c", "copy", "-movflags", "+faststart", "-f", "ipod", out],
        timeout=SHORT_TIMEOUT_S,
        what=f"wrapping {adts.name} as M4A",
    )


def mux_lecture(
    pictures: Path, sound: Path, meta: Path, subtitles: Path | None, out: Path, *, title: str, chapters: bool
) -> None:
    """The finished MP4: the raw H.264 ``pictures`` (one frame after another at the delivered rate)
    and the ADTS ``sound`` copied as they are, a ``mov_text`` subtitle track from the WebVTT
    ``subtitles``, the title and chapters from the ffmetadata ``meta``, the index moved to the front."""
    args: list[str | Path] = [*QUIET, "-f", "h264", "-framerate", str(FPS), "-i", pictures, "-f", "aac", "-i", sound]
    if subtitles is not None:
        args += ["-f", "webvtt", "-i", subtitles]
    meta_index = 3 if subtitles is not None else 2
    args += ["-f", "ffmetadata", "-i", meta, "-map", "0:v:0", "-map", "1:a:0"]
    if subtitles is not None:
        args += ["-map", "2:s:0", "-c:s", "mov_text", "-metadata:s:s:0", "language=eng"]
    args += ["-map_metadata", str(meta_index), "-map_chapters", str(meta_index) if chapters else "-1"]
    # A raw stream's own time base is 1/1200000; the track gets the usual one.
    args += ["-c:v", "copy", "-c:a", "copy", "-video_track_timescale", str(VIDEO_TIMESCALE)]
    args += ["-metadata", f"title={title}", "-metadata:s:a:0", "language=eng", "-metadata:s:v:0", "language=eng"]
    args += ["-movflags", "+faststart", "-f", "mp4", out]
    tools.run(tools.FFMPEG, args, timeout=TIMEOUT_S, what=f"muxing {out.name}")


def measure_loudness(path: Path, *, what: str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s audio (EBU R128, ``ebur128``)."""
    proc = tools.run(
        tools.FFMPEG,
        ["-nostdin", "-hide_banner", "-nostats", "-i", path, "-vn", "-sn", "-dn",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        timeout=SHORT_TIMEOUT_S,
        what=f"measuring loudness ({what})",
    )  # fmt: skip
    return _loudness_summary(proc.stderr, what=what)


def _loudness_summary(stderr: bytes, *, what: str) -> tuple[float, float]:
    """The integrated loudness and true peak in the summary ffmpeg's ``ebur128`` filter prints last."""
    text = stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if integrated is None or peak is None:
        raise ToolError(f"ffmpeg ebur128 printed no measurement ({what}):\n{tools.stderr_tail(stderr)}")
    return float(integrated.group(1)), float(peak.group(1))


def decode_to_wav(source: Path, out: Path, *, what: str) -> None:
    """Decode any audio ffmpeg reads (WAV, MP3, M4A…) to mono 16-bit PCM WAV at the delivered rate."""
    tools.run(
        tools.FFMPEG,
        [*QUIET[:3], "-i", source, "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav", out],
        timeout=SHORT_TIMEOUT_S,
        what=what,
    )


def change_gain(source: Path, out: Path, *, gain_db: float, sample_rate: int, what: str) -> None:
    """``source`` made ``gain_db`` louder into a mono 16-bit WAV ``out`` at ``sample_rate`` (bit-exact,
    so rebuilds match)."""
    tools.run(
        tools.FFMPEG,
        [*QUIET, "-i", source, "-af", ",".join(_gain_chain(gain_db, None, sample_rate)), *_BITEXACT_WAV, out],
        timeout=SHORT_TIMEOUT_S,
        what=f"normalising loudness ({what})",
    )


def limit_gain(
    source: Path, out: Path, *, gain_db: float, limit: float, sample_rate: int, what: str
) -> tuple[float, float]:
    """:func:`change_gain` with a look-ahead limiter, run at 4x the sample rate so it catches
    inter-sample peaks, keeping the peaks under ``limit`` (linear); return the result's integrated
    loudness (LUFS) and true peak (dBTP), measured by the same run."""
    chain = [*_gain_chain(gain_db, limit, sample_rate), "asplit=2[kept][heard]"]
    # One run writes the result and measures it: a second ffmpeg would only decode it again.
    graph = f"[0:a]{','.join(chain)};[heard]ebur128=peak=true[measured]"
    proc = tools.run(
        tools.FFMPEG,
        [*QUIET[:3], "-nostats", "-i", source, "-filter_complex", graph,
         "-map", "[kept]", *_BITEXACT_WAV, out, "-map", "[measured]", "-f", "null", "-"],
        timeout=SHORT_TIMEOUT_S,
        what=f"normalising loudness ({what})",
    )  # fmt: skip
    return _loudness_summary(proc.stderr, what=what)


_BITEXACT_WAV = ("-c:a", "pcm_s16le", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "wav")


def _gain_chain(gain_db: float, limit: float | None, sample_rate: int) -> list[str]:
    chain = [f"volume={gain_db:.2f}dB"]
    if limit is not None:
        chain += [f"aresample={sample_rate * 4}", f"alimiter=limit={limit:.4f}:attack=1:release=40:level=0"]
    return [*chain, f"aresample={sample_rate}", "aformat=channel_layouts=mono"]


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's description of ``path``: its streams, format and chapters."""
    proc = tools.run(
        tools.FFPROBE,
        ["-v", "error", "-of", "json", "-show_streams", "-show_format", "-show_chapters", path],
        timeout=120,
        what=f"probing {path.name}",
    )
    data: dict[str, Any] = json.loads(proc.stdout.decode("utf-8", "replace"))
    return data


def video_packets(path: Path) -> list[tuple[int, bool]]:
    """Every packet of ``path``'s first video stream in file order: its presentation time (in the
    stream's time base) and whether it is a keyframe. Read from the index; nothing is decoded."""
    proc = tools.run(
        tools.FFPROBE,
        ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,flags", "-of", "csv=p=0", path],
        timeout=120,
        what=f"listing the frames of {path.name}",
    )
    packets = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        pts, _, flags = line.partition(",")
        packets.append((int(pts) if pts.lstrip("-").isdigit() else -1, "K" in flags))
    return packets


def decode_span(
    path: Path, start_s: float, length_s: float | None, *, one_thread: bool, streams: str = "all"
) -> list[str]:
    """Decode every frame of ``path`` from ``start_s`` for ``length_s`` seconds (to the end when
    ``None``); return ffmpeg's error lines, empty when the span is clean. ``streams`` is ``"all"``,
    ``"video"`` or ``"audio"``.

    Input seeking starts at the keyframe before ``start_s``; a span reads a little past its end,
    so spans that touch cover every frame between them.
    """
    args: list[str | Path] = ["-nostdin", "-v", "error"]
    if one_thread:
        # Spans run side by side already fill the cores; more decoding threads per process only
        # contend (measured: 2.9 s against 3.7 s for the sample's two spans).
        args += ["-threads", "1"]
    if start_s > 0:
        args += ["-ss", f"{start_s:.3f}"]
    args += ["-i", path]
    if length_s is not None and start_s + length_s < 1e9:
        args += ["-t", f"{length_s + 0.5:.3f}"]
    args += {"all": [], "video": ["-an", "-sn", "-dn"], "audio": ["-vn", "-sn", "-dn"]}[streams]
    try:
        proc = tools.run(tools.FFMPEG, [*args, "-f", "null", "-"], timeout=TIMEOUT_S, what=f"decoding {path.name}")
    except ToolError as exc:
        # A failed decode is a finding about the file, not a crash of ours.
        return [line.strip() for line in str(exc).splitlines() if line.strip()]
    return [line for line in proc.stderr.decode("utf-8", "replace").splitlines() if line.strip()]


def scene_changes(path: Path, threshold: float = 0.1) -> list[float]:
    """Times (s) of frames whose picture differs from the frame before by more than ``threshold``."""
    proc = tools.run(
        tools.FFMPEG,
        ["-nostdin", "-hide_banner", "-nostats", "-v", "info", "-i", path, "-an", "-sn", "-dn",
         "-vf", f"select='gt(scene,{threshold})',showinfo", "-f", "null", "-"],
        timeout=TIMEOUT_S,
        what=f"finding picture changes in {path.name}",
    )  # fmt: skip
    text = proc.stderr.decode("utf-8", "replace")
    return [float(t) for t in re.findall(r"Parsed_showinfo.*?pts_time:\s*([-\d.]+)", text)]


def wav_channels(wav: Path) -> int:
    """The channel count in a WAV header (2 when the header can't be read)."""
    try:
        with wav.open("rb") as f:
            head = f.read(4096)
        at = head.find(b"fmt ")
        if head[:4] == b"RIFF" and at >= 0:
            return int(struct.unpack_from("<H", head, at + 10)[0])
    except OSError:
        pass
    return 2
