"""The data narration hands to later stages (captions, video, verify) and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class TimedSentence:
    """One sentence of a slide's narration and when it is spoken."""

    text: str  # as written in the script: the caption text, never the lexicon respelling
    start_s: float  # relative to the start of this slide's audio
    end_s: float


@dataclass(frozen=True, slots=True)
class SlideAudio:
    """A slide's finished narration."""

    n: int  # slide number
    path: Path  # WAV, 48 kHz mono, trimmed and normalised, including lead-in and trailing hold
    duration_s: float  # measured length of that file
    sentences: tuple[TimedSentence, ...]
    recorded: bool  # True when a human recording replaced synthesis
    synthesized: int = 0  # sentences synthesized by this run (0 when everything came from the cache)


@dataclass(frozen=True, slots=True)
class Narration:
    """The whole lesson's narration, one entry per storyboard slide in order."""

    slides: tuple[SlideAudio, ...]
    engine: str
    voice: str
    rate_wpm: float

    @property
    def duration_s(self) -> float:
        """Total measured length of every slide's audio."""
        return sum(s.duration_s for s in self.slides)


@dataclass(frozen=True, slots=True)
class NarrationSettings:
    """How the narration should sound."""

    engine: str = "pyttsx3"
    voice: str = ""  # engine default when empty
    rate_wpm: float = 150  # real spoken words per minute (engines calibrate their own parameter)
    sentence_pause_s: float = 0.35
    lead_in_s: float = 0.3  # silence at the start of each slide
    hold_s: float = 0.7  # silence at the end of each slide

    def __post_init__(self) -> None:
        if not 60 <= self.rate_wpm <= 300:
            raise ConfigError(f"narration rate {self.rate_wpm} wpm is outside 60–300")
        for name in ("sentence_pause_s", "lead_in_s", "hold_s"):
            value = getattr(self, name)
            if not 0 <= value <= 10:
                raise ConfigError(f"narration {name} = {value} must be between 0 and 10 seconds")
