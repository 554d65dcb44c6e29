"""``watch``: which lessons a changed file rebuilds, and which changes are noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.watch.changes import Watched, affected, ignored


@pytest.fixture
def course(tmp_path: Path) -> Watched:
    slides = tmp_path / "slides"
    slides.mkdir()
    for name in ("a.txt", "b.md"):
        (slides / name).write_text("lesson", encoding="utf-8")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "c.txt").write_text("lesson", encoding="utf-8")
    return Watched(
        lessons=frozenset({slides / "a.txt", slides / "b.md", other / "c.txt"}),
        build_dir=tmp_path / "build",
        theme=tmp_path / "themes" / "mine.yaml",
        templates=tmp_path / "templates",
    )


def names(lessons: frozenset[Path]) -> set[str]:
    return {p.name for p in lessons}


def test_a_lesson_file_rebuilds_that_lesson_only(course: Watched, tmp_path: Path) -> None:
    assert names(affected([tmp_path / "slides" / "a.txt"], course)) == {"a.txt"}


def test_a_storyboard_file_rebuilds_its_lesson(course: Watched, tmp_path: Path) -> None:
    assert names(affected([tmp_path / "slides" / "b.storyboard.yaml"], course)) == {"b.md"}


def test_a_recording_rebuilds_its_lesson(course: Watched, tmp_path: Path) -> None:
    assert names(affected([tmp_path / "slides" / "a" / "narration" / "03.wav"], course)) == {"a.txt"}


def test_the_lexicon_rebuilds_every_lesson_in_its_folder(course: Watched, tmp_path: Path) -> None:
    assert names(affected([tmp_path / "slides" / "lexicon.yaml"], course)) == {"a.txt", "b.md"}
    assert names(affected([tmp_path / "elsewhere" / "lexicon.yaml"], course)) == {"c.txt"}


def test_the_theme_and_the_courses_templates_rebuild_every_lesson(course: Watched, tmp_path: Path) -> None:
    everything = {"a.txt", "b.md", "c.txt"}
    assert names(affected([tmp_path / "themes" / "mine.yaml"], course)) == everything
    assert names(affected([tmp_path / "templates" / "theme.yaml"], course)) == everything
    assert names(affected([tmp_path / "templates" / "report.html.j2"], course)) == everything
    assert names(affected([tmp_path / "themes" / "other.yaml"], course)) == set()


def test_several_changes_rebuild_each_lesson_once(course: Watched, tmp_path: Path) -> None:
    slides = tmp_path / "slides"
    changed = [slides / "a.txt", slides / "a.storyboard.yaml", slides / "a" / "narration" / "01.wav"]
    assert names(affected(changed, course)) == {"a.txt"}


@pytest.mark.parametrize(
    "name",
    [".a.txt.swp", "a.txt~", "#a.txt#", ".#a.txt", "4913", ".a.txt.3f9e1c2a.tmp", ".goutputstream-X1Y2Z3", "a.txt.tmp"],
)
def test_editors_temporary_files_are_noise(course: Watched, tmp_path: Path, name: str) -> None:
    path = tmp_path / "slides" / name
    assert ignored(path, course.build_dir)
    assert affected([path], course) == frozenset()


def test_the_build_folder_is_noise_even_inside_the_slides_folder(tmp_path: Path) -> None:
    slides = tmp_path / "slides"
    watched = Watched(lessons=frozenset({slides / "a.txt"}), build_dir=slides / "build")
    assert ignored(slides / "build" / "a" / "report.html", watched.build_dir)
    assert affected([slides / "build" / "a.txt"], watched) == frozenset()
    assert not ignored(slides / "a.txt", watched.build_dir)


def test_a_lesson_saved_in_the_discovered_slides_folder_joins(course: Watched, tmp_path: Path) -> None:
    slides = tmp_path / "slides"
    discovering = Watched(lessons=course.lessons, build_dir=course.build_dir, slides=slides)
    (slides / "new.md").write_text("lesson", encoding="utf-8")
    (slides / "notes.yaml").write_text("not a lesson", encoding="utf-8")
    assert names(affected([slides / "new.md", slides / "notes.yaml"], discovering)) == {"new.md"}
    # Lessons named on the command line are the session's only lessons.
    assert affected([slides / "new.md"], course) == frozenset()


def test_the_folders_watched_hold_every_input_and_none_twice(course: Watched, tmp_path: Path) -> None:
    assert course.folders() == (
        tmp_path / "elsewhere",
        tmp_path / "slides",
        tmp_path / "templates",
        tmp_path / "themes",
    )
    nested = Watched(lessons=course.lessons, build_dir=course.build_dir, theme=tmp_path / "slides" / "theme.yaml")
    assert nested.folders() == (tmp_path / "elsewhere", tmp_path / "slides")
