"""Compare Lockstep's engine with the recorded verdicts; print agreement by format (run by hand).

    .dev/venv/bin/python tests/corpus/triage.py            # figures and every disagreement
    .dev/venv/bin/python tests/corpus/triage.py --write    # also rewrite known_disagreements.json

`--write` names each disagreement's cause from the engine's findings (what made it say drift where
the tool did not, or the tool's own reason when the engine missed drift). Use it only to take stock
after a change of the engine or the corpus; the list should only ever shrink.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import tomllib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: helpers import as corpus.X

from corpus.corpus_cases import KNOWN_DISAGREEMENTS, VERDICTS, Project, case_id, load_manifest, materialise
from pyhelper.drift.lock import check_project
from pyhelper.findings import Finding, Severity


def _pyprojects(root: Path) -> list[dict[str, object]]:
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in root.rglob("pyproject.toml")]


def _dynamic_requirements(root: Path) -> bool:
    for data in _pyprojects(root):
        dynamic = data.get("project", {}).get("dynamic", [])  # type: ignore[union-attr]
        if {"dependencies", "optional-dependencies"} & set(dynamic):
            return True
    return False


def _platform_sourced(root: Path) -> set[str]:
    names: set[str] = set()
    for data in _pyprojects(root):
        sources = data.get("tool", {}).get("uv", {}).get("sources", {})  # type: ignore[union-attr]
        names |= {name for name, value in sources.items() if isinstance(value, list)}
    return names


def cause(finding: Finding, root: Path) -> str:
    """The engine rule a false alarm comes from, by what the finding says."""
    message = finding.message
    if finding.path.name.startswith("pylock"):
        return "pylock export"
    if "exclude-newer" in message:
        return "exclude-newer span"
    if any(f"`{name}" in message for name in _platform_sourced(root)):
        return "per-platform source"
    if "from git" in message:
        return "git source"
    if "from editable" in message or "from workspace" in message:
        return "member pin"
    if finding.code == "lock-extraneous" and _dynamic_requirements(root):
        return "dynamic"
    if "does not record this requirement in the" in message:
        return "include-group"
    if "; " in message and "still satisfies" in message:
        return "markers normalised"
    return f"other: {finding.code}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    recorded = json.loads(VERDICTS.read_text(encoding="utf-8"))["cases"]
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    known: dict[str, str] = {}
    projects: list[Project] = load_manifest()
    for project in projects:
        for mutation in project.mutations():
            verdict = recorded[case_id(project, mutation)]
            with tempfile.TemporaryDirectory() as scratch:
                root = materialise(project, mutation, Path(scratch) / project.name)
                alarms = [f for f in check_project(root) if f.severity <= Severity.WARNING]
                agrees = bool(alarms) == verdict["stale"]
                totals[project.format]["agree" if agrees else "disagree"] += 1
                if agrees:
                    continue
                if alarms:
                    reason = ", ".join(sorted({cause(f, root) for f in alarms}))
                    known[case_id(project, mutation)] = f"false drift: {reason}"
                else:
                    why = verdict.get("reason") or verdict["tool_output"]
                    known[case_id(project, mutation)] = f"missed drift: {why}"
            print(f"{case_id(project, mutation):55} {known[case_id(project, mutation)]}")
    for fmt, counts in sorted(totals.items()):
        total = counts["agree"] + counts["disagree"]
        print(f"{fmt:7} {counts['agree']}/{total} agree", file=sys.stderr)
    if args.write:
        KNOWN_DISAGREEMENTS.write_text(
            json.dumps({"cases": dict(sorted(known.items()))}, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
