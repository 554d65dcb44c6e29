"""The data narration hands to later stages (captions, video, verify) and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..budget import DEFAULT_WPM, Pace
from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class TimedSentence:
    """One sentence of a slide's narration and when it is spoken."""

    text: str  # as written in the script: the caption text, never the lexicon respelling
    start_s: float  # relative to the start of this slide's audio
    end_s: float


@dataclass(frozen=True, slots=True)
class Recording:
    """A narrator's recording of one slide, with when each of its sentences is said, when that is known.

    A recording the narrator made per slide has no sentence times (they are spread over the speech
    by length); a piece cut from a single take has the times the recognizer heard.
    """

    path: Path
    # Seconds into the file, one per script sentence; None for a sentence the narrator skipped.
    sentences: tuple[tuple[float, float] | None, ...] | None = None


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
    pace_wpm: float  # the pace asked for (see NarrationSettings)
    speaking_wpm: float  # the speaking rate the engine was given for it

    @property
    def duration_s(self) -> float:
        """Total measured length of every slide's audio."""
        return sum(s.duration_s for s in self.slides)


@dataclass(frozen=True, slots=True)
class NarrationSettings:
    """How the narration should sound."""

    engine: str = "pyttsx3"
    voice: str = ""  # engine default when empty
    # Words per minute of finished narration, pauses included, for text of average words (the
    # budget's pace: pipeline.budget.Pace); the engine is given the speaking rate it implies.
    pace_wpm: float = DEFAULT_WPM
    sentence_pause_s: float = 0.35
    lead_in_s: float = 0.3  # silence at the start of each slide
    hold_s: float = 0.7  # silence at the end of each slide

    def __post_init__(self) -> None:
        if not 60 <= self.pace_wpm <= 300:
            raise ConfigError(f"narration pace {self.pace_wpm:g} wpm is outside 60–300")
        for name in ("sentence_pause_s", "lead_in_s", "hold_s"):
            value = getattr(self, name)
            if not 0 <= value <= 10:
                raise ConfigError(f"narration {name} = {value} must be between 0 and 10 seconds")
        _ = self.pace  # refuses pauses that leave no time to speak at this pace

    @property
    def pace(self) -> Pace:
        """The budget's pace for these settings: the same pauses, so estimates and audio agree."""
        return Pace(
            wpm=self.pace_wpm, slide_pause_s=self.lead_in_s + self.hold_s, sentence_pause_s=self.sentence_pause_s
        )

    @property
    def speaking_wpm(self) -> float:
        """The speaking rate the engine is given (average words a minute of speech, pauses left out)."""
        return self.pace.speaking_wpm
