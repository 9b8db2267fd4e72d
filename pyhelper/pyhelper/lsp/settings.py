"""The editor settings the helper uses: the protocol's `HelperSettings`, received as initializationOptions
and then as the `lockstep` section of workspace/didChangeConfiguration. Each field of `EditorSettings` is a
HelperSettings key in snake case, read by the rule for its declared type (so a new setting is one field
here, one in HelperSettings and its declaration in package.json, which tests/protocol checks)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin, get_type_hints

from pyhelper.lsp.protocol import HelperSettings, PythonPreference, VenvPathOrigin
from pyhelper.venvs import VenvSetting


@dataclass(frozen=True)
class EditorSettings:
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
    health_network: bool = True
    """`lockstep.health.network`: ask indexes about locked versions (off: fresh cached answers only)."""
    health_outdated: bool = True
    """`lockstep.health.outdated`: locked, allowed and newest versions (inlay hints and the hover)."""
    health_osv_url: str | None = None
    """`lockstep.health.osvUrl`: an OSV-compatible `querybatch` endpoint asked besides the indexes."""

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


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if value not in choices:
            raise _WrongShape
        return str(value)

    return read


def _levels(levels: tuple[str, ...]) -> Callable[[Any], tuple[tuple[str, str], ...]]:
    def read(value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise _WrongShape
        return tuple(
            sorted(
                (code, level) for code, level in value.items() if isinstance(code, str) and level in levels
            )
        )

    return read


def _reader(hint: Any) -> Callable[[Any], Any]:
    """How to read a value of the declared type; a value of another shape is `_WrongShape`."""
    if hint is bool:
        return _flag
    if hint is str:
        return _text
    if hint == list[str]:
        return _names
    if get_origin(hint) is Literal:
        return _choice(get_args(hint))
    if get_origin(hint) is dict and get_origin(get_args(hint)[1]) is Literal:
        return _levels(get_args(get_args(hint)[1]))
    raise TypeError(f"HelperSettings: no reader for {hint!r}")


def _field(key: str) -> str:
    """`venvPathOrigin` -> `venv_path_origin`: the client's key as this module's field."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


# Client key -> (field, reader), from the protocol's declaration: a setting is declared once.
_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    key: (_field(key), _reader(hint)) for key, hint in get_type_hints(HelperSettings).items()
}


def read_settings(values: Any, current: EditorSettings) -> EditorSettings:
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
