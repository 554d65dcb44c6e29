"""The deck theme: colours, fonts, sizes and an optional logo, read from ``templates/theme.yaml``.

``model`` holds what a theme is, ``load`` reads and checks a theme file, ``fonts`` finds the font
files that measure each family, and ``pairs`` lists which colours the deck draws as text on which
and the contrast they must read at. Everything is importable from here.
"""

from .fonts import FONT_DIRS, FONT_DIRS_ENV, METRIC_TWINS, FontFace, find_face
from .load import font_names, load_theme
from .model import DEFAULT_THEME, Colours, Geometry, Sizes, Theme
from .pairs import (
    MARKABLE,
    MARKED_LINE_TINT,
    MARKED_SET_OPACITY,
    MIN_CONTRAST,
    PAIRS,
    READABLE,
    SET_OPACITY,
    Pair,
    Tint,
    contrast,
    ground,
    ink,
    low_contrast,
    mix,
    pair_contrast,
    readable_shade,
)

__all__ = [
    "DEFAULT_THEME",
    "FONT_DIRS",
    "FONT_DIRS_ENV",
    "MARKABLE",
    "MARKED_LINE_TINT",
    "MARKED_SET_OPACITY",
    "METRIC_TWINS",
    "MIN_CONTRAST",
    "PAIRS",
    "READABLE",
    "SET_OPACITY",
    "Colours",
    "FontFace",
    "Geometry",
    "Pair",
    "Sizes",
    "Theme",
    "Tint",
    "contrast",
    "find_face",
    "font_names",
    "ground",
    "ink",
    "load_theme",
    "low_contrast",
    "mix",
    "pair_contrast",
    "readable_shade",
]
