"""Where a diagram's boxes go: pure geometry in EMU, computed from the nodes and edges alone.

Positions never depend on marks, dimming or callouts, so a later slide that repeats a diagram
with one node highlighted draws every box in exactly the same place. The only thing a plan asks
of the text is ``measure``: the height every box needs for its label at a given box width (one
height for all boxes, as their text is fitted at one shared size). Nothing here touches a slide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .geometry import PAD, Rect, Side
from .page import optical_shift
from .shapes import inches

Measure = Callable[[int], int]
"""Box width (EMU) -> the box height (EMU) the labels need at that width."""

PER_ROW = 6  # boxes in one row of a chain before it wraps
FLOW_PER_ROW = 7  # boxes in one row of a flow's main route before it wraps
GAP = inches(0.38)  # between boxes in a row: room for a visible arrow
GAP_MAX = inches(1.0)
ROW_GAP = inches(0.75)  # between rows: room for a vertical arrow (and a callout's pointer)
ROW_GAP_MIN = inches(0.3)
BOX_MIN_H = inches(0.95)
BOX_MAX_H = inches(1.9)
TALL = inches(1.55)  # a row whose labels need taller boxes than this wraps to more rows
BOX_MAX_W = inches(2.8)
HUB_GAP = inches(1.15)  # between the hub and its satellites: room for diagonal arrows
HUB_V_GAP = inches(0.5)
STACK_GAP = inches(0.3)


@dataclass(frozen=True, slots=True)
class Link:
    """An arrow from box ``start`` to box ``end``, leaving and entering at the named sides."""

    start: int
    end: int
    start_side: Side
    end_side: Side


@dataclass(frozen=True, slots=True)
class Plan:
    """Where every box of a diagram goes and how its arrows run.

    ``arcs`` are edges between boxes of one row that are not neighbours: a straight arrow would
    run through the boxes between them, so they are drawn as an arc below the row.
    """

    boxes: tuple[Rect, ...]
    links: tuple[Link, ...]
    arcs: tuple[tuple[int, int], ...] = ()


# ---------------------------------------------------------------- rows of boxes


def _row_width(cols: int, area_w: int) -> tuple[int, int]:
    """Box width and gap for ``cols`` boxes in a row ``area_w`` wide."""
    width = min(BOX_MAX_W, (area_w - (cols - 1) * GAP) // cols)
    gap = GAP if cols == 1 else min(GAP_MAX, max(GAP, (area_w - cols * width) // (cols - 1)))
    return width, gap


def _box_height(need: int, rows: int, room: int, row_gap: int = ROW_GAP) -> int:
    cap = min(BOX_MAX_H, (room - (rows - 1) * row_gap) // rows)
    return max(min(need, cap), min(BOX_MIN_H, cap))


def _top(area: Rect, block: int) -> int:
    return area.top + optical_shift(area.height, block)


def _inset(area: Rect) -> Rect:
    return Rect(area.left + PAD, area.top, area.width - 2 * PAD, area.height)


Cell = tuple[int, int]
"""A box's column and row in a diagram's grid."""


def _snake(count: int, cols: int) -> list[Cell]:
    """Cells for ``count`` boxes in rows of ``cols``, every other row right to left, so each box
    sits next to (or right under) the one before it."""
    cells = []
    for k in range(count):
        row, pos = divmod(k, cols)
        cells.append((pos if row % 2 == 0 else cols - 1 - pos, row))
    return cells


def _place(cells: Sequence[Cell], cols: int, area: Rect, measure: Measure) -> tuple[Rect, ...]:
    """The boxes of a grid ``cols`` wide: equal sizes, centred across ``area``, rows at its optical centre."""
    rows = max(row for _, row in cells) + 1
    inner = _inset(area)
    width, gap = _row_width(cols, inner.width)
    # Many rows close up (never below ROW_GAP_MIN) before the boxes shrink under BOX_MIN_H.
    row_gap = ROW_GAP if rows == 1 else max(ROW_GAP_MIN, min(ROW_GAP, (area.height - rows * BOX_MIN_H) // (rows - 1)))
    height = _box_height(measure(width), rows, area.height, row_gap)
    left = inner.left + (inner.width - (cols * width + (cols - 1) * gap)) // 2
    top = _top(area, rows * height + (rows - 1) * row_gap)
    return tuple(Rect(left + col * (width + gap), top + row * (height + row_gap), width, height) for col, row in cells)


def _link(u: int, v: int, cells: Sequence[Cell]) -> Link | None:
    """The arrow from ``u`` to ``v`` between facing sides, or ``None`` when boxes stand between them."""
    (cu, ru), (cv, rv) = cells[u], cells[v]
    if ru != rv:
        down = ru < rv
        return Link(u, v, "bottom" if down else "top", "top" if down else "bottom")
    if cv - cu == 1:
        return Link(u, v, "right", "left")
    if cu - cv == 1:
        return Link(u, v, "left", "right")
    return None


def chain_plan(n: int, area: Rect, measure: Measure) -> Plan:
    """Boxes left to right, an arrow from each to the next.

    More than ``PER_ROW`` boxes, or labels that would need very tall boxes, wrap onto further rows
    as a snake (the second row runs right to left), so every arrow joins neighbours.
    """
    if n == 0:
        return Plan((), ())
    first = math.ceil(n / PER_ROW)
    last = max(first, min(3, math.ceil(n / 2)))
    for rows in range(first, last + 1):
        cols = math.ceil(n / rows)
        if measure(_row_width(cols, _inset(area).width)[0]) <= TALL:
            break
    cells = _snake(n, cols)
    links = [_link(i, i + 1, cells) for i in range(n - 1)]
    return Plan(_place(cells, cols, area, measure), tuple(link for link in links if link))


# ---------------------------------------------------------------- flow: a main route and side routes


def clean_edges(n: int, edges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Edges between existing nodes, without self-loops or repeats, in their given order."""
    seen: list[tuple[int, int]] = []
    for u, v in edges:
        if u != v and 0 <= u < n and 0 <= v < n and (u, v) not in seen:
            seen.append((u, v))
    return seen


def longest_route(nodes: Sequence[int], edges: Sequence[tuple[int, int]]) -> list[int]:
    """The longest path through ``nodes`` along ``edges`` (ties: the earliest nodes), cycles broken."""
    allowed = set(nodes)
    succ: dict[int, list[int]] = {u: [] for u in nodes}
    for u, v in edges:
        if u in allowed and v in allowed:
            succ[u].append(v)
    # Drop the edges that close a cycle (depth-first, in node order), leaving a DAG.
    state: dict[int, int] = {}
    dag: dict[int, list[int]] = {u: [] for u in nodes}

    def visit(u: int) -> None:
        state[u] = 1
        for v in sorted(succ[u]):
            if state.get(v) == 1:
                continue  # a back edge
            dag[u].append(v)
            if v not in state:
                visit(v)
        state[u] = 2

    for u in sorted(nodes):
        if u not in state:
            visit(u)
    best: dict[int, list[int]] = {}

    def route_from(u: int) -> list[int]:
        if u not in best:
            tails = [route_from(v) for v in dag[u]]
            best[u] = [u, *max(tails, key=len, default=[])]
        return best[u]

    routes = [route_from(u) for u in sorted(nodes)]
    return max(routes, key=len, default=[])


@dataclass(frozen=True, slots=True)
class SideRoute:
    """Nodes off the main route, drawn left to right in a row above (or below) it.

    ``joins``: the main node its last node has an arrow into; ``leaves``: the main node with an
    arrow into its first node; ``-1`` when there is none.
    """

    nodes: tuple[int, ...]
    joins: int = -1
    leaves: int = -1


def flow_routes(n: int, edges: Sequence[tuple[int, int]]) -> tuple[list[int], list[SideRoute]]:
    """The main route (the longest path) and the side routes that join or leave it."""
    main = longest_route(range(n), edges)
    on_main = set(main)
    rest = [u for u in range(n) if u not in on_main]
    sides: list[SideRoute] = []
    while rest:
        route = longest_route(rest, edges) or [rest[0]]
        last, first = route[-1], route[0]
        joins = next((v for u, v in edges if u == last and v in on_main), -1)
        leaves = next((u for u, v in edges if v == first and u in on_main), -1) if joins < 0 else -1
        sides.append(SideRoute(tuple(route), joins, leaves))
        rest = [u for u in rest if u not in route]
    return main, sides


def _lane_order(main_rows: int, below_first: bool) -> Iterable[int]:
    """Rows for side routes: above the main rows (-1, -2, …) and below them, alternately."""
    k = 1
    while True:
        above, below = -k, main_rows - 1 + k
        yield from (below, above) if below_first else (above, below)
        k += 1


def flow_plan(n: int, edges: Sequence[tuple[int, int]], area: Rect, measure: Measure) -> Plan:
    """The longest route left to right; every other route in a row above it, ending over the
    node it joins (or starting over the node it leaves), its arrow dropping into that node.

    A route that cannot share the row above goes below the main row, then further rows out. A
    main route longer than ``FLOW_PER_ROW`` wraps as a snake, as a chain does; a side route then
    joins from above the first row or from below the last. Without edges a flow is drawn as a chain.
    """
    edges = clean_edges(n, edges)
    if not edges:
        return chain_plan(n, area, measure)
    main, sides = flow_routes(n, edges)
    # A side route never wraps, so the rows are at least as wide as the longest one; many short
    # routes off a short main route share wider rows rather than stack up.
    wrapped = math.ceil(len(main) / math.ceil(len(main) / FLOW_PER_ROW))
    cols = max([wrapped, min(FLOW_PER_ROW, math.ceil(n / 4))] + [len(s.nodes) for s in sides])
    main_rows = math.ceil(len(main) / cols)
    column: dict[int, int] = {}
    lane_of: dict[int, int] = {}
    for u, (col, row) in zip(main, _snake(len(main), cols), strict=True):
        column[u], lane_of[u] = col, row
    taken: dict[int, set[int]] = {}
    for u in main:
        taken.setdefault(lane_of[u], set()).add(column[u])
    for side in sides:
        k = len(side.nodes)
        anchor = side.joins if side.joins >= 0 else side.leaves
        if side.joins >= 0:
            starts = [min(max(column[side.joins] - k + 1, 0), cols - k)]
        elif side.leaves >= 0:
            starts = [min(max(column[side.leaves], 0), cols - k)]
        else:
            starts = list(range(cols - k + 1))
        below_first = anchor >= 0 and main_rows > 1 and lane_of[anchor] == main_rows - 1
        placed = False
        for lane in _lane_order(main_rows, below_first):
            for start in starts:
                span = set(range(start, start + k))
                if not span & taken.setdefault(lane, set()):
                    taken[lane] |= span
                    for j, u in enumerate(side.nodes):
                        column[u], lane_of[u] = start + j, lane
                    placed = True
                    break
            if placed:
                break
    lanes = sorted(set(lane_of.values()))
    cells = [(column[u], lanes.index(lane_of[u])) for u in range(n)]
    links: list[Link] = []
    arcs: list[tuple[int, int]] = []
    for u, v in edges:
        link = _link(u, v, cells)
        if link:
            links.append(link)
        else:
            arcs.append((u, v))
    return Plan(_place(cells, cols, area, measure), tuple(links), tuple(arcs))


# ---------------------------------------------------------------- hub


def hub_plan(n: int, edges: Sequence[tuple[int, int]], boundary: Sequence[int], area: Rect, measure: Measure) -> Plan:
    """``nodes[0]`` in the middle, the others around it, an arrow between the hub and each.

    Up to four satellites sit left, right, above and below; more stand in two stacks, left and
    right. With a boundary, the satellites inside it make the left stack and the others the right,
    so one rectangle can enclose exactly the boundary's nodes (the hub too when it is one of them).
    Arrows run from the hub, unless the edges only give one from the satellite to the hub.
    """
    if n == 0:
        return Plan((), ())
    satellites = list(range(1, n))
    left_stack, right_stack, cross = _hub_sides(satellites, boundary)
    inner = _inset(area)
    width = min(inches(3.0), (inner.width - 2 * HUB_GAP) // 3)
    need = measure(width)
    stack = max(len(left_stack), len(right_stack), 1)
    if cross:
        rows = 3 if len(cross) >= 3 else 1
        height = _box_height(need, rows, area.height, HUB_V_GAP)
    else:
        height = _box_height(need, stack, area.height, STACK_GAP)
    centre_x = inner.left + inner.width // 2
    block = 3 * height + 2 * HUB_V_GAP if cross and len(cross) >= 3 else stack * height + (stack - 1) * STACK_GAP
    centre_y = _top(area, block) + block // 2
    hub = Rect(centre_x - width // 2, centre_y - height // 2, width, height)
    boxes: dict[int, Rect] = {0: hub}
    sides: dict[int, tuple[Side, Side]] = {}
    left_x = hub.left - HUB_GAP - width
    right_x = hub.right + HUB_GAP
    slots: list[tuple[int, int, Side, Side]] = [
        (left_x, hub.top, "left", "right"),
        (right_x, hub.top, "right", "left"),
        (hub.left, hub.top - HUB_V_GAP - height, "top", "bottom"),
        (hub.left, hub.bottom + HUB_V_GAP, "bottom", "top"),
    ]
    for i, (x, y, hub_side, sat_side) in zip(cross, slots, strict=False):
        boxes[i], sides[i] = Rect(x, y, width, height), (hub_side, sat_side)
    for column, x, hub_side, sat_side in (
        (left_stack, left_x, "left", "right"),
        (right_stack, right_x, "right", "left"),
    ):
        span = len(column) * height + (len(column) - 1) * STACK_GAP
        for j, i in enumerate(column):
            y = centre_y - span // 2 + j * (height + STACK_GAP)
            boxes[i], sides[i] = Rect(x, y, width, height), (hub_side, sat_side)
    edge_set = set(clean_edges(n, edges))
    links: list[Link] = []
    for i in satellites:
        hub_side, sat_side = sides[i]
        if (i, 0) in edge_set and (0, i) not in edge_set:
            links.append(Link(i, 0, sat_side, hub_side))
        else:
            links.append(Link(0, i, hub_side, sat_side))
    placed = tuple(boxes[i] for i in range(n))
    for u, v in sorted(edge_set):
        if 0 not in (u, v):
            links.append(_facing_link(u, v, placed))
    return Plan(placed, tuple(links))


def _hub_sides(satellites: list[int], boundary: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """Which satellites stand in the left stack, the right stack, or the cross (left, right, top, bottom)."""
    inside = [i for i in satellites if i in set(boundary)]
    if inside and (len(inside) < len(satellites) or 0 not in boundary):
        return inside, [i for i in satellites if i not in inside], []
    if len(satellites) <= 4:
        return [], [], satellites
    half = math.ceil(len(satellites) / 2)
    return satellites[:half], satellites[half:], []


def _facing_link(u: int, v: int, boxes: Sequence[Rect]) -> Link:
    """An arrow between the sides of two boxes that face each other."""
    a, b = boxes[u], boxes[v]
    dx, dy = b.centre_x - a.centre_x, b.centre_y - a.centre_y
    if abs(dx) >= abs(dy):
        return Link(u, v, "right", "left") if dx > 0 else Link(u, v, "left", "right")
    return Link(u, v, "bottom", "top") if dy > 0 else Link(u, v, "top", "bottom")
