"""Any folder is a course: its ``course.yaml`` gives the options' defaults, options win over it;
``--version``; ``doctor`` reports what the machine lacks, and a build that lacks it points there."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
from pathlib import Path

import pytest
from support.builds import PIPELINE_ENV, run_pipeline
from support.lessons import small_lesson, write_lesson

from pipeline.course import SETTINGS_NAME
from pipeline.errors import ConfigError
from pipeline.report import IndexEntry, index_html

SLIDES = [
    ("Opening", "Welcome to a small lesson about courses."),
    ("Three checks", "Check the budget. Check the voice. Check the video before it ships."),
    ("Close", "That is all for now. See you in the next lesson."),
]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course folder with one small lesson in ``slides/``."""
    (tmp_path / "slides").mkdir()
    write_lesson(tmp_path / "slides", "T1.1-small.txt", small_lesson(SLIDES))
    return tmp_path


def budget_json(course: Path, *options: str) -> dict:
    result = run_pipeline("budget", "--json", *options, cwd=course)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_course_settings_set_the_pace_and_an_option_on_the_command_line_wins(course: Path) -> None:
    (course / SETTINGS_NAME).write_text("wpm: 120\n", encoding="utf-8")
    assert "estimated at 120 wpm" in run_pipeline("budget", cwd=course).stdout
    assert "estimated at 170 wpm" in run_pipeline("budget", "--wpm", "170", cwd=course).stdout


def test_the_course_settings_pauses_reach_the_narration(course: Path) -> None:
    from pipeline import cli
    from pipeline.course import read_settings

    settings = course / SETTINGS_NAME
    settings.write_text("pauses:\n  sentence: 1.5\n  slide_end: 2\n", encoding="utf-8")
    # Through the command line's own parsing (the pace model keeps a lesson's length at a given
    # wpm whatever its pauses, so only the voice's settings show them).
    args = cli._parser(read_settings(settings)).parse_args(["video"])
    voice = cli._settings(args).narration()
    assert (voice.sentence_pause_s, voice.hold_s, voice.lead_in_s) == (1.5, 2.0, 0.3)
    assert voice.pace.speaking_wpm > cli._settings(cli._parser().parse_args(["video"])).narration().pace.speaking_wpm


def test_the_course_settings_name_the_lessons_folder(course: Path) -> None:
    (course / "slides").rename(course / "lessons")
    (course / SETTINGS_NAME).write_text("slides: lessons\n", encoding="utf-8")
    assert budget_json(course)["lesson"] == "T1.1-small"


def test_a_bad_settings_file_stops_the_command_with_its_line_and_no_traceback(course: Path) -> None:
    (course / SETTINGS_NAME).write_text("wpm: 150\nvoise: piper\n", encoding="utf-8")
    result = run_pipeline("budget", cwd=course)
    assert result.returncode == 2
    assert result.stderr.startswith("course.yaml:2: unknown setting 'voise'")
    assert "Traceback" not in result.stderr


def test_version_is_the_packages_version() -> None:
    result = run_pipeline("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"lecture-pipeline {importlib.metadata.version('lecture-pipeline')}"


def test_doctor_finds_everything_on_this_machine() -> None:
    result = run_pipeline("doctor")
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().endswith("everything a build needs is here")
    pieces = ("LibreOffice", "pdftoppm", "pdfinfo", "ffmpeg", "ffprobe", "espeak-ng", "font Calibri", "extra 'neural'")
    for piece in pieces:
        assert any(line.split()[:1] == ["ok"] and piece in line for line in result.stdout.splitlines()), piece


@pytest.fixture
def path_without_libreoffice(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has the programs a build runs, except LibreOffice."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("ffmpeg", "ffprobe", "pdftoppm", "pdfinfo"):
        found = shutil.which(program)
        assert found, f"{program} is needed by this test"
        (bin_dir / program).symlink_to(found)
    env = {k: v for k, v in PIPELINE_ENV.items() if k != "PIPELINE_SOFFICE"}
    return env | {"PATH": str(bin_dir)}


def test_doctor_reports_a_missing_program_with_the_commands_that_install_it(
    path_without_libreoffice: dict[str, str],
) -> None:
    result = run_pipeline("doctor", env=path_without_libreoffice)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if "LibreOffice" in line]
    assert line.split()[0] == "MISSING"
    assert "sudo apt-get install libreoffice-impress" in line
    assert "brew install --cask libreoffice" in line
    assert "1 required piece missing" in result.stdout
    assert any(line.split()[:2] == ["ok", "ffmpeg"] for line in result.stdout.splitlines())


def test_a_build_without_libreoffice_names_it_and_points_to_doctor(
    course: Path, path_without_libreoffice: dict[str, str]
) -> None:
    result = run_pipeline("deck", cwd=course, env=path_without_libreoffice)
    assert result.returncode == 2
    assert "LibreOffice not found" in result.stderr
    assert "sudo apt-get install libreoffice-impress" in result.stderr
    assert "lecture-pipeline doctor" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_course_page_template_overrides_the_packages_and_the_rest_still_come_from_it(tmp_path: Path) -> None:
    (tmp_path / "index.html.j2").write_text(
        '<style>{% include "pages.css" %}</style><h1>Our course</h1>'
        "{% for row in rows %}<p>{{ row.e.stem }}</p>{% endfor %}",
        encoding="utf-8",
    )
    entry = IndexEntry(stem="T1.1-<small>", code="T1.1", title="Small", status="ok")
    page = index_html([entry], templates=tmp_path)
    assert "<h1>Our course</h1>" in page
    assert "<p>T1.1-&lt;small&gt;</p>" in page  # still autoescaped
    assert ":root" in page or "body" in page  # the package's stylesheet, not overridden
    assert "Our course" not in index_html([entry])


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("<p>{% for row in rows %}</p>\n", ":1: page template: Unexpected end of template"),
        ("{{ nothing.here }}", "nothing"),
    ],
)
def test_a_broken_course_page_template_is_an_error_naming_its_file(tmp_path: Path, template: str, says: str) -> None:
    (tmp_path / "index.html.j2").write_text(template, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(says)) as caught:
        index_html([], templates=tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "index.html.j2"))


def test_commands_run_in_a_folder_without_a_settings_file_as_before(course: Path) -> None:
    assert not (course / SETTINGS_NAME).exists()
    assert "estimated at 150 wpm" in run_pipeline("budget", cwd=course).stdout


def test_a_folder_named_on_the_command_line_stands_for_every_lesson_in_it(course: Path) -> None:
    write_lesson(course / "slides", "T1.2-second.md", small_lesson(SLIDES).replace("T1.1", "T1.2"))
    result = run_pipeline("budget", "--json", "slides", cwd=course)
    assert result.returncode == 0, result.stderr
    assert [d["lesson"] for d in json.loads(result.stdout)] == ["T1.1-small", "T1.2-second"]


def test_an_empty_folder_named_on_the_command_line_is_a_clear_error(course: Path) -> None:
    (course / "empty").mkdir()
    result = run_pipeline("budget", "empty", cwd=course)
    assert result.returncode == 2
    assert result.stderr.strip() == "empty: no lesson files (*.txt, *.md) found"
