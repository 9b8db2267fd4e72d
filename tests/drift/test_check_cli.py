"""`pyhelper check` run as a real process: exit codes, and the text, json and github formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def pyhelper(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyhelper", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_in_sync_exits_zero(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app/in-sync", tmp_path / "app")
    done = pyhelper(cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "lockfiles in sync\n")


def test_drift_in_text_like_a_compiler(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app/add-new-package", tmp_path / "app")
    done = pyhelper("app", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "app/pyproject.toml:8:5: error lock-missing-package attrs is required here but not in uv.lock — run `uv lock`",
        "1 problem found",
    ]


def test_json_paths_relative_to_the_current_folder(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "uv-workspace/member-tighten", tree / "ws")
    shutil.copytree(FIXTURES / "poetry-pep621/in-sync", tree / "nested/poetry-app")
    done = pyhelper("--format", "json", str(tree), cwd=tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout) == {
        "diagnostics": [
            {
                "file": "tree/ws/packages/lib/pyproject.toml",
                "range": {
                    "start": {"line": 4, "character": 16},
                    "end": {"line": 4, "character": 27},
                },
                "severity": "warning",
                "code": "lock-stale",
                "message": "uv.lock records `six>=1.16` for lib; it still satisfies `six>=1.17`, "
                "but uv will re-lock — run `uv lock`",
            }
        ]
    }


def test_github_annotations(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "poetry-pep621/reorder", tmp_path / "p")
    done = pyhelper("--format", "github", "p", cwd=tmp_path)
    assert done.returncode == 1
    line = done.stdout.strip()
    assert line.startswith(
        "::warning file=p/poetry.lock,line=114,col=16,endLine=114,endColumn=82,title=lock-stale::"
    )
    assert "content hash no longer matches" in line


def test_usage_and_unreadable_input_exit_two(tmp_path: Path) -> None:
    assert pyhelper("missing-folder", cwd=tmp_path).returncode == 2
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken/pyproject.toml").write_text("[project\n", encoding="utf-8")
    done = pyhelper("broken", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("broken/pyproject.toml:1:9: error toml-syntax ")
    assert pyhelper("--format", "xml", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_several_paths_name_each_project_folder_in_every_format(tmp_path: Path, output_format: str) -> None:
    for name in ("one", "two"):
        shutil.copytree(FIXTURES / "poetry-pep621/reorder", tmp_path / "repo" / name)
    done = pyhelper("--format", output_format, "one", "two", cwd=tmp_path / "repo")
    assert done.returncode == 1
    if output_format == "json":
        files = [d["file"] for d in json.loads(done.stdout)["diagnostics"]]
    else:
        files = re.findall(r"(?:^|file=)((?:one|two)/[^:,]+)", done.stdout, re.MULTILINE)
    assert files == ["one/poetry.lock", "two/poetry.lock"], done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "a", "b c"],
        ["check", "--format", "json"],
        ["check", "--format", "github", "a", "b"],
        ["check", "a", "b", "--format", "text"],
    ],
)
def test_plain_check_reads_the_command_line_as_the_parser_does(argv: list[str]) -> None:
    """The cold path that skips argparse reads the plain spellings as the parser does."""
    from pyhelper.cli import build_parser, plain_check

    parsed = build_parser().parse_args(argv)
    assert plain_check(argv) == (parsed.paths, parsed.format)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "a", "--format", "json", "b"],  # the parser refuses a path after the option
        ["check", "--format", "xml", "a"],
        ["check", "--format", "json", "--format", "text"],
        ["check", "--format=json", "a"],
        ["check", "--form", "json"],
        ["check", "-", "a"],
        ["check", "a", "--format"],
        ["check", "a", "--help"],
        ["check", ""],
        ["python", "list"],
        [],
    ],
)
def test_other_command_lines_are_left_to_the_parser(argv: list[str]) -> None:
    from pyhelper.cli import plain_check

    assert plain_check(argv) is None


# Lists, for every class a cold check's modules define with typing.NamedTuple, the fields annotated by a
# string (what `from __future__ import annotations` makes of every annotation).
_STRING_FIELDS = """
import io, sys
from typing import ForwardRef
from pyhelper import checkcmd
checkcmd.run([sys.argv[1]], "text", io.StringIO())
for name, module in sorted(sys.modules.items()):
    for cls in vars(module).values():
        if name.startswith("pyhelper") and isinstance(cls, type) and issubclass(cls, tuple) and cls.__module__ == name:
            for field, hint in getattr(cls, "__annotations__", {}).items():
                if isinstance(hint, (str, ForwardRef)):
                    print(f"{name}.{cls.__qualname__}.{field}")
"""


def test_a_cold_checks_named_tuples_are_annotated_by_objects_not_strings() -> None:
    """typing.NamedTuple compiles a string annotation at import (0.2M instructions a class, a few % of a cold
    check), so the modules a check imports do without `from __future__ import annotations`; the only
    strings left are references an import cycle forbids."""
    found = subprocess.run(
        [sys.executable, "-c", _STRING_FIELDS, str(FIXTURES / "uv-workspace")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert found == ["pyhelper.findings.Finding.code", "pyhelper.lockfiles.format.Selecting.cache"]
