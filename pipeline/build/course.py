"""Building many lessons: a few at a time on this machine or on a Dask cluster, and the course's
index page listing every lesson, the failed ones with their error."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ConfigError, PipelineError
from .inputs import BuildSettings
from .lesson import build_lesson
from .records import LessonBuild, recorded_entries, updated_failures

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One lesson of a batch: its build, or the error that stopped it (as text, to cross processes)."""

    lesson: Path
    result: LessonBuild | None
    error: str = ""
    exit_code: int = 0


def build_one(lesson: Path, settings: BuildSettings) -> Outcome:
    """Build one lesson, turning an expected failure into an :class:`Outcome` (for worker processes)."""
    try:
        return Outcome(lesson, build_lesson(lesson, settings))
    except PipelineError as exc:
        return Outcome(lesson, None, str(exc), exc.exit_code)


def build_many(
    lessons: Sequence[Path], settings: BuildSettings, *, jobs: int = 1, scheduler: str | None = None
) -> list[Outcome]:
    """Build every lesson, ``jobs`` at a time on this machine or on a Dask cluster at ``scheduler``.

    A failing lesson never stops the others; outcomes come back in the order of ``lessons``.
    """
    if scheduler:
        return _on_dask(lessons, settings, scheduler)
    if jobs <= 1 or len(lessons) <= 1:
        return [build_one(lesson, settings) for lesson in lessons]
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(lessons))) as pool:
        return list(pool.map(build_one, lessons, [settings] * len(lessons)))


def _on_dask(lessons: Sequence[Path], settings: BuildSettings, scheduler: str) -> list[Outcome]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError("--scheduler needs Dask: pip install -e '.[cluster]'") from exc
    # Workers see the same files: paths must not depend on their working directory.
    absolute = [lesson.resolve() for lesson in lessons]
    settings = replace(
        settings,
        build_dir=settings.build_dir.resolve(),
        cache_dir=settings.cache_dir.resolve(),
        theme=settings.theme.resolve() if settings.theme else None,
    )
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        futures = client.map(build_one, absolute, settings=settings, pure=False)
        return list(client.gather(futures))


def write_index(build_dir: Path, outcomes: Sequence[Outcome] = (), *, templates: Path | None = None) -> Path:
    """``build/index.html`` listing every lesson built into ``build_dir``, and every lesson that failed.

    A lesson's last failure is kept in ``build/.failures.json`` until it builds again, so a
    later run of other lessons still shows it as failed (with its error, and links to the
    last good outputs, if any). ``templates`` is a course's folder of page templates
    overriding the package's, if any.
    """
    from ..report import IndexEntry, render_index

    failures = updated_failures(build_dir, [(o.lesson.stem, None if o.result else o.error) for o in outcomes])
    entries, unreadable = recorded_entries(build_dir)
    for stamp in unreadable:
        log.warning("%s: unreadable build record; the lesson is left out of the index", stamp)
    for stem, error in failures.items():
        last_good = entries.get(stem)
        entries[stem] = (
            replace(last_good, status="failed", error=error)
            if last_good is not None
            else IndexEntry(stem=stem, code="", title="", status="failed", error=error)
        )
    return render_index([entries[stem] for stem in sorted(entries)], build_dir, templates=templates)
