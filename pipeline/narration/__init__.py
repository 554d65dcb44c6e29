"""Narration: a storyboard's script spoken by a TTS engine (or a narrator), finished and timed.

Public API::

    narrate(storyboard, settings, *, cache_dir, out_dir, lexicon, recordings_dir=None, takes=None,
            progress=None, engine=None) -> Narration
    get_engine(name) -> SpeechEngine
    load_lexicon(path) -> Lexicon
    fit_rate(storyboard, target_s, cap_s, *, settings=None, narration=None, min_wpm=130, max_wpm=180) -> FitResult

Names are imported on first use: every sentence is synthesized in a child process that imports
one engine's modules (under ``engines/``), and loading the whole package there (pydub, YAML, the
other engines) would cost more than the speech itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> the submodule that defines it (relative to this package)
_EXPORTS = {
    "CACHE_FORMAT_VERSION": ".store",
    "ENGINES": ".engines.base",
    "FINISHING": ".audio",
    "MAX_WPM": ".pace",
    "MIN_WPM": ".pace",
    "Finishing": ".audio",
    "FitResult": ".pace",
    "Lexicon": ".lexicon",
    "Narration": ".models",
    "NarrationSettings": ".models",
    "PiperEngine": ".engines.piper.engine",
    "Pyttsx3Engine": ".engines.pyttsx3",
    "Recording": ".models",
    "SlideAudio": ".models",
    "SpeechEngine": ".engines.base",
    "TimedSentence": ".models",
    "count_words": "..text",
    "engine_names": ".engines.base",
    "find_recording": ".narrator",
    "fit_rate": ".pace",
    "get_engine": ".engines.base",
    "load_lexicon": ".lexicon",
    "narrate": ".narrator",
    "register": ".engines.base",
    "split_sentences": "..text",
}
__all__ = [
    "CACHE_FORMAT_VERSION",
    "ENGINES",
    "FINISHING",
    "MAX_WPM",
    "MIN_WPM",
    "Finishing",
    "FitResult",
    "Lexicon",
    "Narration",
    "NarrationSettings",
    "PiperEngine",
    "Pyttsx3Engine",
    "Recording",
    "SlideAudio",
    "SpeechEngine",
    "TimedSentence",
    "count_words",
    "engine_names",
    "find_recording",
    "fit_rate",
    "get_engine",
    "load_lexicon",
    "narrate",
    "register",
    "split_sentences",
]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(module, __name__), name)


if TYPE_CHECKING:
    from ..text import count_words, split_sentences
    from .audio import FINISHING, Finishing
    from .engines.base import ENGINES, SpeechEngine, engine_names, get_engine, register
    from .engines.piper.engine import PiperEngine
    from .engines.pyttsx3 import Pyttsx3Engine
    from .lexicon import Lexicon, load_lexicon
    from .models import Narration, NarrationSettings, Recording, SlideAudio, TimedSentence
    from .narrator import find_recording, narrate
    from .pace import MAX_WPM, MIN_WPM, FitResult, fit_rate
    from .store import CACHE_FORMAT_VERSION
