"""``watch``: the build folder served on localhost, the lessons rebuilt as their files change, and
the open review pages updating themselves.

``changes`` maps a changed file to the lessons it affects, ``rebuild`` runs one build at a time
in the background, ``events`` is what the pages hear (Server-Sent Events), ``server`` serves the
build folder with the pages' script (``templates/watch.js``) added, and ``session`` ties them
together.
"""

from .session import Session

__all__ = ["Session"]
