"""What the recognizer hears, and what the narration check and the take splitter make of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HeardWord:
    """One word as the recognizer wrote it, and when it was said (seconds from the audio's start)."""

    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True, slots=True)
class Transcript:
    """Everything the recognizer heard in one audio file."""

    words: tuple[HeardWord, ...]
    duration_s: float  # length of the audio it heard
