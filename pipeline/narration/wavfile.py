"""Reading WAV headers and waiting for a WAV another thread or process is still writing.

Kept free of heavy imports: the synthesis child process uses it.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolError


@dataclass(frozen=True, slots=True)
class WavInfo:
    """What a PCM WAV header says, checked against the file's real size."""

    channels: int
    sample_rate: int
    sample_width: int
    frames: int
    data_offset: int
    data_bytes: int
    file_bytes: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    @property
    def complete(self) -> bool:
        """The data chunk the header announces is all there (and the RIFF size agrees)."""
        return self.data_bytes > 0 and self.data_offset + self.data_bytes <= self.file_bytes


class IncompleteWav(ValueError):
    """The file is not (yet) a whole PCM WAV."""


def read_wav_info(path: Path) -> WavInfo:
    """Parse the RIFF/WAVE header of ``path``; :class:`IncompleteWav` when it is missing, short or malformed."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
            size = f.seek(0, 2)
    except FileNotFoundError as exc:
        raise IncompleteWav(f"{path} does not exist") from exc
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise IncompleteWav(f"{path} has no RIFF/WAVE header ({size} bytes)")
    riff_size = struct.unpack_from("<I", head, 4)[0]
    if riff_size + 8 > size:
        raise IncompleteWav(f"{path}: RIFF header announces {riff_size + 8} bytes, file has {size}")
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    while pos + 8 <= len(head):
        chunk_id, chunk_size = head[pos : pos + 4], struct.unpack_from("<I", head, pos + 4)[0]
        body = pos + 8
        if chunk_id == b"fmt " and body + 16 <= len(head):
            audio_format, channels, rate = struct.unpack_from("<HHI", head, body)
            bits = struct.unpack_from("<H", head, body + 14)[0]
            fmt = (audio_format, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise IncompleteWav(f"{path}: data chunk before fmt chunk")
            audio_format, channels, rate, bits = fmt
            if audio_format not in (1, 0xFFFE) or channels < 1 or rate < 1 or bits % 8:
                raise IncompleteWav(f"{path}: not PCM audio (format {audio_format}, {bits} bits)")
            width = bits // 8
            info = WavInfo(channels, rate, width, chunk_size // (width * channels), body, chunk_size, size)
            if not info.complete:
                raise IncompleteWav(f"{path}: header announces {chunk_size} data bytes, file holds {size - body}")
            return info
        pos = body + chunk_size + (chunk_size & 1)
    raise IncompleteWav(f"{path}: no data chunk in the first {len(head)} bytes")


def wait_for_complete_wav(path: Path, *, timeout_s: float, settle_s: float = 0.05, poll_s: float = 0.01) -> WavInfo:
    """Block until ``path`` is a complete WAV whose size has stopped changing, then return its header.

    Speech engines may hand control back before their writer thread has finished the file
    (pyttsx3's espeak driver does, on the first call in a process). We wait until the header's
    data size matches the bytes on disk and the size holds still for ``settle_s``; if that does
    not happen within ``timeout_s`` we raise :class:`ToolError` rather than return a short clip.
    """
    deadline = time.monotonic() + timeout_s
    last_size = -1
    stable_since = 0.0
    problem = "never appeared"
    while True:
        now = time.monotonic()
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = -1
        if size != last_size:
            last_size, stable_since = size, now
        if size > 0:
            try:
                info = read_wav_info(path)
            except IncompleteWav as exc:
                problem = str(exc)
            else:
                if now - stable_since >= settle_s:
                    return info
                problem = f"{path} was still growing"
        if now >= deadline:
            raise ToolError(f"speech engine did not finish writing {path} within {timeout_s:.0f}s: {problem}")
        time.sleep(poll_s)
