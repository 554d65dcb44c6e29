"""The deck theme: colours, fonts, sizes and an optional logo, read from ``templates/theme.yaml``.

The theme names fonts as PowerPoint knows them (``Calibri``). To measure text the way it will
be laid out, each name is resolved to a font file on this machine: the font itself when it is
installed, else its metric-compatible free twin (Carlito for Calibri, Liberation for Arial and
Times New Roman), which is what fontconfig hands LibreOffice when it renders the deck.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass, fields
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
    muted: str = "5F6B7A"
    band: str = "17324D"
    band_text: str = "FFFFFF"
    band_muted: str = "B9C8D8"
    accent: str = "E8833A"
    accent_alt: str = "2E7D8C"
    card: str = "F2F5F8"
    card_border: str = "D3DBE3"
    draft: str = "C0392B"
    highlight: str = "C0392B"
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
    path: str = ""
    """The file the theme was read from (for messages; not part of the cache key)."""


def load_theme(path: Path = DEFAULT_THEME) -> Theme:
    """Read and validate a theme file, resolving its fonts and logo.

    Raises :class:`ConfigError` naming ``path`` on any bad content: unknown keys, colours that
    are not hex, non-positive sizes, a minimum above its start size, a font with no file to
    measure it by, a logo that does not exist.
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
    known = {"fonts", "colours", "colors", "sizes", "layout", "logo"}
    problems.extend(
        f"unknown section {key!r}; expected one of {', '.join(sorted(known))}" for key in raw.keys() - known
    )

    colour_values = _section(raw, "colours", problems) or _section(raw, "colors", problems)
    colours = _build(Colours, colour_values, "colours", _colour, problems)
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

    logo: Path | None = None
    if raw.get("logo"):
        if not isinstance(raw["logo"], str):
            problems.append("logo must be a path to an image")
        else:
            logo = (path.parent / raw["logo"]).resolve()
            if not logo.is_file():
                problems.append(f"logo {raw['logo']!r} not found (looked at {logo})")

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
