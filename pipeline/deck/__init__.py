"""Storyboard -> ``deck.pptx``: measuring (``fit``), writing shapes (``shapes``), what every slide
shares (``page``), one module per family of layouts (``layouts/``) and the saved package (``package``)."""

from .fit import text_width, wrap
from .package import DeckResult, build_deck, deck_date, deck_key, stamp_path
from .page import CONTENT_BOTTOM, CONTENT_GAP, FOOTER_RULE
from .shapes import EMU_PER_INCH, SLIDE_H, SLIDE_W

__all__ = [
    "CONTENT_BOTTOM",
    "CONTENT_GAP",
    "EMU_PER_INCH",
    "FOOTER_RULE",
    "SLIDE_H",
    "SLIDE_W",
    "DeckResult",
    "build_deck",
    "deck_date",
    "deck_key",
    "stamp_path",
    "text_width",
    "wrap",
]
