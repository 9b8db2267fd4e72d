"""The pure readers: names, headers, executable formats, and every platform's locations on paper."""

from __future__ import annotations

import platform
import struct
from pathlib import Path

import pytest

from interpreters.interp_layouts import real_prefix, real_version
from pyhelper.interpreters import locations
from pyhelper.interpreters.executables import classify_header, read_format
from pyhelper.interpreters.locations import Host, RegistryEntry
from pyhelper.interpreters.versions import (
    executable_preference,
    normalise_version,
    parse_executable_name,
    parse_managed_name,
    parse_patchlevel,
    parse_pyenv_name,
    read_patchlevel,
    scan_executable,
    version_key,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("python", ("cpython", None, None, False)),
        ("python3", ("cpython", 3, None, False)),
        ("python3.12", ("cpython", 3, 12, False)),
        ("python3.13t", ("cpython", 3, 13, True)),
        ("python3.6m", ("cpython", 3, 6, False)),
        ("python2.7", ("cpython", 2, 7, False)),
        ("python.exe", ("cpython", None, None, False)),
        ("python3.13t.exe", ("cpython", 3, 13, True)),
        ("pypy3.10", ("pypy", 3, 10, False)),
        ("graalpy", ("graalpy", None, None, False)),
        ("python3.12-config", None),
        ("python3-gdb.py", None),
        ("pythonw.exe", None),
        ("pydoc3.12", None),
    ],
)
def test_executable_names(name: str, expected: tuple[str, int | None, int | None, bool] | None) -> None:
    hint = parse_executable_name(name)
    got = None if hint is None else (hint.implementation, hint.major, hint.minor, hint.free_threaded)
    assert got == expected


def test_executable_preference_puts_versioned_names_first() -> None:
    names = ["python", "python3", "python3.12", "python3.12t"]
    assert sorted(names, key=executable_preference)[:2] == ["python3.12", "python3.12t"]
    assert max(names, key=executable_preference) == "python"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "cpython-3.12.7-linux-x86_64-gnu",
            ("cpython", "3.12.7", False, False, "linux", "x86_64", "gnu"),
        ),
        (
            "cpython-3.13.0+freethreaded-linux-aarch64-gnu",
            ("cpython", "3.13.0", True, False, "linux", "aarch64", "gnu"),
        ),
        (
            "cpython-3.13.0+freethreaded+debug-macos-aarch64-none",
            ("cpython", "3.13.0", True, True, "macos", "aarch64", "none"),
        ),
        (
            "cpython-3.14.0rc2-windows-x86_64-none",
            ("cpython", "3.14.0rc2", False, False, "windows", "x86_64", "none"),
        ),
        (
            "pypy-3.10.14-linux-x86_64-gnu",
            ("pypy", "3.10.14", False, False, "linux", "x86_64", "gnu"),
        ),
        (
            "cpython-3.12-linux-x86_64-gnu",
            ("cpython", "3.12", False, False, "linux", "x86_64", "gnu"),
        ),
        (
            "cpython-3.12.7-linux-x86_64_v3-musl",
            ("cpython", "3.12.7", False, False, "linux", "x86_64_v3", "musl"),
        ),
        (".lock", None),
        ("3.12.1", None),
    ],
)
def test_managed_names(name: str, expected: tuple[object, ...] | None) -> None:
    parsed = parse_managed_name(name)
    got = (
        None
        if parsed is None
        else (
            parsed.implementation,
            parsed.version,
            parsed.free_threaded,
            parsed.debug,
            parsed.os,
            parsed.arch,
            parsed.libc,
        )
    )
    assert got == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("3.12.1", ("cpython", "3.12.1", False)),
        ("3.13.0t", ("cpython", "3.13.0", True)),
        ("3.14.0rc1", ("cpython", "3.14.0rc1", False)),
        ("3.14-dev", ("cpython", "3.14", False)),
        ("pypy3.10-7.3.17", ("pypy", "3.10", False)),
        ("miniconda3-latest", None),
        ("my-virtualenv", None),
    ],
)
def test_pyenv_names(name: str, expected: tuple[str, str, bool] | None) -> None:
    assert parse_pyenv_name(name) == expected


def test_patchlevel_of_every_pyenv_build_matches_the_interpreter() -> None:
    for minor in ("3.10", "3.11", "3.12", "3.13"):
        prefix = real_prefix(minor)
        text = (prefix / "include" / f"python{minor}" / "patchlevel.h").read_text()
        assert parse_patchlevel(text) == real_version(prefix / "bin" / f"python{minor}")
        found = read_patchlevel(str(prefix), None, False, windows=False)
        assert found is not None and found.version == real_version(prefix / "bin" / f"python{minor}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('#define PY_VERSION              "3.12.1"\n', "3.12.1"),
        ('#define PY_VERSION "3.14.0rc2"', "3.14.0rc2"),
        ('#define PY_VERSION "3.13.0a1+"', "3.13.0a1"),
        ('#define PYPY_VERSION "7.3.17"\n#define PY_VERSION "3.10.14"', "3.10.14"),
        ("/* no version here */", None),
        ('#define PY_VERSION "not-a-version"', None),
    ],
)
def test_patchlevel_text(text: str, expected: str | None) -> None:
    assert parse_patchlevel(text) == expected


def test_windows_layout_header_is_at_include_root(tmp_path: Path) -> None:
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "patchlevel.h").write_text('#define PY_VERSION "3.12.4"\n')
    found = read_patchlevel(str(tmp_path), "3.12", False, windows=True)
    assert found is not None and found.version == "3.12.4"


def test_version_order_and_normalisation() -> None:
    ordered = [
        "2.7.18",
        "3.12.0a1",
        "3.12.0b2",
        "3.12.0rc1",
        "3.12.0",
        "3.12.1",
        "3.13.0",
    ]
    assert sorted([ordered[i] for i in (4, 0, 6, 2, 5, 1, 3)], key=version_key) == ordered
    assert normalise_version(" 3.12.7 ") == "3.12.7"
    assert normalise_version("3.12") == "3.12"
    assert normalise_version("3.12.7.final.0") is None


def test_scan_finds_py_version_in_a_static_executable_and_refuses_ambiguity(
    tmp_path: Path,
) -> None:
    assert scan_executable("/usr/bin/python3.11", "3.11") == real_version("/usr/bin/python3.11")
    blob = tmp_path / "blob"
    blob.write_bytes(b"\x00junk\x003.12.1\x00more\x003.12.4\x00")
    assert scan_executable(str(blob), "3.12") is None
    blob.write_bytes(b"\x00/opt/versions/3.12.1\x00")
    assert scan_executable(str(blob), "3.12") is None, "a path ending in a version is not PY_VERSION"
    assert scan_executable(str(tmp_path / "missing"), "3.12") is None


MACHINE = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine())


def test_native_executables_and_scripts(tmp_path: Path) -> None:
    assert read_format("/usr/bin/python3.11").native
    assert read_format("/usr/bin/python3.11").architecture == MACHINE
    script = tmp_path / "python3"
    script.write_text('#!/bin/sh\nexec python3.12 "$@"\n')
    assert not read_format(str(script)).native
    empty = tmp_path / "python.exe"
    empty.write_bytes(b"")  # a Windows app execution alias reads as nothing
    assert not read_format(str(empty)).native
    assert not read_format(str(tmp_path / "missing")).native


def _elf(machine: int) -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 11 + struct.pack("<H", machine) + b"\x00" * 40


def _pe(machine: int) -> bytes:
    head = bytearray(b"MZ" + b"\x00" * 126)
    struct.pack_into("<I", head, 0x3C, 0x80)
    return bytes(head) + b"PE\x00\x00" + struct.pack("<H", machine)


def _fat(*cpus: int) -> bytes:
    entries = b"".join(struct.pack(">iiIII", cpu, 0, 0, 0, 0) for cpu in cpus)
    return b"\xca\xfe\xba\xbe" + struct.pack(">I", len(cpus)) + entries


@pytest.mark.parametrize(
    ("head", "architecture"),
    [
        (_elf(0x3E), "x86_64"),
        (_elf(0xB7), "aarch64"),
        (_elf(0xF3), "riscv64"),
        (b"\xcf\xfa\xed\xfe" + struct.pack("<i", 0x0100000C) + b"\x00" * 24, "aarch64"),
        (b"\xcf\xfa\xed\xfe" + struct.pack("<i", 0x01000007) + b"\x00" * 24, "x86_64"),
        (_fat(0x01000007, 0x0100000C), "universal2"),
        (_pe(0x8664), "x86_64"),
        (_pe(0xAA64), "aarch64"),
        (_pe(0x14C), "x86"),
    ],
)
def test_executable_headers_on_paper(head: bytes, architecture: str) -> None:
    found = classify_header(head)
    assert found.native and found.architecture == architecture


def test_java_class_files_are_not_fat_binaries() -> None:
    assert not classify_header(b"\xca\xfe\xba\xbe\x00\x00\x00\x41").native


LINUX = Host("linux", {}, "/home/ada")
MAC = Host("darwin", {}, "/Users/ada")
WIN = Host(
    "win32",
    {
        "LOCALAPPDATA": r"C:\Users\ada\AppData\Local",
        "APPDATA": r"C:\Users\ada\AppData\Roaming",
    },
    r"C:\Users\ada",
)


@pytest.mark.parametrize(
    ("host", "lockstep", "uv", "pyenv"),
    [
        (
            LINUX,
            "/home/ada/.local/share/lockstep/python",
            "/home/ada/.local/share/uv/python",
            "/home/ada/.pyenv/versions",
        ),
        (
            Host(
                "linux",
                {"XDG_DATA_HOME": "/data", "PYENV_ROOT": "/opt/pyenv"},
                "/home/ada",
            ),
            "/data/lockstep/python",
            "/data/uv/python",
            "/opt/pyenv/versions",
        ),
        (
            Host(
                "linux",
                {
                    "UV_PYTHON_INSTALL_DIR": "/uvp",
                    "LOCKSTEP_PYTHON_INSTALL_DIR": "/lsp",
                },
                "/home/ada",
            ),
            "/lsp",
            "/uvp",
            "/home/ada/.pyenv/versions",
        ),
        (
            MAC,
            "/Users/ada/.local/share/lockstep/python",
            "/Users/ada/.local/share/uv/python",
            "/Users/ada/.pyenv/versions",
        ),
        (
            WIN,
            r"C:\Users\ada\AppData\Local\lockstep\python",
            r"C:\Users\ada\AppData\Roaming\uv\data\python",
            r"C:\Users\ada\.pyenv\pyenv-win\versions",
        ),
        (
            Host(
                "win32",
                {"pyenv": "D:\\pyenv-win", "uv_python_install_dir": "D:\\uvp"},
                r"C:\Users\ada",
            ),
            r"C:\Users\ada\AppData\Local\lockstep\python",
            "D:\\uvp",
            r"D:\pyenv-win\versions",
        ),
    ],
)
def test_install_dirs_per_platform(host: Host, lockstep: str, uv: str, pyenv: str) -> None:
    assert locations.lockstep_install_dir(host) == lockstep
    assert locations.uv_install_dir(host) == uv
    assert locations.pyenv_versions_dir(host) == pyenv


def test_lockstep_setting_wins_over_environment() -> None:
    host = Host("linux", {"LOCKSTEP_PYTHON_INSTALL_DIR": "/env"}, "/home/ada")
    assert locations.lockstep_install_dir(host, "/setting") == "/setting"


def test_shim_dirs_and_stubs() -> None:
    assert "/home/ada/.pyenv/shims" in locations.shim_dirs(LINUX)
    assert "/home/ada/.pyenv/plugins/pyenv-virtualenv/shims" in locations.shim_dirs(LINUX)
    assert "/home/ada/.asdf/shims" in locations.shim_dirs(LINUX)
    assert r"C:\Users\ada\AppData\Local\Microsoft\WindowsApps" in locations.shim_dirs(WIN)
    assert "/usr/bin/python3" in locations.stub_executables(MAC)
    assert locations.stub_executables(LINUX) == frozenset()


def test_system_dirs_per_platform() -> None:
    assert locations.system_dir_patterns(LINUX)[:2] == ["/usr/bin", "/usr/local/bin"]
    mac = locations.system_dir_patterns(MAC)
    assert "/opt/homebrew/bin" in mac
    assert "/Library/Frameworks/Python.framework/Versions/*/bin" in mac
    assert "/Library/Frameworks/PythonT.framework/Versions/*/bin" in mac
    assert "/usr/bin" not in mac, "macOS's /usr/bin/python3 is a stub"
    win = locations.system_dir_patterns(
        Host("win32", {**WIN.environ, "ProgramFiles": r"C:\Program Files"}, WIN.home)
    )
    assert r"C:\Users\ada\AppData\Local\Programs\Python\Python3*" in win
    assert r"C:\Program Files\Python3*" in win
    assert r"C:\Users\ada\AppData\Local\Python\pythoncore-*" in win


def test_conda_locations() -> None:
    assert locations.conda_environments_file(LINUX) == "/home/ada/.conda/environments.txt"
    roots = locations.conda_roots(Host("linux", {"MAMBA_ROOT_PREFIX": "/mamba"}, "/home/ada"))
    assert {
        "/home/ada/miniconda3",
        "/home/ada/miniforge3",
        "/opt/conda",
        "/mamba",
    } <= set(roots)
    assert r"C:\Users\ada\anaconda3" in locations.conda_roots(WIN)


@pytest.mark.parametrize(
    ("host", "executable", "prefix"),
    [
        (LINUX, "/opt/py/bin/python3.12", "/opt/py"),
        (WIN, r"C:\Python312\python.exe", r"C:\Python312"),
        (WIN, r"C:\work\.venv\Scripts\python.exe", r"C:\work\.venv"),
    ],
)
def test_prefix_of(host: Host, executable: str, prefix: str) -> None:
    assert locations.prefix_of(host, executable) == prefix


def test_venv_and_install_paths_per_platform() -> None:
    assert locations.venv_python(LINUX, "/w/.venv") == "/w/.venv/bin/python"
    assert locations.venv_python(WIN, r"C:\w\.venv") == r"C:\w\.venv\Scripts\python.exe"
    assert locations.install_bin_dir(WIN, r"C:\Python312") == r"C:\Python312"
    assert locations.install_bin_dir(MAC, "/Library/Frameworks/Python.framework/Versions/3.12") == (
        "/Library/Frameworks/Python.framework/Versions/3.12/bin"
    )


def test_pep514_registry_entries() -> None:
    entries = [
        RegistryEntry("PythonCore", "3.12", r"C:\Python312", None, "64bit"),
        RegistryEntry("PythonCore", "3.11-32", r"C:\Python311-32", None, "32bit"),
        RegistryEntry(
            "PythonCore",
            "3.13-arm64",
            r"C:\Python313",
            r"C:\Python313\python.exe",
            None,
        ),
        RegistryEntry(
            "ContinuumAnalytics",
            "Anaconda39-64",
            r"C:\conda",
            r"C:\conda\python.exe",
            "64bit",
        ),
        RegistryEntry("PyLauncher", "", r"C:\Windows", None, None),
        RegistryEntry("PythonCore", "3.9", None, None, None),
    ]
    assert list(locations.pep514_executables(entries)) == [
        (r"C:\Python312\python.exe", "x86_64"),
        (r"C:\Python311-32\python.exe", "x86"),
        (r"C:\Python313\python.exe", "aarch64"),
        (r"C:\conda\python.exe", "x86_64"),
    ]
    assert locations.read_pep514_registry() == [] or locations.Host.current().windows


def test_host_reads_windows_variables_case_insensitively() -> None:
    host = Host("win32", {"Path": r"C:\a;C:\b;;"}, r"C:\Users\ada")
    assert host.search_path() == [r"C:\a", r"C:\b"]
    assert Host("linux", {"PATH": "/a::/b"}, "/h").search_path() == ["/a", "/b"]
