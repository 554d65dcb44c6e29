"""What a build leaves behind to be read again: each lesson's build record (so an unchanged lesson
is not built twice, and the index can list it) and the record of lessons that failed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import budget as budget_mod
from .. import cache
from ..model import Storyboard

if TYPE_CHECKING:
    from ..narration import NarrationSettings
    from ..report import IndexEntry

STAMP_NAME = ".build.json"
FAILURES_NAME = ".failures.json"
OUTPUTS = ("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json", "report.html")


@dataclass(frozen=True, slots=True)
class LessonBuild:
    """What a lesson's build produced: its measured budget, warnings and any failed checks."""

    stem: str
    out_dir: Path
    budget: budget_mod.Budget
    warnings: tuple[str, ...]
    problems: tuple[str, ...]  # the finished video breaks a standard (codec, sync, captions…)
    seconds: float
    reused: bool = False
    pace_wpm: float = budget_mod.DEFAULT_WPM
    advice: tuple[str, ...] = field(default=())

    @property
    def status(self) -> str:
        return self.budget.status


def write_stamp(out: Path, key: str, result: LessonBuild, entry: IndexEntry) -> None:
    """Record a finished build in ``build/<stem>/.build.json``."""
    record = {
        "index": asdict(entry),
        "key": key,
        "warnings": list(result.warnings),
        "problems": list(result.problems),
        "pace_wpm": result.pace_wpm,
        "audio_s": [s.audio_s for s in result.budget.slides],
        "seconds": round(result.seconds, 2),
    }
    cache.write_text_atomic(out / STAMP_NAME, json.dumps(record, indent=1, ensure_ascii=False))


def reuse(out: Path, key: str, storyboard: Storyboard, voice: NarrationSettings) -> LessonBuild | None:
    """The previous build's result when its inputs are unchanged and all its outputs are still there.

    ``voice`` is this build's narration settings; the record holds the pace it was built at (the
    fitted one, with ``--fit``)."""
    try:
        record = json.loads((out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("key") != key or not all((out / name).is_file() for name in OUTPUTS):
        return None
    pace = replace(voice, pace_wpm=record["pace_wpm"]).pace
    budget = budget_mod.with_audio(budget_mod.estimate(storyboard, pace), record["audio_s"])
    return LessonBuild(
        stem=storyboard.stem,
        out_dir=out,
        budget=budget,
        warnings=tuple(record["warnings"]),
        problems=tuple(record["problems"]),
        seconds=0.0,
        reused=True,
        pace_wpm=record["pace_wpm"],
    )


def recorded_entries(build_dir: Path) -> tuple[dict[str, IndexEntry], list[Path]]:
    """Every lesson's index entry from its build record, and the records that could not be read."""
    from ..report import IndexEntry

    entries: dict[str, IndexEntry] = {}
    unreadable: list[Path] = []
    for stamp in sorted(build_dir.glob(f"*/{STAMP_NAME}")):
        try:
            fields: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))["index"]
            # JSON has lists where the dataclass keeps tuples.
            values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
            entries[stamp.parent.name] = IndexEntry(**values)
        except (OSError, ValueError, KeyError, TypeError):
            unreadable.append(stamp)
    return entries, unreadable


def updated_failures(build_dir: Path, outcomes: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """The failures on record, updated with this run's (stem, error or None) outcomes: a success
    clears its lesson's failure. Written back to ``build/.failures.json``."""
    path = build_dir / FAILURES_NAME
    failures = _read_failures(path)
    for stem, error in outcomes:
        if error is None:
            failures.pop(stem, None)
        else:
            failures[stem] = error
    if failures or path.exists():
        build_dir.mkdir(parents=True, exist_ok=True)
        cache.write_text_atomic(path, json.dumps(failures, indent=1, ensure_ascii=False, sort_keys=True))
    return failures


def _read_failures(path: Path) -> dict[str, str]:
    try:
        recorded: Mapping[str, Any] | Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in recorded.items()} if isinstance(recorded, dict) else {}
