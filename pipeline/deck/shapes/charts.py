"""Chart XML python-pptx does not write as we need it: axis ids, where the value axis crosses."""

from __future__ import annotations

from typing import Any

from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide


def unsigned_axis_ids(page: PptxSlide) -> None:
    """Number each chart's axes 1, 2, … in ``c:axId`` and ``c:crossAx``, keeping every pairing.

    python-pptx's chart templates carry negative ids, which the schema (an unsignedInt) forbids and
    the Open XML SDK's validator rejects; small positive ids also fit readers that store an int32.
    """
    frames: Any = page.shapes  # python-pptx's stubs know no chart on a shape
    for frame in frames:
        if not getattr(frame, "has_chart", False):
            continue
        ids: dict[str, str] = {}
        for element in frame.chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
            element.set("val", ids.setdefault(element.get("val"), str(len(ids) + 1)))


def value_axis_at_far_end(chart: Any) -> None:
    """Cross the value axis at the last category: with bar categories drawn top to bottom
    (a reversed category axis), the value axis then stays along the bottom."""
    plot_area = chart._chartSpace.chart.plotArea
    for axis in plot_area.findall(qn("c:valAx")):
        crosses = axis.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")
