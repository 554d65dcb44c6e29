"""Which lessons a changed file affects: the rules ``watch`` rebuilds by, as pure functions.

A lesson's build reads its own file, its storyboard file, the lexicon beside it, its narrators'
recordings, the theme and the course's page templates (see :mod:`pipeline.build.inputs`); a
change to any of them rebuilds exactly the lessons that read it. Everything else (the build
folder, editors' temporary and backup files) is noise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..build import LESSON_SUFFIXES, LEXICON_NAME, storyboard_file

# Names editors write beside a file while saving it: vim's swap files and its write test `4913`,
# emacs' lock and autosave files, backups ending in `~`, and the `.name.tmp` and
# `.goutputstream-…` files of atomic saves. Names starting with a dot cover most of them (and the
# pipeline's own temporary names); a lesson never starts with one.
EDITOR_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", "~")
EDITOR_NAMES = frozenset({"4913"})


@dataclass(frozen=True, slots=True)
class Watched:
    """What a ``watch`` session reads, as absolute, resolved paths.

    ``slides`` is the folder the lessons were discovered in when none was named: a new lesson
    saved there joins the session. ``templates`` is the course's folder of page templates and
    theme; ``theme`` a theme file named by an option or course.yaml.
    """

    lessons: frozenset[Path]
    build_dir: Path
    theme: Path | None = None
    templates: Path | None = None
    slides: Path | None = None

    def folders(self) -> tuple[Path, ...]:
        """The folders to watch (recursively): each lessons' folder, the templates, the theme's folder."""
        wanted = {lesson.parent for lesson in self.lessons}
        if self.slides is not None:
            wanted.add(self.slides)
        if self.templates is not None:
            wanted.add(self.templates)
        if self.theme is not None:
            wanted.add(self.theme.parent)
        # A folder inside another watched one adds nothing: watching is recursive.
        return tuple(sorted(f for f in wanted if not any(other in f.parents for other in wanted)))


def ignored(path: Path, build_dir: Path) -> bool:
    """Whether a change to ``path`` is noise: inside the build folder, or an editor's temporary file."""
    if path == build_dir or build_dir in path.parents:
        return True
    name = path.name
    return name.startswith((".", "#")) or name.endswith(EDITOR_SUFFIXES) or name in EDITOR_NAMES


def affected(changed: Iterable[Path], watched: Watched) -> frozenset[Path]:
    """The lessons to build again after ``changed`` (absolute paths) changed; new lessons included.

    A lesson file or its ``<stem>.storyboard.yaml`` rebuilds that lesson, a recording under
    ``<stem>/narration/`` too; the lexicon rebuilds every lesson in its folder; the theme and the
    course's templates rebuild every lesson. With ``watched.slides`` set, a lesson file that
    appears there is a new lesson of the session.
    """
    lessons: set[Path] = set()
    for path in changed:
        if ignored(path, watched.build_dir):
            continue
        lessons.update(_lessons_reading(path, watched))
    return frozenset(lessons)


def _lessons_reading(path: Path, watched: Watched) -> set[Path]:
    if path in watched.lessons:
        return {path}
    if path == watched.theme or (watched.templates is not None and watched.templates in path.parents):
        return set(watched.lessons)
    if path.name == LEXICON_NAME:
        return {lesson for lesson in watched.lessons if lesson.parent == path.parent}
    readers = set()
    for lesson in watched.lessons:
        if path == storyboard_file(lesson) or (lesson.parent / lesson.stem / "narration") in path.parents:
            readers.add(lesson)
    if not readers and is_new_lesson(path, watched):
        readers.add(path)
    return readers


def is_new_lesson(path: Path, watched: Watched) -> bool:
    """Whether ``path`` is a lesson file in the discovered slides folder that the session does not yet build."""
    return (
        watched.slides is not None
        and path.parent == watched.slides
        and path.suffix.lower() in LESSON_SUFFIXES
        and not path.name.startswith(".")
        and path not in watched.lessons
        and path.is_file()
    )
