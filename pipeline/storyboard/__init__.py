"""Plan a storyboard from a lesson: directions read as specs (``directions``), content found in the
lesson (``extract``, ``fill``, ``figures``), one slide at a time (``plan``), and the author's
editable file (``file``)."""

from .context import title_similarity
from .directions import read_direction
from .file import apply_overrides, to_yaml
from .plan import plan

__all__ = ["apply_overrides", "plan", "read_direction", "title_similarity", "to_yaml"]
