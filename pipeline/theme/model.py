"""What a deck theme holds: colours, fonts, sizes, geometry and an optional logo (read by ``load``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import TEMPLATES
from .fonts import FontFace

DEFAULT_THEME = TEMPLATES / "theme.yaml"


@dataclass(frozen=True, slots=True)
class Colours:
    """Hex RGB colours (``"17324D"``), no leading ``#``."""

    background: str = "FFFFFF"
    text: str = "1E2A36"
    muted: str = "5B6674"
    band: str = "17324D"
    band_text: str = "FFFFFF"
    band_muted: str = "B9C8D8"
    accent: str = "E8833A"
    accent_text: str = "B74D00"
    """The accent as text on white and the card colour (kickers, key figures, side headings, bullets):
    the amber itself is too light to read there."""
    on_accent: str = "1E2A36"
    """Text on an accent fill (step numbers, the "vs" badge): white does not read on the amber."""
    accent_alt: str = "2E7D8C"
    card: str = "F2F5F8"
    card_border: str = "D3DBE3"
    draft: str = "C0392B"
    highlight: str = "B33528"
    """What a direction asks to be shown "in red" or highlighted: a code line, a node, a hidden line."""
    dim: str = "AAB4BF"
    """Greyed-out boxes and a bar the direction asks for "in grey"."""


@dataclass(frozen=True, slots=True)
class Sizes:
    """Font sizes in points; ``*_min`` is the smallest a block may shrink to before truncation."""

    cover_title: float = 50
    cover_title_min: float = 32
    cover_code: float = 24
    cover_module: float = 26
    tag: float = 18
    title: float = 36
    title_min: float = 26
    body: float = 28
    body_min: float = 20
    detail: float = 22
    detail_min: float = 20
    card_heading: float = 26
    card_heading_min: float = 20
    card_body: float = 22
    card_body_min: float = 20
    quote: float = 44
    quote_min: float = 26
    statement: float = 48
    statement_min: float = 30
    stat: float = 110
    stat_min: float = 60
    code: float = 24
    code_min: float = 16
    table: float = 20
    table_min: float = 14
    label: float = 20
    label_min: float = 14
    footer: float = 14
    step: float = 2
    """Points removed per shrinking step."""
    line_spacing: float = 1.2
    """Line height as a multiple of the font size."""


@dataclass(frozen=True, slots=True)
class Geometry:
    """Slide geometry in inches."""

    margin: float = 0.6
    band_height: float = 1.3


@dataclass(frozen=True, slots=True)
class Theme:
    """Everything about a deck's look that is not code."""

    heading_font: FontFace
    body_font: FontFace
    code_font: FontFace
    colours: Colours = Colours()
    sizes: Sizes = Sizes()
    layout: Geometry = Geometry()
    logo: Path | None = None
    """An image shown top-right on every slide, or ``None``."""
    logo_alt: str = ""
    """What the logo shows, for screen readers; empty: the logo is marked decorative."""
    path: str = ""
    """The file the theme was read from (for messages; not part of the cache key)."""
