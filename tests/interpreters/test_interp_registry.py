"""The PEP 514 reader on a recorded Windows registry (tests/fixtures/pep514/machine.reg), fed through
the reader's `winreg` seam; then a registered interpreter found by discovery like any other."""

from __future__ import annotations

from pathlib import Path

from interp_layouts import copy_install, real_prefix, real_version
from interp_registry import RecordedRegistry
from interp_sandbox import Sandbox

from pyhelper.interpreters import locations
from pyhelper.interpreters.discovery import Discovery
from pyhelper.interpreters.locations import RegistryEntry

MACHINE = Path(__file__).resolve().parents[1] / "fixtures" / "pep514" / "machine.reg"
USER = r"C:\Users\ada\AppData\Local\Programs\Python"


def test_every_registered_interpreter_is_read_from_both_hives_and_both_views() -> None:
    registry = RecordedRegistry(MACHINE, denied=frozenset({r"HKEY_LOCAL_MACHINE\SOFTWARE\Python\Locked"}))
    entries = locations.read_pep514_registry(registry)
    assert entries == [
        # HKCU: per-user installs.
        RegistryEntry(
            "PythonCore", "3.12", f"{USER}\\Python312\\", f"{USER}\\Python312\\python.exe", "64bit"
        ),
        RegistryEntry(
            "PythonCore",
            "3.13-arm64",
            f"{USER}\\Python313-arm64\\",
            f"{USER}\\Python313-arm64\\python.exe",
            "64bit",
        ),
        RegistryEntry(
            "ContinuumAnalytics",
            "Anaconda311-64",
            r"C:\Users\ada\anaconda3",
            r"C:\Users\ada\anaconda3\python.exe",
            "64bit",
        ),
        # HKLM, 64-bit view: the launcher, a tag without InstallPath, a DWORD architecture (ignored);
        # the company whose key cannot be opened is skipped, not the rest.
        RegistryEntry("PyLauncher", "InstallPath", None, None, None),
        RegistryEntry("PythonCore", "3.11", None, None, None),
        RegistryEntry(
            "PythonCore", "3.10", "C:\\Program Files\\Python310\\", r"C:\Program Files\Python310\python.exe"
        ),
        # HKLM, 32-bit view (WOW6432Node): 2.7 with only InstallPath's default value.
        RegistryEntry("PythonCore", "2.7", "C:\\Python27\\"),
        RegistryEntry(
            "PythonCore",
            "3.9-32",
            "C:\\Program Files (x86)\\Python39-32\\",
            r"C:\Program Files (x86)\Python39-32\python.exe",
            "32bit",
        ),
    ]
    assert list(locations.pep514_executables(entries)) == [
        (f"{USER}\\Python312\\python.exe", "x86_64"),
        (f"{USER}\\Python313-arm64\\python.exe", "aarch64"),
        (r"C:\Users\ada\anaconda3\python.exe", "x86_64"),
        (r"C:\Program Files\Python310\python.exe", None),
        (r"C:\Python27\python.exe", None),
        (r"C:\Program Files (x86)\Python39-32\python.exe", "x86"),
    ]


def test_a_registry_without_python_keys_is_empty(tmp_path: Path) -> None:
    export = tmp_path / "empty.reg"
    export.write_text(
        "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software]\n", encoding="utf-8"
    )
    assert locations.read_pep514_registry(RecordedRegistry(export)) == []


STORE = r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.12_3.12.2800.0_x64__qbz5n2kfra8p0"


def test_a_store_python_that_enumeration_hides_is_read_by_its_key(tmp_path: Path) -> None:
    # As the Store package registers it (CPython's PC/layout/support/appxmanifest.py): an app-compat
    # key that opens by name but is not among PythonCore's enumerated subkeys.
    store = STORE.replace("\\", "\\\\")
    export = tmp_path / "store.reg"
    export.write_text(
        "Windows Registry Editor Version 5.00\n\n"
        "[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.11\\InstallPath]\n"
        '@="C:\\\\Python311\\\\"\n\n'
        "[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12]\n"
        '"SysArchitecture"="64bit"\n\n'
        "[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath]\n"
        f'@="{store}"\n'
        f'"ExecutablePath"="{store}\\\\python3.12.exe"\n',
        encoding="utf-8",
    )
    hidden = frozenset({r"HKEY_CURRENT_USER\Software\Python\PythonCore\3.12"})
    entries = locations.read_pep514_registry(RecordedRegistry(export, hidden=hidden))
    assert entries == [
        RegistryEntry("PythonCore", "3.11", "C:\\Python311\\"),
        RegistryEntry("PythonCore", "3.12", STORE, f"{STORE}\\python3.12.exe", "64bit"),
    ]
    assert list(locations.pep514_executables(entries))[1] == (f"{STORE}\\python3.12.exe", "x86_64")


def test_discovery_lists_an_interpreter_only_the_registry_names(sandbox: Sandbox, tmp_path: Path) -> None:
    # An install outside PATH and every known folder, registered as the python.org installer does
    # (with this machine's path spelling, so discovery can run it).
    exe = copy_install(real_prefix("3.12"), sandbox.root / "Programs" / "Python312", "3.12")
    export = tmp_path / "registered.reg"
    escaped = str(exe).replace("\\", "\\\\")
    export.write_text(
        "Windows Registry Editor Version 5.00\n\n"
        "[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12]\n"
        '"SysArchitecture"="64bit"\n\n'
        "[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath]\n"
        f'"ExecutablePath"="{escaped}"\n',
        encoding="utf-8",
    )
    unregistered = sandbox.mine(sandbox.discovery().interpreters())
    assert str(exe) not in unregistered, "only the registry names it"

    registry = RecordedRegistry(export)
    discovery = Discovery(sandbox.host(), registry=lambda: locations.read_pep514_registry(registry))
    found = sandbox.mine(discovery.interpreters())
    assert str(exe) in found, sorted(found)
    assert found[str(exe)].version == real_version(exe)
