"""Where interpreters live on each platform: one place for every folder Lockstep looks in.

Every function takes a `Host` (platform, environment, home) instead of reading `sys.platform` and
`os.environ`, so the Windows and macOS rules are unit-tested on any machine, and tests point discovery
at sandboxes. Paths come back as strings in the host's own spelling.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast


@dataclass(frozen=True)
class Host:
    platform: str
    """A `sys.platform` value: `linux`, `darwin`, `win32`..."""
    environ: Mapping[str, str] = field(default_factory=dict)
    home: str = ""
    root: str = ""
    """Where the POSIX system folders (/usr/bin, /opt/homebrew, /Library/Frameworks) are: empty for the
    machine's own; a folder holding a fake macOS or Linux tree in tests."""

    @classmethod
    def current(cls, environ: Mapping[str, str] | None = None) -> Host:
        env = dict(os.environ if environ is None else environ)
        home = env.get("USERPROFILE" if sys.platform == "win32" else "HOME") or os.path.expanduser("~")
        return cls(sys.platform, env, home)

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    @property
    def macos(self) -> bool:
        return self.platform == "darwin"

    def join(self, *parts: str) -> str:
        return ntpath.join(*parts) if self.windows else posixpath.join(*parts)

    def env(self, name: str) -> str | None:
        """A non-empty environment variable (Windows names are case-insensitive)."""
        if self.windows:
            upper = name.upper()
            value = next((v for k, v in self.environ.items() if k.upper() == upper), None)
        else:
            value = self.environ.get(name)
        return value or None

    def system(self, path: str) -> str:
        """An absolute POSIX system path, under `root`."""
        return self.root + path

    def search_path(self) -> list[str]:
        raw = self.env("PATH") or ""
        return [entry for entry in raw.split(";" if self.windows else ":") if entry]


def _data_home(host: Host) -> str:
    return host.env("XDG_DATA_HOME") or host.join(host.home, ".local", "share")


def lockstep_install_dir(host: Host | None = None, configured: str | None = None) -> str:
    """Where Lockstep installs managed interpreters (the downloads code writes here, discovery reads).

    Order: the `lockstep.python.installDir` setting, `$LOCKSTEP_PYTHON_INSTALL_DIR`, then the data dir:
    `$XDG_DATA_HOME/lockstep/python` or `~/.local/share/lockstep/python` (Linux and macOS, as uv),
    `%LOCALAPPDATA%\\lockstep\\python` on Windows (machine-specific binaries do not belong in Roaming).
    """
    host = host or Host.current()
    if configured:
        return configured
    explicit = host.env("LOCKSTEP_PYTHON_INSTALL_DIR")
    if explicit:
        return explicit
    return host.join(lockstep_data_dir(host), "python")


def lockstep_data_dir(host: Host) -> str:
    """Lockstep's own data folder on this machine: `$XDG_DATA_HOME/lockstep` or
    `~/.local/share/lockstep`, `%LOCALAPPDATA%\\lockstep` on Windows."""
    if host.windows:
        local = host.env("LOCALAPPDATA") or host.join(host.home, "AppData", "Local")
        return host.join(local, "lockstep")
    return host.join(_data_home(host), "lockstep")


def uv_install_dir(host: Host) -> str:
    """uv's managed Python folder: `$UV_PYTHON_INSTALL_DIR`, else `python/` in uv's data dir."""
    explicit = host.env("UV_PYTHON_INSTALL_DIR")
    if explicit:
        return explicit
    if host.windows:
        appdata = host.env("APPDATA") or host.join(host.home, "AppData", "Roaming")
        return host.join(appdata, "uv", "data", "python")
    return host.join(_data_home(host), "uv", "python")


def pyenv_root(host: Host) -> str:
    if host.windows:
        # pyenv-win sets PYENV (and PYENV_ROOT) to ...\.pyenv\pyenv-win.
        return host.env("PYENV_ROOT") or host.env("PYENV") or host.join(host.home, ".pyenv", "pyenv-win")
    return host.env("PYENV_ROOT") or host.join(host.home, ".pyenv")


def pyenv_versions_dir(host: Host) -> str:
    return host.join(pyenv_root(host), "versions")


def shim_dirs(host: Host) -> list[str]:
    """Folders of launchers that pick an interpreter at run time; never interpreters themselves."""
    root = pyenv_root(host)
    dirs = [host.join(root, "shims"), host.join(root, "plugins", "pyenv-virtualenv", "shims")]
    dirs.append(host.join(host.env("ASDF_DATA_DIR") or host.join(host.home, ".asdf"), "shims"))
    dirs.append(host.join(_data_home(host), "mise", "shims"))
    if host.windows:
        local = host.env("LOCALAPPDATA") or host.join(host.home, "AppData", "Local")
        dirs.append(host.join(local, "Microsoft", "WindowsApps"))
    return dirs


def conda_environments_file(host: Host) -> str:
    return host.join(host.home, ".conda", "environments.txt")


def conda_roots(host: Host) -> list[str]:
    """Conda/mamba installations whose base environment and `envs/*` hold interpreters."""
    names = ["miniconda3", "anaconda3", "miniforge3", "mambaforge", "micromamba", "conda"]
    roots = [host.join(host.home, name) for name in names]
    for variable in ("CONDA_ROOT", "MAMBA_ROOT_PREFIX", "CONDA_EXE_ROOT"):
        value = host.env(variable)
        if value:
            roots.append(value)
    if host.windows:
        for base_var in ("LOCALAPPDATA", "PROGRAMDATA"):
            base = host.env(base_var)
            if base:
                roots.extend(host.join(base, name) for name in names[:4])
    else:
        roots.extend(
            host.system(f"/opt/{name}") for name in ("conda", "miniconda3", "anaconda3", "miniforge3")
        )
    return roots


def system_dir_patterns(host: Host) -> list[str]:
    """Glob patterns of folders that hold system interpreters (`*` expanded by discovery)."""
    if host.windows:
        local = host.env("LOCALAPPDATA") or host.join(host.home, "AppData", "Local")
        patterns = [
            host.join(local, "Programs", "Python", "Python3*"),
            # The Python install manager (`py install`, 2025) keeps runtimes here.
            host.join(local, "Python", "pythoncore-*"),
        ]
        for variable in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            base = host.env(variable)
            if base:
                patterns.append(host.join(base, "Python3*"))
        drive = host.env("SystemDrive") or "C:"
        patterns.append(drive + "\\Python3*")
        return patterns
    if host.macos:
        return [
            *map(
                host.system,
                [
                    "/opt/homebrew/bin",
                    "/opt/homebrew/opt/python@3*/bin",
                    "/usr/local/bin",
                    "/usr/local/opt/python@3*/bin",
                    "/Library/Frameworks/Python.framework/Versions/*/bin",
                    "/Library/Frameworks/PythonT.framework/Versions/*/bin",
                ],
            ),
            host.join(host.home, "Library/Frameworks/Python.framework/Versions/*/bin"),
            # macOS's /usr/bin/python3 is a stub that runs (or offers to install) this one.
            host.system(
                "/Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/*/bin"
            ),
        ]
    return [
        host.system(path) for path in ("/usr/bin", "/usr/local/bin", "/opt/python*/bin", "/opt/python/*/bin")
    ]


def stub_executables(host: Host) -> frozenset[str]:
    """Native executables that are launchers, not interpreters."""
    if host.macos:
        return frozenset({host.system("/usr/bin/python3"), host.system("/usr/bin/python3-config")})
    return frozenset()


def install_bin_dir(host: Host, prefix: str) -> str:
    """Where an installation keeps its interpreter: `bin/` on POSIX, the root folder on Windows."""
    return prefix if host.windows else host.join(prefix, "bin")


def venv_bin_dir(host: Host, venv: str) -> str:
    return host.join(venv, "Scripts" if host.windows else "bin")


def venv_python(host: Host, venv: str) -> str:
    return host.join(venv_bin_dir(host, venv), "python.exe" if host.windows else "python")


def prefix_of(host: Host, executable: str) -> str:
    """The installation root of an executable: `<prefix>/bin/python3` or `<prefix>\\python.exe`."""
    if not host.windows:
        return posixpath.dirname(posixpath.dirname(executable))
    folder = ntpath.dirname(executable)
    return ntpath.dirname(folder) if ntpath.basename(folder).lower() == "scripts" else folder


@dataclass(frozen=True)
class RegistryEntry:
    """One `Software\\Python\\<company>\\<tag>` key of PEP 514, with the values Lockstep reads."""

    company: str
    tag: str
    install_path: str | None
    executable_path: str | None = None
    sys_architecture: str | None = None


def pep514_executables(entries: list[RegistryEntry]) -> Iterator[tuple[str, str | None]]:
    """(executable, architecture) for each registered interpreter (PEP 514), the launcher excluded."""
    for entry in entries:
        if entry.company == "PyLauncher":
            continue
        executable = entry.executable_path or (
            ntpath.join(entry.install_path, "python.exe") if entry.install_path else None
        )
        if executable is None:
            continue
        architecture = {"32bit": "x86", "64bit": "x86_64"}.get(entry.sys_architecture or "")
        if entry.tag.lower().endswith("-arm64"):
            architecture = "aarch64"
        yield executable, architecture


class WindowsRegistry(Protocol):
    """What the PEP 514 reader uses of `winreg`: the module itself on Windows, recorded values in tests."""

    HKEY_CURRENT_USER: int
    HKEY_LOCAL_MACHINE: int
    KEY_READ: int
    KEY_WOW64_64KEY: int
    KEY_WOW64_32KEY: int

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = ..., /) -> Any: ...
    def EnumKey(self, key: Any, index: int, /) -> str: ...
    def QueryValueEx(self, key: Any, name: str, /) -> tuple[Any, int]: ...


def read_pep514_registry(registry: WindowsRegistry | None = None) -> list[RegistryEntry]:
    """The PEP 514 keys of HKCU and HKLM (both registry views); empty anywhere but Windows.

    A key that cannot be opened (missing, or its permissions say no) is skipped, with what it holds:
    one installer's broken key must not hide the others.
    """
    if registry is None:
        if sys.platform != "win32":
            return []
        import winreg

        registry = cast(WindowsRegistry, winreg)
    reg = registry
    entries: list[RegistryEntry] = []
    roots = [
        (reg.HKEY_CURRENT_USER, 0),
        (reg.HKEY_LOCAL_MACHINE, reg.KEY_WOW64_64KEY),
        (reg.HKEY_LOCAL_MACHINE, reg.KEY_WOW64_32KEY),
    ]

    def value(key: Any, sub: str, name: str) -> str | None:
        try:
            with reg.OpenKey(key, sub) as handle:
                found = reg.QueryValueEx(handle, name)[0]
        except OSError:
            return None
        return found if isinstance(found, str) and found else None

    def subkeys(key: Any) -> list[str]:
        names: list[str] = []
        while True:
            try:
                names.append(reg.EnumKey(key, len(names)))
            except OSError:
                return names

    def opened(key: Any, sub: str) -> Any:
        try:
            return reg.OpenKey(key, sub)
        except OSError:
            return None

    def entry(company: str, tag: str, tag_key: Any) -> RegistryEntry:
        with tag_key:
            return RegistryEntry(
                company=company,
                tag=tag,
                install_path=value(tag_key, "InstallPath", ""),
                executable_path=value(tag_key, "InstallPath", "ExecutablePath"),
                sys_architecture=value(tag_key, "", "SysArchitecture"),
            )

    for hive, view in roots:
        try:
            python_key = reg.OpenKey(hive, r"Software\Python", 0, reg.KEY_READ | view)
        except OSError:
            continue
        with python_key:
            for company in subkeys(python_key):
                company_key = opened(python_key, company)
                if company_key is None:
                    continue
                with company_key:
                    for tag in subkeys(company_key):
                        tag_key = opened(company_key, tag)
                        if tag_key is not None:
                            entries.append(entry(company, tag, tag_key))
    # The Microsoft Store's Pythons register `HKCU\Software\Python\PythonCore\3.X` as app-compat keys,
    # which a direct open finds but enumerating PythonCore does not (a Windows restriction).
    listed = {(e.company.lower(), e.tag.lower()) for e in entries}
    for minor in _STORE_MINORS:
        tag = f"3.{minor}"
        if ("pythoncore", tag) not in listed:
            tag_key = opened(reg.HKEY_CURRENT_USER, rf"Software\Python\PythonCore\{tag}")
            if tag_key is not None:
                entries.append(entry("PythonCore", tag, tag_key))
    return entries


_STORE_MINORS = range(7, 40)
"""The Store has shipped 3.7 onwards; the bound leaves room for the versions to come."""
