"""Which theme colour the deck draws as text on which, and the contrast rules those pairs are held to.

The layouts take their text colours from here (:func:`ink`) and a theme is checked against the same
list (:func:`low_contrast`), so a layout that draws a new pair adds it here and the check covers it.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from .model import Colours, Theme

# WCAG 2.x would let large text pass at 3:1; every pair here is held to 4.5:1 whatever its size.
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
