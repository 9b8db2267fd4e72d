"""Loopback servers for the real-editor scenarios, run as child processes of the Node test harness.

`index`: the package index of tests/support/index.py (the standard catalogue of small wheels); its
first line also carries the environment that points uv at it (`PackageIndex.environ`). With
`--poetry-project DIR`, a Poetry project locked against it is written there before that line; with
`--advise JSON`, a release gets a vulnerability in the PyPI JSON API (`PackageIndex.advise`).
`mirror`: a python-build-standalone mirror serving the install_only archive that
tests/downloads/pbs_fixture.py builds from pyenv's 3.12 (cached in `--cache`), plus a uv
download-metadata.json naming it, written to `--downloads-json`.

Protocol on stdout, one line each: first a JSON object saying where the server is, then
`request <path>` for every request it receives (so a scenario can assert that nothing was fetched).
Runs until SIGTERM. Start from the repository root: `python -m tests.e2e.loopback index`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: helpers import as support.X

from downloads.mirror_server import Mirror
from downloads.pbs_fixture import (
    MIRROR_ROOT,
    build_archive,
    downloads_json,
    served_path,
)
from support.index import PackageIndex, standard_catalogue
from support.projects import poetry_project

_print_lock = threading.Lock()


def _say(line: str) -> None:
    with _print_lock:
        print(line, flush=True)


class _LoggedIndex(PackageIndex):
    def _record(self, path: str) -> None:
        super()._record(path)
        _say(f"request {path}")


class _LoggedMirror(Mirror):
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        _say(f"request {'HEAD ' if handler.command == 'HEAD' else ''}{handler.path}")
        super()._serve(handler)


def _serve_until_terminated() -> None:
    # SIGTERM (how the harness stops it) ends the wait like Ctrl-C, so `with` blocks clean up.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def _index(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lockstep-e2e-index-") as scratch:
        index = _LoggedIndex(Path(scratch))
        index.add(standard_catalogue())
        for advice in args.advise:
            index.advise(advice.pop("name"), advice.pop("version"), advice)
        with index.start():
            for folder in args.poetry_project:
                poetry_project(folder, index)
            environ = index.environ(args.uv_cache)
            unset = sorted(set(os.environ) - set(environ))
            changed = {k: v for k, v in environ.items() if os.environ.get(k) != v}
            _say(json.dumps({"url": index.url, "environ": changed, "unset": unset}))
            _serve_until_terminated()


def _mirror(args: argparse.Namespace) -> None:
    archive = build_archive(args.cache)
    mirror = _LoggedMirror()
    mirror.files[served_path(archive.version)] = archive.path
    args.downloads_json.write_text(downloads_json([(archive.version, archive.sha256)]))
    mirror.start()
    try:
        _say(
            json.dumps(
                {
                    "url": mirror.url,
                    "mirror": mirror.url + MIRROR_ROOT,
                    "downloadsJson": str(args.downloads_json),
                    "version": archive.version,
                    "archive": served_path(archive.version),
                }
            )
        )
        _serve_until_terminated()
    finally:
        mirror.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.loopback", description=__doc__)
    servers = parser.add_subparsers(dest="server", required=True)
    index = servers.add_parser("index", help="the package index of tests/support/index.py")
    index.add_argument(
        "--uv-cache",
        type=Path,
        required=True,
        help="the UV_CACHE_DIR for its environment",
    )
    index.add_argument(
        "--poetry-project",
        type=Path,
        action="append",
        default=[],
        help="write support.projects.poetry_project (pyproject.toml and poetry.lock of this index) there",
    )
    index.add_argument(
        "--advise",
        type=json.loads,
        action="append",
        default=[],
        help='a vulnerability of a release: {"name": "alpha", "version": "1.0", "id": ..., "fixed_in": [...]}'
        " (with PyPI's other fields: aliases, summary, link)",
    )
    mirror = servers.add_parser("mirror", help="a python-build-standalone mirror with pyenv's 3.12")
    mirror.add_argument("--cache", type=Path, required=True, help="where the built archive is kept")
    mirror.add_argument(
        "--downloads-json",
        type=Path,
        required=True,
        help="where to write the downloads JSON",
    )
    args = parser.parse_args(argv)
    {"index": _index, "mirror": _mirror}[args.server](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
