"""The light deck made self-playing: ``deck-narrated.pptx``.

Each slide gets its narration embedded as PowerPoint stores an inserted sound (an ``.m4a`` in AAC-LC,
which PowerPoint plays everywhere, unlike a WAV it would have to keep uncompressed), started
automatically when the slide begins; the slide advances by itself when the narration ends; and what
the narration reveals appears at the moment it is spoken, by entrance animations that start on
their own. Nobody has to click: the deck plays as the video does, and stays editable.

The XML is the form PowerPoint 2010 and later write for these features:

- the sound: a ``p:pic`` whose ``a:audioFile`` links the media part (the pre-2010 relationship) and
  whose ``p14:media`` extension embeds it (the one PowerPoint 2010+ reads), drawn as a small
  loudspeaker icon just right of the slide, where it is never seen, and hidden during the show;
- its playback: a ``p:audio`` media node and a ``mediacall`` effect (``playFrom(0.0)``) at the head
  of the main sequence, in a group that starts with the slide (``onBegin``), not on a click;
- each reveal: a Fade entrance, "with previous" and delayed by the reveal's time, in that same
  group, so every delay counts from the start of the slide; a table row (one ``graphicFrame``, which
  cannot be animated row by row) is hidden under a rectangle of the slide background that fades out
  at that time instead;
- the advance: ``p:transition`` with ``advTm``, which PowerPoint follows when the show uses timings.

The light deck is read, never written: the narrated deck goes to a temporary name beside ``out``
and is renamed into place.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.media import SPEAKER_IMAGE_BYTES, Video
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide as PptxSlide

from .. import cache
from ..errors import PipelineError
from .shapes.access import decorative, describe
from .shapes.boxes import named, rect

AUDIO_CONTENT_TYPE = "audio/mp4"  # what PowerPoint declares for an .m4a part
FADE_MS = 500  # PowerPoint's default Fade: quick enough to land with the word that reveals it
ICON_EMU = 304_800  # a third of an inch: the size PowerPoint gives a sound's icon, roughly
FULL_VOLUME = 100_000  # the narration is mastered to its loudness already; play it as it is

_P14_NS = "http://schemas.microsoft.com/office/powerpoint/2010/main"
_MEDIA_EXT_URI = "{DAA4B4D4-6D71-4841-9C94-3DE7FCFB9230}"  # the p14:media extension of p:nvPr
_SLIDE_CHILDREN = ("p:cSld", "p:clrMapOvr", "p:transition", "p:timing", "p:extLst")  # CT_Slide's order


@dataclass(frozen=True, slots=True)
class Reveal:
    """Things on a slide that appear together at ``at_s`` seconds after the slide starts."""

    at_s: float
    shape_ids: tuple[int, ...] = ()  # cNvPr ids of shapes already on that slide of the deck
    # (left, top, width, height) EMU regions hidden until at_s under a rectangle of the slide
    # background (table rows, which are one graphicFrame and cannot be animated row by row).
    covers: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Overlay:
    """A shape drawn over the slide from ``from_s`` until ``until_s`` seconds after it starts: a
    marked shape's plain look, over it until the narration reaches the mark."""

    xml: str  # the shape's element (``p:sp``, ``p:cxnSp``…), its id replaced when it is added
    from_s: float
    until_s: float


@dataclass(frozen=True, slots=True)
class NarratedSlide:
    """One slide's narration (AAC-LC in an ``.m4a``), its length, and what appears when."""

    audio: Path
    duration_s: float  # the slide advances automatically after this many seconds
    reveals: tuple[Reveal, ...] = ()  # in time order
    overlays: tuple[Overlay, ...] = ()


@dataclass(frozen=True, slots=True)
class _Effect:
    """One animated shape: it enters (``entr``) or exits (``exit``) ``at_ms`` after the slide starts."""

    shape_id: int
    at_ms: int
    kind: str  # "entr" | "exit"
    element: str  # the shape's element, "sp", "graphicFrame", "pic"…: it decides its build entry


def write_narrated_deck(deck: Path, slides: Sequence[NarratedSlide], out: Path, *, background: str) -> None:
    """Write ``out``: the deck ``deck`` with each slide's narration, reveals and automatic advance.

    ``slides`` has one entry per slide of ``deck``, in order; ``background`` is the slide
    background colour as hex (``"FFFFFF"``), the fill of the rectangles that cover table rows.
    """
    prs = Presentation(str(deck))
    if len(prs.slides) != len(slides):
        raise PipelineError(f"the deck has {len(prs.slides)} slides but {len(slides)} narrated slides were given", deck)
    for number, (page, narrated) in enumerate(zip(prs.slides, slides, strict=True), start=1):
        _ungroup_revealed(page, {i for reveal in narrated.reveals for i in reveal.shape_ids})
        _check(page, narrated, number, deck)
        _narrate(page, narrated, number, background)
    with cache.atomic_path(out) as tmp:
        prs.save(str(tmp))


# --- checks -----------------------------------------------------------------------------------


def _check(page: PptxSlide, narrated: NarratedSlide, number: int, deck: Path) -> None:
    """Raise a :class:`PipelineError` naming the slide when its timings or shape ids cannot be played."""
    where = f"slide {number}"
    if not (narrated.duration_s > 0 and math.isfinite(narrated.duration_s)):
        raise PipelineError(f"{where}: the narration lasts {narrated.duration_s} s; it must last longer than 0 s", deck)
    if not narrated.audio.is_file():
        raise PipelineError(f"{where}: the narration {narrated.audio} does not exist", deck)
    on_slide = {shape.shape_id for shape in page.shapes}
    seen: set[int] = set()
    previous = 0.0
    for reveal in narrated.reveals:
        if not 0 <= reveal.at_s <= narrated.duration_s:
            raise PipelineError(
                f"{where}: a reveal at {reveal.at_s} s falls outside the slide's {narrated.duration_s} s", deck
            )
        if reveal.at_s < previous:
            raise PipelineError(f"{where}: the reveal at {reveal.at_s} s comes after one at {previous} s", deck)
        previous = reveal.at_s
        for shape_id in reveal.shape_ids:
            if shape_id not in on_slide:
                raise PipelineError(
                    f"{where}: the reveal at {reveal.at_s} s names shape id {shape_id}, which is not a shape on "
                    f"that slide (its shapes: {', '.join(map(str, sorted(on_slide)))})",
                    deck,
                )
            if shape_id in seen:
                raise PipelineError(f"{where}: shape id {shape_id} is revealed more than once", deck)
            seen.add(shape_id)
        for _, _, width, height in reveal.covers:
            if width <= 0 or height <= 0:
                raise PipelineError(f"{where}: a cover at {reveal.at_s} s has no area ({width} x {height} EMU)", deck)
    for overlay in narrated.overlays:
        if not 0 <= overlay.from_s < overlay.until_s <= narrated.duration_s:
            raise PipelineError(
                f"{where}: an overlay from {overlay.from_s} s until {overlay.until_s} s does not fit the slide's "
                f"{narrated.duration_s} s",
                deck,
            )


def _ungroup_revealed(page: PptxSlide, revealed: set[int]) -> None:
    """Lift the members of any group holding a revealed shape onto the slide, in the group's place.

    An animation targets a shape of the slide itself, never one inside a group (PowerPoint animates
    a group whole). The deck groups a diagram's or a timeline's shapes so they read as one picture;
    the narrated deck gives that up where its boxes appear one by one. The deck's groups map their
    members' coordinates one to one (child offset and extent equal the group's), so members keep
    their places; a group that maps them otherwise is left whole.
    """
    tree = page.shapes._spTree
    for group in tree.findall(qn("p:grpSp")):
        ids = {int(found.get("id")) for found in group.iter(qn("p:cNvPr"))}
        xfrm = group.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
        if not ids & revealed or xfrm is None:
            continue
        parts = {child.tag: child.attrib for child in xfrm}
        if parts.get(qn("a:off")) != parts.get(qn("a:chOff")) or parts.get(qn("a:ext")) != parts.get(qn("a:chExt")):
            continue
        at = tree.index(group)
        members = [child for child in group if child.tag not in (qn("p:nvGrpSpPr"), qn("p:grpSpPr"))]
        tree.remove(group)
        for k, member in enumerate(members):
            tree.insert(at + k, member)


# --- one slide --------------------------------------------------------------------------------


def _narrate(page: PptxSlide, narrated: NarratedSlide, number: int, background: str) -> None:
    """Add the narration, the covers, the timing tree and the automatic advance to one slide."""
    duration_ms = _ms(narrated.duration_s)
    by_id = {shape.shape_id: shape for shape in page.shapes}
    effects = [
        _Effect(shape_id, _ms(reveal.at_s), "entr", etree.QName(by_id[shape_id]._element).localname)
        for reveal in narrated.reveals
        for shape_id in reveal.shape_ids
    ]
    for reveal in narrated.reveals:
        for region in reveal.covers:
            cover = _add_cover(page, region, background)
            effects.append(_Effect(cover.shape_id, _ms(reveal.at_s), "exit", "sp"))
    for overlay in narrated.overlays:
        shape_id, element = _add_overlay(page, overlay)
        if overlay.from_s > 0:
            effects.append(_Effect(shape_id, _ms(overlay.from_s), "entr", element))
        effects.append(_Effect(shape_id, _ms(overlay.until_s), "exit", element))
    # Covers are added before the sound so the icon stays the last shape, off the slide.
    audio_id = _add_audio(page, narrated.audio, number)
    sld = page._element
    for old in sld.findall(qn("p:transition")) + sld.findall(qn("p:timing")):
        sld.remove(old)
    _insert_in_order(sld, _transition(advance_ms(narrated.duration_s)))
    _insert_in_order(sld, _timing(audio_id, duration_ms, sorted(effects, key=lambda e: e.at_ms)))


def advance_ms(duration_s: float) -> int:
    """When the slide advances: after its narration, in whole seconds rounded up. LibreOffice keeps
    only the whole seconds of an advance time and would cut the narration's last fraction short;
    PowerPoint holds the slide for less than a second more."""
    return math.ceil(duration_s - 1e-6) * 1000


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _add_cover(page: PptxSlide, region: tuple[int, int, int, int], background: str) -> Any:
    """A rectangle of the slide background over ``region``, no outline, decorative: it hides what is
    under it until its exit effect removes it."""
    left, top, width, height = region
    return decorative(named(rect(page, left, top, width, height, background), "Reveal cover"))


def _add_overlay(page: PptxSlide, overlay: Overlay) -> tuple[int, str]:
    """``overlay``'s shape added on top of the slide under a new id; its id and element name."""
    element = parse_xml(overlay.xml)
    shape_id = max((int(e.get("id")) for e in page.shapes._spTree.iter(qn("p:cNvPr"))), default=1) + 1
    element.find(f".//{qn('p:cNvPr')}").set("id", str(shape_id))
    page.shapes._spTree.append(element)
    return shape_id, etree.QName(element).localname


def _add_audio(page: PptxSlide, audio: Path, number: int) -> int:
    """Embed ``audio`` as a sound object just right of the slide; return its shape id."""
    part = page.part
    media = Video.from_blob(audio.read_bytes(), AUDIO_CONTENT_TYPE, f"narration{number}.m4a")
    media_part = part.package.get_or_add_media_part(media)
    # Two relationships to the one part, as PowerPoint writes: r:link from a:audioFile for readers
    # before 2010, r:embed from the p14:media extension for PowerPoint 2010 and later.
    media_rid = part.relate_to(media_part, RT.MEDIA)
    audio_rid = part.relate_to(media_part, RT.AUDIO)
    _, icon_rid = part.get_or_add_image_part(io.BytesIO(SPEAKER_IMAGE_BYTES))
    shape_id = page.shapes._next_shape_id
    slide_width = page.part.package.presentation_part.presentation.slide_width or 0
    pic = _audio_pic(shape_id, audio_rid, media_rid, icon_rid, left=slide_width + ICON_EMU, top=0)
    page.shapes._spTree.append(pic)
    describe(page.shapes[-1], f"Narration of slide {number}")
    return shape_id


def _audio_pic(shape_id: int, audio_rid: str, media_rid: str, icon_rid: str, *, left: int, top: int) -> Any:
    """The ``p:pic`` PowerPoint writes for an inserted sound: a loudspeaker icon that stands for it."""
    return parse_xml(
        f"""<p:pic {nsdecls("p", "a", "r")}>
  <p:nvPicPr>
    <p:cNvPr id="{shape_id}" name="Narration">
      <a:hlinkClick r:id="" action="ppaction://media"/>
    </p:cNvPr>
    <p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>
    <p:nvPr>
      <a:audioFile r:link="{audio_rid}"/>
      <p:extLst>
        <p:ext uri="{_MEDIA_EXT_URI}">
          <p14:media xmlns:p14="{_P14_NS}" r:embed="{media_rid}"/>
        </p:ext>
      </p:extLst>
    </p:nvPr>
  </p:nvPicPr>
  <p:blipFill><a:blip r:embed="{icon_rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>
  <p:spPr>
    <a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{ICON_EMU}" cy="{ICON_EMU}"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
  </p:spPr>
</p:pic>"""
    )


def _insert_in_order(sld: Any, element: Any) -> None:
    """Insert ``element`` among ``p:sld``'s children where the schema's sequence puts it."""
    later = _SLIDE_CHILDREN[_SLIDE_CHILDREN.index(_prefixed(element.tag)) + 1 :]
    for child in sld:
        if _prefixed(child.tag) in later:
            child.addprevious(element)
            return
    sld.append(element)


def _prefixed(tag: str) -> str:
    return f"p:{etree.QName(tag).localname}" if tag.startswith("{") else tag


# --- the XML of timings -----------------------------------------------------------------------


def _transition(duration_ms: int) -> Any:
    """Advance after ``duration_ms``; a click still advances too, so a viewer can move on early.

    The effect is a cut, as in the video. It is written out although a cut is what no effect
    means: LibreOffice reads ``advTm`` only from a transition that names its effect.
    """
    transition = _el("p:transition", spd="fast", advClick="1", advTm=str(duration_ms))
    _sub(transition, "p:cut")
    return transition


def _timing(audio_id: int, duration_ms: int, effects: Sequence[_Effect]) -> Any:
    """The slide's ``p:timing``: the sound plays and every effect runs from the slide's start."""
    ids = itertools.count(1)
    timing = _el("p:timing")
    root = _ctn(_sub(_sub(timing, "p:tnLst"), "p:par"), ids, dur="indefinite", restart="never", nodeType="tmRoot")
    root_children = _sub(root, "p:childTnLst")
    seq = _sub(root_children, "p:seq", concurrent="1", nextAc="seek")
    main = _ctn(seq, ids, dur="indefinite", nodeType="mainSeq")
    main_id = main.get("id")
    # The one group of the main sequence starts when the sequence begins, i.e. with the slide,
    # instead of waiting for a click ("indefinite").
    group = _ctn(_sub(_sub(main, "p:childTnLst"), "p:par"), ids, fill="hold")
    conditions = _sub(group, "p:stCondLst")
    _sub(conditions, "p:cond", delay="indefinite")
    _sub(_sub(conditions, "p:cond", evt="onBegin", delay="0"), "p:tn", val=str(main_id))
    step = _ctn(_sub(_sub(group, "p:childTnLst"), "p:par"), ids, fill="hold")
    _delay(step, 0)
    effects_list = _sub(step, "p:childTnLst")
    effects_list.append(_play(ids, audio_id, duration_ms))
    for effect in effects:
        effects_list.append(_fade(ids, effect))
    _slide_events(seq)
    root_children.append(_audio_node(ids, audio_id))
    builds = _builds(effects)
    if len(builds):
        timing.append(builds)
    return timing


def _play(ids: Iterator[int], audio_id: int, duration_ms: int) -> Any:
    """The effect that plays the sound from its start, first of the group, "after previous"."""
    par = _el("p:par")
    effect = _ctn(
        par, ids, presetID="1", presetClass="mediacall", presetSubtype="0", fill="hold", nodeType="afterEffect"
    )
    _delay(effect, 0)
    command = _sub(_sub(effect, "p:childTnLst"), "p:cmd", type="call", cmd="playFrom(0.0)")
    behaviour = _sub(command, "p:cBhvr")
    _ctn(behaviour, ids, dur=str(duration_ms), fill="hold")
    _target(behaviour, audio_id)
    return par


def _fade(ids: Iterator[int], effect: _Effect) -> Any:
    """PowerPoint's Fade entrance or exit of one shape, "with previous", ``at_ms`` after the group starts.

    An entrance makes the shape visible, then fades it in; an exit fades it out, then hides it.
    """
    par = _el("p:par")
    node = _ctn(
        par, ids, presetID="10", presetClass=effect.kind, presetSubtype="0", fill="hold", grpId="0",
        nodeType="withEffect",
    )  # fmt: skip
    _delay(node, effect.at_ms)
    children = _sub(node, "p:childTnLst")
    entering = effect.kind == "entr"
    if entering:
        children.append(_visibility(ids, effect.shape_id, "visible", at_ms=0))
    fade = _sub(children, "p:animEffect", transition="in" if entering else "out", filter="fade")
    behaviour = _sub(fade, "p:cBhvr")
    _ctn(behaviour, ids, dur=str(FADE_MS))
    _target(behaviour, effect.shape_id)
    if not entering:
        children.append(_visibility(ids, effect.shape_id, "hidden", at_ms=FADE_MS - 1))
    return par


def _visibility(ids: Iterator[int], shape_id: int, value: str, *, at_ms: int) -> Any:
    """Set the shape's ``style.visibility`` to ``value`` at ``at_ms`` into its effect, and keep it."""
    setter = _el("p:set")
    behaviour = _sub(setter, "p:cBhvr")
    _delay(_ctn(behaviour, ids, dur="1", fill="hold"), at_ms)
    _target(behaviour, shape_id)
    _sub(_sub(behaviour, "p:attrNameLst"), "p:attrName").text = "style.visibility"
    _sub(_sub(setter, "p:to"), "p:strVal", val=value)
    return setter


def _slide_events(seq: Any) -> None:
    """The main sequence steps back and on with the slide show's previous and next events."""
    for conditions, event in (("p:prevCondLst", "onPrev"), ("p:nextCondLst", "onNext")):
        condition = _sub(_sub(seq, conditions), "p:cond", evt=event, delay="0")
        _sub(_sub(condition, "p:tgtEl"), "p:sldTgt")


def _audio_node(ids: Iterator[int], audio_id: int) -> Any:
    """The sound's media node: hidden when stopped (so the icon never shows), stopped with the slide."""
    audio = _el("p:audio")
    media = _sub(audio, "p:cMediaNode", vol=str(FULL_VOLUME), showWhenStopped="0")
    node = _ctn(media, ids, fill="hold", display="0")
    _sub(_sub(node, "p:stCondLst"), "p:cond", delay="indefinite")
    stop = _sub(_sub(node, "p:endCondLst"), "p:cond", evt="onStopAudio", delay="0")
    _sub(_sub(stop, "p:tgtEl"), "p:sldTgt")
    _target(media, audio_id)
    return audio


def _builds(effects: Sequence[_Effect]) -> Any:
    """``p:bldLst``: how each animated shape is built, as PowerPoint lists them.

    A shape (text box, cover) is built as one object with its background (``bldP animBg``); a
    graphic frame (a table) as one graphic (``bldGraphic``/``bldAsOne``); pictures, groups and
    connectors get no entry.
    """
    builds = _el("p:bldLst")
    seen: set[int] = set()
    for effect in effects:
        if effect.shape_id in seen:
            continue
        seen.add(effect.shape_id)
        if effect.element == "graphicFrame":
            _sub(_sub(builds, "p:bldGraphic", spid=str(effect.shape_id), grpId="0"), "p:bldAsOne")
        elif effect.element == "sp":
            _sub(builds, "p:bldP", spid=str(effect.shape_id), grpId="0", animBg="1")
    return builds


# --- small XML helpers ------------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:
    """A loose element of python-pptx's own classes, so it joins a slide's tree like one it parsed."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(name, value)
    return element


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, qn(tag), attrs)


def _ctn(parent: Any, ids: Iterator[int], **attrs: str) -> Any:
    """A ``p:cTn`` time node with the next id of the slide."""
    return _sub(parent, "p:cTn", id=str(next(ids)), **attrs)


def _delay(ctn: Any, delay_ms: int) -> None:
    _sub(_sub(ctn, "p:stCondLst"), "p:cond", delay=str(delay_ms))


def _target(behaviour: Any, shape_id: int) -> None:
    _sub(_sub(behaviour, "p:tgtEl"), "p:spTgt", spid=str(shape_id))
