"""The one HTTP client of dependency health: every byte the health checks read from a network comes
through here (the `health-network-in-one-client` contract in pyhelper/pyproject.toml).

One pooled httpx client honouring proxies (`trust_env`) and SSL_CERT_FILE/SSL_CERT_DIR, at most
`concurrency` requests at once, a timeout per network operation and a deadline per response, and a
cap on every body: an index is a stranger's server that may stream forever, trickle, or send a
gigabyte of JSON. The httpx client (its import and the TLS context, a few hundred ms) is made at the
first request: a check that every cached answer serves asks nothing and pays nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from pyhelper import __version__
from pyhelper.certificates import CertificateError, ssl_context

if TYPE_CHECKING:
    import httpx

CONCURRENCY = 16
TIMEOUT = 15.0
"""Seconds without progress (connecting, or between two pieces of a body) before a request fails."""
DEADLINE = 60.0
"""Seconds a whole response may take: a server trickling a byte at a time never times out otherwise."""


class Request(NamedTuple):
    url: str
    headers: Mapping[str, str]
    max_bytes: int
    body: bytes | None = None
    """A POST's body (an OSV `querybatch`); None: a GET."""


class Response(NamedTuple):
    url: str
    status: int
    headers: Mapping[str, str]
    """Lower-cased names."""
    body: bytes


class FetchError(Exception):
    """A request that got no usable answer; `offline` when no connection could be made at all, `status`
    when the server answered with an HTTP error (a 404: the index has no such project)."""

    def __init__(self, url: str, message: str, *, offline: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url, self.reason, self.offline, self.status = url, message, offline, status


class _Unanswered(Exception):
    """The connection was cut before any answer came: worth asking once more."""


class IndexClient:
    def __init__(
        self, *, concurrency: int = CONCURRENCY, timeout: float = TIMEOUT, deadline: float = DEADLINE
    ) -> None:
        self.concurrency, self.timeout, self.deadline = concurrency, timeout, deadline
        self._client: httpx.Client | None = None
        self._opening = threading.Lock()

    def _open(self) -> httpx.Client:
        """The pooled client, made once (the first of concurrent requests makes it)."""
        with self._opening:
            if self._client is not None:
                return self._client
            import httpx

            try:
                verify = ssl_context()
            except CertificateError as exc:
                raise FetchError("https://", str(exc), offline=True) from None
            self._client = httpx.Client(
                trust_env=True,
                verify=verify,
                timeout=httpx.Timeout(self.timeout),
                limits=httpx.Limits(
                    max_connections=self.concurrency, max_keepalive_connections=self.concurrency
                ),
                follow_redirects=True,
                headers={"User-Agent": f"lockstep-pyhelper/{__version__}"},
                event_hooks={"request": [_vet]},
            )
            return self._client

    def get(self, request: Request) -> Response:
        """One request (a GET, or a POST when it has a body); raises FetchError for no answer, a body
        over the cap or past the deadline."""
        started = time.monotonic()
        try:
            return self._fetch(request, started, again=False)
        except _Unanswered:
            # A kept-alive connection the server closed between two requests is cut before any answer:
            # ask once more, on a new connection, as browsers and urllib3 do.
            return self._fetch(request, started, again=True)

    def _fetch(self, request: Request, started: float, *, again: bool) -> Response:
        client = self._open()
        import httpx

        answered = False
        try:
            method = "GET" if request.body is None else "POST"
            with client.stream(
                method, request.url, headers=dict(request.headers), content=request.body
            ) as response:
                answered = True
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > request.max_bytes:
                    raise FetchError(request.url, _too_large(request.max_bytes))
                chunks: list[bytes] = []
                received = 0
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > request.max_bytes:
                        raise FetchError(request.url, _too_large(request.max_bytes))
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(request.url, f"the answer took longer than {self.deadline:g} s")
                    chunks.append(chunk)
                headers = {key.lower(): value for key, value in response.headers.items()}
                return Response(str(response.url), response.status_code, headers, b"".join(chunks))
        except FetchError:
            raise
        except httpx.ConnectError as exc:
            raise FetchError(request.url, f"cannot connect ({exc})", offline=True) from None
        except httpx.TimeoutException:
            raise FetchError(request.url, f"no answer for {self.timeout:g} s") from None
        except httpx.RemoteProtocolError as exc:
            if not answered and not again:
                raise _Unanswered from None
            raise FetchError(request.url, f"the connection was cut ({exc})") from None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            raise FetchError(request.url, str(exc) or type(exc).__name__) from None

    def get_many(self, requests: Sequence[Request]) -> list[Response | FetchError]:
        """Every request, `concurrency` at a time, answers in the requests' order."""

        def one(request: Request) -> Response | FetchError:
            try:
                return self.get(request)
            except FetchError as error:
                return error

        if len(requests) <= 1:
            return [one(request) for request in requests]
        with ThreadPoolExecutor(min(self.concurrency, len(requests)), "health-fetch") as pool:
            return list(pool.map(one, requests))

    def close(self) -> None:
        with self._opening:
            if self._client is not None:
                self._client.close()

    def __enter__(self) -> IndexClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _vet(request: httpx.Request) -> None:
    # Runs for redirects too: an index may only send us on to another http(s) URL.
    if request.url.scheme not in ("http", "https"):
        raise ValueError(f"refusing to follow {request.url}: only http(s) URLs are read")


def _too_large(cap: int) -> str:
    return f"the answer is larger than {cap // 2**20} MB, more than any real index page; refused"
