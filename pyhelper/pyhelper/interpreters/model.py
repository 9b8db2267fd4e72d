"""What Lockstep knows about one Python interpreter, as read from disk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["system", "pyenv", "uv-managed", "lockstep-managed", "conda", "venv"]
Preference = Literal["only-managed", "managed", "system", "only-system"]
"""uv's `--python-preference`: whether managed builds (uv's, Lockstep's) or the system's come first, or
only one of them counts (the `lockstep.python.preference` setting)."""

# The installs uv's --python-preference calls "managed": python-build-standalone builds that uv or
# Lockstep unpacked. Everything else that is not a venv counts as "system".
MANAGED_KINDS: frozenset[Kind] = frozenset({"uv-managed", "lockstep-managed"})


@dataclass(frozen=True)
class Interpreter:
    path: str
    """The executable as a person would run it (not necessarily the symlink-resolved file)."""
    version: str
    """PEP 440 spelling of the Python language version: `3.12.7`, `3.14.0rc2`."""
    implementation: str
    """Lower-case, as `sys.implementation.name`: `cpython`, `pypy`, `graalpy`."""
    kind: Kind
    prefix: str
    """`sys.prefix` equivalent: the venv folder, or the installation's root."""
    architecture: str | None = None
    """Machine of the executable (`x86_64`, `aarch64`, `universal2`...), when its header says."""
    free_threaded: bool = False
    name: str | None = None
    """Short label: the venv folder, conda env, pyenv version or managed install's name."""
    base: str | None = None
    """For a venv: the executable of the interpreter it was made from (from pyvenv.cfg)."""

    @property
    def managed(self) -> bool:
        return self.kind in MANAGED_KINDS

    @property
    def is_venv(self) -> bool:
        return self.kind == "venv"
