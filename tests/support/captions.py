"""Reading caption files back into cues, to check what the pipeline wrote says what it meant.

The pipeline only writes captions; these readers are the tests' (an independent parser of each
format is in ``validators.py``).
"""

from __future__ import annotations

import html
import re

from pipeline.media.captions import Cue

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _blocks(text: str) -> list[list[str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _parse(text: str, unescape: bool) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for block in _blocks(text):
        at = next((i for i, line in enumerate(block) if _TIMING.match(line)), None)
        if at is None:
            continue  # the WEBVTT header, NOTE and STYLE blocks
        m = _TIMING.match(block[at])
        assert m is not None
        g = m.groups()
        lines = block[at + 1 :]
        if unescape:
            # Drop any cue tags, then decode entities: what remains is the literal text.
            lines = [html.unescape(re.sub(r"<[^>]*>", "", line)) for line in lines]
        cues.append(Cue(_seconds(*g[:4]), _seconds(*g[4:]), tuple(lines)))
    return tuple(cues)


def parse_vtt(text: str) -> tuple[Cue, ...]:
    """Read the cues of a WebVTT document, unescaping its text."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValueError("not a WebVTT document: it must start with WEBVTT")
    return _parse(text, unescape=True)


def parse_srt(text: str) -> tuple[Cue, ...]:
    """Read the cues of a SubRip document; text is taken as written."""
    return _parse(text, unescape=False)
