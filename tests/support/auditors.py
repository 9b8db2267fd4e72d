"""The other auditors, run on the same locked set and the same loopback advisories as `pyhelper audit`
(which reads `/pypi/<name>/<version>/json` of the loopback index):

- pip-audit (its own venv, `.dev/tools/pip-audit`, installed by scripts/dev-setup) on the lock exported
  by uv to pinned requirements (`--no-deps --disable-pip`: the pins as they are, nothing resolved or
  installed), asking the index's OSV face (`--osv-url`, tests/support/osv.py). Its PyPI service is
  not usable here: it asks `https://pypi.org/pypi/<name>/<version>/json`, a URL it has no setting for.
- `uv audit` on the uv.lock itself (`--frozen`), asking the same OSV face (`--service-url`).

Each answer is reduced to what the tools are compared on: per locked (name, version) with advisories,
each advisory, as the set of its ids (its id and aliases: pip-audit names an advisory by the one it
prefers, PYSEC before CVE before GHSA, the others by the record's own id), with its fixed versions; and
how many packages were audited at all.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from packaging.utils import canonicalize_name

from support.tools import TOOLS

PIP_AUDIT = TOOLS / "pip-audit" / "bin" / "pip-audit"


Advisories = dict[tuple[str, str], dict[frozenset[str], frozenset[str]]]
"""(canonical name, version) → an advisory's ids → its fixed versions; packages with none left out."""


class Report(NamedTuple):
    advisories: Advisories
    audited: int
    """Locked packages the tool says it checked."""


def loopback_only(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` where any request for a host other than 127.0.0.1 goes to a proxy that is not there (a
    loopback port nothing listens on) and fails at once: none of the tools can reach the internet."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    proxies = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    kept = {k: v for k, v in environ.items() if k.upper() not in proxies and not k.startswith("PIP_AUDIT_")}
    return {**kept, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "ALL_PROXY": closed, "NO_PROXY": "127.0.0.1"}


def export_command(uv: Path) -> list[str]:
    """The project's lock as pinned requirements (run in the project's folder)."""
    return [str(uv), "export", "--frozen", "--no-hashes", "--no-emit-project", "--quiet"]


def pip_audit_command(requirements: Path, osv_url: str, cache: Path) -> list[str]:
    return [
        str(PIP_AUDIT),
        "--requirement",
        str(requirements),
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        "osv",
        "--osv-url",
        f"{osv_url}v1/query",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--cache-dir",
        str(cache),
    ]


def uv_audit_command(uv: Path, osv_url: str) -> list[str]:
    """Run in the project's folder, with a private UV_CACHE_DIR (uv caches OSV answers)."""
    return [
        str(uv),
        "audit",
        "--frozen",
        "--output-format",
        "json",
        "--service-url",
        osv_url,
        "--preview-features",
        "audit-command,json-output",
    ]


def pip_audit_report(output: str) -> Report:
    data = json.loads(output)
    found: Advisories = {}
    for dependency in data["dependencies"]:
        for vuln in dependency.get("vulns", []):
            _add(found, dependency["name"], dependency["version"], vuln, vuln["fix_versions"])
    audited = [d for d in data["dependencies"] if "skip_reason" not in d]
    return Report(found, len(audited))


def uv_audit_report(output: str) -> Report:
    data = json.loads(output)
    found: Advisories = {}
    for vuln in data["vulnerabilities"]:
        dependency = vuln["dependency"]
        _add(found, dependency["name"], dependency["version"], vuln, vuln["fix_versions"])
    return Report(found, data["summary"]["audited_packages"])


def pyhelper_report(output: str) -> Report:
    """`pyhelper audit --format json`'s packages (its findings are the same advisories, placed)."""
    data = json.loads(output)
    assert data["notChecked"] == [], data["notChecked"]
    found: Advisories = {}
    for package in data["packages"]:
        for advisory in package["advisories"]:
            _add(found, package["name"], package["version"], advisory, advisory["fixed_in"])
    return Report(found, len(data["packages"]))


def _add(found: Advisories, name: str, version: str, advisory: Mapping[str, Any], fixed: Any) -> None:
    ids = frozenset({advisory["id"], *(advisory.get("aliases") or ())})
    found.setdefault((canonicalize_name(name), version), {})[ids] = frozenset(fixed or ())
