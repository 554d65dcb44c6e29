"""Measurements the tests make on decks and rendered frames, independent of the deck code: text
re-measured with the fonts, ink found in a band of a frame."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from pipeline.theme import Theme

PX_PER_INCH = 1080 / 7.5


def ink_rows(frame: Path, top_in: float, bottom_in: float, left_in: float, right_in: float) -> list[int]:
    """Pixel rows in the band that hold anything other than the white slide background."""
    with Image.open(frame) as img:
        band = img.convert("L").crop(
            (round(left_in * PX_PER_INCH), round(top_in * PX_PER_INCH),
             round(right_in * PX_PER_INCH), round(bottom_in * PX_PER_INCH))
        )  # fmt: skip
        width = band.width
        data = band.tobytes()
    rows = [data[i : i + width] for i in range(0, len(data), width)]
    return [i for i, row in enumerate(rows) if min(row) < 235]


def every_shape(shapes: Any) -> Iterator[Any]:
    """Every shape of a slide in shape-tree order, a group followed by its members: a diagram or a
    chart drawn from many shapes is one group shape (with its description)."""
    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from every_shape(shape.shapes)


def measured_overflows(path: Path, theme: Theme) -> list[str]:
    """Every text frame re-measured with its own font, independently of the layout code: greedy
    wrap at the full box width (the builder keeps a safety margin; this does not), line breaks
    honoured, heights from the exact line spacing. Returns a description of each frame whose text
    is taller than its box, or has a word wider than its box."""
    faces = {f.name: f for f in (theme.body_font, theme.heading_font, theme.code_font)}
    problems = []
    for n, page in enumerate(Presentation(str(path)).slides, start=1):
        for shape in every_shape(page.shapes):
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            tf = shape.text_frame
            room_h = (shape.height - tf.margin_top - tf.margin_bottom) / 12700
            used = 0.0
            for i, para in enumerate(tf.paragraphs):
                run = para.runs[0]
                face = faces[run.font.name]
                font = ImageFont.truetype(str(face.file(bold=bool(run.font.bold), italic=bool(run.font.italic))), 1000)
                size = run.font.size.pt
                indent = int(para._p.pPr.get("marL", "0")) / 12700 if para._p.pPr is not None else 0
                room_w = (shape.width - tf.margin_left - tf.margin_right) / 12700 - indent
                lines = 0
                for segment in para.text.split("\v"):
                    line = ""
                    for word in segment.split():
                        if font.getlength(word) * size / 1000 > room_w:
                            problems.append(f"slide {n}: word {word[:20]!r} wider than its box")
                        candidate = f"{line} {word}".strip()
                        if line and font.getlength(candidate) * size / 1000 > room_w:
                            lines += 1
                            line = word
                        else:
                            line = candidate
                    lines += 1
                used += lines * para.line_spacing.pt + (para.space_before.pt if i else 0)
            if used > room_h + 0.5:
                problems.append(f"slide {n}: {shape.name} needs {used:.0f}pt, has {room_h:.0f}pt")
    return problems
