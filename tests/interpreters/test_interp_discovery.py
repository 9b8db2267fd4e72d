"""Discovery on real layouts in sandboxes: every source, kinds, dedupe, venvs, no processes, the cache."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

from interpreters.interp_layouts import (
    ProcessSpy,
    copy_install,
    make_venv,
    real_prefix,
    real_version,
    write_shim,
)
from interpreters.interp_sandbox import Sandbox
from pyhelper.interpreters.discovery import Discovery, DiscoveryOptions

MACHINE = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine())


def test_pyenv_versions_are_listed_and_shims_are_not(sandbox: Sandbox) -> None:
    exe12 = copy_install(real_prefix("3.12"), sandbox.pyenv_versions / "3.12.1", "3.12")
    exe13 = copy_install(real_prefix("3.13"), sandbox.pyenv_versions / "3.13.0", "3.13")
    shims = sandbox.home / ".pyenv" / "shims"
    for name in ("python", "python3", "python3.12"):
        write_shim(shims / name)
    # A shim outside pyenv's folder (asdf, a wrapper) is caught by its content: a script, not a program.
    write_shim(sandbox.root / "wrappers" / "python3.13")
    sandbox.path_dirs += [shims, sandbox.root / "wrappers"]

    with ProcessSpy.watching() as spy:
        discovery = sandbox.discovery()
        found = sandbox.mine(discovery.interpreters())

    assert set(found) == {str(exe12), str(exe13)}
    assert found[str(exe12)].version == real_version(exe12)
    assert found[str(exe13)].version == real_version(exe13)
    assert {i.kind for i in found.values()} == {"pyenv"}
    assert found[str(exe12)].name == "3.12.1"
    assert found[str(exe12)].prefix == str(sandbox.pyenv_versions / "3.12.1")
    assert found[str(exe12)].architecture == MACHINE
    assert spy.events == [] and discovery.spawned == 0


def test_managed_installs_uv_and_lockstep(sandbox: Sandbox) -> None:
    uv_home = sandbox.uv_dir / "cpython-3.12.1-linux-x86_64-gnu"
    uv_exe = copy_install(real_prefix("3.12"), uv_home, "3.12")
    # uv's own minor-version link and bookkeeping files are not installations of their own.
    (sandbox.uv_dir / "cpython-3.12-linux-x86_64-gnu").symlink_to(uv_home)
    (sandbox.uv_dir / ".lock").write_text("")
    (sandbox.uv_dir / ".temp").mkdir()
    lockstep_exe = copy_install(
        real_prefix("3.11"),
        sandbox.lockstep_dir / "cpython-3.11.7-linux-x86_64-gnu",
        "3.11",
    )

    with ProcessSpy.watching() as spy:
        found = sandbox.mine(sandbox.discovery().interpreters())

    assert set(found) == {str(uv_exe), str(lockstep_exe)}
    uv = found[str(uv_exe)]
    assert (uv.kind, uv.managed, uv.name, uv.version) == (
        "uv-managed",
        True,
        "cpython-3.12.1-linux-x86_64-gnu",
        real_version(uv_exe),
    )
    lockstep = found[str(lockstep_exe)]
    assert (lockstep.kind, lockstep.version) == (
        "lockstep-managed",
        real_version(lockstep_exe),
    )
    assert spy.events == []


def test_lockstep_dir_from_setting_and_default_data_dir(sandbox: Sandbox) -> None:
    configured = sandbox.root / "configured"
    exe = copy_install(real_prefix("3.12"), configured / "cpython-3.12.1-linux-x86_64-gnu", "3.12")
    default = sandbox.home / ".local" / "share" / "lockstep" / "python"
    default_exe = copy_install(real_prefix("3.11"), default / "cpython-3.11.7-linux-x86_64-gnu", "3.11")

    with_setting = Discovery(sandbox.host(), DiscoveryOptions(lockstep_install_dir=str(configured)))
    assert sandbox.mine(with_setting.interpreters())[str(exe)].kind == "lockstep-managed"

    env = sandbox.env
    del env["LOCKSTEP_PYTHON_INSTALL_DIR"]
    host = type(sandbox.host())(sandbox.host().platform, env, str(sandbox.home))
    found = sandbox.mine(Discovery(host).interpreters())
    assert found[str(default_exe)].kind == "lockstep-managed"
    assert str(exe) not in found


def test_free_threaded_and_pre_release_layouts(sandbox: Sandbox) -> None:
    # This machine has no free-threaded or pre-release build: these layouts carry the names and header
    # such builds have (python3.13t, include/python3.13t, +freethreaded; PY_VERSION "3.14.0rc2").
    ft = copy_install(
        real_prefix("3.13"),
        sandbox.uv_dir / "cpython-3.13.0+freethreaded-linux-x86_64-gnu",
        "3.13",
        suffix="t",
    )
    rc = copy_install(
        real_prefix("3.13"),
        sandbox.lockstep_dir / "cpython-3.14.0rc2-linux-x86_64-gnu",
        "3.13",
        exe_name="python3.14",
        header=None,
    )
    found = sandbox.mine(sandbox.discovery().interpreters())
    assert (found[str(ft)].version, found[str(ft)].free_threaded) == ("3.13.0", True)
    assert (found[str(rc)].version, found[str(rc)].free_threaded) == (
        "3.14.0rc2",
        False,
    )


def test_conda_environments(sandbox: Sandbox) -> None:
    env_prefix = sandbox.root / "envs" / "analysis"
    exe = copy_install(real_prefix("3.11"), env_prefix, "3.11", header=None)
    (env_prefix / "conda-meta").mkdir()
    (env_prefix / "conda-meta" / f"python-{real_version(exe)}-h955ad1f_0.json").write_text("{}")
    base = sandbox.home / "miniconda3"
    base_exe = copy_install(real_prefix("3.12"), base, "3.12")
    (base / "conda-meta").mkdir()
    nested_exe = copy_install(real_prefix("3.10"), base / "envs" / "old", "3.10")
    (base / "envs" / "old" / "conda-meta").mkdir()
    (sandbox.home / ".conda").mkdir()
    (sandbox.home / ".conda" / "environments.txt").write_text(f"{env_prefix}\n\n")

    with ProcessSpy.watching() as spy:
        found = sandbox.mine(sandbox.discovery().interpreters())

    assert {found[p].kind for p in (str(exe), str(base_exe), str(nested_exe))} == {"conda"}
    assert found[str(exe)].version == real_version(exe)
    assert found[str(exe)].name == "analysis"
    assert found[str(nested_exe)].version == real_version(nested_exe)
    assert spy.events == []


def test_workspace_venvs_with_their_base(sandbox: Sandbox, tmp_path: Path) -> None:
    base = copy_install(real_prefix("3.12"), sandbox.uv_dir / "cpython-3.12.1-linux-x86_64-gnu", "3.12")
    ws = tmp_path / "ws"
    uv_venv = make_venv(ws / ".venv", base)
    std_venv = make_venv(ws / "venv", real_prefix("3.13") / "bin" / "python3.13", tool="stdlib")
    nested = make_venv(ws / "tool" / "env-3.11", real_prefix("3.11") / "bin" / "python3.11")
    make_venv(ws / "node_modules" / "x" / ".venv", base)  # skipped: never searched
    deep = make_venv(ws / "a" / "b" / ".venv", base)  # deeper than discovery looks

    with ProcessSpy.watching() as spy:
        found = sandbox.discovery(workspace=[ws]).interpreters()
    venvs = {i.prefix: i for i in found if i.kind == "venv"}

    assert set(venvs) == {str(uv_venv), str(std_venv), str(nested)}
    assert str(deep) not in venvs
    made_by_uv = venvs[str(uv_venv)]
    assert made_by_uv.path == str(uv_venv / "bin" / "python")
    assert made_by_uv.version == real_version(uv_venv / "bin" / "python")
    assert made_by_uv.base == str(base)
    assert made_by_uv.name == ".venv"
    assert venvs[str(std_venv)].version == real_version(std_venv / "bin" / "python")
    assert venvs[str(std_venv)].base == str(real_prefix("3.13") / "bin" / "python3.13")
    assert venvs[str(nested)].version == real_version(nested / "bin" / "python")
    # The base is listed on its own too: a venv is never merged with the interpreter it links to.
    assert str(base) in {i.path for i in found}
    assert spy.events == []


def test_venv_with_missing_base_is_not_listed(sandbox: Sandbox, tmp_path: Path) -> None:
    base_home = sandbox.root / "gone"
    base = copy_install(real_prefix("3.12"), base_home, "3.12")
    venv = make_venv(tmp_path / "ws" / ".venv", base)
    shutil.rmtree(base_home)
    found = sandbox.discovery(workspace=[tmp_path / "ws"]).interpreters()
    assert str(venv) not in {i.prefix for i in found}


def test_one_file_under_many_names_is_listed_once_by_its_most_telling_path(
    sandbox: Sandbox,
) -> None:
    exe = copy_install(real_prefix("3.12"), sandbox.pyenv_versions / "3.12.1", "3.12")
    os.link(exe, exe.with_name("python3.12m"))  # a hard link, as pyenv's 3.6/3.7 builds have
    links = sandbox.root / "links"
    links.mkdir()
    (links / "python3").symlink_to(exe)
    (links / "python").symlink_to(exe.parent / "python")
    # PATH pointing straight into a pyenv version (not its shims) still finds a pyenv interpreter.
    sandbox.path_dirs += [links, exe.parent]

    found = sandbox.mine(sandbox.discovery().interpreters())

    assert list(found) == [str(exe)]
    assert found[str(exe)].kind == "pyenv"


def test_path_executable_outside_known_roots_is_system(sandbox: Sandbox) -> None:
    exe = copy_install(real_prefix("3.11"), sandbox.root / "opt" / "python3.11", "3.11")
    sandbox.path_dirs.append(exe.parent)
    found = sandbox.mine(sandbox.discovery().interpreters())
    assert found[str(exe)].kind == "system"
    assert found[str(exe)].version == real_version(exe)


def test_version_read_from_a_static_executable_without_headers(
    sandbox: Sandbox,
) -> None:
    # Debian's python3.X without the -dev package: no headers; the version is inside the program.
    system = Path("/usr/bin/python3.11")
    prefix = sandbox.root / "debian"
    (prefix / "bin").mkdir(parents=True)
    shutil.copy2(system, prefix / "bin" / "python3.11")
    (prefix / "lib").mkdir()
    (prefix / "lib" / "python3.11").symlink_to("/usr/lib/python3.11")
    sandbox.path_dirs.append(prefix / "bin")

    with ProcessSpy.watching() as spy:
        discovery = sandbox.discovery()
        found = sandbox.mine(discovery.interpreters())

    assert found[str(prefix / "bin" / "python3.11")].version == real_version(system)
    assert spy.events == [] and discovery.spawned == 0


def test_interpreter_is_asked_only_when_nothing_on_disk_says(sandbox: Sandbox) -> None:
    # A dynamically linked executable, no headers, a folder name that says nothing: only running it tells.
    prefix = sandbox.root / "mystery"
    exe = copy_install(real_prefix("3.12"), prefix, "3.12", header=None)
    sandbox.path_dirs.append(prefix / "bin")

    with ProcessSpy.watching() as spy:
        discovery = sandbox.discovery()
        found = sandbox.mine(discovery.interpreters())
    assert found[str(exe)].version == real_version(exe)
    assert discovery.spawned == 1
    assert [event for event, _ in spy.events] == ["subprocess.Popen"]

    with ProcessSpy.watching() as spy:
        again = sandbox.mine(discovery.interpreters())
    assert again == found and spy.events == [], "a known interpreter is not asked twice"

    refusing = sandbox.discovery(query_unreadable=False)
    assert str(exe) not in sandbox.mine(refusing.interpreters())
    assert refusing.spawned == 0


def test_workspace_executables_are_never_run(sandbox: Sandbox, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    exe = copy_install(real_prefix("3.12"), ws / "tools", "3.12", header=None)
    sandbox.path_dirs.append(exe.parent)
    with ProcessSpy.watching() as spy:
        discovery = sandbox.discovery(workspace=[ws])
        found = discovery.interpreters()
    assert str(exe) not in {i.path for i in found}
    assert spy.events == [] and discovery.spawned == 0


def test_cache_follows_the_file_system(sandbox: Sandbox, tmp_path: Path) -> None:
    exe12 = copy_install(real_prefix("3.12"), sandbox.pyenv_versions / "3.12.1", "3.12")
    ws = tmp_path / "ws"
    ws.mkdir()
    discovery = sandbox.discovery(workspace=[ws])
    first = discovery.interpreters()
    assert discovery.interpreters() == first

    # New installs and venvs appear without being told (folder times changed) ...
    exe11 = copy_install(real_prefix("3.11"), sandbox.pyenv_versions / "3.11.7", "3.11")
    venv = make_venv(ws / ".venv", exe12)
    found = sandbox.mine(discovery.interpreters())
    assert str(exe11) in found
    assert str(venv / "bin" / "python") in found

    # ... removed ones disappear ...
    shutil.rmtree(sandbox.pyenv_versions / "3.11.7")
    assert str(exe11) not in sandbox.mine(discovery.interpreters())

    # ... and what a watcher reports is re-read: here a venv recreated with another interpreter.
    shutil.rmtree(venv)
    make_venv(venv, real_prefix("3.13") / "bin" / "python3.13")
    assert discovery.refresh([str(venv / "pyvenv.cfg")]) is True
    assert sandbox.mine(discovery.interpreters())[str(venv / "bin" / "python")].version.startswith("3.13.")
    assert discovery.refresh([str(tmp_path / "unrelated" / "file.txt")]) is False
    (ws / "main.py").write_text("print('hi')\n")
    site = next((venv / "lib").glob("python3.*/site-packages"))
    (site / "added.py").write_text("")
    assert discovery.refresh([str(ws / "main.py"), str(site / "added.py")]) is False
    assert discovery.refresh([str(ws / "newenv")]) is True, "a folder gone from a listed folder"
    assert discovery.refresh([str(exe12.parent / "python3.12")]) is True
    assert str(sandbox.pyenv_versions) in discovery.watched_paths()
