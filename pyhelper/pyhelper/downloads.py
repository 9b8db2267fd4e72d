"""Download, verify and install a managed CPython (python-build-standalone install_only archives).

One pass over the network: the sha256 is computed while the archive streams to a temporary file and
checked before a single member is unpacked. Unpacking vets every member (no absolute paths, no `..`,
no link leaving the tree, no writes through a link) into a temporary folder next to the destination,
which is then renamed into place, so an installation is either complete or absent. A file lock in the
install dir makes concurrent requests (editor windows, the CLI) download once.

Called from a worker thread: `progress` and `cancel` let the editor show bytes and stop the work.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import posixpath
import queue
import shutil
import ssl
import stat
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from packaging.version import Version

from pyhelper import __version__, boundedread
from pyhelper.cancellation import CancelToken
from pyhelper.catalog import (
    PBS_INSTALLER_SOURCE,
    Build,
    BuildRequest,
    CatalogError,
    Platform,
    choose_build,
    host_platform,
    parse_downloads_json,
    parse_install_name,
    pbs_builds,
    rewrite_mirror,
)
from pyhelper.interpreters.locations import Host, lockstep_install_dir, uv_install_dir
from pyhelper.renaming import FolderInUse, Renamer
from pyhelper.uvpythons import UV_LIST_SOURCE, bundled_uv, install_by_uv, uv_download_list

if TYPE_CHECKING:
    import httpx

MIRROR_ENV = "LOCKSTEP_PYTHON_INSTALL_MIRROR"
DOWNLOADS_JSON_ENV = "LOCKSTEP_PYTHON_DOWNLOADS_JSON"
DEFAULT_TIMEOUT = 30.0
# Before asking "Download Python 3.12.1 (30 MB)?": offline, the question comes without the size.
OFFER_TIMEOUT = 2.0
_CHUNK = 1 << 20
# How often the download's reader and writer threads look whether the other side stopped.
_POLL_SECONDS = 0.1
_TEMP = ".temp"
_LOCK = ".lock"

ProgressCallback = Callable[[int, "int | None"], None]
"""Called with (bytes downloaded, total bytes or None when the server does not say)."""


class InstallError(Exception):
    """An install or uninstall that could not be done; the message is one line a person can act on."""


class InstallCancelled(InstallError):
    pass


class ChecksumError(InstallError):
    pass


class UnsafeArchiveError(InstallError):
    pass


class DownloadError(InstallError):
    pass


class _RetryableStatus(Exception):
    """A 5xx or 429 answer: worth the one retry."""


@dataclass(frozen=True)
class InstallSettings:
    install_dir: Path
    """Where Lockstep installs (setting `lockstep.python.installDir`)."""
    mirror: str | None = None
    """Replaces the GitHub release prefix (setting `lockstep.python.installMirror`); may be http:// or file://."""
    downloads_json: str | None = None
    """A path or URL in uv's download-metadata.json format (setting `lockstep.python.downloadsJson`)."""
    uv_install_dir: Path | None = None
    """uv's managed installs, reused when one fits; None to ignore uv's."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds to wait to connect and between received chunks before calling a server stalled."""

    @classmethod
    def resolve(
        cls,
        *,
        install_dir: str | Path | None = None,
        mirror: str | None = None,
        downloads_json: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> InstallSettings:
        """Settings from explicit values (editor settings, CLI flags), else the environment, else defaults."""
        host = Host.current()
        return cls(
            install_dir=Path(lockstep_install_dir(host, str(install_dir) if install_dir else None)),
            mirror=mirror or os.environ.get(MIRROR_ENV) or None,
            downloads_json=downloads_json or os.environ.get(DOWNLOADS_JSON_ENV) or None,
            uv_install_dir=Path(uv_install_dir(host)),
            timeout=timeout,
        )


@dataclass(frozen=True)
class InstallResult:
    python: Path
    """The interpreter, e.g. `<install dir>/cpython-3.12.7-linux-x86_64-gnu/bin/python3.12`."""
    home: Path
    key: str
    version: str
    source: Literal["downloaded", "lockstep", "uv"]
    """`downloaded` now, or found already installed by Lockstep or by uv."""


def install_python(
    request: str,
    settings: InstallSettings | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    renamer: Renamer | None = None,
    platform: Platform | None = None,
) -> InstallResult:
    """Make a CPython matching `request` available and return its interpreter.

    An installation that already fits (Lockstep's, then uv's; newest first) is returned without any
    network access. Otherwise the newest fitting build of the catalogue is downloaded and installed.
    Raises InstallError (InstallCancelled when `cancel` is set) and leaves no partial installation.
    The final rename goes through `renamer` (retried on Windows while a virus scan holds the files).
    Where the bundled catalogue has no build for the platform (musl), uv installs one of its own list
    (`pyhelper.uvpythons`). `platform` is the host's unless a test gives another.
    """
    settings = settings or InstallSettings.resolve()
    renamer = renamer or Renamer()
    wanted = _parse_request(request)
    platform = platform or host_platform()
    found = find_installed(wanted, settings, platform)
    if found is not None:
        return found
    if _uv_lists_it(settings, platform):
        return _install_by_uv(wanted, settings, platform, cancel)
    with _http_client(settings) as client:
        build = _choose(settings, client, wanted, platform)
        if not build.sha256:
            raise InstallError(
                f"the catalogue gives no sha256 for {build.filename}; refusing an unverified install"
            )
        relpath = _interpreter_relpath(build.version, build.freethreaded, platform)
        home = settings.install_dir / build.key
        result = InstallResult(home / relpath, home, build.key, str(build.version), "downloaded")
        with _install_lock(settings.install_dir, cancel):
            if result.python.is_file():
                return replace(result, source="lockstep")
            if home.exists():
                raise InstallError(f"{home} exists but holds no interpreter; remove it and try again")
            _clear_temp(settings.install_dir)
            with _temp_dir(settings.install_dir, build.key) as work:
                archive, unpacked = work / "archive", work / "unpacked"
                _download(client, build, archive, settings, progress, cancel)
                _extract(archive, unpacked, build.filename, cancel)
                if not (unpacked / "python" / relpath).is_file():
                    raise InstallError(
                        f"{build.filename} does not have the install_only layout (no python/{relpath})"
                    )
                _check_cancel(cancel)
                with _os_errors(home):
                    renamer.move(unpacked / "python", home)
    return result


def resolve_build(
    request: str, settings: InstallSettings | None = None, platform: Platform | None = None
) -> Build:
    """The build `install_python` would download for `request` (for "Download Python X.Y" entries)."""
    settings = settings or InstallSettings.resolve()
    with _http_client(settings) as client:
        return _choose(settings, client, _parse_request(request), platform or host_platform())


@dataclass(frozen=True)
class Offer:
    """What a download would fetch, for the question asked before it."""

    build: Build
    size: int | None
    """Bytes, when the mirror says within the offer's timeout."""


def download_offer(
    request: str,
    settings: InstallSettings | None = None,
    timeout: float = OFFER_TIMEOUT,
    platform: Platform | None = None,
) -> Offer:
    """The build `install_python(request)` would download, and its size.

    The catalogue names the build (the bundled one offline; a downloads JSON URL is fetched); the size
    is a file:// mirror's file size or the Content-Length of one HEAD request. Everything network here
    gets `timeout` seconds, as a question must not wait long; an unknown size is None. Raises
    InstallError when the catalogue cannot be read or has no fitting build.
    """
    settings = replace(settings or InstallSettings.resolve(), timeout=timeout)
    with _http_client(settings) as client:
        build = _choose(settings, client, _parse_request(request), platform or host_platform())
        return Offer(build, _remote_size(client, build.url))


def _remote_size(client: httpx.Client, url: str) -> int | None:
    split = urlsplit(url)
    if split.scheme.lower() == "file":
        try:
            return Path(url2pathname(split.path)).stat().st_size
        except OSError:
            return None
    try:
        response = client.head(url)
    except Exception:  # offline, refused, stalled, a redirect refused by the URL check: size unknown
        return None
    length = response.headers.get("Content-Length", "")
    return int(length) if response.status_code == 200 and length.isdigit() else None


def find_installed(
    request: BuildRequest, settings: InstallSettings, platform: Platform | None = None
) -> InstallResult | None:
    """The newest complete installation fitting `request` in Lockstep's dir, then uv's."""
    platform = platform or host_platform()
    roots: list[tuple[Path, Literal["lockstep", "uv"]]] = [(settings.install_dir, "lockstep")]
    if settings.uv_install_dir is not None:
        roots.append((settings.uv_install_dir, "uv"))
    for root, source in roots:
        installed: dict[Version, InstallResult] = {}
        for home in _listdir(root):
            name = parse_install_name(home.name)
            if name is None or name.platform != platform or name.freethreaded != request.freethreaded:
                continue
            python = home / _interpreter_relpath(name.version, name.freethreaded, platform)
            if python.is_file():
                installed[name.version] = InstallResult(python, home, home.name, str(name.version), source)
        best = request.pick(installed)
        if best is not None:
            return installed[best]
    return None


def uninstall_python(
    request: str, install_dir: Path | None = None, renamer: Renamer | None = None
) -> list[Path]:
    """Remove Lockstep's installations matching `request` (never uv's); returns the folders removed.
    One that a running program uses (a venv's python.exe starts its base interpreter) is refused on
    Windows, naming the program."""
    install_dir = install_dir or InstallSettings.resolve().install_dir
    renamer = renamer or Renamer()
    wanted = _parse_request(request)
    platform = host_platform()
    with _install_lock(install_dir, None):
        doomed = []
        for home in _listdir(install_dir):
            name = parse_install_name(home.name)
            if (
                name is not None
                and name.platform == platform
                and name.freethreaded == wanted.freethreaded
                and wanted.specifier.contains(name.version, prereleases=True)
            ):
                doomed.append(home)
        if not doomed:
            raise InstallError(f"no Python matching {wanted} is installed in {install_dir}")
        for home in doomed:
            # Renamed out of sight first, so discovery never lists a half-deleted interpreter.
            with _temp_dir(install_dir, home.name) as trash, _os_errors(home):
                renamer.move(home, trash / home.name)
    return doomed


def _parse_request(request: str) -> BuildRequest:
    try:
        return BuildRequest.parse(request)
    except CatalogError as exc:
        raise InstallError(str(exc)) from None


def _interpreter_relpath(version: Version, freethreaded: bool, platform: Platform) -> str:
    suffix = "t" if freethreaded else ""
    if platform.os == "windows":
        return f"python{version.major}.{version.minor}{suffix}.exe" if freethreaded else "python.exe"
    return f"bin/python{version.major}.{version.minor}{suffix}"


def _listdir(root: Path) -> list[Path]:
    try:
        return sorted(root.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InstallError(f"cannot read {root}: {exc.strerror}") from None


# --- catalogue -------------------------------------------------------------------------------------


def _choose(
    settings: InstallSettings, client: httpx.Client, wanted: BuildRequest, platform: Platform
) -> Build:
    """The catalogue's newest build for the request, with the mirror applied."""
    try:
        if _uv_lists_it(settings, platform):
            builds, source = uv_download_list(bundled_uv(os.environ), os.environ), UV_LIST_SOURCE
        elif settings.downloads_json is None:
            builds, source = pbs_builds(), PBS_INSTALLER_SOURCE
        else:
            source = settings.downloads_json
            builds = parse_downloads_json(_read_text(client, source, settings), source)
        build = choose_build(builds, wanted, platform, source)
    except CatalogError as exc:
        raise InstallError(str(exc)) from None
    return replace(build, url=rewrite_mirror(build.url, settings.mirror))


def _uv_lists_it(settings: InstallSettings, platform: Platform) -> bool:
    """Whether builds for `platform` come from uv's download list: the bundled catalogue has none (musl)
    and the user gave no downloads JSON of their own."""
    if settings.downloads_json is not None:
        return False
    try:
        return not any(build.platform == platform for build in pbs_builds())
    except CatalogError:
        return False  # the catalogue's own error comes when it is read for the choice


def _install_by_uv(
    wanted: BuildRequest, settings: InstallSettings, platform: Platform, cancel: CancelToken | None
) -> InstallResult:
    try:
        uv = bundled_uv(os.environ)
        build = choose_build(uv_download_list(uv, os.environ), wanted, platform, UV_LIST_SOURCE)
    except CatalogError as exc:
        raise InstallError(str(exc)) from None
    result = install_by_uv(uv, build, settings.install_dir, settings.mirror, os.environ, cancel=cancel)
    if result.cancelled:
        raise InstallCancelled("the install was cancelled; nothing was installed")
    if not result.ok:
        raise InstallError(
            f"uv could not install {build.key}: {result.tail(2) or f'exit status {result.returncode}'}"
        )
    home = settings.install_dir / build.key
    python = home / _interpreter_relpath(build.version, build.freethreaded, platform)
    if not python.is_file():
        raise InstallError(f"uv installed {build.key} but {python} is not there")
    return InstallResult(python, home, build.key, str(build.version), "downloaded")


def _read_text(client: httpx.Client, location: str, settings: InstallSettings) -> str:
    """A downloads JSON from a path, file:// URL, https URL, or any URL under the configured mirror."""
    scheme = urlsplit(location).scheme.lower()
    try:
        if scheme in ("http", "https"):
            _check_url(location, settings.mirror)
            with client.stream("GET", location) as response:
                response.raise_for_status()
                body = b"".join(_capped(response.iter_bytes(), boundedread.DOWNLOADS_JSON, location))
            return body.decode("utf-8")
        path = Path(url2pathname(urlsplit(location).path)) if scheme == "file" else Path(location)
        return boundedread.read_text(path, boundedread.DOWNLOADS_JSON)
    except InstallError:
        raise
    except OSError as exc:
        raise InstallError(f"cannot read the downloads JSON {location}: {exc.strerror or exc}") from None
    except Exception as exc:  # httpx errors, decoding errors: one clear line, whatever the cause
        raise InstallError(
            f"cannot fetch the downloads JSON {location}: {_describe(exc, settings.timeout)}"
        ) from None


# --- network ---------------------------------------------------------------------------------------


def _check_url(url: str, mirror: str | None) -> None:
    """HTTPS only, except under a mirror the user configured (which may be http:// or file://)."""
    if mirror is not None and url.startswith(mirror.rstrip("/") + "/"):
        return
    if urlsplit(url).scheme.lower() != "https":
        raise InstallError(
            f"refusing to download {url}: only https:// is allowed, unless it is under the configured mirror"
        )


def _ssl_context() -> ssl.SSLContext:
    from pyhelper.certificates import CertificateError, ssl_context

    try:
        return ssl_context()
    except CertificateError as exc:
        raise InstallError(str(exc)) from None


def _http_client(settings: InstallSettings) -> httpx.Client:
    import httpx

    def vet_request(request: httpx.Request) -> None:
        # Runs for redirects too, so an https URL cannot bounce the download to plain http.
        _check_url(str(request.url), settings.mirror)

    return httpx.Client(
        trust_env=True,
        verify=_ssl_context(),
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=True,
        headers={"User-Agent": f"lockstep-pyhelper/{__version__}", "Accept-Encoding": "identity"},
        event_hooks={"request": [vet_request]},
    )


def _download(
    client: httpx.Client,
    build: Build,
    target: Path,
    settings: InstallSettings,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Stream `build` into `target`, hashing as it arrives; one retry on a transient failure."""
    import httpx

    _check_url(build.url, settings.mirror)
    for attempt in (1, 2):
        try:
            digest = _fetch_once(client, build.url, target, progress, cancel)
            break
        except (httpx.TransportError, _RetryableStatus) as exc:
            if attempt == 2:
                raise DownloadError(
                    f"download of {build.filename} failed twice: {_describe(exc, settings.timeout)}"
                ) from None
    if digest != build.sha256:
        raise ChecksumError(
            f"sha256 mismatch for {build.filename}: expected {build.sha256}, got {digest}; not installed"
        )


def _fetch_once(
    client: httpx.Client,
    url: str,
    target: Path,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> str:
    digest = hashlib.sha256()
    done = 0
    with _open_source(client, url) as (total, chunks), _os_errors(target), open(target, "wb") as out:
        if total is not None and total > ARCHIVE.max_bytes:
            raise DownloadError(_too_large(url, ARCHIVE))
        for chunk in _capped(chunks, ARCHIVE, url):
            _check_cancel(cancel)
            digest.update(chunk)
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return digest.hexdigest()


ARCHIVE = boundedread.Kind("Python archive", 2**30)
"""python-build-standalone's install_only archives are 15-70 MB; a mirror that sends more is hostile."""


def _capped(chunks: Iterator[bytes], kind: boundedread.Kind, url: str) -> Iterator[bytes]:
    """The chunks of a download, stopped with a DownloadError once they pass the kind's cap: a hostile
    or broken server may send a body that never ends, with no Content-Length or a false one."""
    received = 0
    for chunk in chunks:
        received += len(chunk)
        if received > kind.max_bytes:
            raise DownloadError(_too_large(url, kind))
        yield chunk


def _too_large(url: str, kind: boundedread.Kind) -> str:
    return f"{url} is larger than {kind.describe_cap()}, more than any real {kind.label}; refused"


@contextmanager
def _open_source(client: httpx.Client, url: str) -> Iterator[tuple[int | None, Iterator[bytes]]]:
    """(total size or None, chunks) for an http(s) URL or a file:// URL (a local mirror)."""
    split = urlsplit(url)
    if split.scheme.lower() == "file":
        path = Path(url2pathname(split.path))
        with _os_errors(path), open(path, "rb") as handle:
            yield os.fstat(handle.fileno()).st_size, iter(lambda: handle.read(_CHUNK), b"")
        return
    with client.stream("GET", url) as response:
        if response.status_code >= 500 or response.status_code == 429:
            raise _RetryableStatus(f"HTTP {response.status_code} from {split.netloc}")
        if response.status_code != 200:
            raise DownloadError(f"HTTP {response.status_code} for {url}")
        length = response.headers.get("Content-Length")
        yield (int(length) if length and length.isdigit() else None), response.iter_bytes()


def _describe(exc: BaseException, timeout: float | None = None) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException) and timeout is not None:
        what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "receiving data"
        return f"the server stalled (no progress {what} for {timeout:g} s)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection was cut ({exc})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return str(exc) or type(exc).__name__


# --- unpacking -------------------------------------------------------------------------------------

_TREE = "python"
"""The folder of an install_only archive that becomes the installation; links must stay inside it."""
# python-build-standalone's install_only archives unpack to 100-250 MB; more is a decompression bomb.
_MAX_UNPACKED_BYTES = 4 * 2**30


def _extract(archive: Path, dest: Path, label: str, cancel: CancelToken | None) -> None:
    """Unpack in one streaming pass, gunzipping ahead in a thread (as `tar -xz` runs gzip beside tar).

    Every member is written by `_Unpacker`, never by tarfile itself, so that none is written through a
    link; an archive that tries is refused whole (the caller removes `dest`).
    """
    with _os_errors(dest), _GunzipAhead(archive) as stream:
        try:
            with tarfile.open(fileobj=stream, mode="r|" if stream.gzipped else "r|*") as tar:
                unpacker = _Unpacker(dest, label)
                for member in tar:
                    _check_cancel(cancel)
                    unpacker.add(member, tar)
                unpacker.check_links(dest / _TREE)
        except (tarfile.TarError, EOFError, zlib.error) as exc:
            raise InstallError(f"{label} is not a readable tar archive: {exc}") from None


class _GunzipAhead(io.RawIOBase):
    """A .tar.gz's decompressed bytes, inflated by a background thread (zlib releases the GIL), so the
    file writes of the unpack overlap the decompression. Other files are passed through unchanged."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.gzipped = self._file.read(2) == b"\x1f\x8b"
        self._file.seek(0)
        self._chunks: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=8)
        self._pending = memoryview(b"")
        self._closing = threading.Event()
        if self.gzipped:
            threading.Thread(target=self._inflate, daemon=True).start()

    def _inflate(self) -> None:
        try:
            inflater = zlib.decompressobj(wbits=31)
            for data in iter(lambda: self._file.read(_CHUNK), b""):
                while data:
                    self._put(inflater.decompress(data))
                    data = inflater.unused_data if inflater.eof else b""
                    if data:  # a multi-member gzip file
                        inflater = zlib.decompressobj(wbits=31)
            if not inflater.eof:
                raise EOFError("the compressed data ends early")
            self._put(b"")
        except BaseException as exc:  # handed to the reading thread, which raises it
            self._put(exc)

    def _put(self, item: bytes | BaseException) -> None:
        while not self._closing.is_set():
            try:
                self._chunks.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.gzipped:
            return self._file.readinto(buffer)
        if not self._pending:
            item = self._chunks.get()
            if isinstance(item, BaseException):
                raise item
            self._pending = memoryview(item)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._closing.set()
        self._file.close()
        super().close()


class _Unpacker:
    """Writes an archive's members under `dest` so that no member is ever written through a link.

    The rules of tarfile's `data` filter (Python 3.12; the helper's 3.10 may lack it), done by hand and
    checked against the disk, not only the names, because names alone cannot see a link that an earlier
    member made (`a -> d/d/../../x`, then `d -> .`, then a file `a` wrote to `x` outside):
    - names are relative, without `..`, drive letters or NUL bytes;
    - members are regular files, folders, symlinks and hard links: devices, FIFOs and others are refused;
    - each folder on the way to a member is made here or found by lstat to be a real folder, never a link;
      a member is created afresh (O_EXCL, O_NOFOLLOW), so nothing that exists is ever opened for writing;
    - a name used by an earlier member is refused (a link replaced by a file or a file by a link), except
      a folder listed again;
    - a symlink's target is relative and stays inside, lexically and as resolved on disk when it is made;
      once all is unpacked, every symlink is resolved again on the finished tree, which catches links that
      lead out only through links made after them;
    - a hard link names a regular file unpacked before it;
    - modes as the `data` filter sets them (no setuid/setgid/sticky, no group/other write, owner rw), owned
      by the user who unpacks.
    A refusal raises UnsafeArchiveError naming the member.
    """

    def __init__(self, dest: Path, label: str) -> None:
        dest.mkdir()
        self.root = os.path.realpath(dest)
        self.label = label
        self.kinds: dict[str, Literal["dir", "file", "link"]] = {}
        """What each name unpacked so far is (folders made for a member's path included)."""
        self.links: list[str] = []
        self.size = 0

    def add(self, member: tarfile.TarInfo, tar: tarfile.TarFile) -> None:
        name = self._name(member, member.name)
        if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
            raise self._refuse(member, "is a device, FIFO or other special file")
        if not name:
            if member.isdir():  # "./": the destination itself
                return
            raise self._refuse(member, "has an empty path")
        earlier = self.kinds.get(name)
        if earlier is not None and not (earlier == "dir" and member.isdir()):
            raise self._refuse(member, f"replaces an earlier member of the same name (a {earlier})")
        self._make_parents(member, name)
        path = os.path.join(self.root, name)
        try:
            if member.isdir():
                if earlier is None:
                    os.mkdir(path, 0o755)
                self.kinds[name] = "dir"
            elif member.isreg():
                self._write(member, tar, path)
                self.kinds[name] = "file"
            elif member.issym():
                self._symlink(member, name, path)
                self.kinds[name] = "link"
            else:
                self._hardlink(member, path)
                self.kinds[name] = "file"
        except FileExistsError:
            # A name that differs only in case (or Unicode form) on a file system that folds them.
            raise self._refuse(member, "collides with an earlier member") from None

    def check_links(self, tree: Path) -> None:
        """Every symlink, resolved on the finished tree, stays inside `tree` (the part installed)."""
        if tree.is_symlink():  # renamed into place it would be a link to wherever it points
            raise UnsafeArchiveError(
                f"refusing to unpack {self.label}: member {tree.name!r} is a link, not a folder"
            )
        inside = os.path.realpath(tree)
        for name in self.links:
            resolved = os.path.realpath(os.path.join(self.root, name))
            if resolved != inside and not resolved.startswith(inside + os.sep):
                raise UnsafeArchiveError(
                    f"refusing to unpack {self.label}: member {name!r} leads outside the installation "
                    "(through links made after it)"
                )

    def _refuse(self, member: tarfile.TarInfo, reason: str) -> UnsafeArchiveError:
        return UnsafeArchiveError(f"refusing to unpack {self.label}: member {member.name!r} {reason}")

    def _name(self, member: tarfile.TarInfo, raw: str) -> str:
        """`raw` as a clean relative path ("" for the destination itself), or a refusal."""
        name = raw.replace("\\", "/")
        if "\0" in name:
            raise self._refuse(member, "has a NUL byte in its path")
        if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
            raise self._refuse(
                member,
                "has an absolute path" if raw is member.name else f"links to the absolute path {raw!r}",
            )
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise self._refuse(
                member, "contains '..'" if raw is member.name else f"links outside the archive ({raw!r})"
            )
        return "/".join(parts)

    def _make_parents(self, member: tarfile.TarInfo, name: str) -> None:
        parent = ""
        for part in name.split("/")[:-1]:
            parent = f"{parent}/{part}" if parent else part
            kind = self.kinds.get(parent)
            if kind == "link":
                raise self._refuse(member, "is written through a link")
            if kind == "file":
                raise self._refuse(member, "is inside a file")
            path = os.path.join(self.root, parent)
            if kind is None:
                with contextlib.suppress(FileExistsError):  # a case-folding twin: the lstat below decides
                    os.mkdir(path, 0o755)
                self.kinds[parent] = "dir"
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                raise self._refuse(member, "is written through a link")

    def _write(self, member: tarfile.TarInfo, tar: tarfile.TarFile, path: str) -> None:
        self.size += member.size
        if self.size > _MAX_UNPACKED_BYTES:
            raise self._refuse(
                member, f"makes the archive unpack to more than {_MAX_UNPACKED_BYTES // 2**30} GB"
            )
        # Group and other lose write, and execute unless the owner has it; the owner can read and write.
        mode = member.mode & 0o755
        mode = (mode if mode & 0o100 else mode & ~0o111) | 0o600
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, mode)
        with os.fdopen(fd, "wb") as out:
            source = tar.extractfile(member)
            if source is not None:
                shutil.copyfileobj(source, out, _CHUNK)
            # Written out now: the close's flush would set the mtime again (and the installed
            # Python's .pyc files, checked against their sources' mtimes, would all be stale).
            out.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # the umask must not change what the archive says
            os.utime(fd if os.utime in os.supports_fd else path, (member.mtime, member.mtime))

    def _symlink(self, member: tarfile.TarInfo, name: str, path: str) -> None:
        target = member.linkname.replace("\\", "/")
        if target.startswith("/") or (len(target) > 1 and target[1] == ":"):
            raise self._refuse(member, f"links to the absolute path {target!r}")
        lexical = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
        on_disk = os.path.realpath(os.path.join(os.path.dirname(path), target))
        if lexical == ".." or lexical.startswith("../") or not self._inside(on_disk):
            raise self._refuse(member, f"links outside the archive or through another link ({target!r})")
        os.symlink(target, path)
        self.links.append(name)

    def _hardlink(self, member: tarfile.TarInfo, path: str) -> None:
        target = self._name(member, member.linkname)
        if self.kinds.get(target) != "file":
            raise self._refuse(
                member,
                f"links outside the archive or to what is no file unpacked before it ({member.linkname!r})",
            )
        source = os.path.join(self.root, target)
        if not stat.S_ISREG(os.lstat(source).st_mode):
            raise self._refuse(
                member,
                f"links outside the archive or to what is no file unpacked before it ({member.linkname!r})",
            )
        os.link(source, path, follow_symlinks=False)

    def _inside(self, resolved: str) -> bool:
        return resolved == self.root or resolved.startswith(self.root + os.sep)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


# --- files and locks -------------------------------------------------------------------------------


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.is_set():
        raise InstallCancelled("the install was cancelled; nothing was installed")


@contextmanager
def _install_lock(install_dir: Path, cancel: CancelToken | None) -> Iterator[None]:
    """Hold the install dir's lock (`<dir>/.lock`, as uv does), waiting for it while honouring cancel."""
    from pyhelper.filelocks import LockWaitCancelled, hold_file_lock

    with contextlib.ExitStack() as held:
        try:
            with _os_errors(install_dir):
                held.enter_context(hold_file_lock(install_dir / _LOCK, cancel))
        except LockWaitCancelled:
            raise InstallCancelled("the install was cancelled; nothing was installed") from None
        yield


def _clear_temp(install_dir: Path) -> None:
    """Remove what an interrupted install left behind; only called while holding the lock."""
    for leftover in _listdir(install_dir / _TEMP):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _temp_dir(install_dir: Path, prefix: str) -> Iterator[Path]:
    """A fresh folder under `<install dir>/.temp` (same filesystem, so the final rename is atomic)."""
    parent = install_dir / _TEMP
    with _os_errors(parent):
        parent.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=prefix + "-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    """An OSError inside becomes one line naming the path (permission denied, no space left, ...)."""
    try:
        yield
    except FolderInUse as exc:
        raise InstallError(str(exc)) from None
    except OSError as exc:
        raise InstallError(f"cannot use {exc.filename or path}: {exc.strerror or exc}") from None
