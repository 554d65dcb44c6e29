"""The orchestrator: runs the stages for one lesson, reading and checking everything before writing.

Stages never call each other; this module hands each one the data the previous produced. The
heavy stages (deck, narration, video) are imported when a build needs them, so ``budget``
stays quick.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, cache
from . import budget as budget_mod
from .errors import ConfigError, LessonError, PipelineError
from .lesson import read_lesson
from .model import Lesson, Storyboard
from .storyboard import apply_overrides, plan, to_yaml

if TYPE_CHECKING:
    from .deck import DeckResult
    from .frames import RenderedDeck
    from .narration import Lexicon, NarrationSettings, SpeechEngine
    from .report import IndexEntry
    from .theme import Theme

log = logging.getLogger(__name__)
# Progress lines go through their own logger so the CLI can show them (and worker processes
# inherit the same set-up) without any stage printing.
progress_log = logging.getLogger("pipeline.progress")

LESSON_SUFFIXES = (".txt", ".md", ".markdown")
LEXICON_NAME = "lexicon.yaml"
BUILD_FORMAT = "build-2"  # bump when the outputs' layout changes, so old stamps stop matching (2: pace_wpm)

Progress = Callable[[str], None]


def discover_lessons(slides_dir: Path) -> list[Path]:
    """Every lesson document directly under ``slides_dir``, sorted by name (hidden files are not lessons)."""
    if not slides_dir.is_dir():
        raise ConfigError("no such folder", slides_dir)
    return sorted(
        p
        for p in slides_dir.iterdir()
        if p.is_file() and p.suffix.lower() in LESSON_SUFFIXES and not p.name.startswith(".")  # editors' dotfiles
    )


def storyboard_file(lesson: Path) -> Path:
    """Where the author's editable storyboard for ``lesson`` lives: ``slides/<stem>.storyboard.yaml``."""
    return lesson.with_name(f"{lesson.stem}.storyboard.yaml")


def load(lesson: Path) -> tuple[Lesson, Storyboard]:
    """Parse and plan ``lesson``; the author's storyboard file, when present, wins for layouts and content."""
    parsed = read_lesson(lesson)
    storyboard = plan(parsed)
    override = storyboard_file(lesson)
    if override.exists():
        log.info("using the author's storyboard %s", override)
        storyboard = apply_overrides(storyboard, override, parsed)
    return parsed, storyboard


def load_storyboard(lesson: Path) -> Storyboard:
    """The storyboard of ``lesson`` (see :func:`load`)."""
    return load(lesson)[1]


def write_storyboard_file(lesson: Path, *, force: bool = False) -> Path:
    """Write the editable storyboard for ``lesson``; refuse to overwrite an author's edits unless ``force``."""
    target = storyboard_file(lesson)
    if target.exists() and not force:
        raise ConfigError("storyboard file already exists (use --force to replace it)", target)
    cache.write_text_atomic(target, to_yaml(plan(read_lesson(lesson))))
    return target


def lesson_budget(storyboard: Storyboard, pace: budget_mod.Pace) -> budget_mod.Budget:
    """The estimated budget of a planned lesson."""
    return budget_mod.estimate(storyboard, pace)


# --- full builds ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """Where a build reads and writes, and how the narration should sound."""

    build_dir: Path = Path("build")
    cache_dir: Path = Path("build/.cache")
    theme: Path | None = None  # templates/theme.yaml when None
    engine: str = "pyttsx3"
    voice: str = ""
    pace_wpm: float = budget_mod.DEFAULT_WPM  # words a minute of finished narration (see pipeline.budget.Pace)
    fit: bool = False  # choose a pace within natural bounds so the lesson lands on its target
    force: bool = False  # rebuild even when nothing changed


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


def out_dir_for(lesson: Path, settings: BuildSettings) -> Path:
    """``build/<stem>/`` for a lesson file; a name that would not give a folder of its own is refused.

    ``...txt`` has the stem ``..`` and ``..txt`` the stem ``.``: either would write outside its
    folder (or over ``build/`` itself), and a dotted name would hide the outputs.
    """
    if lesson.stem.startswith("."):
        raise LessonError(
            f"a lesson's file name must not start with a dot (its outputs would go to {lesson.stem!r}); rename it",
            lesson,
        )
    return settings.build_dir / lesson.stem


@dataclass(frozen=True, slots=True)
class _Inputs:
    """Everything a lesson's build depends on, read and checked before anything is written."""

    lesson: Lesson
    storyboard: Storyboard
    theme: Theme
    lexicon: Lexicon
    voice: NarrationSettings
    engine: SpeechEngine  # one per build, closed when it ends: it keys the build and speaks every narration
    engine_identity: str  # the engine's versions and model hash: a new voice model rebuilds
    recordings: Path
    advice: tuple[str, ...]

    @property
    def key(self) -> str:
        """Changes whenever any output would: the build is skipped while it stays the same."""
        return cache.digest(
            BUILD_FORMAT,
            __version__,
            asdict(self.storyboard),
            asdict(self.theme) | {"path": None},
            self.lexicon.entries,
            asdict(self.voice),
            self.engine_identity,
            _folder_fingerprint(self.recordings),
        )


def _read_inputs(lesson: Path, settings: BuildSettings) -> _Inputs:
    from .narration import NarrationSettings, fit_rate, get_engine, load_lexicon
    from .theme import DEFAULT_THEME, load_theme

    parsed, storyboard = load(lesson)
    voice = NarrationSettings(engine=settings.engine, voice=settings.voice, pace_wpm=settings.pace_wpm)
    advice: tuple[str, ...] = ()
    if settings.fit:
        fitted = fit_rate(storyboard, storyboard.target_s, storyboard.cap_s, settings=voice)
        voice = replace(voice, pace_wpm=fitted.pace_wpm)
        advice = (fitted.message,)
    theme = load_theme(settings.theme or DEFAULT_THEME)
    lexicon = load_lexicon(lesson.parent / LEXICON_NAME)
    engine = get_engine(voice.engine)
    try:
        identity = engine.identity()  # hashes a voice model: once per build, this engine remembers it
    except BaseException:
        engine.close()
        raise
    return _Inputs(
        lesson=parsed,
        storyboard=storyboard,
        theme=theme,
        lexicon=lexicon,
        voice=voice,
        engine=engine,
        engine_identity=identity,
        recordings=lesson.parent / lesson.stem / "narration",
        advice=advice,
    )


def build_lesson(lesson: Path, settings: BuildSettings, progress: Progress | None = None) -> LessonBuild:
    """Build every output of ``lesson`` under ``build/<stem>/``, reusing whatever is unchanged.

    Reads, plans and checks the lesson (and the theme and lexicon) before writing anything, and
    holds the lesson's lock while writing, so concurrent builds of one lesson take turns.
    """
    started = time.monotonic()
    out = out_dir_for(lesson, settings)
    say = progress or _logged_progress(lesson.stem)
    inputs = _read_inputs(lesson, settings)
    with contextlib.closing(inputs.engine), lesson_lock(settings.build_dir, lesson.stem, say):
        _remove_leftovers(out, say)
        key = inputs.key
        reused = None if settings.force else _reuse(out, key, inputs.storyboard)
        if reused is not None:
            say("unchanged, nothing to rebuild")
            return replace(reused, seconds=time.monotonic() - started, advice=inputs.advice)
        # The cache is shared by every lesson's build: its own leftovers are removed only when no
        # other build is using it (see cache.shared_folder).
        with cache.shared_folder(settings.cache_dir) as removed:
            if removed:
                say(f"removed {_count(removed)} left in the cache by interrupted builds")
            result, entry = _produce(inputs, out, settings, say, started)
        _write_stamp(out, key, result, entry)
        return result


def _produce(
    inputs: _Inputs, out: Path, settings: BuildSettings, say: Progress, started: float
) -> tuple[LessonBuild, IndexEntry]:
    """Run every stage: deck and frames, narration, captions, video, verification, timing.json, report."""
    from . import report
    from .coverage import coverage
    from .media import captions, video
    from .narration import Narration, fit_rate, narrate

    storyboard = inputs.storyboard
    video_work = settings.cache_dir / "video"

    def pictures() -> tuple[DeckResult, RenderedDeck]:
        deck_result, rendered = _deck_and_frames(storyboard, inputs.theme, out, settings.force, say)
        for frame in rendered.frames:
            video.encoded_picture(frame, video_work)
        return deck_result, rendered

    def speak(voice: NarrationSettings) -> Narration:
        def narration_progress(i: int, total: int, message: str) -> None:
            say(f"narration [{i}/{total}] {message}")

        return narrate(
            storyboard,
            voice,
            cache_dir=settings.cache_dir,
            out_dir=out / "audio",
            lexicon=inputs.lexicon,
            recordings_dir=inputs.recordings,
            progress=narration_progress,
            engine=inputs.engine,
        )

    # Pictures (LibreOffice, then one x264 encode per slide) and sound (speech synthesis) need
    # nothing from each other: make them side by side.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pictures") as side:
        visuals = side.submit(pictures)
        voice, advice = inputs.voice, list(inputs.advice)
        narration = speak(voice)
        if settings.fit:
            # The first pace came from an estimate; the measured narration may still miss, so refit once.
            refit = fit_rate(storyboard, storyboard.target_s, storyboard.cap_s, settings=voice, narration=narration)
            advice = [refit.message]
            if abs(refit.pace_wpm - voice.pace_wpm) >= 2:
                voice = replace(voice, pace_wpm=refit.pace_wpm)
                narration = speak(voice)
        deck_result, rendered = visuals.result()

    budget = budget_mod.with_audio(
        budget_mod.estimate(storyboard, voice.pace), [s.duration_s for s in narration.slides]
    )
    timeline = [
        (sentence.text, (slide.start_s or 0.0) + sentence.start_s, (slide.start_s or 0.0) + sentence.end_s)
        for audio, slide in zip(narration.slides, budget.slides, strict=True)
        for sentence in audio.sentences
    ]
    cues = captions.make_cues(timeline)
    cache.write_text_atomic(out / "captions.vtt", captions.to_vtt(cues))
    cache.write_text_atomic(out / "captions.srt", captions.to_srt(cues))

    say("video: assembling video.mp4")
    segments = [
        video.Segment(title=slide.title, frame=frame, audio=audio.path, duration_s=audio.duration_s)
        for slide, frame, audio in zip(storyboard.slides, rendered.frames, narration.slides, strict=True)
    ]
    video.assemble(
        segments,
        out / "video.mp4",
        title=f"{storyboard.code} — {storyboard.title}".strip(" —"),
        cues=cues,
        work_dir=video_work,
    )
    say("verify: probing and decoding video.mp4")
    problems = _verify(out / "video.mp4", budget, len(storyboard.slides))
    cache.write_text_atomic(out / "timing.json", json.dumps(budget_mod.to_json(budget), indent=2, ensure_ascii=False))
    seconds = time.monotonic() - started
    page = report.LessonReport(
        storyboard=storyboard,
        budget=budget,
        coverage=coverage(inputs.lesson, storyboard),
        warnings=report.lesson_warnings(storyboard, budget, deck_result.warnings),
        files=report.outputs_in(out),
        frames=report.frames_in(out),
        build_seconds=seconds,
        problems=tuple(problems),
    )
    report.render_lesson_report(page, out)
    result = LessonBuild(
        stem=storyboard.stem,
        out_dir=out,
        budget=budget,
        warnings=tuple(str(w) for w in (*storyboard.warnings, *deck_result.warnings)),
        problems=tuple(problems),
        seconds=seconds,
        pace_wpm=voice.pace_wpm,
        advice=tuple(advice),
    )
    return result, report.IndexEntry.from_report(page)


def build_deck_only(lesson: Path, settings: BuildSettings, progress: Progress | None = None) -> tuple[Path, ...]:
    """Write the deck, its PDF, frames and contact sheet for ``lesson``; return the files written."""
    from .theme import DEFAULT_THEME, load_theme

    storyboard = load_storyboard(lesson)
    theme = load_theme(settings.theme or DEFAULT_THEME)
    out = out_dir_for(lesson, settings)
    say = progress or _logged_progress(lesson.stem)
    with lesson_lock(settings.build_dir, lesson.stem, say):
        _remove_leftovers(out, say)
        deck_result, rendered = _deck_and_frames(storyboard, theme, out, settings.force, say)
    for warning in (*storyboard.warnings, *deck_result.warnings):
        log.warning("%s", warning)
    return (deck_result.path, rendered.pdf, rendered.contact_sheet, *rendered.frames)


def _deck_and_frames(
    storyboard: Storyboard, theme: Theme, out: Path, force: bool, say: Progress
) -> tuple[DeckResult, RenderedDeck]:
    from . import deck, frames

    say("deck: writing deck.pptx")
    deck_result = deck.build_deck(storyboard, theme, out / "deck.pptx", force=force)
    say("deck: rendering PDF and frames with LibreOffice")
    return deck_result, frames.render_frames(deck_result.path, out)


def _verify(path: Path, budget: budget_mod.Budget, slides: int) -> list[str]:
    """Check the written video against the standards: probe it and decode it fully."""
    from .media import verify

    info = verify.probe(path)
    problems = list(verify.check(info, slides))
    problems.extend(f"decode: {line}" for line in verify.decode_errors(path, duration_s=info.duration_s))
    if abs(info.duration_s - budget.duration_s) > 0.1:
        problems.append(f"video lasts {info.duration_s:.2f} s but the narration {budget.duration_s:.2f} s")
    return problems


def _folder_fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """Names, sizes and modification times of a folder's files (human recordings)."""
    if not folder.is_dir():
        return []
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())


STAMP_NAME = ".build.json"
OUTPUTS = ("deck.pptx", "deck.pdf", "video.mp4", "captions.vtt", "captions.srt", "timing.json", "report.html")


def _write_stamp(out: Path, key: str, result: LessonBuild, entry: IndexEntry) -> None:
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


def _reuse(out: Path, key: str, storyboard: Storyboard) -> LessonBuild | None:
    """The previous build's result when its inputs are unchanged and all its outputs are still there."""
    try:
        record = json.loads((out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("key") != key or not all((out / name).is_file() for name in OUTPUTS):
        return None
    from .narration import NarrationSettings

    pace = NarrationSettings(pace_wpm=record["pace_wpm"]).pace  # builds use the default pauses
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


# --- many lessons, locks and progress ------------------------------------------------------------


def _logged_progress(stem: str) -> Progress:
    def say(message: str) -> None:
        progress_log.info("[%s] %s", stem, message)

    return say


@contextlib.contextmanager
def lesson_lock(build_dir: Path, stem: str, say: Progress) -> Iterator[None]:
    """Hold an exclusive lock on one lesson's outputs, so two builds of it run one after the other.

    The lock is an ``flock`` on ``build/.locks/<stem>.lock``: the kernel releases it when the
    process dies, so a killed build never leaves a stale lock behind.
    """
    locks = build_dir / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{stem}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("waiting for another build of this lesson to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(out: Path, say: Progress) -> None:
    """Remove what interrupted builds of this lesson left in its folder: temporary files and folders.

    Called with the lesson's lock held, so no build of this lesson is running: every temporary
    name in its folder belongs to a build that is gone. Other lessons' folders are not touched.
    """
    if out.is_dir():
        removed = cache.remove_temporaries(out)
        if removed:
            say(f"removed {_count(removed)} left by an interrupted build")


def _count(paths: Sequence[Path]) -> str:
    return f"{len(paths)} temporary file{'s' if len(paths) != 1 else ''}"


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


FAILURES_NAME = ".failures.json"


def write_index(build_dir: Path, outcomes: Sequence[Outcome] = ()) -> Path:
    """``build/index.html`` listing every lesson built into ``build_dir``, and every lesson that failed.

    A lesson's last failure is kept in ``build/.failures.json`` until it builds again, so a
    later run of other lessons still shows it as failed (with its error, and links to the
    last good outputs, if any).
    """
    from .report import IndexEntry, render_index

    failures = _updated_failures(build_dir, outcomes)
    entries: dict[str, IndexEntry] = {}
    for stamp in sorted(build_dir.glob(f"*/{STAMP_NAME}")):
        try:
            fields: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))["index"]
            # JSON has lists where the dataclass keeps tuples.
            values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
            entries[stamp.parent.name] = IndexEntry(**values)
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("%s: unreadable build record; the lesson is left out of the index", stamp)
    for stem, error in failures.items():
        last_good = entries.get(stem)
        entries[stem] = (
            replace(last_good, status="failed", error=error)
            if last_good is not None
            else IndexEntry(stem=stem, code="", title="", status="failed", error=error)
        )
    return render_index([entries[stem] for stem in sorted(entries)], build_dir)


def _updated_failures(build_dir: Path, outcomes: Sequence[Outcome]) -> dict[str, str]:
    """The failures on record, updated with this run's outcomes (a success clears its lesson's)."""
    path = build_dir / FAILURES_NAME
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        failures = {str(k): str(v) for k, v in recorded.items()} if isinstance(recorded, dict) else {}
    except (OSError, ValueError):
        failures = {}
    for outcome in outcomes:
        if outcome.result is None:
            failures[outcome.lesson.stem] = outcome.error
        else:
            failures.pop(outcome.lesson.stem, None)
    if failures or path.exists():
        build_dir.mkdir(parents=True, exist_ok=True)
        cache.write_text_atomic(path, json.dumps(failures, indent=1, ensure_ascii=False, sort_keys=True))
    return failures
