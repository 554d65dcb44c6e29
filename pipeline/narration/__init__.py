"""Narration: a storyboard's script spoken by a TTS engine (or a narrator), finished and timed.

Public API::

    narrate(storyboard, settings, *, cache_dir, out_dir, lexicon, recordings_dir=None, progress=None) -> Narration
    load_lexicon(path) -> Lexicon
    fit_rate(storyboard, target_s, cap_s, *, settings=None, narration=None, min_wpm=130, max_wpm=180) -> FitResult
"""

from __future__ import annotations

from ..text import count_words, split_sentences
from . import pyttsx3_engine as _pyttsx3_engine  # registers the default engine first
from .audio import FINISHING, Finishing
from .base import ENGINES, SpeechEngine, engine_names, get_engine, register
from .lexicon import Lexicon, load_lexicon
from .models import Narration, NarrationSettings, SlideAudio, TimedSentence
from .narrate import find_recording, narrate
from .pace import MAX_WPM, MIN_WPM, FitResult, fit_rate
from .store import CACHE_FORMAT_VERSION

# isort: split
# After the default: registers "piper" second. Piper and onnxruntime are imported only in its workers.
from . import piper_engine as _piper_engine

Pyttsx3Engine = _pyttsx3_engine.Pyttsx3Engine
PiperEngine = _piper_engine.PiperEngine

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
