"""Run every benchmark and write bench/results/latest.json and latest.md (and, asked, the README table).

    bench/run [--quick] [--repeats N] [--only startup,drift] [--out DIR] [--update-readme]
    bench/run --readme        # only re-render the README section from bench/results/latest.json

Each benchmark measures its comparisons side by side (contenders alternating, medians over the runs,
ratios); `--quick` runs every one at its smallest size (what tests/bench runs). A run of some
(`--only`) keeps the others' last results in latest.json, each benchmark saying when and on what
it was measured, so the README table stays whole. The README section
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
BENCHMARKS = (
    "startup",
    "discovery",
    "drift",
    "livedrift",
    "environments",
    "dependencies",
    "projects",
    "install",
    "health",
)
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


def _session(results: Mapping[str, Any]) -> dict[str, Any]:
    return {key: results[key] for key in ("date", "quick", "machine")}


def kept_with(previous: Mapping[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """`results` of some benchmarks, with the other benchmarks of `previous` kept in their places."""
    fresh = {bench["name"]: bench for bench in results["benchmarks"]}
    kept = [
        {"session": _session(previous), **bench} if "session" not in bench else bench
        for bench in previous.get("benchmarks", [])
        if bench["name"] not in fresh
    ]
    order = {name: index for index, name in enumerate(BENCHMARKS)}
    benchmarks = sorted([*kept, *fresh.values()], key=lambda bench: order.get(bench["name"], len(order)))
    return {**results, "benchmarks": benchmarks}


def markdown(results: Mapping[str, Any]) -> str:
    sessions: list[tuple[dict[str, Any], list[str]]] = []
    for bench in results["benchmarks"]:
        session = bench.get("session", _session(results))
        names = next((names for known, names in sessions if known == session), None)
        if names is None:
            sessions.append((session, names := []))
        names.append(bench["name"])
    lines = []
    for session, names in sessions:
        size = "quick size (smoke check)" if session["quick"] else "full size"
        which = f" ({', '.join(names)})" if len(sessions) > 1 else ""
        lines.append(f"Measured {session['date']}{which}, {size}, on {machine_line(session['machine'])}. ")
    return (
        table(results["benchmarks"])
        + "\n"
        + "".join(lines)
        + "Each ratio compares medians of runs that alternated in one session.\n"
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
    if args.only and latest.exists():
        results = kept_with(json.loads(latest.read_text(encoding="utf-8")), results)
    args.out.mkdir(parents=True, exist_ok=True)
    latest.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    if args.update_readme:
        update_readme(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
