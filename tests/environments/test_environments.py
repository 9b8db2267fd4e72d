"""Creating, syncing, recreating and deleting venvs with real uv, real interpreters and a loopback index."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyhelper.environments import EnvironmentOptions, Environments, Event, Outcome
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.projects import Project
from pyhelper.venvjournal import Entry, Journal, identity, sibling
from pyhelper.venvs import describe_venv, read_pyvenv_cfg
from support.index import PackageIndex, standard_catalogue
from support.projects import (
    installed,
    pdm_project,
    poetry_project,
    uv_project,
    write_package,
)
from support.pythons import full_version

LOCKED = {"alpha": "2.0", "beta": "1.1", "delta": "1.0", "gamma": "0.1"}


@pytest.fixture
def demo(tmp_path: Path, uv: Path, index_env: dict[str, str]) -> Path:
    """A uv project locked by real uv against the loopback index (alpha>=2, gamma[fast])."""
    return uv_project(tmp_path / "demo", uv, index_env)


@pytest.fixture
def environments(index_env: dict[str, str], tmp_path: Path) -> Environments:
    return Environments(index_env, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal")


@pytest.fixture
def private_index(tmp_path: Path) -> Iterator[PackageIndex]:
    """An index of its own, for tests that hold back or remove files (with a cache of their own)."""
    index = PackageIndex(tmp_path / "private-index")
    index.add(standard_catalogue())
    with index.start():
        yield index


def project_of(root: Path, manager: str = "uv", lockfile: str | None = "uv.lock") -> Project:
    return Project(root, manager, root / lockfile if lockfile else None, ">=3.10", name=root.name)  # type: ignore[arg-type]


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".lockstep-" in p.name)


def script_interpreter(script: Path) -> str:
    """The interpreter an entry-point script names, in either form uv writes.

    A shebang past uv's length limit (127 bytes, as pip's installer; the venv is built in a sibling
    folder with a longer name) becomes a `#!/bin/sh` stub whose second line execs the interpreter.
    """
    first, second, *_ = script.read_text().splitlines()
    if first != "#!/bin/sh":
        return first.removeprefix("#!")
    stub = re.fullmatch(r"'''exec' '(.+)' \"\$0\" \"\$@\"", second)
    assert stub, f"{script} is neither a shebang nor uv's exec stub: {second!r}"
    return stub[1]


def version_of(venv: Path) -> str | None:
    config = read_pyvenv_cfg(venv)
    return config.get("version_info") if config else None


def test_create_installs_exactly_the_locked_versions(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
) -> None:
    root = demo
    events: list[Event] = []

    outcome = environments.create(
        project_of(root),
        pythons["3.12"],
        python_version=full_version(pythons["3.12"]),
        progress=events.append,
    )

    assert outcome.status == "ok", outcome
    venv = root / ".venv"
    assert installed(venv) == LOCKED
    assert version_of(venv) == full_version(pythons["3.12"])
    assert leftovers(root) == []
    # Built elsewhere, then moved: the scripts must name the final path and run.
    script = venv / "bin" / "alpha"
    assert script_interpreter(script) == f"{venv}/bin/python"
    assert ".lockstep-" not in script.read_text()
    assert subprocess.run([str(script)], capture_output=True, text=True, check=True).stdout == "alpha 2.0\n"
    assert f"VIRTUAL_ENV='{venv}'" in (venv / "bin" / "activate").read_text()
    phases = [event.message for event in events if event.kind == "phase"]
    assert phases[0] == f"Creating .venv with Python {full_version(pythons['3.12'])}"
    assert any(event.kind == "output" and event.message == " + alpha==2.0" for event in events)
    assert events[-1].kind == "phase" and events[-1].message.startswith("Moving")


def test_create_with_seed_installs_pip(
    environments: Environments,
    index_env: dict[str, str],
    uv: Path,
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = uv_project(tmp_path / "seeded", uv, index_env)
    outcome = environments.create(project_of(root), pythons["3.12"], settings=EnvironmentOptions(seed=True))
    assert outcome.status == "ok", outcome
    assert "pip" in installed(root / ".venv")
    assert set(LOCKED.items()) <= set(installed(root / ".venv").items())


def test_stale_lock_is_reported_and_nothing_changes(
    environments: Environments,
    index_env: dict[str, str],
    uv: Path,
    pythons: dict[str, Path],
    tmp_path: Path,
    demo: Path,
) -> None:
    root = demo
    assert environments.create(project_of(root), pythons["3.12"]).status == "ok"
    lock_before = (root / "uv.lock").read_bytes()
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=2"', '"alpha>=2", "epsilon"'))

    synced = environments.sync(project_of(root))

    assert synced.status == "needs-lock", synced
    assert "update the lockfile" in synced.message
    assert (root / "uv.lock").read_bytes() == lock_before
    assert installed(root / ".venv") == LOCKED

    fresh = uv_project(tmp_path / "fresh", uv, index_env)
    (fresh / "pyproject.toml").write_text(
        (fresh / "pyproject.toml").read_text().replace("gamma[fast]", "epsilon")
    )
    created = environments.create(project_of(fresh), pythons["3.12"])
    assert created.status == "needs-lock", created
    assert not (fresh / ".venv").exists()
    assert leftovers(fresh) == []


def test_stale_lock_is_recognised_when_uv_wraps_its_message(
    index_env: dict[str, str],
    uv: Path,
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    # uv wraps its messages at $COLUMNS (a terminal that exports it, pytest-xdist's workers set 80); the
    # stale-lock sentence split across lines must still be read as a stale lock, not a failed sync.
    environments = Environments(
        {**index_env, "COLUMNS": "60"}, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal"
    )
    root = uv_project(tmp_path / "demo", uv, index_env)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("gamma[fast]", "epsilon"))

    created = environments.create(project_of(root), pythons["3.12"])

    assert created.status == "needs-lock", created
    assert "update the lockfile" in created.message
    sign = "needs to be updated, but `--locked` was provided"
    assert sign in " ".join(" ".join(created.output).split())
    assert not any(sign in line for line in created.output), "uv no longer wraps: this test proves nothing"
    assert not (root / ".venv").exists()
    assert leftovers(root) == []


def test_poetry_lock_is_installed_with_uv_alone(
    environments: Environments,
    package_index: PackageIndex,
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    outcome = environments.create(project_of(root, "poetry", "poetry.lock"), pythons["3.12"])
    assert outcome.status == "ok", outcome
    # main + the non-optional dev group; not the optional docs group, not epsilon (python >= 3.99).
    assert installed(root / ".venv") == {"alpha": "2.0", "beta": "1.1", "gamma": "0.1"}


def test_poetry_package_mode_installs_the_project_editable(
    environments: Environments,
    package_index: PackageIndex,
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index, package_mode=True)
    outcome = environments.create(project_of(root, "poetry", "poetry.lock"), pythons["3.12"])
    assert outcome.status == "ok", outcome
    assert installed(root / ".venv") == {
        "alpha": "2.0",
        "beta": "1.1",
        "gamma": "0.1",
        "poetic": "0.1.0",
    }
    python = root / ".venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import poetic; print(poetic.WHERE)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert where.stdout == "source tree\n", where.stderr


def test_stale_poetry_lock_is_reported(
    environments: Environments,
    package_index: PackageIndex,
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=2"', '"alpha>=1"'))
    outcome = environments.create(project_of(root, "poetry", "poetry.lock"), pythons["3.12"])
    assert outcome.status == "needs-lock", outcome
    assert not (root / ".venv").exists()


@pytest.mark.parametrize(
    ("minor", "expected"),
    [
        ("3.12", {"alpha": "2.0", "beta": "1.1", "gamma": "0.1"}),
        ("3.10", {"alpha": "2.0", "beta": "1.1", "gamma": "0.1", "delta": "1.0"}),
    ],
)
def test_pdm_lock_is_installed_for_the_venvs_python(
    environments: Environments,
    package_index: PackageIndex,
    pythons: dict[str, Path],
    tmp_path: Path,
    minor: str,
    expected: dict[str, str],
) -> None:
    root = pdm_project(tmp_path / "pdmproj", package_index)
    outcome = environments.create(project_of(root, "pdm", "pdm.lock"), pythons[minor])
    assert outcome.status == "ok", outcome
    assert installed(root / ".venv") == expected


def test_plain_project_without_lock_is_installed_editable(
    environments: Environments, pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    build_system = write_package(root, "plain", ["alpha>=2"])
    (root / "pyproject.toml").write_text(
        '[project]\nname = "plain"\nversion = "0.1.0"\ndependencies = ["alpha>=2"]\n\n' + build_system
    )
    outcome = environments.create(project_of(root, "pep621", None), pythons["3.12"])
    assert outcome.status == "ok", outcome
    assert installed(root / ".venv") == {
        "alpha": "2.0",
        "beta": "1.1",
        "plain": "0.1.0",
    }


def test_plain_project_gets_every_group_and_extra_chosen(
    environments: Environments, pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    build_system = write_package(root, "plain", ["alpha>=2"])
    (root / "pyproject.toml").write_text(
        '[project]\nname = "plain"\nversion = "0.1.0"\ndependencies = ["alpha>=2"]\n\n'
        '[project.optional-dependencies]\nx = ["gamma"]\n\n[dependency-groups]\ndocs = ["delta"]\n\n'
        + build_system
    )
    every = EnvironmentOptions(choice=SyncChoice.from_names([":all:"], [":all:"]))
    outcome = environments.create(project_of(root, "pep621", None), pythons["3.12"], settings=every)
    assert outcome.status == "ok", outcome
    assert installed(root / ".venv") == {
        "alpha": "2.0",
        "beta": "1.1",
        "delta": "1.0",
        "gamma": "0.1",
        "plain": "0.1.0",
    }


def run_in_thread(
    call: Callable[[], Outcome],
) -> tuple[threading.Thread, list[Outcome]]:
    results: list[Outcome] = []
    thread = threading.Thread(target=lambda: results.append(call()))
    thread.start()
    return thread, results


def test_cancel_in_the_middle_keeps_the_previous_venv(
    private_index: PackageIndex, uv: Path, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environ = private_index.environ(tmp_path / "cache-1")
    environments = Environments(environ, lock_dir=tmp_path / "locks")
    root = uv_project(tmp_path / "demo", uv, environ)
    assert environments.create(project_of(root), pythons["3.12"]).status == "ok"
    before = installed(root / ".venv")

    # A cold cache, and the index holds one wheel back: uv is mid-install when Cancel comes.
    environments = Environments(private_index.environ(tmp_path / "cache-2"), lock_dir=tmp_path / "locks")
    cancel = threading.Event()
    with private_index.hold("alpha-2.0-py3-none-any.whl"):
        thread, results = run_in_thread(
            lambda: environments.create(project_of(root), pythons["3.11"], replace=True, cancel=cancel)
        )
        private_index.wait_for_request("/files/alpha-2.0-py3-none-any.whl")
        cancel.set()
        thread.join(60)
    assert results[0].status == "cancelled", results[0]
    assert "left as it was" in results[0].message
    assert version_of(root / ".venv") == full_version(pythons["3.12"])
    assert installed(root / ".venv") == before
    assert leftovers(root) == []


def test_failure_keeps_the_previous_venv_and_says_why(
    private_index: PackageIndex, uv: Path, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environ = private_index.environ(tmp_path / "cache-1")
    root = uv_project(tmp_path / "demo", uv, environ)
    assert (
        Environments(environ, lock_dir=tmp_path / "locks").create(project_of(root), pythons["3.12"]).status
        == "ok"
    )

    private_index.remove("beta", "1.1")
    environments = Environments(private_index.environ(tmp_path / "cache-2"), lock_dir=tmp_path / "locks")
    outcome = environments.create(project_of(root), pythons["3.11"], replace=True)

    assert outcome.status == "failed", outcome
    assert "beta" in outcome.message and "left as it was" in outcome.message
    assert version_of(root / ".venv") == full_version(pythons["3.12"])
    assert installed(root / ".venv") == LOCKED
    assert leftovers(root) == []


def test_concurrent_creates_join_and_other_work_is_busy(
    private_index: PackageIndex, uv: Path, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environ = private_index.environ(tmp_path / "cache")
    root = uv_project(tmp_path / "demo", uv, environ)
    environments = Environments(environ, lock_dir=tmp_path / "locks")
    joined = threading.Event()
    with private_index.hold("beta-1.1-py3-none-any.whl"):
        first, first_result = run_in_thread(lambda: environments.create(project_of(root), pythons["3.12"]))
        private_index.wait_for_request("/files/beta-1.1-py3-none-any.whl")
        second, second_result = run_in_thread(
            lambda: environments.create(project_of(root), pythons["3.12"], progress=lambda _: joined.set())
        )
        assert joined.wait(30), "the second request never joined the first"
        busy = environments.sync(project_of(root))
        assert busy.status == "busy"
    first.join(60)
    second.join(60)
    assert first_result[0].status == "ok"
    assert second_result[0] is first_result[0]
    assert private_index.requests.count("/files/beta-1.1-py3-none-any.whl") == 1
    assert installed(root / ".venv") == LOCKED


def test_recreate_with_another_interpreter_swaps_only_when_complete(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
) -> None:
    root = demo
    assert environments.create(project_of(root), pythons["3.12"]).status == "ok"

    refused = environments.create(project_of(root), pythons["3.11"])
    assert refused.status == "failed" and "recreate" in refused.message
    assert version_of(root / ".venv") == full_version(pythons["3.12"])

    recreated = environments.create(project_of(root), pythons["3.11"], replace=True)
    assert recreated.status == "ok", recreated
    assert version_of(root / ".venv") == full_version(pythons["3.11"])
    assert installed(root / ".venv") == LOCKED
    assert leftovers(root) == []


def test_delete_needs_confirmation(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
) -> None:
    root = demo
    assert environments.create(project_of(root), pythons["3.12"]).status == "ok"
    assert environments.delete(project_of(root), confirmed=False).status == "failed"
    assert describe_venv(root / ".venv") is not None
    assert environments.delete(project_of(root), confirmed=True).status == "ok"
    assert not (root / ".venv").exists()


def test_leftovers_of_a_killed_operation_are_recovered(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
    tmp_path: Path,
) -> None:
    root = demo
    venv = root / ".venv"
    assert environments.create(project_of(root), pythons["3.12"]).status == "ok"
    # What a SIGKILL between the swap's renames leaves, each folder journaled before it got its name
    # (as pyhelper.environments does): the old venv aside, the new one still a build.
    journal = Journal(tmp_path / "journal", venv)
    build, aside = sibling(venv, ".lockstep-build-"), sibling(venv, ".lockstep-old-")
    journal.add(Entry(build, "build"))
    shutil.copytree(venv, build, symlinks=True)
    journal.add(Entry(aside, "aside", identity(venv)))
    venv.rename(aside)
    assert describe_venv(build) is None and describe_venv(aside) is None

    outcome = environments.sync(project_of(root))

    assert outcome.status == "ok", outcome
    assert installed(venv) == LOCKED
    assert leftovers(root) == []
    assert not journal.file.exists()


def test_a_journal_entry_whose_folder_was_replaced_is_not_acted_on(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
    tmp_path: Path,
) -> None:
    root = demo
    venv = root / ".venv"
    # Lockstep set a venv aside and crashed; the folder was since removed and another put there
    # under the same name (say, a checkout): it is not the one recorded.
    aside = sibling(venv, ".lockstep-old-")
    journal = Journal(tmp_path / "journal", venv)
    journal.add(Entry(aside, "aside", identity(root / "uv.lock")))  # the inode of something else
    subprocess.run([str(pythons["3.12"]), "-m", "venv", "--without-pip", str(aside)], check=True)

    outcome = environments.create(project_of(root), pythons["3.12"])

    assert outcome.status == "ok" and outcome.message.startswith("Created"), outcome
    assert (aside / "pyvenv.cfg").is_file()  # left alone: not ours
    assert not journal.file.exists()


def test_a_folder_that_is_not_a_venv_is_never_replaced(
    environments: Environments,
    pythons: dict[str, Path],
    demo: Path,
) -> None:
    root = demo
    (root / ".venv").mkdir()
    (root / ".venv" / "notes.txt").write_text("mine")
    for replace in (False, True):
        outcome = environments.create(project_of(root), pythons["3.12"], replace=replace)
        assert outcome.status == "failed" and "not a virtual environment" in outcome.message
    assert environments.delete(project_of(root), confirmed=True).status == "failed"
    assert (root / ".venv" / "notes.txt").read_text() == "mine"
