"""The one walk over a workspace's folders: the editor's project scan (`projects.scan_workspace`) and
`pyhelper check` both find projects and locked scripts with it, so they skip the same folders.

Kept apart from `projects` so that a cold `pyhelper check`, which needs only the walk, does not import
what describing a project needs (venvs, `.python-envs`, salvaging a broken pyproject).

A folder is skipped when its name is in `BUILTIN_EXCLUDES` or matches a configured exclude entry (a
folder name, or a name pattern with `*`/`?`), when it holds a `pyvenv.cfg` (any venv, whatever its
name), and when it is a symbolic link (links can form cycles; projects behind links are not walked).
"""

import fnmatch
import os
from collections.abc import Collection, Iterator
from pathlib import Path

PYPROJECT = "pyproject.toml"
PYVENV_CFG = "pyvenv.cfg"
"""The file that makes a folder a venv."""

BUILTIN_EXCLUDES = frozenset(
    {
        ".venv",
        "venv",
        "node_modules",
        ".git",
        "__pycache__",
        ".tox",
        ".nox",
        # Tool caches and other VCS metadata never hold projects and can be large.
        ".hg",
        ".svn",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

_GLOB_CHARS = frozenset("*?[")


def is_excluded_name(name: str, exclude: Collection[str]) -> bool:
    """Whether a folder called `name` is skipped, given the configured exclude entries."""
    if name in BUILTIN_EXCLUDES or name in exclude:
        return True
    return any(_GLOB_CHARS & set(pattern) and fnmatch.fnmatchcase(name, pattern) for pattern in exclude)


def folders(folder: Path, exclude: Collection[str], strict: bool = False) -> Iterator[tuple[str, set[str]]]:
    """Each folder under `folder` (itself included) that is no venv, with the names in it.

    `strict`: a folder that cannot be read raises OSError (for the CLI, where it must not pass for a
    folder without projects) instead of being skipped.
    """
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        subfolders: list[str] = []
        names: set[str] = set()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    names.add(entry.name)
                    if entry.is_dir(follow_symlinks=False) and not is_excluded_name(entry.name, exclude):
                        subfolders.append(entry.path)
        except FileNotFoundError:
            continue  # removed while walking: nothing left to find
        except OSError:
            if strict:
                raise
            continue  # unreadable: nothing to report there
        if PYVENV_CFG in names:
            continue
        yield current, names
        stack.extend(subfolders)


def find_pyprojects(folder: Path, exclude: Collection[str] = (), *, strict: bool = False) -> list[Path]:
    """Every pyproject.toml under `folder` (itself included), skipping excluded folders; sorted."""
    return sorted(
        Path(current) / PYPROJECT for current, names in folders(folder, exclude, strict) if PYPROJECT in names
    )


def find_locked_scripts(folder: Path, exclude: Collection[str] = (), *, strict: bool = False) -> list[Path]:
    """Every `NAME.py` beside a `NAME.py.lock` (a PEP 723 script uv locked) under `folder`, skipping
    the folders `find_pyprojects` skips; sorted."""
    return sorted(
        Path(current) / name[: -len(".lock")]
        for current, names in folders(folder, exclude, strict)
        for name in names
        if name.endswith(".py.lock") and name[: -len(".lock")] in names
    )
