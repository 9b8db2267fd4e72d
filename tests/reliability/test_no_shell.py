"""No shell anywhere in the helper: every subprocess is an argument list, so no workspace string can be
interpreted by a shell."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pyhelper" / "pyhelper"
_SHELL_CALLS = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "execl"),
    ("os", "execlp"),
    ("os", "spawnl"),
}
_SUBPROCESS = {
    "run",
    "Popen",
    "call",
    "check_call",
    "check_output",
    "getoutput",
    "getstatusoutput",
}


def _problems(source: Path) -> list[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{source.relative_to(PACKAGE.parent)}:{node.lineno}"
        func = node.func
        name = (
            (func.value.id, func.attr)
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else None
        )
        if name in _SHELL_CALLS:
            found.append(f"{where}: {name[0]}.{name[1]}")
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"{where}: shell={ast.unparse(keyword.value)}")
        if name is not None and name[0] == "subprocess" and name[1] in _SUBPROCESS and node.args:
            first = node.args[0]
            if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                found.append(f"{where}: subprocess.{name[1]} given a string command")
        if name == ("subprocess", "getoutput") or name == (
            "subprocess",
            "getstatusoutput",
        ):
            found.append(f"{where}: subprocess.{name[1]} runs a shell")
    return found


def test_no_shell_in_the_helper() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 20
    problems = [problem for source in sources for problem in _problems(source)]
    assert problems == []


def test_the_scan_would_see_a_shell(tmp_path: Path) -> None:
    bad = PACKAGE / "_reliability_probe_never_committed.py"
    try:
        bad.write_text(
            "import os, subprocess\nos.system('x')\nsubprocess.run('ls', shell=True)\nsubprocess.Popen(f'{x}')\n"
        )
        assert len(_problems(bad)) == 4
    finally:
        bad.unlink()
