"""The parser reads both spellings of a lesson and remembers where each item came from."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from support.lessons import CORPUS, SAMPLE, SAMPLE_MD, small_lesson, write_lesson

from pipeline.errors import LessonError
from pipeline.lesson import parse_budget_line, parse_lesson, read_lesson
from pipeline.storyboard import plan


@pytest.fixture(scope="module")
def lesson():
    return read_lesson(SAMPLE)


def test_title_line_gives_code_and_title(lesson):
    assert lesson.code == "L4.3.1"
    assert lesson.title == "Harmful fine-tuning and alignment removal"
    assert lesson.stem == "L4.3.1-harmful-fine-tuning"
    assert lesson.source.line == 1


def test_one_line_metadata_is_split_into_its_fields(lesson):
    meta = lesson.metadata
    assert meta.type == "Theory"
    assert meta.duration == "~5 min"
    assert meta.status == "Mandatory"
    assert meta.module == "Module 4 — Data Poisoning, Backdoors & Supply Chain"
    assert meta.framework_tags == ("OWASP LLM03, LLM05", "MITRE ATLAS AML.T0018 (Manipulate ML Model)")


def test_objectives_key_terms_and_quiz_are_read_with_their_lines(lesson):
    assert [o.source.line for o in lesson.objectives] == [4, 5]
    assert [t.term for t in lesson.key_terms] == [
        "Harmful fine-tuning",
        "Alignment regression",
        "LoRA-rank defensive choice",
    ]
    assert lesson.key_terms[1].definition == "measurable decline in safety properties after fine-tuning."
    assert len(lesson.quiz) == 3
    assert lesson.quiz[1].question.startswith("Approximately what does it cost")
    assert lesson.quiz[1].answer == "$5–$50 on cloud spot GPUs, or hours on a single consumer GPU."
    assert lesson.quiz[0].source.line == 40


def test_core_content_sub_sections_keep_their_lists_including_flattened_ones(lesson):
    titles = [s.title for s in lesson.sections]
    assert titles == [
        "Definition",
        "Why low cost is the operational problem",
        "Why this differs from prompt injection",
        "Defenses",
        "The honest answer (again)",
        "Real-world example",
    ]
    defenses = lesson.sections[3]
    assert [block.lead for block in defenses.lists] == [
        "For your own fine-tuning pipeline:",
        "For models you pull from a registry:",
    ]
    assert [item.text.split(".")[0] for item in defenses.lists[0].items] == [
        "Audit fine-tune datasets",
        "Post-fine-tune safety evaluation",
        "Smaller fine-tunes",
    ]
    assert all(item.source.line == 25 for item in defenses.lists[0].items)
    assert len(lesson.sections[0].items) == 3  # the numbered "three sources"
    assert len(lesson.sections[1].items) == 4


def test_video_script_is_split_at_slide_markers(lesson):
    assert (lesson.declared_words, lesson.declared_minutes) == (580, 4.0)
    assert [s.n for s in lesson.segments] == [1, 2, 3, 4, 5, 6, 7]
    assert lesson.segments[3].title == "Differs from prompt injection"
    assert lesson.segments[0].text == "Harmful fine-tuning and alignment removal. Five minutes."
    assert lesson.segments[1].source.line == 46
    # Paragraph breaks inside a slide's narration survive.
    assert lesson.segments[1].text.count("\n\n") == 2


def test_outline_items_carry_title_and_visual_direction(lesson):
    assert [o.title for o in lesson.outline][3] == "Differs from PI"
    assert lesson.outline[2].direction == 'cost curve dropping from "research-only" to "anyone."'
    assert lesson.outline[6].source.line == 68


def test_production_notes_give_target_cap_and_slide_notes(lesson):
    assert (lesson.target_s, lesson.cap_s) == (240.0, 300.0)
    assert len(lesson.notes) == 1
    assert lesson.notes[0].slides == (3,)
    assert lesson.notes[0].source.line == 71


def _without_sources(value):
    """A dataclass tree as plain data without file locations (they differ between spellings)."""
    if isinstance(value, dict):
        return {k: _without_sources(v) for k, v in value.items() if k not in {"source", "path"}}
    if isinstance(value, list | tuple):
        return [_without_sources(v) for v in value]
    return value


def test_markdown_source_of_the_sample_parses_to_the_same_storyboard():
    from_text = plan(read_lesson(SAMPLE))
    from_markdown = plan(read_lesson(SAMPLE_MD))
    assert _without_sources(asdict(from_markdown)) == _without_sources(asdict(from_text))
    assert from_markdown.slides[1].source.path.endswith(".md")


def test_markdown_source_reads_the_same_lesson_contents():
    text, markdown = read_lesson(SAMPLE), read_lesson(SAMPLE_MD)
    assert _without_sources(asdict(markdown)) | {"stem": None} == _without_sources(asdict(text)) | {"stem": None}


def test_markdown_quiz_with_question_and_answer_on_separate_lines(tmp_path):
    body = small_lesson([("Intro", "Hello there.")]) + "Quiz items¶\n- Q: Why?\n  A: Because.\n"
    lesson = parse_lesson(body, tmp_path / "quiz.txt")
    assert [(q.question, q.answer) for q in lesson.quiz] == [("Why?", "Because.")]


BAD_INPUTS = {
    "empty": (b"", "lesson file is empty", None),
    "whitespace": (b"  \n\n \n", "lesson file is empty", None),
    "binary": (b"T1 \xe2\x80\x94 x\n\x89PNG\x00\x00\x01", "binary file", 2),
    "latin1": ("T1 - ok\nCafé\n".encode("latin-1"), "not UTF-8", 2),
    "no_script": ("T1 — x¶\nSlide outline¶\n- A — b\n".encode(), "no 'Video script' section", None),
    "no_markers": (
        "T1 — x¶\nVideo script (~3 words, ~1 min)¶\nJust some words.\n".encode(),
        "no [SLIDE n — Title] markers",
        2,
    ),
    "twice": (
        "T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\nOne.\n[SLIDE 1 — B]\nTwo.\n".encode(),
        "slide 1 is used twice (first at line 3)",
        5,
    ),
    "silent": (
        "T1 — x¶\nVideo script¶\n[SLIDE 1 — A]\nOne.\n[SLIDE 2 — B]\n\n[SLIDE 3 — C]\nThree.\n".encode(),
        "slide 2 has no narration",
        5,
    ),
    "malformed": ("T1 — x¶\nVideo script¶\n[SLIDE one — A]\nOne.\n".encode(), "malformed slide marker", 3),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_raises_a_lesson_error_naming_file_and_line(tmp_path, name):
    data, message, line = BAD_INPUTS[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    with pytest.raises(LessonError) as info:
        read_lesson(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: " if line else f"{path}")
    assert info.value.line == line


def test_several_problems_are_reported_together(tmp_path):
    path = write_lesson(
        tmp_path,
        "many.txt",
        """\
        T1 — x¶
        Video script¶
        [SLIDE 1 — A]
        [SLIDE 1 — B]
        Two.
        [SLIDE 3 — C]
        """,
    )
    with pytest.raises(LessonError) as info:
        read_lesson(path)
    lines = str(info.value).splitlines()
    assert f"{path}:3: slide 1 has no narration" in lines
    assert f"{path}:4: slide 1 is used twice (first at line 3)" in lines
    assert f"{path}:6: slide 3 has no narration" in lines


def test_a_missing_file_is_a_lesson_error(tmp_path):
    with pytest.raises(LessonError, match="cannot read lesson"):
        read_lesson(Path(tmp_path / "nope.txt"))


def test_an_oversized_file_fails_fast(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1_000_000)
    with pytest.raises(LessonError, match="the limit is"):
        read_lesson(path)


@pytest.mark.parametrize(
    ("line", "target", "cap"),
    [
        ("Recording: ~4 min. Cap 5.", 240.0, 300.0),
        ("Recording: 3–4 min. Cap 4:30.", 240.0, 270.0),
        ("Recording: about 3 minutes. Cap 3.5 min.", 180.0, 210.0),
        ("Recording: ~90 s. Cap 2 min.", 90.0, 120.0),
        ("Target length ~3:30, cap 4:00", 210.0, 240.0),
        ("Length: 90 seconds (max 2 min)", 90.0, 120.0),
        ("Recording: 4-5 minutes; hard cap 6", 300.0, 360.0),
        ("Recording: three minutes, cap four", 180.0, 240.0),
    ],
)
def test_budget_lines_are_read_in_the_forms_authors_write(line: str, target: float, cap: float) -> None:
    assert parse_budget_line(line) == (target, cap, "")


def test_an_unreadable_budget_line_is_a_warning_naming_its_line_never_a_silent_default(tmp_path: Path) -> None:
    body = small_lesson([("Intro", "Hello there.")], recording="Recording: when it feels right.")
    lesson = read_lesson(write_lesson(tmp_path, "budget.txt", body))
    assert (lesson.target_s, lesson.cap_s) == (None, None)
    (warning,) = lesson.warnings
    assert warning.source.line == 9 and "cannot read the budget line" in warning.message
    missing_cap = small_lesson([("Intro", "Hello there.")], recording="Recording: ~2 min.")
    lesson = read_lesson(write_lesson(tmp_path, "nocap.txt", missing_cap))
    assert lesson.target_s == 120.0 and "gives no cap" in lesson.warnings[0].message


def test_every_corpus_lesson_has_its_budget_read() -> None:
    for path in sorted(CORPUS.glob("L*")):
        lesson = read_lesson(path)
        assert lesson.target_s and lesson.cap_s and not lesson.warnings, path.name


def test_code_blocks_tables_and_quotes_in_core_content_are_kept_as_written() -> None:
    md = read_lesson(CORPUS / "L5.1.2-building-a-red-team-harness.md")
    (code,) = [block for section in md.sections for block in section.code]
    assert code.language == "yaml" and code.lines[0] == "id: fin-2fa-reset-001" and len(code.lines) == 8
    (table,) = [t for section in md.sections for t in section.tables]
    assert table.header == ("Judge", "Good at", "Fails when") and len(table.rows) == 3
    assert [q.text for s in md.sections for q in s.quotes] == [
        "A finding that never becomes a regression test is a finding you will make again."
    ]
    txt = read_lesson(CORPUS / "L2.2.1-indirect-prompt-injection.txt")
    (indented,) = [block for section in txt.sections for block in section.code]
    assert indented.lines[2] == "{retrieved_documents}"
    assert txt.notes[0].slides == (3, 5)
