"""Coverage: which slides' narration says each key term and each part of each quiz answer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.lessons import SAMPLE, small_lesson, write_lesson

import pipeline.coverage
from pipeline.coverage import Coverage, answer_parts, content_words, coverage, tokens
from pipeline.lesson import read_lesson
from pipeline.storyboard import plan


@pytest.fixture(scope="module")
def sample() -> dict[str, Coverage]:
    lesson = read_lesson(SAMPLE)
    return {c.text: c for c in coverage(lesson, plan(lesson))}


def _lesson_coverage(tmp_path: Path, slides: list[tuple[str, str]], terms: str = "", quiz: str = "") -> list[Coverage]:
    sections = ""
    if terms:
        sections += f"Key terms¶\n{terms}\n"
    if quiz:
        sections += f"Quiz items¶\n{quiz}\n"
    body = small_lesson(slides).replace("Video script", sections + "Video script")
    lesson = read_lesson(write_lesson(tmp_path, "T1.txt", body))
    return list(coverage(lesson, plan(lesson)))


# --- the sample lesson ------------------------------------------------------------------------


def test_each_sample_key_term_is_found_on_the_slides_that_say_it(sample: dict[str, Coverage]) -> None:
    assert sample["Harmful fine-tuning"].slides == (1, 2, 3, 4)  # slide 4 says "Harmful-fine-tuning defenses"
    assert sample["Alignment regression"].slides == (5,)  # said as "alignment-regression test"
    assert all(sample[t].covered and sample[t].kind == "term" for t in ("Harmful fine-tuning", "Alignment regression"))


def test_a_key_term_the_narration_only_paraphrases_is_not_covered(sample: dict[str, Coverage]) -> None:
    lora = sample["LoRA-rank defensive choice"]

    assert not lora.covered and lora.slides == ()
    assert lora.nearest == 5  # "LoRA with low rank reduces change …"
    assert lora.missing == ("defensive", "choice")


def test_the_three_sources_answer_is_split_into_parts_all_said_on_slide_2(sample: dict[str, Coverage]) -> None:
    parts = [c for c in sample.values() if c.question == "Name the three sources of harmful fine-tuning."]

    assert [c.text for c in parts] == [
        "Deliberate alignment removal",
        "accidental alignment degradation",
        "benign-purpose data with collateral effects",
    ]
    assert all(c.kind == "answer" and c.covered and c.slides == (2,) for c in parts)


def test_the_cost_answer_is_heard_on_slide_3_with_its_numbers_read_aloud(sample: dict[str, Coverage]) -> None:
    # "$5–$50" is narrated as "five to fifty dollars"; "GPUs" as "GPU".
    assert sample["$5–$50 on cloud spot GPUs"].slides == (3,)
    assert sample["hours on a single consumer GPU"].slides == (3,)


def test_an_answer_part_said_in_other_words_is_covered_where_most_of_it_is_heard(sample: dict[str, Coverage]) -> None:
    qi = sample["Because Qi et al. showed that even benign-purpose fine-tunes degrade safety alignment"]
    fragile = sample["alignment is a fragile equilibrium that any large fine-tune perturbs"]

    assert qi.slides == (2, 7) and qi.nearest == 2
    assert fragile.slides == (2,) and fragile.missing == ("large", "perturb")


def test_coverage_lists_key_terms_first_then_answer_parts_with_their_source(sample: dict[str, Coverage]) -> None:
    kinds = [c.kind for c in sample.values()]

    assert kinds == ["term"] * 3 + ["answer"] * 7
    assert all(c.source.path.endswith(SAMPLE.name) and c.source.line > 0 for c in sample.values())


# --- matching rules ---------------------------------------------------------------------------


def test_terms_match_whatever_the_case_hyphens_spaces_and_plurals(tmp_path: Path) -> None:
    results = _lesson_coverage(
        tmp_path,
        [("Intro", "Welcome."), ("One", "FINETUNING changes data sets."), ("Two", "Fine tunes of the dataset.")],
        terms="- Fine-tuning — training.\n- Dataset — data.\n- Fine-tune — a run.",
    )

    by_term = {c.text: c.slides for c in results}
    assert by_term == {"Fine-tuning": (2,), "Dataset": (2, 3), "Fine-tune": (3,)}


def test_a_term_shown_only_in_a_slide_title_is_not_covered(tmp_path: Path) -> None:
    results = _lesson_coverage(
        tmp_path, [("Intro", "Welcome."), ("Data poisoning", "Bad training data.")], terms="- Data poisoning — x."
    )

    assert not results[0].covered
    assert results[0].nearest == 2 and results[0].missing == ("poisoning",)


def test_a_term_with_an_abbreviation_is_covered_by_either_spelling(tmp_path: Path) -> None:
    results = _lesson_coverage(
        tmp_path,
        [("Intro", "Welcome."), ("PI", "PI is a property of deployment.")],
        terms="- Prompt injection (PI) — x.",
    )

    assert results[0].slides == (2,)


def test_an_answer_part_needs_most_of_its_words_on_one_slide(tmp_path: Path) -> None:
    results = _lesson_coverage(
        tmp_path,
        [("Intro", "Welcome."), ("A", "Audit datasets for harmful examples."), ("B", "Run a safety evaluation.")],
        quiz="- Q: What helps? A: Audit the datasets; audit the fine-tune datasets; red team review by experts.",
    )

    audit, fine_tune_audit, red_team = results
    assert audit.covered and audit.slides == (2,)
    assert not fine_tune_audit.covered  # 2 of its 4 content words is not most of them
    assert fine_tune_audit.nearest == 2 and fine_tune_audit.missing == ("fine", "tune")
    assert not red_team.covered and red_team.nearest is None


def test_words_are_normalised_for_matching() -> None:
    assert tokens("Fine-tunes") == ("fine", "tune")
    assert tokens("LLMs and GPUs, policies") == ("llm", "and", "gpu", "policy")
    assert tokens("$5–$50 in 2026") == ("five", "fifty", "in", "twenty", "twenty", "six")
    assert tokens("status classes") == ("status", "class")
    assert content_words("The cost of the attacks") == ("cost", "attack")


@pytest.mark.parametrize(
    ("answer", "parts"),
    [
        ("A; b; c.", ("A", "b", "c")),
        ("$5–$50 on cloud GPUs, or hours on one GPU.", ("$5–$50 on cloud GPUs", "hours on one GPU")),
        ("Qi et al. showed it — alignment is fragile.", ("Qi et al. showed it", "alignment is fragile")),
        ("Red, green, and blue.", ("Red", "green", "blue")),
        ("Because the model generalizes, it complies.", ("Because the model generalizes, it complies",)),
        ("It leaks. Then it spreads.", ("It leaks", "Then it spreads")),
        ("(1) audit data (2) evaluate models", ("audit data", "evaluate models")),
    ],
)
def test_quiz_answers_split_into_the_parts_a_learner_would_give(answer: str, parts: tuple[str, ...]) -> None:
    assert answer_parts(answer) == parts


def test_coverage_imports_only_the_model_modules() -> None:
    tree = ast.parse(Path(pipeline.coverage.__file__).read_text(encoding="utf-8"))
    ours = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0}

    assert ours <= {"model", "storyboard", "budget", "text"}
