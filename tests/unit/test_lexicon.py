"""The pronunciation lexicon: whole-word, case-sensitive respelling and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.lessons import COURSE_LEXICON

from pipeline.errors import ConfigError
from pipeline.narration import Lexicon, load_lexicon


def test_entries_match_whole_words_case_sensitively_longest_first() -> None:
    lexicon = Lexicon((("LoRA", "Laura"), ("QLoRA", "cue Laura"), ("GPU", "G P U")))
    assert lexicon.apply("QLoRA beats LoRA on one GPU.") == "cue Laura beats Laura on one G P U."
    assert lexicon.apply("lora, LoRAs and GPUs stay as written") == "lora, LoRAs and GPUs stay as written"
    assert lexicon.apply("Pre-LoRA (LoRA)") == "Pre-Laura (Laura)"


def test_a_respelling_is_never_respelled_again() -> None:
    assert Lexicon((("A", "B"), ("B", "C"))).apply("A B") == "B C"


def test_the_course_lexicon_loads_and_respells_the_sample_terms() -> None:
    lexicon = load_lexicon(COURSE_LEXICON)
    spoken = lexicon.apply("Qi et al showed a 7B model on one GPU with LoRA and QLoRA at thirty MB.")
    assert spoken == "Chee et al showed a seven B model on one G P U with Laura and cue Laura at thirty megabytes."


def test_a_missing_lexicon_file_is_an_empty_lexicon(tmp_path: Path) -> None:
    assert len(load_lexicon(tmp_path / "absent.yaml")) == 0
    assert load_lexicon(None).apply("LoRA") == "LoRA"


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("LoRA: Laura\nGPU: [G, P, U]\n", 2, "written form: spoken form"),
        ("LoRA: Laura\nLoRA: Lora\n", 2, "repeats the one on line 1"),
        ("LoRA: Laura\nGPU: ''\n", 2, "needs both"),
        ("LoRA: Laura\n  bad: : indent\n", 2, "invalid YAML"),
        ("- LoRA\n", 1, "must be a mapping"),
    ],
)
def test_a_bad_lexicon_is_a_config_error_naming_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_lexicon(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
