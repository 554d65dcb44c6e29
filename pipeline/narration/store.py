"""Where narration's cache entries live and what their keys cover.

Sentence entries are keyed on everything that changes their sound (the text after the lexicon,
engine and its identity/version, voice, the speaking rate the engine is given, trimming) so a
second run synthesizes nothing and an edited slide re-synthesizes only the sentences that
changed. Finished slides are cached too, keyed on their sentences' keys plus the pauses and
loudness parameters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..cache import digest, write_text_atomic
from .audio import Finishing

# Bump when the way entries are made changes in a way their keys do not capture.
CACHE_FORMAT_VERSION = 2  # 2: own gain + true-peak limiter instead of loudnorm
# How a slide's clips are finished into its audio; only slide keys carry it, so a change re-finishes
# every slide without synthesizing any sentence again. 2: the source limited at a gain aimed above
# the target, then plain gain.
SLIDE_FINISH_VERSION = 2


def sentence_key(
    spoken: str, *, engine: str, identity: str, voice: str, speaking_wpm: float, finishing: Finishing
) -> str:
    """The cache key of one synthesized, trimmed sentence, at the speaking rate the engine is given."""
    trim = (finishing.trim_threshold_dbfs, finishing.trim_pad_s)
    return digest(CACHE_FORMAT_VERSION, "sentence", spoken, engine, identity, voice, round(speaking_wpm, 3), trim)


def slide_key(parts: list[str], *, pause_s: float, lead_in_s: float, hold_s: float, finishing: Finishing) -> str:
    """The cache key of a finished slide made of the clips (or recording) identified by ``parts``."""
    finish = (SLIDE_FINISH_VERSION, pause_s, lead_in_s, hold_s, finishing.key())
    return digest(CACHE_FORMAT_VERSION, "slide", parts, *finish)


class NarrationCache:
    """The narration entries under ``<cache_dir>/narration``."""

    def __init__(self, cache_dir: Path) -> None:
        self.root = Path(cache_dir) / "narration"

    def sentence(self, key: str) -> Path:
        return self.root / "sentences" / key[:2] / f"{key}.wav"

    def slide(self, key: str) -> Path:
        return self.root / "slides" / f"{key}.wav"

    def slide_meta(self, key: str) -> Path:
        return self.root / "slides" / f"{key}.json"

    def read_slide(self, key: str) -> dict[str, Any] | None:
        """A finished slide's recorded timings, or ``None`` unless both its audio and metadata exist."""
        wav, meta = self.slide(key), self.slide_meta(key)
        if not (wav.exists() and meta.exists()):
            return None
        try:
            data: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data

    def write_slide_meta(self, key: str, data: dict[str, Any]) -> None:
        write_text_atomic(self.slide_meta(key), json.dumps(data, indent=1))
