"""Reading and checking everything a lesson's build depends on, before anything is written."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, cache
from .. import budget as budget_mod
from ..errors import ConfigError, ToolError
from ..lesson import read_lesson
from ..model import Lesson, Storyboard
from ..storyboard import apply_overrides, plan, to_yaml
from .take import find_take

if TYPE_CHECKING:
    from ..hearing.recognizer import Recognizer
    from ..narration import Lexicon, NarrationSettings, SpeechEngine
    from ..theme import Theme

log = logging.getLogger(__name__)

LESSON_SUFFIXES = (".txt", ".md", ".markdown")
LEXICON_NAME = "lexicon.yaml"
VERIFY_MODES = ("changed", "full")
BUILD_FORMAT = "build-4"  # bump when the outputs change, so old stamps stop matching (4: slides of whole AAC frames)


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
    # Silences in seconds (between sentences, before a slide's first word, after its last); None
    # keeps the narration's default.
    sentence_pause_s: float | None = None
    lead_in_s: float | None = None
    hold_s: float | None = None
    templates: Path | None = None  # a course's page templates, overriding the package's
    force: bool = False  # rebuild even when nothing changed
    # "changed": decode the audio, the slide changes and the pictures not verified before;
    # "full": decode the whole video. A first build decodes it all either way.
    verify: str = "changed"
    builds: bool = True  # things on a slide appear as the narration reaches them; False: whole slides
    hearing: bool = True  # the narration checked by a speech recognizer (when its extra is installed)

    def __post_init__(self) -> None:
        if self.verify not in VERIFY_MODES:
            raise ConfigError(f"verify must be one of {', '.join(VERIFY_MODES)}, not {self.verify!r}")

    def narration(self) -> NarrationSettings:
        """How the narration should sound under these settings (before any fitting of the pace)."""
        from ..narration import NarrationSettings

        pauses = {
            name: value
            for name in ("sentence_pause_s", "lead_in_s", "hold_s")
            if (value := getattr(self, name)) is not None
        }
        return NarrationSettings(engine=self.engine, voice=self.voice, pace_wpm=self.pace_wpm, **pauses)


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


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a lesson's build depends on, read and checked before anything is written."""

    lesson: Lesson
    storyboard: Storyboard
    theme: Theme
    lexicon: Lexicon
    voice: NarrationSettings
    engine: SpeechEngine  # one per build, closed when it ends: it keys the build and speaks every narration
    engine_identity: str  # the engine's versions and model hash: a new voice model rebuilds
    recordings: Path
    templates: Path | None = None  # the course's page templates: editing one rewrites the report
    advice: tuple[str, ...] = field(default=())
    take: Path | None = None  # the narrator's single take of the whole lesson, when there is one
    # The recognizer that checks the narration by ear (and splits a take), or why there is none.
    recognizer: Recognizer | None = None
    hearing: bool = True  # whether the narration is checked (a take needs the recognizer either way)
    hearing_notice: str = ""

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
            folder_fingerprint(self.recordings),
            folder_fingerprint(self.templates) if self.templates else None,
            self.recognizer.identity() if self.recognizer is not None else None,
            self.hearing,
        )


def read_inputs(lesson: Path, settings: BuildSettings) -> Inputs:
    """The lesson planned, its theme, lexicon and voice read, and its speech engine made (one per build)."""
    from ..narration import fit_rate, get_engine, load_lexicon
    from ..theme import DEFAULT_THEME, load_theme

    parsed, storyboard = load(lesson)
    if not settings.builds:
        storyboard = replace(storyboard, slides=tuple(replace(s, builds=False) for s in storyboard.slides))
    voice = settings.narration()
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
    recordings = lesson.parent / lesson.stem / "narration"
    take = find_take(recordings)
    recognizer, notice = _recognizer(settings, take)
    return Inputs(
        lesson=parsed,
        storyboard=storyboard,
        theme=theme,
        lexicon=lexicon,
        voice=voice,
        engine=engine,
        engine_identity=identity,
        recordings=recordings,
        templates=settings.templates,
        advice=advice,
        take=take,
        recognizer=recognizer,
        hearing=settings.hearing and recognizer is not None,
        hearing_notice=notice,
    )


def _recognizer(settings: BuildSettings, take: Path | None) -> tuple[Recognizer | None, str]:
    """The recognizer this build needs (to check the narration, or to split a take), or None and the
    reason; :class:`ToolError` when a take needs one that is not installed."""
    from ..hearing.recognizer import HEARING_INSTALL_HINT, missing_notice, shared_recognizer

    notice = missing_notice()
    if take is not None and notice is not None:
        raise ToolError(f"splitting a single take needs the speech recognizer; {HEARING_INSTALL_HINT}", take)
    if not settings.hearing and take is None:
        return None, "narration not checked by ear (turned off)"
    if notice is not None:
        return None, notice
    return shared_recognizer(), ""


def folder_fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """Names, sizes and modification times of a folder's files (human recordings)."""
    if not folder.is_dir():
        return []
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
