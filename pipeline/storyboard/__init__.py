"""Plan a storyboard from a lesson: directions read as specs (``directions``, ``labels``), the slide's
context and what the lesson says (``context``, ``extract``, ``spoken``), text shaped into phrases
(``phrases``), slides filled from it (``fill``, ``columns``, ``one_line``, ``figures``, ``diagrams``,
``charts``), one slide at a time (``plan``), and the author's editable file (``file``)."""

from .context import title_similarity
from .directions import read_direction
from .file import apply_overrides, to_yaml
from .plan import plan

__all__ = ["apply_overrides", "plan", "read_direction", "title_similarity", "to_yaml"]
