"""The deck: reopened with python-pptx and measured with the same font files LibreOffice renders with."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu
from support.decks import LONG, board, page_text, slide
from support.pictures import measured_overflows

from pipeline import deck as deck_mod
from pipeline.deck import SLIDE_W, build_deck, deck_key
from pipeline.errors import ConfigError
from pipeline.model import Item, Source, Storyboard
from pipeline.theme import DEFAULT_THEME, Theme, load_theme


def every_layout() -> Storyboard:
    return board(
        slide(1, "Harmful fine-tuning", "title", visual="Title card"),
        slide(2, "Defenses", "bullets", (Item("Audit datasets", "Before every fine-tune"), Item("Evaluate after"))),
        slide(3, "Three sources", "cards", (Item("Deliberate", "An attacker"), Item("Accidental", "A team"))),
        slide(
            4, "Versus prompt injection", "comparison", (Item("Prompt injection", "Deployment"), Item("HFT", "Model"))
        ),
        slide(5, "Honest answer", "quote", (Item("Audit the fine-tunes you do."),)),
        slide(6, "Why cost matters", "placeholder", (Item("A GPU costs $5"),), visual="cost curve dropping to anyone"),
    )


def test_the_deck_has_one_16_9_slide_per_storyboard_entry_with_its_title(tmp_path: Path, theme: Theme) -> None:
    sb = every_layout()
    result = build_deck(sb, theme, tmp_path / "deck.pptx")
    prs = Presentation(str(result.path))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(prs.slides) == len(sb.slides)
    assert prs.slides[0].shapes.title.text_frame.text == sb.title
    for page, planned in zip(list(prs.slides)[1:], sb.slides[1:], strict=True):
        assert page.shapes.title.text_frame.text == planned.title
    assert result.warnings == ()


def test_speaker_notes_on_every_slide_hold_the_narration_and_visual_direction(tmp_path: Path, theme: Theme) -> None:
    sb = every_layout()
    prs = Presentation(str(build_deck(sb, theme, tmp_path / "deck.pptx").path))
    for page, planned in zip(prs.slides, sb.slides, strict=True):
        notes = page.notes_slide.notes_text_frame.text
        assert notes == planned.speaker_notes
        assert planned.narration in notes
    assert "Visual: cost curve dropping to anyone" in prs.slides[5].notes_slide.notes_text_frame.text


def test_core_properties_name_the_lesson_module_and_framework_tags(tmp_path: Path, theme: Theme) -> None:
    props = Presentation(str(build_deck(every_layout(), theme, tmp_path / "deck.pptx").path)).core_properties
    assert props.title == "Harmful fine-tuning and alignment removal"
    assert props.subject == "Module 4 — Data Poisoning"
    assert props.keywords == "OWASP LLM03, MITRE ATLAS AML.T0018"


def dated_lesson(tmp_path: Path, when: datetime) -> Storyboard:
    lesson = tmp_path / "L1.txt"
    lesson.write_text("a lesson\n", encoding="utf-8")
    stamp = when.replace(tzinfo=UTC).timestamp()
    os.utime(lesson, (stamp, stamp))
    return replace(every_layout(), path=str(lesson))


def test_the_deck_is_dated_by_its_lesson_not_the_build_clock(tmp_path: Path, theme: Theme) -> None:
    sb = dated_lesson(tmp_path, datetime(2026, 3, 14, 15, 9, 26))
    path = build_deck(sb, theme, tmp_path / "deck.pptx").path
    props = Presentation(str(path)).core_properties
    assert props.created == props.modified == datetime(2026, 3, 14, 15, 9, 26)
    assert props.comments == "Built from L1.txt by the lecture video pipeline"
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 14, 15, 9, 26)}


def test_a_storyboard_without_a_lesson_file_gets_a_fixed_date_so_its_deck_is_still_reused(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = replace(every_layout(), path=str(tmp_path / "no such lesson.txt"))
    first = build_deck(sb, theme, tmp_path / "deck.pptx")
    later = classmethod(lambda cls, tz=None: datetime(2031, 1, 1, tzinfo=tz))  # the clock moves on; the date must not
    monkeypatch.setattr(deck_mod.package, "datetime", type("Clock", (datetime,), {"now": later}))
    again = build_deck(sb, theme, tmp_path / "deck.pptx")
    assert again.reused and again.key == first.key
    assert Presentation(str(first.path)).core_properties.modified == datetime(1980, 1, 1)


def test_source_date_epoch_dates_the_deck_and_a_bad_value_is_a_config_error(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = dated_lesson(tmp_path, datetime(2026, 3, 14))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    props = Presentation(str(build_deck(sb, theme, tmp_path / "deck.pptx").path)).core_properties
    assert props.modified == datetime(2023, 11, 14, 22, 13, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a new date is a new deck, not a reused one
    again = build_deck(sb, theme, tmp_path / "deck.pptx")
    assert not again.reused
    assert Presentation(str(again.path)).core_properties.modified == datetime(2027, 1, 15, 8, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH='yesterday' is not a whole number"):
        build_deck(sb, theme, tmp_path / "deck.pptx", force=True)


def test_the_same_lesson_builds_a_byte_identical_deck_whatever_the_clock_says(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = dated_lesson(tmp_path, datetime(2026, 3, 14))
    built = []
    for hour in (0, 5):  # zipfile dates entries by time.time() unless told otherwise
        clock = SimpleNamespace(time=lambda hour=hour: 1_790_000_000.0 + hour * 3600, localtime=time.localtime)
        monkeypatch.setattr(zipfile, "time", clock)
        built.append(build_deck(sb, theme, tmp_path / f"deck{hour}.pptx").path.read_bytes())
    assert built[0] == built[1]


def test_each_layout_shows_its_content_and_content_slides_carry_a_footer(tmp_path: Path, theme: Theme) -> None:
    prs = Presentation(str(build_deck(every_layout(), theme, tmp_path / "deck.pptx").path))
    pages = [page_text(p) for p in prs.slides]
    for expected in ("L9.9.9", "Harmful fine-tuning and alignment removal", "Module 4", "OWASP LLM03", "AML.T0018"):
        assert expected in pages[0]
    assert "Audit datasets" in pages[1] and "Before every fine-tune" in pages[1]
    assert all(s in pages[2] for s in ("Deliberate", "An attacker", "Accidental", "A team"))
    assert all(s in pages[3] for s in ("Prompt injection", "Deployment", "HFT", "Model"))
    assert "Audit the fine-tunes you do." in pages[4]
    assert all(s in pages[5] for s in ("DRAFT", "cost curve dropping to anyone", "A GPU costs $5"))
    for n, page in enumerate(pages[1:], start=2):
        assert "L9.9.9" in page and f"{n} / 6" in page


@pytest.mark.parametrize(("n", "what"), [(3, "cards"), (4, "comparison")])
def test_a_short_row_of_panels_sits_at_the_optical_centre_not_the_top(
    tmp_path: Path, theme: Theme, n: int, what: str
) -> None:
    page = Presentation(str(build_deck(every_layout(), theme, tmp_path / "deck.pptx").path)).slides[n - 1]
    inch = deck_mod.EMU_PER_INCH
    room_top = (theme.layout.band_height + deck_mod.CONTENT_GAP) * inch
    room_bottom = deck_mod.CONTENT_BOTTOM * inch
    # The panels: shapes below the title band, wider than a quarter of the slide and over an inch tall.
    panels = [s for s in page.shapes if s.top >= room_top and s.width > SLIDE_W // 4 and s.height > inch]
    assert panels, f"no {what} panels found"
    top, bottom = min(s.top for s in panels), max(s.top + s.height for s in panels)
    above, below = top - room_top, room_bottom - bottom
    assert below > 0, f"the {what} must stay inside the content area"
    assert above / (above + below) == pytest.approx(0.4, abs=0.02)


def test_markup_lookalikes_appear_literally_in_slides_and_notes(tmp_path: Path, theme: Theme) -> None:
    tricky = "<b>bold</b> & {{ var }} ]]> <![CDATA[x]]> &amp;"
    sb = board(
        slide(1, "T", "title"),
        slide(2, tricky, "bullets", (Item(tricky, tricky),), narration=f"Say {tricky} aloud."),
        slide(3, "Quote", "quote", (Item(tricky),), narration=tricky),
    )
    prs = Presentation(str(build_deck(sb, theme, tmp_path / "deck.pptx").path))
    assert prs.slides[1].shapes.title.text_frame.text == tricky
    assert page_text(prs.slides[1]).count(tricky) == 3
    assert tricky in page_text(prs.slides[2])
    assert prs.slides[1].notes_slide.notes_text_frame.text == f"Say {tricky} aloud."


# ------------------------------------------------------------- measured fit


def test_far_too_much_text_still_fits_every_box_when_measured_with_the_font(tmp_path: Path, theme: Theme) -> None:
    many = tuple(Item(LONG[: 60 + 40 * i], LONG[:200]) for i in range(9))
    sb = board(
        slide(1, LONG[:300], "title"),
        slide(2, LONG[:400], "bullets", many),
        slide(3, "Cards", "cards", (Item(LONG[:200], LONG), Item("Short", "Short body"), Item(LONG[:90], LONG))),
        slide(4, "Columns", "comparison", (Item(LONG[:150], LONG), Item("B", LONG[:500]))),
        slide(5, "Quote", "quote", (Item(LONG),)),
        slide(6, "Visual", "placeholder", many, visual=LONG),
    )
    result = build_deck(replace(sb, title=LONG[:250], module=LONG[:300]), theme, tmp_path / "deck.pptx")
    assert measured_overflows(result.path, theme) == []
    assert {w.slide for w in result.warnings} >= {2, 3, 4, 5, 6}


def test_text_cut_short_ends_with_an_ellipsis_and_warns_naming_the_slide(tmp_path: Path, theme: Theme) -> None:
    sb = board(slide(1, "T", "title"), slide(2, "Too much", "bullets", (Item(LONG),)))
    result = build_deck(sb, theme, tmp_path / "deck.pptx")
    body = page_text(Presentation(str(result.path)).slides[1])
    assert "…" in body
    assert LONG not in body
    (warning,) = result.warnings
    assert warning.slide == 2 and "slide 2" in warning.message
    assert warning.source == Source("lesson.md", 12)


def test_text_that_fits_at_a_smaller_size_is_shrunk_not_cut(tmp_path: Path, theme: Theme) -> None:
    medium = tuple(Item(f"Point {i}: run an alignment-regression test before every deployment") for i in range(7))
    result = build_deck(
        board(slide(1, "T", "title"), slide(2, "Shrink", "bullets", medium)), theme, tmp_path / "d.pptx"
    )
    page = Presentation(str(result.path)).slides[1]
    body = next(s for s in page.shapes if s.has_text_frame and "Point 0" in s.text_frame.text)
    sizes = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}
    assert result.warnings == ()
    assert "…" not in body.text_frame.text
    assert theme.sizes.body_min <= min(sizes) < theme.sizes.body


def test_a_very_long_word_is_broken_across_lines(tmp_path: Path, theme: Theme) -> None:
    word = "Supercalifragilistic" * 8
    sb = board(slide(1, "T", "title"), slide(2, "Word", "cards", (Item(word, word), Item("B", "b"))))
    result = build_deck(sb, theme, tmp_path / "deck.pptx")
    assert measured_overflows(result.path, theme) == []
    body = page_text(Presentation(str(result.path)).slides[1])
    assert "\v" in body
    assert body.replace("\v", "").count(word) == 2
    assert result.warnings == ()


def test_body_text_is_never_smaller_than_the_theme_minimum(tmp_path: Path, theme: Theme) -> None:
    sb = board(slide(1, "T", "title"), slide(2, "Lots", "bullets", tuple(Item(LONG[:120]) for _ in range(12))))
    prs = Presentation(str(build_deck(sb, theme, tmp_path / "deck.pptx").path))
    footer_pt = theme.sizes.footer
    sizes = [r.font.size.pt for s in prs.slides[1].shapes if s.has_text_frame for p in s.text_frame.paragraphs
             for r in p.runs]  # fmt: skip
    assert min(s for s in sizes if s > footer_pt) >= theme.sizes.body_min


# ------------------------------------------------------------- caching and atomic writes


def test_unchanged_inputs_reuse_the_deck_and_its_warnings(tmp_path: Path, theme: Theme) -> None:
    sb = board(slide(1, "T", "title"), slide(2, "Too much", "bullets", (Item(LONG),)))
    first = build_deck(sb, theme, tmp_path / "deck.pptx")
    mtime = first.path.stat().st_mtime_ns
    second = build_deck(sb, theme, tmp_path / "deck.pptx")
    assert second.reused and not first.reused
    assert second.path.stat().st_mtime_ns == mtime
    assert second.warnings == first.warnings


def test_a_changed_storyboard_or_theme_changes_the_key_and_rebuilds(tmp_path: Path, theme: Theme) -> None:
    sb = every_layout()
    build_deck(sb, theme, tmp_path / "deck.pptx")
    recoloured = replace(theme, colours=replace(theme.colours, accent="00AA00"))
    renamed = replace(sb, title="Another title")
    assert len({deck_key(sb, theme), deck_key(sb, recoloured), deck_key(renamed, theme)}) == 3
    assert not build_deck(sb, recoloured, tmp_path / "deck.pptx").reused
    assert not build_deck(renamed, recoloured, tmp_path / "deck.pptx").reused
    # Planning warnings and the time budget do not reach the slides.
    assert deck_key(replace(sb, cap_s=999.0, warnings=()), theme) == deck_key(sb, theme)


def test_a_failed_save_leaves_the_last_good_deck_in_place(tmp_path: Path, theme: Theme, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "deck.pptx"
    build_deck(every_layout(), theme, out)
    before = out.read_bytes()

    def broken_save(self, file):  # type: ignore[no-untyped-def]
        file.write(b"half a deck")
        raise OSError("disk full")

    monkeypatch.setattr(Presentation().__class__, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        build_deck(replace(every_layout(), title="Changed"), theme, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".deck.pptx.key", "deck.pptx"]


# ------------------------------------------------------------- theme


def test_the_default_theme_names_calibri_and_measures_it_with_the_font_libreoffice_uses(theme: Theme) -> None:
    assert theme.body_font.name == "Calibri"
    fc_match = shutil.which("fc-match")
    assert fc_match, "fc-match (fontconfig) is needed to check LibreOffice's font substitution"
    rendered = subprocess.run([fc_match, "-f", "%{file}", "Calibri"], capture_output=True, text=True, check=True)
    assert Path(rendered.stdout).resolve() == theme.body_font.regular.resolve()


def test_a_theme_with_bad_values_is_rejected_naming_the_file_and_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "theme.yaml"
    bad.write_text(
        "colours:\n  accent: orange\nsizes:\n  body: -3\n  body_min: 20\nfonts:\n  body: No Such Font\n"
        "logo: missing.png\nextra: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_theme(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}: ")
    for part in ("colours.accent", "sizes.body", "No Such Font", "missing.png", "'extra'"):
        assert part in message


def test_a_theme_that_is_not_yaml_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "theme.yaml"
    bad.write_text("colours:\n  accent: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_theme(bad)
    assert caught.value.path == str(bad) and caught.value.line


def test_a_theme_logo_appears_on_every_slide(tmp_path: Path, theme: Theme) -> None:
    from PIL import Image

    Image.new("RGB", (200, 100), "#E8833A").save(tmp_path / "logo.png")
    text = DEFAULT_THEME.read_text(encoding="utf-8") + "\nlogo: logo.png\n"
    (tmp_path / "theme.yaml").write_text(text, encoding="utf-8")
    with_logo = load_theme(tmp_path / "theme.yaml")
    assert with_logo.logo == (tmp_path / "logo.png").resolve()
    prs = Presentation(str(build_deck(every_layout(), with_logo, tmp_path / "deck.pptx").path))
    for page in prs.slides:
        assert any(el.tag == qn("p:pic") for el in page.shapes._spTree)
