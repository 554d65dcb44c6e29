"""The self-playing narrated deck: reopened with python-pptx, checked by the Open XML validator,
its timing XML read back, its sound probed with ffprobe, and converted by LibreOffice to see
what another presentation program keeps of it."""

from __future__ import annotations

import hashlib
import math
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pptx.oxml.ns import qn
from support.narrated import LightSlide, light_deck, odp_pages, odp_shape_names, slide_effects, to_odp, tone_wav
from support.validators import deck_problems

from pipeline.deck.narrated import NarratedSlide, Reveal, write_narrated_deck
from pipeline.errors import PipelineError
from pipeline.media.ffmpeg import probe

# Slide 2's 3.5 s is not whole seconds on purpose: LibreOffice 7.4 keeps whole seconds of an advance only.
DURATIONS_S = (2.0, 3.5, 2.5)
AUDIO_TOLERANCE_S = 0.05  # AAC frames are 21 ms; the encoder pads the last one


def encode_m4a(wav: Path, m4a: Path) -> None:
    """The WAV as AAC-LC in an .m4a, as the build's narration is."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav), "-c:a", "aac", "-b:a", "96k", "-ar", "48000",
         "-f", "ipod", str(m4a)],
        check=True, capture_output=True,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Narrated:
    light: Path
    light_digest: str
    out: Path
    layout: tuple[LightSlide, ...]
    slides: tuple[NarratedSlide, ...]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reveals(slide: LightSlide) -> tuple[Reveal, ...]:
    """The title at once, each point later; on the table slide the table and its header row at
    1.5 s and each further row, under a cover, after it."""
    title, first, second = slide.text_ids
    reveals = [Reveal(0.0, (title,)), Reveal(0.6, (first,)), Reveal(1.2, (second,))]
    if slide.table_id is not None:
        _, second_row, third_row = slide.rows
        reveals += [Reveal(1.5, (slide.table_id,)), Reveal(2.2, covers=(second_row,)), Reveal(2.9, covers=(third_row,))]
    return tuple(reveals)


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Narrated:
    work = tmp_path_factory.mktemp("narrated")
    light = work / "deck.pptx"
    layout = light_deck(light)
    slides = []
    for number, (slide, seconds) in enumerate(zip(layout, DURATIONS_S, strict=True), start=1):
        wav = tone_wav(work / f"slide{number}.wav", seconds, hz=300 + 100 * number)
        m4a = work / f"slide{number}.m4a"
        encode_m4a(wav, m4a)
        slides.append(NarratedSlide(m4a, seconds, _reveals(slide)))
    digest = _digest(light)
    out = work / "deck-narrated.pptx"
    write_narrated_deck(light, slides, out, background="FFFFFF")
    return Narrated(light, digest, out, layout, tuple(slides))


@pytest.fixture(scope="module")
def odp(narrated: Narrated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The narrated deck as LibreOffice reads it, converted once for the module."""
    return to_odp(narrated.out, tmp_path_factory.mktemp("libreoffice"))


def test_the_narrated_deck_reopens_with_its_notes_a_sound_per_slide_and_the_advance_time(narrated: Narrated) -> None:
    prs = Presentation(str(narrated.out))
    assert len(prs.slides) == 3
    for number, (page, slide) in enumerate(zip(prs.slides, narrated.slides, strict=True), start=1):
        assert page.notes_slide.notes_text_frame.text == f"Notes of slide {number}."
        sld = page._element
        sounds = sld.findall(f".//{qn('p:pic')}/{qn('p:nvPicPr')}/{qn('p:nvPr')}/{qn('a:audioFile')}")
        assert len(sounds) == 1
        pic = sounds[0].getparent().getparent().getparent()
        media = pic.find(f".//{qn('p:ext')}/{{http://schemas.microsoft.com/office/powerpoint/2010/main}}media")
        assert media is not None
        # Both relationships lead to the one .m4a part, declared audio/mp4.
        linked = page.part.rels[sounds[0].get(qn("r:link"))].target_part
        embedded = page.part.rels[media.get(qn("r:embed"))].target_part
        assert linked is embedded
        assert (linked.partname.ext, linked.content_type) == ("m4a", "audio/mp4")
        # The icon sits beyond the slide's right edge, where it is never seen.
        assert int(pic.find(f".//{qn('a:off')}").get("x")) >= prs.slide_width
        transition = sld.find(qn("p:transition"))
        assert transition is not None and transition.get("advTm") == str(math.ceil(slide.duration_s) * 1000)
        assert [child.tag for child in sld] == [qn("p:cSld"), qn("p:clrMapOvr"), qn("p:transition"), qn("p:timing")]


def test_the_narrated_deck_passes_the_open_xml_validator(narrated: Narrated) -> None:
    assert deck_problems(narrated.out) == []


def test_the_light_deck_is_left_as_it_was(narrated: Narrated) -> None:
    assert _digest(narrated.light) == narrated.light_digest
    with zipfile.ZipFile(narrated.light) as package:
        assert not any(name.startswith("ppt/media/") for name in package.namelist())


def test_the_sound_plays_with_the_slide_and_each_reveal_enters_at_its_time(narrated: Narrated) -> None:
    prs = Presentation(str(narrated.out))
    for page, slide in zip(prs.slides, narrated.slides, strict=True):
        sld = page._element
        effects = slide_effects(sld)
        names = {shape.shape_id: shape.name for shape in page.shapes}
        sound_id = next(shape_id for shape_id, name in names.items() if name == "Narration")
        # Nothing waits for a click: every effect is in the group that starts with the slide.
        assert effects and all(e.group_starts_with_slide and e.node_type != "clickEffect" for e in effects)
        plays = [e for e in effects if e.preset_class == "mediacall"]
        assert [(e.shape_id, e.delay_ms) for e in plays] == [(sound_id, 0)]
        node = sld.find(f".//{qn('p:audio')}/{qn('p:cMediaNode')}")
        assert node is not None and node.get("showWhenStopped") == "0"
        assert node.find(f"{qn('p:tgtEl')}/{qn('p:spTgt')}").get("spid") == str(sound_id)

        entrances = sorted((e.shape_id, e.delay_ms) for e in effects if e.preset_class == "entr")
        expected = sorted((i, round(r.at_s * 1000)) for r in slide.reveals for i in r.shape_ids)
        assert entrances == expected
        exits = sorted((names[e.shape_id], e.delay_ms) for e in effects if e.preset_class == "exit")
        expected_exits = sorted(("Reveal cover", round(r.at_s * 1000)) for r in slide.reveals for _ in r.covers)
        assert exits == expected_exits
        builds = {b.get("spid") for b in sld.find(f"{qn('p:timing')}/{qn('p:bldLst')}")}
        assert builds == {str(e.shape_id) for e in effects if e.preset_class != "mediacall"}


def test_the_covers_lie_over_the_table_rows_in_the_background_colour(narrated: Narrated) -> None:
    page = Presentation(str(narrated.out)).slides[1]
    covers = [shape for shape in page.shapes if shape.name == "Reveal cover"]
    rows = narrated.layout[1].rows[1:]
    assert [(c.left, c.top, c.width, c.height) for c in covers] == list(rows)
    for cover in covers:
        assert str(cover.fill.fore_color.rgb) == "FFFFFF"
        assert cover.line.fill.type == MSO_FILL.BACKGROUND  # no outline
    # Above the table in the drawing order, so they hide its rows.
    order = [shape.shape_id for shape in page.shapes]
    table_at = order.index(narrated.layout[1].table_id)
    assert all(order.index(c.shape_id) > table_at for c in covers)


def test_the_embedded_sound_is_aac_at_48_khz_as_long_as_the_slide(narrated: Narrated, tmp_path: Path) -> None:
    prs = Presentation(str(narrated.out))
    for number, (page, slide) in enumerate(zip(prs.slides, narrated.slides, strict=True), start=1):
        link = page._element.find(f".//{qn('a:audioFile')}").get(qn("r:link"))
        extracted = tmp_path / f"slide{number}.m4a"
        extracted.write_bytes(page.part.rels[link].target_part.blob)
        info = probe(extracted)
        (stream,) = info["streams"]
        assert (stream["codec_name"], stream["profile"], stream["sample_rate"], stream["channels"]) == (
            "aac",
            "LC",
            "48000",
            1,
        )
        assert math.isclose(float(info["format"]["duration"]), slide.duration_s, abs_tol=AUDIO_TOLERANCE_S)


def test_libreoffice_keeps_the_advance_the_sound_and_the_timed_effects(narrated: Narrated, odp: Path) -> None:
    pages, files = odp_pages(odp)
    names = odp_shape_names(odp)
    prs = Presentation(str(narrated.out))
    assert len(pages) == 3
    for page, slide, pptx_page in zip(pages, narrated.slides, prs.slides, strict=True):
        pptx_names = {shape.shape_id: shape.name for shape in pptx_page.shapes}
        assert page.transition_type == "automatic"
        # The advance survives as written: whole seconds, rounded up so no narration is cut short.
        assert page.duration_s == math.ceil(slide.duration_s) >= slide.duration_s
        # The sound: one embedded media object whose file is in the package, played at the start.
        assert len(page.media) == 1 and page.media[0] in files
        assert [names[target] for target in page.play_commands] == ["Narration"]
        media_calls = [e for e in page.effects if e[0] == "media-call"]
        assert [(e[2], names[e[3]]) for e in media_calls] == [(0.0, "Narration")]
        entrances = sorted((names[e[3]], e[2]) for e in page.effects if e[0] == "entrance")
        assert entrances == sorted((pptx_names[i], r.at_s) for r in slide.reveals for i in r.shape_ids)
        exits = sorted((names[e[3]], e[2]) for e in page.effects if e[0] == "exit")
        assert exits == sorted(("Reveal cover", r.at_s) for r in slide.reveals for _ in r.covers)
        assert all(e[1] in ("with-previous", "after-previous") for e in page.effects)


def test_a_reveal_of_a_shape_not_on_the_slide_is_an_error(narrated: Narrated, tmp_path: Path) -> None:
    slides = list(narrated.slides)
    slides[2] = NarratedSlide(slides[2].audio, slides[2].duration_s, (Reveal(1.0, (999,)),))
    out = tmp_path / "deck-narrated.pptx"
    with pytest.raises(PipelineError, match=r"slide 3: the reveal at 1.0 s names shape id 999, which is not a shape"):
        write_narrated_deck(narrated.light, slides, out, background="FFFFFF")
    assert not out.exists()
