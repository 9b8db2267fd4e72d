"""The loopback index's advisories (`PackageIndex.advise`, in PyPI's JSON API shape) as an OSV API, so
that tools which read OSV (pip-audit's `--osv-url`, `uv audit --service-url`) audit the very data that
`pyhelper audit` reads from `/pypi/<name>/<version>/json`.

PyPI's own `vulnerabilities` list is derived from OSV records (its fields are theirs: `id`, `aliases`,
`summary`, `details`, `fixed_in` from the ECOSYSTEM range's `fixed` events, `withdrawn`); this maps
back. An id advised for several versions is one record that affects each of them. As OSV's API does,
queries leave withdrawn records out (`/v1/vulns/<id>` still returns them, `withdrawn` set). Served:

    POST /v1/query          {"package": {"name", "ecosystem": "PyPI"}, "version"} → {"vulns": [record…]}
    POST /v1/querybatch     {"queries": [query…]} → {"results": [{"vulns": [{"id", "modified"}…]}…]}
    GET  /v1/vulns/<id>     → record
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from packaging.utils import canonicalize_name

Advisories = Mapping[tuple[str, str], Sequence[Mapping[str, object]]]
"""(canonical name, version) → the release's advisories, PyPI's field names."""

# OSV requires `modified`; a fixed value keeps answers (and their ETags) the same from run to run.
MODIFIED = "2026-01-01T00:00:00Z"


class BadQuery(ValueError):
    """The request body is not an OSV query: answered 400, as OSV does."""


def record(advisories: Advisories, vuln_id: str) -> dict[str, object] | None:
    """The OSV record of `vuln_id`: every advised release it names, grouped by package."""
    first: Mapping[str, object] | None = None
    affected: dict[str, list[str]] = {}
    fixed: dict[str, list[str]] = {}
    for (name, version), items in advisories.items():
        for item in items:
            if item.get("id") != vuln_id:
                continue
            first = first or item
            affected.setdefault(name, []).append(version)
            fixes = fixed.setdefault(name, [])
            fixes += [str(f) for f in _strings(item.get("fixed_in")) if f not in fixes]
    if first is None:
        return None
    found: dict[str, object] = {
        "schema_version": "1.6.0",
        "id": vuln_id,
        "modified": MODIFIED,
        "aliases": list(_strings(first.get("aliases"))),
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": name},
                "ranges": [
                    {
                        "type": "ECOSYSTEM",
                        "events": [{"introduced": "0"}, *({"fixed": f} for f in fixed[name])],
                    }
                ],
                "versions": versions,
            }
            for name, versions in affected.items()
        ],
    }
    for key in ("summary", "details", "withdrawn"):
        if isinstance(first.get(key), str):
            found[key] = first[key]
    if isinstance(first.get("link"), str):
        found["references"] = [{"type": "ADVISORY", "url": first["link"]}]
    return found


def answer(
    advisories: Advisories, method: str, path: str, body: bytes, page: int | None = None
) -> bytes | None:
    """The JSON answer to an OSV API request, None when `path` is not one (raises BadQuery); `page`: at
    most that many ids per batch result, the rest behind a `next_page_token` (as OSV pages)."""
    if method == "GET" and path.startswith("/v1/vulns/"):
        found = record(advisories, path.removeprefix("/v1/vulns/"))
        return None if found is None else json.dumps(found).encode()
    if method != "POST" or path not in ("/v1/query", "/v1/querybatch"):
        return None
    try:
        data = json.loads(body)
    except ValueError as error:
        raise BadQuery(f"not JSON: {error}") from None
    if path == "/v1/query":
        ids = _ids(advisories, data)
        records = [record(advisories, vuln_id) for vuln_id in ids]
        return json.dumps({"vulns": records} if records else {}).encode()
    queries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(queries, list):
        raise BadQuery("a batch needs `queries`")
    results = [_page(_ids(advisories, query), query, page) for query in queries]
    return json.dumps({"results": results}).encode()


def _page(ids: list[str], query: Mapping[str, object], page: int | None) -> dict[str, object]:
    token = query.get("page_token")
    start = int(token) if isinstance(token, str) and token.isdigit() else 0
    end = len(ids) if page is None else start + page
    result: dict[str, object] = {"vulns": [{"id": i, "modified": MODIFIED} for i in ids[start:end]]}
    if end < len(ids):
        result["next_page_token"] = str(end)
    return result if result["vulns"] else {}


def _ids(advisories: Advisories, query: object) -> list[str]:
    package = query.get("package") if isinstance(query, dict) else None
    version = query.get("version") if isinstance(query, dict) else None
    if (
        not isinstance(package, dict)
        or not isinstance(package.get("name"), str)
        or not isinstance(version, str)
    ):
        raise BadQuery(f"a query needs `package.name` and `version`: {query!r}")
    if package.get("ecosystem") != "PyPI":
        return []
    items = advisories.get((canonicalize_name(package["name"]), version), ())
    return list(
        dict.fromkeys(
            str(item["id"]) for item in items if isinstance(item.get("id"), str) and not item.get("withdrawn")
        )
    )


def _strings(value: object) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()
