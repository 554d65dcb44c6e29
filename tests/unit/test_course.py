"""A course folder: its settings file, its template overrides and the starter course ``new`` writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import TEMPLATES
from pipeline.course import (
    SETTINGS,
    SETTINGS_NAME,
    STARTER,
    course_templates,
    course_theme,
    new_course,
    read_settings,
)
from pipeline.errors import ConfigError
from pipeline.lesson import read_lesson


def write_settings(folder: Path, text: str) -> Path:
    path = folder / SETTINGS_NAME
    path.write_text(text, encoding="utf-8")
    return path


def test_a_course_without_a_settings_file_sets_nothing(tmp_path: Path) -> None:
    assert read_settings(tmp_path / SETTINGS_NAME) == {}


def test_every_setting_is_read_as_the_option_it_stands_for(tmp_path: Path) -> None:
    path = write_settings(
        tmp_path,
        "slides: lessons\nbuild: out/videos\nvoice: piper\nvoice_name: en_US-joe-medium\nwpm: 160\nfit: true\n"
        "pauses:\n  sentence: 0.5\n  slide_start: 0.2\n  slide_end: 1\ntheme: look/theme.yaml\njobs: 1\nverify: full\n",
    )
    assert read_settings(path) == {
        "slides": tmp_path / "lessons",
        "build": tmp_path / "out" / "videos",
        "engine": "piper",
        "voice_name": "en_US-joe-medium",
        "wpm": 160.0,
        "fit": True,
        "sentence_pause_s": 0.5,
        "lead_in_s": 0.2,
        "hold_s": 1.0,
        "theme": tmp_path / "look" / "theme.yaml",
        "jobs": 1,
        "verify": "full",
    }


def test_every_problem_in_the_settings_file_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    path = write_settings(tmp_path, "wpm: fast\nvoices: piper\npauses:\n  sentence: 0.3\n  between: 1\njobs: 1.5\n")
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    message = str(caught.value)
    assert f"{path}:1: wpm: expected a number, not 'fast'" in message
    assert f"{path}:2: unknown setting 'voices'" in message
    assert f"{path}:5: unknown setting 'pauses.between'" in message
    assert f"{path}:6: jobs: expected a whole number, not 1.5" in message


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("wpm: [150\n", 2, "not valid YAML"),
        ("- wpm: 150\n", 1, "must be a mapping"),
        (
            "pauses: 0.3\n",
            1,
            "unknown setting 'pauses' (known: slides, build, voice",
        ),  # a value where a section belongs
        ("fit: yes please\n", 1, "expected true or false"),
        ("verify: some\n", 1, "verify: expected one of changed, full, not 'some'"),
    ],
)
def test_a_malformed_settings_file_is_an_error_naming_its_line(tmp_path: Path, text: str, line: int, says: str) -> None:
    path = write_settings(tmp_path, text)
    with pytest.raises(ConfigError, match=re.escape(says)) as caught:
        read_settings(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_the_starter_settings_file_documents_every_setting_and_reads_once_uncommented(tmp_path: Path) -> None:
    text = (STARTER / SETTINGS_NAME).read_text(encoding="utf-8")
    assert read_settings(STARTER / SETTINGS_NAME) == {}  # all commented out: the defaults hold
    # A commented key is "# key: value" (or indented under a commented section).
    uncommented = "\n".join(re.sub(r"^# (?=\s*[a-z_]+:)", "", line) for line in text.splitlines())
    settings = read_settings(write_settings(tmp_path, uncommented))
    assert set(settings) == {s.dest for s in SETTINGS}


def test_new_writes_a_starter_course_whose_lesson_reads_without_errors(tmp_path: Path) -> None:
    folder = tmp_path / "my course"
    written = new_course(folder)
    names = {p.relative_to(folder).as_posix() for p in written}
    assert {"README.md", SETTINGS_NAME, "slides/lexicon.yaml"} <= names
    lessons = [folder / n for n in names if n.startswith("slides/") and n.endswith(".md")]
    assert len(lessons) == 1
    lesson = read_lesson(lessons[0])
    assert len(lesson.segments) == len(lesson.outline) >= 3 and lesson.target_s and lesson.cap_s
    assert not lesson.warnings


def test_new_refuses_a_folder_that_already_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an empty folder"):
        new_course(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_empty_folder_may_become_a_course(tmp_path: Path) -> None:
    assert new_course(tmp_path)


def test_a_course_theme_and_templates_are_found_in_its_templates_folder(tmp_path: Path) -> None:
    assert course_theme(tmp_path) is None and course_templates(tmp_path) is None
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "theme.yaml").write_text("colours:\n  band: '7A1F3D'\n", encoding="utf-8")
    assert course_theme(tmp_path) == tmp_path / "templates" / "theme.yaml"
    assert course_templates(tmp_path) == tmp_path / "templates"


def test_the_package_templates_are_not_an_override_of_themselves() -> None:
    assert course_templates(TEMPLATES.resolve().parent) is None


def test_the_theme_example_in_the_starter_readme_is_a_valid_theme(tmp_path: Path) -> None:
    from pipeline.theme import load_theme

    readme = (STARTER / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    theme_file = tmp_path / "theme.yaml"
    theme_file.write_text(example, encoding="utf-8")
    assert load_theme(theme_file).colours.band == "4A1028"
