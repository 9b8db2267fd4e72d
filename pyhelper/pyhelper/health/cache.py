"""Index answers cached on disk with their HTTP validators, so a reopened workspace shows health
without a request and a re-check after a lock change asks only for what changed.

One file per URL under `$XDG_CACHE_HOME/lockstep/health` (`~/.cache` without it): a one-line JSON
header with the ETag / Last-Modified and until when `Cache-Control: max-age` keeps it fresh, then the
body (one file, not two: a 400-package lock's 800 answers are 800 writes and reads, not 1600). A
fresh entry is answered from disk; a stale one is asked again with `If-None-Match` /
`If-Modified-Since`, and a `304 Not Modified` keeps its body. Without a network (`client` None) only
fresh entries answer. Entries are written whole (a temporary file renamed) and read bounded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from pyhelper import boundedread
from pyhelper.health.client import FetchError, IndexClient, Request, Response

_MAX_HEADER = 64 * 2**10
"""The header line: a URL and two validators."""
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lockstep" / "health"


class Answer(NamedTuple):
    url: str
    body: bytes
    content_type: str
    from_cache: bool
    """Answered without a request (a fresh entry), or by a 304 to a conditional one."""


class _Entry(NamedTuple):
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    fresh_until: float


class HttpCache:
    def __init__(self, folder: Path | None = None, clock: float | None = None) -> None:
        self.folder = folder if folder is not None else default_folder()
        self._now = clock

    def now(self) -> float:
        return self._now if self._now is not None else time.time()

    def _path(self, url: str) -> Path:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.entry"

    def _read(self, url: str, max_bytes: int) -> _Entry | None:
        kind = boundedread.Kind("cached index answer", _MAX_HEADER + 1 + max_bytes)
        try:
            line, _, body = boundedread.read_bytes(self._path(url), kind).partition(b"\n")
            header = json.loads(line)
        except (OSError, ValueError):
            return None  # missing, refused or damaged: asked again
        if not isinstance(header, dict) or header.get("url") != url or header.get("size") != len(body):
            return None
        return _Entry(
            body,
            str(header.get("content_type", "")),
            _text(header.get("etag")),
            _text(header.get("last_modified")),
            float(header.get("fresh_until", 0)),
        )

    def forget(self, url: str) -> None:
        """Drop an answer its reader found unusable (malformed), so that the next check asks again."""
        with contextlib.suppress(OSError):
            self._path(url).unlink()

    def _write(self, url: str, entry: _Entry) -> None:
        path = self._path(url)
        header = {
            "url": url,
            "size": len(entry.body),
            "content_type": entry.content_type,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "fresh_until": entry.fresh_until,
        }
        # A cache that cannot be written only costs a request next time.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_whole(path, json.dumps(header).encode() + b"\n" + entry.body)

    def _stored(self, response: Response) -> _Entry | None:
        control = response.headers.get("cache-control", "").lower()
        if "no-store" in control:
            return None
        match = _MAX_AGE.search(control)
        age = response.headers.get("age", "")
        lifetime = int(match.group(1)) - (int(age) if age.isdigit() else 0) if match else 0
        if "no-cache" in control:
            lifetime = 0
        return _Entry(
            response.body,
            response.headers.get("content-type", ""),
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            self.now() + max(lifetime, 0),
        )

    def fetch(
        self, client: IndexClient | None, requests: Sequence[Request], *, revalidate: bool = False
    ) -> list[Answer | FetchError]:
        """An answer for each request, from disk when fresh, else by a (conditional) request;
        `revalidate`: ask even when fresh (an answer known to be out of date), unless there is no network."""
        answers: list[Answer | FetchError | None] = [None] * len(requests)
        entries = [self._read(request.url, request.max_bytes) for request in requests]
        asking: list[int] = []
        for at, (request, entry) in enumerate(zip(requests, entries, strict=True)):
            if entry is not None and (client is None or not revalidate) and entry.fresh_until > self.now():
                answers[at] = Answer(request.url, entry.body, entry.content_type, True)
            elif client is None:
                answers[at] = FetchError(request.url, "not cached, and network use is off", offline=True)
            else:
                asking.append(at)
        conditional = [_conditional(requests[at], entries[at]) for at in asking]
        responses = client.get_many(conditional) if client is not None and conditional else []
        for at, response in zip(asking, responses, strict=True):
            answers[at] = self._answer(requests[at], entries[at], response)
        return [answer for answer in answers if answer is not None]

    def _answer(
        self, request: Request, entry: _Entry | None, response: Response | FetchError
    ) -> Answer | FetchError:
        if isinstance(response, FetchError):
            return response
        if response.status == 304 and entry is not None:
            renewed = self._stored(response._replace(body=entry.body))
            kept = entry if renewed is None else entry._replace(fresh_until=renewed.fresh_until)
            self._write(request.url, kept)
            return Answer(request.url, entry.body, entry.content_type, True)
        if response.status != 200:
            return FetchError(request.url, f"HTTP {response.status}", status=response.status)
        stored = self._stored(response)
        if stored is not None:
            self._write(request.url, stored)
        return Answer(request.url, response.body, response.headers.get("content-type", ""), False)


def _conditional(request: Request, entry: _Entry | None) -> Request:
    if entry is None:
        return request
    headers = dict(request.headers)
    if entry.etag:
        headers["If-None-Match"] = entry.etag
    if entry.last_modified:
        headers["If-Modified-Since"] = entry.last_modified
    return request._replace(headers=headers)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _write_whole(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
