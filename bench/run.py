"""Run every benchmark and write bench/results/latest.json and latest.md (and, asked, the README table).

    bench/run [--quick] [--repeats N] [--only startup,drift] [--out DIR] [--update-readme]
    bench/run --readme        # only re-render the README section from bench/results/latest.json

Each benchmark measures its comparisons side by side (contenders alternating, medians over the runs,
ratios); `--quick` runs every one at its smallest size (what tests/bench runs). The README section
between `<!-- bench:start -->` and `<!-- bench:end -->` is a function of the JSON alone, so
re-rendering it from the same results changes nothing.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness import ROOT, Size, machine, machine_line, table

# In the order they run: start-up first, before the others have warmed the caches it does not need.
BENCHMARKS = ("startup", "discovery", "drift", "livedrift", "environments", "install")
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SCHEMA = 1


def run_all(names: Sequence[str], size: Size) -> dict[str, Any]:
    info = machine()
    started = time.time()
    results = []
    for name in names:
        print(f"bench: {name}...", file=sys.stderr, flush=True)
        module = importlib.import_module(name)
        results.append(module.run(size).to_json())
    return {
        "schema": SCHEMA,
        "date": datetime.datetime.fromtimestamp(started, datetime.UTC).strftime("%Y-%m-%d"),
        "quick": size.quick,
        "duration_s": round(time.time() - started, 1),
        "machine": {**info, "load_average_end": [round(x, 2) for x in os.getloadavg()]},
        "benchmarks": results,
    }


def markdown(results: Mapping[str, Any]) -> str:
    size = "quick size (smoke check)" if results["quick"] else "full size"
    return (
        table(results["benchmarks"])
        + f"\nMeasured {results['date']}, {size}, on {machine_line(results['machine'])}. "
        "Each ratio compares medians of runs that alternated in one session.\n"
    )


def update_readme(results: Mapping[str, Any], readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    before, start, rest = text.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{readme} has no {START} ... {END} section")
    readme.write_text(f"{before}{START}\n{markdown(results)}{END}{after}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every benchmark at its smallest size")
    parser.add_argument("--repeats", type=int, help="runs per contender, overriding each default")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for latest.json/.md")
    parser.add_argument("--update-readme", action="store_true", help="also rewrite the README table")
    parser.add_argument("--readme", action="store_true", help="only re-render the README from --out")
    args = parser.parse_args(argv)

    latest = args.out / "latest.json"
    if args.readme:
        update_readme(json.loads(latest.read_text(encoding="utf-8")))
        return 0
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    results = run_all(names, Size(quick=args.quick, repeats=args.repeats))
    args.out.mkdir(parents=True, exist_ok=True)
    latest.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    if args.update_readme:
        update_readme(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
