"""What the health tests share: the advisory the loopback index gives, lines of files, running uv,
running `pyhelper audit` in-process."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

from pyhelper import auditcmd
from support.index import PackageIndex

ADVISORY = {
    "id": "PYSEC-2026-1",
    "aliases": ["CVE-2026-0001", "GHSA-aaaa-bbbb-cccc"],
    "summary": "Request smuggling in web's parser",
    "fixed_in": ["1.1"],
    "link": "https://osv.dev/vulnerability/PYSEC-2026-1",
}


def advisory(vuln_id: str, fixed: str, *aliases: str, summary: str = "") -> dict[str, object]:
    """An advisory in PyPI's JSON API fields (what `advise` and `osv_advise` take), fixed in `fixed`."""
    return {
        "id": vuln_id,
        "aliases": list(aliases),
        "summary": summary,
        "fixed_in": [fixed],
        "link": f"https://osv.example/{vuln_id}",
    }


def line_of(path: Path, text: str) -> int:
    """The first line that is `text` (leading spaces and a trailing comma aside)."""
    lines = path.read_text().splitlines()
    return next(number for number, line in enumerate(lines) if line.strip().rstrip(",") == text)


def run_uv(uv: Path, args: list[str], cwd: Path, index: PackageIndex, cache: Path) -> None:
    done = subprocess.run(
        [str(uv), *args], cwd=cwd, env=index.environ(cache), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def audit(
    project: Path, *ignore: str, output_format: str = "json", offline: bool = False, osv: str | None = None
) -> tuple[int, str]:
    """`pyhelper audit .` in `project` (its exit status, and what it wrote)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        status = auditcmd.run(".", output_format, list(ignore), offline=offline, osv=osv, out=out, err=err)
    finally:
        os.chdir(cwd)
    return status, out.getvalue() + err.getvalue()
