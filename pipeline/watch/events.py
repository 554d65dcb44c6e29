"""What the open pages hear: the events of a ``watch`` session, their Server-Sent Events framing,
and the hub that hands each one to every connected page.

Events are about one lesson (its ``stem``): ``building`` (a rebuild started), ``budget`` (the
new estimate, before any audio), ``failed`` (the error text, ``path:line: message``), ``built``
(the new outputs are on disk), and ``index`` (``build/index.html`` was written again). The
error's event is not called ``error``: an ``EventSource`` fires its own ``error`` for a lost
connection, and a page could not tell the two apart. A page that connects first hears
``hello`` and then what is current: a lesson that is building, its budget, its last error;
so a page opened (or reloaded) while a lesson is broken shows the error at once.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import budget as budget_mod

# How long a browser waits before reconnecting after the connection drops (a restarted server).
RETRY_MS = 1000
_NAME = re.compile(r"[a-z][a-z-]*")


@dataclass(frozen=True, slots=True)
class Event:
    """One event for the pages: its name, the lesson it is about ("" for none) and its JSON payload."""

    name: str
    lesson: str
    data: Mapping[str, Any]

    def frame(self) -> bytes:
        """The event as Server-Sent Events put it on the wire."""
        return sse(self.name, json.dumps({"lesson": self.lesson, **self.data}, ensure_ascii=False))


def sse(name: str, data: str) -> bytes:
    """One Server-Sent Events message: ``event:``, a ``data:`` line per line of ``data``, a blank line.

    A line break inside a ``data:`` line would end it early, so every kind of break (CR, LF,
    CRLF) starts a new ``data:`` line; the browser joins them back with LF.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"not an event name: {name!r}")
    lines = [f"event: {name}"]
    lines.extend(f"data: {line}" for line in re.split(r"\r\n|\r|\n", data))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


# Sent first on every connection: sets how long the browser waits before reconnecting (no event).
RETRY = f"retry: {RETRY_MS}\n\n".encode()
KEEPALIVE = b": keep-alive\n\n"  # a comment: browsers ignore it; a closed connection shows up when it is written


def hello(server_id: str) -> Event:
    """The first event on a connection; a page that sees the server's id change reloads."""
    return Event("hello", "", {"server": server_id})


def building(stem: str) -> Event:
    return Event("building", stem, {})


def budget(stem: str, estimate: budget_mod.Budget) -> Event:
    """The budget table of a lesson as planned, before any audio: each slide's estimate, the total
    against target and cap, and what to cut."""
    clock = budget_mod.clock
    total = estimate.duration_s or 1.0
    return Event(
        "budget",
        stem,
        {
            "slides": [
                {
                    "n": s.n,
                    "title": s.title,
                    "words": s.words,
                    "estimate_s": s.estimate_s,
                    "wpm": round(s.wpm),
                    "share": round(s.duration_s / total * 100),
                }
                for s in estimate.slides
            ],
            "words": estimate.words,
            "duration_s": round(estimate.duration_s, 1),
            "duration": clock(estimate.duration_s),
            "target": clock(estimate.target_s),
            "cap": clock(estimate.cap_s),
            "pace_wpm": estimate.pace.wpm,
            "wpm": round(estimate.wpm),
            "status": estimate.status,
            "status_label": estimate.status.replace("_", " "),
            "advice": budget_mod.advice(estimate),
        },
    )


def failed(stem: str, message: str) -> Event:
    return Event("failed", stem, {"message": message})


def built(stem: str, *, reused: bool, status: str) -> Event:
    return Event("built", stem, {"reused": reused, "status": status})


def index() -> Event:
    return Event("index", "", {})


class Hub:
    """Hands every event to every connected page, and remembers each lesson's current state for
    pages that connect later. Thread-safe: the builder publishes, one server thread per page reads."""

    def __init__(self, server_id: str):
        self._lock = threading.Lock()
        self._queues: set[queue.Queue[Event | None]] = set()
        self._state: dict[str, dict[str, Event]] = {}  # stem -> event name -> its latest event
        self._hello = hello(server_id)
        self._closed = False

    def publish(self, event: Event) -> None:
        with self._lock:
            self._remember(event)
            for q in self._queues:
                q.put(event)

    def _remember(self, event: Event) -> None:
        if not event.lesson:
            return
        state = self._state.setdefault(event.lesson, {})
        if event.name == "building":
            state.clear()  # a new round: the last budget and error no longer hold
            state["building"] = event
        elif event.name in ("budget", "failed"):
            state[event.name] = event
            if event.name == "failed":
                state.pop("building", None)
        elif event.name == "built":
            state.clear()  # the page on disk is the news now

    def subscribe(self) -> queue.Queue[Event | None]:
        """A queue of events for one page, starting with ``hello`` and the current state; ``None`` ends it."""
        q: queue.Queue[Event | None] = queue.Queue()
        with self._lock:
            q.put(self._hello)
            for state in self._state.values():
                for name in ("building", "budget", "failed"):
                    if name in state:
                        q.put(state[name])
            if self._closed:
                q.put(None)
            else:
                self._queues.add(q)
        return q

    def unsubscribe(self, q: queue.Queue[Event | None]) -> None:
        with self._lock:
            self._queues.discard(q)

    def close(self) -> None:
        """End every page's stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            for q in self._queues:
                q.put(None)
            self._queues.clear()
