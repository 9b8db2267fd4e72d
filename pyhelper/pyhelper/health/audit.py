"""Findings about the versions a lock pins: `lock-vulnerable` (known advisories of the locked version)
and `lock-yanked` (PEP 592), each on the lock entry and on the pyproject requirement that brings the
package in; per package, the newest version overall and the newest the requirement allows (for
"2.31.0 locked · 2.32.3 latest"); and every package that could not be asked about, so that nothing
unchecked passes for healthy.

Accepted advisories are `[tool.lockstep] ignore-advisories = [{ id = "GHSA-…", reason = "…" }]` in the
project's pyproject.toml (an id or any of its aliases), or the caller's `ignore` (the CLI's `--ignore`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from packaging.version import InvalidVersion, Version

from pyhelper import codes
from pyhelper.codes import REGISTRY
from pyhelper.findings import Finding, Related
from pyhelper.health.cache import Answer, HttpCache
from pyhelper.health.client import FetchError, IndexClient, Request
from pyhelper.health.index import (
    Advisory,
    BadAnswer,
    VersionInfo,
    newest,
    parse_simple,
    parse_vulnerabilities,
    release_request,
    simple_request,
)
from pyhelper.health.locked import LockedProject
from pyhelper.health.osv import merged, osv_advisories
from pyhelper.lockfiles.format import LockEntry
from pyhelper.requirements import canonicalize_name, get_in

CONFIG_KEY = ("tool", "lockstep", "ignore-advisories")


class PackageHealth(NamedTuple):
    name: str
    version: str
    advisories: tuple[Advisory, ...]
    """Known and not ignored."""
    yanked: bool
    yank_reason: str | None
    latest: str | None
    """The newest final, unyanked version on the index."""
    latest_allowed: str | None
    """The newest the pyproject's requirement allows (direct requirements only)."""
    upgrade_to: str | None
    """The version that fixes every advisory (or replaces a yanked one), when there is one."""


class Unchecked(NamedTuple):
    name: str
    version: str
    reason: str
    offline: bool


class ProjectHealth(NamedTuple):
    project: LockedProject
    packages: dict[str, PackageHealth]
    unchecked: list[Unchecked]
    findings: list[Finding]
    ignored: int
    """Advisories found and accepted (config or caller)."""
    requests: int
    """Answers that needed the network (not answered from the cache without a request)."""


def ignored_advisories(project: LockedProject) -> tuple[dict[str, str], list[str]]:
    """The project's accepted advisories (id → reason) and what is wrong with the setting."""
    accepted: dict[str, str] = {}
    problems: list[str] = []
    value = get_in(project.pyproject.data, CONFIG_KEY)
    if value is None:
        return accepted, problems
    where = f"{project.pyproject.path}: [tool.lockstep] ignore-advisories"
    if not isinstance(value, list):
        return accepted, [f"{where} must be a list of {{ id = …, reason = … }} tables"]
    for item in value:
        advisory = item.get("id") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if not isinstance(advisory, str) or not advisory:
            problems.append(f"{where}: every entry needs an `id` (got {item!r})")
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where}: {advisory} needs a `reason` saying why it is accepted")
        else:
            accepted[advisory] = reason
    return accepted, problems


def check_health(
    project: LockedProject,
    client: IndexClient | None,
    cache: HttpCache,
    ignore: Collection[str] = (),
    osv: str | None = None,
) -> ProjectHealth:
    """Ask the project's index about every locked package from an index (network: `client`, None when
    network use is off, then only fresh cache entries answer), and the OSV service at `osv` (a
    `querybatch` URL) too when one is given."""
    accepted, _ = ignored_advisories(project)
    ignoring = {*accepted, *ignore}
    entries = [entry for entry in project.entries if entry.from_index and entry.version]
    simple = {(project.index_of(e), e.name): simple_request(project.index_of(e), e.name) for e in entries}
    releases: dict[tuple[str, str, str], Request | None] = {
        (project.index_of(e), e.name, e.version or ""): release_request(
            project.index_of(e), e.name, e.version or ""
        )
        for e in entries
    }
    requests = [*simple.values(), *(request for request in releases.values() if request is not None)]
    answers = dict(zip([request.url for request in requests], cache.fetch(client, requests), strict=True))
    pages = {request.url: _versions(cache, answers[request.url]) for request in simple.values()}
    # A page fresh in the cache may predate the lock (a version published since, and locked): asked again
    # rather than read as "not yanked". One the index itself answered is what the index says.
    behind = [
        simple[project.index_of(e), e.name]
        for e in entries
        if _lacks(pages[simple[project.index_of(e), e.name].url], e.version or "")
        and _from_cache(answers[simple[project.index_of(e), e.name].url])
    ]
    if behind and client is not None:
        behind = list({request.url: request for request in behind}.values())
        renewed = cache.fetch(client, behind, revalidate=True)
        for request, answer in zip(behind, renewed, strict=True):
            answers[request.url] = answer
            pages[request.url] = _versions(cache, answer)

    locked = [(entry.name, entry.version or "") for entry in entries]
    from_osv = osv_advisories(osv, locked, client, cache) if osv else {}
    packages: dict[str, PackageHealth] = {}
    unchecked: list[Unchecked] = []
    findings: list[Finding] = []
    ignored = 0
    for entry in entries:
        version = entry.version or ""
        index = project.index_of(entry)
        page = simple[index, entry.name].url
        try:
            versions = pages[page]
            if isinstance(versions, Exception):
                raise versions
            if _lacks(versions, version):
                # Without a network the page could not be asked again: not checked, offline.
                raise FetchError(
                    page,
                    f"does not list {version}, so whether it is yanked is unknown",
                    offline=client is None,
                )
            release = releases[index, entry.name, version]
            if release is None and not osv:
                raise FetchError(index, "the index has no PyPI-style JSON API, so no vulnerability data")
            advisories = _advisories(answers[release.url]) if release is not None else []
            if osv:
                known = from_osv[canonicalize_name(entry.name), version]
                if isinstance(known, Exception):
                    raise known
                advisories = list(merged(advisories, known))
        except FetchError as error:
            unchecked.append(Unchecked(entry.name, version, f"{error.url} — {error.reason}", error.offline))
            continue
        except BadAnswer as error:
            cache.forget(error.url)
            unchecked.append(Unchecked(entry.name, version, str(error), False))
            continue
        kept = tuple(a for a in advisories if not ({a.id, *a.aliases} & ignoring))
        ignored += len(advisories) - len(kept)
        this = next((info for info in versions if info.version == _normal(version)), None)
        required = project.required.get(entry.name)
        latest = newest(versions)
        allowed = newest(versions, required.allowed) if required and required.allowed is not None else None
        health = PackageHealth(
            entry.name,
            version,
            kept,
            bool(this and this.yanked),
            this.yank_reason if this else None,
            latest.version if latest else None,
            allowed.version if allowed else latest.version if latest and required else None,
            _upgrade_to(version, kept, versions) if kept or (this and this.yanked) else None,
        )
        packages[entry.name] = health
        findings += _findings(project, entry, health)
    answered = sum(
        1 for answer in answers.values() if not isinstance(answer, FetchError) and not answer.from_cache
    )
    return ProjectHealth(project, packages, unchecked, findings, ignored, answered)


def _versions(cache: HttpCache, answer: Answer | FetchError) -> list[VersionInfo] | FetchError | BadAnswer:
    """A simple page's versions, or why there are none (a malformed page is dropped from the cache)."""
    if isinstance(answer, FetchError):
        return answer
    try:
        return parse_simple(answer)
    except BadAnswer as error:
        cache.forget(error.url)
        return error


def _lacks(versions: list[VersionInfo] | FetchError | BadAnswer, version: str) -> bool:
    """The page was read and does not list `version`."""
    return isinstance(versions, list) and all(info.version != _normal(version) for info in versions)


def _from_cache(answer: Answer | FetchError) -> bool:
    return isinstance(answer, Answer) and answer.from_cache


def _advisories(answer: Answer | FetchError) -> list[Advisory]:
    if isinstance(answer, FetchError):
        raise answer
    return parse_vulnerabilities(answer)


def _normal(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def _upgrade_to(locked: str, advisories: Sequence[Advisory], versions: Sequence[VersionInfo]) -> str | None:
    """The lowest version on the index, above the locked one and not yanked, that every advisory says
    is fixed (a fix in a lower line, 1.9.3 for 2.0.1, does not count); for a yank alone, the newest."""
    try:
        current = Version(locked)
    except InvalidVersion:
        return None
    available = sorted(
        Version(info.version) for info in versions if not info.yanked and Version(info.version) > current
    )
    if not advisories:
        finals = [v for v in available if not v.is_prerelease]
        return str(finals[-1]) if finals else None
    floor = current
    for advisory in advisories:
        fixes = sorted(v for v in (_parsed(f) for f in advisory.fixed_in) if v is not None and v > current)
        if not fixes:
            return None
        floor = max(floor, fixes[0])
    return next((str(v) for v in available if v >= floor and not v.is_prerelease), None)


def _parsed(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None


def describe(health: PackageHealth) -> list[tuple[codes.Code, str]]:
    """(code, what is wrong) for a package's problems, worded for the lock entry."""
    found: list[tuple[codes.Code, str]] = []
    fix = f" — upgrade to {health.upgrade_to}" if health.upgrade_to else ""
    if health.advisories:
        count = len(health.advisories)
        listed = "; ".join(_advisory_text(a) for a in health.advisories)
        noun = "a known vulnerability" if count == 1 else f"{count} known vulnerabilities"
        found.append((codes.LOCK_VULNERABLE, f"{health.name} {health.version} has {noun}: {listed}{fix}"))
    if health.yanked:
        reason = f": {health.yank_reason}" if health.yank_reason else " (no reason given)"
        found.append(
            (codes.LOCK_YANKED, f"{health.name} {health.version} is yanked from its index{reason}{fix}")
        )
    return found


def versions_label(health: PackageHealth) -> str:
    """`2.31.0 locked · 2.32.3 latest` (what the editor shows after a direct requirement): the newest
    the requirement allows is named too when it is neither the locked nor the newest version."""
    locked = _parsed(health.version) or health.version
    parts = [f"{health.version} locked"]
    allowed, latest = health.latest_allowed, health.latest
    if allowed is not None and _parsed(allowed) not in (locked, _parsed(latest or "")):
        parts.append(f"{allowed} allowed")
    if latest is not None:
        parts.append("latest" if _parsed(latest) == locked else f"{latest} latest")
    return " · ".join(parts)


def versions_text(health: PackageHealth, index: str) -> str:
    """Markdown for the hover: the newest versions `index` has, allowed by the requirement and overall."""
    allowed = f"`{health.latest_allowed}`" if health.latest_allowed else "none"
    latest = f"`{health.latest}`" if health.latest else "none"
    return f"- Newest the requirement allows: {allowed}; newest: {latest} (on {index})"


def advisory_link(advisories: Sequence[Advisory]) -> str | None:
    """The first advisory's page that is an http(s) URL: an index's or OSV's `link` is a stranger's
    string, and the editor would open whatever scheme it names."""
    for advisory in advisories:
        try:
            parts = urlsplit(advisory.link or "")
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return advisory.link
    return None


def _advisory_text(advisory: Advisory) -> str:
    aliases = f" ({', '.join(advisory.aliases)})" if advisory.aliases else ""
    summary = f" {advisory.summary}" if advisory.summary else ""
    fixed = f", fixed in {', '.join(advisory.fixed_in)}" if advisory.fixed_in else ", no fixed version"
    return f"{advisory.id}{aliases}{summary}{fixed}"


def _findings(project: LockedProject, entry: LockEntry, health: PackageHealth) -> list[Finding]:
    chain = project.chains.get(entry.name)
    required = project.required.get(chain[0]) if chain else None
    found: list[Finding] = []
    for code, message in describe(health):
        severity = REGISTRY[code].severity
        link = advisory_link(health.advisories) if code == codes.LOCK_VULNERABLE else None
        lock_finding = Finding(project.lockfile, entry.range, severity, code, message, link=link)
        if required is None or chain is None:
            found.append(lock_finding)
            continue
        through = f" (through {' → '.join(chain)})" if len(chain) > 1 else ""
        locked = f"{health.name} {health.version}"
        here = message.replace(locked, f"{locked} (locked)", 1)
        if through:
            here = f"{chain[0]} brings in {health.name}{through}: {message}"
        found.append(
            lock_finding._replace(
                related=(Related(project.pyproject.path, required.range, f"required here{through}"),)
            )
        )
        found.append(
            Finding(
                project.pyproject.path,
                required.range,
                severity,
                code,
                here,
                (
                    Related(
                        project.lockfile,
                        entry.range,
                        f"{health.name} {health.version} in {project.lockfile.name}",
                    ),
                ),
                link,
            )
        )
    return found
