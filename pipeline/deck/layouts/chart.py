"""Charts of the lesson's numbers: a native, editable bar, column or line chart, every point
labelled with the value exactly as the lesson writes it. A chart without numbers is drawn by
``sketch.py`` as a clearly illustrative shape instead, with no numbers at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from ...model import Chart, Series, Slide
from ...theme import Theme, ink
from ..fit import Box, Para, Role
from ..geometry import Rect
from ..page import Context, content_area, named_colour
from ..shapes import clean, describe, inches, place, rgb, value_axis_at_far_end
from .sketch import key_points, sketch
from .text import placeholder

KINDS = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
}
MOST_DECIMALS = 6
SERIES = (("band", "series_band"), ("accent_alt", "series_alt"), ("accent", "body_accent"), ("muted", "body_muted"))
"""Each series' fill (a theme colour) and the pair its labels are drawn in: navy, teal, amber, grey,
every one dark enough on white to colour its own labels (the amber in its darker text shade)."""
SOURCE_H = inches(0.62)  # room for a two-line citation
SIDE_W = inches(4.2)
SIDE_GAP = inches(0.45)
LINE_PT = 3.0
MARKER_SIZE = 10


def chart(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """``slide.chart`` as a native chart, or as an illustrative sketch when it has no numbers."""
    ch = slide.chart
    if ch is None:
        ctx.warn(slide, "the chart layout has no chart to draw; shown as a draft placeholder")
        placeholder(ctx, page, slide)
        return
    area = Rect(*content_area(ctx))
    if slide.items:
        key_points(ctx, page, slide, Rect(area.right - SIDE_W, area.top, SIDE_W, area.height))
        area = Rect(area.left, area.top, area.width - SIDE_W - SIDE_GAP, area.height)
    if ch.illustrative or not ch.has_data:
        sketch(ctx, page, slide, ch, area)
        return
    if clean(slide.citation):
        source(ctx, page, slide, Rect(area.left, area.bottom - SOURCE_H, area.width, SOURCE_H))
        area = Rect(area.left, area.top, area.width, area.height - SOURCE_H)
    native(ctx, page, slide, ch, area)


def source(ctx: Context, page: PptxSlide, slide: Slide, where: Rect) -> None:
    """A small muted ``Source: …`` line."""
    text = clean(slide.citation)
    if not text.lower().startswith("source"):
        text = f"Source: {text}"
    s = ctx.theme.sizes
    role = Role(ctx.theme.body_font, s.label_min, s.label_min, ink(ctx.theme, "body_muted"), italic=True)
    box = Box(where.left, where.top, where.width, where.height, (Para(text, role),), MSO_ANCHOR.BOTTOM)
    shape = place(page, ctx.fit(slide, [box], "the chart's source")[0])
    shape.name = "Source"


def number_format(ch: Chart) -> str:
    """``chart.decimals`` places, or more when a value has more, so no value is shown rounded."""
    places = max(0, ch.decimals)
    for series in ch.series:
        for value in series.values:
            exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
            if isinstance(exponent, int):
                places = max(places, min(MOST_DECIMALS, -exponent))
    return "#,##0" + ("." + "0" * places if places else "")


def with_values(ch: Chart) -> list[Series]:
    """The series that have numbers (a series with only a trend belongs to a sketch)."""
    return [s for s in ch.series if s.values]


def chart_data(ctx: Context, slide: Slide, ch: Chart) -> tuple[CategoryChartData, int]:
    """The categories and every series' values, one per category (missing ones left empty)."""
    count = len(ch.categories) or max(len(s.values) for s in with_values(ch))
    if not ch.categories:
        ctx.warn(slide, "the chart has values but no categories; its bars are unnamed")
    data = CategoryChartData(number_format=number_format(ch))
    data.categories = [clean(c) for c in ch.categories] or [""] * count
    for series in with_values(ch):
        if len(series.values) > count:
            ctx.warn(slide, f"series '{series.name}' has more values than categories; the extra ones are left off")
        values = [float(v) for v in series.values[:count]]
        data.add_series(clean(series.name) or " ", values + [None] * (count - len(values)))
    return data, count


def native(ctx: Context, page: PptxSlide, slide: Slide, ch: Chart, where: Rect) -> None:
    """A native chart of the lesson's values, every point labelled, marked categories set apart."""
    theme = ctx.theme
    c, s = theme.colours, theme.sizes
    data, count = chart_data(ctx, slide, ch)
    shapes: Any = page.shapes  # python-pptx's stubs call the frame a Chart
    frame = shapes.add_chart(KINDS[ch.kind], Emu(where.left), Emu(where.top), Emu(where.width), Emu(where.height), data)
    frame.name = "Chart"
    describe(frame, chart_description(ch, slide.citation), title=f"{ch.kind.capitalize()} chart")
    graph = frame.chart
    # Readable at 1080p: the label size for a handful of categories, a step smaller per extra one.
    size = max(s.label_min, s.label - s.step * max(0, count - 6) / 2)
    graph.font.name = theme.body_font.name
    graph.font.size = Pt(size)
    graph.font.color.rgb = rgb(ink(theme, "body"))
    graph.has_title = bool(clean(ch.title))
    if graph.has_title:
        _write(graph.chart_title.text_frame, clean(ch.title), theme, size + 2, ink(theme, "body"), bold=True)
    series_of = with_values(ch)
    graph.has_legend = len(series_of) > 1
    if graph.has_legend:
        graph.legend.position = XL_LEGEND_POSITION.BOTTOM
        graph.legend.include_in_layout = False
    if ch.kind == "pie":
        _pie(ctx, slide, graph, ch, size)
        return
    _axes(graph, ch, theme, size)
    plot = graph.plots[0]
    if ch.kind in ("bar", "column"):
        plot.gap_width = 55
    marked = named_colour(theme, ch.mark_colour, "dim")
    fmt = number_format(ch)
    for k, (series, source) in enumerate(zip(plot.series, series_of, strict=True)):
        fill, pair = SERIES[k % len(SERIES)]
        _paint(series, ch.kind, getattr(c, fill))
        for i in ch.marked:
            if 0 <= i < count:
                _paint(series.points[i], ch.kind, marked)
        # With several series a label takes its series' colour: which line it belongs to.
        text = ink(theme, pair if len(series_of) > 1 else "body")
        _label(ctx, slide, series, text, source.labels, len(source.values[:count]), ch.kind, fmt, theme, size)


def _pie(ctx: Context, slide: Slide, graph: Any, ch: Chart, size: float) -> None:
    """A pie of the first series: a theme colour per slice (marked slices in the mark colour), each
    labelled with its category and the value as the lesson writes it; no legend, no axes."""
    theme = ctx.theme
    c = theme.colours
    graph.has_legend = False
    (series, *rest) = graph.plots[0].series
    if rest:
        ctx.warn(slide, "a pie shows one series; the others are left off")
    source = with_values(ch)[0]
    palette = [c.band, c.accent_alt, c.accent, c.muted, c.dim, c.highlight]
    marked = named_colour(theme, ch.mark_colour, "highlight")
    texts = [clean(t) for t in source.labels] if len(source.labels) == len(source.values) else []
    fmt = number_format(ch)
    for i, name in enumerate(ch.categories[: len(source.values)]):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(marked if i in ch.marked else palette[i % len(palette)])
        point.format.line.color.rgb = rgb(c.background)
        value = texts[i] if texts else _shown(source.values[i], fmt)
        label = point.data_label
        _write(label.text_frame, f"{clean(name)}\n{value}", theme, size, ink(theme, "body"), bold=True)
        label.position = XL_LABEL_POSITION.OUTSIDE_END


def _shown(value: float, fmt: str) -> str:
    """``value`` as ``fmt`` (a number format from :func:`number_format`) shows it: thousands
    separated, its decimal places."""
    places = len(fmt.partition(".")[2])
    return format(value, f",.{places}f")


def chart_description(ch: Chart, citation: str) -> str:
    """The chart in words, for a screen reader: what it measures, each category with its value as the
    lesson writes it (every series, or the pie's one), the categories set apart, and the source."""
    series_of = with_values(ch)[:1] if ch.kind == "pie" else with_values(ch)
    count = len(ch.categories) or max(len(s.values) for s in series_of)
    names = [clean(c) for c in ch.categories] or [""] * count
    what = clean(ch.title) or clean(ch.value_axis) or (clean(series_of[0].name) if len(series_of) == 1 else "")
    said = f"{ch.kind.capitalize()} chart" + (f" of {what}" if what else "")
    if clean(ch.value_axis) and clean(ch.value_axis) != what:
        said += f", {clean(ch.value_axis)}"
    if clean(ch.category_axis):
        said += f" by {clean(ch.category_axis)}"
    fmt = number_format(ch)
    apart = f"shown in {clean(ch.mark_colour)}" if clean(ch.mark_colour) else "highlighted"
    groups = []
    for series in series_of:
        labels = [clean(t) for t in series.labels] if len(series.labels) == len(series.values) else []
        entries = []
        for i, value in enumerate(series.values[:count]):
            entry = " ".join(t for t in (names[i], labels[i] if labels else _shown(value, fmt)) if t)
            entries.append(entry + (f" ({apart})" if i in ch.marked else ""))
        head = f"{clean(series.name)}: " if len(series_of) > 1 and clean(series.name) else ""
        groups.append(head + "; ".join(entries))  # a category's name may hold commas of its own
    said += (": " if len(groups) == 1 else ". ") + ". ".join(groups) + "."
    if clean(citation):
        cited = clean(citation)
        said += f" {cited}" if cited.lower().startswith("source") else f" Source: {cited}"
    return said


def _paint(target: Any, kind: str, colour: str) -> None:
    """Fill a bar or column, or colour a line and its markers."""
    if kind == "line":
        target.format.line.color.rgb = rgb(colour)
        target.format.line.width = Pt(LINE_PT)
        target.marker.style = XL_MARKER_STYLE.CIRCLE
        target.marker.size = MARKER_SIZE
        target.marker.format.fill.solid()
        target.marker.format.fill.fore_color.rgb = rgb(colour)
        target.marker.format.line.color.rgb = rgb(colour)
    else:
        target.format.fill.solid()
        target.format.fill.fore_color.rgb = rgb(colour)


def _label(
    ctx: Context,
    slide: Slide,
    series: Any,
    colour: str,
    labels: tuple[str, ...],
    count: int,
    kind: str,
    fmt: str,
    theme: Theme,
    size: float,
) -> None:
    """A label on every point in ``colour``: the lesson's own text when it gives one per value
    (``0.0035%``), else the value in ``fmt``."""
    position = XL_LABEL_POSITION.ABOVE if kind == "line" else XL_LABEL_POSITION.OUTSIDE_END
    labels_ = series.data_labels
    labels_.show_value = True
    labels_.number_format = fmt
    labels_.number_format_is_linked = False
    labels_.position = position
    labels_.font.size = Pt(size)
    labels_.font.bold = True
    labels_.font.color.rgb = rgb(colour)
    texts = [clean(t) for t in labels]
    if not texts:
        return
    if len(texts) != count:
        ctx.warn(slide, f"series '{series.name}' has {len(texts)} labels for {count} values; values shown instead")
        return
    for i, text in enumerate(texts):
        label = series.points[i].data_label
        _write(label.text_frame, text, theme, size, colour, bold=True)
        label.position = position


def _axes(graph: Any, ch: Chart, theme: Theme, size: float) -> None:
    """Category axis in the lesson's order (bars top to bottom); the value axis keeps only its
    title, since every point carries its own label."""
    c = theme.colours
    categories, values = graph.category_axis, graph.value_axis
    categories.major_tick_mark = XL_TICK_MARK.NONE
    # Category names along the plot's edge, not the zero line, so negative bars never cover them.
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.format.line.color.rgb = rgb(c.card_border)
    categories.tick_labels.font.size = Pt(size)
    if ch.kind == "bar":
        # PowerPoint draws bar categories bottom-up; reversed, the first category is on top.
        categories.reverse_order = True
        value_axis_at_far_end(graph)
    values.has_major_gridlines = False
    values.major_tick_mark = XL_TICK_MARK.NONE
    values.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    values.format.line.fill.background()
    if all(v >= 0 for series in ch.series for v in series.values):
        values.minimum_scale = 0
    for axis, title in ((values, ch.value_axis), (categories, ch.category_axis)):
        axis.has_title = bool(clean(title))
        if axis.has_title:
            _write(axis.axis_title.text_frame, clean(title), theme, max(theme.sizes.label_min, size - 2),
                   ink(theme, "body_muted"))  # fmt: skip


def _write(frame: Any, text: str, theme: Theme, size: float, colour: str, *, bold: bool = False) -> None:
    """One run of chart text in the theme's font (titles and custom point labels)."""
    frame.text = text
    for para in frame.paragraphs:
        para.alignment = PP_ALIGN.CENTER
        for run in para.runs:
            run.font.name = theme.body_font.name
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(colour)
