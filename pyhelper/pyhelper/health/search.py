"""Add Dependency's package search: which names the project's index has that match what the user types,
and every version of the name typed (newest first, pre-releases and yanks marked).

Which indexes, in the order the project's manager asks them (`project_indexes`): uv's `tool.uv.index`
entries (the `default` one, else `UV_DEFAULT_INDEX` / `UV_INDEX_URL`, else PyPI, last), Poetry's primary
and supplemental sources (PyPI only when no primary one is declared), PDM's sources (a source named
`pypi` replaces PyPI, which otherwise comes first). Explicit sources (uv's `explicit = true`, Poetry's
`priority = "explicit"`) serve only the packages pinned to them, so they are not searched.

How names are found. The simple API has no search: a project is one page, `<index>/<name>/`. PyPI's
root page lists every project (over 600,000 names, tens of MB), far too much to fetch for a search box,
so on PyPI a query is an exact lookup of its PEP 503 name (which also answers its versions), beside
the names of the project's own lock that contain it. A private index's root is usually small: it is
fetched once, bounded by `MAX_LISTING_BYTES` (a larger one is treated like PyPI's: exact lookups only),
kept in memory for `LISTING_TTL` seconds and in the health cache (`HttpCache`) with its validators, and
searched for names containing the query. Every request goes through the health client (proxies,
SSL_CERT_FILE, caps and deadlines).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from pyhelper.health.cache import Answer, HttpCache
from pyhelper.health.client import FetchError, IndexClient, Request
from pyhelper.health.index import (
    PYPI,
    SIMPLE_ACCEPT,
    BadAnswer,
    VersionInfo,
    parse_simple,
    simple_base,
    simple_entries,
    simple_request,
)
from pyhelper.requirements import canonicalize_name, get_in

MAX_LISTING_BYTES = 4 * 2**20
"""A root listing larger than this (about 80,000 names) is not searched: exact lookups only."""
LISTING_TTL = 300.0
"""Seconds a fetched root listing answers searches before it is asked again (conditionally)."""
MAX_MATCHES = 50
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")

MatchSource = Literal["index", "listing", "lock"]
"""How a name was found: the index has a page for it (the exact name), the index's root lists it, or
the project's lock pins it."""


class Match(NamedTuple):
    name: str
    source: MatchSource


class SearchResult(NamedTuple):
    indexes: tuple[str, ...]
    matches: list[Match]
    """The exact name first when an index has it, then the lock's names, then the listings'."""
    versions: list[VersionInfo] | None
    """The exact name's versions, newest first, from `found_on`; None when no index has it."""
    found_on: str | None
    offline: bool
    """No index could be reached (or network use is off and nothing was cached)."""
    problem: str | None
    """Why an index gave no usable answer (unreachable, malformed), for the user to read."""


def query_name(query: str) -> str | None:
    """The package name a query starts with (`httpx>=0.27` → `httpx`); None when it starts with none."""
    match = _NAME.match(query.strip())
    return match.group(0) if match else None


def project_indexes(data: Mapping[str, Any], manager: str, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The simple-API base URLs a project's manager resolves against, in the order it asks them."""
    if manager == "poetry":
        sources = _urls(get_in(data, ("tool", "poetry", "source")), lambda s: s.get("priority", "primary"))
        primary = [url for url, priority in sources if priority in ("primary", "default")]
        supplemental = [url for url, priority in sources if priority == "supplemental"]
        return _unique([*primary, *([] if primary else [PYPI]), *supplemental])
    if manager == "pdm":
        sources = _urls(get_in(data, ("tool", "pdm", "source")), lambda s: s.get("name"))
        named_pypi = [url for url, name in sources if name == "pypi"]
        others = [url for url, name in sources if name != "pypi"]
        return _unique([*(named_pypi or [PYPI]), *others])
    indexes = _urls(get_in(data, ("tool", "uv", "index")), _uv_role)
    default = next((url for url, role in indexes if role == "default"), None)
    from_env = environ.get("UV_DEFAULT_INDEX") or environ.get("UV_INDEX_URL")
    searched = [url for url, role in indexes if role == "index"]
    return _unique([*searched, simple_base(from_env) if from_env else default or PYPI])


def _uv_role(index: Mapping[str, Any]) -> str:
    if index.get("explicit") is True:
        return "explicit"
    return "default" if index.get("default") is True else "index"


def _urls(value: object, key: Any) -> list[tuple[str, object]]:
    items = [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
    return [(simple_base(item["url"]), key(item)) for item in items if isinstance(item.get("url"), str)]


def _unique(urls: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))


def is_pypi(index: str) -> bool:
    return simple_base(index) in (PYPI, "https://pypi.python.org/simple")


def listing_request(index: str) -> Request:
    return Request(f"{simple_base(index)}/", {"Accept": SIMPLE_ACCEPT}, MAX_LISTING_BYTES)


def parse_listing(answer: Answer) -> list[str]:
    """The PEP 503 names of a root page (PEP 691 JSON `projects`, or PEP 503 anchors)."""
    names = (text for text, _ in simple_entries(answer, "projects", "name"))
    return list(dict.fromkeys(canonicalize_name(name) for name in names if _NAME.fullmatch(name)))


def _not_there(error: FetchError) -> bool:
    return error.status in (404, 410)


class PackageSearch:
    """Searches for one session: the health client and cache, and the root listings fetched lately."""

    def __init__(self, client: IndexClient | None, cache: HttpCache) -> None:
        self.client, self.cache = client, cache
        self._listings: dict[str, tuple[float, list[str] | None]] = {}
        self._lock = threading.Lock()

    def search(self, query: str, indexes: Sequence[str], known: Iterable[str]) -> SearchResult:
        """The names matching `query` on `indexes` (asked in order) and in `known` (the lock's names)."""
        name = query_name(query)
        if name is None or not indexes:
            return SearchResult(tuple(indexes), [], None, None, False, None)
        wanted = canonicalize_name(name)
        answers = self.cache.fetch(self.client, [simple_request(index, wanted) for index in indexes])
        versions: list[VersionInfo] | None = None
        found_on: str | None = None
        errors: list[FetchError | BadAnswer] = []
        for index, answer in zip(indexes, answers, strict=True):
            if isinstance(answer, FetchError):
                if not _not_there(answer):
                    errors.append(answer)
                continue
            try:
                versions, found_on = parse_simple(answer), index
                break
            except BadAnswer as error:
                self.cache.forget(answer.url)
                errors.append(error)
        matches = [Match(wanted, "index")] if found_on is not None else []
        matches += [Match(known_name, "lock") for known_name in _containing(wanted, known)]
        for index in indexes:
            listed = self._listing(index)
            if listed is not None:
                matches += [Match(listed_name, "listing") for listed_name in _containing(wanted, listed)]
        offline = found_on is None and len(errors) == len(indexes) and all(_offline(e) for e in errors)
        problem = _problem(errors) if found_on is None else None
        return SearchResult(tuple(indexes), _first_of_each(matches), versions, found_on, offline, problem)

    def _listing(self, index: str) -> list[str] | None:
        """The index's root listing, or None for PyPI, one too large, unreachable or malformed."""
        if is_pypi(index):
            return None
        now = time.monotonic()
        with self._lock:
            kept = self._listings.get(index)
        if kept is not None and now - kept[0] < LISTING_TTL:
            return kept[1]
        (answer,) = self.cache.fetch(self.client, [listing_request(index)])
        names: list[str] | None = None
        if isinstance(answer, Answer):
            try:
                names = parse_listing(answer)
            except BadAnswer:
                self.cache.forget(answer.url)
        with self._lock:
            self._listings[index] = (now, names)
        return names


def _containing(wanted: str, names: Iterable[str]) -> list[str]:
    """The names containing `wanted` (either separator spelling), the ones starting with it first."""
    hits = sorted({canonicalize_name(name) for name in names if wanted in canonicalize_name(name)})
    hits.sort(key=lambda name: (not name.startswith(wanted), len(name)))
    return hits[:MAX_MATCHES]


def _first_of_each(matches: Iterable[Match]) -> list[Match]:
    seen: dict[str, Match] = {}
    for match in matches:
        seen.setdefault(match.name, match)
    return list(seen.values())[:MAX_MATCHES]


def _offline(error: FetchError | BadAnswer) -> bool:
    return isinstance(error, FetchError) and error.offline


def _problem(errors: Sequence[FetchError | BadAnswer]) -> str | None:
    if not errors:
        return None
    first = errors[0]
    return f"{first.url} — {first.reason}" if isinstance(first, FetchError) else str(first)
