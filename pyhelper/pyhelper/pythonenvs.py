"""A project's `.python-envs` file (PEP 832, a draft of 2026-08): the environments kept elsewhere.

Each line names one environment, relative paths starting at the file's folder; the last line is the
project's default, and a `.venv` beside the file counts as a line after all others. Lockstep reads the
file only when the project has no venv where it would make one, shows the default when it is a virtual
environment, and never creates, syncs or deletes one there: the draft may still change, and the folder
was chosen by whoever wrote the file, not by Lockstep. A default Lockstep cannot read is an error at its
line, as the draft asks of a tool that cannot use it (never a silent fall-back to another line).

The file may come from a stranger's repository: it is read bounded (`boundedread`), its lines are only
ever turned into paths whose `pyvenv.cfg` is read, never run or passed to a shell.
"""

import os
from pathlib import Path
from typing import NamedTuple

from pyhelper import boundedread, codes
from pyhelper.findings import Finding, Range, Severity
from pyhelper.venvs import Venv, describe_venv

PYTHON_ENVS = ".python-envs"


class Listed(NamedTuple):
    """The project's default environment as `.python-envs` names it."""

    venv: Venv | None
    """The virtual environment there; None when the line names none Lockstep can read."""
    finding: Finding | None
    """Why the default cannot be used (an error at its line), or why the file cannot be read."""


def listed_default(folder: Path) -> Listed | None:
    """The default environment of `folder/.python-envs`; None when there is no such file (or it lists
    nothing, which the draft gives no meaning beyond having no environments)."""
    path = folder / PYTHON_ENVS
    try:
        text = boundedread.read_text(path, boundedread.PYTHON_ENVS)
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        bad = error.object[: error.start].count(b"\n")
        return Listed(
            None, _unusable(path, bad, f"{PYTHON_ENVS} is not UTF-8 (line {bad + 1}), as PEP 832 asks")
        )
    except OSError as error:  # a FIFO, a device, too large, a folder, no permission
        return Listed(None, boundedread.unreadable_finding(path, error)) if path.exists() else None
    # `\n` or `\r\n` between lines, a trailing one ignored; a blank line names nothing.
    lines = [(number, raw.removesuffix("\r")) for number, raw in enumerate(text.split("\n"))]
    named = [(number, entry) for number, entry in lines if entry.strip()]
    if not named:
        return None
    number, line = named[-1]
    where = Path(os.path.abspath(folder / line))
    venv = describe_venv(where)
    if venv is None:
        return Listed(
            None,
            _unusable(
                path,
                number,
                f"The default environment of {PYTHON_ENVS} (its last line), `{line}`, is not a virtual "
                f"environment Lockstep can read: {where} has no pyvenv.cfg. Lockstep shows no environment "
                "for this project; Create Environment makes .venv, which PEP 832 puts after every line.",
                len(line),
            ),
        )
    return Listed(venv._replace(listed_in=path), None)


def _unusable(path: Path, line: int, message: str, length: int = 0) -> Finding:
    return Finding(path, Range.at(line, 0, length), Severity.WARNING, codes.PYTHON_ENVS_UNUSABLE, message)
