"""CPython builds that uv itself offers, for platforms the bundled catalogue has none for (musl).

pbs-installer's catalogue lists glibc Linux, macOS and Windows builds only, so Alpine would get "no
CPython build". uv carries its own download list, musl builds included, with their sha256s compiled
into its binary. On such a platform the build is chosen from `uv python list` (which shows no hashes)
and installed by uv itself, `uv python install <key> --install-dir <Lockstep's dir>`: uv downloads
through the same mirror, checks its own hash and unpacks into the layout Lockstep uses (same folder
names, same `.lock`, so the two never unpack at once), where discovery and reuse find it like any
other. `--no-bin` and `--no-registry`: nothing is put on the user's PATH or in the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pyhelper import boundedread
from pyhelper.cancellation import CancelToken
from pyhelper.catalog import Build, CatalogError, parse_uv_python_list
from pyhelper.uvtool import LineCallback, ToolResult, Uv, child_environment, find_uv, run_tool

UV_LIST_SOURCE = "uv's download list"


def bundled_uv(environ: Mapping[str, str]) -> Uv:
    uv = find_uv(None, environ)
    if uv is None:
        raise CatalogError(f"no uv that runs was found to read {UV_LIST_SOURCE}; reinstall Lockstep")
    return uv


def uv_download_list(uv: Uv, environ: Mapping[str, str]) -> tuple[Build, ...]:
    """Every CPython download uv knows, for every platform and version."""
    argv = [str(uv.path), "python", "list", "--all-platforms", "--all-arches", "--all-versions"]
    result = run_tool([*argv, "--only-downloads", "--output-format", "json"], env=child_environment(environ))
    if not result.ok:
        raise CatalogError(f"`uv python list` failed: {result.tail(3) or f'exit status {result.returncode}'}")
    text = "\n".join(result.lines)
    if len(text) > boundedread.DOWNLOADS_JSON.max_bytes:
        raise CatalogError(f"{UV_LIST_SOURCE} is larger than {boundedread.DOWNLOADS_JSON.describe_cap()}")
    return parse_uv_python_list(text, UV_LIST_SOURCE)


def install_by_uv(
    uv: Uv,
    build: Build,
    install_dir: Path,
    mirror: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
) -> ToolResult:
    """Have uv download, verify and unpack `build` as `install_dir/<build.key>`."""
    argv = [str(uv.path), "python", "install", "--no-bin", "--no-registry", "--install-dir", str(install_dir)]
    argv += ["--mirror", mirror] if mirror else []
    # `manual`: this explicit install may download; nothing else uv runs for Lockstep ever does.
    env = child_environment(environ, UV_PYTHON_DOWNLOADS="manual")
    return run_tool([*argv, build.key], env=env, on_line=on_line, cancel=cancel)
