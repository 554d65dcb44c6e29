"""The command line as authors use it: exit statuses, messages, and no tracebacks."""

from __future__ import annotations

import json

import pytest
from support.builds import run_pipeline
from support.lessons import SAMPLE, small_lesson, write_lesson


def test_budget_prints_the_sample_table_and_exits_zero():
    result = run_pipeline("budget")
    assert result.returncode == 0, result.stderr
    assert "L4.3.1-harmful-fine-tuning" in result.stdout
    assert "target 4:00, cap 5:00" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line[:3].strip().isdigit()]
    assert len(rows) == 7


def test_budget_json_prints_the_timing_document():
    result = run_pipeline("budget", SAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["lesson"] == "L4.3.1-harmful-fine-tuning"
    assert (document["target_s"], document["cap_s"]) == (240.0, 300.0)
    assert len(document["slides"]) == 7
    assert document["status"] == "ok"


def test_budget_shows_each_slides_effective_pace_and_the_lessons():
    result = run_pipeline("budget", SAMPLE)
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[1]
    assert header.split()[-2:] == ["wpm", "share"]
    assert "estimated at 150 wpm (effective 120 wpm)" in result.stdout


def test_budget_counts_words_as_an_editor_does_and_prints_the_pace_asked_for(tmp_path):
    lesson = write_lesson(
        tmp_path, "words.txt", small_lesson([("Intro", "Post-LoRA: a 7B model — 3.5 times cheaper, don't wait.")])
    )
    result = run_pipeline("budget", lesson, "--wpm", "170")
    assert result.returncode == 0, result.stderr
    assert "total 10 words," in result.stdout and "estimated at 170 wpm" in result.stdout


def test_budget_prints_an_unreadable_budget_line_as_a_warning(tmp_path):
    lesson = write_lesson(
        tmp_path, "vague.txt", small_lesson([("Intro", "One short slide.")], recording="Recording: whenever it ends.")
    )
    result = run_pipeline("budget", lesson)
    assert result.returncode == 0, result.stderr
    assert "cannot read the budget line" in result.stderr
    assert "target –, cap –: unchecked" in result.stdout


def test_a_pace_the_narration_cannot_speak_is_a_clear_error_in_the_budget_too():
    result = run_pipeline("budget", SAMPLE, "--wpm", "5000")
    assert result.returncode == 2
    assert "pace 5000 wpm is outside 60–300" in result.stderr and "Traceback" not in result.stderr


def test_a_pace_too_fast_for_the_courses_pauses_is_a_clear_error(tmp_path):
    (tmp_path / "course.yaml").write_text("pauses:\n  sentence: 8\n", encoding="utf-8")
    result = run_pipeline("budget", SAMPLE, "--wpm", "280", cwd=tmp_path)
    assert result.returncode == 2
    assert "leaves no time to speak" in result.stderr and "Traceback" not in result.stderr


def test_a_lesson_over_its_cap_exits_one_and_says_what_to_cut(tmp_path):
    long_text = " ".join(["This sentence has exactly seven words."] * 30)
    lesson = write_lesson(
        tmp_path,
        "long.txt",
        small_lesson([("Intro", long_text), ("More", long_text)], recording="Recording: ~0.5 min. Cap 1."),
    )
    result = run_pipeline("budget", lesson)
    assert result.returncode == 1
    assert "over cap" in result.stdout
    assert "cut about" in result.stdout and "largest slides first: slide 1" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":  lesson file is empty"),
        (b"T1 \x00\x01 binary", ":1: lesson looks like a binary file"),
        (b"T1\n\xff\xfe nope", ":2: lesson is not UTF-8 text"),
        ("T1 — x¶\nSlide outline¶\n- A — b\n".encode(), ": no 'Video script' section"),
        ("T1 — x¶\nVideo script¶\nno markers at all\n".encode(), ":2: video script has no [SLIDE n — Title] markers"),
        ("T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\nx.\n[SLIDE 1 — B]\ny.\n".encode(), ":5: slide 1 is used twice"),
        ("T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\n[SLIDE 2 — B]\ny.\n".encode(), ":3: slide 1 has no narration"),
    ],
)
def test_bad_input_exits_two_with_path_and_line_and_no_traceback(tmp_path, content, message):
    path = tmp_path / "bad lesson.txt"
    path.write_bytes(content)
    result = run_pipeline("budget", path)
    assert result.returncode == 2
    assert result.stderr.startswith(str(path)), result.stderr
    assert message.replace(":  ", ": ") in result.stderr
    assert "Traceback" not in result.stderr


def test_storyboard_command_writes_the_editable_file_next_to_the_lesson(tmp_path):
    lesson = tmp_path / SAMPLE.name
    lesson.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_pipeline("storyboard", lesson)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "L4.3.1-harmful-fine-tuning.storyboard.yaml").exists()
    again = run_pipeline("storyboard", lesson)
    assert again.returncode == 2
    assert "already exists (use --force to replace it)" in again.stderr


def test_an_empty_slides_folder_is_a_clear_error(tmp_path):
    result = run_pipeline("budget", "--slides", tmp_path / "none")
    assert result.returncode == 2
    assert "no such folder" in result.stderr
