"""A narrator's single take of a lesson, split onto its slides before the narration is made.

``slides/<stem>/narration/take.wav`` (or ``.m4a``, ``.mp3``, ``.flac``, ``.ogg``; any rate, mono
or stereo) is decoded, heard by the recognizer, aligned to the script and cut at each slide's
first word into pieces that the narration uses as that slide's recording, with each sentence at
the time it was heard. Everything is kept in the cache by the take's bytes and the script, so an
unchanged take is split once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cache
from ..errors import ConfigError
from ..model import Storyboard
from ..narration import Recording
from ..text import split_sentences

if TYPE_CHECKING:
    from ..hearing.recognizer import Recognizer
    from ..hearing.take import SplitTake

TAKE_STEM = "take"
TAKE_SUFFIXES = (".wav", ".m4a", ".mp3", ".flac", ".ogg")
TAKE_FORMAT = 1  # bump when the way a take is cut changes

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LessonTake:
    """A take split onto the lesson's slides: its pieces by slide, and how it departed from the script."""

    path: Path  # the narrator's file
    split: SplitTake
    pieces: dict[int, Recording]


def find_take(recordings: Path) -> Path | None:
    """The lesson's single take in its recordings folder, if it has one."""
    for suffix in TAKE_SUFFIXES:
        candidate = recordings / f"{TAKE_STEM}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def split_lesson_take(
    take: Path, storyboard: Storyboard, recognizer: Recognizer, cache_dir: Path, say: Progress
) -> LessonTake:
    """Cut ``take`` into one recording per narrated slide; :class:`ConfigError` naming the take when it
    does not match the lesson (another lesson's take, another language, noise)."""
    from ..hearing.recognizer import TranscriptCache
    from ..hearing.take import TakeMismatch, find_pauses, split_take
    from ..narration import audio

    said = [(s.n, split_sentences(s.narration)) for s in storyboard.slides]
    script = [(n, sentences) for n, sentences in said if sentences]  # a silent slide has nothing to find
    key = cache.digest("take", TAKE_FORMAT, cache.file_digest(take), recognizer.identity(), script)
    folder = cache_dir / "takes" / key[:32]
    folder.mkdir(parents=True, exist_ok=True)
    decoded = folder / "take.wav"
    if not decoded.is_file():
        say(f"take: decoding {take.name}")
        with cache.atomic_path(decoded) as tmp:
            audio.decode_to_wav(take, tmp, what=f"reading the take {take}")
    say(f"take: hearing {take.name}")
    transcript = TranscriptCache(cache_dir).heard(decoded, recognizer)
    try:
        split = split_take(script, transcript.words, find_pauses(decoded), transcript.duration_s)
    except TakeMismatch as exc:
        raise ConfigError(exc.message, take) from exc
    whole = None
    pieces = {}
    for piece in split.slides:
        path = folder / f"{piece.n:02d}.wav"
        if not path.is_file():
            whole = whole if whole is not None else audio.load_wav(decoded)
            with cache.atomic_path(path) as tmp:
                audio.export_wav(whole[round(piece.start_s * 1000) : round(piece.end_s * 1000)], tmp)
        pieces[piece.n] = Recording(path, piece.sentences)
    say(
        f"take: split onto {len(pieces)} slides; {split.matched:.0%} of the script heard as written, "
        f"{len(split.departures)} departure(s)"
    )
    return LessonTake(take, split, pieces)
