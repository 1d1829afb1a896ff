"""``python -m tests.reliability [--full]``: run the suite and write ``docs/reliability.md``.

The page is written from the rows the scenarios recorded, whatever pytest concluded: a scenario
whose defect is not fixed yet is an expected failure for CI but reads FAILED on the page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.results import RESULTS_ENV, SIZE_ENV, read_rows, render

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reliability.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the sizes of issue #11 (slow)")
    parser.add_argument("--output", type=Path, default=PAGE, help="where to write the page")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, e.g. -k kill")
    args = parser.parse_args(argv)
    size_name = "full" if args.full else "ci"
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "rows.jsonl"
        results.touch()
        env = dict(os.environ, **{RESULTS_ENV: str(results), SIZE_ENV: size_name})
        began = time.monotonic()
        outcome = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-m", "reliability", "tests", *args.pytest_args],
            cwd=ROOT,
            env=env,
            check=False,
        )
        seconds = time.monotonic() - began
        rows = read_rows(results)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        render(rows, size_name=size_name, seconds=seconds, commit=commit or "unknown"),
        encoding="utf-8",
    )
    print(f"wrote {args.output} ({len(rows)} scenarios); pytest exit code {outcome.returncode}")
    return outcome.returncode


if __name__ == "__main__":
    raise SystemExit(main())
