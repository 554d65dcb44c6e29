"""Single takes for the tests: a lesson read in one recording by the project's own voices, with
known slide boundaries, room noise at both ends, and the slips a narrator makes."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.narration import get_engine
from pipeline.narration.audio import FINISHING, AudioSegment, detect_leading_silence, export_wav, load_wav

# After pipeline.narration.audio, which imports pydub without its deprecation warning.
from pydub.generators import WhiteNoise  # isort: skip

SENTENCE_GAP_S = 0.45
SLIDE_GAP_S = 1.2
ROOM_S = 1.5  # room noise before the first word and after the last


@dataclass(frozen=True, slots=True)
class Take:
    """A take written to ``path`` and where each slide's first word truly starts in it."""

    path: Path
    onsets: tuple[float, ...]  # seconds, one per slide read
    ends: tuple[float, ...]  # where each slide's last word ends
    sentence_onsets: dict[tuple[int, int], float] = field(default_factory=dict)  # (slide index, sentence) -> s
    first_reading: tuple[float, float] | None = None  # the reading a repeat replaces, when there is one


def make_take(
    slides: Sequence[Sequence[str]],
    out: Path,
    *,
    engine: str = "pyttsx3",
    voice: str = "",
    wpm: float = 175.0,
    repeat: tuple[int, int] | None = None,
    skip: tuple[int, int] | None = None,
    noise_dbfs: float = -58.0,
    frame_rate: int = 44100,
    channels: int = 2,
) -> Take:
    """Read ``slides`` (each a list of sentences) into one take at ``out``.

    ``repeat`` = (slide, sentence) indexes: that sentence is read, then read again after a pause,
    as after a slip (a whole reading: the recognizer may drop a short false start altogether).
    ``skip``: that sentence is left out. The take has low room
    noise throughout and ``ROOM_S`` of it at both ends, and is written at ``frame_rate`` with
    ``channels`` (the pipeline takes any).
    """
    with contextlib.closing(get_engine(engine)) as tts, tempfile.TemporaryDirectory() as tmp:

        def said(text: str) -> AudioSegment:
            raw = Path(tmp) / "said.wav"
            tts.synthesize(text, raw, voice=voice, speaking_wpm=wpm)
            clip = load_wav(raw)
            start = detect_leading_silence(clip, silence_threshold=FINISHING.trim_threshold_dbfs, chunk_size=1)
            end = len(clip) - detect_leading_silence(
                clip.reverse(), silence_threshold=FINISHING.trim_threshold_dbfs, chunk_size=1
            )
            return clip[start:end]

        first = said("Hello.")
        take = AudioSegment.silent(duration=round(ROOM_S * 1000), frame_rate=first.frame_rate)
        onsets, ends = [], []
        sentence_onsets: dict[tuple[int, int], float] = {}
        first_reading = None
        for i, sentences in enumerate(slides):
            if i:
                take += AudioSegment.silent(duration=round(SLIDE_GAP_S * 1000), frame_rate=first.frame_rate)
            read = [(j, sentence) for j, sentence in enumerate(sentences) if (i, j) != skip]
            for k, (j, sentence) in enumerate(read):
                if k:
                    take += AudioSegment.silent(duration=round(SENTENCE_GAP_S * 1000), frame_rate=first.frame_rate)
                else:
                    onsets.append(len(take) / 1000)
                clip = said(sentence)
                if (i, j) == repeat:
                    first_reading = (len(take) / 1000, (len(take) + len(clip)) / 1000)
                    take += clip + AudioSegment.silent(duration=700, frame_rate=first.frame_rate)
                sentence_onsets[(i, j)] = len(take) / 1000
                take += clip
            ends.append(len(take) / 1000)
        take += AudioSegment.silent(duration=round(ROOM_S * 1000), frame_rate=first.frame_rate)
    noise = WhiteNoise().to_audio_segment(duration=len(take), volume=noise_dbfs)
    mixed = take.overlay(noise.set_frame_rate(take.frame_rate).set_channels(1).set_sample_width(take.sample_width))
    mixed = mixed.set_frame_rate(frame_rate).set_channels(channels)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".wav":
        export_wav(mixed, out)
    else:  # a compressed take, as a narrator's recorder may give
        mixed.export(str(out), format="ipod" if out.suffix == ".m4a" else out.suffix.lstrip(".")).close()
    return Take(out, tuple(onsets), tuple(ends), sentence_onsets, first_reading)
