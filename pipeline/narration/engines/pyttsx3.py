"""The pyttsx3 speech engine (espeak-ng on Linux), run one utterance per child process.

Why a child process per utterance: pyttsx3 2.99's espeak driver is not safe to drive twice in
one process. Its ``startLoop`` pumps the queued ``endLoop`` command before it starts synthesis,
so ``runAndWait()`` can return before espeak's callback has written the WAV (seen on the first
call in a process: the file appears a few milliseconds later); later calls in the same process
silently stop applying ``setProperty('rate', …)`` and can hang in the loop forever. A fresh
process per utterance gets a clean driver every time; the parent enforces a time limit (killing
a hung child), the child waits until the WAV is complete and stable, and the parent validates the
result (RIFF header, frames, not silent, duration plausible for the words) before accepting it.

espeak-ng applies ``setProperty('rate', …)`` asynchronously, through the same command queue as the
synthesis, and now and then a synthesis ends with espeak at pyttsx3's default rate of 200 instead
of ours (1 in 470 over ten cold builds of the sample lesson; 2 in 240 when the page cache had just
been dropped): the sentence comes out a third too fast and the slide's timing shifts from build
to build. The child reports the rate espeak ended at, and the parent synthesizes again when it is
not the one asked for.

The child is :mod:`.pyttsx3_child`.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

from ... import tools
from ...errors import ToolError
from .base import (
    Calibration,
    SpeechEngine,
    calibration_label,
    calibration_segment,
    preview,
    register,
    validate_speech,
)

log = logging.getLogger(__name__)


# Measured speaking rate against the espeak rate parameter: average words (syllables and clause
# breaks over 1.5, pipeline.budget.spoken_words) per minute of trimmed speech over the 315
# sentences of seven course lessons, espeak-ng 1.51 default voice, one fresh process per sentence
# (``python scripts/calibrate_voices.py --engines pyttsx3 LESSON...``). Lesson by lesson the rate
# at one setting varied by under 2% either way. The default pace (150 wpm) needs about 179, espeak's 152.
CALIBRATION: tuple[tuple[int, float], ...] = (
    (90, 107.9),
    (110, 131.1),
    (120, 142.4),
    (130, 154.7),
    (140, 166.3),
    (150, 177.0),
    (160, 189.0),
    (170, 200.5),
    (180, 212.2),
    (190, 223.6),
    (210, 245.5),
)
CALIBRATION_VERSION = 3  # 3: speaking rates counting clause breaks, measured on seven lessons

# Part of the engine's identity, so sentences cached before a fix are made again.
# 2: a sentence espeak spoke at the wrong rate is no longer kept.
SYNTHESIS_VERSION = 2

# The child's own module imports nothing of the parent's (the engine registry, the budget, the
# tools): it starts once per sentence, and those imports were most of its start-up.
CHILD_MODULE = f"{__package__}.pyttsx3_child"

# How many times one sentence is synthesized before espeak-ng's ignoring of the rate is an error.
RATE_ATTEMPTS = 3


def espeak_rate_for(speaking_wpm: float, calibration: Calibration = CALIBRATION) -> int:
    """The espeak rate parameter that yields the speaking rate ``speaking_wpm`` (linear interpolation)."""
    (r0, w0), (r1, w1) = calibration_segment(calibration, speaking_wpm)
    return round(r0 + (speaking_wpm - w0) * (r1 - r0) / (w1 - w0))


ESPEAK_MISSING = (
    "espeak-ng, the library pyttsx3 speaks through, is not installed: sudo apt-get install espeak-ng "
    "(macOS: brew install espeak-ng); `lecture-pipeline doctor` checks everything a build needs"
)


def espeak_version() -> str | None:
    """The version of the espeak-ng library pyttsx3 loads, or None when it cannot load one."""
    try:
        from pyttsx3.drivers import _espeak

        return (_espeak.Info(None) or b"unknown").decode("utf-8", "replace").strip()
    except Exception as exc:  # pyttsx3 raises a bare Exception when no library loads
        log.debug("cannot load espeak-ng: %s", exc)
        return None


@functools.cache
def _library_versions() -> str:
    """pyttsx3's and espeak-ng's versions; :class:`ToolError` when espeak-ng is missing, before any synthesis."""
    import importlib.metadata  # here, not at the top: the synthesis child never needs it

    try:
        pyttsx3_version = importlib.metadata.version("pyttsx3")
    except importlib.metadata.PackageNotFoundError:
        pyttsx3_version = "unknown"
    espeak = espeak_version()
    if espeak is None:
        raise ToolError(ESPEAK_MISSING)
    return f"pyttsx3 {pyttsx3_version}; espeak-ng {espeak}"


@register
class Pyttsx3Engine(SpeechEngine):
    """pyttsx3 with its espeak driver, one child process per utterance.

    ``calibration`` maps speaking rates to espeak rates (default: the measured :data:`CALIBRATION`;
    the calibration script passes the identity). ``driver_file`` (tests only) loads a stand-in
    pyttsx3 driver module from a file, so a test can reproduce the driver's early return and late
    or truncated writes.
    """

    name = "pyttsx3"

    def __init__(
        self, *, timeout_s: float = 60.0, calibration: Calibration = CALIBRATION, driver_file: Path | None = None
    ) -> None:
        self.timeout_s = timeout_s
        self.calibration = tuple(calibration)
        self.driver_file = driver_file

    def identity(self) -> str:
        driver = f"; driver {self.driver_file.name}" if self.driver_file else ""
        calibration = calibration_label(CALIBRATION_VERSION, self.calibration, CALIBRATION)
        return f"{self.name} {SYNTHESIS_VERSION}; {_library_versions()}; {calibration}{driver}"

    def speak(self, text: str, speech: Path, *, voice: str, speaking_wpm: float) -> None:
        """Speak ``text`` into the WAV ``speech`` in a child process; see the module docstring for why."""
        # The child gives up a little before the parent kills it, so its own message reaches us.
        wait_s = max(0.5, self.timeout_s - min(5.0, self.timeout_s / 4))
        rate = espeak_rate_for(speaking_wpm, self.calibration)
        job_path = speech.with_name("job.json")
        report = speech.with_name("report.json")
        job = {
            "text": text,
            "out": str(speech),
            "report": str(report),
            "voice": voice,
            "rate": rate,
            "wait_s": wait_s,
            "driver_file": str(self.driver_file) if self.driver_file else "",
        }
        job_path.write_text(json.dumps(job), encoding="utf-8")
        for attempt in range(1, RATE_ATTEMPTS + 1):
            spoken_rate = self._run_child(job_path, speech, report, text)
            if spoken_rate == rate:
                break
            log.info("espeak-ng spoke %r at rate %s, not %s (attempt %d)", preview(text), spoken_rate, rate, attempt)
        else:
            raise ToolError(
                f"espeak-ng ignored the speaking rate {rate} for {preview(text)!r} "
                f"{RATE_ATTEMPTS} times (it spoke at {spoken_rate})"
            )
        validate_speech(speech, text, speaking_wpm)

    def _run_child(self, job_path: Path, speech: Path, report: Path, text: str) -> object:
        """Run one synthesis child and return the rate espeak-ng ended at."""
        speech.unlink(missing_ok=True)  # a previous attempt's file would look complete to the child at once
        tools.run(
            tools.PYTHON,
            ["-m", CHILD_MODULE, str(job_path)],
            timeout=self.timeout_s,
            what=f"synthesizing {preview(text)!r} with pyttsx3",
        )
        return json.loads(report.read_text(encoding="utf-8"))["rate"]
