"""Known vulnerabilities from an OSV-compatible service (`lockstep.health.osvUrl`, `pyhelper audit --osv`),
besides the index's own: the locked (ecosystem PyPI, name, version) asked in `querybatch` POSTs of at
most `BATCH` queries, whose answer names only the advisories' ids; each advisory's details (aliases,
summary, fixed versions) then come from `<base>/vulns/<id>`, a GET cached like the index's answers.

    https://api.osv.dev/v1/querybatch   →   https://api.osv.dev/v1/vulns/GHSA-…

Everything goes through the health client (caps, deadlines, proxies). An answer that is malformed,
of the wrong length or shape makes the packages it should have covered not checked, never clean.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pyhelper.health.cache import Answer, HttpCache
from pyhelper.health.client import FetchError, IndexClient, Request
from pyhelper.health.index import Advisory, BadAnswer
from pyhelper.requirements import canonicalize_name

BATCH = 1000
"""Queries per `querybatch` POST (OSV.dev's own limit)."""
MAX_PAGES = 10
"""Rounds of `next_page_token` follow-ups for packages with many advisories, before giving up on them."""
MAX_BATCH_BYTES = 8 * 2**20
"""A batch's answer is ids and dates, about 100 bytes per advisory."""
MAX_VULN_BYTES = 2 * 2**20

Package = tuple[str, str]
"""(PEP 503 name, version)."""
Found = dict[Package, list[Advisory] | FetchError | BadAnswer]


def vulns_base(querybatch_url: str) -> str:
    """Where an advisory's details are: beside `querybatch` (`…/v1/querybatch` → `…/v1/vulns`)."""
    base = querybatch_url.rstrip("/")
    return (base[: -len("querybatch")] if base.endswith("/querybatch") else base + "/") + "vulns"


def osv_advisories(
    url: str, packages: Sequence[Package], client: IndexClient | None, cache: HttpCache, batch: int = BATCH
) -> Found:
    """The advisories OSV at `url` knows for each package, or why it could not say."""
    found: Found = {}
    unique = list(dict.fromkeys((canonicalize_name(name), version) for name, version in packages))
    if client is None:
        off = FetchError(url, "network use is off", offline=True)
        return dict.fromkeys(unique, off)
    for start in range(0, len(unique), batch):
        found.update(_ask(url, unique[start : start + batch], client, cache))
    return found


def _ask(url: str, packages: list[Package], client: IndexClient, cache: HttpCache) -> Found:
    ids: dict[Package, list[str]] = {package: [] for package in packages}
    tokens: dict[Package, str | None] = dict.fromkeys(packages)
    waiting = list(packages)
    for _ in range(MAX_PAGES):
        if not waiting:
            break
        asking, waiting = waiting, []
        try:
            pages = _querybatch(url, asking, tokens, client)
        except (FetchError, BadAnswer) as error:
            return dict.fromkeys(packages, error)
        for package, (vuln_ids, token) in zip(asking, pages, strict=True):
            ids[package] += vuln_ids
            tokens[package] = token
            if token:
                waiting.append(package)
    details = _details(url, sorted({i for found in ids.values() for i in found}), client, cache)
    result: Found = {}
    for (name, version), vuln_ids in ids.items():
        if tokens[name, version]:  # still more pages after MAX_PAGES: its list is not whole
            result[name, version] = BadAnswer(
                url, f"kept paging past {MAX_PAGES} answers for {name} {version}"
            )
            continue
        problem = next((details[i] for i in vuln_ids if not isinstance(details[i], dict)), None)
        if isinstance(problem, (FetchError, BadAnswer)):
            result[name, version] = problem
            continue
        result[name, version] = [
            _advisory(vuln, name) for i in dict.fromkeys(vuln_ids) if isinstance(vuln := details[i], dict)
        ]
    return result


def _querybatch(
    url: str, packages: list[Package], tokens: Mapping[Package, str | None], client: IndexClient
) -> list[tuple[list[str], str | None]]:
    queries = []
    for name, version in packages:
        query: dict[str, object] = {"package": {"ecosystem": "PyPI", "name": name}, "version": version}
        if tokens.get((name, version)):
            query["page_token"] = tokens[name, version]
        queries.append(query)
    body = json.dumps({"queries": queries}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    response = client.get(Request(url, headers, MAX_BATCH_BYTES, body))
    if response.status != 200:
        raise FetchError(url, f"HTTP {response.status}", status=response.status)
    data = _json(Answer(url, response.body, response.headers.get("content-type", ""), False))
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or len(results) != len(packages):
        raise BadAnswer(url, f"is not an answer to {len(packages)} OSV queries (no `results` of that length)")
    pages = []
    for item in results:
        if not isinstance(item, dict):
            raise BadAnswer(url, "has a result that is not an object")
        vulns = item.get("vulns") or []
        if not isinstance(vulns, list) or not all(
            isinstance(v, dict) and isinstance(v.get("id"), str) for v in vulns
        ):
            raise BadAnswer(url, "has `vulns` without ids")
        token = item.get("next_page_token")
        pages.append(([v["id"] for v in vulns], token if isinstance(token, str) and token else None))
    return pages


def _details(
    url: str, ids: list[str], client: IndexClient, cache: HttpCache
) -> dict[str, dict[str, Any] | FetchError | BadAnswer]:
    base = vulns_base(url)
    requests = [
        Request(f"{base}/{quote(vuln_id, safe='')}", {"Accept": "application/json"}, MAX_VULN_BYTES)
        for vuln_id in ids
    ]
    found: dict[str, dict[str, Any] | FetchError | BadAnswer] = {}
    for vuln_id, answer in zip(ids, cache.fetch(client, requests), strict=True):
        if isinstance(answer, FetchError):
            found[vuln_id] = answer
            continue
        try:
            data = _json(answer)
            if not isinstance(data, dict) or data.get("id") != vuln_id:
                raise BadAnswer(answer.url, f"is not the OSV record of {vuln_id}")
            if not well_formed(data):
                raise BadAnswer(answer.url, "is not an OSV record (a list it must have is something else)")
            found[vuln_id] = data
        except BadAnswer as error:
            cache.forget(answer.url)
            found[vuln_id] = error
    return found


def _json(answer: Answer) -> object:
    kind = answer.content_type.split(";")[0].strip().lower()
    if kind and kind != "application/json" and not kind.endswith("+json"):
        raise BadAnswer(answer.url, f"is not a JSON answer (its type is {kind})")
    try:
        return json.loads(answer.body)
    except (ValueError, RecursionError) as exc:
        raise BadAnswer(answer.url, f"is not valid JSON ({exc})") from None


def well_formed(vuln: Mapping[str, Any]) -> bool:
    """Whether each list `_advisory` reads (`affected` and its `ranges` and their `events`,
    `references`, `aliases`) is one, or absent: a record of another shape is no answer."""

    def listed(value: object) -> bool:
        return value is None or isinstance(value, list)

    def range_ok(where: object) -> bool:
        return not isinstance(where, dict) or listed(where.get("events"))

    def affected_ok(item: object) -> bool:
        return not isinstance(item, dict) or (
            listed(item.get("ranges")) and all(range_ok(where) for where in item.get("ranges") or ())
        )

    affected = vuln.get("affected")
    return (
        listed(affected)
        and all(affected_ok(item) for item in affected or ())
        and listed(vuln.get("references"))
        and listed(vuln.get("aliases"))
    )


def _advisory(vuln: Mapping[str, Any], name: str) -> Advisory:
    """An OSV record as the index's advisories are: the fixed versions of its PyPI `name` ranges."""
    fixed: list[str] = []
    for affected in vuln.get("affected") or ():
        package = affected.get("package") if isinstance(affected, dict) else None
        if not isinstance(package, dict) or package.get("ecosystem") != "PyPI":
            continue
        if canonicalize_name(str(package.get("name", ""))) != name:
            continue
        for where in affected.get("ranges") or ():
            for event in where.get("events") or () if isinstance(where, dict) else ():
                if isinstance(event, dict) and isinstance(event.get("fixed"), str):
                    fixed.append(event["fixed"])
    references = [
        r for r in vuln.get("references") or () if isinstance(r, dict) and isinstance(r.get("url"), str)
    ]
    advisory = next((r["url"] for r in references if r.get("type") == "ADVISORY"), None)
    summary = vuln.get("summary") or vuln.get("details") or ""
    lines = str(summary).strip().splitlines()
    return Advisory(
        str(vuln["id"]),
        tuple(alias for alias in vuln.get("aliases") or () if isinstance(alias, str)),
        lines[0] if lines else "",
        tuple(dict.fromkeys(fixed)),
        advisory,
    )


def merged(index: Sequence[Advisory], osv: Sequence[Advisory]) -> tuple[Advisory, ...]:
    """The index's advisories and OSV's, one per vulnerability: two that share an id or an alias are one
    (the index's wording first, the aliases and fixed versions of both)."""
    result = list(index)
    for extra in osv:
        names = {extra.id, *extra.aliases}
        at = next((i for i, known in enumerate(result) if names & {known.id, *known.aliases}), None)
        if at is None:
            result.append(extra)
            continue
        known = result[at]
        aliases = tuple(a for a in dict.fromkeys((*known.aliases, extra.id, *extra.aliases)) if a != known.id)
        result[at] = known._replace(
            aliases=aliases,
            summary=known.summary or extra.summary,
            fixed_in=tuple(dict.fromkeys((*known.fixed_in, *extra.fixed_in))),
            link=known.link or extra.link,
        )
    return tuple(result)
