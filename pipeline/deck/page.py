"""What every slide shares: the theme's paragraph roles, the build context, the title band and
footer, the content area and the cover slide."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PIL import Image
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu

from ..model import Notice, Slide, Storyboard
from ..theme import Theme, ink
from .fit import EMU_PER_PT, INSET_X_PT, WIDTH_SAFETY, Box, Fitted, Para, Role, breaks_words, fit_boxes, text_width
from .shapes import SLIDE_H, SLIDE_W, clean, decorative, describe, displayed, inches, named, outlined, place, rect, rgb

# Colour names a direction may use ("the email tool in red", "no-defence bar in grey"), as theme colours.
COLOUR_NAMES = {
    "red": "highlight",
    "highlight": "highlight",
    "grey": "dim",
    "gray": "dim",
    "dim": "dim",
    "amber": "accent",
    "orange": "accent",
    "accent": "accent",
    "teal": "accent_alt",
    "green": "accent_alt",
    "blue": "band",
    "navy": "band",
}


def named_field(name: str, default: str = "accent") -> str:
    """The theme colour (a field of ``Colours``) for a colour a direction names; ``default`` when unknown or empty."""
    return COLOUR_NAMES.get(name.strip().lower(), default)


def named_colour(theme: Theme, name: str, default: str = "accent") -> str:
    """The theme's hex colour for a colour a direction names; ``default`` (a theme field) when unknown or empty."""
    return str(getattr(theme.colours, named_field(name, default)))


# Content area, in inches from the top. The gap between CONTENT_BOTTOM and FOOTER_RULE stays
# empty on every content slide, which the tests check on rendered frames.
CONTENT_GAP = 0.42
CONTENT_BOTTOM = 6.6
FOOTER_RULE = 6.88
FOOTER_TOP = 6.94
FOOTER_H = 0.42


class Roles:
    """The paragraph roles of a theme."""

    def __init__(self, theme: Theme):
        s = theme.sizes
        head, body = theme.heading_font, theme.body_font
        self.title = Role(head, s.title, s.title_min, ink(theme, "band"), bold=True)
        self.cover_title = Role(head, s.cover_title, s.cover_title_min, ink(theme, "band"), bold=True)
        self.cover_code = Role(head, s.cover_code, s.cover_code, ink(theme, "band_accent"), bold=True)
        self.cover_module = Role(body, s.cover_module, s.detail_min, ink(theme, "band_muted"))
        self.tag = Role(body, s.tag, s.tag, ink(theme, "band"))
        indent = s.body * 1.1
        self.bullet = Role(body, s.body, s.body_min, ink(theme, "body"), space_before=0.7, bullet=True,
                           indent_pt=indent, bullet_colour=ink(theme, "body_accent"))  # fmt: skip
        self.detail = Role(body, s.detail, s.detail_min, ink(theme, "body_muted"), space_before=0.15, indent_pt=indent)
        self.card_heading = Role(head, s.card_heading, s.card_heading_min, ink(theme, "card"), bold=True)
        self.card_body = Role(body, s.card_body, s.card_body_min, ink(theme, "card"), space_before=0.6)
        self.quote = Role(head, s.quote, s.quote_min, ink(theme, "body"), italic=True)
        self.attribution = Role(body, s.detail, s.detail_min, ink(theme, "body_muted"), space_before=0.8)
        self.direction = Role(body, s.body, s.body_min, ink(theme, "card"), italic=True, align=PP_ALIGN.CENTER)
        self.draft_note = Role(body, s.detail_min, s.detail_min, ink(theme, "card_muted"), align=PP_ALIGN.CENTER)
        self.footer = Role(body, s.footer, s.footer, ink(theme, "body_muted"))
        self.number = Role(body, s.footer, s.footer, ink(theme, "body_muted"), bold=True, align=PP_ALIGN.RIGHT)
        self.side_heading = Role(head, s.detail_min, s.detail_min, ink(theme, "body_accent"), bold=True)


# ---------------------------------------------------------------- building


@dataclass(slots=True)
class Unit:
    """What one build unit of a slide is made of: whole shapes (by id) and regions of shapes."""

    shape_ids: list[int] = field(default_factory=list)
    covers: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(left, top, width, height) in EMU."""


@dataclass(slots=True)
class Context:
    theme: Theme
    roles: Roles
    storyboard: Storyboard
    warnings: list[Notice] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    """Each slide's title as shown (see :func:`slide_titles`), by slide number."""
    units: dict[int, dict[int, Unit]] = field(default_factory=dict)
    """Each slide's build units as drawn (by slide number, then unit): what appears at the unit's cue."""

    @contextlib.contextmanager
    def unit(self, page: PptxSlide, slide: Slide, i: int) -> Iterator[None]:
        """Every shape drawn inside this block belongs to build unit ``i`` of ``slide``."""
        before = {shape.shape_id for shape in page.shapes}
        yield
        self.add_to_unit(slide, i, *(shape for shape in page.shapes if shape.shape_id not in before))

    def add_to_unit(self, slide: Slide, i: int, *shapes: Any) -> None:
        """``shapes`` appear with build unit ``i`` of ``slide``."""
        unit = self.units.setdefault(slide.n, {}).setdefault(i, Unit())
        unit.shape_ids.extend(shape.shape_id for shape in shapes)

    def cover(self, slide: Slide, i: int, left: int, top: int, width: int, height: int) -> None:
        """The region appears with build unit ``i`` of ``slide`` (part of a shape that cannot be
        split: a table's row, a list's paragraph); it is plain background until then."""
        unit = self.units.setdefault(slide.n, {}).setdefault(i, Unit())
        unit.covers.append((left, top, width, height))

    def fit(self, slide: Slide, boxes: Sequence[Box], what: str) -> list[Fitted]:
        fitted = fit_boxes(boxes, self.theme)
        if any(f.truncated for f in fitted):
            self.warn(slide, f"{what} is too long to fit even at the minimum size; it was cut short with '…'")
        return fitted

    def warn(self, slide: Slide, message: str) -> None:
        self.warnings.append(Notice(f"slide {slide.n}: {message}", slide.source, slide.n))

    def title(self, slide: Slide) -> str:
        """The title ``slide`` shows: its own (the lesson's on the cover), unique in the deck."""
        return self.titles.get(slide.n) or clean(slide.title) or f"Slide {slide.n}"


def slide_titles(storyboard: Storyboard) -> tuple[dict[int, str], list[Notice]]:
    """Every slide's title as shown, unique in the deck, and a warning for each one changed.

    Screen-reader users move through a deck by slide title, so no two may read the same: a title
    already used (whatever its case) gets the next free number, ``Recap (2)``. A slide without a
    title is called ``Slide n``. The cover shows the lesson's title.
    """
    shown: dict[int, str] = {}
    taken: set[str] = set()
    warnings = []
    for slide in storyboard.slides:
        own = clean(storyboard.title or slide.title) if slide.layout == "title" else clean(slide.title)
        title = own or f"Slide {slide.n}"
        k = 1
        while title.casefold() in taken:
            k += 1
            title = f"{own} ({k})"
        if own and title != own:
            message = f"slide {slide.n}: the title '{own}' is already used in this deck; shown as '{title}'"
            warnings.append(Notice(message, slide.source, slide.n))
        elif not own:
            message = f"slide {slide.n}: the slide has no title; shown as '{title}'"
            warnings.append(Notice(message, slide.source, slide.n))
        taken.add(title.casefold())
        shown[slide.n] = title
    return shown, warnings


def logo_width(ctx: Context, band_h: float) -> int:
    """The width the theme's logo takes top-right (EMU, with its gap); 0 without one."""
    logo = ctx.theme.logo
    if logo is None:
        return 0
    with Image.open(logo) as img:
        aspect = img.width / img.height
    return round(inches(min(0.6, band_h * 0.5)) * aspect) + inches(0.3)


def logo(ctx: Context, page: PptxSlide, band_h: float) -> None:
    """Place the theme's logo top-right, described by the theme's ``logo_alt`` (else decorative)."""
    theme = ctx.theme
    if theme.logo is None:
        return
    height = inches(min(0.6, band_h * 0.5))
    width = logo_width(ctx, band_h) - inches(0.3)
    margin = inches(theme.layout.margin)
    top = (inches(band_h) - height) // 2
    picture = page.shapes.add_picture(str(theme.logo), Emu(SLIDE_W - margin - width), Emu(top), Emu(width), Emu(height))
    picture.name = "Logo"
    if theme.logo_alt:
        describe(picture, theme.logo_alt, title="Logo")
    else:
        decorative(picture)


def chrome(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """Title band, accent bar, the title and the logo: the title is the first shape a screen reader
    meets (the band and bar before it are decorative), and is drawn over the band."""
    theme, roles = ctx.theme, ctx.roles
    c, m, band_h = theme.colours, inches(theme.layout.margin), theme.layout.band_height
    decorative(named(rect(page, 0, 0, SLIDE_W, inches(band_h), c.band), "Title band"))
    decorative(named(rect(page, 0, inches(band_h), SLIDE_W, inches(0.07), c.accent), "Accent bar"))
    title = Box(
        m,
        inches(0.1),
        SLIDE_W - 2 * m - logo_width(ctx, band_h),
        inches(band_h - 0.2),
        (Para(ctx.title(slide), roles.title),),
        MSO_ANCHOR.MIDDLE,
    )
    place(page, ctx.fit(slide, [title], "the title")[0], shape=page.shapes.title)
    logo(ctx, page, band_h)


def footer(ctx: Context, page: PptxSlide, slide: Slide, total: int) -> None:
    """Footer rule, footer text and slide number: drawn after the slide's content, so a screen
    reader reaches them last."""
    theme, roles = ctx.theme, ctx.roles
    m = inches(theme.layout.margin)
    decorative(named(rect(page, m, inches(FOOTER_RULE), SLIDE_W - 2 * m, inches(0.015), theme.colours.card_border),
                     "Footer rule"))  # fmt: skip
    number_w = inches(1.6)
    sb = ctx.storyboard
    footer_text = clean(f"{sb.code} · {sb.title}" if sb.code else sb.title)
    box = Box(
        m,
        inches(FOOTER_TOP),
        SLIDE_W - 2 * m - number_w,
        inches(FOOTER_H),
        (Para(footer_text, roles.footer),),
        MSO_ANCHOR.MIDDLE,
    )
    # The footer repeats the lesson title, shown in full on the cover: cut it short silently.
    named(place(page, fit_boxes([box], theme)[0]), "Footer")
    number = Box(
        SLIDE_W - m - number_w,
        inches(FOOTER_TOP),
        number_w,
        inches(FOOTER_H),
        (Para(f"{slide.n} / {total}", roles.number),),
        MSO_ANCHOR.MIDDLE,
    )
    named(place(page, fit_boxes([number], theme)[0]), "Slide number")


def content_area(ctx: Context) -> tuple[int, int, int, int]:
    m = inches(ctx.theme.layout.margin)
    top = inches(ctx.theme.layout.band_height + CONTENT_GAP)
    return m, top, SLIDE_W - 2 * m, inches(CONTENT_BOTTOM) - top


def cover(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """The title slide: lesson code, title, module and framework tags on the band colour."""
    theme, roles, sb = ctx.theme, ctx.roles, ctx.storyboard
    c, m = theme.colours, inches(theme.layout.margin)
    page.background.fill.solid()
    page.background.fill.fore_color.rgb = rgb(c.band)
    decorative(named(rect(page, 0, SLIDE_H - inches(0.12), SLIDE_W, inches(0.12), c.accent), "Accent bar"))
    width = SLIDE_W - 2 * m
    # The title first in the shape tree (a screen reader's order), though the code is drawn above it.
    title = Box(m, inches(1.75), width, inches(2.5), (Para(ctx.title(slide), roles.cover_title),), MSO_ANCHOR.BOTTOM)
    place(page, ctx.fit(slide, [title], "the lesson title")[0], shape=page.shapes.title)
    if sb.code:
        code = Box(
            m, inches(1.15), width - logo_width(ctx, 1.3), inches(0.55), (Para(clean(sb.code), roles.cover_code),)
        )
        named(place(page, ctx.fit(slide, [code], "the lesson code")[0]), "Lesson code")
    decorative(named(rect(page, m + inches(0.06), inches(4.45), inches(1.4), inches(0.07), c.accent), "Title rule"))
    if sb.module:
        module = Box(m, inches(4.7), width, inches(1.0), (Para(clean(sb.module), roles.cover_module),))
        named(place(page, ctx.fit(slide, [module], "the module name")[0]), "Module")
    tags(ctx, page, slide, top=inches(5.9), bottom=SLIDE_H - inches(0.35))
    logo(ctx, page, 1.3)


def tags(ctx: Context, page: PptxSlide, slide: Slide, *, top: int, bottom: int) -> None:
    """Framework tags as outlined chips, wrapped into rows that stay inside the slide."""
    theme, role = ctx.theme, ctx.roles.tag
    m = inches(theme.layout.margin)
    chip_h = inches(0.46)
    gap = inches(0.16)
    pad = round(2 * INSET_X_PT * EMU_PER_PT + inches(0.3))
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
        chip = decorative(rect(page, x, y, width, chip_h, theme.colours.band, shape=MSO_SHAPE.ROUNDED_RECTANGLE))
        outlined(chip, theme.colours.band_muted, 1.25)
        inset = inches(0.15)
        box = Box(x + inset, y, width - 2 * inset, chip_h, (Para(tag, role),), MSO_ANCHOR.MIDDLE)
        place(page, ctx.fit(slide, [box], "a framework tag")[0])
        x += width + gap


def optical_shift(room: int, block: int) -> int:
    """How far down to move a block of height ``block`` to sit at the optical centre of ``room``.

    A short row of cards or a comparison left at the top of the content area leaves the lower
    half of the slide empty; centred exactly it looks low, so it sits 40% of the way down.
    """
    return max(0, int((room - block) * 0.4))


# ---------------------------------------------------------------- added for text and table layouts


def fit_balanced(ctx: Context, slide: Slide, box: Box, what: str) -> Fitted:
    """Fit ``box``, then narrow it (kept centred) to the least width that wraps into as many lines.

    Greedy wrapping of a centred sentence leaves a long first line over a single word; the
    narrowest box that still takes the same number of lines at the same size evens them out.
    """
    fitted = ctx.fit(slide, [box], what)[0]
    if fitted.truncated or not fitted.laid:
        return fitted
    fixed = tuple(Para(p.text, pinned(laid.role, laid.size)) for p, laid in zip(box.paras, fitted.laid, strict=True))
    counts = [len(laid.lines) for laid in fitted.laid]

    def same_lines(width: int) -> Fitted | None:
        trial = fit_boxes([replace(box, width=width, paras=fixed)], ctx.theme)[0]
        if trial.truncated or [len(laid.lines) for laid in trial.laid] != counts:
            return None
        return trial

    lo, hi = box.width // 4, box.width
    while hi - lo > inches(0.05):
        mid = (lo + hi) // 2
        if same_lines(mid) is None:
            lo = mid
        else:
            hi = mid
    best = same_lines(hi) or fitted
    return moved_sideways(best, (box.width - best.box.width) // 2)


def moved_sideways(fitted: Fitted, dx: int) -> Fitted:
    """``fitted`` moved right by ``dx``."""
    return replace(fitted, box=replace(fitted.box, left=fitted.box.left + dx))


def one_line_size(texts: Sequence[str], role: Role, width_pt: float, step: float) -> float | None:
    """The largest size (``role.size`` down to ``role.min_size`` by ``step``) at which every text fits
    ``width_pt`` on one line; ``None`` when even the minimum is too wide. Key figures and recap words
    shrink rather than break."""
    size = role.size
    while size >= role.min_size - 1e-6:
        if all(text_width(t, role.face, size, bold=role.bold, italic=role.italic) <= width_pt for t in texts):
            return size
        size -= step
    return None


def pinned(role: Role, size: float) -> Role:
    """``role`` fixed at ``size``: fitting a group will not shrink it further."""
    return replace(role, size=size, min_size=size)


def shown(ctx: Context, text: str, role: Role) -> Para:
    """A paragraph of item text as displayed (see ``shapes.displayed``): code in the theme's code font."""
    text, mono = displayed(text)
    return Para(text, replace(role, face=ctx.theme.code_font) if mono else role)


def fit_together(
    ctx: Context, slide: Slide, boxes: Sequence[Box], fits: Callable[[Sequence[Fitted]], bool], what: str
) -> list[Fitted]:
    """Fit boxes that share their room (rows stacked down a column) at the largest shared scale at
    which ``fits`` accepts them laid out at their natural heights.

    The boxes' own heights matter only when nothing fits even at the minimum sizes: then each is
    fitted (and cut short, with a warning) within its own box.
    """
    theme = ctx.theme
    roles = {p.role for b in boxes for p in b.paras}
    steps = max((math.ceil((r.size - r.min_size) / theme.sizes.step) for r in roles), default=0)
    for k in range(steps + 1):
        size_of = {r: max(r.min_size, r.size - k * theme.sizes.step) for r in roles}
        free = [
            replace(b, height=_UNLIMITED, paras=tuple(Para(p.text, pinned(p.role, size_of[p.role])) for p in b.paras))
            for b in boxes
        ]
        fitted = fit_boxes(free, theme)
        if fits(fitted) and (k == steps or not any(breaks_words(f.laid) for f in fitted)):
            return [replace(f, box=replace(f.box, height=b.height)) for f, b in zip(fitted, boxes, strict=True)]
    return ctx.fit(slide, boxes, what)


_UNLIMITED = 10**9  # EMU: a box height no text reaches
