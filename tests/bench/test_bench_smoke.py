"""The benchmark suite runs end to end at its smallest size and writes results of the documented shape.

Timings are never asserted (they are noisy; budgets live in bench/). What is checked is that every
benchmark ran, measured both sides of each comparison, produced a well-formed row for every measure
(a unit, a usable target, a met/unmet verdict exactly when there is a target), that the counts which
do not depend on the machine's speed meet their targets, and that the table and the README section
follow from the JSON.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
MACHINE_KEYS = {
    "cpu",
    "cores",
    "memory_gb",
    "os",
    "kernel",
    "python",
    "uv",
    "load_average",
}
ROW_KEYS = {
    "measure",
    "lockstep",
    "value",
    "unit",
    "reference",
    "reference_value",
    "target",
    "ratio",
    "met",
}
UNITS = {"ms", "MB", "processes"}
COUNT_UNITS = {"processes"}  # counted, not timed: the same on any machine
MET_CELL = {True: "yes", False: "**no**", None: "—"}


def load_runner() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    return results, (out / "latest.md").read_text(encoding="utf-8")


def test_every_benchmark_ran_with_both_sides_measured(
    quick_run: tuple[dict[str, Any], str],
) -> None:
    results, _ = quick_run
    runner = load_runner()
    assert results["schema"] == 1
    assert results["quick"] is True
    assert results["machine"].keys() >= MACHINE_KEYS
    assert results["machine"]["cores"] >= 1
    assert [bench["name"] for bench in results["benchmarks"]] == list(runner.BENCHMARKS)
    for bench in results["benchmarks"]:
        assert bench["rows"], bench["name"]
        assert any(row["target"] for row in bench["rows"]), bench["name"]
        for row in bench["rows"]:
            assert set(row) == ROW_KEYS, row
            assert row["value"] >= 0 and math.isfinite(row["value"]), row
            if row["reference"] is not None:
                assert row["reference_value"] > 0, row
                assert row["ratio"] == pytest.approx(row["value"] / row["reference_value"])
            target = row["target"]
            if target is not None:
                checked = row["ratio"] if target["on"] == "ratio" else row["value"]
                limit = target["limit"]
                assert row["met"] == (checked < limit if target["strict"] else checked <= limit), row


def test_every_row_is_well_formed(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    for bench in results["benchmarks"]:
        assert bench["description"].strip(), bench["name"]
        measures = [(row["measure"], row["lockstep"]) for row in bench["rows"]]
        assert len(set(measures)) == len(measures), bench["name"]  # no row measured twice
        for row in bench["rows"]:
            assert row["measure"].strip() and row["lockstep"].strip(), row
            assert row["unit"] in UNITS, row
            assert (row["reference"] is None) == (row["reference_value"] is None) == (row["ratio"] is None), (
                row
            )
            target = row["target"]
            if target is None:
                assert row["met"] is None, row
                continue
            assert target["on"] in ("ratio", "value"), row
            assert target["on"] == "value" or row["reference"] is not None, row  # a ratio needs both sides
            assert math.isfinite(target["limit"]) and target["limit"] >= 0, row
            assert isinstance(row["met"], bool), row
            assert target["text"].endswith("\u00d7" if target["on"] == "ratio" else row["unit"]), row  # times


def test_counts_that_do_not_depend_on_speed_meet_their_targets(
    quick_run: tuple[dict[str, Any], str],
) -> None:
    results, _ = quick_run
    counted = [row for bench in results["benchmarks"] for row in bench["rows"] if row["unit"] in COUNT_UNITS]
    assert counted  # discovery counts the processes it starts
    assert all(row["met"] is True for row in counted), counted


def test_table_has_a_line_per_row(quick_run: tuple[dict[str, Any], str]) -> None:
    results, table = quick_run
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    rows = [row for bench in results["benchmarks"] for row in bench["rows"]]
    assert len(lines) == 2 + len(rows)  # the header and its rule, then one per row
    # Escaped pipes (`curl \| tar`) keep every line at six cells.
    assert all(line.replace("\\|", "").count("|") == 7 for line in lines)
    for line, row in zip(lines[2:], rows, strict=True):
        assert row["measure"].replace("|", "\\|") in line, (line, row)
        assert line.rstrip().endswith(f"| {MET_CELL[row['met']]} |"), (line, row)
    assert results["machine"]["cpu"] in table


def test_readme_section_is_a_function_of_the_results(
    quick_run: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    results, table = quick_run
    runner = load_runner()
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Title\n\n## Benchmarks\n\n<!-- bench:start -->\nstale table\n<!-- bench:end -->\n\n## Next\n",
        encoding="utf-8",
    )
    runner.update_readme(results, readme)
    once = readme.read_text(encoding="utf-8")
    runner.update_readme(results, readme)
    assert readme.read_text(encoding="utf-8") == once
    assert "stale table" not in once and table in once
    assert once.startswith("# Title\n") and once.endswith("<!-- bench:end -->\n\n## Next\n")
