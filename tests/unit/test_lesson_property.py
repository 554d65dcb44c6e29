"""Arbitrary text never crashes the parser: it returns a Lesson or raises the project's LessonError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import LessonError
from pipeline.lesson import decode_lesson, parse_lesson
from pipeline.model import Lesson
from pipeline.storyboard import plan

FRAGMENTS = st.sampled_from(
    [
        "L1.2 — Title¶",
        "# L1 — T",
        "Video script (~10 words, ~1 min)¶",
        "## Video script",
        "[SLIDE 1 — A]",
        "[SLIDE 2 — B]",
        "[SLIDE 2]",
        "[SLIDE x — y]",
        "Slide outline¶",
        "- A — cards.",
        "- B — PI = a; HFT = b.",
        '- C — pull-quote: "Q".',
        "Production notes¶",
        "- Recording: ~4 min. Cap 5.",
        "- Slide 3 (x) is y.",
        "Core content¶",
        "Lead: - one - two",
        "One: a. Two: b.",
        "Type: T · Duration: ~5 min Module: M Framework tags: A · B",
        "Quiz items¶",
        "- Q: why? A: because.",
        "",
    ]
)
LINES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_structured_noise_parses_or_raises_a_lesson_error(text):
    try:
        lesson = parse_lesson(text, "noise.txt")
    except LessonError:
        return
    assert isinstance(lesson, Lesson)
    plan(lesson)  # a parsed lesson always plans


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_and_parse_or_raise_a_lesson_error(data):
    try:
        lesson = parse_lesson(decode_lesson(data, "bytes.txt"), "bytes.txt")
    except LessonError:
        return
    assert isinstance(lesson, Lesson)
