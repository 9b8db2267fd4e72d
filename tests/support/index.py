"""A real package index on 127.0.0.1, filled with small wheels built here.

Tests and benchmarks install from it with real uv and pip, so nothing reaches the internet. The index
speaks PEP 503 (HTML simple API) with PEP 658/714 metadata files, which is what uv and pip use from
PyPI. Wheels are pure Python and written directly as zip files (METADATA, WHEEL, RECORD, optional
entry points), so building the whole catalogue takes milliseconds and needs no build backend.

For dependency health it also plays PyPI's other faces: `yank` marks a version's files yanked (PEP 592,
`data-yanked` in HTML, `yanked` in PEP 691 JSON, which it serves when `simple_json` is on and the client
asks for it), `advise` gives a release vulnerabilities in the PyPI JSON API (`/pypi/<name>/<version>/json`),
every page carries an ETag and `Cache-Control: max-age=<max_age>` and answers `If-None-Match` with 304,
and `misbehave` makes the answers under a path malformed, huge or endless (a hostile mirror). The same
advisories are served as an OSV API under `/v1/` (tests/support/osv.py), for the tools that read OSV;
`osv_advise` adds some only that API knows, `osv_page` makes it page its batch results, and
`osv_queries` keeps the batches it was asked.

Beyond serving, the index can hold back a file (`hold`) until the test releases it: a test waits for
the request to arrive (`wait_for_request`), so "cancel in the middle of an install" is a condition,
not a sleep.

Outside pytest: `python -m tests.support.index --port 0 --print-url` serves the standard catalogue
(plus `--extra N` generated packages) until interrupted, printing the simple-index URL first.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import http.server
import json
import os
import shutil
import signal
import socket
import sys
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import unquote

from packaging.utils import canonicalize_name

from . import osv

# Variables that would point uv or pip at another index than this one.
_INDEX_VARIABLES = (
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
    "UV_INDEX",
    "UV_FIND_LINKS",
    "PIP_EXTRA_INDEX_URL",
)
_JSON = "application/vnd.pypi.simple.v1+json"
# OSV batch queries of a few thousand packages fit; a larger body is refused, never read.
_MAX_QUERY = 2**22
# A fixed timestamp keeps wheel bytes (and so their hashes) the same from run to run.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Dist:
    """One wheel to build: a distribution name, version and what its METADATA declares."""

    name: str
    version: str
    requires: tuple[str, ...] = ()
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    requires_python: str | None = None
    scripts: Mapping[str, str] = field(default_factory=dict)
    """Console scripts: command name -> `module:function`."""

    @property
    def module(self) -> str:
        return canonicalize_name(self.name).replace("-", "_")

    @property
    def filename(self) -> str:
        return f"{self.module}-{self.version}-py3-none-any.whl"

    def metadata(self) -> str:
        lines = [
            "Metadata-Version: 2.1",
            f"Name: {self.name}",
            f"Version: {self.version}",
        ]
        if self.requires_python:
            lines.append(f"Requires-Python: {self.requires_python}")
        lines += [f"Requires-Dist: {requirement}" for requirement in self.requires]
        for extra, requirements in self.extras.items():
            lines.append(f"Provides-Extra: {extra}")
            lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
        return "\n".join(lines) + "\n\n"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(dist: Dist, folder: Path) -> Path:
    """Write `dist` as a wheel into `folder`; returns the wheel's path."""
    dist_info = f"{dist.module}-{dist.version}.dist-info"
    files: dict[str, bytes] = {
        f"{dist.module}/__init__.py": (
            f'__version__ = "{dist.version}"\n\n\ndef main() -> None:\n    print("{dist.name}", __version__)\n'
        ).encode(),
        f"{dist_info}/METADATA": dist.metadata().encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: lockstep-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n\n",
    }
    if dist.scripts:
        lines = [
            "[console_scripts]",
            *(f"{name} = {target}" for name, target in dist.scripts.items()),
        ]
        files[f"{dist_info}/entry_points.txt"] = ("\n".join(lines) + "\n").encode()
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    path = folder / dist.filename
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), data)
    return path


def standard_catalogue() -> list[Dist]:
    """The packages every test can rely on: versions to choose between, dependencies, an extra, a script."""
    return [
        Dist("alpha", "1.0", requires=("beta>=1",)),
        Dist("alpha", "2.0", requires=("beta>=1",), scripts={"alpha": "alpha:main"}),
        Dist("beta", "1.0"),
        Dist("beta", "1.1"),
        Dist("gamma", "0.1", extras={"fast": ("delta>=1",)}),
        Dist("delta", "1.0"),
        Dist("epsilon", "1.0", requires=('beta>=1; python_version >= "3.11"',)),
    ]


def generated_catalogue(count: int) -> list[Dist]:
    """`count` packages `pkg-000`... in a chain of dependencies, for benchmarks of larger locks."""
    return [
        Dist(
            f"pkg-{i:03d}",
            "1.0",
            requires=(f"pkg-{i + 1:03d}>=1",) if (i + 1) % 10 else (),
        )
        for i in range(count)
    ]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class _File:
    path: Path
    project: str
    sha256: str
    requires_python: str | None
    metadata: bytes


class PackageIndex:
    """Wheels in a folder, served as a simple index over HTTP on 127.0.0.1 from a background thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, _File] = {}
        self._lock = threading.Condition()
        self._held: set[str] = set()
        self._requests: list[str] = []
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._yanked: dict[tuple[str, str], str] = {}
        self._advisories: dict[tuple[str, str], list[dict[str, object]]] = {}
        self._misbehaving: dict[str, str] = {}
        self._connections: set[socket.socket] = set()
        self._osv_only: dict[tuple[str, str], list[dict[str, object]]] = {}
        self.osv_queries: list[list[tuple[str, str]]] = []
        """Each OSV querybatch's (name, version) queries, in the order they came."""
        self.osv_page: int | None = None
        """At most this many advisories per querybatch result, the rest behind `next_page_token`."""
        self.simple_json = False
        """Serve PEP 691 JSON to clients that prefer it (uv does: off by default, its tests read HTML)."""
        self.max_age = 600
        """`Cache-Control: max-age` of every page (0: every use revalidates, answered by 304)."""

    # Filling ----------------------------------------------------------------------------------

    def add(self, dists: Iterable[Dist]) -> list[Path]:
        return [self.add_wheel(build_wheel(dist, self.folder)) for dist in dists]

    def add_wheel(self, wheel: Path) -> Path:
        """Serve an existing wheel file (e.g. the pip wheel an interpreter ships for ensurepip)."""
        target = self.folder / wheel.name
        if target != wheel:
            shutil.copyfile(wheel, target)
        with zipfile.ZipFile(target) as archive:
            metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            metadata = archive.read(metadata_name)
        fields = _metadata_fields(metadata.decode("utf-8", "replace"))
        with self._lock:
            self._files[target.name] = _File(
                target,
                canonicalize_name(fields["name"]),
                sha256_of(target),
                fields.get("requires-python"),
                metadata,
            )
        return target

    def remove(self, name: str, version: str) -> None:
        """Stop serving one version (its file stays on disk, so tests can still hash it)."""
        project = canonicalize_name(name)
        with self._lock:
            for filename, file in list(self._files.items()):
                if file.project == project and filename.split("-")[1] == version:
                    del self._files[filename]

    def yank(self, name: str, version: str, reason: str = "") -> None:
        """Mark every file of a version yanked (PEP 592), with `reason` (empty: none given)."""
        with self._lock:
            self._yanked[canonicalize_name(name), version] = reason

    def advise(self, name: str, version: str, *advisories: Mapping[str, object]) -> None:
        """The PyPI JSON API's `vulnerabilities` of a release: dicts with `id`, `aliases`, `summary`,
        `fixed_in`, `link` (PyPI's field names)."""
        with self._lock:
            self._advisories[canonicalize_name(name), version] = [dict(a) for a in advisories]

    def misbehave(self, path_suffix: str, mode: str | None) -> None:
        """Answer requests ending with `path_suffix` with `malformed` JSON, a `huge` body (over any
        cap), an `endless` stream, a `wrong-type` page (a proxy's sign-in page as `text/plain`), a
        `wrong-shape` OSV record (JSON, not of OSV's schema), or normally again (None)."""
        with self._lock:
            if mode is None:
                self._misbehaving.pop(path_suffix, None)
            else:
                self._misbehaving[path_suffix] = mode

    def release_json(self, name: str, version: str) -> bytes | None:
        project = canonicalize_name(name)
        files = [f for f in self._projects().get(project, []) if f.path.name.split("-")[1] == version]
        if not files:
            return None
        with self._lock:
            vulnerabilities = self._advisories.get((project, version), [])
        info = {"name": name, "version": version}
        return json.dumps({"info": info, "urls": [], "vulnerabilities": vulnerabilities}).encode()

    def osv_advise(self, name: str, version: str, *advisories: Mapping[str, object]) -> None:
        """Advisories (PyPI's field names, as `advise`) that only the OSV API knows, as when OSV has a
        record the index's JSON API lacks, or knows one by another id."""
        with self._lock:
            self._osv_only[canonicalize_name(name), version] = [dict(a) for a in advisories]

    def osv_answer(self, method: str, path: str, body: bytes) -> bytes | None:
        with self._lock:
            advisories = {
                key: [*self._advisories.get(key, []), *self._osv_only.get(key, [])]
                for key in {*self._advisories, *self._osv_only}
            }
            if method == "POST" and path == "/v1/querybatch":
                with suppress(ValueError, TypeError, KeyError):
                    queries = json.loads(body)["queries"]
                    self.osv_queries.append([(q["package"]["name"], q["version"]) for q in queries])
        return osv.answer(advisories, method, path, body, self.osv_page)

    def _yank_of(self, file: _File) -> str | None:
        with self._lock:
            return self._yanked.get((file.project, file.path.name.split("-")[1]))

    def _misbehaviour(self, path: str) -> str | None:
        with self._lock:
            return next((mode for suffix, mode in self._misbehaving.items() if path.endswith(suffix)), None)

    def wheel(self, name: str, version: str) -> Path:
        project = canonicalize_name(name)
        for file in self._files.values():
            if file.project == project and file.path.name.split("-")[1] == version:
                return file.path
        raise KeyError(f"{name} {version} is not in the index")

    def sha256(self, name: str, version: str) -> str:
        return sha256_of(self.wheel(name, version))

    # Serving ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The simple-index URL, e.g. `http://127.0.0.1:40123/simple`."""
        if self._server is None:
            raise RuntimeError("the index is not serving")
        return f"http://127.0.0.1:{self._server.server_address[1]}/simple"

    @property
    def osv_url(self) -> str:
        """The base of its OSV API (`<base>v1/query`, `<base>v1/querybatch`), e.g. `http://127.0.0.1:40123/`."""
        return self.url.removesuffix("simple")

    def start(self, port: int = 0) -> PackageIndex:
        handler = type("Handler", (_Handler,), {"index": self})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="package-index", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, and cut the connections clients keep alive: a stopped index must look down to a
        pooled client too (HTTP/1.1 keep-alive would otherwise go on answering from the handler thread)."""
        self.release_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Self:
        return self if self._server else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def environ(self, uv_cache: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """`base` (default os.environ) with uv and pip pointed at this index only: no user config, the
        given uv cache, no interpreter downloads. Pass it to the code under test as its environment."""
        environ = {
            k: v for k, v in (os.environ if base is None else base).items() if k not in _INDEX_VARIABLES
        }
        environ.update(
            UV_DEFAULT_INDEX=self.url,
            PIP_INDEX_URL=self.url,
            UV_CACHE_DIR=str(uv_cache),
            UV_NO_CONFIG="1",
            PIP_CONFIG_FILE=os.devnull,
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            UV_PYTHON_DOWNLOADS="never",
        )
        return environ

    # Holding back downloads, for tests that act while an install is under way -------------------

    @contextmanager
    def hold(self, filename: str) -> Iterator[None]:
        """While inside, requests for `filename` wait (the client sees a slow server)."""
        with self._lock:
            self._held.add(filename)
        try:
            yield
        finally:
            with self._lock:
                self._held.discard(filename)
                self._lock.notify_all()

    def release_all(self) -> None:
        with self._lock:
            self._held.clear()
            self._lock.notify_all()

    def wait_for_request(self, path_suffix: str, timeout: float = 30.0) -> None:
        """Block until a request whose path ends with `path_suffix` has arrived."""
        with self._lock:
            if not self._lock.wait_for(
                lambda: any(path.endswith(path_suffix) for path in self._requests),
                timeout,
            ):
                raise TimeoutError(f"no request for {path_suffix} within {timeout} s: {self._requests}")

    @property
    def requests(self) -> list[str]:
        with self._lock:
            return list(self._requests)

    # Used by the handler ----------------------------------------------------------------------

    def _record(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)
            self._lock.notify_all()

    def _wait_while_held(self, filename: str) -> None:
        with self._lock:
            self._lock.wait_for(lambda: filename not in self._held)

    def _projects(self) -> dict[str, list[_File]]:
        with self._lock:
            projects: dict[str, list[_File]] = {}
            for file in sorted(self._files.values(), key=lambda f: f.path.name):
                projects.setdefault(file.project, []).append(file)
            return projects

    def _file(self, filename: str) -> _File | None:
        with self._lock:
            return self._files.get(filename)


def _metadata_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            fields.setdefault(key.lower(), value.strip())
    return fields


class _Handler(http.server.BaseHTTPRequestHandler):
    index: PackageIndex
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the index's own request list is what tests look at."""

    def setup(self) -> None:
        super().setup()
        with self.index._lock:
            self.index._connections.add(self.connection)

    def finish(self) -> None:
        with self.index._lock:
            self.index._connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        self.index._record(path)
        parts = [part for part in path.split("/") if part]
        mode = self.index._misbehaviour(path)
        if mode is not None:
            self._misbehave(mode)
        elif len(parts) == 4 and parts[0] == "pypi" and parts[3] == "json":
            body = self.index.release_json(parts[1], parts[2])
            if body is None:
                self._send(404, b"not found", "text/plain")
            else:
                self._send(200, body, "application/json")
        elif parts == ["simple"]:
            names = list(self.index._projects())
            # The root listing in PEP 691 JSON too (Add Dependency's search reads either form).
            if self.index.simple_json and self.headers.get("Accept", "").startswith(_JSON):
                listing = {"meta": {"api-version": "1.0"}, "projects": [{"name": name} for name in names]}
                self._send(200, json.dumps(listing).encode(), _JSON)
                return
            links = "".join(f'<a href="{name}/">{name}</a>\n' for name in names)
            self._send(200, _page("Simple index", links).encode(), "text/html")
        elif len(parts) == 2 and parts[0] == "simple":
            files = self.index._projects().get(canonicalize_name(parts[1]))
            if files is None:
                self._send(404, b"not found", "text/plain")
                return
            accept = self.headers.get("Accept", "")
            if self.index.simple_json and accept.startswith("application/vnd.pypi.simple.v1+json"):
                self._send(200, self._project_json(parts[1], files), "application/vnd.pypi.simple.v1+json")
                return
            links = "".join(_link(file, self.index._yank_of(file)) for file in files)
            self._send(200, _page(parts[1], links).encode(), "text/html")
        elif len(parts) == 2 and parts[0] == "files":
            self._send_file(parts[1])
        elif parts[:1] == ["v1"]:
            self._osv("GET", path, b"")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        self.index._record(path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_QUERY:
            self._send(413, b"query too large", "text/plain")
            self.close_connection = True
            return
        body = self.rfile.read(length)
        mode = self.index._misbehaviour(path)
        if mode is not None:
            self._misbehave(mode)
        else:
            self._osv("POST", path, body)

    def _osv(self, method: str, path: str, body: bytes) -> None:
        try:
            answer = self.index.osv_answer(method, path, body)
        except osv.BadQuery as error:
            self._send(400, str(error).encode(), "text/plain")
            return
        if answer is None:
            self._send(404, b"not found", "text/plain")
        else:
            self._send(200, answer, "application/json")

    def _send_file(self, filename: str) -> None:
        is_metadata = filename.endswith(".metadata")
        file = self.index._file(filename.removesuffix(".metadata"))
        if file is None:
            self._send(404, b"not found", "text/plain")
            return
        if not is_metadata:
            self.index._wait_while_held(filename)
        body = file.metadata if is_metadata else file.path.read_bytes()
        self._send(200, body, "application/octet-stream")

    def _project_json(self, name: str, files: list[_File]) -> bytes:
        entries = []
        for file in files:
            yank = self.index._yank_of(file)
            entries.append(
                {
                    "filename": file.path.name,
                    "url": f"../../files/{file.path.name}",
                    "hashes": {"sha256": file.sha256},
                    "yanked": (yank or True) if yank is not None else False,
                }
            )
        return json.dumps({"meta": {"api-version": "1.0"}, "name": name, "files": entries}).encode()

    def _misbehave(self, mode: str) -> None:
        try:
            if mode == "malformed":
                self._send(200, b'{"files": [{"filename": ', "application/vnd.pypi.simple.v1+json")
            elif mode == "huge":
                # No Content-Length lie needed: the body itself is past every cap.
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b" " * 2**20
                for _ in range(80):
                    self.wfile.write(chunk)
            elif mode == "wrong-type":
                self._send(200, b"<html><body>Sign in to continue</body></html>", "text/plain")
            elif mode == "wrong-shape":
                # An OSV record, by the id asked, whose `affected` list is a number.
                vuln_id = unquote(self.path.rsplit("/", 1)[-1])
                self._send(200, json.dumps({"id": vuln_id, "affected": 5}).encode(), "application/json")
            elif mode == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"info": {}, "vulnerabilities": [')
                while True:  # until the client hangs up
                    self.wfile.write(b'{"id": "X"},' * 1024)
            else:
                raise ValueError(f"unknown misbehaviour {mode!r}")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        try:
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", f"max-age={self.index.max_age}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", f"max-age={self.index.max_age}")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a cancelled install): nothing to answer


def _link(file: _File, yank: str | None = None) -> str:
    metadata_hash = hashlib.sha256(file.metadata).hexdigest()
    attributes = (
        f' data-core-metadata="sha256={metadata_hash}" data-dist-info-metadata="sha256={metadata_hash}"'
    )
    if yank is not None:
        attributes += f' data-yanked="{html.escape(yank)}"'

    if file.requires_python:
        attributes += f' data-requires-python="{html.escape(file.requires_python)}"'
    name = file.path.name
    return f'<a href="../../files/{name}#sha256={file.sha256}"{attributes}>{name}</a>\n'


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0">'
        f"<title>{html.escape(title)}</title></head><body>\n{body}</body></html>\n"
    )


def ensurepip_wheels(python: Path) -> list[Path]:
    """The pip (and setuptools) wheels an interpreter ships for ensurepip, for `--seed` tests."""
    return sorted(python.resolve().parent.parent.glob("lib/python3*/ensurepip/_bundled/*.whl"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.index", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--dir", type=Path, help="folder for the wheels (default: a temporary one)")
    parser.add_argument("--extra", type=int, default=0, help="also serve N generated packages pkg-NNN")
    parser.add_argument("--seed-from", type=Path, help="an interpreter whose ensurepip wheels to serve")
    parser.add_argument("--print-url", action="store_true", help="print the simple-index URL on start")
    args = parser.parse_args(argv)

    import tempfile

    with tempfile.TemporaryDirectory(prefix="lockstep-index-") as scratch:
        index = PackageIndex(args.dir or Path(scratch))
        index.add(standard_catalogue() + generated_catalogue(args.extra))
        for wheel in ensurepip_wheels(args.seed_from) if args.seed_from else []:
            index.add_wheel(wheel)
        with index.start(args.port):
            if args.print_url:
                print(index.url, flush=True)
            # SIGTERM (how test harnesses stop it) ends the wait like Ctrl-C, so the folder is removed.
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            with suppress(KeyboardInterrupt):
                threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
