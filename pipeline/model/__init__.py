"""Plain immutable data passed between stages: what a lesson says and the storyboard planned from it.

``Lesson`` is what the document says, nothing inferred (``document``). ``Storyboard`` is one entry
per slide with its layout, on-slide content, narration and speaker notes (``storyboard``); what a
slide shows (``content``) and its direction read as a spec (``spec``). Every item remembers where
it came from so errors and warnings can say ``path:line``. Nothing here knows a renderer, an
engine or a container.
"""

from .content import (
    LAYOUTS,
    Chart,
    ChartKind,
    Diagram,
    DiagramKind,
    Item,
    Layout,
    Series,
    Table,
)
from .document import (
    CodeBlock,
    ItemList,
    KeyTerm,
    Lesson,
    Metadata,
    Notice,
    OutlineItem,
    ProductionNote,
    QuizItem,
    ScriptSegment,
    Section,
    Source,
    TableBlock,
    Text,
)
from .spec import KINDS, Direction, Kind, Label, Mark
from .storyboard import Slide, Storyboard

__all__ = [
    "KINDS",
    "LAYOUTS",
    "Chart",
    "ChartKind",
    "CodeBlock",
    "Diagram",
    "DiagramKind",
    "Direction",
    "Item",
    "ItemList",
    "KeyTerm",
    "Kind",
    "Label",
    "Layout",
    "Lesson",
    "Mark",
    "Metadata",
    "Notice",
    "OutlineItem",
    "ProductionNote",
    "QuizItem",
    "ScriptSegment",
    "Section",
    "Series",
    "Slide",
    "Source",
    "Storyboard",
    "Table",
    "TableBlock",
    "Text",
]
