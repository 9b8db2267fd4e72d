"""The editor settings the helper uses: the client's `HelperSettings` (extension/protocol.ts), received as
initializationOptions and then as the `lockstep` section of workspace/didChangeConfiguration."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyhelper.protocol import PythonPreference, VenvPathOrigin
from pyhelper.venvs import VenvSetting


@dataclass(frozen=True)
class Settings:
    exclude: tuple[str, ...] = ()
    """`lockstep.exclude`: folder names or name patterns the scan skips."""
    trusted: bool = False
    """Workspace Trust: until the editor says the workspace is trusted, no tool runs, nothing is written."""
    venv_path: str | None = None
    """`lockstep.venv.path`: where projects keep their venv, when not `.venv`."""
    venv_path_origin: VenvPathOrigin = "workspace"
    """Where the editor found `venv_path` (unsaid: the workspace, whose paths must stay in the project)."""
    venv_seed: bool = False
    """`lockstep.venv.seed`: install pip, setuptools and wheel into new venvs."""
    uv_path: str | None = None
    """`lockstep.uv.path`: a uv to use instead of the bundled one."""
    python_preference: PythonPreference = "managed"
    python_install_dir: str | None = None
    python_downloads_json: str | None = None
    python_install_mirror: str | None = None
    diagnostics_enabled: bool = True
    """`lockstep.diagnostics.enabled`: publish drift diagnostics at all."""
    diagnostics_severity: tuple[tuple[str, str], ...] = ()
    """`lockstep.diagnostics.severity`: (code, level) overrides; level error|warning|information|hint|off."""
    diagnostics_extraneous: bool = False
    """`lockstep.diagnostics.extraneous`: show packages the venv has beyond the lock (as hints)."""

    @property
    def venv(self) -> VenvSetting:
        return VenvSetting(self.venv_path, self.venv_path_origin)


class _WrongShape(Exception):
    pass


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _WrongShape
    return tuple(item for item in value if isinstance(item, str) and item)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _WrongShape
    return value


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        raise _WrongShape
    return value.strip() or None  # an empty string is the setting's "not set"


def _preference(value: Any) -> str:
    if value not in ("only-managed", "managed", "system", "only-system"):
        raise _WrongShape
    return str(value)


_LEVELS = ("error", "warning", "information", "hint", "off")


def _origin(value: Any) -> str:
    if value not in ("user", "workspace", "default"):
        raise _WrongShape
    return str(value)


def _severities(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise _WrongShape
    return tuple(
        sorted((code, level) for code, level in value.items() if isinstance(code, str) and level in _LEVELS)
    )


# Client key -> (field, reader).
_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "exclude": ("exclude", _names),
    "trusted": ("trusted", _flag),
    "venvPath": ("venv_path", _text),
    "venvPathOrigin": ("venv_path_origin", _origin),
    "venvSeed": ("venv_seed", _flag),
    "uvPath": ("uv_path", _text),
    "pythonPreference": ("python_preference", _preference),
    "pythonInstallDir": ("python_install_dir", _text),
    "pythonDownloadsJson": ("python_downloads_json", _text),
    "pythonInstallMirror": ("python_install_mirror", _text),
    "diagnosticsEnabled": ("diagnostics_enabled", _flag),
    "diagnosticsSeverity": ("diagnostics_severity", _severities),
    "diagnosticsExtraneous": ("diagnostics_extraneous", _flag),
}


def read_settings(values: Any, current: Settings) -> Settings:
    """`current` updated from the client's settings object; missing keys and wrong shapes change nothing."""
    if not isinstance(values, dict):
        return current
    changes: dict[str, Any] = {}
    for key, (field, read) in _FIELDS.items():
        if key not in values:
            continue
        try:
            changes[field] = read(values[key])
        except _WrongShape:
            continue
    if "venv_path" in changes and "venv_path_origin" not in changes:
        changes["venv_path_origin"] = "workspace"  # a new path does not inherit the old one's origin
    return dataclasses.replace(current, **changes)
