"""The speech-engine interface, the behaviour every engine shares, and the registry of engines by name.

An engine fills in :meth:`SpeechEngine.speak` (and, when it has any, :meth:`~SpeechEngine.identity`
and :meth:`~SpeechEngine.close`); the base class makes :meth:`~SpeechEngine.synthesize` out of it:
empty text refused, speech written to a private temporary file and moved into place only once
it is checked, so a failure never leaves a short clip behind.

Kept free of heavy imports: a synthesis child process imports it.
"""

from __future__ import annotations

import importlib
import itertools
import shutil
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from ...budget import spoken_words
from ...errors import ConfigError, ToolError
from ..wavfile import IncompleteWav, read_wav_info

# Speech slower than this fraction of the words' expected duration is a truncated clip.
MIN_DURATION_FRACTION = 0.35

# A calibration table: (the engine's own rate setting, the speaking rate measured at it), ordered
# by rising speaking rate. See scripts/calibrate_voices.py.
Calibration = Sequence[tuple[float, float]]


class SpeechEngine(ABC):
    """One text-to-speech engine: turns a piece of text into a complete WAV file.

    ``speaking_wpm`` is the speaking rate: average words (:func:`pipeline.budget.spoken_words`)
    a minute of trimmed speech, pauses between sentences left out. Each engine calibrates its own
    rate parameter so that the same number means the same rate whichever engine speaks.

    One instance may serve many sentences, from several threads at once, and several narrations;
    whoever creates it calls :meth:`close` when done.
    """

    name: ClassVar[str]

    def synthesize(self, text: str, out: Path, *, voice: str, speaking_wpm: float) -> None:
        """Write ``text`` spoken by ``voice`` (engine default when empty) at ``speaking_wpm`` to the WAV ``out``.

        Returns only once ``out`` is a complete, valid WAV of plausible length, or raises
        :class:`~pipeline.errors.ToolError`; never leaves a short clip behind.
        """
        if not text.strip():
            raise ValueError("cannot synthesize empty text")
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-") as tmp:
            speech = Path(tmp) / "speech.wav"
            self.speak(text, speech, voice=voice, speaking_wpm=speaking_wpm)
            shutil.move(speech, out)

    @abstractmethod
    def speak(self, text: str, speech: Path, *, voice: str, speaking_wpm: float) -> None:
        """Write ``text`` (not empty) to the WAV ``speech`` and check it with :func:`validate_speech`.

        ``speech`` is a fresh name in a private temporary folder, which the engine may also use
        for its own files; :class:`~pipeline.errors.ToolError` on any failure.
        """

    def identity(self) -> str:
        """Everything about the engine that changes its sound (name, versions, calibration), for cache keys."""
        return self.name

    def close(self) -> None:  # noqa: B027 - optional hook with a do-nothing default, not abstract
        """Release what the engine keeps between utterances (e.g. worker processes); nothing by default."""


# --- shared by the engines ----------------------------------------------------------------------


def calibration_segment(table: Calibration, speaking_wpm: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two points of ``table`` around ``speaking_wpm``; beyond the table, its first or last segment."""
    pairs = list(itertools.pairwise(table))
    return next(((a, b) for a, b in pairs if speaking_wpm <= b[1]), pairs[-1])


def calibration_label(version: int, table: Calibration, pinned: Calibration) -> str:
    """How an identity names a calibration: the pinned table's version, or the whole table passed in instead."""
    return f"calibration {version}" if tuple(table) == tuple(pinned) else f"calibration custom {tuple(table)}"


def preview(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters, for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_speech(path: Path, text: str, speaking_wpm: float) -> None:
    """Reject a clip that is not a whole WAV, has no frames, is silent, or is too short for its words."""
    try:
        info = read_wav_info(path)
    except IncompleteWav as exc:
        raise ToolError(f"speech engine wrote a broken WAV for {preview(text)!r}: {exc}") from exc
    if info.frames == 0:
        raise ToolError(f"speech engine wrote no audio for {preview(text)!r}")
    expected_s = spoken_words(text) * 60.0 / speaking_wpm
    if info.duration_s < MIN_DURATION_FRACTION * expected_s:
        raise ToolError(
            f"speech engine wrote {info.duration_s:.2f}s for {preview(text)!r}, "
            f"expected about {expected_s:.1f}s: the clip is truncated"
        )
    if info.sample_width == 2 and _is_silent(path, info.data_offset, info.data_bytes):
        raise ToolError(f"speech engine wrote silence for {preview(text)!r}")


def _is_silent(path: Path, offset: int, nbytes: int) -> bool:
    import array

    samples = array.array("h")
    with path.open("rb") as f:
        f.seek(offset)
        samples.frombytes(f.read(nbytes - nbytes % 2))
    if sys.byteorder != "little":
        samples.byteswap()
    return max((abs(s) for s in samples), default=0) < 64  # below about -54 dBFS


# --- the registry -------------------------------------------------------------------------------

# Insertion order is the preference order: the default engine is registered first.
ENGINES: dict[str, type[SpeechEngine]] = {}
# The modules that register the engines, default first. They are imported when the registry is
# first consulted, not with this module: a synthesis child process needs only its own engine.
ENGINE_MODULES = ("pipeline.narration.engines.pyttsx3", "pipeline.narration.engines.piper.engine")


def register(cls: type[SpeechEngine]) -> type[SpeechEngine]:
    """Class decorator adding an engine to the registry under ``cls.name``."""
    ENGINES[cls.name] = cls
    return cls


def _load_engines() -> dict[str, type[SpeechEngine]]:
    for module in ENGINE_MODULES:
        importlib.import_module(module)
    return ENGINES


def engine_names() -> tuple[str, ...]:
    """Registered engine names, the default first."""
    return tuple(_load_engines())


def get_engine(name: str) -> SpeechEngine:
    """A new instance of the engine registered as ``name``; :class:`ConfigError` naming the choices otherwise.

    It has the engine's pinned settings. The caller owns it: one instance serves everything a
    build speaks (a Piper engine hashes its voice model once), then the caller closes it.
    """
    try:
        cls = _load_engines()[name]
    except KeyError:
        choices = ", ".join(ENGINES) or "none"
        raise ConfigError(f"unknown speech engine {name!r}; available: {choices}") from None
    return cls()
