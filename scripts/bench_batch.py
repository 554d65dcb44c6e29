"""Benchmark a whole course: how the batch time scales with lessons and workers.

Usage:
    python scripts/bench_batch.py                 # 8 lessons: one after another, --jobs 2, Dask 2 workers
    python scripts/bench_batch.py --lessons 4 8   # several batch sizes

Each configuration builds the same generated lessons from an empty build folder and cache, in
one run of this script, so the figures compare like with like on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build import BuildSettings, Outcome, build_many  # noqa: E402

TOPICS = [
    "keys",
    "tokens",
    "audits",
    "patches",
    "backups",
    "alerts",
    "logs",
    "roles",
    "quotas",
    "tests",
    "locks",
    "hashes",
]
SENTENCES = [
    "Every {topic} policy starts with an owner.",
    "Review the {topic} list each quarter.",
    "Automate the checks that people forget.",
    "Write down what you changed and why.",
]


def make_lessons(folder: Path, count: int) -> list[Path]:
    """``count`` three-slide lessons about a minute long, each with its own words."""
    folder.mkdir(parents=True, exist_ok=True)
    lessons = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        script = "\n".join(
            f"[SLIDE {n} — {title}]\n" + " ".join(s.format(topic=f"{topic} {i}") for s in SENTENCES)
            for n, title in enumerate(["Why it matters", "What to do", "How to check"], start=1)
        )
        outline = "\n".join(f"- {t} — three-bullet list." for t in ["Why it matters", "What to do", "How to check"])
        text = (
            f"B{i}.1 — Looking after {topic}¶\nType: Theory · Duration: ~1 min\n"
            f"Video script (~60 words, ~1 min)¶\n{script}\nSlide outline¶\n{outline}\n"
            "Production notes¶\n- Recording: ~0.5 min. Cap 2.\n"
        )
        path = folder / f"B{i:02d}-{topic}.txt"
        path.write_text(text, encoding="utf-8")
        lessons.append(path)
    return lessons


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", type=int, nargs="+", default=[8])
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()

    rows = [f"{'lessons':>7}  {'configuration':<28} {'wall s':>7}  {'vs serial':>9}  failed"]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        work = Path(scratch)
        for count in args.lessons:
            lessons = make_lessons(work / f"slides-{count}", count)
            configs = [("one after another (--jobs 1)", 1, 0), ("in parallel (--jobs 2)", 2, 0)]
            if not args.skip_dask:
                configs.append(("local Dask, 2 workers", 0, 2))
            serial = None
            for name, jobs, dask_workers in configs:
                build = work / "build"
                shutil.rmtree(build, ignore_errors=True)
                settings = BuildSettings(build_dir=build, cache_dir=build / ".cache")
                started = time.monotonic()
                outcomes = _run(lessons, settings, jobs, dask_workers)
                seconds = time.monotonic() - started
                failed = sum(1 for o in outcomes if o.result is None or o.result.problems)
                serial = serial or seconds
                rows.append(f"{count:>7}  {name:<28} {seconds:>7.1f}  {serial / seconds:>8.2f}x  {failed}")
                print(rows[-1], flush=True)
    print("\n".join(rows))
    return 0


def _run(lessons: list[Path], settings: BuildSettings, jobs: int, dask_workers: int) -> list[Outcome]:
    if not dask_workers:
        return build_many(lessons, settings, jobs=jobs)
    from distributed import LocalCluster

    with LocalCluster(n_workers=dask_workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        return build_many(lessons, settings, scheduler=cluster.scheduler_address)


if __name__ == "__main__":
    raise SystemExit(main())
