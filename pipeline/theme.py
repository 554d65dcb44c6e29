"""The deck theme: colours, fonts, sizes and an optional logo, read from ``templates/theme.yaml``.

The theme names fonts as PowerPoint knows them (``Calibri``). To measure text the way it will
be laid out, each name is resolved to a font file on this machine: the font itself when it is
installed, else its metric-compatible free twin (Carlito for Calibri, Liberation for Arial and
Times New Roman), which is what fontconfig hands LibreOffice when it renders the deck.
"""

from __future__ import annotations

import colorsys
import functools
import logging
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml
from PIL import ImageFont

from .errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "templates" / "theme.yaml"

# Free fonts whose glyph widths match the proprietary ones, so text measured with the twin
# wraps exactly as it will in PowerPoint; fontconfig makes the same substitution for LibreOffice.
METRIC_TWINS: dict[str, str] = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "courier new": "Liberation Mono",
}

FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
FONT_DIRS_ENV = "PIPELINE_FONT_DIRS"  # extra folders, os.pathsep-separated, searched first

HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")


@dataclass(frozen=True, slots=True)
class FontFace:
    """A font family as named in the deck, with the files used to measure it."""

    name: str
    """The family written into the deck (what PowerPoint and LibreOffice look up)."""
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def file(self, *, bold: bool = False, italic: bool = False) -> Path:
        """The font file for a style."""
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        if italic:
            return self.italic
        return self.regular


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


# ---------------------------------------------------------------- contrast
# Which theme colour the deck draws as text on which: the one list the layouts take their text
# colours from (``ink``) and the theme is checked against, so a layout that draws a new pair adds
# it here and the check covers it. WCAG 2.x would let large text pass at 3:1; every pair here is
# held to 4.5:1 whatever its size.

MIN_CONTRAST = 4.5
SET_OPACITY = 0.3
"""How opaque a venn set's circle is: its label reads against the circle over the slide."""
MARKED_SET_OPACITY = 0.45
MARKED_LINE_TINT = 0.12
"""How much of the highlight colour tints the band behind a highlighted code line."""
MARKABLE = ("highlight", "dim", "accent", "accent_alt", "band")
"""The colours a direction may ask a box, set or bar to be drawn in (``in red``, ``in grey``)."""


@dataclass(frozen=True, slots=True)
class Tint:
    """``amount`` (0–1) of one theme colour laid over another: a translucent set, a tinted band."""

    colour: str
    amount: float
    base: str


@dataclass(frozen=True, slots=True)
class Pair:
    """Text in a theme colour drawn on a ground, and what the deck draws that way.

    With several text colours the layout takes whichever reads best on the ground (a box marked
    in a colour the direction names takes white or dark text to suit it).
    """

    text: tuple[str, ...]
    ground: str | Tint
    drawn: str


def _pairs() -> dict[str, Pair]:
    pairs = {
        "band": Pair(("band_text",), "band", "slide titles, the cover title, framework tags, table headers, "
                     "the first comparison heading, diagram boxes"),
        "band_muted": Pair(("band_muted",), "band", "the module on the cover, diagram boxes' sub-labels"),
        "band_accent": Pair(("accent",), "band", "the lesson code on the cover"),
        "body": Pair(("text",), "background", "body text, statements, recap words, table cells, timeline "
                     "labels, callouts, chart labels and titles, venn members"),
        "body_muted": Pair(("muted",), "background", "details, glosses, attributions, sources, the footer and "
                           "slide number, timeline points, chart axis titles, the sketch's note"),
        "body_accent": Pair(("accent_text",), "background", "end-card kickers, key figures, KEY POINTS headings, "
                            "bullets, the quote mark, the third chart series' labels"),
        "card": Pair(("text",), "card", "cards, comparison columns, code, banded table rows, the draft "
                     "placeholder's direction, sketch labels"),
        "card_muted": Pair(("muted",), "card", "the draft placeholder's note, dimmed diagram boxes, "
                           "sketch axis titles"),
        "card_accent": Pair(("accent_text",), "card", "bullets of a card's points"),
        "card_highlight": Pair(("highlight",), "card", "marked points of cards and comparison columns"),
        "code_marked": Pair(("highlight",), Tint("highlight", MARKED_LINE_TINT, "card"), "a highlighted code line"),
        "on_accent": Pair(("on_accent",), "accent", "step numbers on their discs, the vs badge"),
        "on_accent_alt": Pair(("band_text",), "accent_alt", "the second comparison heading"),
        "on_draft": Pair(("band_text",), "draft", "the DRAFT VISUAL tag"),
        "on_muted": Pair(("band_text",), "muted", "the ILLUSTRATIVE tag"),
        "series_band": Pair(("band",), "background", "labels of the first chart series"),
        "series_alt": Pair(("accent_alt",), "background", "labels of the second chart series"),
        "set_dim": Pair(("muted",), Tint("dim", SET_OPACITY, "background"), "a greyed-out venn set's label"),
    }  # fmt: skip
    for name in ("accent", "accent_alt", "band"):
        pairs[f"set_{name}"] = Pair(("text",), Tint(name, SET_OPACITY, "background"), f"a venn set's label ({name})")
    for name in MARKABLE:
        pairs[f"marked_{name}"] = Pair(("band_text", "text"), name, f"a diagram box or venn member marked in {name}")
        pairs[f"set_marked_{name}"] = Pair(
            ("text",), Tint(name, MARKED_SET_OPACITY, "background"), f"a venn set marked in {name}"
        )
    return pairs


PAIRS: dict[str, Pair] = _pairs()


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two hex colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(hex_: str) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def mix(colour: str, amount: float, base: str) -> str:
    """``colour`` laid over ``base`` at ``amount`` (0 gives ``base``, 1 gives ``colour``)."""
    mixed = (
        round(int(base[i : i + 2], 16) + (int(colour[i : i + 2], 16) - int(base[i : i + 2], 16)) * amount)
        for i in (0, 2, 4)
    )
    return "".join(f"{v:02X}" for v in mixed)


def ground(colours: Colours, pair: Pair) -> str:
    """The hex colour ``pair``'s text is drawn on."""
    g = pair.ground
    if isinstance(g, Tint):
        return mix(getattr(colours, g.colour), g.amount, getattr(colours, g.base))
    return str(getattr(colours, g))


def ink(theme: Theme | Colours, name: str) -> str:
    """The hex text colour of pair ``name`` (a key of :data:`PAIRS`): the one that reads best on its ground."""
    colours = theme.colours if isinstance(theme, Theme) else theme
    pair = PAIRS[name]
    on = ground(colours, pair)
    return max((str(getattr(colours, t)) for t in pair.text), key=lambda text: contrast(text, on))


def pair_contrast(colours: Colours, name: str) -> float:
    """The contrast ratio pair ``name`` is drawn at."""
    pair = PAIRS[name]
    return contrast(ink(colours, name), ground(colours, pair))


def low_contrast(colours: Colours) -> list[str]:
    """A message for every pair of :data:`PAIRS` under :data:`MIN_CONTRAST`, naming both colours and the ratio."""
    problems = []
    for name, pair in PAIRS.items():
        ratio = pair_contrast(colours, name)
        if ratio < MIN_CONTRAST:
            text = " or ".join(f"colours.{t}" for t in pair.text)
            g = pair.ground
            on = f"{g.amount:.0%} colours.{g.colour} over colours.{g.base}" if isinstance(g, Tint) else f"colours.{g}"
            problems.append(
                f"{text} on {on} reads at {ratio:.2f}:1, under the {MIN_CONTRAST}:1 text needs (used for {pair.drawn})"
            )
    return problems


READABLE = 4.7
"""The contrast a derived text colour aims for: the minimum with a little in hand."""


def readable_shade(colour: str, grounds: tuple[str, ...]) -> str:
    """``colour`` darkened in its own hue until it reads at :data:`READABLE` on every one of
    ``grounds``: the accent as text, for a theme that names no ``accent_text``. Saturation goes to
    full as it darkens, so an amber turns a deep orange rather than brown."""
    if all(contrast(colour, on) >= READABLE for on in grounds):
        return colour
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, _ = colorsys.rgb_to_hls(r, g, b)
    while lightness > 0:
        shade = "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, lightness, 1.0))
        if all(contrast(shade, on) >= READABLE for on in grounds):
            return shade
        lightness = round(lightness - 0.005, 3)
    return "000000"


def _derived(colours: Colours, given: dict[str, Any]) -> Colours:
    """Colours a theme leaves out that follow from ones it gives: with a new ``accent`` and no
    ``accent_text``, the accent darkened to read; no ``on_accent``, white or dark to suit it."""
    if "accent" not in given:
        return colours
    c = colours
    if "accent_text" not in given:
        c = replace(c, accent_text=readable_shade(c.accent, (c.background, c.card)))
    if "on_accent" not in given:
        c = replace(c, on_accent=max((c.band_text, c.text), key=lambda text: contrast(text, c.accent)))
    return c


def load_theme(path: Path = DEFAULT_THEME) -> Theme:
    """Read and validate a theme file, resolving its fonts and logo.

    Raises :class:`ConfigError` naming ``path`` on any bad content: unknown keys, colours that
    are not hex, non-positive sizes, a minimum above its start size, a font with no file to
    measure it by, a logo that does not exist, and any two colours the deck draws as text on each
    other (:data:`PAIRS`) reading at under 4.5:1.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read theme: {exc.strerror or exc}", path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"theme is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError("theme must be a mapping of sections (fonts, colours, sizes, layout, logo)", path)

    problems: list[str] = []
    known = {"fonts", "colours", "colors", "sizes", "layout", "logo", "logo_alt"}
    problems.extend(
        f"unknown section {key!r}; expected one of {', '.join(sorted(known))}" for key in raw.keys() - known
    )

    colour_values = _section(raw, "colours", problems) or _section(raw, "colors", problems)
    colours = _derived(_build(Colours, colour_values, "colours", _colour, problems), colour_values)
    sizes = _build(Sizes, _section(raw, "sizes", problems), "sizes", _positive, problems)
    geometry = _build(Geometry, _section(raw, "layout", problems), "layout", _positive, problems)
    for field_ in fields(Sizes):
        if field_.name.endswith("_min"):
            start = field_.name.removesuffix("_min")
            if getattr(sizes, field_.name) > getattr(sizes, start):
                problems.append(f"sizes.{field_.name} ({getattr(sizes, field_.name)}) is above sizes.{start}")

    font_names = _section(raw, "fonts", problems)
    faces: dict[str, FontFace] = {}
    for role, default in (("heading", "Calibri"), ("body", "Calibri"), ("code", "Courier New")):
        name = font_names.get(role, default)
        if not isinstance(name, str) or not name.strip():
            problems.append(f"fonts.{role} must be a font family name")
            continue
        try:
            faces[role] = find_face(name.strip())
        except LookupError as exc:
            problems.append(str(exc))
    problems.extend(f"unknown key fonts.{key}" for key in font_names.keys() - {"heading", "body", "code"})

    if not any(p.startswith("colours.") for p in problems):
        problems.extend(low_contrast(colours))

    logo: Path | None = None
    if raw.get("logo"):
        if not isinstance(raw["logo"], str):
            problems.append("logo must be a path to an image")
        else:
            logo = (path.parent / raw["logo"]).resolve()
            if not logo.is_file():
                problems.append(f"logo {raw['logo']!r} not found (looked at {logo})")
    logo_alt = raw.get("logo_alt") or ""
    if not isinstance(logo_alt, str):
        problems.append("logo_alt must be text saying what the logo shows")
        logo_alt = ""

    if problems:
        # Collect, then stop: the author fixes every problem in one pass.
        raise ConfigError("; ".join(problems), path)
    return Theme(
        heading_font=faces["heading"],
        body_font=faces["body"],
        code_font=faces["code"],
        colours=colours,
        sizes=sizes,
        layout=geometry,
        logo=logo,
        logo_alt=" ".join(logo_alt.split()),
        path=str(path),
    )


def _section(raw: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        problems.append(f"{name} must be a mapping")
        return {}
    return value


def _build(cls: Any, values: dict[str, Any], section: str, check: Any, problems: list[str]) -> Any:
    names = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in names:
            problems.append(f"unknown key {section}.{key}")
            continue
        try:
            kwargs[key] = check(value)
        except ValueError as exc:
            problems.append(f"{section}.{key}: {exc}")
    return cls(**kwargs)


def _colour(value: Any) -> str:
    match = HEX.match(str(value).strip()) if isinstance(value, str | int) else None
    if not match:
        raise ValueError(f'{value!r} is not a hex colour like "17324D"')
    return match.group(1).upper()


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{value!r} is not a positive number")
    return float(value)


def find_face(name: str) -> FontFace:
    """Resolve a font family name to the files that measure it (raises ``LookupError``)."""
    catalogue = _catalogue()
    for family in (name, METRIC_TWINS.get(name.lower(), "")):
        styles = catalogue.get(family.lower())
        if styles and "regular" in styles:
            if family != name:
                log.debug("measuring font %s with its metric-compatible twin %s", name, family)
            regular = styles["regular"]
            bold = styles.get("bold", regular)
            italic = styles.get("italic", regular)
            return FontFace(name, regular, bold, italic, styles.get("bold italic", bold))
    twin = METRIC_TWINS.get(name.lower())
    hint = f" or its metric-compatible twin {twin!r}" if twin else ""
    raise LookupError(
        f"font {name!r}{hint} is not installed, so text cannot be measured; install it "
        "(e.g. sudo apt-get install fonts-crosextra-carlito fonts-liberation) or name another font"
    )


@functools.cache
def _catalogue() -> dict[str, dict[str, Path]]:
    """Installed fonts: family (lower case) -> style ("regular", "bold", ...) -> file."""
    dirs = [d for d in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if d] + list(FONT_DIRS)
    found: dict[str, dict[str, Path]] = {}
    for folder in dirs:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.suffix.lower() not in {".ttf", ".otf"}:
                continue
            try:
                family, style = ImageFont.truetype(str(file), 12).getname()
            except OSError:
                continue
            key = _style_key(style or "")
            if family and key:
                # The first folder wins, so PIPELINE_FONT_DIRS can override system fonts.
                found.setdefault(family.lower(), {}).setdefault(key, file)
    return found


def _style_key(style: str) -> str | None:
    words = set(style.lower().replace("oblique", "italic").split())
    if not words <= {"regular", "book", "normal", "roman", "bold", "italic"}:
        return None  # light, condensed, black...: not what the deck asks for
    bold, italic = "bold" in words, "italic" in words
    return "bold italic" if bold and italic else "bold" if bold else "italic" if italic else "regular"
