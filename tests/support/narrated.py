"""Helpers for the narrated deck's tests: a small light deck, tones for narration, and readers of
what PowerPoint's timing XML and LibreOffice's OpenDocument say about it."""

from __future__ import annotations

import math
import os
import re
import shutil
import struct
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from pipeline import tools

SAMPLE_RATE = 48_000
SOFFICE_TIMEOUT_S = 180

_ODF = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "anim": "urn:oasis:names:tc:opendocument:xmlns:animation:1.0",
    "smil": "urn:oasis:names:tc:opendocument:xmlns:smil-compatible:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


@dataclass(frozen=True, slots=True)
class LightSlide:
    """What the test deck put on one slide: its text boxes' ids, its table's id and row regions."""

    text_ids: tuple[int, ...]
    table_id: int | None = None
    rows: tuple[tuple[int, int, int, int], ...] = ()  # (left, top, width, height) of each table row


def light_deck(path: Path) -> tuple[LightSlide, ...]:
    """A 16:9 deck of 3 slides with notes: two text boxes each, and a 3-row table on the second."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    made = []
    for number in range(1, 4):
        page = prs.slides.add_slide(prs.slide_layouts[6])  # blank
        boxes = []
        for i, text in enumerate((f"Slide {number}", "A point made aloud", "Another point")):
            box = page.shapes.add_textbox(Inches(1), Inches(0.8 + 1.2 * i), Inches(8), Inches(0.8))
            box.text_frame.text = text
            boxes.append(box.shape_id)
        page.notes_slide.notes_text_frame.text = f"Notes of slide {number}."
        if number != 2:
            made.append(LightSlide(tuple(boxes)))
            continue
        left, top, width = Inches(1), Inches(4.5), Inches(8)
        frame = page.shapes.add_table(3, 2, left, top, width, Inches(1.8))
        rows, y = [], top
        for r, row in enumerate(frame.table.rows):
            for c in range(2):
                frame.table.cell(r, c).text = f"r{r}c{c}"
            rows.append((left, y, width, row.height))
            y += row.height
        made.append(LightSlide(tuple(boxes), frame.shape_id, tuple(rows)))
    prs.save(str(path))
    return tuple(made)


def tone_wav(path: Path, seconds: float, *, hz: float = 440.0) -> Path:
    """A mono 16-bit WAV at 48 kHz of a quiet sine tone, ``seconds`` long."""
    frames = round(seconds * SAMPLE_RATE)
    samples = (round(6000 * math.sin(2 * math.pi * hz * i / SAMPLE_RATE)) for i in range(frames))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


# --- PowerPoint's timing XML ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimedEffect:
    """An effect of a slide's main sequence as its XML says: class, target, delay and trigger."""

    preset_class: str  # entr | exit | mediacall
    shape_id: int
    delay_ms: int
    node_type: str  # withEffect | afterEffect | clickEffect
    group_starts_with_slide: bool  # its click group begins on the main sequence's onBegin, no click


def slide_effects(slide_element: etree._Element) -> list[TimedEffect]:
    """Every effect (``p:cTn`` with a ``presetClass``) in a slide's ``p:timing``."""
    effects = []
    for node in slide_element.iter(qn("p:cTn")):
        if node.get("presetClass") is None:
            continue
        target = next(node.iter(qn("p:spTgt")))
        delay = node.find(f"{qn('p:stCondLst')}/{qn('p:cond')}")
        group = node.getparent().getparent().getparent().getparent()  # par/childTnLst/cTn(step)/par
        group_ctn = group.getparent().getparent()
        starts = [c.get("evt") for c in group_ctn.iterfind(f"{qn('p:stCondLst')}/{qn('p:cond')}")]
        effects.append(
            TimedEffect(
                node.get("presetClass", ""),
                int(target.get("spid", "0")),
                int(delay.get("delay", "0")) if delay is not None else 0,
                node.get("nodeType", ""),
                "onBegin" in starts,
            )
        )
    return effects


# --- LibreOffice ------------------------------------------------------------------------------


def to_odp(deck: Path, work: Path) -> Path:
    """``deck`` converted by LibreOffice (a private profile) to OpenDocument; the .odp's path."""
    work = work.resolve()
    source = work / "deck.pptx"
    shutil.copyfile(deck, source)
    env = dict(os.environ, HOME=str(work))
    tools.run(
        tools.SOFFICE,
        [f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "odp", "--outdir", work / "odp", source],
        timeout=SOFFICE_TIMEOUT_S,
        cwd=work,
        env=env,
        what="converting the narrated deck to OpenDocument",
    )  # fmt: skip
    odp = work / "odp" / "deck.odp"
    assert odp.is_file(), "LibreOffice wrote no .odp"
    return odp


@dataclass(frozen=True, slots=True)
class OdpPage:
    """What LibreOffice kept of one slide: advance, media files and timed effects."""

    transition_type: str  # "automatic" when the page advances by itself
    duration_s: float | None  # presentation:duration of the page's style
    media: tuple[str, ...]  # xlink:href of each embedded media object
    effects: tuple[tuple[str, str, float, str], ...]  # (preset class, node type, begin s, target draw:id)
    anim_audio: int  # anim:audio nodes
    play_commands: tuple[str, ...]  # targets of anim:command "play"


def odp_pages(odp: Path) -> tuple[list[OdpPage], set[str]]:
    """The pages of ``odp`` as :class:`OdpPage`, and the names of the files in its package."""
    with zipfile.ZipFile(odp) as package:
        names = set(package.namelist())
        content = etree.fromstring(package.read("content.xml"))
    styles = {
        s.get(f"{{{_ODF['style']}}}name"): s.find("style:drawing-page-properties", _ODF)
        for s in content.iterfind(".//style:style[@style:family='drawing-page']", _ODF)
    }
    pages = []
    for page in content.iterfind(".//draw:page", _ODF):
        props = styles.get(page.get(f"{{{_ODF['draw']}}}style-name"))

        def prop(name: str, props: etree._Element | None = props) -> str:
            return "" if props is None else props.get(f"{{{_ODF['presentation']}}}{name}", "")

        effects = []
        for par in page.iterfind(".//anim:par[@presentation:preset-class]", _ODF):
            target = next((e.get(f"{{{_ODF['smil']}}}targetElement") for e in par.iter() if e is not par), "")
            effects.append(
                (
                    par.get(f"{{{_ODF['presentation']}}}preset-class", ""),
                    par.get(f"{{{_ODF['presentation']}}}node-type", ""),
                    _seconds(par.get(f"{{{_ODF['smil']}}}begin", "0s")),
                    target or "",
                )
            )
        pages.append(
            OdpPage(
                transition_type=prop("transition-type"),
                duration_s=_iso_seconds(prop("duration")) if prop("duration") else None,
                media=tuple(p.get(f"{{{_ODF['xlink']}}}href", "") for p in page.iterfind(".//draw:plugin", _ODF)),
                effects=tuple(effects),
                anim_audio=len(page.findall(".//anim:audio", _ODF)),
                play_commands=tuple(
                    c.get(f"{{{_ODF['smil']}}}targetElement", "")
                    for c in page.iterfind(".//anim:command[@anim:command='play']", _ODF)
                ),
            )
        )
    return pages, names


def odp_shape_names(odp: Path) -> dict[str, str]:
    """draw:id -> draw:name of every shape in ``odp`` (LibreOffice keeps PowerPoint's shape names)."""
    with zipfile.ZipFile(odp) as package:
        content = etree.fromstring(package.read("content.xml"))
    ids = {}
    for element in content.iter():
        shape_id = element.get(f"{{{_ODF['draw']}}}id")
        if shape_id:
            ids[shape_id] = element.get(f"{{{_ODF['draw']}}}name", "")
    return ids


def _seconds(smil: str) -> float:
    """A SMIL clock value LibreOffice writes (``0.5s``) in seconds."""
    assert smil.endswith("s"), smil
    return float(smil[:-1])


def _iso_seconds(duration: str) -> float:
    """An ISO 8601 duration (``PT2S``, ``PT00H00M02.5S``) in seconds."""
    found = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration)
    assert found, duration
    hours, minutes, seconds = (float(g) if g else 0.0 for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds
