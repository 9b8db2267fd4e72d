"""The steps of an environment operation that need no tool: refusals, delete, the swap and the
recovery of what a killed operation left, joining and `busy`, and the sentences the user reads.

Real folders, real journals and lock backups, real threads; no uv or venv is run (the operations that
run them are in test_environments.py and test_lock_first.py, 1-25 s each), so scripts/mutation can use
these for environments.py.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from pyhelper import environments as env
from pyhelper.environments import Environments, Event, Outcome
from pyhelper.locking import LockBackup
from pyhelper.projects import Project
from pyhelper.renaming import Renamer
from pyhelper.uvtool import ToolResult
from pyhelper.venvjournal import Entry, Journal, identity, sibling
from pyhelper.venvs import Venv, VenvRefused


@pytest.fixture
def environments(tmp_path: Path) -> Environments:
    return Environments({}, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal")


def project_of(root: Path, manager: str = "uv") -> Project:
    root.mkdir(parents=True, exist_ok=True)
    return Project(root, manager, root / "uv.lock", name=root.name)  # type: ignore[arg-type]


def fake_venv(path: Path, python: Path | None = None) -> Path:
    """A folder with what marks a venv (pyvenv.cfg, bin/python), as far as these steps look."""
    (path / "bin").mkdir(parents=True)
    (path / "pyvenv.cfg").write_text(f"home = /usr/bin\nversion_info = 3.12.1\ncommand = x -m venv {path}\n")
    (path / "bin" / "python").symlink_to(python or Path(os.path.realpath("/proc/self/exe")))
    return path


# The longest a thread of these tests is waited for: the bound that makes a broken step fail the test
# instead of hanging it (mutation testing breaks them on purpose); never reached when the steps work.
WAIT = 30.0


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".lockstep-" in p.name)


def test_delete_asks_for_confirmation_and_deletes_only_a_venv(
    environments: Environments, tmp_path: Path
) -> None:
    project = project_of(tmp_path / "demo")
    venv = project.root / ".venv"

    assert environments.delete(project, confirmed=True) == Outcome(
        "ok", "There was no .venv to delete.", venv
    )
    venv.mkdir()
    (venv / "notes.txt").write_text("mine")
    refused = environments.delete(project, confirmed=True)
    assert refused == Outcome("failed", f"{venv} is not a virtual environment; it was not deleted.", venv)
    (venv / "notes.txt").unlink()
    venv.rmdir()

    fake_venv(venv)
    unconfirmed = environments.delete(project, confirmed=False)
    assert unconfirmed == Outcome(
        "failed", ".venv was not deleted: deleting needs the user's confirmation.", venv
    )
    assert (venv / "pyvenv.cfg").is_file()
    assert environments.delete(project, confirmed=True) == Outcome("ok", "Deleted .venv.", venv)
    assert not venv.exists() and leftovers(project.root) == []
    assert Journal(tmp_path / "journal", venv).entries() == []


def test_delete_of_a_linked_venv_removes_the_link_only(environments: Environments, tmp_path: Path) -> None:
    project = project_of(tmp_path / "demo")
    target = fake_venv(project.root / "real-venv")
    (project.root / ".venv").symlink_to(target)

    outcome = environments.delete(project, confirmed=True)

    assert outcome == Outcome(
        "ok", f"Removed the link .venv; {target} was left as it was.", project.root / ".venv"
    )
    assert not os.path.lexists(project.root / ".venv") and (target / "pyvenv.cfg").is_file()


def test_a_place_outside_the_project_is_refused_by_every_operation(
    environments: Environments, tmp_path: Path
) -> None:
    project = project_of(tmp_path / "demo")
    (project.root / ".venv").symlink_to(tmp_path)  # a workspace's link that leads out of it
    settings = env.EnvironmentOptions()
    with pytest.raises(VenvRefused) as refused:
        environments.location(project, settings)
    for outcome in (
        environments.delete(project, confirmed=True, settings=settings),
        environments.sync(project, settings=settings),
        environments.create(project, Path("/usr/bin/python3"), settings=settings),
    ):
        assert outcome == Outcome("failed", str(refused.value), refused.value.venv)
    assert "outside" in str(refused.value) and tmp_path.is_dir()


def test_create_refuses_what_it_must_not_replace(environments: Environments, tmp_path: Path) -> None:
    project = project_of(tmp_path / "demo")
    venv = project.root / ".venv"
    relative = environments.create(project, Path("python3"))
    assert relative == Outcome("failed", "The interpreter must be given by absolute path, not python3.", venv)
    venv.mkdir()
    other = environments.create(project, Path("/usr/bin/python3"), replace=True)
    assert other == Outcome(
        "failed", f"{venv} exists and is not a virtual environment; move it away and try again.", venv
    )
    venv.rmdir()
    fake_venv(venv)
    python = tmp_path / "other-python"
    python.write_text("")
    kept = environments.create(project, python)
    assert kept == Outcome(
        "failed", f".venv exists already (Python 3.12.1); recreate it to use {python}.", venv
    )
    config = venv / "pyvenv.cfg"
    config.write_text(config.read_text().replace("version_info = 3.12.1\n", ""))
    assert environments.create(project, python).message == (
        f".venv exists already (Python unknown); recreate it to use {python}."
    )


def test_sync_needs_a_venv_with_its_interpreter(environments: Environments, tmp_path: Path) -> None:
    project = project_of(tmp_path / "demo")
    venv = project.root / ".venv"
    # What a killed operation left is tidied first, whatever follows.
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    Journal(tmp_path / "journal", venv).add(Entry(build, "build"))
    none = Outcome("failed", f"There is no venv at {venv} to sync; create one first.", venv)
    assert environments.sync(project) == none
    assert not build.exists()
    fake_venv(venv, tmp_path / "removed-python")
    gone = Outcome("failed", "The interpreter of .venv is gone; recreate the venv.", venv)
    assert environments.sync(project) == gone


def test_the_swap_puts_the_build_in_place_and_removes_the_old_venv(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv")
    (venv / "old").write_text("")
    journal = Journal(tmp_path / "journal", venv)
    with env._build_folder(venv, journal) as build:
        assert build.parent == tmp_path and ".lockstep-build-" in build.name
        assert [e.path for e in journal.entries()] == [build]
        fake_venv(build)
        (build / "bin" / "activate").write_text(f'VIRTUAL_ENV="{build}"\n')
        (build / "bin" / "tool").symlink_to(build / "bin" / "activate")
        env._relocate(build, venv)
        env._swap(build, venv, journal, Renamer())
    assert (venv / "bin" / "activate").read_text() == f'VIRTUAL_ENV="{venv}"\n'
    assert f"-m venv {venv}\n" in (venv / "pyvenv.cfg").read_text()
    # A link is not a script: it still names the build path it was made with.
    assert os.readlink(venv / "bin" / "tool") == str(build / "bin" / "activate")
    assert not (venv / "old").exists()
    assert leftovers(tmp_path) == [] and journal.entries() == []


def test_a_build_that_is_abandoned_is_removed(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    journal = Journal(tmp_path / "journal", venv)
    with pytest.raises(RuntimeError), env._build_folder(venv, journal) as build:
        fake_venv(build)
        raise RuntimeError("cancelled")
    assert not os.path.lexists(build) and journal.entries() == [] and not venv.exists()


def test_recovery_acts_only_on_the_folders_the_journal_names(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    journal = Journal(tmp_path / "journal", venv)
    # Killed between the swap's renames: the old venv aside, nothing in place, a build left.
    aside = fake_venv(sibling(venv, ".lockstep-old-"))
    journal.add(Entry(aside, "aside", identity(aside)))
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    journal.add(Entry(build, "build"))
    # A folder of that shape that came with the project, and one whose name was reused since.
    foreign = fake_venv(tmp_path / ".venv.lockstep-old-theirs")
    reused = sibling(venv, ".lockstep-old-")
    journal.add(Entry(reused, "deleting", identity(tmp_path / "journal")))
    fake_venv(reused)
    gone = sibling(venv, ".lockstep-build-")
    journal.add(Entry(gone, "build"))

    env._recover(venv, journal, Renamer())

    assert (venv / "pyvenv.cfg").is_file() and not aside.exists()
    assert not build.exists()
    assert foreign.is_dir() and reused.is_dir()
    assert journal.entries() == []


def test_recovery_removes_an_old_venv_once_its_replacement_is_in_place(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv")
    journal = Journal(tmp_path / "journal", venv)
    for kind in ("aside", "deleting"):
        folder = fake_venv(sibling(venv, ".lockstep-old-"))
        journal.add(Entry(folder, kind, identity(folder)))  # type: ignore[arg-type]
    env._recover(venv, journal, Renamer())
    assert leftovers(tmp_path) == [] and (venv / "pyvenv.cfg").is_file()


def test_a_second_request_joins_the_same_work_and_other_work_is_busy(
    environments: Environments, tmp_path: Path
) -> None:
    venv = tmp_path / ".venv"
    started, release, told = threading.Event(), threading.Event(), threading.Event()
    seen: list[Event] = []

    def progress(event: Event) -> None:
        seen.append(event)
        told.set()

    calls: list[str] = []

    def work(op: env._Operation) -> Outcome:
        calls.append("work")
        try:
            op.phase("Creating .venv", 1, 2)
        finally:
            started.set()
        release.wait(WAIT)
        op.line("done")
        return Outcome("ok", "Created.", venv)

    results: list[Outcome] = []
    first = threading.Thread(
        target=lambda: results.append(environments._exclusive(venv, ("create",), None, None, work))
    )
    first.start()
    joined: list[Outcome] = []
    second = threading.Thread(
        target=lambda: joined.append(environments._exclusive(venv, ("create",), progress, None, work))
    )
    try:
        assert started.wait(WAIT)
        busy = environments._exclusive(venv, ("sync",), None, None, work)
        second.start()
        # The joining caller is told the phase at once, so it waits for the result; then the work ends.
        assert told.wait(WAIT)
    finally:
        release.set()
        first.join(WAIT)
        if second.is_alive():
            second.join(WAIT)

    assert busy == Outcome("busy", "Lockstep is already working on .venv; try again when it is done.", venv)
    assert calls == ["work"]
    assert results == joined == [Outcome("ok", "Created.", venv)]
    assert seen == [Event("phase", "Creating .venv", 1, 2), Event("output", "done")]
    assert (
        environments._exclusive(venv, ("sync",), None, None, lambda op: Outcome("ok", "again", venv)).message
        == "again"
    )


def test_a_venv_held_for_outside_work_makes_operations_on_it_busy(
    environments: Environments, tmp_path: Path
) -> None:
    venv = tmp_path / ".venv"
    again = []
    with environments.holding(venv) as held:
        busy = environments._exclusive(venv, ("sync",), None, None, lambda op: Outcome("ok", "ran", venv))
        with environments.holding(venv) as inner:
            again.append(inner)
    assert held and again == [False]
    assert busy.status == "busy"
    with environments.holding(venv) as after:  # let go once the work is done
        assert after


def test_a_venv_held_by_another_window_is_waited_for_until_cancelled(
    environments: Environments, tmp_path: Path
) -> None:
    from filelock import FileLock

    from pyhelper.filelocks import LockWaitCancelled

    venv, cancel = tmp_path / ".venv", threading.Event()
    cancel.set()
    with (
        FileLock(environments._lock_file(venv)),
        pytest.raises(LockWaitCancelled),
        environments.holding(venv, cancel),
    ):
        pass


def test_an_operation_is_cancelled_only_when_every_caller_cancelled() -> None:
    op = env._Operation(("create",))
    one, two = threading.Event(), threading.Event()  # what the server passes as cancel tokens
    op.attach(None, one)
    op.attach(None, two)
    one.set()
    assert not op.is_set()
    two.set()
    assert op.is_set()
    op.attach(None, None)  # a caller that cannot cancel keeps the work going
    assert not op.is_set()


def test_an_os_error_is_one_sentence_naming_the_path(environments: Environments, tmp_path: Path) -> None:
    venv = tmp_path / ".venv"

    def work(op: env._Operation) -> Outcome:
        raise PermissionError(13, "Permission denied", str(tmp_path / "x"))

    outcome = environments._exclusive(venv, ("sync",), None, None, work)
    assert outcome == Outcome("failed", f"Cannot use {tmp_path / 'x'}: Permission denied.", venv)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (ToolResult(0, ("fine",), False), None),
        (ToolResult(0, ("stopped",), True), ("cancelled", "Cancelled.")),
        (ToolResult(2, ("a", "b", "c", "", "error: no"), False), ("failed", "uv sync failed: c\nerror: no")),
        (ToolResult(3, (), False), ("failed", "uv sync failed: exit status 3")),
    ],
)
def test_a_tool_failure_says_what_failed_and_why(
    result: ToolResult, expected: tuple[str, str] | None, tmp_path: Path
) -> None:
    outcome = env._failure(result, "uv sync failed", tmp_path)
    assert (None if outcome is None else (outcome.status, outcome.message)) == expected
    if outcome is not None:
        assert outcome.output == result.lines and outcome.venv == tmp_path


def test_the_sentences_say_what_was_locked_and_what_was_undone(tmp_path: Path) -> None:
    project = project_of(tmp_path / "demo")
    lock = project.root / "uv.lock"
    made = LockBackup(lock)  # there was no lock before
    lock.write_text('version = 1\n\n[[package]]\nname = "a"\n\n[[package]]\nname = "b"\n')
    assert env._done("Created .venv", project, made) == "Locked 2 packages in uv.lock. Created .venv."
    failed = Outcome("failed", "uv sync failed: no.", tmp_path)
    assert (
        env._undone(failed, made).message == "uv.lock was written, but installing failed: uv sync failed: no."
    )
    assert lock.is_file()
    cancelled = env._undone(Outcome("cancelled", "Cancelled.", tmp_path), made)
    assert cancelled.message == "Cancelled; no uv.lock was written." and not lock.exists()
    assert env._undone(failed, None) is failed
    # A tool's last line can end in any character: only the final full stop is replaced.
    quoted = env._undone(Outcome("failed", "uv sync failed: no wheel for fooX", tmp_path), made)
    assert quoted.message == "uv.lock was written, but installing failed: uv sync failed: no wheel for fooX."

    lock.write_text('version = 1\n\n[[package]]\nname = "a"\n')
    kept = LockBackup(lock)
    assert env._done("Synced", project, kept) == "Locked 1 package in uv.lock. Synced."
    assert env._undone(Outcome("cancelled", "Cancelled.", tmp_path), kept).message == (
        "Cancelled; uv.lock was left as it was."
    )
    assert env._done("Synced", project, None) == "Synced."
    lock.unlink()
    lock.mkdir()  # a lock that cannot be read: no count to give
    assert env._done("Synced", project, kept) == "Locked the dependencies in uv.lock. Synced."
    unlocked = Project(project.root, "uv", None, name="demo")
    assert env._done("Synced", unlocked, None) == (
        "Synced, unlocked: pyproject.toml's dependencies were installed without a uv.lock."
    )
    assert env._done("Synced", Project(project.root, "pip", None), None) == "Synced."  # type: ignore[arg-type]


def test_an_outcome_about_the_build_is_restated_about_the_venv(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    build = Outcome("failed", "Creating the venv failed: no", tmp_path / "build", ("x",))
    assert env._nothing_changed(build, venv) == Outcome(
        "failed", "Creating the venv failed: no. No venv was created.", venv, ("x",)
    )
    venv.mkdir()
    assert (
        env._nothing_changed(build, venv).message == "Creating the venv failed: no. .venv was left as it was."
    )
    quoted = Outcome("failed", "uv venv failed: no interpreter at C:\\X", tmp_path / "build")
    assert env._nothing_changed(quoted, venv).message == (
        "uv venv failed: no interpreter at C:\\X. .venv was left as it was."
    )


def test_default_folders_follow_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.default_lock_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "lockstep" / "locks"
    assert env.default_lock_dir({}) == Path.home() / ".cache" / "lockstep" / "locks"
    assert env.default_journal_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "lockstep" / "journal"
    # Windows keeps both in the local application data folder.
    monkeypatch.setattr(sys, "platform", "win32")
    assert env.default_lock_dir({"LOCALAPPDATA": str(tmp_path)}) == tmp_path / "lockstep" / "cache" / "locks"
    assert env.default_lock_dir({}) == Path.home() / "AppData" / "Local" / "lockstep" / "cache" / "locks"


def test_an_environment_a_python_envs_file_names_is_never_synced_or_deleted(
    environments: Environments, tmp_path: Path
) -> None:
    listing = tmp_path / "demo" / ".python-envs"
    venv = fake_venv(tmp_path / "elsewhere")
    project = project_of(tmp_path / "demo")._replace(venv=Venv(venv, None, None, venv, False, listing))
    for what, outcome in [
        ("synced", environments.sync(project)),
        ("deleted", environments.delete(project, confirmed=True)),
    ]:
        assert outcome == Outcome(
            "failed",
            f"{venv} was not {what}: it is the environment .python-envs names (PEP 832), which Lockstep "
            "reads but never changes. Use the tool that made it, or Create Environment to give the project "
            "its own venv, which then comes first.",
            venv,
        )
    assert (venv / "pyvenv.cfg").is_file()


def test_delete_finishes_what_a_killed_operation_left_and_records_the_folder_it_sets_aside(
    tmp_path: Path,
) -> None:
    project = project_of(tmp_path / "demo")
    venv = project.root / ".venv"
    journal = Journal(tmp_path / "journal", venv)
    # Killed between the swap's renames: the venv is aside, nothing in place; a build is left too.
    aside = fake_venv(sibling(venv, ".lockstep-old-"))
    journal.add(Entry(aside, "aside", identity(aside)))
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    journal.add(Entry(build, "build"))
    recorded: list[tuple[list[Entry], object]] = []

    def rename(source: Path, target: Path) -> None:
        os.rename(source, target)
        recorded.append((journal.entries(), identity(target)))

    environments = Environments(
        {}, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal", renamer=Renamer(rename=rename)
    )
    outcome = environments.delete(project, confirmed=True)

    # The venv came back from aside, then went aside again to be deleted, recorded as such beforehand.
    assert outcome == Outcome("ok", "Deleted .venv.", venv)
    assert len(recorded) == 2
    (deleting,), moved = recorded[1]
    assert deleting.kind == "deleting" and deleting.path.name.startswith(".venv.lockstep-old-")
    assert deleting.path.parent == project.root
    assert deleting.identity is not None and deleting.identity == moved
    assert leftovers(project.root) == [] and journal.entries() == []


def test_a_venv_that_cannot_be_set_aside_is_not_journaled(tmp_path: Path) -> None:
    project = project_of(tmp_path / "demo")
    venv = fake_venv(project.root / ".venv")

    def refuse(source: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied", str(source))

    environments = Environments(
        {}, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal", renamer=Renamer(rename=refuse)
    )
    outcome = environments.delete(project, confirmed=True)

    assert outcome == Outcome("failed", f"Cannot use {venv}: Permission denied.", venv)
    assert (venv / "pyvenv.cfg").is_file() and Journal(tmp_path / "journal", venv).entries() == []


def test_a_venv_is_made_from_the_interpreter_its_link_or_its_pyvenv_cfg_names(tmp_path: Path) -> None:
    python = Path(os.path.realpath("/proc/self/exe"))
    other = tmp_path / "other" / "python3"
    other.parent.mkdir()
    other.write_text("")
    linked = fake_venv(tmp_path / "linked", python)
    assert env._made_from(linked, python) and not env._made_from(linked, other)
    # A copy (`--copies`, always on Windows) resolves to itself: pyvenv.cfg says where it came from,
    # the standard library's `executable` first, else uv's `home` (the base interpreter's folder).
    copied = tmp_path / "copied"
    (copied / "bin").mkdir(parents=True)
    (copied / "bin" / "python").write_text("")
    config = copied / "pyvenv.cfg"
    for text, made_from_python, made_from_other in [
        (f"home = {other.parent}\nexecutable = {python}\n", True, False),
        (f"home = {python.parent}\n", True, False),
        (f"home = {other.parent}\n", False, True),
        ("version_info = 3.12.1\n", False, False),
    ]:
        config.write_text(text)
        assert (env._made_from(copied, python), env._made_from(copied, other)) == (
            made_from_python,
            made_from_other,
        )
    config.unlink()
    assert not env._made_from(copied, python)


def test_the_pylock_installed_is_pylock_toml_else_the_first_by_name(tmp_path: Path) -> None:
    def pylock_of(manager: str, *names: str) -> str | None:
        project = Project(tmp_path, manager, None, pylock=tuple(tmp_path / name for name in names))  # type: ignore[arg-type]
        found = env._pylock_of(project)
        return found.name if found else None

    assert pylock_of("pep621", "pylock.b.toml", "pylock.toml", "pylock.a.toml") == "pylock.toml"
    assert pylock_of("pep621", "pylock.b.toml", "pylock.a.toml") == "pylock.a.toml"
    assert pylock_of("pep621") is None
    assert pylock_of("uv", "pylock.toml") is None  # uv.lock is what a uv project installs from


def test_a_build_that_cannot_take_the_venvs_place_brings_the_venv_back(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv")
    (venv / "mine").write_text("kept")
    journal = Journal(tmp_path / "journal", venv)
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    journal.add(Entry(build, "build"))
    journaled: list[list[Entry]] = []

    def rename(source: Path, target: Path) -> None:
        journaled.append(journal.entries())
        if source == build:  # the build's move into place is refused (a file in it held open)
            raise PermissionError(13, "Permission denied", str(source))
        os.rename(source, target)

    with pytest.raises(PermissionError):
        env._swap(build, venv, journal, Renamer(rename=rename))

    # The venv went aside recorded as such (with its inode), and came back when the build could not
    # take its place; the build is still the build folder's to remove.
    (_, aside), *_ = journaled
    assert aside.kind == "aside" and aside.path.name.startswith(".venv.lockstep-old-")
    assert aside.identity is not None and aside.identity == identity(venv)
    assert len(journaled) == 3 and journaled[2] == journaled[1]
    assert (venv / "mine").read_text() == "kept" and build.is_dir()
    assert journal.entries() == [Entry(build, "build")]
    assert sorted(p.name for p in tmp_path.iterdir() if ".lockstep-old-" in p.name) == []


def test_the_swap_forgets_the_build_once_it_is_the_venv(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    journal = Journal(tmp_path / "journal", venv)
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    journal.add(Entry(build, "build"))
    env._swap(build, venv, journal, Renamer())
    assert (venv / "pyvenv.cfg").is_file() and not build.exists() and journal.entries() == []


def test_what_recovery_cannot_remove_stays_journaled_and_the_operation_goes_on(
    environments: Environments, tmp_path: Path
) -> None:
    project = project_of(tmp_path / "demo")
    venv = project.root / ".venv"
    journal = Journal(tmp_path / "journal", venv)
    # The name a killed build was recorded under now holds a file (not a folder, not Lockstep's to
    # guess about): removing it as a folder fails, and that is no reason to fail the operation.
    build = sibling(venv, ".lockstep-build-")
    build.write_text("someone's")
    journal.add(Entry(build, "build"))

    outcome = environments.delete(project, confirmed=True)

    assert outcome == Outcome("ok", "There was no .venv to delete.", venv)
    assert build.read_text() == "someone's" and journal.entries() == [Entry(build, "build")]


def test_relocating_rewrites_text_only_and_on_windows_the_scripts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = tmp_path / ".venv"
    build = fake_venv(sibling(venv, ".lockstep-build-"))
    bin_dir = build / "bin"
    (bin_dir / "activate").write_text(f'VIRTUAL_ENV="{build}"\n')
    (bin_dir / "__pycache__").mkdir()  # a folder among the scripts is not read
    launcher = b"MZ\0\0" + os.fsencode(build) + b"\0"  # a binary that names the build is never patched
    (bin_dir / "tool.exe").write_bytes(launcher)
    (build / "pyvenv.cfg").write_text(f"home = /usr/bin\nrelocatable = true\ncommand = uv venv {build}\n")

    env._relocate(build, venv)

    assert (bin_dir / "activate").read_text() == f'VIRTUAL_ENV="{venv}"\n'
    assert (bin_dir / "tool.exe").read_bytes() == launcher
    assert (build / "pyvenv.cfg").read_text() == f"home = /usr/bin\ncommand = uv venv {venv}\n"

    # On Windows the scripts live in Scripts (and there is no bin).
    windows = sibling(venv, ".lockstep-build-")
    (windows / "Scripts").mkdir(parents=True)
    (windows / "pyvenv.cfg").write_text("home = C:\\Python312\nrelocatable = true\n")
    (windows / "Scripts" / "activate.bat").write_text(f'set "VIRTUAL_ENV={windows}"\n')
    monkeypatch.setattr(sys, "platform", "win32")
    env._relocate(windows, venv)
    assert (windows / "Scripts" / "activate.bat").read_text() == f'set "VIRTUAL_ENV={venv}"\n'
    assert (windows / "pyvenv.cfg").read_text() == "home = C:\\Python312\n"


def test_a_venv_counts_as_built_meanwhile_from_the_moment_the_request_began(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv")
    changed = venv.stat().st_mtime
    # Swapped in at the very moment the request began (the clock's resolution makes that happen).
    assert env._built_since(venv, changed)
    assert not env._built_since(venv, changed + 1)
    assert not env._built_since(tmp_path / "gone", changed)


def test_a_venv_whose_interpreter_cannot_be_looked_at_is_not_made_from_it(tmp_path: Path) -> None:
    python = Path(os.path.realpath("/proc/self/exe"))
    # A name longer than the filesystem allows: looking at it fails (ENAMETOOLONG), so it is no match.
    assert not env._made_from(tmp_path / ("v" * 300), python)
