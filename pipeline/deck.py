"""Storyboard -> ``deck.pptx``: one 16:9 slide per storyboard entry, in the layout it names.

Text never leaves its box. Every block is measured with the real font metrics (the file the
theme resolved, which is what LibreOffice renders with), wrapped into the box width, shrunk a
step at a time down to the theme's minimum, and only then truncated with an ellipsis and a
warning naming the slide. Sizes and line spacing are written explicitly; PowerPoint's autofit is
never relied on because LibreOffice does not honour it reliably, and the video is rendered by
LibreOffice.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import math
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from . import cache
from .errors import ConfigError
from .model import Slide, Source, Storyboard, Warning
from .theme import FontFace, Theme

log = logging.getLogger(__name__)

CODE_VERSION = "deck-2"
"""Bumped whenever a change here alters the deck, so cached decks are rebuilt."""

EMU_PER_INCH = 914400
EMU_PER_PT = 12700
SLIDE_W = 12192000  # 13.333 in: PowerPoint's own 16:9 size
SLIDE_H = 6858000  # 7.5 in

# Content area, in inches from the top. The gap between CONTENT_BOTTOM and FOOTER_RULE stays
# empty on every content slide, which the tests check on rendered frames.
CONTENT_GAP = 0.42
CONTENT_BOTTOM = 6.6
FOOTER_RULE = 6.88
FOOTER_TOP = 6.94
FOOTER_H = 0.42

INSET_X_PT = 5.0  # text-frame insets, set explicitly so measuring and rendering agree
INSET_Y_PT = 3.0
WIDTH_SAFETY = 0.96  # renderers differ slightly in kerning and hinting; keep 4% in hand
TITLE_LAYOUT = 5  # "Title Only" in python-pptx's default template: a real title placeholder
ELLIPSIS = "…"
# The reproducible-builds convention for "when this was made", in seconds since 1970.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
ZIP_EARLIEST = datetime(1980, 1, 1)  # a zip entry cannot be dated before 1980
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class DeckResult:
    """A built deck: where it is, what did not fit, and whether a cached copy was reused."""

    path: Path
    warnings: tuple[Warning, ...]
    key: str
    reused: bool = False


# ---------------------------------------------------------------- measuring and fitting


@dataclass(frozen=True, slots=True)
class Role:
    """How one kind of paragraph looks: font, start and minimum size, colour, bullet."""

    face: FontFace
    size: float
    min_size: float
    colour: str
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0
    """Space above the paragraph, as a multiple of its size (not applied to a box's first)."""
    bullet: bool = False
    indent_pt: float = 0.0
    """Left margin of every line; bullets hang in it."""
    bullet_colour: str = ""
    align: PP_ALIGN = PP_ALIGN.LEFT


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph to place: its text and its role."""

    text: str
    role: Role


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line; ``forced`` when it ends inside an over-long word (a line break is written)."""

    text: str
    forced: bool = False


@dataclass(frozen=True, slots=True)
class Laid:
    """A paragraph laid out at a size."""

    role: Role
    size: float
    lines: tuple[Line, ...]
    space_before_pt: float
    line_pt: float

    @property
    def height(self) -> float:
        return self.space_before_pt + len(self.lines) * self.line_pt


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the slide, in EMU, and the paragraphs to fit into it."""

    left: int
    top: int
    width: int
    height: int
    paras: tuple[Para, ...]
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP


@dataclass(frozen=True, slots=True)
class Fitted:
    box: Box
    laid: tuple[Laid, ...]
    truncated: bool


@functools.cache
def _font(path: Path) -> ImageFont.FreeTypeFont:
    # Measured at a 1000-unit em and scaled: one font object per file, precise to 1/1000 em.
    return ImageFont.truetype(str(path), 1000)


def text_width(text: str, face: FontFace, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` in points at ``size`` points, from the font file's metrics."""
    if not text:
        return 0.0
    return _font(face.file(bold=bold, italic=italic)).getlength(text) * size / 1000


def wrap(text: str, width_pt: float, role: Role, size: float) -> list[Line]:
    """Greedy word wrap into ``width_pt``, as renderers do; words wider than a line are broken."""

    def fits(candidate: str) -> bool:
        return text_width(candidate, role.face, size, bold=role.bold, italic=role.italic) <= width_pt

    lines: list[Line] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(Line(current))
            current = ""
        while not fits(word):
            # The longest prefix that fits (at least one character, so this always ends).
            cut = max(1, _longest_prefix(word, fits))
            lines.append(Line(word[:cut], forced=True))
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(Line(current))
    return lines


def _longest_prefix(word: str, fits: Any) -> int:
    lo, hi = 0, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(word[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _inner(box: Box, role: Role) -> float:
    return (box.width / EMU_PER_PT - 2 * INSET_X_PT - role.indent_pt) * WIDTH_SAFETY


def _lay(box: Box, size_of: dict[Role, float], line_spacing: float) -> tuple[Laid, ...]:
    laid: list[Laid] = []
    for i, para in enumerate(box.paras):
        size = size_of[para.role]
        lines = wrap(para.text, _inner(box, para.role), para.role, size)
        before = para.role.space_before * size if i else 0.0
        laid.append(Laid(para.role, size, tuple(lines), before, size * line_spacing))
    return tuple(laid)


def _room(box: Box) -> float:
    return box.height / EMU_PER_PT - 2 * INSET_Y_PT


def fit_boxes(boxes: Sequence[Box], theme: Theme) -> list[Fitted]:
    """Lay out a group of boxes at one shared scale (so sibling cards match), shrinking to fit.

    Every role shrinks by ``sizes.step`` points per step until all boxes fit or every role is at
    its minimum; boxes that still overflow are truncated with an ellipsis (``truncated=True``).
    """
    step = theme.sizes.step
    spacing = theme.sizes.line_spacing
    roles = {p.role for b in boxes for p in b.paras}
    steps = max((math.ceil((r.size - r.min_size) / step) for r in roles), default=0)
    for k in range(steps + 1):
        size_of = {r: max(r.min_size, r.size - k * step) for r in roles}
        laid = [_lay(b, size_of, spacing) for b in boxes]
        if all(sum(p.height for p in lay) <= _room(b) + 1e-6 for b, lay in zip(boxes, laid, strict=True)):
            return [Fitted(b, lay, False) for b, lay in zip(boxes, laid, strict=True)]
    size_of = {r: r.min_size for r in roles}
    out: list[Fitted] = []
    for b in boxes:
        lay = _lay(b, size_of, spacing)
        if sum(p.height for p in lay) <= _room(b) + 1e-6:
            out.append(Fitted(b, lay, False))
        else:
            out.append(Fitted(b, _truncate(b, lay), True))
    return out


def _truncate(box: Box, laid: tuple[Laid, ...]) -> tuple[Laid, ...]:
    room = _room(box)
    kept: list[Laid] = []
    for para in laid:
        available = math.floor((room - para.space_before_pt) / para.line_pt + 1e-6)
        if available >= len(para.lines):
            kept.append(para)
            room -= para.height
            continue
        if available >= 1:
            kept.append(_with_ellipsis(box, para, para.lines[:available]))
        elif kept:
            kept[-1] = _with_ellipsis(box, kept[-1], kept[-1].lines)
        else:
            # Not even one line fits: the box is smaller than a line (a layout bug, not content).
            kept.append(_with_ellipsis(box, para, para.lines[:1]))
        break
    return tuple(kept)


def _with_ellipsis(box: Box, para: Laid, lines: Sequence[Line]) -> Laid:
    role, size = para.role, para.size
    width = _inner(box, role)
    text = lines[-1].text.rstrip()
    while text and text_width(text + ELLIPSIS, role.face, size, bold=role.bold, italic=role.italic) > width:
        text = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
    text = text.rstrip(" ,;:.—–-") + ELLIPSIS
    return Laid(role, size, (*lines[:-1], Line(text)), para.space_before_pt, para.line_pt)


# ---------------------------------------------------------------- writing shapes


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def _in(inches: float) -> int:
    return round(inches * EMU_PER_INCH)


def clean(text: str) -> str:
    """On-slide text: XML-safe, whitespace collapsed to single spaces."""
    return " ".join(_INVALID_XML.sub("", text).split())


def clean_notes(text: str) -> str:
    """Speaker notes: XML-safe, line breaks kept."""
    return _INVALID_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _rect(slide: PptxSlide, left: int, top: int, width: int, height: int, fill: str, *, shape: Any = None) -> Any:
    sp = slide.shapes.add_shape(shape or MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    sp.fill.solid()
    sp.fill.fore_color.rgb = _rgb(fill)
    sp.line.fill.background()
    # Drop the theme style reference: LibreOffice draws its shadow even under an empty effect list.
    style = sp._element.find(qn("p:style"))
    if style is not None:
        sp._element.remove(style)
    return sp


def _write(frame: Any, fitted: Fitted) -> None:
    """Write laid-out paragraphs into a text frame with explicit sizes, spacing and wrapping."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = fitted.box.anchor
    frame.margin_left = frame.margin_right = Pt(INSET_X_PT)
    frame.margin_top = frame.margin_bottom = Pt(INSET_Y_PT)
    for i, laid in enumerate(fitted.laid):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        role = laid.role
        para.alignment = role.align
        para.line_spacing = Pt(laid.line_pt)
        para.space_before = Pt(laid.space_before_pt)
        para.space_after = Pt(0)
        segments: list[str] = []
        current = ""
        for line in laid.lines:
            current += line.text
            if line.forced:
                segments.append(current)
                current = ""
            else:
                current += " "
        segments.append(current.rstrip())
        for j, segment in enumerate(segments):
            if j:
                para.add_line_break()
            run = para.add_run()
            run.text = segment
            font = run.font
            font.name = role.face.name
            font.size = Pt(laid.size)
            font.bold = role.bold
            font.italic = role.italic
            font.color.rgb = _rgb(role.colour)
        ppr = para._p.get_or_add_pPr()
        if role.indent_pt:
            ppr.set("marL", str(round(role.indent_pt * EMU_PER_PT)))
            ppr.set("indent", str(-round(role.indent_pt * EMU_PER_PT)) if role.bullet else "0")
        if role.bullet:
            colour = etree.SubElement(ppr, qn("a:buClr"))
            etree.SubElement(colour, qn("a:srgbClr")).set("val", role.bullet_colour or role.colour)
            etree.SubElement(ppr, qn("a:buSzPct")).set("val", "100000")
            etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
            etree.SubElement(ppr, qn("a:buChar")).set("char", "•")
        else:
            etree.SubElement(ppr, qn("a:buNone"))


def _place(slide: PptxSlide, fitted: Fitted, *, shape: Any = None) -> Any:
    box = fitted.box
    if shape is None:
        shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    else:
        shape.left, shape.top, shape.width, shape.height = Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
        # A placeholder sits where the layout put it in z-order, under shapes drawn since (the
        # title band); move it to the front.
        element = shape._element
        parent = element.getparent()
        parent.remove(element)
        parent.append(element)
    _write(shape.text_frame, fitted)
    return shape


class _Roles:
    """The paragraph roles of a theme."""

    def __init__(self, theme: Theme):
        s, c = theme.sizes, theme.colours
        head, body = theme.heading_font, theme.body_font
        self.title = Role(head, s.title, s.title_min, c.band_text, bold=True)
        self.cover_title = Role(head, s.cover_title, s.cover_title_min, c.band_text, bold=True)
        self.cover_code = Role(head, s.cover_code, s.cover_code, c.accent, bold=True)
        self.cover_module = Role(body, s.cover_module, s.detail_min, c.band_muted)
        self.tag = Role(body, s.tag, s.tag, c.band_text)
        indent = s.body * 1.1
        self.bullet = Role(body, s.body, s.body_min, c.text, space_before=0.7, bullet=True, indent_pt=indent,
                           bullet_colour=c.accent)  # fmt: skip
        self.detail = Role(body, s.detail, s.detail_min, c.muted, space_before=0.15, indent_pt=indent)
        self.card_heading = Role(head, s.card_heading, s.card_heading_min, c.text, bold=True)
        self.card_body = Role(body, s.card_body, s.card_body_min, c.text, space_before=0.6)
        self.quote = Role(head, s.quote, s.quote_min, c.text, italic=True)
        self.attribution = Role(body, s.detail, s.detail_min, c.muted, space_before=0.8)
        self.label = Role(body, s.detail_min, s.detail_min, c.draft, bold=True)
        self.direction = Role(body, s.body, s.body_min, c.text, italic=True, align=PP_ALIGN.CENTER)
        self.draft_note = Role(body, s.detail_min, s.detail_min, c.muted, align=PP_ALIGN.CENTER)
        self.footer = Role(body, s.footer, s.footer, c.muted)
        self.number = Role(body, s.footer, s.footer, c.muted, bold=True, align=PP_ALIGN.RIGHT)
        self.side_heading = Role(head, s.detail_min, s.detail_min, c.accent, bold=True)


# ---------------------------------------------------------------- building


@dataclass(slots=True)
class _Context:
    theme: Theme
    roles: _Roles
    storyboard: Storyboard
    warnings: list[Warning] = field(default_factory=list)

    def fit(self, slide: Slide, boxes: Sequence[Box], what: str) -> list[Fitted]:
        fitted = fit_boxes(boxes, self.theme)
        if any(f.truncated for f in fitted):
            self.warn(slide, f"{what} is too long to fit even at the minimum size; it was cut short with '…'")
        return fitted

    def warn(self, slide: Slide, message: str) -> None:
        self.warnings.append(Warning(f"slide {slide.n}: {message}", slide.source, slide.n))


def deck_key(storyboard: Storyboard, theme: Theme) -> str:
    """Cache key of the deck: every storyboard field that reaches a slide, the theme, the code version."""
    board = asdict(storyboard)
    # Planning warnings and the time budget never reach a slide.
    for name in ("warnings", "target_s", "cap_s", "declared_words"):
        board.pop(name, None)
    look = asdict(theme)
    look.pop("path", None)
    logo = cache.file_digest(theme.logo) if theme.logo and theme.logo.is_file() else None
    return cache.digest(CODE_VERSION, board, look, logo)


def stamp_path(out: Path) -> Path:
    """The file beside ``out`` recording the key (and warnings) of the deck written there."""
    return out.with_name(f".{out.name}.key")


def build_deck(storyboard: Storyboard, theme: Theme, out: Path, *, force: bool = False) -> DeckResult:
    """Write ``out`` (a .pptx) for ``storyboard`` in ``theme`` and return its fit warnings.

    Skips the work when ``out`` exists and its stamp matches :func:`deck_key` (unless ``force``).
    The deck is written to a temporary name and renamed into place, so a failure never leaves a
    half-written deck and never destroys the last good one.
    """
    key = deck_key(storyboard, theme)
    stamp = stamp_path(out)
    cached = _read_stamp(stamp, key, storyboard) if out.is_file() and not force else None
    if cached is not None:
        log.info("deck unchanged, reusing %s", out)
        return DeckResult(out, cached, key, reused=True)

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    ctx = _Context(theme, _Roles(theme), storyboard)
    total = len(storyboard.slides)
    for slide in storyboard.slides:
        page = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
        if slide.layout == "title":
            _cover(ctx, page, slide)
        else:
            _chrome(ctx, page, slide, total)
            _BODIES.get(slide.layout, _bullets)(ctx, page, slide)
        page.notes_slide.notes_text_frame.text = clean_notes(slide.speaker_notes)

    made = deck_date(storyboard.path)
    props = prs.core_properties
    props.title = _property(storyboard.title)
    props.subject = _property(storyboard.module)
    props.keywords = _property(", ".join(storyboard.framework_tags))
    props.comments = _property(f"Built from {Path(storyboard.path).name} by the lecture video pipeline")
    props.last_modified_by = "lecture-pipeline"
    props.revision = 1
    props.created = props.modified = made

    with cache.atomic_path(out) as tmp:
        _save_dated(prs, tmp, made)
    warnings = tuple(ctx.warnings)
    record = {"key": key, "warnings": [{"slide": w.slide, "message": w.message} for w in warnings]}
    cache.write_text_atomic(stamp, json.dumps(record, ensure_ascii=False, indent=1))
    for w in warnings:
        log.warning("%s", w)
    log.info("wrote %s (%d slides)", out, total)
    return DeckResult(out, warnings, key)


def deck_date(lesson: Path | str) -> datetime:
    """When the deck was made, for its metadata: ``$SOURCE_DATE_EPOCH``, else the lesson's last change.

    Never the build's clock, so the same lesson gives a byte-identical deck (and PDF) on every build.
    A naive datetime in UTC, whole seconds, as the OPC core properties store it.
    """
    raw = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if raw:
        try:
            seconds = int(raw)
        except ValueError:
            raise ConfigError(f"{SOURCE_DATE_EPOCH}={raw!r} is not a whole number of seconds since 1970") from None
    else:
        try:
            seconds = int(Path(lesson).stat().st_mtime)
        except OSError:  # a storyboard made in memory (tests) has no file to date it by
            seconds = int(datetime.now(UTC).timestamp())
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _save_dated(prs: Any, out: Path, made: datetime) -> None:
    """Save ``prs`` with every zip entry dated ``made``: python-pptx dates them by the clock."""
    packed = io.BytesIO()
    prs.save(packed)
    date_time = max(made, ZIP_EARLIEST).timetuple()[:6]
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            target.writestr(entry, source.read(item))


def _property(text: str) -> str:
    # The OPC core-properties schema caps each value at 255 characters.
    text = clean(text)
    return text if len(text) <= 255 else text[:254].rstrip() + ELLIPSIS


def _read_stamp(stamp: Path, key: str, storyboard: Storyboard) -> tuple[Warning, ...] | None:
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        sources = {s.n: s.source for s in storyboard.slides}
        fallback = Source(storyboard.path, 1)
        return tuple(Warning(w["message"], sources.get(w["slide"], fallback), w["slide"]) for w in record["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------- slide parts


def _logo(ctx: _Context, page: PptxSlide, band_h: float) -> int:
    """Place the theme's logo top-right; return the width it takes (EMU, with its gap)."""
    logo = ctx.theme.logo
    if logo is None:
        return 0
    with Image.open(logo) as img:
        aspect = img.width / img.height
    height = _in(min(0.6, band_h * 0.5))
    width = round(height * aspect)
    margin = _in(ctx.theme.layout.margin)
    top = (_in(band_h) - height) // 2
    page.shapes.add_picture(str(logo), Emu(SLIDE_W - margin - width), Emu(top), Emu(width), Emu(height))
    return width + _in(0.3)


def _chrome(ctx: _Context, page: PptxSlide, slide: Slide, total: int) -> None:
    """Title band, accent bar, footer rule, footer text and slide number."""
    theme, roles = ctx.theme, ctx.roles
    c, m, band_h = theme.colours, _in(theme.layout.margin), theme.layout.band_height
    _rect(page, 0, 0, SLIDE_W, _in(band_h), c.band)
    _rect(page, 0, _in(band_h), SLIDE_W, _in(0.07), c.accent)
    logo_w = _logo(ctx, page, band_h)
    title = Box(m, _in(0.1), SLIDE_W - 2 * m - logo_w, _in(band_h - 0.2), (Para(clean(slide.title), roles.title),),
                MSO_ANCHOR.MIDDLE)  # fmt: skip
    _place(page, ctx.fit(slide, [title], "the title")[0], shape=page.shapes.title)

    _rect(page, m, _in(FOOTER_RULE), SLIDE_W - 2 * m, _in(0.015), c.card_border)
    number_w = _in(1.6)
    sb = ctx.storyboard
    footer_text = clean(f"{sb.code} · {sb.title}" if sb.code else sb.title)
    footer = Box(m, _in(FOOTER_TOP), SLIDE_W - 2 * m - number_w, _in(FOOTER_H), (Para(footer_text, roles.footer),),
                 MSO_ANCHOR.MIDDLE)  # fmt: skip
    # The footer repeats the lesson title, shown in full on the cover: cut it short silently.
    _place(page, fit_boxes([footer], theme)[0])
    number = Box(SLIDE_W - m - number_w, _in(FOOTER_TOP), number_w, _in(FOOTER_H),
                 (Para(f"{slide.n} / {total}", roles.number),), MSO_ANCHOR.MIDDLE)  # fmt: skip
    _place(page, fit_boxes([number], theme)[0])


def _content(ctx: _Context) -> tuple[int, int, int, int]:
    m = _in(ctx.theme.layout.margin)
    top = _in(ctx.theme.layout.band_height + CONTENT_GAP)
    return m, top, SLIDE_W - 2 * m, _in(CONTENT_BOTTOM) - top


def _cover(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    """The title slide: lesson code, title, module and framework tags on the band colour."""
    theme, roles, sb = ctx.theme, ctx.roles, ctx.storyboard
    c, m = theme.colours, _in(theme.layout.margin)
    page.background.fill.solid()
    page.background.fill.fore_color.rgb = _rgb(c.band)
    _rect(page, 0, SLIDE_H - _in(0.12), SLIDE_W, _in(0.12), c.accent)
    logo_w = _logo(ctx, page, 1.3)
    width = SLIDE_W - 2 * m
    if sb.code:
        code = Box(m, _in(1.15), width - logo_w, _in(0.55), (Para(clean(sb.code), roles.cover_code),))
        _place(page, ctx.fit(slide, [code], "the lesson code")[0])
    title = Box(m, _in(1.75), width, _in(2.5), (Para(clean(sb.title or slide.title), roles.cover_title),),
                MSO_ANCHOR.BOTTOM)  # fmt: skip
    _place(page, ctx.fit(slide, [title], "the lesson title")[0], shape=page.shapes.title)
    _rect(page, m + _in(0.06), _in(4.45), _in(1.4), _in(0.07), c.accent)
    if sb.module:
        module = Box(m, _in(4.7), width, _in(1.0), (Para(clean(sb.module), roles.cover_module),))
        _place(page, ctx.fit(slide, [module], "the module name")[0])
    _tags(ctx, page, slide, top=_in(5.9), bottom=SLIDE_H - _in(0.35))


def _tags(ctx: _Context, page: PptxSlide, slide: Slide, *, top: int, bottom: int) -> None:
    """Framework tags as outlined chips, wrapped into rows that stay inside the slide."""
    theme, role = ctx.theme, ctx.roles.tag
    m = _in(theme.layout.margin)
    chip_h = _in(0.46)
    gap = _in(0.16)
    pad = round(2 * INSET_X_PT * EMU_PER_PT + _in(0.3))
    x, y = m, top
    for tag in (clean(t) for t in ctx.storyboard.framework_tags):
        if not tag:
            continue
        natural = round((text_width(tag, role.face, role.size) / WIDTH_SAFETY + 2) * EMU_PER_PT) + pad
        width = min(natural, SLIDE_W - 2 * m)
        if x > m and x + width > SLIDE_W - m:
            x, y = m, y + chip_h + gap
        if y + chip_h > bottom:
            ctx.warn(slide, "too many framework tags to show on the title slide; the rest are left off")
            return
        chip = _rect(page, x, y, width, chip_h, theme.colours.band, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
        chip.line.color.rgb = _rgb(theme.colours.band_muted)
        chip.line.width = Pt(1.25)
        inset = _in(0.15)
        box = Box(x + inset, y, width - 2 * inset, chip_h, (Para(tag, role),), MSO_ANCHOR.MIDDLE)
        _place(page, ctx.fit(slide, [box], "a framework tag")[0])
        x += width + gap


def _item_paras(ctx: _Context, slide: Slide) -> tuple[Para, ...]:
    roles = ctx.roles
    paras: list[Para] = []
    for item in slide.items:
        paras.append(Para(clean(item.text), roles.bullet))
        if clean(item.detail):
            paras.append(Para(clean(item.detail), roles.detail))
    return tuple(paras)


def _bullets(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    left, top, width, height = _content(ctx)
    paras = _item_paras(ctx, slide)
    if not paras:
        return
    _place(page, ctx.fit(slide, [Box(left, top, width, height, paras)], "the bullet list")[0])


def _cards(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    items = slide.items
    if not 1 <= len(items) <= 4:
        ctx.warn(slide, f"the cards layout takes 2–4 items, not {len(items)}; shown as bullets")
        _bullets(ctx, page, slide)
        return
    theme, roles = ctx.theme, ctx.roles
    left, top, width, height = _content(ctx)
    gap = _in(0.3)
    card_w = (width - gap * (len(items) - 1)) // len(items)
    pad = _in(0.25)
    strip = _in(0.09)
    boxes = []
    for i, item in enumerate(items):
        paras = [Para(clean(item.text), roles.card_heading)]
        if clean(item.detail):
            paras.append(Para(clean(item.detail), roles.card_body))
        x = left + i * (card_w + gap) + pad
        boxes.append(Box(x, top + strip + pad, card_w - 2 * pad, height - strip - 2 * pad, tuple(paras)))
    fitted = ctx.fit(slide, boxes, "a card's text")
    # Cards are as tall as the fullest one needs (not the whole area), so short cards do not
    # float in empty boxes; all cards share that height.
    text_h = _fitted_height(fitted)
    card_h = min(height, max(_in(2.6), text_h + strip + 2 * pad))
    shift = _optical_shift(height, card_h)
    top += shift
    for i, f in enumerate(fitted):
        x = left + i * (card_w + gap)
        card = _rect(page, x, top, card_w, card_h, theme.colours.card)
        card.line.color.rgb = _rgb(theme.colours.card_border)
        card.line.width = Pt(0.75)
        _rect(page, x, top, card_w, strip, theme.colours.accent)
        _place(page, _moved(f, shift, height=card_h - strip - 2 * pad))


def _optical_shift(room: int, block: int) -> int:
    """How far down to move a block of height ``block`` to sit at the optical centre of ``room``.

    A short row of cards or a comparison left at the top of the content area leaves the lower
    half of the slide empty; centred exactly it looks low, so it sits 40% of the way down.
    """
    return max(0, int((room - block) * 0.4))


def _moved(fitted: Fitted, dy: int, *, height: int | None = None) -> Fitted:
    """``fitted`` moved down by ``dy``, its box stretched to ``height`` when given."""
    box = fitted.box
    return replace(fitted, box=replace(box, top=box.top + dy, height=box.height if height is None else height))


def _fitted_height(fitted: Sequence[Fitted]) -> int:
    """EMU needed by the fullest of ``fitted`` boxes (text plus insets)."""
    need = max((sum(p.height for p in f.laid) + 2 * INSET_Y_PT for f in fitted), default=0.0)
    return math.ceil(need * EMU_PER_PT) + 1


def _comparison(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    items = slide.items
    if len(items) != 2:
        ctx.warn(slide, f"the comparison layout takes exactly 2 items, not {len(items)}; shown as bullets")
        _bullets(ctx, page, slide)
        return
    theme, roles = ctx.theme, ctx.roles
    c, s = theme.colours, theme.sizes
    left, top, width, height = _content(ctx)
    gap = _in(0.9)
    col_w = (width - gap) // 2
    pad = _in(0.3)
    head_h = _in(1.25)
    head_role = Role(roles.card_heading.face, s.card_heading + 4, s.card_heading_min, c.band_text, bold=True)
    body_role = Role(roles.bullet.face, s.body, s.body_min, c.text)
    heads, bodies = [], []
    for i, item in enumerate(items):
        x = left + i * (col_w + gap) + pad
        heads.append(Box(x, top, col_w - 2 * pad, head_h, (Para(clean(item.text), head_role),), MSO_ANCHOR.MIDDLE))
        body = (Para(clean(item.detail), body_role),) if clean(item.detail) else ()
        bodies.append(Box(x, top + head_h + pad, col_w - 2 * pad, height - head_h - 2 * pad, body))
    fitted_heads = ctx.fit(slide, heads, "a comparison heading")
    fitted_bodies = ctx.fit(slide, bodies, "a comparison column")
    # Panels shrink to the longer column's text, as cards do.
    panel_h = min(height, max(_in(2.8), head_h + _fitted_height(fitted_bodies) + 2 * pad))
    shift = _optical_shift(height, panel_h)
    top += shift
    for i, colour in enumerate((c.band, c.accent_alt)):
        x = left + i * (col_w + gap)
        panel = _rect(page, x, top, col_w, panel_h, c.card)
        panel.line.color.rgb = _rgb(c.card_border)
        panel.line.width = Pt(0.75)
        _rect(page, x, top, col_w, head_h, colour)
    for f in fitted_heads:
        _place(page, _moved(f, shift))
    for f in fitted_bodies:
        if f.laid and any(line.text for p in f.laid for line in p.lines):
            _place(page, _moved(f, shift, height=panel_h - head_h - 2 * pad))
    # "vs" badge between the columns, centred on the heading band.
    size = _in(0.72)
    cx = left + col_w + gap // 2
    badge = _rect(page, cx - size // 2, top + (head_h - size) // 2, size, size, c.accent, shape=MSO_SHAPE.OVAL)
    vs = Role(roles.card_heading.face, 20, 20, c.band_text, bold=True, align=PP_ALIGN.CENTER)
    fitted = fit_boxes([Box(badge.left, badge.top, size, size, (Para("vs", vs),), MSO_ANCHOR.MIDDLE)], theme)[0]
    _write(badge.text_frame, fitted)


def _quote(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    if not slide.items or not clean(slide.items[0].text):
        ctx.warn(slide, "the quote layout has no quote; the slide shows its title only")
        return
    theme, roles = ctx.theme, ctx.roles
    left, top, width, height = _content(ctx)
    mark_w = _in(1.4)
    item = slide.items[0]
    paras = [Para(clean(item.text), roles.quote)]
    if clean(item.detail):
        paras.append(Para("— " + clean(item.detail), roles.attribution))
    box = Box(left + mark_w, top, width - mark_w - _in(0.8), height, tuple(paras), MSO_ANCHOR.MIDDLE)
    fitted = ctx.fit(slide, [box], "the quote")[0]
    _place(page, fitted)
    # A large opening quote mark in the accent colour, level with the first line of the quote.
    text_top = top + (height - _fitted_height([fitted])) // 2
    mark_role = Role(theme.heading_font, 120, 120, theme.colours.accent, bold=True)
    mark_top = max(top - _in(0.25), text_top - _in(0.55))
    _place(page, fit_boxes([Box(left, mark_top, mark_w, _in(2.1), (Para("“", mark_role),))], theme)[0])


def _visual(ctx: _Context, page: PptxSlide, slide: Slide) -> None:
    """A DRAFT placeholder showing the visual direction, beside the slide's key points."""
    theme, roles = ctx.theme, ctx.roles
    c = theme.colours
    left, top, width, height = _content(ctx)
    points = _item_paras(ctx, slide)
    side_w = _in(4.7) if points else 0
    gap = _in(0.45) if points else 0
    box_w = width - side_w - gap
    frame = _rect(page, left, top, box_w, height, c.card)
    frame.line.color.rgb = _rgb(c.draft)
    frame.line.width = Pt(2)
    frame.line.dash_style = MSO_LINE.DASH
    pad = _in(0.3)
    tag_w, tag_h = _in(2.0), _in(0.42)
    tag = _rect(page, left + pad, top + pad, tag_w, tag_h, c.draft)
    tag_role = Role(roles.label.face, theme.sizes.footer + 2, theme.sizes.footer + 2, c.band_text, bold=True,
                    align=PP_ALIGN.CENTER)  # fmt: skip
    _write(tag.text_frame, fit_boxes([Box(tag.left, tag.top, tag_w, tag_h, (Para("DRAFT VISUAL", tag_role),),
                                          MSO_ANCHOR.MIDDLE)], theme)[0])  # fmt: skip
    direction = clean(slide.visual) or "No visual direction given in the slide outline."
    inner_top = top + pad + tag_h + pad
    note_h = _in(0.9)
    boxes = [
        Box(left + pad, inner_top, box_w - 2 * pad, height - (inner_top - top) - note_h - pad,
            (Para(direction, roles.direction),), MSO_ANCHOR.MIDDLE),
        Box(left + pad, top + height - note_h - pad // 2, box_w - 2 * pad, note_h,
            (Para("Placeholder: the lesson gives no data for this chart. Replace before publishing.",
                  roles.draft_note),), MSO_ANCHOR.BOTTOM),
    ]  # fmt: skip
    for fitted in ctx.fit(slide, boxes, "the visual direction"):
        _place(page, fitted)
    if points:
        x = left + box_w + gap
        heading = Box(x, top, side_w, _in(0.5), (Para("KEY POINTS", roles.side_heading),))
        _place(page, fit_boxes([heading], theme)[0])
        body = Box(x, top + _in(0.6), side_w, height - _in(0.6), points)
        _place(page, ctx.fit(slide, [body], "the key points")[0])


_BODIES = {
    "bullets": _bullets,
    "cards": _cards,
    "comparison": _comparison,
    "quote": _quote,
    "placeholder": _visual,
}
