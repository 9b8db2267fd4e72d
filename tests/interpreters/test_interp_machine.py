"""Discovery on this machine as it is: every version read from disk matches what the interpreter says."""

from __future__ import annotations

import json
import os
import subprocess

from interpreters.interp_layouts import ProcessSpy
from pyhelper.interpreters.discovery import Discovery
from pyhelper.interpreters.locations import Host, pyenv_versions_dir

# Runs on 2.7 as well as 3.x.
_ASK = (
    "import sys, json, platform, sysconfig\n"
    "impl = getattr(getattr(sys, 'implementation', None), 'name', 'cpython')\n"
    "ft = bool(sysconfig.get_config_var('Py_GIL_DISABLED'))\n"
    "print(json.dumps([sys.version.split()[0], impl, ft, platform.machine(), sys.prefix]))\n"
)


def _ask(executable: str) -> tuple[str, str, bool, str, str]:
    out = subprocess.run([executable, "-c", _ASK], capture_output=True, text=True, check=True).stdout
    version, implementation, free_threaded, machine, prefix = json.loads(out)
    return version.rstrip("+"), implementation, free_threaded, machine, prefix


def test_every_interpreter_on_this_machine_matches_what_it_says_about_itself() -> None:
    host = Host.current()
    with ProcessSpy.watching() as spy:
        discovery = Discovery(host)
        found = discovery.interpreters()
    assert spy.events == [] and discovery.spawned == 0, "every version here is readable from disk"

    pyenv = pyenv_versions_dir(host)
    expected_pyenv = {name for name in os.listdir(pyenv) if not os.path.islink(os.path.join(pyenv, name))}
    assert {i.name for i in found if i.kind == "pyenv"} == expected_pyenv
    assert all("/shims/" not in i.path for i in found)
    assert len({os.path.realpath(i.path) for i in found if i.kind != "venv"}) == len(
        [i for i in found if i.kind != "venv"]
    ), "one file, one entry"

    mismatches: list[object] = []
    for interpreter in found:
        version, implementation, free_threaded, machine, prefix = _ask(interpreter.path)
        said = (
            interpreter.version,
            interpreter.implementation,
            interpreter.free_threaded,
            interpreter.prefix,
        )
        if said != (version, implementation, free_threaded, os.path.realpath(prefix)):
            mismatches.append(
                (
                    interpreter.path,
                    said,
                    (version, implementation, free_threaded, prefix),
                )
            )
        if interpreter.architecture != {"amd64": "x86_64", "arm64": "aarch64"}.get(machine.lower(), machine):
            mismatches.append((interpreter.path, interpreter.architecture, machine))
    assert mismatches == []
    assert len(found) >= 2
