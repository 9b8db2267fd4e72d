"""What a package index says about a project's packages: the simple API (PEP 691 JSON, PEP 503 HTML as
fallback) for versions and yanked files (PEP 592), and a PyPI-shaped JSON API
(`/pypi/<name>/<version>/json`) for known vulnerabilities.

Which index: the lock's own record for the entry (uv's `source = { registry = ... }`, Poetry's
`[package.source]`), else the project's default (`tool.uv.index` marked `default`, a Poetry source of
priority `primary`/`default`, a PDM source named `pypi`), else PyPI. `list_versions` is the typed
entry point for anyone who needs an index's versions of a name (Add Dependency's version list).
"""

from __future__ import annotations

import html.parser
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from packaging.specifiers import SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from pyhelper.health.cache import Answer, HttpCache
from pyhelper.health.client import FetchError, IndexClient, Request
from pyhelper.requirements import canonicalize_name, get_in

PYPI = "https://pypi.org/simple"
SIMPLE_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
)
# PyPI's largest simple pages (every file of every release of a big project) are tens of MB.
MAX_SIMPLE_BYTES = 64 * 2**20
# A release's JSON (its files and vulnerabilities) is tens of KB; a few MB is already absurd.
MAX_RELEASE_BYTES = 8 * 2**20


class BadAnswer(Exception):
    """An index's answer that is not what the API promises (malformed JSON or HTML)."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url} {message}")
        self.url = url


class VersionInfo(NamedTuple):
    version: str
    prerelease: bool
    yanked: bool
    """PEP 592: every file of the version is yanked."""
    yank_reason: str | None


class Advisory(NamedTuple):
    id: str
    aliases: tuple[str, ...]
    summary: str
    fixed_in: tuple[str, ...]
    link: str | None


def simple_base(url: str) -> str:
    return url.rstrip("/")


def json_api_base(simple_url: str) -> str | None:
    """PyPI's JSON API beside its simple API (`…/simple` → `…/pypi`); None when the index is not laid
    out like PyPI (then no vulnerability data comes from it)."""
    base = simple_base(simple_url)
    return base[: -len("simple")] + "pypi" if base.endswith("/simple") else None


def project_default_index(data: Mapping[str, Any]) -> str:
    """The index a project's packages come from when its lock does not say."""
    for index in _list(get_in(data, ("tool", "uv", "index"))):
        if index.get("default") is True and isinstance(index.get("url"), str):
            return simple_base(index["url"])
    for source in _list(get_in(data, ("tool", "poetry", "source"))):
        if source.get("priority") in ("primary", "default") and isinstance(source.get("url"), str):
            return simple_base(source["url"])
    for source in _list(get_in(data, ("tool", "pdm", "source"))):
        if source.get("name") == "pypi" and isinstance(source.get("url"), str):
            return simple_base(source["url"])
    return PYPI


def _list(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def simple_request(index: str, name: str) -> Request:
    return Request(
        f"{simple_base(index)}/{canonicalize_name(name)}/", {"Accept": SIMPLE_ACCEPT}, MAX_SIMPLE_BYTES
    )


def release_request(index: str, name: str, version: str) -> Request | None:
    base = json_api_base(index)
    if base is None:
        return None
    return Request(
        f"{base}/{canonicalize_name(name)}/{version}/json", {"Accept": "application/json"}, MAX_RELEASE_BYTES
    )


def simple_entries(answer: Answer, key: str, field: str) -> list[tuple[str, object]]:
    """A simple-API page's entries as (text, yanked): PEP 691 JSON's `key` list by its items' `field`
    (a project page's `files` by `filename`, the root's `projects` by `name`), or PEP 503 HTML's anchors;
    raises BadAnswer when malformed."""
    kind = _media_type(answer)
    if kind == "application/vnd.pypi.simple.v1+json":
        try:
            data = json.loads(answer.body)
        except (ValueError, RecursionError) as exc:
            raise BadAnswer(answer.url, f"is not valid JSON ({exc})") from None
        raw = data.get(key) if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise BadAnswer(answer.url, f"is not a PEP 691 page (no `{key}` list)")
        return [
            (item[field], item.get("yanked", False))
            for item in raw
            if isinstance(item, dict) and isinstance(item.get(field), str)
        ]
    if kind not in _HTML_TYPES:
        raise BadAnswer(answer.url, f"is not a simple API page (its type is {kind})")
    parser = _Links()
    try:
        parser.feed(answer.body.decode("utf-8"))
        parser.close()
    except UnicodeDecodeError:
        raise BadAnswer(answer.url, "is neither PEP 691 JSON nor UTF-8 HTML") from None
    return parser.files


_HTML_TYPES = ("", "text/html", "application/vnd.pypi.simple.v1+html", "application/xhtml+xml")
"""What a PEP 503 page may come as (no type at all from the simplest static servers); anything else, a
proxy's `text/plain` sign-in page or a binary, is not read as an empty project."""


def _media_type(answer: Answer) -> str:
    return answer.content_type.split(";")[0].strip().lower()


def parse_simple(answer: Answer) -> list[VersionInfo]:
    """A project's versions from its simple page, newest first; raises BadAnswer when malformed."""
    files = simple_entries(answer, "files", "filename")
    by_version: dict[Version, list[object]] = {}
    for filename, yanked in files:
        version = _version_of(filename)
        if version is not None:
            by_version.setdefault(version, []).append(yanked)
    found = []
    for version, yanks in sorted(by_version.items(), reverse=True):
        all_yanked = all(yank is not False and yank is not None for yank in yanks)
        reasons = [yank for yank in yanks if isinstance(yank, str) and yank]
        found.append(
            VersionInfo(
                str(version),
                version.is_prerelease,
                all_yanked,
                reasons[0] if all_yanked and reasons else None,
            )
        )
    return found


def _version_of(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


class _Links(html.parser.HTMLParser):
    """PEP 503 anchors: the file name is the anchor's text, `data-yanked` (PEP 592) marks a yank."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[tuple[str, object]] = []
        self._yanked: object = None
        self._in_anchor = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            attributes = dict(attrs)
            self._in_anchor, self._text = True, []
            self._yanked = (attributes["data-yanked"] or True) if "data-yanked" in attributes else False

    def handle_data(self, data: str) -> None:
        if self._in_anchor:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_anchor:
            self._in_anchor = False
            self.files.append(("".join(self._text).strip(), self._yanked))


def parse_vulnerabilities(answer: Answer) -> list[Advisory]:
    """The `vulnerabilities` of a release's JSON (withdrawn ones left out); raises BadAnswer when
    malformed."""
    kind = _media_type(answer)
    if kind and kind != "application/json" and not kind.endswith("+json"):
        raise BadAnswer(answer.url, f"is not a JSON answer (its type is {kind})")
    try:
        data = json.loads(answer.body)
    except (ValueError, RecursionError) as exc:
        raise BadAnswer(answer.url, f"is not valid JSON ({exc})") from None
    raw = data.get("vulnerabilities") if isinstance(data, dict) else None
    if raw is None and isinstance(data, dict) and isinstance(data.get("info"), dict):
        return []
    if not isinstance(raw, list):
        raise BadAnswer(answer.url, "is not a PyPI release (no `info` or `vulnerabilities`)")
    found = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item.get("withdrawn"):
            continue
        found.append(
            Advisory(
                item["id"],
                tuple(alias for alias in item.get("aliases") or () if isinstance(alias, str)),
                _first_line(item.get("summary") or item.get("details")),
                tuple(fixed for fixed in item.get("fixed_in") or () if isinstance(fixed, str)),
                item["link"] if isinstance(item.get("link"), str) else None,
            )
        )
    return found


def _first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def list_versions(
    name: str, index: str = PYPI, *, client: IndexClient | None = None, cache: HttpCache | None = None
) -> list[VersionInfo] | str:
    """Every version of `name` on `index`, newest first, pre-releases and yanks marked; or why not.
    With no `client` a short-lived one is made (pass one to reuse its connections)."""
    cache = cache if cache is not None else HttpCache()
    own = client is None
    client = client if client is not None else IndexClient()
    try:
        (answer,) = cache.fetch(client, [simple_request(index, name)])
        if isinstance(answer, FetchError):
            return f"{answer.url} — {answer.reason}"
        return parse_simple(answer)
    except BadAnswer as error:
        return str(error)
    finally:
        if own:
            client.close()


def newest(versions: Sequence[VersionInfo], allowed: SpecifierSet | None = None) -> VersionInfo | None:
    """The newest final, unyanked version (that `allowed`, a SpecifierSet, allows)."""
    for info in versions:
        if info.yanked or info.prerelease:
            continue
        if allowed is None or allowed.contains(info.version, prereleases=False):
            return info
    return None
