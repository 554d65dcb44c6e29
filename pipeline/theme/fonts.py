"""Finding font files: each family the theme names resolved to the files that measure it.

The theme names fonts as PowerPoint knows them (``Calibri``). To measure text the way it will
be laid out, each name is resolved to a font file on this machine: the font itself when it is
installed, else its metric-compatible free twin (Carlito for Calibri, Liberation for Arial and
Times New Roman), which is what fontconfig hands LibreOffice when it renders the deck.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

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
        "(e.g. sudo apt-get install fonts-crosextra-carlito fonts-liberation) or name another font; "
        "`lecture-pipeline doctor` lists the fonts the theme needs"
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
