"""What Create and Sync ask uv, what the venv holds afterwards, and what is left after a failure or a
Cancel: for each way a lock is installed (uv sync, `uv pip sync` of a pinned list or a pylock, `uv pip
install` without a lock), for locking first, seeding and Windows' relocatable builds.

Real uv (the bundled one) behind a two-line shell script that writes down each command line, and the venv
`UV_PROJECT_ENVIRONMENT` names, before running it; real interpreters; projects with no dependencies (uv
runs offline) or a few from the loopback index. Well under a second each, so scripts/mutation runs these
for environments.py (tests/environments/test_environments.py covers the same operations with the
standard catalogue, 1-25 s each).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pyhelper.environments import EnvironmentOptions, Environments, Event, Outcome
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.projects import Project
from pyhelper.venvjournal import Entry, Journal, sibling
from pyhelper.venvs import VenvSetting, read_pyvenv_cfg
from support.index import Dist, PackageIndex, ensurepip_wheels
from support.projects import installed, poetry_project, write_package
from support.pythons import full_version

EMPTY = (
    '[project]\nname = "empty"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n\n'
    "[project.optional-dependencies]\nx = []\n\n[dependency-groups]\ndocs = []\n"
)


@dataclass(frozen=True)
class Call:
    """One run of uv: its arguments (without the program), the venv `UV_PROJECT_ENVIRONMENT` named and
    the folder it ran in."""

    args: tuple[str, ...]
    project_environment: str = ""
    cwd: str = field(default="", compare=False)


class RecordingUv:
    """The real uv behind a script that appends each command line to a log (one line, NUL-separated
    fields: the folder it runs in, the venv `UV_PROJECT_ENVIRONMENT` names, then the arguments), then
    runs it."""

    def __init__(self, folder: Path, uv: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "uv"
        self.log = folder / "uv-calls"
        self.path.write_text(
            f'#!/bin/sh\nprintf \'%s\\0\' "$PWD" "$UV_PROJECT_ENVIRONMENT" "$@" >> \'{self.log}\'\n'
            f"echo >> '{self.log}'\nexec '{uv}' \"$@\"\n"
        )
        self.path.chmod(0o755)

    def calls(self) -> list[Call]:
        """What Lockstep ran, in order; the version probes of `find_uv` left out."""
        if not self.log.exists():
            return []
        found = []
        for line in self.log.read_text().splitlines():
            cwd, environment, *args = line.split("\0")[:-1]
            if args != ["--version"]:
                found.append(Call(tuple(args), environment, cwd))
        return found

    def folders(self) -> set[str]:
        """Where uv ran: the project's folder, every time."""
        return {call.cwd for call in self.calls()}


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """uv without any index (the projects need none), its own cache, no user configuration."""
    home = tmp_path_factory.mktemp("home")
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "UV_CACHE_DIR": str(home / "uv-cache"),
        "UV_NO_CONFIG": "1",
        "UV_OFFLINE": "1",
        "UV_PYTHON_DOWNLOADS": "never",
    }


@pytest.fixture(scope="module")
def empty_locked(
    tmp_path_factory: pytest.TempPathFactory, uv: Path, pythons: dict[str, Path], offline: dict[str, str]
) -> Path:
    """A virtual uv project with no dependencies (an extra `x` and a group `docs`, both empty), locked once."""
    root = tmp_path_factory.mktemp("template") / "empty"
    root.mkdir()
    (root / "pyproject.toml").write_text(EMPTY)
    subprocess.run(
        [str(uv), "lock", "--quiet", "--python", str(pythons["3.12"])], cwd=root, env=offline, check=True
    )
    return root


@pytest.fixture
def recording(tmp_path: Path, uv: Path) -> RecordingUv:
    return RecordingUv(tmp_path / "tool", uv)


def options(recording: RecordingUv, **fields: object) -> EnvironmentOptions:
    return EnvironmentOptions(uv_path=str(recording.path), **fields)  # type: ignore[arg-type]


def copy_project(template: Path, root: Path, *, locked: bool = True) -> Project:
    root.mkdir(parents=True)
    shutil.copy(template / "pyproject.toml", root)
    if locked:
        shutil.copy(template / "uv.lock", root)
    return Project(root, "uv", root / "uv.lock" if locked else None, ">=3.10", name="empty")


def environments_for(environ: dict[str, str], tmp_path: Path, platform: str = "linux") -> Environments:
    return Environments(
        environ, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal", platform=platform
    )


def phases(events: list[Event]) -> list[tuple[str, int | None, int | None]]:
    return [(event.message, event.done, event.total) for event in events if event.kind == "phase"]


def tail(output: tuple[str, ...]) -> str:
    """The end of uv's output that a failure's message quotes: its last three lines that are not blank."""
    return "\n".join(line for line in output[-3:] if line.strip())


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".lockstep-" in p.name)


def is_build_of(venv: Path, path: str) -> bool:
    """Whether `path` is a build folder of `venv`: a sibling named `<venv>.lockstep-build-<random>`."""
    return Path(path).parent == venv.parent and Path(path).name.startswith(f"{venv.name}.lockstep-build-")


def naming_the_build(venv: Path) -> list[str]:
    """The files of the venv that still name a folder it was built in."""
    return sorted(
        str(p.relative_to(venv))
        for p in venv.rglob("*")
        if p.is_file() and not p.is_symlink() and b".lockstep-build-" in p.read_bytes()
    )


def test_create_lets_uv_sync_make_the_venv_in_a_build_folder_then_moves_it_into_place(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    # What a killed operation left is tidied first.
    journal = Journal(tmp_path / "journal", venv)
    killed = sibling(venv, ".lockstep-build-")
    killed.mkdir()
    journal.add(Entry(killed, "build"))
    events: list[Event] = []
    python, version = pythons["3.12"], full_version(pythons["3.12"])

    outcome = environments_for(offline, tmp_path).create(
        project, python, python_version=version, settings=options(recording), progress=events.append
    )

    assert outcome == Outcome(
        "ok",
        f"Created .venv with Python {version}.",
        venv,
        tuple(event.message for event in events if event.kind == "output"),
    )
    (call,) = recording.calls()
    assert call.args == ("sync", "--locked", "--python", str(python))
    assert is_build_of(venv, call.project_environment)
    assert any(line.endswith(Path(call.project_environment).name) for line in outcome.output)
    assert phases(events) == [
        (f"Creating .venv with Python {version}", None, None),
        ("Installing the locked packages (uv sync)", None, None),
        ("Moving the new .venv into place", None, None),
    ]
    config = read_pyvenv_cfg(venv)
    assert config is not None and config["version_info"] == version
    assert f"VIRTUAL_ENV='{venv}'" in (venv / "bin" / "activate").read_text()
    assert naming_the_build(venv) == []
    assert installed(venv) == {}
    assert leftovers(project.root) == [] and journal.entries() == []
    assert sorted(p.name for p in project.root.iterdir()) == [".venv", "pyproject.toml", "uv.lock"]
    assert recording.folders() == {str(project.root)}


def test_the_groups_and_extras_chosen_are_uv_syncs_flags_and_an_existing_venv_is_synced_in_place(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    environments = environments_for(offline, tmp_path)
    python = pythons["3.12"]
    assert environments.create(project, python, settings=options(recording)).status == "ok"
    inode = venv.stat().st_ino
    choice = SyncChoice.from_names(["docs"], ["x"])
    events: list[Event] = []

    # Create with the interpreter the venv was made from syncs it; so does Sync.
    again = environments.create(project, python, settings=options(recording, choice=choice))
    synced = environments.sync(project, settings=options(recording, choice=choice), progress=events.append)

    assert (again.status, again.message) == ("ok", ".venv is in sync.")
    assert synced == Outcome(
        "ok", ".venv is in sync.", venv, tuple(event.message for event in events if event.kind == "output")
    )
    assert synced.output, "uv sync says what it checked"
    flags = ("--no-default-groups", "--group=docs", "--extra=x")
    assert (
        recording.calls()[1:]
        == [Call(("sync", "--locked", "--python", str(venv / "bin" / "python"), *flags), str(venv))] * 2
    )
    assert phases(events) == [("Installing the locked packages (uv sync)", None, None)]
    assert venv.stat().st_ino == inode and leftovers(project.root) == []
    # The python named is the venv's own, a link to the interpreter it was made from.
    assert (venv / "bin" / "python").resolve() == python.resolve()


def test_recreate_builds_a_new_venv_unless_another_window_just_built_one(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    environments = environments_for(offline, tmp_path)
    assert environments.create(project, pythons["3.12"], settings=options(recording)).status == "ok"
    (venv / "mine").write_text("")

    recreated = environments.create(project, pythons["3.11"], replace=True, settings=options(recording))

    version = full_version(pythons["3.11"])
    assert (recreated.status, recreated.message) == ("ok", f"Created .venv with Python {version}.")
    assert recording.calls()[-1].args == ("sync", "--locked", "--python", str(pythons["3.11"]))
    assert read_pyvenv_cfg(venv)["version_info"] == version  # type: ignore[index]
    assert not (venv / "mine").exists() and leftovers(project.root) == []
    # The same request again, after another window swapped its venv into place meanwhile (the venv's
    # folder changed after this request began): that venv is synced, not rebuilt.
    (venv / "mine").write_text("")
    later = os.stat(venv).st_mtime + 3600
    os.utime(venv, (later, later))
    joined = environments.create(project, pythons["3.11"], replace=True, settings=options(recording))
    assert (joined.status, joined.message) == ("ok", ".venv is in sync.")
    assert (venv / "mine").exists()
    assert recording.calls()[-1].args == ("sync", "--locked", "--python", str(venv / "bin" / "python"))


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_a_seeded_or_relocatable_venv_is_made_by_uv_venv_first(
    platform: str,
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    python = pythons["3.12"]
    seed = platform == "linux"
    settings = options(recording, seed=seed)

    events: list[Event] = []
    outcome = environments_for(offline, tmp_path, platform).create(
        project, python, settings=settings, progress=events.append
    )

    if seed:
        # Offline, with no pip in uv's cache: uv venv fails, and nothing is left of the build.
        assert outcome.status == "failed", outcome
        reason = tail(outcome.output).rstrip(".")  # uv's sentence ends with one; the message adds its own
        assert outcome.message == f"Creating the venv failed: {reason}. No venv was created."
        assert "pip was not found in the cache" in outcome.message
        assert outcome.venv == venv and not os.path.lexists(venv)
    else:
        assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    made, *then = recording.calls()
    flag = "--seed" if seed else "--relocatable"
    assert made.args[:-1] == ("venv", "--python", str(python), "--prompt", "empty", flag)
    assert is_build_of(venv, made.args[-1])
    assert recording.folders() == {str(project.root)}
    if not seed:
        assert then == [Call(("sync", "--locked", "--python", str(python)), made.args[-1])]
        # uv venv's lines reach the log as it runs; the outcome keeps the install's.
        made_lines = [e.message for e in events if e.kind == "output" and e.message not in outcome.output]
        assert f"Creating virtual environment at: {Path(made.args[-1]).name}" in made_lines, made_lines
        config = (venv / "pyvenv.cfg").read_text()
        assert "relocatable" not in config and "version_info = 3.12.1" in config
        assert naming_the_build(venv) == []
    assert leftovers(project.root) == [] and Journal(tmp_path / "journal", venv).entries() == []


def test_a_project_without_a_lock_is_locked_with_the_chosen_interpreter_first(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty", locked=False)
    python, version = pythons["3.12"], full_version(pythons["3.12"])
    events: list[Event] = []

    outcome = environments_for(offline, tmp_path).create(
        project, python, python_version=version, settings=options(recording), progress=events.append
    )

    assert (outcome.status, outcome.message) == (
        "ok",
        f"Locked 0 packages in uv.lock. Created .venv with Python {version}.",
    )
    lock, sync = recording.calls()
    assert lock == Call(("lock", "--python", str(python)))
    assert sync.args == ("sync", "--locked", "--python", str(python))
    assert phases(events)[:2] == [
        (f"Locking the dependencies with Python {version} (no uv.lock yet)", None, None),
        (f"Creating .venv with Python {version}", None, None),
    ]
    assert (project.root / "uv.lock").read_text() == (empty_locked / "uv.lock").read_text()
    assert recording.folders() == {str(project.root)}

    # Sync of a venv whose lock was since removed locks again, with the venv's interpreter.
    (project.root / "uv.lock").unlink()
    synced = environments_for(offline, tmp_path).sync(project, settings=options(recording))
    assert (synced.status, synced.message) == ("ok", "Locked 0 packages in uv.lock. .venv is in sync.")
    venv_python = str(project.root / ".venv" / "bin" / "python")
    assert [call.args for call in recording.calls()[2:]] == [
        ("lock", "--python", venv_python),
        ("sync", "--locked", "--python", venv_python),
    ]


def test_a_lock_that_fails_leaves_no_lock_and_no_venv(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty", locked=False)
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(EMPTY.replace('">=3.10"', '">=3.12"'))
    python = pythons["3.11"]

    outcome = environments_for(offline, tmp_path).create(project, python, settings=options(recording))

    assert outcome.status == "failed", outcome
    reason = tail(outcome.output)
    assert (
        outcome.message == f"Could not lock the dependencies: Locking failed: {reason}. No venv was created."
    )
    assert "3.11" in reason
    assert recording.calls() == [Call(("lock", "--python", str(python)))]
    assert sorted(p.name for p in project.root.iterdir()) == ["pyproject.toml"]
    assert pyproject.read_text() == EMPTY.replace('">=3.10"', '">=3.12"')


def test_a_stale_lock_is_reported_and_nothing_is_installed_or_relocked(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    # uv wraps its messages at $COLUMNS: the stale-lock sentence, split across lines, is still read as one.
    environments = environments_for({**offline, "COLUMNS": "40"}, tmp_path)
    assert environments.create(project, pythons["3.12"], settings=options(recording)).status == "ok"
    venv = project.root / ".venv"
    (project.root / "pyproject.toml").write_text(EMPTY.replace('">=3.10"', '">=3.11"'))
    lock = (project.root / "uv.lock").read_bytes()
    message = "uv.lock is out of date with pyproject.toml; update the lockfile first."

    synced = environments.sync(project, settings=options(recording))
    created = environments.create(project, pythons["3.11"], replace=True, settings=options(recording))

    assert synced == Outcome("needs-lock", message, venv, synced.output)
    assert (created.status, created.message) == ("needs-lock", message + " .venv was left as it was.")
    assert created.output and created.venv == venv
    sign = "needs to be updated, but `--locked` was provided"
    assert not any(sign in line for line in synced.output), "uv no longer wraps: this proves nothing"
    assert [call.args[:2] for call in recording.calls()] == [("sync", "--locked")] * 3
    assert (project.root / "uv.lock").read_bytes() == lock
    assert read_pyvenv_cfg(venv)["version_info"] == full_version(pythons["3.12"])  # type: ignore[index]
    assert leftovers(project.root) == []


FAILING_BACKEND = """\
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    raise RuntimeError("this backend builds nothing today")


def get_requires_for_build_editable(config_settings=None):
    return []
"""


def test_an_install_that_fails_after_locking_keeps_the_lock_and_says_so(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    # uv locks the project from its static metadata, then must build it to install it: that fails.
    project = copy_project(empty_locked, tmp_path / "empty", locked=False)
    (project.root / "backend.py").write_text(FAILING_BACKEND)
    (project.root / "pyproject.toml").write_text(
        EMPTY + '\n[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )

    outcome = environments_for(offline, tmp_path).create(
        project, pythons["3.12"], settings=options(recording)
    )

    assert outcome.status == "failed", outcome
    assert outcome.message == (
        f"uv.lock was written, but installing failed: uv sync failed: {tail(outcome.output)}. No venv was created."
    )
    assert "this backend builds nothing today" in "\n".join(outcome.output)
    assert [call.args[0] for call in recording.calls()] == ["lock", "sync"]
    assert (project.root / "uv.lock").is_file() and not (project.root / ".venv").exists()
    assert leftovers(project.root) == []


class CancelledAfterTheInstall:
    """A Cancel that lands once uv sync has run, before the new venv is moved into place: armed as the
    install begins, and read as set only by the operation's own thread, so that uv's watcher (which
    polls the same token) never stops uv, as when the click comes just after uv exited."""

    def __init__(self) -> None:
        self.armed = False
        self._thread = threading.current_thread()

    def arm(self, event: Event) -> None:
        self.armed = self.armed or event.message.startswith("Installing the locked packages")

    def is_set(self) -> bool:
        return self.armed and threading.current_thread() is self._thread


def test_a_cancel_after_the_install_leaves_no_venv_and_no_lock_of_its_own(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    for locked in (True, False):
        project = copy_project(empty_locked, tmp_path / str(locked), locked=locked)
        cancel = CancelledAfterTheInstall()
        outcome = environments_for(offline, tmp_path).create(
            project, pythons["3.12"], settings=options(recording), progress=cancel.arm, cancel=cancel
        )
        venv = project.root / ".venv"
        undone = "" if locked else "; no uv.lock was written"
        assert outcome == Outcome("cancelled", f"Cancelled; .venv was left as it was{undone}.", venv)
        files = sorted(p.name for p in project.root.iterdir())
        assert files == (["pyproject.toml", "uv.lock"] if locked else ["pyproject.toml"])
        assert Journal(tmp_path / "journal", venv).entries() == []
    assert [call.args[0] for call in recording.calls()] == ["sync", "lock", "sync"]


@pytest.fixture
def one_package_index(tmp_path: Path) -> Iterator[PackageIndex]:
    index = PackageIndex(tmp_path / "index")
    index.add([Dist("solo", "1.0")])
    with index.start():
        yield index


def test_a_cancel_while_uv_installs_stops_it_and_takes_back_the_lock_it_made(
    recording: RecordingUv, one_package_index: PackageIndex, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environ = one_package_index.environ(tmp_path / "cache", {"PATH": "/usr/bin:/bin"})
    root = tmp_path / "solo-user"
    root.mkdir()
    pyproject = EMPTY.replace("dependencies = []", 'dependencies = ["solo"]')
    (root / "pyproject.toml").write_text(pyproject)
    project = Project(root, "uv", None, ">=3.10", name="empty")
    cancel = threading.Event()
    results: list[Outcome] = []
    # Locking needs the index page only; the install waits on the wheel, and Cancel comes then.
    with one_package_index.hold("solo-1.0-py3-none-any.whl"):
        thread = threading.Thread(
            target=lambda: results.append(
                environments_for(environ, tmp_path).create(
                    project, pythons["3.12"], settings=options(recording), cancel=cancel
                )
            )
        )
        thread.start()
        one_package_index.wait_for_request("/files/solo-1.0-py3-none-any.whl")
        cancel.set()
        thread.join(60)

    (outcome,) = results
    assert (outcome.status, outcome.message) == (
        "cancelled",
        "Cancelled. No venv was created; no uv.lock was written.",
    )
    assert [call.args[0] for call in recording.calls()] == ["lock", "sync"]
    assert sorted(p.name for p in root.iterdir()) == ["pyproject.toml"]
    assert (root / "pyproject.toml").read_text() == pyproject


def test_a_pylock_is_installed_by_uv_pip_sync_into_a_venv_uv_made(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0.1.0"\n')
    pylocks = []
    for name in ("pylock.toml", "pylock.dev.toml"):
        (root / name).write_text('lock-version = "1.0"\ncreated-by = "hand"\npackages = []\n')
        pylocks.append(root / name)
    project = Project(root, "pep621", None, pylock=tuple(sorted(pylocks)))  # no name: no --prompt
    venv = root / ".venv"
    events: list[Event] = []

    outcome = environments_for(offline, tmp_path).create(
        project, pythons["3.12"], settings=options(recording), progress=events.append
    )

    assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    made, sync = recording.calls()
    build = made.args[-1]
    assert made.args[:-1] == ("venv", "--python", str(pythons["3.12"]))
    assert sync.args == (
        "pip",
        "sync",
        "--preview-features",
        "pylock",
        "--python",
        f"{build}/bin/python",
        str(root / "pylock.toml"),
    )
    assert phases(events)[:2] == [
        (f"Creating .venv with {pythons['3.12']}", None, None),  # no version given: the path it was given
        ("Installing the packages locked in pylock.toml", None, None),
    ]
    assert naming_the_build(venv) == [] and installed(venv) == {}
    assert recording.folders() == {str(root)}


def test_a_project_without_a_lock_is_installed_editable_with_the_groups_and_extras_it_declares(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "plain-checkout"  # the progress names the project, not its folder
    root.mkdir()
    build_system = write_package(root, "plain", [])
    (root / "pyproject.toml").write_text(
        '[project]\nname = "plain"\nversion = "0.1.0"\ndependencies = []\n\n'
        "[project.optional-dependencies]\nx = []\ny = []\n\n[dependency-groups]\ndocs = []\ntest = []\n\n"
        + build_system
    )
    project = Project(root, "pep621", None, name="plain")
    every = options(recording, choice=SyncChoice.from_names([":all:"], [":all:"]))
    events: list[Event] = []

    outcome = environments_for(offline, tmp_path).create(
        project, pythons["3.12"], settings=every, progress=events.append
    )

    assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    made, install = recording.calls()
    build = made.args[-1]
    assert install.args == (
        "pip",
        "install",
        "--python",
        f"{build}/bin/python",
        "--group=docs",
        "--group=test",
        "-e",
        f"{root}[x,y]",
    )
    assert ("Installing plain (no lockfile)", None, None) in phases(events)
    assert recording.folders() == {str(root)}
    assert installed(root / ".venv") == {"plain": "0.1.0"}

    chosen = options(recording, choice=SyncChoice.from_names(["test"], []))
    synced = environments_for(offline, tmp_path).sync(project, settings=chosen)
    assert (synced.status, synced.message) == ("ok", ".venv is in sync.")
    assert recording.calls()[-1].args == (
        "pip",
        "install",
        "--python",
        str(root / ".venv" / "bin" / "python"),
        "--group=test",
        "-e",
        str(root),
    )


def test_a_poetry_lock_is_installed_pinned_by_uv_pip_sync_from_the_locks_index(
    recording: RecordingUv,
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    project = Project(root, "poetry", root / "poetry.lock", ">=3.10", name="poetic")
    events: list[Event] = []

    outcome = environments_for(index_env, tmp_path).create(
        project, pythons["3.12"], settings=options(recording), progress=events.append
    )

    assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    assert installed(root / ".venv") == {"alpha": "2.0", "beta": "1.1", "gamma": "0.1"}
    made, sync = recording.calls()
    build = made.args[-1]
    assert sync.args[:-1] == ("pip", "sync", "--python", f"{build}/bin/python", "--index", package_index.url)
    requirements = Path(sync.args[-1])
    assert requirements.name == "requirements.txt" and not requirements.exists()
    assert requirements.parent.name.startswith("lockstep-sync-")
    assert recording.folders() == {str(root)}
    assert " + alpha==2.0" in outcome.output
    assert outcome.output[-1] == [e.message for e in events if e.kind == "output"][-1]
    assert phases(events)[1:] == [
        ("Installing 3 locked packages", 0, 3),
        ("Installing packages", 1, 3),
        ("Installing packages", 2, 3),
        ("Installing packages", 3, 3),
        ("Moving the new .venv into place", None, None),
    ]

    # The groups chosen: Poetry's main dependencies always, then only the docs group (not dev's gamma).
    docs = options(recording, choice=SyncChoice.from_names(["docs"], []))
    chosen = environments_for(index_env, tmp_path).sync(project, settings=docs)
    assert (chosen.status, chosen.message) == ("ok", ".venv is in sync.")
    assert installed(root / ".venv") == {"alpha": "2.0", "beta": "1.1", "delta": "1.0"}

    # A lock the pyproject has moved on from is refused before uv runs.
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=2"', '"alpha>=1"'))
    stale = environments_for(index_env, tmp_path).sync(project, settings=options(recording))
    assert stale == Outcome(
        "needs-lock",
        "poetry.lock is out of date with pyproject.toml; update the lockfile first.",
        root / ".venv",
    )
    assert len(recording.calls()) == 3


def test_a_pinned_install_that_uv_refuses_says_so_and_leaves_no_venv(
    recording: RecordingUv,
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    lock = root / "poetry.lock"
    # A hash the index's wheel does not have: uv pip sync refuses the download.
    lock.write_text(lock.read_text().replace(package_index.sha256("beta", "1.1"), "0" * 64))
    project = Project(root, "poetry", lock, ">=3.10", name="poetic")

    outcome = environments_for(index_env, tmp_path).create(
        project, pythons["3.12"], settings=options(recording)
    )

    assert outcome.status == "failed", outcome
    reason = tail(outcome.output).rstrip(".")
    assert outcome.message == f"Installing the locked packages failed: {reason}. No venv was created."
    assert "0" * 64 in "\n".join(outcome.output)
    assert not (root / ".venv").exists() and leftovers(root) == []


def test_a_poetry_project_without_lock_or_poetry_asks_then_gets_its_declared_dependencies(
    recording: RecordingUv,
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    (root / "poetry.lock").unlink()
    environ = {**index_env, "PATH": "/usr/bin:/bin"}  # no Poetry
    # A pylock.toml beside it (another tool's export) is no lock of Poetry's: unlocked still means
    # pyproject.toml's dependencies.
    (root / "pylock.toml").write_text('lock-version = "1.0"\ncreated-by = "hand"\npackages = []\n')
    project = Project(root, "poetry", None, ">=3.10", name="poetic", pylock=(root / "pylock.toml",))
    venv = root / ".venv"

    asked = environments_for(environ, tmp_path).create(project, pythons["3.12"], settings=options(recording))
    assert asked.status == "lock-tool-missing"
    assert asked.message == (
        "There is no poetry.lock and poetry is not installed (not on PATH; see "
        "https://python-poetry.org/docs/#installation), so the dependencies cannot be locked. Install it, "
        "or create the environment unlocked, from the dependencies pyproject.toml declares. No venv was created."
    )
    assert recording.calls() == []

    events: list[Event] = []
    outcome = environments_for(environ, tmp_path).create(
        project, pythons["3.12"], settings=options(recording), unlocked=True, progress=events.append
    )
    assert (outcome.status, outcome.message) == (
        "ok",
        "Created .venv with Python 3.12.1, unlocked: pyproject.toml's dependencies were installed "
        "without a poetry.lock.",
    )
    made, install = recording.calls()
    assert install.args == (
        "pip",
        "install",
        "--python",
        f"{made.args[-1]}/bin/python",
        "alpha>=2",
        "epsilon>=1; python_version >= '3.99'",
    )
    assert ("Installing 2 declared dependencies (unlocked)", 0, 2) in phases(events)
    assert " + alpha==2.0" in outcome.output and recording.folders() == {str(root)}
    assert installed(venv) == {"alpha": "2.0", "beta": "1.1"}
    assert not (root / "poetry.lock").exists()
    # A Sync asks again: unlocked is the user's word each time.
    again = environments_for(environ, tmp_path).sync(project, settings=options(recording))
    assert (again.status, len(recording.calls())) == ("lock-tool-missing", 2)


UNLOCKED = ".venv is in sync, unlocked: pyproject.toml's dependencies were installed without a poetry.lock."


@pytest.mark.parametrize(
    ("tool_tables", "expected"),
    [
        ("[tool.poetry]\npackage-mode = false\n", ("ok", UNLOCKED)),
        ("", ("ok", UNLOCKED)),  # no [tool] table at all
        ("[tool.black]\nline-length = 99\n", ("ok", UNLOCKED)),  # others' tables, none of Poetry's
        (
            '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\nalpha = "*"\n',
            (
                "failed",
                "pyproject.toml declares its dependencies in [tool.poetry], which only poetry reads: "
                "install it to lock them.",
            ),
        ),
    ],
)
def test_an_unlocked_poetry_project_with_no_declared_dependencies_installs_nothing(
    tool_tables: str,
    expected: tuple[str, str],
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = tmp_path / "poetic"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "poetic"\nversion = "0.1.0"\n\n' + tool_tables)
    venv = bare_venv(root / ".venv", pythons["3.12"])
    project = Project(root, "poetry", None, name="poetic")
    environments = environments_for({**offline, "PATH": "/usr/bin:/bin"}, tmp_path)  # no Poetry

    # Sync, and Create with the interpreter the venv was made from (which syncs it), both unlocked.
    for outcome in (
        environments.sync(project, settings=options(recording), unlocked=True),
        environments.create(project, pythons["3.12"], settings=options(recording), unlocked=True),
    ):
        assert outcome == Outcome(*expected, venv)
    assert recording.calls() == [] and installed(venv) == {}


def test_declared_dependencies_that_cannot_be_installed_say_so(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "poetic"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "poetic"\nversion = "0.1.0"\ndependencies = ["alpha>=2"]\n\n'
        "[tool.poetry]\npackage-mode = false\n"
    )
    venv = root / ".venv"
    subprocess.run([str(pythons["3.12"]), "-m", "venv", "--without-pip", str(venv)], check=True)
    project = Project(root, "poetry", None, name="poetic")

    # Offline, with nothing cached: uv cannot find alpha.
    outcome = environments_for(offline, tmp_path).sync(project, settings=options(recording), unlocked=True)

    assert outcome == Outcome(
        "failed", f"Installing the declared dependencies failed: {tail(outcome.output)}", venv, outcome.output
    )
    assert "alpha" in outcome.message and installed(venv) == {}
    assert [call.args for call in recording.calls()] == [
        ("pip", "install", "--python", str(venv / "bin" / "python"), "alpha>=2")
    ]
    assert recording.folders() == {str(root)}


def test_a_seeded_venv_gets_pip_from_the_index_and_a_cancel_meanwhile_leaves_nothing(
    recording: RecordingUv, pythons: dict[str, Path], empty_locked: Path, tmp_path: Path
) -> None:
    python = pythons["3.12"]
    index = PackageIndex(tmp_path / "index")
    (pip,) = [index.add_wheel(wheel) for wheel in ensurepip_wheels(python) if wheel.name.startswith("pip-")]
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    seeded = options(recording, seed=True)
    with index.start():
        environ = index.environ(tmp_path / "cache", {"PATH": "/usr/bin:/bin"})
        cancel = threading.Event()
        results: list[Outcome] = []
        # uv venv --seed waits on pip's wheel, and Cancel comes then.
        with index.hold(pip.name):
            thread = threading.Thread(
                target=lambda: results.append(
                    environments_for(environ, tmp_path).create(
                        project, python, settings=seeded, cancel=cancel
                    )
                )
            )
            thread.start()
            index.wait_for_request(f"/files/{pip.name}")
            cancel.set()
            thread.join(60)
        (cancelled,) = results
        assert (cancelled.status, cancelled.message) == ("cancelled", "Cancelled. No venv was created.")
        assert not os.path.lexists(venv) and leftovers(project.root) == []

        outcome = environments_for(environ, tmp_path).create(project, python, settings=seeded)

    assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    assert set(installed(venv)) == {"pip"}
    made, sync = recording.calls()[1:]
    assert made.args[:-1] == ("venv", "--python", str(python), "--prompt", "empty", "--seed")
    assert sync == Call(("sync", "--locked", "--python", str(python)), made.args[-1])
    assert naming_the_build(venv) == []


def test_without_uv_the_standard_librarys_venv_and_pip_install_the_lock(
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No uv anywhere: not bundled (its package cannot be imported), none on PATH, none set.
    monkeypatch.setitem(sys.modules, "uv", None)
    environ = {**index_env, "PATH": "/usr/bin:/bin"}
    root = poetry_project(tmp_path / "poetic", package_index)
    project = Project(root, "poetry", root / "poetry.lock", ">=3.10", name="poetic")
    venv = root / ".venv"
    events: list[Event] = []

    outcome = environments_for(environ, tmp_path).create(project, pythons["3.12"], progress=events.append)

    assert (outcome.status, outcome.message) == ("ok", "Created .venv with Python 3.12.1.")
    assert installed(venv) == {"alpha": "2.0", "beta": "1.1", "gamma": "0.1", "pip": installed(venv)["pip"]}
    config = read_pyvenv_cfg(venv)
    assert config is not None and config["prompt"] in ("poetic", "'poetic'")
    # As the standard library records its command line; the build path in it is now the venv's.
    assert config["command"] == f'{pythons["3.12"]} -m venv --prompt="poetic" {venv}'
    assert any(line.startswith("Successfully installed") and "alpha-2.0" in line for line in outcome.output)
    assert ("Installing 3 locked packages", 0, 3) in phases(events)
    # pip compiles what it installs; a .pyc names the source it was compiled from, which the import
    # system corrects on load (importlib's _fix_co_filename), so only the other files must be right.
    assert [path for path in naming_the_build(venv) if not path.endswith(".pyc")] == []
    assert leftovers(root) == []

    # Then without the lock or Poetry: pip installs what pyproject.toml declares, into the same venv.
    unlocked = Project(root, "poetry", None, ">=3.10", name="poetic")
    (root / "poetry.lock").unlink()
    synced = environments_for(environ, tmp_path).sync(unlocked, unlocked=True)
    assert (synced.status, synced.message) == (
        "ok",
        ".venv is in sync, unlocked: pyproject.toml's dependencies were installed without a poetry.lock.",
    )
    assert any("Requirement already satisfied: alpha>=2" in line for line in synced.output), synced.output

    # And a project without a lock (its own build backend, no download), into the venv that has pip,
    # which the user chose for it: pip installs it editable.
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "pyproject.toml").write_text(
        '[project]\nname = "plain"\nversion = "0.1.0"\ndependencies = []\n\n'
        + write_package(plain, "plain", [])
    )
    chosen = EnvironmentOptions(venv=VenvSetting(str(venv), "user"))
    editable = environments_for(environ, tmp_path).sync(
        Project(plain, "pep621", None, name="plain"), settings=chosen
    )
    assert (editable.status, editable.message) == ("ok", ".venv is in sync.")
    assert installed(venv)["plain"] == "0.1.0"


def test_an_unlocked_install_of_an_unreadable_pyproject_says_why(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    from pyhelper.tomlfile import read_toml

    root = tmp_path / "poetic"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "poetic"\ndependencies = [\n')
    venv = root / ".venv"
    subprocess.run([str(pythons["3.12"]), "-m", "venv", "--without-pip", str(venv)], check=True)
    unreadable = read_toml(root / "pyproject.toml")
    assert not hasattr(unreadable, "data")

    outcome = environments_for(offline, tmp_path).sync(
        Project(root, "poetry", None, name="poetic"), settings=options(recording), unlocked=True
    )

    assert outcome == Outcome("failed", unreadable.message, venv)  # type: ignore[union-attr]
    assert recording.calls() == []


def bare_venv(venv: Path, python: Path) -> Path:
    """A venv of the standard library without pip (a tenth of a second): what Sync finds already made."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv


def test_the_venv_is_where_the_setting_puts_it_for_create_sync_and_delete(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    environments = environments_for(offline, tmp_path)
    settings = options(recording, venv=VenvSetting("envs/main"))
    venv = project.root / "envs" / "main"

    created = environments.create(project, pythons["3.12"], settings=settings)
    synced = environments.sync(project, settings=settings)

    assert (created.status, created.message, created.venv) == ("ok", "Created main with Python 3.12.1.", venv)
    assert synced == Outcome("ok", "main is in sync.", venv, synced.output)
    assert recording.calls()[-1].project_environment == str(venv)
    assert not (project.root / ".venv").exists()
    assert environments.delete(project, confirmed=True, settings=settings) == Outcome(
        "ok", "Deleted main.", venv
    )
    assert not venv.exists() and (project.root / "envs").is_dir()


def test_a_sync_cancelled_before_it_starts_stops_uv_and_leaves_the_venv(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    environments = environments_for(offline, tmp_path)
    assert environments.create(project, pythons["3.12"], settings=options(recording)).status == "ok"
    config = (venv / "pyvenv.cfg").read_text()
    cancel = threading.Event()
    cancel.set()

    outcome = environments.sync(project, settings=options(recording), cancel=cancel)

    assert (outcome.status, outcome.message, outcome.venv) == ("cancelled", "Cancelled.", venv)
    assert (venv / "pyvenv.cfg").read_text() == config and leftovers(project.root) == []


def test_create_and_sync_first_bring_back_a_venv_a_killed_swap_left_aside(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    from pyhelper.venvjournal import identity

    project = copy_project(empty_locked, tmp_path / "empty")
    venv = project.root / ".venv"
    environments = environments_for(offline, tmp_path)
    python = pythons["3.12"]
    assert environments.create(project, python, settings=options(recording)).status == "ok"
    inode = venv.stat().st_ino
    journal = Journal(tmp_path / "journal", venv)

    def killed_between_the_swaps_renames() -> None:
        aside = sibling(venv, ".lockstep-old-")
        journal.add(Entry(aside, "aside", identity(venv)))
        os.rename(venv, aside)

    for operation in (
        lambda: environments.create(project, python, settings=options(recording)),
        lambda: environments.sync(project, settings=options(recording)),
    ):
        killed_between_the_swaps_renames()
        outcome = operation()
        assert (outcome.status, outcome.message) == ("ok", ".venv is in sync.")
        assert venv.stat().st_ino == inode and leftovers(project.root) == [] and journal.entries() == []


def test_a_venv_that_cannot_be_made_after_locking_keeps_the_lock_and_says_so(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty", locked=False)

    # Offline, with no pip in uv's cache: uv venv --seed fails once the lock is made.
    outcome = environments_for(offline, tmp_path).create(
        project, pythons["3.12"], settings=options(recording, seed=True)
    )

    assert outcome.status == "failed", outcome
    reason = tail(outcome.output).rstrip(".")
    assert outcome.message == (
        f"uv.lock was written, but installing failed: Creating the venv failed: {reason}. No venv was created."
    )
    assert [call.args[0] for call in recording.calls()] == ["lock", "venv"]
    assert sorted(p.name for p in project.root.iterdir()) == ["pyproject.toml", "uv.lock"]


def test_sync_locks_with_the_venvs_python_and_says_what_failed_about_the_venv(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
) -> None:
    project = copy_project(empty_locked, tmp_path / "empty", locked=False)
    venv = bare_venv(project.root / ".venv", pythons["3.11"])
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(EMPTY.replace('">=3.10"', '">=3.12"'))
    events: list[Event] = []

    refused = environments_for(offline, tmp_path).sync(
        project, settings=options(recording), progress=events.append
    )

    assert refused == Outcome(
        "failed",
        f"Could not lock the dependencies: Locking failed: {tail(refused.output)}",
        venv,
        refused.output,
    )
    version = full_version(pythons["3.11"])
    assert phases(events) == [
        (f"Locking the dependencies with Python {version} (no uv.lock yet)", None, None)
    ]

    # Locked, but the project cannot be built to install it: the lock stays, and the message says so.
    (project.root / "backend.py").write_text(FAILING_BACKEND)
    pyproject.write_text(
        EMPTY + '\n[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )
    failed = environments_for(offline, tmp_path).sync(project, settings=options(recording))
    assert failed == Outcome(
        "failed",
        f"uv.lock was written, but installing failed: uv sync failed: {tail(failed.output)}.",
        venv,
        failed.output,
    )
    assert (project.root / "uv.lock").is_file()
    assert [call.args[0] for call in recording.calls()] == ["lock", "lock", "sync"]


def test_uv_is_found_on_the_path_the_editor_gave_when_none_is_bundled_or_set(
    recording: RecordingUv,
    offline: dict[str, str],
    pythons: dict[str, Path],
    empty_locked: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not bundled (its package cannot be imported); only the helper's environment (the editor's PATH,
    # not this process's) has it.
    monkeypatch.setitem(sys.modules, "uv", None)
    environ = {**offline, "PATH": f"{recording.path.parent}:/usr/bin:/bin"}
    project = copy_project(empty_locked, tmp_path / "empty")
    environments = environments_for(environ, tmp_path)

    created = environments.create(project, pythons["3.12"])
    synced = environments.sync(project)

    assert (created.status, created.message) == ("ok", "Created .venv with Python 3.12.1.")
    assert (synced.status, synced.message) == ("ok", ".venv is in sync.")
    assert [call.args[0] for call in recording.calls()] == ["sync", "sync"]


def test_a_uv_that_is_gone_when_its_turn_comes_says_so(
    offline: dict[str, str], uv: Path, pythons: dict[str, Path], empty_locked: Path, tmp_path: Path
) -> None:
    # Removed (an update, an uninstall) after it made the venv and before it installs into it.
    vanishing = tmp_path / "tool" / "uv"
    vanishing.parent.mkdir()
    vanishing.write_text(f'#!/bin/sh\n[ "$1" = venv ] && rm -f "$0"\nexec \'{uv}\' "$@"\n')
    vanishing.chmod(0o755)
    project = copy_project(empty_locked, tmp_path / "empty")

    outcome = environments_for(offline, tmp_path, "win32").create(
        project, pythons["3.12"], settings=EnvironmentOptions(uv_path=str(vanishing))
    )

    assert outcome == Outcome(
        "failed",
        f"uv sync failed: cannot run {vanishing}: No such file or directory. No venv was created.",
        project.root / ".venv",
        (f"cannot run {vanishing}: No such file or directory",),
    )
    assert not vanishing.exists() and leftovers(project.root) == []


def test_a_project_without_a_lock_whose_pyproject_cannot_be_read_says_what_uv_said(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "plain"\nversion = \n')
    venv = bare_venv(root / ".venv", pythons["3.12"])

    outcome = environments_for(offline, tmp_path).sync(
        Project(root, "pep621", None, name="plain"), settings=options(recording)
    )

    assert outcome == Outcome(
        "failed", f"Installing the project failed: {tail(outcome.output)}", venv, outcome.output
    )
    assert recording.calls()[-1].args == (
        "pip",
        "install",
        "--python",
        str(venv / "bin" / "python"),
        "-e",
        str(root),
    )


def test_a_pylock_that_is_gone_without_uv_asks_for_a_lock_and_installs_nothing(
    offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uv", None)
    root = tmp_path / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0.1.0"\n')
    venv = bare_venv(root / ".venv", pythons["3.12"])
    # Discovery saw pylock.toml; it was removed before the sync.
    project = Project(root, "pep621", None, pylock=(root / "pylock.toml",))

    outcome = environments_for(offline, tmp_path).sync(project)

    assert outcome == Outcome("needs-lock", "There is no lockfile yet; create the lockfile first.", venv)


def test_while_a_create_runs_the_same_create_joins_it_and_one_with_another_python_is_busy(
    recording: RecordingUv, one_package_index: PackageIndex, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environ = one_package_index.environ(tmp_path / "cache", {"PATH": "/usr/bin:/bin"})
    root = tmp_path / "solo-user"
    root.mkdir()
    (root / "pyproject.toml").write_text(EMPTY.replace("dependencies = []", 'dependencies = ["solo"]'))
    project = Project(root, "uv", None, ">=3.10", name="empty")
    venv = root / ".venv"
    environments = environments_for(environ, tmp_path)
    python = pythons["3.12"]
    results: list[Outcome] = []
    joined: list[Outcome] = []
    told = threading.Event()

    def create(into: list[Outcome], progress: object = None) -> threading.Thread:
        thread = threading.Thread(
            target=lambda: into.append(
                environments.create(project, python, settings=options(recording), progress=progress)  # type: ignore[arg-type]
            )
        )
        thread.start()
        return thread

    # The first create waits on the held wheel; meanwhile the others ask.
    with one_package_index.hold("solo-1.0-py3-none-any.whl"):
        # Leaving the block lets the wheel go, whatever failed: no thread is left waiting on it.
        first = create(results)
        one_package_index.wait_for_request("/files/solo-1.0-py3-none-any.whl")
        # Given up on already: were it not turned away at once, it would stop waiting for the file lock.
        gave_up = threading.Event()
        gave_up.set()
        busy = environments.create(project, pythons["3.11"], settings=options(recording), cancel=gave_up)
        second = create(joined, lambda event: told.set())
        assert told.wait(30)  # attached: it is told the phase the work is in
    first.join(60)
    second.join(60)

    assert busy == Outcome("busy", "Lockstep is already working on .venv; try again when it is done.", venv)
    (outcome,) = results
    assert joined == [outcome] and outcome.status == "ok", outcome
    assert [call.args[0] for call in recording.calls()] == ["lock", "sync"]
    assert installed(venv) == {"solo": "1.0"}


def test_a_pylock_that_uv_cannot_install_says_so_about_the_venv(
    recording: RecordingUv, offline: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0.1.0"\n')
    (root / "pylock.toml").write_text('lock-version = "1.0"\ncreated-by = "hand"\npackages = 3\n')
    venv = bare_venv(root / ".venv", pythons["3.12"])
    project = Project(root, "pep621", None, pylock=(root / "pylock.toml",))

    outcome = environments_for(offline, tmp_path).sync(project, settings=options(recording))

    assert outcome == Outcome("failed", f"uv pip sync failed: {tail(outcome.output)}", venv, outcome.output)
    assert "invalid type: integer `3`" in outcome.message and installed(venv) == {}


def test_without_uv_an_interpreter_that_cannot_make_a_venv_says_why(
    offline: dict[str, str], empty_locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uv", None)
    project = copy_project(empty_locked, tmp_path / "empty")
    environments = environments_for({**offline, "PATH": "/usr/bin:/bin"}, tmp_path)
    # An "interpreter" that refuses, saying where it ran: the standard library's venv runs in the project.
    refusing = tmp_path / "bin" / "python3"
    refusing.parent.mkdir()
    refusing.write_text('#!/bin/sh\necho "no venv in $PWD" >&2\nexit 1\n')
    refusing.chmod(0o755)
    events: list[Event] = []

    refused = environments.create(project, refusing, progress=events.append)
    missing = environments.create(project, tmp_path / "nowhere" / "python3")

    said = f"no venv in {project.root}"
    assert refused == Outcome(
        "failed", f"Creating the venv failed: {said}. No venv was created.", project.root / ".venv", (said,)
    )
    assert Event("output", said) in events
    assert missing == Outcome(
        "failed",
        f"cannot run {tmp_path / 'nowhere' / 'python3'}: No such file or directory. No venv was created.",
        project.root / ".venv",
    )
    assert leftovers(project.root) == []
