"""``python -m pipeline watch`` as an author uses it: the report open in a real browser while the
lesson is edited, broken and fixed, and Ctrl-C to stop."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.builds import PIPELINE_ENV
from support.lessons import small_lesson, write_course
from support.validators import axe_problems

from pipeline import tools

pytestmark = pytest.mark.e2e

WAIT_MS = 90_000  # a cold build of a small lesson takes seconds; a loaded machine may take much longer

LESSON = small_lesson(
    [("Opening", "First slide speaks. It has two sentences."), ("Second point", "Second slide speaks too.")]
)
EDITED = LESSON.replace("Second point", "Changed point")
# No marker before the first slide's narration: the lesson's line 4 is narration outside any slide.
BROKEN = EDITED.replace("[SLIDE 1 — Opening]\n", "")
ERROR = "slides/w.txt:4: narration before the first [SLIDE n — Title] marker"


class Watching:
    """A ``watch`` process in a course folder of its own (and its own process group), its output in files."""

    def __init__(self, root: Path, env: dict[str, str]):
        self.root = root
        self.stdout, self.stderr = root / "watch.out", root / "watch.err"
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "watch", "slides/w.txt", "--build", "build", "--port", "0",
                 "--no-hearing"],
                cwd=root, env=env, stdout=out, stderr=err, text=True, start_new_session=True,
            )  # fmt: skip
        self.url = self.wait_for(r"serving build/ at (http://127\.0\.0\.1:\d+/)").group(1)

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8") + self.stderr.read_text(encoding="utf-8")

    def wait_for(self, pattern: str, timeout: float = WAIT_MS / 1000) -> re.Match[str]:
        """The first match of ``pattern`` in the output, once it is there."""
        deadline = time.monotonic() + timeout
        while not (found := re.search(pattern, self.output())):
            assert self.process.poll() is None, f"watch ended ({self.process.returncode}):\n{self.output()}"
            assert time.monotonic() < deadline, f"no {pattern!r} in the output:\n{self.output()}"
            time.sleep(0.05)
        return found

    def stop(self, *, group: bool = False) -> int:
        """Ctrl-C: SIGINT to the process, or to its whole group as a terminal sends it; its exit status."""
        if group:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


@contextlib.contextmanager
def watching(root: Path, env: dict[str, str] = PIPELINE_ENV) -> Iterator[Watching]:
    process = Watching(root, env)
    try:
        yield process
    finally:
        if process.process.poll() is None:
            os.killpg(process.process.pid, signal.SIGKILL)
            process.process.wait(timeout=60)


def panel(page: Any) -> Any:
    return page.locator("#watch-panel")


def test_the_open_report_shows_each_edit_and_error_by_itself(tmp_path: Path, browser: Any) -> None:
    (lesson,) = write_course(tmp_path, {"w.txt": LESSON})
    with watching(tmp_path) as watch:
        watch.wait_for(r"w: \d:\d\d .*\[built in")
        page = browser.new_page()
        page.goto(watch.url + "w/report.html", wait_until="load")
        page.locator("h3", has_text="2. Second point").wait_for()
        # Where the reviewer is in the video, and marks that only this page (not a reload of it) has.
        page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=WAIT_MS)
        page.evaluate("document.getElementById('video').currentTime = 1.5")
        page.wait_for_function("!document.getElementById('video').seeking")
        page.evaluate("window.notReloaded = true")
        page.evaluate(
            """() => new MutationObserver(() => {
                const p = document.getElementById('watch-panel');
                if (p && !p.hidden && p.querySelector('table')) sessionStorage.setItem('budget', p.innerText);
            }).observe(document.body, {subtree: true, childList: true, attributes: true})"""
        )

        lesson.write_text(EDITED, encoding="utf-8")
        page.locator("h3", has_text="2. Changed point").wait_for(timeout=WAIT_MS)
        assert page.evaluate("window.notReloaded") is None  # the page reloaded itself
        # The new budget table showed before the build ended, and the video is where it was.
        assert "Changed point" in page.evaluate("sessionStorage.getItem('budget')")
        page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=WAIT_MS)
        assert page.evaluate("document.getElementById('video').currentTime") == pytest.approx(1.5, abs=0.05)
        assert page.evaluate("document.getElementById('video').paused") is True
        page.evaluate("window.notReloaded = true")

        lesson.write_text(BROKEN, encoding="utf-8")
        panel(page).get_by_text(ERROR).wait_for(timeout=WAIT_MS)
        assert panel(page).get_attribute("role") == "status"
        assert page.locator("h3", has_text="2. Changed point").is_visible()  # the last good build, under it
        assert axe_problems(page) == []
        watch.wait_for(re.escape(ERROR))

        lesson.write_text(EDITED, encoding="utf-8")
        panel(page).wait_for(state="hidden", timeout=WAIT_MS)
        page.locator("h3", has_text="2. Changed point").wait_for()
        page.close()

        assert watch.stop() == 0
    errors = watch.stderr.read_text(encoding="utf-8")
    assert "Traceback" not in errors
    assert errors.rstrip().endswith("stopped")


def stalling_ffmpeg(folder: Path) -> Path:
    """An ffmpeg that, while ``$HOLD`` exists, waits before writing the video (``$STALL_MATCH``),
    touching ``$STALLED`` when it starts to; it runs the real ffmpeg otherwise."""
    script = folder / "stalling-ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  case "$arg" in *"$STALL_MATCH"*)\n'
        '    [ -e "$HOLD" ] && touch "$STALLED"\n'
        '    while [ -e "$HOLD" ]; do sleep 0.1; done ;;\n'
        "  esac\n"
        "done\n"
        'exec "$REAL_FFMPEG" "$@"\n'
    )
    script.chmod(0o755)
    return script


def wait_until(path: Path, watch: Watching) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while not path.exists():
        assert watch.process.poll() is None, f"watch ended ({watch.process.returncode}):\n{watch.output()}"
        assert time.monotonic() < deadline, f"the build never reached the video:\n{watch.output()}"
        time.sleep(0.05)


def test_a_lesson_never_built_shows_its_error_then_its_budget_then_its_report_and_ctrl_c_stops_a_build(
    tmp_path: Path, browser: Any
) -> None:
    (lesson,) = write_course(tmp_path, {"w.txt": BROKEN})
    hold, stalled = tmp_path / "hold", tmp_path / "stalled"
    hold.touch()
    env = {
        **PIPELINE_ENV,
        "PIPELINE_FFMPEG": str(stalling_ffmpeg(tmp_path)),
        "REAL_FFMPEG": tools.find(tools.FFMPEG),
        "STALL_MATCH": "/w/.video.",
        "HOLD": str(hold),
        "STALLED": str(stalled),
    }
    with watching(tmp_path, env) as watch:
        watch.wait_for(re.escape(ERROR))
        page = browser.new_page()
        page.goto(watch.url + "w/report.html", wait_until="load")
        page.get_by_role("heading", name="Not built yet").wait_for()
        panel(page).get_by_text(ERROR).wait_for(timeout=WAIT_MS)
        assert axe_problems(page) == []

        # Fixed: the budget shows while the build is under way (held before the video is written).
        lesson.write_text(EDITED, encoding="utf-8")
        wait_until(stalled, watch)
        panel(page).get_by_text("Rebuilding…").wait_for()
        budget = panel(page).locator("table")
        budget.get_by_role("cell", name="Changed point").wait_for()
        assert budget.locator("tbody tr").count() == 2
        assert not panel(page).get_by_text(ERROR).is_visible()
        assert axe_problems(page) == []

        # Let it finish: the page turns into the report by itself.
        stalled.unlink()
        hold.unlink()
        page.locator("h3", has_text="2. Changed point").wait_for(timeout=WAIT_MS)
        assert page.locator("#video").count() == 1
        page.close()

        # Ctrl-C in the terminal (the whole process group) while a build is under way.
        hold.touch()
        lesson.write_text(EDITED.replace("Second slide speaks too.", "Second slide speaks up."), encoding="utf-8")
        wait_until(stalled, watch)
        assert watch.stop(group=True) == 0
    errors = watch.stderr.read_text(encoding="utf-8")
    assert "Traceback" not in errors
    assert "[w] stopped" in errors and errors.rstrip().endswith("stopped")
