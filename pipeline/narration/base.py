"""The speech-engine interface and the registry of engines by name (default first)."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from ..errors import ConfigError


class SpeechEngine(ABC):
    """One text-to-speech engine: turns a piece of text into a complete WAV file.

    ``speaking_wpm`` is the speaking rate: average words (:func:`pipeline.budget.spoken_words`)
    a minute of trimmed speech, pauses between sentences left out. Each engine calibrates its own
    rate parameter so that the same number means the same rate whichever engine speaks.
    """

    name: ClassVar[str]

    @abstractmethod
    def synthesize(self, text: str, out: Path, *, voice: str, speaking_wpm: float) -> None:
        """Write ``text`` spoken by ``voice`` (engine default when empty) at ``speaking_wpm`` to the WAV ``out``.

        Must return only once ``out`` is a complete, valid WAV of plausible length, or raise
        :class:`~pipeline.errors.ToolError`; never leave a short clip behind.
        """

    def identity(self) -> str:
        """Everything about the engine that changes its sound (name, versions, calibration), for cache keys."""
        return self.name

    def close(self) -> None:  # noqa: B027 - optional hook with a do-nothing default, not abstract
        """Release what the engine keeps between utterances (e.g. worker processes); nothing by default."""


# Insertion order is the preference order: the default engine is registered first.
ENGINES: dict[str, type[SpeechEngine]] = {}
# The modules that register the engines, default first. They are imported when the registry is
# first consulted, not with this module: a synthesis child process needs only its own engine.
ENGINE_MODULES = ("pipeline.narration.pyttsx3_engine", "pipeline.narration.piper_engine")


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
    """An instance of the engine registered as ``name``; :class:`ConfigError` naming the choices otherwise."""
    try:
        cls = _load_engines()[name]
    except KeyError:
        choices = ", ".join(ENGINES) or "none"
        raise ConfigError(f"unknown speech engine {name!r}; available: {choices}") from None
    return cls()
